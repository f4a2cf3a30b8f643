package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/storetest"
)

// enfEnv is a discEnv in July 2026 in which A (e.a) did not file its 2025 report and
// was listed by the sweep; B (e.b) filed.
func newEnfEnv(t *testing.T) (*discEnv, *gongshi.ListEntry) {
	t.Helper()
	e := newDiscEnv(t, "2026-03-10T10:00:00+08:00")
	if r := e.call("POST", "/api/v1/enterprises/"+e.b+"/annual-reports", e.lbTok, filing(2025, map[string]any{
		"mailing_address": "上海市浦东新区张江路1号", "postal_code": "201203", "phone": "021-58880000", "email": "a@example.cn", "operating_status": "operating",
		"employees": 5, "total_assets": "1", "total_liabilities": "1", "owners_equity": "0", "total_revenue": "1", "main_revenue": "1",
		"total_profit": "0", "net_profit": "0", "total_tax": "0"})); r.status != 201 {
		t.Fatalf("file B: %d %s", r.status, r.body)
	}
	e.clock.Set(time7("2026-07-02"))
	if _, err := e.svc.Sweep(context.Background(), gongshi.SweepOptions{AsOf: calendar.MustDate(2026, 7, 2)}); err != nil {
		t.Fatal(err)
	}
	es, err := e.svc.EnterpriseListings(context.Background(), e.a)
	if err != nil || len(es) != 1 {
		t.Fatalf("A's listings: %v %+v", err, es)
	}
	return e, es[0]
}

func time7(d string) time.Time { return storetest.At(d + "T10:00:00+08:00") }

// wantProblem sends a request that must fail with a problem of status naming field.
func (e *discEnv) wantProblem(method, path, token string, body any, status int, field string) {
	e.t.Helper()
	r := e.call(method, path, token, body)
	if r.status != status {
		e.t.Errorf("%s %s: got %d, want %d: %s", method, path, r.status, status, r.body)
		return
	}
	r.problem(e.t, status, field)
}

func (e *discEnv) shenzenToken() string {
	return e.account(gongshi.NewAccount{ID: "sz-officer", Name: "深圳市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "440300"}).Token
}

func TestListsContract(t *testing.T) {
	e, entry := newEnfEnv(t)
	var page gongshi.ListPage
	r := e.call("GET", "/api/v1/lists/abnormal?division=310115&ground=1&limit=10", "", nil)
	json.Unmarshal(r.body, &page)
	if r.status != 200 || len(page.Entries) != 1 || page.Entries[0].USCC != e.a || page.Entries[0].Record != entry.Record {
		t.Fatalf("abnormal list: %d %s", r.status, r.body)
	}
	for _, q := range []string{"?division=4403", "?ground=2", "?as_of=2026-07-01", "?since=2026-07-03"} {
		var p gongshi.ListPage
		r := e.call("GET", "/api/v1/lists/abnormal"+q, "", nil)
		json.Unmarshal(r.body, &p)
		if r.status != 200 || len(p.Entries) != 0 {
			t.Errorf("abnormal list %s: %d, %d entries, want none", q, r.status, len(p.Entries))
		}
	}
	if r := e.call("GET", "/api/v1/lists/serious", "", nil); r.status != 200 || !strings.Contains(string(r.body), `"entries":[]`) {
		t.Errorf("serious list: %d %s", r.status, r.body)
	}
	for q, field := range map[string]string{"?division=31x": "division", "?ground=5": "ground", "?as_of=2026-13-01": "as_of",
		"?as_of=2099-01-01": "as_of", "?since=yesterday": "since", "?limit=0": "limit", "?limit=501": "limit", "?cursor=abc": "cursor"} {
		e.wantProblem("GET", "/api/v1/lists/abnormal"+q, "", nil, 400, field)
	}
	if r := e.call("GET", "/api/v1/enterprises/"+e.a+"/listings", "", nil); r.status != 200 || !strings.Contains(string(r.body), entry.ID) {
		t.Errorf("listings: %d %s", r.status, r.body)
	}
	e.wantProblem("GET", "/api/v1/enterprises/nonsense/listings", "", nil, 400, "code")
	var page2 map[string]any
	json.Unmarshal(e.call("GET", "/api/v1/enterprises/"+e.a, "", nil).body, &page2)
	if st, _ := page2["enterprise"].(map[string]any)["list_status"].(map[string]any); st["listed"] != true {
		t.Errorf("enterprise page list status: %v", page2["enterprise"])
	}
}

func TestCreditCheckContract(t *testing.T) {
	e, entry := newEnfEnv(t)
	unknown := uscc(t, "310115", 999)
	bad := e.a[:17] + string("0123456789ABCDEFGHJKLMNPQRTUWXY"[(strings.IndexByte("0123456789ABCDEFGHJKLMNPQRTUWXY", e.a[17])+1)%31])
	r := e.call("POST", "/api/v1/credit-checks", "", map[string]any{"as_of": "2026-07-02", "codes": []string{e.a, e.b, unknown, bad, "x"}})
	var cc gongshi.CreditCheck
	json.Unmarshal(r.body, &cc)
	if r.status != 200 || len(cc.Results) != 5 {
		t.Fatalf("credit check: %d %s", r.status, r.body)
	}
	a, b := cc.Results[0], cc.Results[1]
	if a.Status != gongshi.CreditListed || a.MayParticipate || len(a.Lists) != 1 || a.Lists[0].Since != "2026-07-02" || a.Lists[0].Ground != 1 || a.Lists[0].Authority == "" {
		t.Errorf("A: %+v", a)
	}
	if b.Status != gongshi.CreditClear || !b.MayParticipate {
		t.Errorf("B: %+v", b)
	}
	if cc.Results[2].Status != gongshi.CreditNotFound || cc.Results[3].Status != gongshi.CreditInvalid || cc.Results[4].Status != gongshi.CreditInvalid || cc.Results[3].Error == "" {
		t.Errorf("bad codes: %+v %+v %+v", cc.Results[2], cc.Results[3], cc.Results[4])
	}
	// As of a past date, before the listing.
	r = e.call("GET", "/api/v1/credit-checks/"+e.a+"?as_of=2026-07-01", "", nil)
	json.Unmarshal(r.body, &cc)
	if r.status != 200 || cc.Results[0].Status != gongshi.CreditClear {
		t.Errorf("A on 2026-07-01: %d %s", r.status, r.body)
	}
	too := make([]string, gongshi.MaxCreditCheckCodes+1)
	for i := range too {
		too[i] = e.a
	}
	e.wantProblem("POST", "/api/v1/credit-checks", "", map[string]any{"codes": too}, 400, "codes")
	e.wantProblem("POST", "/api/v1/credit-checks", "", map[string]any{"codes": []string{}}, 400, "codes")
	e.wantProblem("POST", "/api/v1/credit-checks", "", map[string]any{"as_of": "2026-02-30", "codes": []string{e.a}}, 400, "as_of")
	e.wantProblem("POST", "/api/v1/credit-checks", "", map[string]any{"as_of": "2027-01-01", "codes": []string{e.a}}, 400, "as_of")
	e.wantProblem("POST", "/api/v1/credit-checks", "", map[string]any{"codes": "x"}, 400, "codes")
	e.wantProblem("POST", "/api/v1/credit-checks", "", map[string]any{"codes": []string{e.a}, "extra": 1}, 400, "extra")
	e.wantProblem("GET", "/api/v1/credit-checks/"+e.a+"?as_of=soon", "", nil, 400, "as_of")
	_ = entry
}

func TestEnforcementDecisionsContract(t *testing.T) {
	e, entry := newEnfEnv(t)
	path := "/api/v1/enterprises/" + e.a + "/objections"
	body := map[string]any{"entry": entry.ID, "reason": "已按期报送"}
	e.wantProblem("POST", path, "", body, 401, "")
	e.wantProblem("POST", path, e.lbTok, body, 403, "code")
	e.wantProblem("POST", path, e.regToken, body, 403, "code")
	la := e.account(gongshi.NewAccount{ID: "liaison-a2", Role: gongshi.RoleEnterprise, Enterprise: e.a})
	e.wantProblem("POST", path, la.Token, map[string]any{"reason": "x"}, 400, "entry")
	e.wantProblem("POST", path, la.Token, map[string]any{"entry": entry.ID}, 400, "reason")
	e.wantProblem("POST", path, la.Token, map[string]any{"entry": "999999", "reason": "x"}, 404, "entry")
	e.wantProblem("POST", path, la.Token, map[string]any{"entry": "abc", "reason": "x"}, 400, "entry")
	r := e.call("POST", path, la.Token, body)
	var c gongshi.EnforcementCase
	json.Unmarshal(r.body, &c)
	if r.status != 201 || c.Kind != gongshi.CaseObjection || c.Due == "" || c.Policy == "" || r.header.Get("Location") == "" {
		t.Fatalf("objection: %d %s", r.status, r.body)
	}
	var q ghttp.EnforcementQueue
	json.Unmarshal(e.call("GET", "/api/v1/enforcement/queue", e.regToken, nil).body, &q)
	if len(q.Items) != 1 || q.Items[0].ID != c.ID {
		t.Errorf("queue: %+v", q)
	}
	e.wantProblem("GET", "/api/v1/enforcement/queue", la.Token, nil, 403, "")
	dpath := fmt.Sprintf("/api/v1/enforcement-cases/%s/decision", c.ID)
	dec := map[string]any{"outcome": "upheld", "document_no": "浦市监异议〔2026〕1号", "answer": "经核实，列入有误"}
	e.wantProblem("POST", dpath, la.Token, dec, 403, "")
	sz := e.shenzenToken()
	e.wantProblem("POST", dpath, sz, dec, 403, "")
	e.wantProblem("POST", dpath, e.regToken, map[string]any{"outcome": "removed", "document_no": "浦市监异议〔2026〕1号", "answer": "x"}, 400, "outcome")
	e.wantProblem("POST", dpath, e.regToken, map[string]any{"outcome": "upheld", "answer": "x"}, 400, "document_no")
	e.wantProblem("POST", dpath, e.regToken, map[string]any{"outcome": "upheld", "document_no": "浦市监异议〔2026〕1号"}, 400, "answer")
	e.wantProblem("POST", "/api/v1/enforcement-cases/x/decision", e.regToken, dec, 400, "id")
	e.wantProblem("POST", "/api/v1/enforcement-cases/77/decision", e.regToken, dec, 404, "id")
	// SAIC Order 68 Art. 13: accepted first; the answer before is 409, and so is a second acceptance.
	e.wantProblem("POST", dpath, e.regToken, dec, 409, "outcome")
	acc := map[string]any{"outcome": "accepted", "document_no": "浦市监异受〔2026〕1号", "answer": "予以受理"}
	r = e.call("POST", dpath, e.regToken, acc)
	var d gongshi.CaseDecided
	json.Unmarshal(r.body, &d)
	if r.status != 201 || d.Version.Kind != "objection_acceptance" || d.Case.State != gongshi.CaseStateAccepted || d.Version.Fields["verify_by"] != d.Case.Due {
		t.Fatalf("acceptance: %d %s", r.status, r.body)
	}
	e.wantProblem("POST", dpath, e.regToken, acc, 409, "outcome")
	var seen gongshi.EnforcementCase
	if r := e.call("GET", "/api/v1/enforcement-cases/"+c.ID, la.Token, nil); r.status != 200 || json.Unmarshal(r.body, &seen) != nil || seen.State != gongshi.CaseStateAccepted || seen.Answer != d.Version.Record {
		t.Errorf("the objector's view of its case: %d %s", r.status, r.body)
	}
	e.wantProblem("GET", "/api/v1/enforcement-cases/"+c.ID, sz, nil, 403, "")
	r = e.call("POST", dpath, e.regToken, dec)
	d = gongshi.CaseDecided{}
	json.Unmarshal(r.body, &d)
	if r.status != 201 || d.Entry.Ended != gongshi.EndCorrected || d.Version.Kind != "objection_answer" || d.Version.Fields["remedies"] == nil {
		t.Fatalf("decision: %d %s", r.status, r.body)
	}
	e.wantProblem("POST", dpath, e.regToken, dec, 409, "id")
	// The removal application on a corrected entry: nothing to remove.
	e.wantProblem("POST", "/api/v1/enterprises/"+e.a+"/removal-applications", la.Token, body, 409, "entry")
	if r := e.call("GET", "/api/v1/lists/abnormal", "", nil); !strings.Contains(string(r.body), `"entries":[]`) {
		t.Errorf("list after correction: %s", r.body)
	}
}
