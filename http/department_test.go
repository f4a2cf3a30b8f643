package http_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
)

// Art. 7 and 12: a department publishes in its jurisdiction, and a case about one of its
// records is routed to it, due as the regulator's would be.
func TestDepartmentJurisdictionAndCases(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	ctx := t.Context()
	sh, bj := uscc(t, "310115", 1), uscc(t, "110105", 2)
	if _, err := e.pudong.Register(ctx, registration(sh)); err != nil {
		t.Fatal(err)
	}
	beijing := e.account(gongshi.NewAccount{ID: "bj-regulator", Role: gongshi.RoleRegulator, Jurisdiction: "110000"})
	if _, err := beijing.Register(ctx, registration(bj)); err != nil {
		t.Fatal(err)
	}
	env := e.account(gongshi.NewAccount{ID: "sh-env", Name: "上海市生态环境局", Role: gongshi.RoleDepartment, Jurisdiction: "310000", Kinds: []string{"licence", "penalty"}})
	e.call("POST", "/api/v1/enterprises/"+bj+"/records", env.Token, licenceBody()).problem(t, 403, "code")
	r := e.call("POST", "/api/v1/enterprises/"+sh+"/records", env.Token, licenceBody()).expect(t, 201)
	var lic gongshi.Version
	json.Unmarshal(r.body, &lic)
	if lic.Publisher.Jurisdiction != "310000" {
		t.Errorf("publisher: got %+v, want the department's jurisdiction 310000", lic.Publisher)
	}
	// A national department (no jurisdiction) publishes everywhere.
	nat := e.account(gongshi.NewAccount{ID: "mee", Name: "生态环境部", Role: gongshi.RoleDepartment, Kinds: []string{"licence"}})
	e.call("POST", "/api/v1/enterprises/"+bj+"/records", nat.Token, licenceBody()).expect(t, 201)
	e.call("POST", "/api/v1/enterprises/"+sh+"/records", e.health.Token, licenceBody()).expect(t, 201)
	if _, _, err := e.svc.CreateAccount(ctx, gongshi.NewAccount{ID: "bad", Role: gongshi.RoleDepartment, Jurisdiction: "31", Kinds: []string{"licence"}}); gongshi.ErrorCode(err) != gongshi.EINVALID {
		t.Errorf("a department with jurisdiction 31: got %v, want EINVALID", err)
	}

	person := map[string]any{"name": "孙八", "id_number": secretID, "email": "sun@example.org"}
	r = e.call("POST", "/api/v1/cases", "", map[string]any{"kind": "correction_request", "enterprise": sh, "record": lic.Record,
		"subject": "许可有效期有误", "content": "许可证有效期应为五年。", "person": person}).expect(t, 201)
	var c gongshi.Case
	json.Unmarshal(r.body, &c)
	// Filed 2026-06-01: the same 20 working days as a regulator's case (policy case.correction).
	if c.Handler != "sh-env" || c.Due != "2026-06-30" || c.Policy != "case.correction@2014-10-01" {
		t.Fatalf("routed case: got handler %q due %s policy %s, want sh-env, 2026-06-30, case.correction@2014-10-01", c.Handler, c.Due, c.Policy)
	}
	// A case about no department's record stays with the regulator.
	e.call("POST", "/api/v1/cases", "", map[string]any{"kind": "report", "enterprise": sh, "subject": "虚假年报", "content": "资产不实。", "person": person}).expect(t, 201)

	queue := func(tok string) []*gongshi.Case {
		var q ghttp.CaseList
		json.Unmarshal(e.call("GET", "/api/v1/cases", tok, nil).expect(t, 200).body, &q)
		return q.Cases
	}
	if q := queue(env.Token); len(q) != 1 || q[0].Number != c.Number || q[0].Person == nil {
		t.Errorf("department queue: got %d cases, want its one case with the filer", len(q))
	}
	if q := queue(e.pudong.Token); len(q) != 1 || q[0].Kind != "report" {
		t.Errorf("regulator queue: got %d cases, want the one report not routed to a department", len(q))
	}
	if q := queue(nat.Token); len(q) != 0 {
		t.Errorf("another department's queue: got %d cases, want none", len(q))
	}
	if got := e.call("GET", "/api/v1/cases/"+c.Number, env.Token, nil).expect(t, 200); !strings.Contains(string(got.body), secretID) {
		t.Error("the handling department does not see the filer")
	}
	e.call("GET", "/api/v1/cases/"+c.Number, nat.Token, nil).problem(t, 404, "check") // another department needs the code
	if got := e.call("GET", "/api/v1/cases/"+c.Number+"?check="+c.Check, nat.Token, nil).expect(t, 200); strings.Contains(string(got.body), secretID) {
		t.Error("another department sees the filer")
	}
	e.call("POST", "/api/v1/cases/"+c.Number+"/review", e.pudong.Token, map[string]any{}).problem(t, 403, "")
	e.call("POST", "/api/v1/cases/"+c.Number+"/review", nat.Token, map[string]any{}).problem(t, 403, "")
	a := e.call("POST", "/api/v1/cases/"+c.Number+"/answer", env.Token, map[string]any{"outcome": "corrected", "answer": "已更正。"}).expect(t, 200)
	var answered gongshi.Case
	json.Unmarshal(a.body, &answered)
	if v := answered.AnswerVersion; v == nil || v.Publisher.Account != "sh-env" || v.Kind != "case_answer" {
		t.Fatalf("answer: got %+v, want a case_answer published by sh-env", answered.AnswerVersion)
	}
}

func licenceBody() map[string]any {
	return map[string]any{"kind": "licence", "arose": "2026-05-20", "fields": map[string]any{
		"licence_no": "沪环许〔2026〕7号", "name": "排污许可证", "action": "granted", "issuer": "上海市生态环境局", "valid_from": "2026-05-20"}}
}
