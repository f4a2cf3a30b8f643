package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// testEarlyRemoval: early removal from the serious list (SAMR Order 44, from 2021-09-01).
// A, serious-listed in 2019 under the 2014 rules, is refused in 2020 and again in 2022,
// naming the 2014 term; B and C, serious-listed on 2021-10-15, are refused before a year
// (naming list.serious.early@2021-09-01 and the day it allows); then B is refused while its
// obligations are unfulfilled and removed once they are — a serious_removal ends its entry
// — and C, fined in 2022, is refused naming the penalty. A removal application's case on a
// serious entry is not the way round the conditions.
func testEarlyRemoval(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	a, b, c := USCC(730), USCC(731), USCC(732)
	at := func(day string) { f.Clock.Set(At(day + "T10:00:00+08:00")) }
	at("2016-09-05")
	for i, code := range []string{a, b, c} {
		f.RegisterTyped(t, code, fmt.Sprintf("上海提前移出%c农民专业合作社", []rune("甲乙丙")[i]), "农民专业合作社", "2016-09-01")
	}
	list := func(code, verified string, n int) {
		t.Helper()
		if _, err := f.Svc.DecideListing(ctx, f.Reg, code, gongshi.ListingDecision{Ground: gongshi.GroundUnreachable, Verified: verified,
			Facts: "经实地核查，通过登记的住所无法联系", DocumentNo: fmt.Sprintf("浦市监异〔%s〕%d号", verified[:4], n)}); err != nil {
			t.Fatal(err)
		}
	}
	sweep := func(day string) {
		t.Helper()
		at(day)
		if _, err := f.Svc.Sweep(ctx, gongshi.SweepOptions{AsOf: calendar.DateOf(f.Clock.Now())}); err != nil {
			t.Fatal(err)
		}
	}
	liaisons := map[string]*gongshi.Account{}
	for _, code := range []string{a, b, c} {
		liaisons[code] = f.Liaison(t, "l-"+code, code)
	}
	at("2016-10-10")
	list(a, "2016-10-09", 1)
	for y := 2017; y <= 2022; y++ {
		at(itoa(y) + "-03-01")
		for _, code := range []string{a, b, c} {
			if _, _, err := f.Svc.FileAnnualReport(ctx, liaisons[code], code, gongshi.AnnualReportFiling{Year: y - 1, Fields: coopReport}); err != nil {
				t.Fatalf("file %d of %s: %v", y-1, code, err)
			}
		}
		switch y {
		case 2018:
			at("2018-10-10")
			list(b, "2018-10-09", 2)
			list(c, "2018-10-09", 3)
		case 2019:
			sweep("2019-10-24")
		case 2021:
			sweep("2021-10-15")
		case 2022:
			at("2022-03-01")
			if _, err := f.Svc.Publish(ctx, f.Reg, c, gongshi.Publication{Kind: "penalty", Arose: "2022-03-01", Fields: map[string]any{
				"decision_no": "沪市监浦处〔2022〕7号", "violation": "虚假宣传", "content": "罚款5万元", "fine": "50000",
				"authority": "上海市浦东新区市场监督管理局", "decided": "2022-03-01"}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	serious := func(code string) *gongshi.ListEntry {
		t.Helper()
		es, err := f.Svc.EnterpriseListings(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.List == gongshi.ListSerious {
				return e
			}
		}
		t.Fatalf("%s has no serious listing: %+v", code, es)
		return nil
	}
	sa, sb, sc := serious(a), serious(b), serious(c)
	if sa.Since != "2019-10-24" || sb.Since != "2021-10-15" || sc.Since != "2021-10-15" {
		t.Fatalf("serious listings since %s, %s, %s; want 2019-10-24, 2021-10-15, 2021-10-15", sa.Since, sb.Since, sc.Since)
	}
	apply := func(code string, e *gongshi.ListEntry, fulfilled bool, n int) *gongshi.Version {
		t.Helper()
		v, err := f.Svc.RemoveEarly(ctx, f.Reg, code, gongshi.EarlyRemovalApplication{Entry: e.ID, ObligationsFulfilled: fulfilled, HarmRemoved: true,
			DocumentNo: fmt.Sprintf("浦市监信修〔%d〕%d号", f.Clock.Now().Year(), n)})
		if err != nil {
			t.Fatalf("early removal of %s: %v", code, err)
		}
		if v.Kind != "serious_early_removal" {
			t.Fatalf("kind %s", v.Kind)
		}
		return v
	}
	unmet := func(v *gongshi.Version) string { s, _ := v.Fields["unmet"].(string); return s }

	at("2020-12-01")
	if v := apply(a, sa, true, 1); v.Fields["outcome"] != gongshi.OutcomeRefused || !strings.Contains(unmet(v), "2014年") || !strings.Contains(unmet(v), "list.serious.term@2014-10-01") {
		t.Errorf("A in 2020: %v, want refused naming the 2014 rules and their term", v.Fields)
	}
	at("2022-06-01")
	if v := apply(a, sa, true, 2); v.Fields["outcome"] != gongshi.OutcomeRefused || !strings.Contains(unmet(v), "2024-10-24") {
		t.Errorf("A in 2022: %v, want refused, removed with its term on 2024-10-24", v.Fields)
	}
	if v := apply(b, sb, true, 3); v.Fields["outcome"] != gongshi.OutcomeRefused || v.Fields["eligible_from"] != "2022-10-15" || v.Fields["eligibility_policy"] != "list.serious.early@2021-09-01" {
		t.Errorf("B before a year: %v, want refused, eligible from 2022-10-15 under list.serious.early@2021-09-01", v.Fields)
	}
	// A removal application's case is no way round the conditions.
	app, err := f.Svc.ApplyForRemoval(ctx, liaisons[b], b, gongshi.CaseInput{Entry: sb.ID, Reason: "已履行义务"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.DecideCase(ctx, f.Reg, app.ID, gongshi.CaseDecision{Outcome: gongshi.OutcomeRemoved, DocumentNo: "浦市监移〔2022〕1号", Answer: "准予移出"}); gongshi.ErrorCode(err) != gongshi.ECONFLICT || !strings.Contains(err.Error(), "early-removals") {
		t.Errorf("a serious entry removed through a removal case: got %v, want a conflict naming early removal", err)
	}

	at("2022-10-17")
	if v := apply(b, sb, false, 4); v.Fields["outcome"] != gongshi.OutcomeRefused || !strings.Contains(unmet(v), "义务") || strings.Contains(unmet(v), "2022-10-15") {
		t.Errorf("B with obligations unfulfilled: %v, want refused for them alone", v.Fields)
	}
	if v := apply(c, sc, true, 5); v.Fields["outcome"] != gongshi.OutcomeRefused || !strings.Contains(unmet(v), "沪市监浦处〔2022〕7号") {
		t.Errorf("C, fined since: %v, want refused naming the penalty", v.Fields)
	}
	v := apply(b, sb, true, 6)
	if v.Fields["outcome"] != gongshi.OutcomeRemoved || v.Fields["unmet"] != nil {
		t.Fatalf("B after a year: %v, want removed", v.Fields)
	}
	e := serious(b)
	if e.Until != "2022-10-17" || e.Ended != gongshi.EndCured || e.EndRecord == "" {
		t.Fatalf("B's serious entry after early removal: %+v", e)
	}
	rec, _, err := f.Svc.Record(ctx, gongshi.Anonymous, e.EndRecord)
	if err != nil || rec.Latest().Kind != "serious_removal" || !strings.Contains(fmt.Sprint(rec.Latest().Fields["reason"]), "浦市监信修〔2022〕6号") {
		t.Errorf("the removal: %v %+v", err, rec)
	}
	if r, err := f.Svc.CreditCheck(ctx, gongshi.CreditCheckRequest{AsOf: "2022-10-17", Codes: []string{b}}); err != nil || hasList(r.Results[0], gongshi.ListSerious) {
		t.Errorf("credit check of B after early removal: %v %+v", err, r)
	}
	if _, err := f.Svc.RemoveEarly(ctx, f.Reg, b, gongshi.EarlyRemovalApplication{Entry: sb.ID, ObligationsFulfilled: true, HarmRemoved: true, DocumentNo: "浦市监信修〔2022〕9号"}); gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		t.Errorf("early removal of an ended entry: got %v, want conflict", err)
	}
	if _, err := f.Svc.RemoveEarly(ctx, f.Reg, b, gongshi.EarlyRemovalApplication{Entry: sc.ID, DocumentNo: "浦市监信修〔2022〕9号"}); gongshi.ErrorCode(err) != gongshi.EINVALID {
		t.Errorf("another enterprise's entry: got %v, want invalid", err)
	}
}
