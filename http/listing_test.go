package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// TestDecideListingContract: POST /api/v1/enterprises/{code}/listings lists on ground 3
// or 4 by a regulator in scope, publishes the decision at once, refuses bad input naming
// the field, and a later sweep lists nothing twice — also where a report found the ground.
func TestDecideListingContract(t *testing.T) {
	e, _ := newEnfEnv(t) // 2026-07-02: A listed on ground 1 by the sweep; B filed
	path := "/api/v1/enterprises/" + e.b + "/listings"
	ok := map[string]any{"ground": 4, "verified": "2026-06-30", "facts": "经实地核查，通过登记的住所无法联系", "document_no": "浦市监异〔2026〕88号"}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range ok {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	e.wantProblem("POST", path, "", ok, 401, "")
	e.wantProblem("POST", path, e.lbTok, ok, 403, "")
	e.wantProblem("POST", path, e.shenzenToken(), ok, 403, "code")
	e.wantProblem("POST", "/api/v1/enterprises/nonsense/listings", e.regToken, ok, 400, "code")
	e.wantProblem("POST", "/api/v1/enterprises/"+uscc(t, "310115", 999)+"/listings", e.regToken, ok, 404, "")
	for field, v := range map[string]any{"ground": 1, "verified": "2026-07-03", "facts": " ", "document_no": ""} {
		e.wantProblem("POST", path, e.regToken, with(field, v), 400, field)
	}
	for _, field := range []string{"verified", "facts", "document_no"} {
		e.wantProblem("POST", path, e.regToken, with(field, nil), 400, field)
	}
	e.wantProblem("POST", path, e.regToken, with("ground", 5), 400, "ground")
	e.wantProblem("POST", path, e.regToken, with("verified", "2026-02-30"), 400, "verified")
	e.wantProblem("POST", path, e.regToken, with("extra", 1), 400, "extra")
	if es, _ := e.svc.EnterpriseListings(context.Background(), e.b); len(es) != 0 {
		t.Fatalf("refused requests stored listings: %+v", es)
	}

	r := e.call("POST", path, e.regToken, ok)
	var d gongshi.ListingDecided
	json.Unmarshal(r.body, &d)
	if r.status != 201 || d.Entry == nil || d.Version == nil || r.header.Get("Location") != "/api/v1/records/"+d.Version.Record {
		t.Fatalf("decide: %d %s", r.status, r.body)
	}
	if d.Entry.Ground != 4 || d.Entry.List != gongshi.ListAbnormal || d.Entry.Since != "2026-07-02" || d.Entry.DocumentNo != ok["document_no"] ||
		d.Version.Kind != "abnormal_listing" || d.Version.Fields["remedies"] == nil || d.Version.Fields["objection_by"] == nil ||
		!strings.Contains(fmt.Sprint(d.Version.Fields["reason"]), "无法联系") || d.Finding != "regulator:"+ok["document_no"].(string) {
		t.Errorf("decided: %s", r.body)
	}
	// Verified 30 June (Tuesday): due 10 working days later, in July; decided on 2 July.
	if !d.OnTime || d.Due <= "2026-07-02" || d.Policy == "" || !d.Version.OnTime {
		t.Errorf("due %s (%s), on time %v", d.Due, d.Policy, d.OnTime)
	}
	var page gongshi.ListPage
	json.Unmarshal(e.call("GET", "/api/v1/lists/abnormal?ground=4", "", nil).body, &page)
	if len(page.Entries) != 1 || page.Entries[0].USCC != e.b {
		t.Errorf("public list, ground 4: %+v", page.Entries)
	}
	e.wantProblem("POST", path, e.regToken, with("document_no", "浦市监异〔2026〕89号"), 409, "ground")
	e.wantProblem("POST", path, e.regToken, ok, 409, "")

	// A report finds A's information false: the regulator's decision is on that finding,
	// and the sweep does not list A again for it.
	r = e.call("POST", "/api/v1/cases", "", map[string]any{"kind": "report", "enterprise": e.a, "subject": "年报从业人数虚假", "content": "实际仅1人",
		"person": map[string]any{"name": "王举报", "id_number": "11010519491231002X", "phone": "13800000000"}})
	var c gongshi.Case
	json.Unmarshal(r.body, &c)
	if r.status != 201 {
		t.Fatalf("report: %d %s", r.status, r.body)
	}
	if r := e.call("POST", "/api/v1/cases/"+c.Number+"/answer", e.regToken, map[string]any{"outcome": gongshi.OutcomeFalse, "answer": "经核查属实"}); r.status != 200 && r.status != 201 {
		t.Fatalf("answer: %d %s", r.status, r.body)
	}
	r = e.call("POST", "/api/v1/enterprises/"+e.a+"/listings", e.regToken, map[string]any{"ground": 3, "verified": "2026-07-02", "facts": "年报从业人数虚假", "document_no": "浦市监异〔2026〕90号"})
	json.Unmarshal(r.body, &d)
	if r.status != 201 || d.Finding != "case:"+c.Number || d.Entry.Ground != 3 {
		t.Fatalf("decide on the report's finding: %d %s", r.status, r.body)
	}
	sum, err := e.svc.Sweep(context.Background(), gongshi.SweepOptions{AsOf: calendar.MustDate(2026, 7, 2)})
	if err != nil || sum.Counts["ground3_4"] != 0 {
		t.Errorf("sweep after the decisions: %v %+v, want no ground 3/4 listing", err, sum)
	}
	for _, code := range []string{e.a, e.b} {
		es, _ := e.svc.EnterpriseListings(context.Background(), code)
		n := 0
		for _, x := range es {
			if x.Ground >= 3 {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s has %d listings on grounds 3–4, want 1: %+v", code, n, es)
		}
	}
}

// TestAmendOwnFlow: POST /api/v1/records/{id}/versions refuses decisions and annual
// reports, naming the field and the route to use.
func TestAmendOwnFlow(t *testing.T) {
	e, entry := newEnfEnv(t)
	p := e.call("POST", "/api/v1/records/"+entry.Record+"/versions", e.regToken, map[string]any{"fields": map[string]any{"reason": "x"}}).problem(t, 400, "id")
	if !strings.Contains(p.Fix, "/objections") || !strings.Contains(p.Fix, "/removal-applications") {
		t.Errorf("decision: fix %q, want the objection and removal routes", p.Fix)
	}
	var ar gongshi.AnnualReport
	json.Unmarshal(e.call("GET", reportPath(e.b, 2025), e.lbTok, nil).body, &ar)
	if ar.Record == nil {
		t.Fatalf("B's report not found")
	}
	p = e.call("POST", "/api/v1/records/"+ar.Record.ID+"/versions", e.lbTok, map[string]any{"fields": map[string]any{"employees": 6}}).problem(t, 400, "id")
	if want := "/api/v1/enterprises/" + e.b + "/annual-reports/2025/corrections"; !strings.Contains(p.Fix, want) {
		t.Errorf("annual report: fix %q, want %s", p.Fix, want)
	}
	if vs, _, _ := e.svc.Record(context.Background(), nil, entry.Record); vs != nil && len(vs.Versions) != 1 {
		t.Errorf("the decision got a version: %d", len(vs.Versions))
	}
}
