package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/storetest"
)

// discEnv is a server on a settable clock with two enterprises and their liaisons.
type discEnv struct {
	*env
	clock    *storetest.Clock
	a, b     string // USCCs of two limited companies in Pudong
	la, lb   *ghttp.Client
	laTok    string
	lbTok    string
	regToken string
}

func newDiscEnv(t *testing.T, now string) *discEnv {
	t.Helper()
	ctx := context.Background()
	clock := storetest.NewClock(storetest.At(now))
	st := testserver.Start(t, testserver.Options{Clock: clock})
	e := &discEnv{env: &env{t: t, url: st.URL, svc: st.Svc, db: st.DB, public: ghttp.NewClient(st.URL, "")}, clock: clock}
	e.pudong = e.account(gongshi.NewAccount{ID: "sh-officer", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"})
	e.regToken = e.pudong.Token
	e.a, e.b = uscc(t, "310115", 101), uscc(t, "310115", 102)
	for _, c := range []string{e.a, e.b} {
		if _, err := e.pudong.Register(ctx, registration(c)); err != nil {
			t.Fatal(err)
		}
	}
	e.la = e.account(gongshi.NewAccount{ID: "liaison-a", Role: gongshi.RoleEnterprise, Enterprise: e.a})
	e.lb = e.account(gongshi.NewAccount{ID: "liaison-b", Role: gongshi.RoleEnterprise, Enterprise: e.b})
	e.laTok, e.lbTok = e.la.Token, e.lb.Token
	return e
}

func filing(year int, fields map[string]any) map[string]any {
	return map[string]any{"year": year, "fields": fields}
}

func reportPath(code string, year int) string {
	return fmt.Sprintf("/api/v1/enterprises/%s/annual-reports/%d", code, year)
}

// TestAnnualReportContract: POST …/annual-reports files with an enterprise token;
// GET …/annual-reports/{year} shows item 7 only where published or to those entitled.
func TestAnnualReportContract(t *testing.T) {
	e := newDiscEnv(t, "2026-03-10T10:00:00+08:00")
	r := e.call("POST", "/api/v1/enterprises/"+e.a+"/annual-reports", e.laTok, filing(2025, storetest.ReportFields()))
	if r.status != 201 {
		t.Fatalf("file: %d %s", r.status, r.body)
	}
	var v gongshi.Version
	json.Unmarshal(r.body, &v)
	if v.Kind != "annual_report" || !v.OnTime || v.Due.String() != "2026-06-30" || v.SHA256 == "" || r.header.Get("Location") != reportPath(e.a, 2025) {
		t.Errorf("filed: %+v, Location %s", v, r.header.Get("Location"))
	}
	var pub gongshi.AnnualReport
	r = e.call("GET", reportPath(e.a, 2025), "", nil)
	json.Unmarshal(r.body, &pub)
	if r.status != 200 || pub.Fields["total_assets"] != "1500" || pub.Fields["net_profit"] != nil || pub.Record == nil || len(pub.Record.Versions) != 1 {
		t.Errorf("public GET: %d %s", r.status, r.body)
	}
	if strings.Contains(string(r.body), "-12.5") {
		t.Errorf("public GET serves the unpublished net profit: %s", r.body)
	}
	own, _ := e.la.AnnualReport(context.Background(), e.a, 2025)
	if own.Fields["net_profit"] != "-12.5" {
		t.Errorf("the enterprise's own GET: net_profit %v", own.Fields["net_profit"])
	}
	reg, _ := e.pudong.AnnualReport(context.Background(), e.a, 2025)
	if reg.Fields["net_profit"] != "-12.5" {
		t.Errorf("a regulator in scope: net_profit %v", reg.Fields["net_profit"])
	}
	for _, path := range []string{"/api/v1/enterprises/" + e.a, "/api/v1/enterprises/" + e.a + "/records", "/api/v1/records/" + v.Record,
		"/api/v1/documents/" + v.SHA256, "/api/v1/enterprises?q=" + e.a, "/api/v1/enterprises/" + e.a + "/annual-reports"} {
		if r := e.call("GET", path, e.lbTok, nil); r.status != 200 || strings.Contains(string(r.body), "-12.5") || strings.Contains(string(r.body), secretPhone) {
			t.Errorf("GET %s without consent: %d, leaks: %.300s", path, r.status, r.body)
		}
	}
	// A draft is private, and filing the year's report deletes it.
	r = e.call("POST", "/api/v1/enterprises/"+e.b+"/annual-reports", e.lbTok, map[string]any{"year": 2025, "draft": true, "fields": map[string]any{"phone": "021-5"}})
	if r.status != 201 || !strings.Contains(string(r.body), `"saved_by":"liaison-b"`) {
		t.Fatalf("draft: %d %s", r.status, r.body)
	}
	if r := e.call("GET", reportPath(e.b, 2025)+"/draft", e.lbTok, nil); r.status != 200 {
		t.Errorf("read draft: %d %s", r.status, r.body)
	}
	e.call("GET", reportPath(e.b, 2025)+"/draft", e.laTok, nil).problem(t, 403, "code")
	e.call("GET", reportPath(e.b, 2025), "", nil).problem(t, 404, "year")
}

// TestAnnualReportBadInput: each bad filing is a problem naming the field and the fix, and
// stores nothing.
func TestAnnualReportBadInput(t *testing.T) {
	e := newDiscEnv(t, "2026-05-10T10:00:00+08:00")
	post := func(token, code string, body any) *response {
		return e.call("POST", "/api/v1/enterprises/"+code+"/annual-reports", token, body)
	}
	if r := post(e.laTok, e.a, filing(2025, storetest.ReportFields())); r.status != 201 {
		t.Fatalf("file: %d %s", r.status, r.body)
	}
	rf := storetest.ReportFields
	set := func(k string, v any) map[string]any { m := rf(); m[k] = v; return m }
	post(e.laTok, e.a, filing(2026, rf())).problem(t, 400, "year")
	p := post(e.laTok, e.a, filing(2025, rf())).problem(t, 409, "year")
	if !strings.Contains(p.Fix, "/corrections") {
		t.Errorf("second report: fix %q does not name the correction route", p.Fix)
	}
	post(e.laTok, e.a, filing(2025, map[string]any{})).problem(t, 409, "year")
	post(e.laTok, e.b, filing(2025, rf())).problem(t, 403, "code")
	post(e.lbTok, e.b, filing(2025, set("total_assets", "-1"))).problem(t, 400, "fields.total_assets")
	post(e.lbTok, e.b, filing(2025, set("owners_equity", "1"))).problem(t, 400, "fields.owners_equity")
	post(e.lbTok, e.b, filing(2025, set("main_revenue", "900"))).problem(t, 400, "fields.main_revenue")
	post(e.lbTok, e.b, filing(2025, set("turnover", "1"))).problem(t, 400, "fields.turnover")
	post(e.lbTok, e.b, filing(2025, set("email", "not-mail"))).problem(t, 400, "fields.email")
	post(e.lbTok, e.b, filing(2025, set("websites", []any{map[string]any{"type": "website", "name": "x", "url": "ftp://x"}}))).problem(t, 400, "fields.websites[0].url")
	post(e.lbTok, e.b, map[string]any{"year": 2025, "fields": rf(), "turnover": 1}).problem(t, 400, "turnover")
	post(e.regToken, e.b, filing(2025, rf())).problem(t, 403, "code")
	post("", e.b, filing(2025, rf())).problem(t, 401, "")
	if r := e.call("GET", "/api/v1/enterprises/"+e.b+"/annual-reports", "", nil); !strings.Contains(string(r.body), `"filings":[]`) {
		t.Errorf("refused filings stored something: %s", r.body)
	}

	// Corrections: before 30 June accepted, after refused.
	corr := reportPath(e.a, 2025) + "/corrections"
	if r := e.call("POST", corr, e.laTok, map[string]any{"reason": "更正", "fields": map[string]any{"total_tax": "31"}}); r.status != 201 {
		t.Fatalf("correction in time: %d %s", r.status, r.body)
	}
	e.call("POST", corr, e.lbTok, map[string]any{"fields": map[string]any{"total_tax": "32"}}).problem(t, 403, "code")
	e.clock.Set(storetest.At("2026-07-01T09:00:00+08:00"))
	e.call("POST", corr, e.laTok, map[string]any{"fields": map[string]any{"total_tax": "32"}}).problem(t, 409, "fields")
	var ar gongshi.AnnualReport
	json.Unmarshal(e.call("GET", reportPath(e.a, 2025), e.laTok, nil).body, &ar)
	if len(ar.Record.Versions) != 2 || ar.Fields["total_tax"] != "31" {
		t.Errorf("after a refused correction: %d versions, total_tax %v; want 2 and 31", len(ar.Record.Versions), ar.Fields["total_tax"])
	}
	// Filed on 1 July: late, and marked so.
	r := post(e.lbTok, e.b, filing(2025, rf()))
	var v gongshi.Version
	json.Unmarshal(r.body, &v)
	if r.status != 201 || v.OnTime {
		t.Errorf("late filing: %d on_time %v", r.status, v.OnTime)
	}
}

// TestOrdersObligationsConsentAPI: an order fulfilled through the API, the obligations, and
// consent given, used (and recorded), and revoked.
func TestOrdersObligationsConsentAPI(t *testing.T) {
	e := newDiscEnv(t, "2026-03-10T10:00:00+08:00")
	ctx := context.Background()
	if _, err := e.la.FileAnnualReport(ctx, e.a, gongshi.AnnualReportFiling{Year: 2025, Fields: storetest.ReportFields()}); err != nil {
		t.Fatal(err)
	}
	oi, err := e.pudong.IssueOrder(ctx, e.a, gongshi.OrderInput{Item: "licence", Content: "公示许可信息", DocumentNo: "沪市监浦责〔2026〕1号"})
	if err != nil {
		t.Fatal(err)
	}
	if oi.Order.Deadline != "2026-03-20" || oi.Version.LogIndex == 0 {
		t.Errorf("order: %+v", oi.Order)
	}
	e.call("POST", "/api/v1/enterprises/"+e.a+"/orders", e.laTok, map[string]any{"item": "licence", "content": "x"}).problem(t, 403, "")
	e.call("POST", "/api/v1/enterprises/"+e.a+"/orders", e.regToken, map[string]any{"item": "rain", "content": "x"}).problem(t, 400, "item")
	if _, err := e.la.Publish(ctx, e.a, gongshi.Publication{Kind: "licence", Arose: "2026-03-09", Fields: map[string]any{
		"licence_no": "JY1", "name": "食品经营许可证", "action": "granted", "issuer": "浦东新区市场监督管理局", "valid_from": "2026-03-09"}}); err != nil {
		t.Fatal(err)
	}
	var ol ghttp.OrderList
	json.Unmarshal(e.call("GET", "/api/v1/enterprises/"+e.a+"/orders", "", nil).body, &ol)
	if len(ol.Orders) != 1 || ol.Orders[0].Status != gongshi.OrderFulfilled {
		t.Errorf("orders: %+v", ol.Orders)
	}
	ob, err := e.public.Obligations(ctx, e.b, "2026-07-02")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ob.AnnualReports); n == 0 || ob.AnnualReports[n-1].Status != gongshi.ReportOverdue {
		t.Errorf("obligations of B: %+v", ob)
	}
	e.call("GET", "/api/v1/enterprises/"+e.b+"/obligations?as_of=July", "", nil).problem(t, 400, "as_of")

	c, err := e.la.GrantConsent(ctx, gongshi.ConsentGrant{Grantee: "liaison-b", Items: []string{"net_profit"}, Until: "2026-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	e.call("POST", "/api/v1/consents", e.laTok, map[string]any{"grantee": "liaison-b", "items": []string{"name"}, "until": "2026-12-31"}).problem(t, 400, "items[0]")
	e.call("POST", "/api/v1/consents", e.regToken, map[string]any{"grantee": "liaison-b", "items": []string{"net_profit"}, "until": "2026-12-31"}).problem(t, 403, "")
	if ar, _ := e.lb.AnnualReport(ctx, e.a, 2025); ar.Fields["net_profit"] != "-12.5" || ar.Fields["total_tax"] != nil {
		t.Errorf("under consent: %v", ar.Fields)
	}
	views, err := e.la.ConsentViews(ctx)
	if err != nil || len(views.Views) != 1 || views.Views[0].Viewer != "liaison-b" {
		t.Errorf("consent views: %+v, %v", views, err)
	}
	e.call("GET", "/api/v1/consent-views", e.lbTok, nil) // B's own (empty) list: no leak of A's
	if r := e.call("GET", "/api/v1/consents", e.laTok, nil); !strings.Contains(string(r.body), `"views":1`) {
		t.Errorf("consent list: %s", r.body)
	}
	e.call("DELETE", "/api/v1/consents/"+c.ID, e.lbTok, nil).problem(t, 404, "id")
	if _, err := e.la.RevokeConsent(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	e.call("DELETE", "/api/v1/consents/"+c.ID, e.laTok, nil).problem(t, 409, "id")
	if r := e.call("GET", reportPath(e.a, 2025), e.lbTok, nil); strings.Contains(string(r.body), "-12.5") {
		t.Errorf("after revocation: %s", r.body)
	}
	// A bank without an account: consent by a code, shown once; its views are recorded too.
	e.call("POST", "/api/v1/consents", e.laTok, map[string]any{"grantee": "liaison-b", "party": "中国银行上海市分行", "items": []string{"net_profit"}, "until": "2026-12-31"}).problem(t, 400, "party")
	r := e.call("POST", "/api/v1/consents", e.laTok, map[string]any{"party": "中国银行上海市分行", "items": []string{"net_profit"}, "until": "2026-12-31"})
	var pc gongshi.Consent
	if r.status != 201 || json.Unmarshal(r.body, &pc) != nil || !strings.HasPrefix(pc.Code, gongshi.TokenPrefix) || pc.Party != "中国银行上海市分行" {
		t.Fatalf("consent to a party: %d %s", r.status, r.body)
	}
	if r := e.call("GET", reportPath(e.a, 2025), pc.Code, nil); !strings.Contains(string(r.body), "-12.5") || strings.Contains(string(r.body), secretID) {
		t.Errorf("the party with its code: got %s, want net_profit and no personal data", r.body)
	}
	if r := e.call("GET", reportPath(e.b, 2025), pc.Code, nil); strings.Contains(string(r.body), "-12.5") {
		t.Error("the party sees another enterprise's items")
	}
	views, err = e.la.ConsentViews(ctx)
	if err != nil || len(views.Views) != 2 || views.Views[0].Viewer != pc.Grantee || views.Views[0].Consent != pc.ID {
		t.Errorf("views after the party's: %+v, %v; want the party's view (%s) recorded first", views, err, pc.Grantee)
	}
	if r := e.call("GET", "/api/v1/consents", e.laTok, nil); strings.Contains(string(r.body), pc.Code) {
		t.Error("the code is shown again in the list")
	}
	e.call("POST", "/api/v1/consents", pc.Code, map[string]any{"grantee": "liaison-b", "items": []string{"net_profit"}, "until": "2026-12-31"}).problem(t, 403, "")
	if _, err := e.la.RevokeConsent(ctx, pc.ID); err != nil {
		t.Fatal(err)
	}
	if r := e.call("GET", reportPath(e.a, 2025), pc.Code, nil); strings.Contains(string(r.body), "-12.5") {
		t.Errorf("the party after revocation: %s", r.body)
	}
}
