package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/draw"
)

// Populate makes a store with a row in every table the register answers from: the six
// years of the enforcement story (filings, orders, listings, markings, an objection upheld,
// removals, warnings, a serious listing and its ban, withdrawals, expiries), then in 2024 a
// department's licence, a spot-check draw with results that find listing grounds and
// issue an order, and a report answered as false. Tests that tamper with a copy of a real
// store start from it.
func Populate(t *testing.T, open Opener) *Fixture {
	t.Helper()
	k := sixYears(t, open)
	f, ctx := k.f, context.Background()
	f.Clock.Set(At("2024-07-10T10:00:00+08:00"))
	if _, _, err := f.Svc.CreateAccount(ctx, gongshi.NewAccount{ID: "dept-env", Name: "上海市生态环境局", Role: gongshi.RoleDepartment, Kinds: []string{"licence", "penalty"}}); err != nil {
		t.Fatal(err)
	}
	dept, err := f.Svc.Store.Account(ctx, "dept-env")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.Publish(ctx, dept, k.e, gongshi.Publication{Kind: "licence", Arose: "2024-07-08", Fields: map[string]any{
		"licence_no": "沪环许〔2024〕8号", "name": "排污许可证", "action": "granted", "issuer": "上海市生态环境局", "valid_from": "2024-07-08"}}); err != nil {
		t.Fatal(err)
	}

	codes := SpotCheckWorld(t, f, 40, 4)
	pudong := &gongshi.Account{ID: "reg-310115", Name: "浦东新区市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310115"}
	// Lists of check items: Pudong's, corrected and named by the draw; a department's,
	// withdrawn.
	item, err := f.Svc.PublishCheckItem(ctx, pudong, CheckItemFields("企业公示信息的抽查"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.CorrectCheckItem(ctx, pudong, item.ID, gongshi.Amendment{Reason: "检查依据修订", Fields: map[string]any{"basis": "《企业信息公示暂行条例》第十四条"}}); err != nil {
		t.Fatal(err)
	}
	envItem, err := f.Svc.PublishCheckItem(ctx, dept, CheckItemFields("排污单位的抽查"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.WithdrawCheckItem(ctx, dept, envItem.ID, "调整为重点检查"); err != nil {
		t.Fatal(err)
	}
	d, err := f.Svc.PlanDraw(ctx, pudong, gongshi.DrawPlan{Title: "2024年浦东新区双随机抽查", SampleSize: 6, CheckItems: []string{item.ID}})
	if err != nil {
		t.Fatal(err)
	}
	f.Clock.Add(time.Hour)
	if d, err = f.Svc.RunDraw(ctx, pudong, d.Number); err != nil {
		t.Fatal(err)
	}
	drawn := selected(t, f, d.Number)
	for i, r := range []gongshi.CheckResult{
		{Method: "on_site", Findings: "公示信息与实际不符", Outcome: gongshi.OutcomeFalse},
		{Method: "delegated", Firm: "上海立信会计师事务所", Findings: "住所无法联系", Outcome: gongshi.OutcomeUnreachable},
		{Method: "network", Findings: "未公示股权变更", Outcome: gongshi.OutcomeNotDisclosed, Item: "equity_transfer"},
		{Method: "written", Findings: "未发现问题", Outcome: "normal"},
	} {
		r.Enterprise, r.Checked = drawn[i], "2024-07-10"
		if _, err := f.Svc.RecordResult(ctx, pudong, d.Number, r); err != nil {
			t.Fatal(err)
		}
	}
	if rs, err := f.Svc.SearchResults(ctx, "310000", gongshi.OutcomeFalse, calendar.MustDate(2024, 7, 10), calendar.MustDate(2024, 7, 10), 0); err != nil || len(rs) != 1 || rs[0].Enterprise != drawn[0] {
		t.Fatalf("search of results: %d (%v), want the one false-information result", len(rs), err)
	}
	c, err := f.Svc.FileCase(ctx, gongshi.CaseForm{Kind: "report", Enterprise: codes[len(codes)-1], Subject: "年报从业人数虚假",
		Content: "该企业年度报告从业人数与实际不符。", Person: map[string]any{"name": "钱七", "id_number": "110101199003074514", "phone": "13800138000"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.AnswerCase(ctx, pudong, c.Number, gongshi.CaseAnswer{Outcome: gongshi.OutcomeFalse, Answer: "经核查，举报属实"}); err != nil {
		t.Fatal(err)
	}
	f.Clock.Set(At("2024-07-25T10:00:00+08:00"))
	if _, err := f.Svc.Sweep(ctx, gongshi.SweepOptions{AsOf: calendar.DateOf(f.Clock.Now())}); err != nil {
		t.Fatal(err)
	}
	return f
}

// selected returns the enterprises a draw selected, in rank order.
func selected(t *testing.T, f *Fixture, number string) []string {
	t.Helper()
	results, err := f.Svc.DrawText(context.Background(), number, "result")
	if err != nil {
		t.Fatal(err)
	}
	as, err := draw.ParseResult(results)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Code
	}
	return out
}
