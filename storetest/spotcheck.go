package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/draw"
	"github.com/gongshi/gongshi/ident"
)

// RunSpotChecks runs the suite of spot checks (Art. 14, 15) and cases (Art. 12, 13).
func RunSpotChecks(t *testing.T, open Opener) {
	t.Run("DrawVerifiable", func(t *testing.T) { testDrawVerifiable(t, open) })
	t.Run("DirectedDraw", func(t *testing.T) { testDirectedDraw(t, open) })
	t.Run("DrawStrata", func(t *testing.T) { testDrawStrata(t, open) })
	t.Run("DrawJurisdictions", func(t *testing.T) { testDrawJurisdictions(t, open) })
	t.Run("CheckItems", func(t *testing.T) { testCheckItems(t, open) })
	t.Run("Cases", func(t *testing.T) { testCases(t, open) })
}

// SpotCheckWorld registers n enterprises in Pudong (310115) and two in Huangpu (310101),
// and puts inspectors on the roster, the first with a conflict with the first enterprise.
func SpotCheckWorld(t *testing.T, f *Fixture, n, inspectors int) []string {
	t.Helper()
	ctx := context.Background()
	var codes []string
	for i := 0; i < n; i++ {
		codes = append(codes, USCC(100+i))
		f.Register(t, codes[i], fmt.Sprintf("上海抽查测试%03d科技有限公司", i), "李四")
	}
	for i := 0; i < 2; i++ {
		c, _ := ident.GenerateUSCC('9', '1', "310101", uint64(5000+i))
		reg := Registration(c.String(), fmt.Sprintf("上海黄浦测试%d有限公司", i), "王五")
		if _, _, err := f.Svc.Register(ctx, f.Reg, reg); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < inspectors; i++ {
		id := fmt.Sprintf("inspector-%02d", i)
		if _, _, err := f.Svc.CreateAccount(ctx, gongshi.NewAccount{ID: id, Name: "检查员" + id, Role: gongshi.RoleRegulator, Jurisdiction: "310115"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Svc.AddInspector(ctx, f.Reg, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.Svc.DeclareConflict(ctx, f.Reg, "inspector-00", gongshi.Conflict{Enterprise: codes[0], Reason: "亲属任职"}); err != nil {
		t.Fatal(err)
	}
	return codes
}

// testDrawJurisdictions: a draw's population is the enterprises whose division lies in its
// jurisdiction — a district, a city, a province — and none beside (the store reads it as a
// range of division codes: a city whose code ends in 9 is followed by one ending in 10).
func testDrawJurisdictions(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	f.Register(t, USCC(1), "上海浦东抽查范围有限公司", "李四")
	jiangsu := regulator("320000")
	for i, div := range []string{"320102", "320104", "320205", "320902", "321002"} {
		c, _ := ident.GenerateUSCC('9', '1', div, uint64(7000+i))
		if _, _, err := f.Svc.Register(ctx, jiangsu, Registration(c.String(), fmt.Sprintf("江苏抽查范围%d有限公司", i), "王五")); err != nil {
			t.Fatal(err)
		}
	}
	for j, want := range map[string]int{"320102": 1, "320100": 2, "320200": 1, "320900": 1, "321000": 1, "320000": 5, "310000": 1, "330000": 0} {
		actor := jiangsu
		if j[:2] != "32" {
			actor = regulator(j)
		}
		pop, err := f.Svc.PreviewDraw(ctx, actor, gongshi.DrawPlan{Title: "范围", SampleSize: 1, Jurisdiction: j})
		if err != nil || pop.Count != want {
			t.Errorf("jurisdiction %s: population %+v, %v; want %d", j, pop, err, want)
		}
	}
}

func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	e := gongshi.AsError(err)
	if e == nil || e.Code != code || (field != "" && e.Field != field) {
		t.Fatalf("got error %v, want %s on field %q", err, code, field)
	}
}

func testDrawVerifiable(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	codes := SpotCheckWorld(t, f, 40, 4)
	pudong := &gongshi.Account{ID: "reg-310115", Name: "浦东新区市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310115"}
	plan := gongshi.DrawPlan{Title: "2026年浦东新区双随机抽查", SampleSize: 1}

	// 3% of 40 is 1.2: at least 2.
	_, err := f.Svc.PlanDraw(ctx, pudong, plan)
	wantCode(t, err, gongshi.EINVALID, "sample_size")
	plan.SampleSize = 41
	_, err = f.Svc.PlanDraw(ctx, pudong, plan)
	wantCode(t, err, gongshi.EINVALID, "sample_size")
	_, err = f.Svc.PlanDraw(ctx, pudong, gongshi.DrawPlan{Title: "x", SampleSize: 5, Jurisdiction: "310101"})
	wantCode(t, err, gongshi.EFORBIDDEN, "jurisdiction")

	plan.SampleSize = 6
	d, err := f.Svc.PlanDraw(ctx, pudong, plan)
	if err != nil {
		t.Fatal(err)
	}
	if d.Number != "D2026-310115-0001" || d.PopulationCount != 40 || d.Minimum != 2 || d.State != gongshi.DrawPlanned || d.Seed != "" {
		t.Fatalf("plan: %+v", d)
	}
	pub, err := f.Svc.Draw(ctx, d.Number)
	if err != nil || pub.Seed != "" || pub.SeedSHA256 != d.SeedSHA256 {
		t.Fatalf("published plan reveals the seed or differs: %+v %v", pub, err)
	}
	pop, err := f.Svc.DrawText(ctx, d.Number, "population")
	if err != nil || draw.Digest(pop) != d.PopulationSHA256 || strings.Count(string(pop), "\n") != 40 {
		t.Fatalf("population text does not hash to the published digest: %v", err)
	}
	if strings.Contains(string(pop), "310101") {
		t.Error("the population of Pudong holds a Huangpu enterprise")
	}
	if _, err := f.Svc.DrawText(ctx, d.Number, "result"); gongshi.ErrorCode(err) != gongshi.ENOTFOUND {
		t.Errorf("result before the draw: got %v, want not found", err)
	}
	planDoc := document(t, f, d.Versions[0].SHA256)
	if planDoc["seed_sha256"] != d.SeedSHA256 || planDoc["seed"] != nil || planDoc["population"].(map[string]any)["sha256"] != d.PopulationSHA256 {
		t.Fatalf("plan document: %v", planDoc)
	}
	if cp := planDoc["population"].(map[string]any)["checkpoint"].(map[string]any); cp["size"] == nil || cp["root"] == "" {
		t.Fatalf("plan document lacks its checkpoint: %v", planDoc)
	}

	// Results are refused before the draw.
	_, err = f.Svc.RecordResult(ctx, pudong, d.Number, gongshi.CheckResult{Enterprise: codes[1], Method: "written", Checked: "2026-06-01", Findings: "x", Outcome: "normal"})
	wantCode(t, err, gongshi.ECONFLICT, "")

	f.Clock.Add(time.Hour)
	d, err = f.Svc.RunDraw(ctx, pudong, d.Number)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.RunDraw(ctx, pudong, d.Number); gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		t.Errorf("second draw: got %v, want conflict", err)
	}
	seed, err := draw.ParseSeed(d.Seed)
	if err != nil || seed.Commitment() != d.SeedSHA256 {
		t.Fatalf("revealed seed %q does not match its commitment: %v", d.Seed, err)
	}
	rosterText, _ := f.Svc.DrawText(ctx, d.Number, "roster")
	if draw.Digest(rosterText) != d.RosterSHA256 || !strings.Contains(string(rosterText), "inspector-00\t"+codes[0]) {
		t.Fatalf("roster text %q does not match", rosterText)
	}
	result, _ := f.Svc.DrawText(ctx, d.Number, "result")
	popCodes, _ := draw.ParsePopulation(pop)
	roster, _ := draw.ParseRoster(rosterText)
	as, err := draw.Run(seed, popCodes, 6, roster, 2)
	if err != nil || string(draw.Result(as)) != string(result) || draw.Digest(result) != d.ResultSHA256 {
		t.Fatalf("re-derived result differs: %v\n%s\nvs\n%s", err, draw.Result(as), result)
	}
	drawDoc := document(t, f, d.Versions[1].SHA256)
	if drawDoc["seed"] != d.Seed || drawDoc["result_sha256"] != d.ResultSHA256 || drawDoc["previous"] != d.Versions[0].SHA256 {
		t.Fatalf("draw document: %v", drawDoc)
	}

	// Results: one per selected enterprise; outcomes make listing grounds.
	selected := map[string]bool{}
	for _, a := range as {
		selected[a.Code] = true
	}
	var notSelected string
	for _, c := range codes {
		if !selected[c] {
			notSelected = c
			break
		}
	}
	good := gongshi.CheckResult{Enterprise: as[0].Code, Method: "on_site", Checked: "2026-06-01", Findings: "公示信息与实际不符", Outcome: gongshi.OutcomeFalse}
	_, err = f.Svc.RecordResult(ctx, pudong, d.Number, gongshi.CheckResult{Enterprise: notSelected, Method: "written", Checked: "2026-06-01", Findings: "x", Outcome: "normal"})
	wantCode(t, err, gongshi.EINVALID, "enterprise")
	bad := good
	bad.Method = "delegated"
	_, err = f.Svc.RecordResult(ctx, pudong, d.Number, bad)
	wantCode(t, err, gongshi.EINVALID, "firm")
	bad = good
	bad.Outcome = "sort_of"
	_, err = f.Svc.RecordResult(ctx, pudong, d.Number, bad)
	wantCode(t, err, gongshi.EINVALID, "outcome")

	r, err := f.Svc.RecordResult(ctx, pudong, d.Number, good)
	if err != nil {
		t.Fatal(err)
	}
	if r.Ground != 3 || r.Version.Kind != "spot_check_result" || r.Version.Subject != as[0].Code {
		t.Fatalf("result: %+v", r)
	}
	if _, err := f.Svc.RecordResult(ctx, pudong, d.Number, good); gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		t.Errorf("second result: got %v, want conflict", err)
	}
	_, err = f.Svc.RecordResult(ctx, pudong, d.Number, gongshi.CheckResult{Enterprise: as[1].Code, Method: "delegated", Firm: "上海立信会计师事务所",
		Checked: "2026-06-01", Findings: "住所无法联系", Outcome: gongshi.OutcomeUnreachable})
	if err != nil {
		t.Fatal(err)
	}
	nd := gongshi.CheckResult{Enterprise: as[2].Code, Method: "network", Checked: "2026-06-01", Findings: "未公示股权变更", Outcome: gongshi.OutcomeNotDisclosed}
	_, err = f.Svc.RecordResult(ctx, pudong, d.Number, nd)
	wantCode(t, err, gongshi.EINVALID, "item")
	nd.Item = "equity_transfer"
	r, err = f.Svc.RecordResult(ctx, pudong, d.Number, nd)
	if err != nil {
		t.Fatal(err)
	}
	if r.Order == "" {
		t.Fatal("a not_disclosed outcome issued no order")
	}
	if order, _, err := f.Svc.Record(ctx, f.Reg, r.Order); err != nil || order.Kind != "order" || order.Latest().Fields["item"] != "equity_transfer" {
		t.Fatalf("order: %+v %v", order, err)
	}
	grounds, err := f.Svc.ListingGrounds(ctx, f.Reg, as[0].Code)
	if err != nil || len(grounds) != 1 || grounds[0].Ground != 3 || grounds[0].SourceRef != d.Number {
		t.Fatalf("listing grounds of %s: %+v %v", as[0].Code, grounds, err)
	}
	if g, _ := f.Svc.ListingGrounds(ctx, f.Reg, as[1].Code); len(g) != 1 || g[0].Ground != 4 {
		t.Fatalf("listing grounds of %s: %+v", as[1].Code, g)
	}
	results, err := f.Svc.SpotCheckResults(ctx, d.Number)
	if err != nil || len(results) != 3 || results[0].Version == nil {
		t.Fatalf("results: %+v %v", results, err)
	}
	_, recs, err := f.Svc.Records(ctx, gongshi.Anonymous, as[0].Code)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, rec := range recs {
		if rec.Kind == "spot_check_result" && rec.Latest().Fields["outcome"] == gongshi.OutcomeFalse {
			found = true
		}
	}
	if !found {
		t.Error("the result is not on the enterprise's page")
	}
	// A regulator may not publish a result outside a draw.
	if _, err := f.Svc.Publish(ctx, f.Reg, as[3].Code, gongshi.Publication{Kind: "spot_check_result", Arose: "2026-06-01", Fields: map[string]any{}}); gongshi.ErrorCode(err) == "" {
		t.Error("a free-standing spot_check_result was published")
	}
}

func document(t *testing.T, f *Fixture, sha string) map[string]any {
	t.Helper()
	m := documentOf(t, f, sha)
	if m["type"] != gongshi.SpotCheckDocumentType {
		t.Fatalf("document type %v", m["type"])
	}
	return m
}

func testDirectedDraw(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	SpotCheckWorld(t, f, 10, 3)
	// Shanghai-wide, directed at Huangpu: 2 enterprises, minimum 1.
	d, err := f.Svc.PlanDraw(ctx, f.Reg, gongshi.DrawPlan{Title: "黄浦区定向抽查", SampleSize: 1, Stratum: &gongshi.Stratum{Divisions: []string{"310101"}, Statuses: []string{"存续"}}})
	if err != nil {
		// The roster lies in Pudong, inside Shanghai: it is Shanghai's roster too.
		t.Fatal(err)
	}
	if !d.Directed || d.PopulationCount != 2 || d.Minimum != 1 || d.Number != "D2026-310000-0001" {
		t.Fatalf("directed plan: %+v", d)
	}
	_, err = f.Svc.PlanDraw(ctx, f.Reg, gongshi.DrawPlan{Title: "x", SampleSize: 1, Stratum: &gongshi.Stratum{Types: []string{"合伙企业"}}})
	wantCode(t, err, gongshi.EINVALID, "stratum")
	_, err = f.Svc.PlanDraw(ctx, f.Reg, gongshi.DrawPlan{Title: "x", SampleSize: 1, Stratum: &gongshi.Stratum{Types: []string{"公司"}}})
	wantCode(t, err, gongshi.EINVALID, "stratum.types[0]")
	_, err = f.Svc.PlanDraw(ctx, f.Reg, gongshi.DrawPlan{Title: "x", SampleSize: 1, InspectorsPerEnterprise: 4})
	wantCode(t, err, gongshi.EINVALID, "inspectors_per_enterprise")
	d, err = f.Svc.RunDraw(ctx, f.Reg, d.Number)
	if err != nil || d.State != gongshi.DrawDrawn {
		t.Fatalf("run: %+v %v", d, err)
	}
	list, err := f.Svc.Draws(ctx, "310000")
	if err != nil || len(list) != 1 {
		t.Fatalf("draws: %v %v", list, err)
	}

	// A stratum of list status, as of the day of the draw: before the 30 June sweep none of
	// the 12 is listed; after it those without a 2025 report are on the abnormal list.
	pop := func(lists ...string) int {
		t.Helper()
		d, err := f.Svc.PlanDraw(ctx, f.Reg, gongshi.DrawPlan{Title: "按名录状态定向抽查", SampleSize: 1, Stratum: &gongshi.Stratum{Lists: lists}})
		if gongshi.ErrorCode(err) == gongshi.EINVALID {
			return 0
		}
		if err != nil {
			t.Fatal(err)
		}
		return d.PopulationCount
	}
	if n, m := pop(gongshi.ListNone), pop(gongshi.ListAbnormal); n != 12 || m != 0 {
		t.Errorf("before the sweep: %d on no list, %d on the abnormal list; want 12 and 0", n, m)
	}
	_, err = f.Svc.PlanDraw(ctx, f.Reg, gongshi.DrawPlan{Title: "x", SampleSize: 1, Stratum: &gongshi.Stratum{Lists: []string{"black"}}})
	wantCode(t, err, gongshi.EINVALID, "stratum.lists[0]")
	f.Clock.Set(At("2026-07-02T10:00:00+08:00"))
	if _, err := f.Svc.Sweep(ctx, gongshi.SweepOptions{AsOf: calendar.MustDate(2026, 7, 2)}); err != nil {
		t.Fatal(err)
	}
	listed, none := pop(gongshi.ListAbnormal), pop(gongshi.ListNone)
	if listed == 0 || listed+none != 12 || pop(gongshi.ListAbnormal, gongshi.ListNone) != 12 {
		t.Errorf("after the sweep: %d listed, %d on no list; want some listed, 12 in all", listed, none)
	}
}

func testCases(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	code := USCC(7)
	f.Register(t, code, "上海被举报贸易有限公司", "赵六")
	person := map[string]any{"name": "钱七", "id_number": "110101199003074514", "phone": "13800138000"}
	report := gongshi.CaseForm{Kind: "report", Enterprise: code, Subject: "年报从业人数虚假", Content: "该企业2025年度报告从业人数与实际不符。",
		Evidence: []any{map[string]any{"description": "社保缴费记录", "url": "https://example.org/e1"}}, Person: person}

	// Bad input names the field; nothing is stored.
	noID := report
	noID.Person = map[string]any{"name": "钱七", "phone": "13800138000"}
	_, err := f.Svc.FileCase(ctx, noID)
	wantCode(t, err, gongshi.EINVALID, "person.id_number")
	noContact := report
	noContact.Person = map[string]any{"name": "钱七", "id_number": "110101199003074514"}
	_, err = f.Svc.FileCase(ctx, noContact)
	wantCode(t, err, gongshi.EINVALID, "person")
	noEnt := report
	noEnt.Enterprise = ""
	_, err = f.Svc.FileCase(ctx, noEnt)
	wantCode(t, err, gongshi.EINVALID, "enterprise")
	badKind := report
	badKind.Kind = "complaint"
	_, err = f.Svc.FileCase(ctx, badKind)
	wantCode(t, err, gongshi.EINVALID, "kind")

	// Due dates: 20 working days, across National Day 2026 and Spring Festival 2027.
	for _, tc := range []struct{ at, kind, due string }{
		{"2026-09-15T10:00:00+08:00", "report", "2026-10-19"},
		{"2026-09-28T10:00:00+08:00", "inquiry", "2026-10-30"},
		{"2027-01-20T10:00:00+08:00", "correction_request", "2027-02-23"},
	} {
		f.Clock.Set(At(tc.at))
		in := report
		in.Kind = tc.kind
		c, err := f.Svc.FileCase(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if c.Due != tc.due || c.State != gongshi.CaseReceived {
			t.Errorf("%s received %s: due %s, want %s", tc.kind, tc.at[:10], c.Due, tc.due)
		}
	}

	f.Clock.Set(At("2026-09-15T11:00:00+08:00"))
	c, err := f.Svc.FileCase(ctx, report)
	if err != nil {
		t.Fatal(err)
	}
	if c.Number != "J2026-310115-000003" {
		t.Errorf("case number: got %s, want J2026-310115-000003", c.Number)
	}
	// The filer's lookup, with the check code: state and dates, never the reporter nor the
	// content. Without the code, or with another case's, the case is not found.
	if c.Check == "" || c.CheckHash == "" {
		t.Fatalf("filed case has no check code: %+v", c)
	}
	pub, err := f.Svc.Case(ctx, gongshi.Anonymous, c.Number, c.Check)
	if err != nil || pub.Person != nil || pub.Content != "" || pub.Due != "2026-10-19" || pub.Check != "" || pub.CheckHash != "" {
		t.Fatalf("public case view: %+v %v", pub, err)
	}
	liaison := &gongshi.Account{ID: "liaison", Role: gongshi.RoleEnterprise, Enterprise: code}
	shenzhen := regulator("440300")
	for who, viewer := range map[string]*gongshi.Account{"the public": gongshi.Anonymous, "the enterprise reported on": liaison, "a regulator out of scope": shenzhen} {
		for _, check := range []string{"", "2222-2222-2222"} {
			if _, err := f.Svc.Case(ctx, viewer, c.Number, check); gongshi.ErrorCode(err) != gongshi.ENOTFOUND {
				t.Errorf("%s looks the case up with check code %q: got %v, want not found", who, check, err)
			}
		}
	}
	if v, _ := f.Svc.Case(ctx, liaison, c.Number, c.Check); v.Person != nil {
		t.Error("the enterprise reported on, with the code, sees its reporter")
	}
	if v, _ := f.Svc.Case(ctx, f.Reg, c.Number, ""); v.Person["id_number"] != "110101199003074514" || v.Content == "" {
		t.Errorf("the regulator in scope does not see the report: %+v", v)
	}
	if _, err := f.Svc.ReviewCase(ctx, shenzhen, c.Number); gongshi.ErrorCode(err) != gongshi.EFORBIDDEN {
		t.Errorf("review out of scope: got %v, want forbidden", err)
	}

	// The queue: open cases by due date; overdue after the due date.
	f.Clock.Set(At("2026-10-20T09:00:00+08:00"))
	q, err := f.Svc.CaseQueue(ctx, f.Reg, false)
	if err != nil || len(q) != 4 {
		t.Fatalf("queue: %d cases, %v", len(q), err)
	}
	if !q[0].Overdue || q[0].Due != "2026-10-19" || q[len(q)-1].Overdue {
		t.Errorf("queue order or overdue flags wrong: %s %v … %s %v", q[0].Due, q[0].Overdue, q[len(q)-1].Due, q[len(q)-1].Overdue)
	}
	if q, _ := f.Svc.CaseQueue(ctx, shenzhen, false); len(q) != 0 {
		t.Errorf("Shenzhen's queue holds %d Shanghai cases", len(q))
	}

	if _, err := f.Svc.ReviewCase(ctx, f.Reg, c.Number); err != nil {
		t.Fatal(err)
	}
	_, err = f.Svc.AnswerCase(ctx, f.Reg, c.Number, gongshi.CaseAnswer{Outcome: "corrected", Answer: "x"})
	wantCode(t, err, gongshi.EINVALID, "outcome")
	ans, err := f.Svc.AnswerCase(ctx, f.Reg, c.Number, gongshi.CaseAnswer{Outcome: gongshi.OutcomeFalse, Answer: "经核查，举报属实，依法列入经营异常名录。"})
	if err != nil {
		t.Fatal(err)
	}
	if ans.State != gongshi.CaseAnswered || ans.AnswerVersion == nil || ans.AnswerVersion.Kind != "case_answer" {
		t.Fatalf("answer: %+v", ans)
	}
	if strings.Contains(string(ans.AnswerVersion.Document), "钱七") || strings.Contains(string(ans.AnswerVersion.Document), "110101199003074514") {
		t.Error("the published answer names the reporter")
	}
	if g, _ := f.Svc.ListingGrounds(ctx, f.Reg, code); len(g) != 1 || g[0].Ground != 3 || g[0].Source != "case" {
		t.Errorf("listing grounds after a true report: %+v", g)
	}
	if _, err := f.Svc.AnswerCase(ctx, f.Reg, c.Number, gongshi.CaseAnswer{Outcome: "unfounded", Answer: "x"}); gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		t.Errorf("second answer: got %v, want conflict", err)
	}
	closed, err := f.Svc.CloseCase(ctx, f.Reg, c.Number)
	if err != nil || closed.State != gongshi.CaseClosed {
		t.Fatalf("close: %+v %v", closed, err)
	}
	pub, _ = f.Svc.Case(ctx, gongshi.Anonymous, c.Number, c.Check)
	if pub.State != gongshi.CaseClosed || pub.Answer == "" || pub.Person != nil || pub.AnswerVersion == nil {
		t.Errorf("public view of the closed report: %+v", pub)
	}
	if q, _ := f.Svc.CaseQueue(ctx, f.Reg, false); len(q) != 3 {
		t.Errorf("open queue after closing: %d, want 3", len(q))
	}

	// A correction request about a department's record goes to that department's queue
	// (Art. 12), not to the regulator's.
	if _, _, err := f.Svc.CreateAccount(ctx, gongshi.NewAccount{ID: "dept-env", Name: "上海市生态环境局", Role: gongshi.RoleDepartment, Jurisdiction: "310000", Kinds: []string{"licence"}}); err != nil {
		t.Fatal(err)
	}
	dept, err := f.Svc.Store.Account(ctx, "dept-env")
	if err != nil {
		t.Fatal(err)
	}
	lic, err := f.Svc.Publish(ctx, dept, code, gongshi.Publication{Kind: "licence", Arose: "2026-10-19", Fields: map[string]any{
		"licence_no": "沪环许〔2026〕8号", "name": "排污许可证", "action": "granted", "issuer": "上海市生态环境局", "valid_from": "2026-10-19"}})
	if err != nil {
		t.Fatal(err)
	}
	routed, err := f.Svc.FileCase(ctx, gongshi.CaseForm{Kind: "correction_request", Enterprise: code, Record: lic.Record, Subject: "许可期限有误",
		Content: "有效期应为五年。", Person: map[string]any{"name": "钱七", "phone": "13800138000"}})
	if err != nil || routed.Handler != "dept-env" {
		t.Fatalf("correction request about a department's licence: %+v %v", routed, err)
	}
	if q, err := f.Svc.CaseQueue(ctx, dept, false); err != nil || len(q) != 1 || q[0].Number != routed.Number {
		t.Errorf("department queue: got %d cases (%v), want the one routed to it", len(q), err)
	}
	if q, _ := f.Svc.CaseQueue(ctx, f.Reg, false); len(q) != 3 {
		t.Errorf("regulator queue after a case routed to a department: %d, want 3", len(q))
	}
	if _, err := f.Svc.ReviewCase(ctx, f.Reg, routed.Number); gongshi.ErrorCode(err) != gongshi.EFORBIDDEN {
		t.Errorf("the regulator reviews a department's case: got %v, want forbidden", err)
	}
}
