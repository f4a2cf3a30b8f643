package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
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
