package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/ident"
)

// RunDisclosure runs the self-disclosure suite (Art. 8–12): a year of annual reports,
// corrections, instant disclosures, orders and consents at simulated dates.
func RunDisclosure(t *testing.T, open Opener) {
	t.Run("AnnualReportYear", func(t *testing.T) { testAnnualReportYear(t, open) })
	t.Run("InstantDisclosuresAndOrders", func(t *testing.T) { testOrders(t, open) })
	t.Run("IndividualAndCooperative", func(t *testing.T) { testIndividual(t, open) })
	t.Run("Consent", func(t *testing.T) { testConsent(t, open) })
	t.Run("ObligationsEndWhenItCeases", func(t *testing.T) { testObligationsCeased(t, open) })
	t.Run("FilingCounts", func(t *testing.T) { testFilingCounts(t, open) })
}

// testFilingCounts: a regulator's filing progress counts the reports of the divisions under
// its prefix and no others (the store reads them as a range of divisions: "31" is 310000
// to 319999).
func testFilingCounts(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	f.Clock.Set(At("2026-03-10T10:00:00+08:00"))
	for i, div := range []string{"310101", "310115", "320102", "370102"} {
		c, err := ident.GenerateUSCC('9', '1', div, uint64(7000+i))
		if err != nil {
			t.Fatal(err)
		}
		code := c.String()
		if _, _, err := f.Svc.Register(ctx, regulator(div[:2]+"0000"), Registration(code, fmt.Sprintf("进度测试%d有限公司", i), "王五")); err != nil {
			t.Fatalf("register in %s: %v", div, err)
		}
		if _, _, err := f.Svc.FileAnnualReport(ctx, f.Liaison(t, "liaison-"+code, code), code, gongshi.AnnualReportFiling{Year: 2025, Fields: ReportFields()}); err != nil {
			t.Fatalf("file in %s: %v", div, err)
		}
	}
	for prefix, want := range map[string]int{"": 4, "31": 2, "3101": 2, "310115": 1, "310116": 0, "32": 1, "3201": 1, "33": 0, "37": 1, "38": 0} {
		cs, err := f.Store.FilingCounts(ctx, 2025, prefix)
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for _, c := range cs {
			if !strings.HasPrefix(c.Division, prefix) || c.Filed != "2026-03-10" {
				t.Errorf("prefix %q: counted %+v", prefix, c)
			}
			got += c.Count
		}
		if got != want {
			t.Errorf("prefix %q: %d reports counted, want %d", prefix, got, want)
		}
	}
}

// testObligationsCeased: a deregistered enterprise owes the reports whose window closed
// while it operated, and none after.
func testObligationsCeased(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	code := USCC(60)
	e := f.Register(t, code, "上海已注销贸易有限公司", "张三") // established 2020-03-15
	if _, err := f.Svc.Amend(ctx, f.Reg, e.Registration, gongshi.Amendment{Arose: "2024-03-01", Reason: "注销登记", Fields: map[string]any{"status": "注销"}}); err != nil {
		t.Fatal(err)
	}
	f.Clock.Set(At("2026-07-10T10:00:00+08:00"))
	ob, err := f.Svc.Obligations(ctx, code, calendar.MustDate(2026, 7, 10))
	if err != nil {
		t.Fatal(err)
	}
	var years []int
	for _, r := range ob.AnnualReports {
		if r.Status != gongshi.ReportOverdue {
			t.Errorf("report %d: got status %s, want overdue", r.Year, r.Status)
		}
		years = append(years, r.Year)
	}
	if fmt.Sprint(years) != "[2020 2021 2022]" {
		t.Errorf("deregistered on 2024-03-01: got reports owed for %v, want [2020 2021 2022] (the 2023 window closed after it ceased)", years)
	}
}

// Liaison creates the liaison account of an enterprise.
func (f *Fixture) Liaison(t *testing.T, id, code string) *gongshi.Account {
	t.Helper()
	a, _, err := f.Svc.CreateAccount(context.Background(), gongshi.NewAccount{ID: id, Role: gongshi.RoleEnterprise, Enterprise: code})
	if err != nil {
		t.Fatalf("create liaison %s: %v", id, err)
	}
	return a
}

// RegisterTyped registers an enterprise of a registered type, established on a date.
func (f *Fixture) RegisterTyped(t *testing.T, code, name, typ, established string) {
	t.Helper()
	in := Registration(code, name, "王五")
	in.Fields["type"], in.Fields["established"] = typ, established
	if _, _, err := f.Svc.Register(context.Background(), f.Reg, in); err != nil {
		t.Fatalf("register %s: %v", name, err)
	}
}

// ReportFields are a limited company's annual report: a loss, and of item 7 only the
// number of employees and total assets published.
func ReportFields() map[string]any {
	return map[string]any{
		"mailing_address": "上海市浦东新区张江路88号", "postal_code": "201203", "phone": "021-58880000", "email": "office@example.cn",
		"operating_status": "operating",
		"contributions": []any{map[string]any{"shareholder": "张三", "subscribed": "600", "subscribed_date": "2020-03-15",
			"subscribed_form": "currency", "paid": "300", "paid_date": "2021-01-10", "paid_form": "currency"}},
		"websites":  []any{map[string]any{"type": "website", "name": "官网", "url": "https://example.cn"}},
		"employees": json.Number("25"), "total_assets": "1500", "total_liabilities": "600", "owners_equity": "900",
		"total_revenue": "800", "main_revenue": "700", "total_profit": "-10", "net_profit": "-12.5", "total_tax": "30",
		"publish": map[string]any{"employees": true, "total_assets": true},
	}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

func wantErr(t *testing.T, what string, err error, code, field string) {
	t.Helper()
	e := gongshi.AsError(err)
	if e == nil || e.Code != code || (field != "" && e.Field != field) || e.Fix == "" {
		t.Errorf("%s: got %v (%+v), want %s naming %q with a fix", what, err, e, code, field)
	}
}

func testAnnualReportYear(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	a, b, c := USCC(41), USCC(42), USCC(43)
	f.Register(t, a, "上海甲科技有限公司", "张三")
	f.Register(t, b, "上海乙贸易有限公司", "李四")
	f.RegisterTyped(t, c, "上海丙合伙企业", "合伙企业", "2021-05-01")
	la, lb, lc := f.Liaison(t, "liaison-a", a), f.Liaison(t, "liaison-b", b), f.Liaison(t, "liaison-c", c)

	// 10 March 2026: a draft, then the 2025 report in its window.
	f.Clock.Set(At("2026-03-10T10:00:00+08:00"))
	before, _ := f.Store.File(ctx, gongshi.FileQuery{Code: a})
	if _, d, err := f.Svc.FileAnnualReport(ctx, la, a, gongshi.AnnualReportFiling{Year: 2025, Draft: true, Fields: map[string]any{"phone": "021-1"}}); err != nil || d == nil {
		t.Fatalf("save draft: %v", err)
	}
	if d, err := f.Svc.AnnualReportDraft(ctx, la, a, 2025); err != nil || d.Fields["phone"] != "021-1" {
		t.Fatalf("read draft: %+v, %v", d, err)
	}
	if _, err := f.Svc.AnnualReportDraft(ctx, lb, a, 2025); gongshi.ErrorCode(err) != gongshi.EFORBIDDEN {
		t.Errorf("another enterprise reads the draft: got %v, want forbidden", err)
	}
	if after, _ := f.Store.File(ctx, gongshi.FileQuery{Code: a}); len(after) != len(before) {
		t.Errorf("a draft published a record")
	}
	v1, _, err := f.Svc.FileAnnualReport(ctx, la, a, gongshi.AnnualReportFiling{Year: 2025, Fields: ReportFields()})
	if err != nil {
		t.Fatal(err)
	}
	if !v1.OnTime || v1.Due.String() != "2026-06-30" || !strings.HasPrefix(v1.Policy, "annual.window@") || v1.Arose.String() != "2026-01-01" {
		t.Errorf("report in window: on_time %v due %s policy %s arose %s; want on time, due 2026-06-30 by annual.window, arose 2026-01-01", v1.OnTime, v1.Due, v1.Policy, v1.Arose)
	}
	if _, err := f.Svc.AnnualReportDraft(ctx, la, a, 2025); gongshi.ErrorCode(err) != gongshi.ENOTFOUND {
		t.Errorf("draft after filing: got %v, want it gone", err)
	}
	doc := string(v1.Document)
	if !strings.Contains(doc, `"total_assets":"1500"`) || strings.Contains(doc, "-12.5") || !strings.Contains(doc, `"net_profit":{"salted_sha256"`) {
		t.Errorf("document: published item 7 fields in clear, the rest hashed; got %s", doc)
	}
	pub, err := f.Svc.AnnualReport(ctx, gongshi.Anonymous, a, 2025)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Fields["total_assets"] != "1500" || pub.Fields["employees"] != int64(25) || pub.Fields["net_profit"] != nil || pub.Fields["phone"] != "021-58880000" {
		t.Errorf("public report fields: %v", pub.Fields)
	}
	if own, _ := f.Svc.AnnualReport(ctx, la, a, 2025); own.Fields["net_profit"] != "-12.5" {
		t.Errorf("the enterprise sees its own item 7: got %v", own.Fields["net_profit"])
	}

	// Bad input: each names the field and stores nothing.
	file := func(acct *gongshi.Account, code string, year int, fs map[string]any) error {
		_, _, err := f.Svc.FileAnnualReport(ctx, acct, code, gongshi.AnnualReportFiling{Year: year, Fields: fs})
		return err
	}
	wantErr(t, "second report", file(la, a, 2025, ReportFields()), gongshi.ECONFLICT, "year")
	wantErr(t, "year not ended", file(la, a, 2026, ReportFields()), gongshi.EINVALID, "year")
	wantErr(t, "filing for another", file(la, b, 2025, ReportFields()), gongshi.EFORBIDDEN, "code")
	wantErr(t, "negative amount", file(lb, b, 2025, with(ReportFields(), "total_assets", "-5")), gongshi.EINVALID, "fields.total_assets")
	wantErr(t, "equity identity", file(lb, b, 2025, with(ReportFields(), "owners_equity", "1000")), gongshi.EINVALID, "fields.owners_equity")
	wantErr(t, "paid above subscribed", file(lb, b, 2025, with(ReportFields(), "contributions", []any{map[string]any{"shareholder": "李四", "subscribed": "10", "subscribed_date": "2020-03-15", "subscribed_form": "currency", "paid": "20", "paid_date": "2021-01-01"}})), gongshi.EINVALID, "fields.contributions[0].paid")
	wantErr(t, "unknown field", file(lb, b, 2025, with(ReportFields(), "turnover", "5")), gongshi.EINVALID, "fields.turnover")
	wantErr(t, "bad postal code", file(lb, b, 2025, with(ReportFields(), "postal_code", "2012")), gongshi.EINVALID, "fields.postal_code")
	wantErr(t, "group 4 for a partnership", file(lc, c, 2025, ReportFields()), gongshi.EINVALID, "fields.contributions")
	wantErr(t, "before establishment", file(lc, c, 2020, with(ReportFields(), "contributions", nil)), gongshi.EINVALID, "year")
	if fs, _ := f.Store.AnnualReports(ctx, b); len(fs) != 0 {
		t.Errorf("refused filings stored %d", len(fs))
	}

	// 20 May: a correction before 30 June; both versions published, with what changed.
	f.Clock.Set(At("2026-05-20T10:00:00+08:00"))
	v2, err := f.Svc.CorrectAnnualReport(ctx, la, a, 2025, gongshi.Amendment{Reason: "纳税总额更正", Fields: map[string]any{"total_tax": "35", "publish": map[string]any{"employees": true, "total_assets": true, "total_tax": true}}})
	if err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 || v2.Previous != v1.SHA256 || len(v2.Changes) != 2 || v2.Due.String() != "2026-06-30" || !v2.OnTime {
		t.Errorf("correction: version %d previous %s changes %+v due %s", v2.Version, v2.Previous, v2.Changes, v2.Due)
	}
	rep, _ := f.Svc.AnnualReport(ctx, gongshi.Anonymous, a, 2025)
	if len(rep.Record.Versions) != 2 || rep.Fields["total_tax"] != "35" || rep.Record.Versions[0].Fields["total_tax"] != nil || rep.CorrectableUntil != "2026-06-30" {
		t.Errorf("after correction: %d versions, latest total_tax %v, first %v, correctable until %s", len(rep.Record.Versions), rep.Fields["total_tax"], rep.Record.Versions[0].Fields["total_tax"], rep.CorrectableUntil)
	}
	if _, err := f.Svc.Amend(ctx, la, v1.Record, gongshi.Amendment{Fields: map[string]any{"owners_equity": "901"}}); gongshi.ErrorCode(err) != gongshi.EINVALID {
		t.Errorf("inconsistent correction: got %v, want invalid", err)
	}

	// 1 July: B has not filed; its obligations say so.
	ob, err := f.Svc.Obligations(ctx, b, calendar.MustDate(2026, 7, 1))
	if err != nil {
		t.Fatal(err)
	}
	last := ob.AnnualReports[len(ob.AnnualReports)-1]
	if ob.AnnualReports[0].Year != 2020 || last.Year != 2025 || last.Status != gongshi.ReportOverdue || last.Due != "2026-06-30" {
		t.Errorf("obligations of a non-filer: %+v", ob.AnnualReports)
	}
	if ob, _ := f.Svc.Obligations(ctx, a, calendar.MustDate(2026, 6, 1)); ob.AnnualReports[len(ob.AnnualReports)-1].Status != gongshi.ReportFiled {
		t.Errorf("obligations of a filer: %+v", ob.AnnualReports)
	}

	// 15 July: B files late (补报); after 30 June neither report can be corrected.
	f.Clock.Set(At("2026-07-15T10:00:00+08:00"))
	late, _, err := f.Svc.FileAnnualReport(ctx, lb, b, gongshi.AnnualReportFiling{Year: 2025, Fields: ReportFields()})
	if err != nil {
		t.Fatal(err)
	}
	if late.OnTime || late.Due.String() != "2026-06-30" {
		t.Errorf("late report: on_time %v due %s, want late against 2026-06-30", late.OnTime, late.Due)
	}
	_, err = f.Svc.CorrectAnnualReport(ctx, la, a, 2025, gongshi.Amendment{Fields: map[string]any{"total_tax": "36"}})
	wantErr(t, "correction after 30 June", err, gongshi.ECONFLICT, "fields")
	_, err = f.Svc.CorrectAnnualReport(ctx, lb, b, 2025, gongshi.Amendment{Fields: map[string]any{"total_tax": "36"}})
	wantErr(t, "correction of a late report", err, gongshi.ECONFLICT, "fields")
	if ob, _ := f.Svc.Obligations(ctx, b, calendar.MustDate(2026, 8, 1)); ob.AnnualReports[len(ob.AnnualReports)-1].Status != gongshi.ReportFiledLate {
		t.Errorf("obligations after a late filing: %+v", ob.AnnualReports)
	}

	// 5 January 2027: the 2026 report, in the next window.
	f.Clock.Set(At("2027-01-05T10:00:00+08:00"))
	v26, _, err := f.Svc.FileAnnualReport(ctx, la, a, gongshi.AnnualReportFiling{Year: 2026, Fields: ReportFields()})
	if err != nil || !v26.OnTime || v26.Due.String() != "2027-06-30" {
		t.Errorf("2026 report: %+v, %v", v26, err)
	}
	if fs, _ := f.Svc.AnnualReports(ctx, a); len(fs) != 2 || fs[0].Year != 2025 || fs[1].Year != 2026 {
		t.Errorf("filings of A: %+v", fs)
	}
}

func testOrders(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	a, b := USCC(51), USCC(52)
	f.Register(t, a, "上海丁科技有限公司", "张三")
	f.Register(t, b, "上海戊贸易有限公司", "李四")
	la, lb := f.Liaison(t, "liaison-d", a), f.Liaison(t, "liaison-e", b)

	// Instant disclosures: on time and late (Art. 10: 20 working days).
	f.Clock.Set(At("2026-07-15T10:00:00+08:00"))
	contribution := func(arose string) gongshi.Publication {
		return gongshi.Publication{Kind: "capital_contribution", Arose: arose, Fields: map[string]any{"shareholder": "张三", "subscribed": "600",
			"subscribed_date": arose, "subscribed_form": "currency", "paid": "600", "paid_date": arose, "paid_form": "currency"}}
	}
	onTime, err := f.Svc.Publish(ctx, la, a, contribution("2026-07-01"))
	if err != nil || !onTime.OnTime || !strings.HasPrefix(onTime.Policy, "disclosure.enterprise@") {
		t.Errorf("disclosure in time: %+v, %v", onTime, err)
	}
	lateV, err := f.Svc.Publish(ctx, la, a, contribution("2026-05-06"))
	if err != nil || lateV.OnTime {
		t.Errorf("late disclosure: on_time %v, %v; want late", lateV.OnTime, err)
	}
	corr, err := f.Svc.Amend(ctx, la, lateV.Record, gongshi.Amendment{Reason: "出资方式更正", Fields: map[string]any{"paid_form": "in_kind"}})
	if err != nil || corr.Version != 2 {
		t.Errorf("instant disclosures are corrected at any time: %v", err)
	}
	if _, err := f.Svc.Publish(ctx, la, a, gongshi.Publication{Kind: "annual_report", Arose: "2026-01-01", Fields: ReportFields()}); gongshi.ErrorCode(err) != gongshi.EINVALID {
		t.Errorf("annual report through publish: got %v, want invalid pointing to its route", err)
	}

	// 3 August: orders to both; A discloses, B does not.
	f.Clock.Set(At("2026-08-03T10:00:00+08:00"))
	_, oa, err := f.Svc.IssueOrder(ctx, f.Reg, a, gongshi.OrderInput{Item: "licence", Content: "公示食品经营许可证信息"})
	if err != nil {
		t.Fatal(err)
	}
	if oa.Deadline != "2026-08-13" || !strings.HasPrefix(oa.Policy, "order.disclose@") {
		t.Errorf("order deadline %s (%s), want 2026-08-13 by order.disclose", oa.Deadline, oa.Policy)
	}
	_, ob, err := f.Svc.IssueOrder(ctx, f.Reg, b, gongshi.OrderInput{Item: "equity_transfer", Content: "公示股权变更信息"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Svc.IssueOrder(ctx, regulator("320000"), a, gongshi.OrderInput{Item: "licence", Content: "x"}); gongshi.ErrorCode(err) != gongshi.EFORBIDDEN {
		t.Errorf("order outside jurisdiction: got %v", err)
	}
	if _, _, err := f.Svc.IssueOrder(ctx, la, b, gongshi.OrderInput{Item: "licence", Content: "x"}); gongshi.ErrorCode(err) != gongshi.EFORBIDDEN {
		t.Errorf("order by an enterprise: got %v", err)
	}
	if _, _, err := f.Svc.IssueOrder(ctx, f.Reg, a, gongshi.OrderInput{Item: "weather", Content: "x"}); gongshi.ErrorCode(err) != gongshi.EINVALID {
		t.Errorf("order of an unknown item: got %v", err)
	}
	if os, _ := f.Svc.Orders(ctx, a); len(os) != 1 || os[0].Status != gongshi.OrderOpen {
		t.Errorf("the enterprise sees its open order: %+v", os)
	}

	f.Clock.Set(At("2026-08-10T10:00:00+08:00"))
	lic, err := f.Svc.Publish(ctx, la, a, gongshi.Publication{Kind: "licence", Arose: "2026-08-05", Fields: map[string]any{
		"licence_no": "JY1310115000001", "name": "食品经营许可证", "action": "granted", "issuer": "上海市浦东新区市场监督管理局", "valid_from": "2026-08-05"}})
	if err != nil {
		t.Fatal(err)
	}
	rec, _, err := f.Svc.Record(ctx, gongshi.Anonymous, oa.Record)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Versions) != 2 || rec.Latest().Fields["fulfilled_by"] != lic.Record || rec.Latest().Fields["status"] != "fulfilled" {
		t.Errorf("fulfilled order: %d versions, latest %v; want version 2 naming record %s", len(rec.Versions), rec.Latest().Fields, lic.Record)
	}
	if _, err := f.Svc.Amend(ctx, f.Reg, ob.Record, gongshi.Amendment{Fields: map[string]any{"content": "y"}}); gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		t.Errorf("amending an order: got %v, want conflict", err)
	}

	// The deadline passes: B's order lapses, A's does not.
	lapsed, err := f.Svc.OrdersLapsed(ctx, calendar.MustDate(2026, 8, 13))
	if err != nil || len(lapsed) != 0 {
		t.Errorf("lapsed on the deadline: %+v, %v; want none", lapsed, err)
	}
	lapsed, _ = f.Svc.OrdersLapsed(ctx, calendar.MustDate(2026, 8, 14))
	if len(lapsed) != 1 || lapsed[0].Record != ob.Record || lapsed[0].USCC != b {
		t.Errorf("lapsed the day after: %+v, want B's order", lapsed)
	}
	obl, _ := f.Svc.Obligations(ctx, b, calendar.MustDate(2026, 8, 14))
	if len(obl.Orders) != 1 || obl.Orders[0].Status != gongshi.OrderLapsed {
		t.Errorf("B's obligations: %+v", obl.Orders)
	}
	// A late disclosure cures the ground but the order stays lapsed.
	f.Clock.Set(At("2026-08-20T10:00:00+08:00"))
	if _, err := f.Svc.Publish(ctx, lb, b, gongshi.Publication{Kind: "equity_transfer", Arose: "2026-07-20", Fields: map[string]any{
		"shareholder": "李四", "before_percent": "60", "after_percent": "40", "transferred": "2026-07-20"}}); err != nil {
		t.Fatal(err)
	}
	lapsed, _ = f.Svc.OrdersLapsed(ctx, calendar.MustDate(2026, 8, 20))
	if len(lapsed) != 1 || lapsed[0].FulfilledOn != "2026-08-20" {
		t.Errorf("late fulfilment: %+v; want still lapsed, fulfilled on 2026-08-20", lapsed)
	}
}
