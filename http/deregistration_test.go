package http_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/storetest"
)

// deregEnv is a server on a set clock with a Shanghai regulator, a court and enterprises
// established in 2015.
type deregEnv struct {
	*env
	clock *storetest.Clock
	reg   *ghttp.Client
	court *ghttp.Client
}

func newDeregEnv(t *testing.T, now string) *deregEnv {
	t.Helper()
	clock := storetest.NewClock(storetest.At(now))
	st := testserver.Start(t, testserver.Options{Clock: clock})
	e := &deregEnv{env: &env{t: t, url: st.URL, svc: st.Svc, db: st.DB, public: ghttp.NewClient(st.URL, "")}, clock: clock}
	e.reg = e.account(gongshi.NewAccount{ID: "sh-officer", Name: "上海市浦东新区市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"})
	e.court = e.account(gongshi.NewAccount{ID: "pd-court", Name: "上海市浦东新区人民法院", Role: gongshi.RoleCourt})
	return e
}

// register registers an enterprise of type typ established in 2015 and returns its code.
func (e *deregEnv) register(seq uint64, typ string) string {
	e.t.Helper()
	code := uscc(e.t, "310115", seq)
	in := registration(code)
	in.Fields["established"], in.Fields["type"] = "2015-05-04", typ
	if typ == "个体工商户" {
		delete(in.Fields, "shareholders")
		delete(in.Fields, "registered_capital")
		delete(in.Fields, "currency")
	}
	if _, err := e.reg.Register(e.t.Context(), in); err != nil {
		e.t.Fatalf("register %s: %v", code, err)
	}
	return code
}

func (e *deregEnv) at(day string) { e.clock.Set(storetest.At(day + "T10:00:00+08:00")) }

func dereg(code, step string) string {
	return "/api/v1/enterprises/" + code + "/simple-deregistration" + step
}

func version(t *testing.T, r *response) *gongshi.Version {
	t.Helper()
	var v gongshi.Version
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

var commitment = map[string]any{"commitment": "本企业全体投资人承诺：企业未发生债权债务或已将债权债务清偿完结。"}

// The notice runs 45 days until 29 July 2021 and 20 days from 30 July 2021 (SAMR 2021-45);
// nothing before 1 March 2017. Anyone objects during it; the authority decides after it.
func TestSimpleDeregistrationAcrossItsRules(t *testing.T) {
	e := newDeregEnv(t, "2017-02-28T10:00:00+08:00")
	a, b := e.register(1, "有限责任公司"), e.register(2, "有限责任公司")
	e.call("POST", dereg(a, ""), e.reg.Token, commitment).problem(t, 400, "code")

	e.at("2021-07-29")
	na := version(t, e.call("POST", dereg(a, ""), e.reg.Token, commitment).expect(t, 201))
	// 29 Jul + 45 days = Sunday 12 Sep, rolled to Monday 13 Sep.
	if na.Fields["notice_from"] != "2021-07-30" || na.Fields["notice_to"] != "2021-09-13" || na.Fields["notice_policy"] != "deregistration.simple.notice@2017-03-01" {
		t.Errorf("notice of 29 Jul 2021: got %v … %v under %v, want 2021-07-30 … 2021-09-13 under deregistration.simple.notice@2017-03-01",
			na.Fields["notice_from"], na.Fields["notice_to"], na.Fields["notice_policy"])
	}
	e.call("POST", dereg(a, ""), e.reg.Token, commitment).problem(t, 409, "code")
	e.at("2021-07-30")
	nb := version(t, e.call("POST", dereg(b, ""), e.reg.Token, commitment).expect(t, 201))
	if nb.Fields["notice_to"] != "2021-08-19" || nb.Fields["notice_policy"] != "deregistration.simple.notice@2021-07-30" {
		t.Errorf("notice of 30 Jul 2021: got until %v under %v, want 2021-08-19 under deregistration.simple.notice@2021-07-30", nb.Fields["notice_to"], nb.Fields["notice_policy"])
	}

	// An anonymous creditor objects to A's notice; the objection is published, naming it.
	e.at("2021-08-02")
	obj := map[string]any{"objector": "上海某某建材有限公司", "objector_kind": "creditor", "content": "该企业尚欠货款12万元未清偿。"}
	ov := version(t, e.call("POST", dereg(a, "/objections"), "", obj).expect(t, 201))
	if ov.Publisher.Role != gongshi.RolePublic || ov.Publisher.Name != "上海某某建材有限公司" || ov.Fields["notice"] != na.Record {
		t.Errorf("objection: publisher %+v notice %v, want the objector, about notice %s", ov.Publisher, ov.Fields["notice"], na.Record)
	}
	decide := func(outcome, reason string) map[string]any {
		return map[string]any{"outcome": outcome, "reason": reason, "document_no": "（沪）登记企销字〔2021〕第1号"}
	}
	e.call("POST", dereg(b, "/decision"), e.reg.Token, decide("deregistered", "")).problem(t, 409, "outcome") // B's notice runs until 19 Aug

	e.at("2021-08-20")
	e.call("POST", dereg(b, "/objections"), "", obj).problem(t, 409, "code") // B's notice is over
	dv := version(t, e.call("POST", dereg(b, "/decision"), e.reg.Token, decide("deregistered", "")).expect(t, 201))
	if dv.Fields["notice_policy"] != "deregistration.simple.notice@2021-07-30" || dv.Fields["objections"] != float64(0) {
		t.Errorf("decision names %v with %v objections, want deregistration.simple.notice@2021-07-30 and 0", dv.Fields["notice_policy"], dv.Fields["objections"])
	}
	page, err := e.public.Enterprise(t.Context(), b)
	if err != nil || page.Enterprise.Status != "注销" {
		t.Fatalf("B after its deregistration: status %q (%v), want 注销", page.Enterprise.Status, err)
	}
	e.call("POST", dereg(b, ""), e.reg.Token, commitment).problem(t, 409, "code")

	e.at("2021-09-14")
	e.call("POST", dereg(a, "/decision"), e.reg.Token, decide("deregistered", "")).problem(t, 409, "outcome") // an objection stands
	e.call("POST", dereg(a, "/decision"), e.reg.Token, decide("refused", "")).problem(t, 400, "reason")
	e.call("POST", dereg(a, "/decision"), e.reg.Token, decide("refused", "公告期内债权人提出异议")).expect(t, 201)
	// Refused, A may apply again (SAMR 2021-45): now under the 20-day rule.
	again := version(t, e.call("POST", dereg(a, ""), e.reg.Token, commitment).expect(t, 201))
	if again.Fields["notice_policy"] != "deregistration.simple.notice@2021-07-30" {
		t.Errorf("second notice: got %v, want the 2021 entry", again.Fields["notice_policy"])
	}
}

// Equity frozen by a court or pledged, a chattel mortgage and a branch not deregistered bar
// simplified deregistration until cleared; an individual business needs no notice.
func TestSimpleDeregistrationBars(t *testing.T) {
	e := newDeregEnv(t, "2026-03-02T10:00:00+08:00")
	c := e.register(3, "有限责任公司")
	freeze := map[string]any{"kind": "judicial_assistance", "arose": "2026-02-27", "fields": map[string]any{
		"notice": "freeze", "court": "上海市浦东新区人民法院", "document_no": "（2026）沪0115执123号", "shareholder": "张伟",
		"shareholder_id_number": secretID, "amount": "600", "executed": "2026-02-27", "freeze_from": "2026-02-27", "freeze_to": "2029-02-26"}}
	e.call("POST", "/api/v1/enterprises/"+c+"/records", e.reg.Token, freeze).problem(t, 403, "kind")
	fv := version(t, e.call("POST", "/api/v1/enterprises/"+c+"/records", e.court.Token, freeze).expect(t, 201))
	if fv.Policy != "" || !fv.OnTime {
		t.Errorf("court notice: policy %q on time %v, want no deadline", fv.Policy, fv.OnTime)
	}
	pledge := version(t, e.call("POST", "/api/v1/enterprises/"+c+"/records", e.reg.Token, map[string]any{"kind": "equity_pledge", "arose": "2026-02-27",
		"fields": map[string]any{"registration_no": "310115202600001", "pledgor": "张伟", "pledgee": "上海银行", "amount": "100", "status": "valid"}}).expect(t, 201))

	r := e.call("POST", dereg(c, ""), e.reg.Token, commitment)
	p := r.problem(t, 409, "code")
	for _, want := range []string{"frozen", "（2026）沪0115执123号", "equity pledge 310115202600001"} {
		if !strings.Contains(p.Detail, want) {
			t.Errorf("bars %q do not name %q", p.Detail, want)
		}
	}
	page := e.call("GET", "/api/v1/enterprises/"+c, "", nil).expect(t, 200)
	var ep ghttp.EnterprisePage
	json.Unmarshal(page.body, &ep)
	if len(ep.Sections.Judicial) != 1 || strings.Contains(string(page.body), secretID) {
		t.Errorf("page: %d judicial notices, want 1, without the shareholder's ID number", len(ep.Sections.Judicial))
	}

	unfreeze := map[string]any{"kind": "judicial_assistance", "arose": "2026-03-02", "fields": map[string]any{
		"notice": "unfreeze", "court": "上海市浦东新区人民法院", "document_no": "（2026）沪0115执123号之一", "shareholder": "张伟",
		"amount": "600", "executed": "2026-03-02"}}
	e.call("POST", "/api/v1/enterprises/"+c+"/records", e.court.Token, unfreeze).problem(t, 400, "fields.lifts")
	unfreeze["fields"].(map[string]any)["lifts"] = "（2026）沪0115执123号"
	e.call("POST", "/api/v1/enterprises/"+c+"/records", e.court.Token, unfreeze).expect(t, 201)
	p = e.call("POST", dereg(c, ""), e.reg.Token, commitment).problem(t, 409, "code")
	if strings.Contains(p.Detail, "frozen") || !strings.Contains(p.Detail, "pledge") {
		t.Errorf("after the unfreezing: got bars %q, want the pledge only", p.Detail)
	}
	e.call("POST", "/api/v1/records/"+pledge.Record+"/versions", e.reg.Token, map[string]any{"reason": "注销出质登记", "fields": map[string]any{"status": "cancelled"}}).expect(t, 201)
	e.call("POST", dereg(c, ""), e.reg.Token, commitment).expect(t, 201)

	// An individual business: no notice, decided directly.
	d := e.register(4, "个体工商户")
	e.call("POST", dereg(d, ""), e.reg.Token, commitment).problem(t, 400, "code")
	e.call("POST", dereg(d, "/decision"), e.reg.Token, map[string]any{"outcome": "deregistered", "document_no": "（浦）登记个销字〔2026〕第9号"}).expect(t, 201)
}
