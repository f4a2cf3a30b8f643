package http_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/storetest"
)

// TestCheckItemsOverHTTP: the lists of check items over the API — publishing, the
// filters, correction and withdrawal, their errors — and a plan naming them.
func TestCheckItemsOverHTTP(t *testing.T) {
	e, codes := spotCheckEnv(t, 3)
	tok := e.pudong.Token
	var sh, nat gongshi.CheckItem
	json.Unmarshal(e.call("POST", "/api/v1/check-items", tok, map[string]any{"fields": storetest.CheckItemFields("企业公示信息的抽查")}).expect(t, 201).body, &sh)
	json.Unmarshal(e.call("POST", "/api/v1/check-items", e.health.Token, map[string]any{"fields": storetest.CheckItemFields("公共场所卫生的抽查")}).expect(t, 201).body, &nat)
	if sh.Jurisdiction != "310000" || nat.Jurisdiction != gongshi.NationalDivision || sh.Versions[0].Subject != "310000" {
		t.Fatalf("published: %+v, %+v", sh, nat)
	}

	noBasis := storetest.CheckItemFields("x")
	delete(noBasis, "basis")
	e.call("POST", "/api/v1/check-items", tok, map[string]any{"fields": noBasis}).problem(t, 400, "fields.basis")
	e.call("POST", "/api/v1/check-items", "", map[string]any{"fields": storetest.CheckItemFields("x")}).problem(t, 401, "")
	e.call("POST", "/api/v1/enterprises/"+codes[0]+"/records", tok, map[string]any{"kind": "check_item", "arose": "2026-06-01", "fields": storetest.CheckItemFields("x")}).problem(t, 400, "kind")
	e.call("GET", "/api/v1/check-items?division=31", "", nil).problem(t, 400, "division")
	e.call("GET", "/api/v1/check-items?state=old", "", nil).problem(t, 400, "state")
	e.call("GET", "/api/v1/check-items/123456", "", nil).problem(t, 404, "")

	list := func(q string) []*gongshi.CheckItem {
		t.Helper()
		var l ghttp.CheckItemList
		json.Unmarshal(e.call("GET", "/api/v1/check-items"+q, "", nil).expect(t, 200).body, &l)
		return l.Items
	}
	if l := list("?division=310115"); len(l) != 2 {
		t.Errorf("items in Pudong: %d, want 2", len(l))
	}
	if l := list("?division=440300"); len(l) != 1 || l[0].ID != nat.ID {
		t.Errorf("items in Shenzhen: %+v, want the national one", l)
	}
	if l := list("?authority=sh-officer"); len(l) != 1 || l[0].ID != sh.ID {
		t.Errorf("sh-officer's items: %+v", l)
	}

	e.call("POST", "/api/v1/check-items/"+sh.ID+"/versions", tok, map[string]any{"fields": map[string]any{"object": "辖区内各类企业"}}).problem(t, 400, "reason")
	e.call("POST", "/api/v1/check-items/"+sh.ID+"/versions", e.shenzen.Token, map[string]any{"reason": "x", "fields": map[string]any{"object": "y"}}).problem(t, 403, "")
	var c gongshi.CheckItem
	json.Unmarshal(e.call("POST", "/api/v1/check-items/"+sh.ID+"/versions", tok, map[string]any{"reason": "表述调整", "fields": map[string]any{"object": "辖区内各类企业"}}).expect(t, 201).body, &c)
	if len(c.Versions) != 2 || c.Fields["object"] != "辖区内各类企业" {
		t.Errorf("corrected: %+v", c)
	}

	plan := func(items ...string) *response {
		return e.call("POST", "/api/v1/draws", tok, map[string]any{"title": "按事项抽查", "jurisdiction": "310115", "sample_size": 1, "check_items": items})
	}
	var d gongshi.Draw
	json.Unmarshal(plan(sh.ID, nat.ID).expect(t, 201).body, &d)
	if len(d.CheckItems) != 2 || d.CheckItems[0].SHA256 != c.Versions[1].SHA256 {
		t.Errorf("the plan's items: %+v", d.CheckItems)
	}
	e.call("POST", "/api/v1/check-items/"+nat.ID+"/withdraw", tok, map[string]any{"reason": "x"}).problem(t, 403, "")
	e.call("POST", "/api/v1/check-items/"+nat.ID+"/withdraw", e.health.Token, map[string]any{"reason": "不再实施"}).expect(t, 200)
	e.call("POST", "/api/v1/check-items/"+nat.ID+"/withdraw", e.health.Token, map[string]any{"reason": "again"}).problem(t, 409, "")
	plan(sh.ID, nat.ID).problem(t, 400, "check_items[1]")
	plan("99999").problem(t, 400, "check_items[0]")
	if l := list("?state=in_force"); len(l) != 1 || l[0].ID != sh.ID {
		t.Errorf("in force after the withdrawal: %+v", l)
	}
	// Not a record about an enterprise: the records' routes do not serve or amend it.
	if r := e.call("GET", "/api/v1/records/"+sh.ID, "", nil); r.status >= 500 || r.status == 200 {
		t.Errorf("GET /api/v1/records/%s: status %d\n%s", sh.ID, r.status, r.body)
	}
	e.call("POST", "/api/v1/records/"+sh.ID+"/versions", tok, map[string]any{"reason": "x", "fields": map[string]any{"object": "z"}}).problem(t, 400, "id")
	// The kind is described with the others, its fields in the OpenAPI document.
	if kinds := string(e.call("GET", "/api/v1/kinds", "", nil).expect(t, 200).body); !strings.Contains(kinds, `"name":"check_item","label":"随机抽查事项","article":"国办发〔2015〕58号 二(一)"`) {
		t.Errorf("/api/v1/kinds lacks check_item")
	}
	if !strings.Contains(string(e.call("GET", "/api/openapi.json", "", nil).expect(t, 200).body), `"Fields.check_item"`) {
		t.Error("the OpenAPI document has no Fields.check_item")
	}
}
