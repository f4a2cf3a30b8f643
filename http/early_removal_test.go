package http_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// Early removal from the serious list over the API: a listing of 2019 (the 2014 rules) is
// refused naming them; one of 2021-10-15 (SAMR Order 44) is refused before a year and
// granted after it, and the entry then shows its end; an abnormal entry is not one.
func TestEarlyRemovalAcrossItsRules(t *testing.T) {
	e := newDeregEnv(t, "2016-10-10T10:00:00+08:00")
	old, recent := e.register(41, "有限责任公司"), uscc(t, "310115", 42)
	listing := func(code, verified string) {
		t.Helper()
		e.call("POST", "/api/v1/enterprises/"+code+"/listings", e.reg.Token, map[string]any{"ground": 4, "verified": verified,
			"facts": "经实地核查，通过登记的住所无法联系", "document_no": "浦市监异〔" + verified[:4] + "〕" + code[10:14] + "号"}).expect(t, 201)
	}
	sweep := func(day string) {
		t.Helper()
		e.at(day)
		if _, err := e.svc.Sweep(t.Context(), gongshi.SweepOptions{AsOf: calendar.DateOf(e.clock.Now())}); err != nil {
			t.Fatal(err)
		}
	}
	listing(old, "2016-10-09")
	sweep("2019-10-24")
	e.at("2018-10-10")
	in := registration(recent)
	in.Fields["established"] = "2018-09-03"
	if _, err := e.reg.Register(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	listing(recent, "2018-10-09")
	sweep("2021-10-15")
	serious := func(code string) map[string]any {
		t.Helper()
		var out struct{ Entries []map[string]any }
		if err := json.Unmarshal(e.call("GET", "/api/v1/enterprises/"+code+"/listings", "", nil).expect(t, 200).body, &out); err != nil {
			t.Fatal(err)
		}
		for _, en := range out.Entries {
			if en["list"] == "serious" {
				return en
			}
		}
		t.Fatalf("%s: no serious entry in %v", code, out.Entries)
		return nil
	}
	so, sr := serious(old), serious(recent)
	apply := func(code string, entry any) map[string]any {
		return map[string]any{"entry": entry, "obligations_fulfilled": true, "harm_removed": true, "document_no": "沪市监浦信修〔2022〕" + code[10:14] + "号"}
	}
	path := func(code string) string { return "/api/v1/enterprises/" + code + "/early-removals" }
	e.at("2022-06-01")
	r := version(t, e.call("POST", path(old), e.reg.Token, apply(old, so["id"])).expect(t, 201))
	if r.Fields["outcome"] != "refused" || !strings.Contains(r.Fields["unmet"].(string), "list.serious.term@2014-10-01") {
		t.Errorf("a 2019 listing: %v, want refused naming the 2014 term", r.Fields)
	}
	r = version(t, e.call("POST", path(recent), e.reg.Token, apply(recent, sr["id"])).expect(t, 201))
	if r.Fields["outcome"] != "refused" || r.Fields["eligibility_policy"] != "list.serious.early@2021-09-01" || r.Fields["eligible_from"] != "2022-10-15" {
		t.Errorf("a 2021 listing before a year: %v", r.Fields)
	}
	e.call("POST", path(recent), "", apply(recent, sr["id"])).expect(t, 401)
	e.at("2022-10-17")
	r = version(t, e.call("POST", path(recent), e.reg.Token, apply(recent, sr["id"])).expect(t, 201))
	if r.Kind != "serious_early_removal" || r.Fields["outcome"] != "removed" {
		t.Fatalf("a 2021 listing after a year: %s %v", r.Kind, r.Fields)
	}
	if en := serious(recent); en["until"] != "2022-10-17" || en["ended"] != "cured" {
		t.Errorf("the entry after early removal: %v", en)
	}
	e.call("POST", path(recent), e.reg.Token, apply(recent, sr["id"])).expect(t, 409)
}
