package http_test

import (
	"strings"
	"testing"
)

// Credit repair of a penalty: refused before the measures of 1 September 2021; after them
// refused until it has been shown 6 months, then granted, and the penalty is withdrawn.
func TestCreditRepairAcrossItsRules(t *testing.T) {
	e := newDeregEnv(t, "2021-03-01T10:00:00+08:00")
	code := e.register(31, "有限责任公司")
	pen := func(no, arose string) string {
		return version(t, e.call("POST", "/api/v1/enterprises/"+code+"/records", e.reg.Token, map[string]any{"kind": "penalty", "arose": arose, "fields": map[string]any{
			"decision_no": no, "violation": "虚假宣传", "content": "罚款20万元", "fine": "200000", "authority": "上海市浦东新区市场监督管理局", "decided": arose}}).expect(t, 201)).Record
	}
	p1 := pen("沪市监浦处〔2021〕5号", "2021-03-01")
	apply := func(penalty string) map[string]any {
		return map[string]any{"penalty": penalty, "obligations_fulfilled": true, "harm_removed": true, "document_no": "沪市监浦信修〔2021〕1号"}
	}
	path := "/api/v1/enterprises/" + code + "/credit-repairs"
	e.at("2021-08-31")
	r := version(t, e.call("POST", path, e.reg.Token, apply(p1)).expect(t, 201))
	if r.Fields["outcome"] != "refused" || !strings.Contains(r.Fields["unmet"].(string), "2021-09-01") {
		t.Errorf("before the measures: got %v %v, want refused naming 2021-09-01", r.Fields["outcome"], r.Fields["unmet"])
	}
	e.at("2021-09-01")
	p2 := pen("沪市监浦处〔2021〕9号", "2021-09-01")
	r = version(t, e.call("POST", path, e.reg.Token, apply(p2)).expect(t, 201))
	if r.Fields["outcome"] != "refused" || r.Fields["eligible_from"] != "2022-03-01" || r.Fields["eligibility_policy"] != "repair.penalty.after@2021-09-01" {
		t.Errorf("shown one day: got %v from %v under %v, want refused, from 2022-03-01 under repair.penalty.after@2021-09-01", r.Fields["outcome"], r.Fields["eligible_from"], r.Fields["eligibility_policy"])
	}
	// The first penalty, shown six months and more: but a second one for the same violation
	// came after it.
	r = version(t, e.call("POST", path, e.reg.Token, apply(p1)).expect(t, 201))
	if r.Fields["outcome"] != "refused" || !strings.Contains(r.Fields["unmet"].(string), "沪市监浦处〔2021〕9号") {
		t.Errorf("with a later penalty for the same violation: got %v %v", r.Fields["outcome"], r.Fields["unmet"])
	}
	e.at("2022-03-02")
	r = version(t, e.call("POST", path, e.reg.Token, map[string]any{"penalty": p2, "obligations_fulfilled": false, "harm_removed": true, "document_no": "x1"}).expect(t, 201))
	if r.Fields["outcome"] != "refused" {
		t.Errorf("obligations not fulfilled: got %v", r.Fields["outcome"])
	}
	r = version(t, e.call("POST", path, e.reg.Token, apply(p2)).expect(t, 201))
	if r.Fields["outcome"] != "repaired" {
		t.Fatalf("after six months: got %v %v, want repaired", r.Fields["outcome"], r.Fields["unmet"])
	}
	rec := string(e.call("GET", "/api/v1/records/"+p2, "", nil).expect(t, 200).body)
	if !strings.Contains(rec, "信用修复") {
		t.Errorf("the repaired penalty is not withdrawn: %.300s", rec)
	}
}
