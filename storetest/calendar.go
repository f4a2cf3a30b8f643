package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// RunCalendar is the suite of provisional dates (SPEC §10): a year of sweeps while the next
// year's working-day schedule is missing, and its settlement once the schedule is loaded.
func RunCalendar(t *testing.T, open Opener) {
	t.Run("YearWithoutNextSchedule", func(t *testing.T) { testYearWithoutNextSchedule(t, open) })
}

// Schedule2028 is a schedule of 2028 for tests, not the State Council's: New Year on 1–3
// January, Spring Festival from 25 January to 1 February, with make-up working days on
// Saturday 22 January and Saturday 5 February.
const Schedule2028 = `# A made-up 2028 for tests.
year 2028
2028-01-01 holiday 元旦
2028-01-02 holiday 元旦
2028-01-03 holiday 元旦
2028-01-22 workday 春节
2028-01-25 holiday 春节
2028-01-26 holiday 春节
2028-01-27 holiday 春节
2028-01-28 holiday 春节
2028-01-29 holiday 春节
2028-01-30 holiday 春节
2028-01-31 holiday 春节
2028-02-01 holiday 春节
2028-02-05 workday 春节
`

// calYear is a register run through 2027 with the built-in calendar, which ends with 2027.
// A, C and D (an individual business) never file their first report and are listed (D
// marked) on 1 July; S, listed in 2024, is escalated on 1 July; C files late in December and
// applies for removal; E and G are ordered to disclose in December, G's order lapses and G
// objects to its listing; H is listed by a regulator on 30 December; P is fined on 20
// December; a report about R is filed on 10 December and answered.
type calYear struct {
	t *testing.T
	f *Fixture
	// the enterprises by letter
	code map[string]string
	// what the December events made: the penalty, the case, the removal application and
	// the objection
	penalty           *gongshi.Version
	caseNo            string
	removal, objected string
}

func newCalYear(t *testing.T, open Opener) *calYear {
	f, _ := NewFixture(t, open)
	y := &calYear{t: t, f: f, code: map[string]string{}}
	for i, l := range strings.Split("A C D E G H P R S", " ") {
		y.code[l] = USCC(700 + i)
	}
	y.at("2022-01-20T10:00:00+08:00")
	f.RegisterTyped(t, y.code["S"], "上海三年未报贸易有限公司", "有限责任公司", "2022-01-10")
	y.at("2024-07-01T10:00:00+08:00")
	if _, err := f.Svc.Sweep(context.Background(), gongshi.SweepOptions{AsOf: calendar.MustDate(2024, 7, 1)}); err != nil {
		t.Fatal(err)
	}
	y.at("2026-03-10T10:00:00+08:00")
	f.RegisterTyped(t, y.code["A"], "上海未报一号贸易有限公司", "有限责任公司", "2026-02-01")
	f.RegisterTyped(t, y.code["C"], "上海补报科技有限公司", "有限责任公司", "2026-02-01")
	f.RegisterTyped(t, y.code["D"], "浦东新区李记面馆", "个体工商户", "2026-02-01")
	return y
}

func (y *calYear) at(instant string) { y.f.Clock.Set(At(instant)) }

// events are what happens on days of 2027, before that day's sweep.
func (y *calYear) events() map[string]func() {
	f, ctx, t := y.f, context.Background(), y.t
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	return map[string]func(){
		"2027-01-05": func() {
			for _, l := range []string{"E", "G", "H", "P", "R"} {
				f.RegisterTyped(t, y.code[l], "上海"+l+"字号商贸有限公司", "有限责任公司", "2027-01-04")
			}
		},
		"2027-12-10": func() {
			c, err := f.Svc.FileCase(ctx, gongshi.CaseForm{Kind: "report", Enterprise: y.code["R"], Subject: "住所虚假", Content: "该企业登记住所无人办公。",
				Person: map[string]any{"name": "钱七", "id_number": "110101199003074514", "phone": "13800138000"}})
			must("file case", err)
			y.caseNo = c.Number
		},
		"2027-12-15": func() {
			_, err := f.Svc.AnswerCase(ctx, f.Reg, y.caseNo, gongshi.CaseAnswer{Outcome: "unfounded", Answer: "经核实，该企业在登记住所经营。"})
			must("answer case", err)
			_, _, err = f.Svc.IssueOrder(ctx, f.Reg, y.code["G"], gongshi.OrderInput{Item: "licence", Content: "公示食品经营许可"})
			must("order G", err)
		},
		"2027-12-20": func() {
			var err error
			y.penalty, err = f.Svc.Publish(ctx, f.Reg, y.code["P"], gongshi.Publication{Kind: "penalty", Arose: "2027-12-20", Fields: map[string]any{
				"decision_no": "浦市监罚〔2027〕88号", "violation": "虚假宣传", "content": "罚款", "fine": "20000",
				"authority": "上海市浦东新区市场监督管理局", "decided": "2027-12-20"}})
			must("penalty P", err)
		},
		"2027-12-22": func() {
			_, _, err := f.Svc.IssueOrder(ctx, f.Reg, y.code["E"], gongshi.OrderInput{Item: "licence", Content: "公示食品经营许可"})
			must("order E", err)
		},
		"2027-12-27": func() {
			_, _, err := f.Svc.FileAnnualReport(ctx, f.Liaison(t, "l-c", y.code["C"]), y.code["C"], gongshi.AnnualReportFiling{Year: 2026, Fields: ReportFields()})
			must("C files late", err)
		},
		"2027-12-28": func() {
			e := y.listing(y.code["C"], 1)
			c, err := f.Svc.ApplyForRemoval(ctx, y.liaison("l-c", y.code["C"]), y.code["C"], gongshi.CaseInput{Entry: e.ID, Reason: "已补报2026年度报告"})
			must("C applies for removal", err)
			y.removal = c.ID
		},
		"2027-12-29": func() {
			e := y.listing(y.code["G"], 2)
			c, err := f.Svc.Object(ctx, f.Liaison(t, "l-g", y.code["G"]), y.code["G"], gongshi.CaseInput{Entry: e.ID, Reason: "许可已于12月26日在其他平台公示"})
			must("G objects", err)
			y.objected = c.ID
		},
		"2027-12-30": func() {
			_, err := f.Svc.DecideListing(ctx, f.Reg, y.code["H"], gongshi.ListingDecision{Ground: 4, Verified: "2027-12-24",
				Facts: "经实地核查，通过登记的住所无法联系", DocumentNo: "浦市监异〔2027〕9号"})
			must("H listed by the regulator", err)
		},
	}
}

// liaison returns the account of an existing liaison.
func (y *calYear) liaison(id, code string) *gongshi.Account {
	return &gongshi.Account{ID: id, Role: gongshi.RoleEnterprise, Enterprise: code}
}

// listing returns the enterprise's list entry on a ground.
func (y *calYear) listing(code string, ground int) *gongshi.ListEntry {
	y.t.Helper()
	es, err := y.f.Svc.EnterpriseListings(context.Background(), code)
	if err != nil {
		y.t.Fatal(err)
	}
	for _, e := range es {
		if e.Ground == ground {
			return e
		}
	}
	y.t.Fatalf("%s has no listing on ground %d: %+v", code, ground, es)
	return nil
}

// run sweeps every day from from to until, each after that day's events, on the day's
// clock; every sweep must succeed.
func (y *calYear) run(from, until calendar.Date) {
	ev := y.events()
	for d := from; !d.After(until); d = d.AddDays(1) {
		y.f.Clock.Set(d.Start().Add(10 * time.Hour))
		if e := ev[d.String()]; e != nil {
			e()
		}
		y.f.Clock.Set(d.Start().Add(18 * time.Hour))
		if _, err := y.f.Svc.Sweep(context.Background(), gongshi.SweepOptions{AsOf: d}); err != nil {
			y.t.Fatalf("sweep as of %s: %v", d, err)
		}
	}
}

// provisional returns the latest versions with provisional dates, by record.
func (y *calYear) provisional() map[string]*gongshi.Version {
	y.t.Helper()
	out := map[string]*gongshi.Version{}
	for _, code := range y.code {
		_, recs, err := y.f.Svc.Records(context.Background(), y.f.Reg, code)
		if err != nil {
			y.t.Fatal(err)
		}
		for _, r := range recs {
			if l := r.Latest(); l.Provisional != nil {
				out[r.ID] = l
			}
		}
	}
	return out
}
