package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/storetest"
)

// TestDrawDeskStrata: the draw desk offers the industry sections and size bands by their
// names, previews a stratum by them, and puts an unknown value's error beside its input.
func TestDrawDeskStrata(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	e.login(c, e.seed.Regulator)
	desk := e.get(c, "/reg/draws")
	for _, want := range []string{`<option value="C">C 制造业</option>`, `<option value="medium">中型（注册资本1000万至1亿元）</option>`} {
		if !strings.Contains(desk.body, want) {
			t.Errorf("the desk lacks %s", want)
		}
	}
	preview := func(field, value string) page {
		t.Helper()
		return e.post(c, "/reg/draws", url.Values{"csrf": {csrf(t, desk.body)}, "action": {"preview"}, "title": {"按行业定向抽查"},
			"jurisdiction": {"310000"}, "directed": {"on"}, field: {value}, "sample_size": {"1"}}, nil)
	}
	// The seed: four enterprises, of sections I, H, R and C, with capital 500, 1000, 1500
	// and 2000万元 (one small, three medium).
	for _, c := range []struct{ field, value, count string }{
		{"stratum.industries", "C", "1"}, {"stratum.sizes", "medium", "3"}, {"stratum.sizes", "small", "1"},
	} {
		if p := preview(c.field, c.value); p.status != http.StatusOK || !strings.Contains(p.body, "<strong>"+c.count+"</strong>") {
			t.Errorf("%s=%s: status %d, want a population of %s", c.field, c.value, p.status, c.count)
		}
	}
	p := preview("stratum.industries", "Z")
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `href="#f-stratum-industries"`) || !strings.Contains(p.body, "门类字母") {
		t.Errorf("an unknown section: status %d, want 422 naming the input with the Chinese fix\n%s", p.status, p.body)
	}
}

// TestCheckItemPages: the public list of check items, filtered by the division they apply
// in, and a plan on the draw desk naming items, whose page shows them.
func TestCheckItemPages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	reg := e.regulator()
	item, err := e.svc.PublishCheckItem(ctx, reg, storetest.CheckItemFields("企业公示信息的抽查"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"sh-inspector-1", "sh-inspector-2"} {
		if _, _, err := e.svc.CreateAccount(ctx, gongshi.NewAccount{ID: id, Name: "检查员" + id, Role: gongshi.RoleRegulator, Jurisdiction: "310000"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.AddInspector(ctx, reg, id); err != nil {
			t.Fatal(err)
		}
	}
	c := e.client()
	if p := e.get(c, "/check-items?division=310115"); p.status != http.StatusOK || !strings.Contains(p.body, "企业公示信息的抽查") || !strings.Contains(p.body, "书面检查、实地核查") {
		t.Errorf("the list in Pudong: status %d\n%s", p.status, p.body)
	}
	if p := e.get(c, "/check-items?division=440300"); p.status != http.StatusOK || strings.Contains(p.body, "企业公示信息的抽查") {
		t.Errorf("the list in Shenzhen shows Shanghai's item (status %d)", p.status)
	}
	if p := e.get(c, "/check-items?division=31"); p.status != http.StatusBadRequest {
		t.Errorf("division=31: status %d, want 400", p.status)
	}
	if p := e.get(c, "/draws"); !strings.Contains(p.body, `href="/check-items"`) {
		t.Error("the draws page does not link the list")
	}
	e.login(c, e.seed.Regulator)
	desk := e.get(c, "/reg/draws")
	form := url.Values{"csrf": {csrf(t, desk.body)}, "action": {"plan"}, "title": {"按抽查事项抽查"}, "jurisdiction": {"310000"},
		"sample_size": {"1"}, "check_items": {item.ID + "，999999"}}
	if p := e.post(c, "/reg/draws", form, nil); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `href="#f-check_items"`) {
		t.Errorf("an unknown item: status %d, want 422 naming the input", p.status)
	}
	form.Set("check_items", item.ID)
	p := e.post(c, "/reg/draws", form, nil)
	if p.status != http.StatusSeeOther {
		t.Fatalf("plan: status %d\n%s", p.status, p.body)
	}
	number := strings.TrimPrefix(p.header.Get("Location"), "/reg/draws/")
	if pg := e.get(c, "/draws/"+number); !strings.Contains(pg.body, `id="draw-items"`) || !strings.Contains(pg.body, "企业公示信息的抽查") {
		t.Errorf("the draw's page does not name its item")
	}
}
