package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/catalogue"
	"github.com/gongshi/gongshi/draw"
)

// The finale: in the last weeks of the history, the regulator of the district with the
// most enterprises (A) and of the next (B) keep an inspector roster with declared
// conflicts (SAIC Order 67), publish their lists of check items (checkitems.go), draw 5%
// of A's enterprises and check them (Art. 14, 15), plan a directed draw in B — each draw
// naming items of the lists; the public files cases (Art. 12, 13); two enterprises
// consent to a bank seeing items of their reports (Art. 9) and the bank looks once. It runs between
// the batches of the main history, at its own simulated days (Generate's pauses).

// CheckStats count what the finale wrote.
type CheckStats struct {
	Inspectors int `json:"inspectors"`
	Conflicts  int `json:"conflicts"`
	Draws      int `json:"draws"` // planned; the first is drawn
	CheckItems int `json:"check_items"`
	Results    int `json:"results"` // spot-check results published
	Cases      int `json:"cases"`
	Consents   int `json:"consents"`
	Views      int `json:"consent_views"`
	// The later rules (later.go): courts' notices, simplified-deregistration records, and
	// cases routed to a department.
	Judicial        int `json:"judicial_notices"`
	Deregistrations int `json:"deregistration_records"`
	Routed          int `json:"cases_routed"`
	// Objections: the acceptance decisions and answers on objections to listings.
	Objections int `json:"objection_decisions"`
	// Revocations: licences revoked under Decree 777 (2024).
	Revocations int `json:"licence_revocations"`
}

// extra is the state of reports, orders and the finale in one run.
type extra struct {
	nYears int8
	fs     FilingStats // counted from the plans
	areaN  []int32     // principal enterprises in business, by area
	pauses []int32     // finale days, one per step
	next   int         // the next pause (the producer's)

	n          int // principal enterprises
	areas      [2]int32
	codes      [2][]string // enterprises of A and B registered before the finale
	reportOf   []int       // for codes[0]: a report year with item 7 filed before the finale, or 0
	regulator  *gongshi.Account
	inspectors []string
	bank       *gongshi.Account
	draws      [2]string
	items      []string  // A's regulator's check items, then its province's departments'
	cases      [4]string // inquiry, false report, correction request, open report
	later      laterState
	// at is the clock of the last finale step: a step on the same day as the one before
	// (two steps' days can round to one working day) goes on from it.
	at time.Time
}

// Finale steps, in the order of their days.
var finaleSteps = [...]int32{80, 75, 68, 60, 50, 40, 38, 4} // days before the demo clock

// minFinale is the fewest enterprises district A must have for the finale to run.
const minFinale = 20

// planFinale chooses districts A and B and the finale's days; it counts the plans'
// filings into st.
func (x *extra) planFinale(g *gen, st *Stats, n int) {
	st.Filings.merge(&x.fs)
	x.n = n
	x.areas = [2]int32{-1, -1}
	for a, c := range x.areaN {
		switch {
		case x.areas[0] < 0 || c > x.areaN[x.areas[0]]:
			x.areas[1], x.areas[0] = x.areas[0], int32(a)
		case x.areas[1] < 0 || c > x.areaN[x.areas[1]]:
			x.areas[1] = int32(a)
		}
	}
	if x.areas[1] < 0 || x.areaN[x.areas[0]] < minFinale || g.until-finaleSteps[0] < g.w.launch+400 {
		return
	}
	for _, k := range finaleSteps {
		d := g.w.afterWorking(g.until-k, 0)
		if d < 0 || d > g.until {
			d = g.until
		}
		x.pauses = append(x.pauses, d)
	}
}

// pauseBefore sends, before day d's units, a pause for every finale step due by d.
func (x *extra) pauseBefore(d int32, b *batch, flush func() bool) bool {
	for x.next < len(x.pauses) && x.pauses[x.next] <= d {
		if len(b.units) > 0 && !flush() {
			return false
		}
		b.pause = x.next + 1
		if !flush() {
			return false
		}
		x.next++
	}
	return true
}

// finale runs step k on its day, before the day's other publications.
func (g *gen) finale(ctx context.Context, svc *gongshi.Service, clock *Clock, k int, st *Stats) error {
	x := &g.x
	day := x.pauses[k]
	at := dayEpoch.AddDays(int(day)).Start().Add(8 * time.Hour)
	if x.at.After(at) {
		at = x.at
	}
	tick := func() { at = at.Add(3 * time.Minute); clock.Set(at); x.at = at }
	tick()
	w := g.w
	aA, aB := &w.areas[x.areas[0]], &w.areas[x.areas[1]]
	year := w.dates[day][:4]
	cs := &st.Checks
	var err error
	fail := func(what string, err error) error { return fmt.Errorf("demo finale, %s: %w", what, err) }
	switch k {
	case 0: // the roster, its conflicts, the bank
		x.regulator = g.regulators[aA.prov]
		x.collect(g, day)
		if len(x.codes[0]) < minFinale || len(x.codes[1]) < 2 {
			x.pauses = x.pauses[:k+1] // too few registered yet: no finale
			return nil
		}
		for i := 0; i < 6; i++ {
			a := aA
			if i >= 4 {
				a = aB
			}
			h := person(mix64(uint64(g.seed)<<20 ^ 0x5eed00 ^ uint64(i)))
			id := fmt.Sprintf("inspector-%s-%02d", a.code, i+1)
			tick()
			if _, _, err := svc.CreateAccount(ctx, gongshi.NewAccount{ID: id, Name: a.district + "市场监督管理局执法人员" + w.personName(h),
				Role: gongshi.RoleRegulator, Jurisdiction: a.code}); err != nil && gongshi.ErrorCode(err) != gongshi.ECONFLICT {
				return fail("inspector account", err)
			}
			if _, err := svc.AddInspector(ctx, g.regulators[a.prov], id); err != nil {
				return fail("roster", err)
			}
			x.inspectors = append(x.inspectors, id)
			cs.Inspectors++
		}
		conflicts := []struct {
			insp   int
			code   string
			reason string
		}{
			{0, x.codes[0][3], "近亲属在该企业担任高级管理人员"},
			{2, x.codes[0][7], "曾在该企业任职，离职未满三年"},
			{4, x.codes[1][0], "持有该企业股权"},
		}
		for _, c := range conflicts {
			tick()
			if _, err := svc.DeclareConflict(ctx, x.regulator, x.inspectors[c.insp], gongshi.Conflict{Enterprise: c.code, Reason: c.reason}); err != nil {
				return fail("conflict", err)
			}
			cs.Conflicts++
		}
		tick()
		tick()
		if x.items, cs.CheckItems, err = x.publishCheckItems(ctx, svc, g.regulators, x.regulator, g.depts[aA.prov][:]); err != nil {
			return fail("check items", err)
		}
		tick()
		x.bank, _, err = svc.CreateAccount(ctx, gongshi.NewAccount{ID: "bank-demo", Name: "演示银行股份有限公司" + aA.cityShort + "分行信贷审批部",
			Role: gongshi.RoleEnterprise, Enterprise: x.codes[0][len(x.codes[0])-1]})
		if err != nil {
			return fail("bank account", err)
		}
	case 1: // plan the draw in A; an inquiry
		if x.draws[0], err = x.plan(ctx, svc, aA, nil, year+"年度"+aA.district+"“双随机、一公开”抽查", 5, x.items[0], x.items[1], x.items[len(regulatorItems)+1]); err != nil {
			return fail("draw", err)
		}
		cs.Draws++
		tick()
		x.cases[0], err = x.fileCase(ctx, svc, gongshi.CaseForm{Kind: gongshi.CaseInquiry, Division: aA.code,
			Subject: "咨询个体工商户年度报告补报程序", Content: "去年的年度报告逾期未报，请问现在如何补报，是否会被列入经营异常名录？",
			Person: x.person(g, 1, aA, false)})
		if err != nil {
			return fail("inquiry", err)
		}
		cs.Cases++
	case 2:
		if _, err := svc.RunDraw(ctx, x.regulator, x.draws[0]); err != nil {
			return fail("run draw", err)
		}
	case 3: // a report and a correction request; the inquiry is reviewed
		x.cases[1], err = x.fileCase(ctx, svc, gongshi.CaseForm{Kind: gongshi.CaseReport, Enterprise: x.codes[0][5],
			Subject: "年度报告从业人数及资产信息与实际不符", Content: "该企业年度报告公示的从业人数和资产总额与实际经营情况明显不符，实际长期无人经营。",
			Person: x.person(g, 2, aA, true)})
		if err != nil {
			return fail("report", err)
		}
		tick()
		x.cases[2], err = x.fileCase(ctx, svc, gongshi.CaseForm{Kind: gongshi.CaseCorrection, Enterprise: x.codes[0][6],
			Subject: "申请更正公示信息中的住所", Content: "本企业公示的住所门牌号有误，申请予以更正。",
			Person: x.person(g, 3, aA, false)})
		if err != nil {
			return fail("correction request", err)
		}
		cs.Cases += 2
		tick()
		if _, err := svc.ReviewCase(ctx, x.regulator, x.cases[0]); err != nil {
			return fail("review", err)
		}
	case 4:
		if _, err := svc.ReviewCase(ctx, x.regulator, x.cases[1]); err != nil {
			return fail("review", err)
		}
	case 5: // the draw's results; answers
		n, err := x.results(ctx, svc, clock, &at, day)
		cs.Results += n
		if err != nil {
			return fail("results", err)
		}
		tick()
		if _, err := svc.AnswerCase(ctx, x.regulator, x.cases[1], gongshi.CaseAnswer{Outcome: gongshi.OutcomeFalse,
			Answer: "经核查，该企业年度报告公示的从业人数、资产总额等信息与实际不符，属于隐瞒真实情况、弄虚作假，依法处理。"}); err != nil {
			return fail("answer", err)
		}
		tick()
		if _, err := svc.AnswerCase(ctx, x.regulator, x.cases[2], gongshi.CaseAnswer{Outcome: "corrected",
			Answer: "经核实，原公示住所门牌号录入有误，已予更正。"}); err != nil {
			return fail("answer", err)
		}
	case 6: // the correction request closed; consents and a view under one
		if _, err := svc.CloseCase(ctx, x.regulator, x.cases[2]); err != nil {
			return fail("close", err)
		}
		until := w.fmtDate(day + 180)
		items := [][]string{{"total_assets", "total_liabilities", "net_profit"}, {"total_revenue", "total_tax"}}
		for i, c := 0, 0; i < len(x.codes[0]) && c < len(items); i++ {
			if x.reportOf[i] == 0 || x.codes[0][i] == x.bank.Enterprise {
				continue
			}
			code := x.codes[0][i]
			tick()
			la := &gongshi.Account{ID: "liaison-" + code, Role: gongshi.RoleEnterprise, Enterprise: code}
			if _, err := svc.GrantConsent(ctx, la, gongshi.ConsentGrant{Grantee: x.bank.ID, Items: items[c], Until: until}); err != nil {
				return fail("consent", err)
			}
			cs.Consents++
			if c == 0 {
				tick()
				if _, err := svc.AnnualReport(ctx, x.bank, code, x.reportOf[i]); err != nil {
					return fail("view under consent", err)
				}
				cs.Views++
			}
			c++
		}
	case 7: // a directed draw in B, left planned; a report still open; later rules' decisions
		st := &gongshi.Stratum{Categories: []string{string(gongshi.CategoryEnterprise)}}
		title := w.dates[day][:4] + "年度" + aB.district + "企业定向抽查"
		if sec, name, err := x.mainIndustry(ctx, svc, aB, st); err != nil {
			return fail("directed draw", err)
		} else if sec != "" {
			st.Industries = []string{sec}
			title = w.dates[day][:4] + "年度" + aB.district + name + "企业定向抽查"
		}
		if x.draws[1], err = x.plan(ctx, svc, aB, st, title, 3, x.items[2]); err != nil {
			return fail("directed draw", err)
		}
		cs.Draws++
		tick()
		x.cases[3], err = x.fileCase(ctx, svc, gongshi.CaseForm{Kind: gongshi.CaseReport, Enterprise: x.codes[0][9],
			Subject: "企业未公示行政许可信息", Content: "该企业已取得行政许可，但未在公示系统公示。",
			Person: x.person(g, 4, aA, true)})
		if err != nil {
			return fail("report", err)
		}
		cs.Cases++
	}
	return g.laterRules(ctx, svc, k, tick, day, cs)
}

// collect finds the enterprises of A and B registered and in business on day, and for A
// a report year each filed with item 7 before it.
func (x *extra) collect(g *gen, day int32) {
	var p plan
	for i := 0; i < x.n && (len(x.codes[0]) < 40 || len(x.codes[1]) < 5); i++ {
		p.nYears = x.nYears
		g.w.makePlan(&p, g.seed, uint32(i), g.until)
		if p.n == 0 || p.evs[0].pub >= day || p.end >= 0 && p.end <= g.until {
			continue
		}
		for j, a := range x.areas {
			if p.area != a || len(x.codes[j]) >= 40 {
				continue
			}
			x.codes[j] = append(x.codes[j], p.uscc())
			if j == 0 {
				year := 0
				for k := uint8(0); k < p.n; k++ {
					if e := &p.evs[k]; e.op == opAnnual && e.pub < day && p.typ != tIndividual && p.typ != tCoop {
						year = 2000 + int(e.sub)
					}
				}
				x.reportOf = append(x.reportOf, year)
			}
		}
	}
}

// plan plans a draw of pct per cent (at least the policy's minimum, at least eight) of
// area a's enterprises in stratum.
func (x *extra) plan(ctx context.Context, svc *gongshi.Service, a *area, st *gongshi.Stratum, title string, pct int, items ...string) (string, error) {
	var pop int
	if err := svc.Store.Write(ctx, func(tx gongshi.Tx) error {
		codes, err := tx.PopulationCodes(gongshi.JurisdictionPrefix(a.code), st)
		pop = len(codes)
		return err
	}); err != nil {
		return "", err
	}
	n := (pop*pct + 99) / 100
	if m, _, err := svc.Rules.SpotCheckMinimum(pop, calendar.DateOf(svc.Clock.Now())); err == nil && m > n {
		n = m
	}
	n = min(max(n, 8), pop)
	d, err := svc.PlanDraw(ctx, x.regulator, gongshi.DrawPlan{Title: title, Jurisdiction: a.code, Stratum: st, SampleSize: n, CheckItems: items})
	if err != nil {
		return "", err
	}
	return d.Number, nil
}

// results publishes the draw's results, checked over the weeks since it was drawn: most
// normal; one item not disclosed (an order follows), one false information (ground 3), one
// unreachable found by a delegated firm (ground 4), one serious non-cooperation; the last
// enterprise drawn is still being checked.
func (x *extra) results(ctx context.Context, svc *gongshi.Service, clock *Clock, at *time.Time, day int32) (int, error) {
	text, err := svc.DrawText(ctx, x.draws[0], "result")
	if err != nil {
		return 0, err
	}
	as, err := draw.ParseResult(text)
	if err != nil {
		return 0, err
	}
	w := theWorld()
	methods := [...]string{"written", "on_site", "network"}
	n := 0
	for i, a := range as[:len(as)-1] {
		in := gongshi.CheckResult{Enterprise: a.Code, Method: methods[i%3], Checked: w.date(day - int32(len(as)-i)%20),
			Outcome: gongshi.OutcomeNormal, Findings: "经检查，未发现问题。"}
		switch i {
		case 0:
			in.Outcome, in.Item, in.Findings = gongshi.OutcomeNotDisclosed, "licence", "企业已取得食品经营许可证，但未公示行政许可信息。"
		case 1:
			in.Outcome, in.Findings = gongshi.OutcomeFalse, "年度报告公示的从业人数、营业总收入与财务账册不符，属于隐瞒真实情况、弄虚作假。"
		case 2:
			in.Outcome, in.Method, in.Firm, in.Findings = gongshi.OutcomeUnreachable, "delegated", "浙江天平会计师事务所（特殊普通合伙）", "受委托机构两次实地核查，通过登记的住所或者经营场所无法联系。"
		case 3:
			in.Outcome, in.Method, in.Findings = gongshi.OutcomeNonCooperation, "on_site", "企业拒绝提供检查所需的财务资料，拒不配合检查，情节严重。"
		}
		*at = at.Add(2 * time.Minute)
		clock.Set(*at)
		if _, err := svc.RecordResult(ctx, x.regulator, x.draws[0], in); err != nil {
			return n, fmt.Errorf("%s: %w", a.Code, err)
		}
		n++
	}
	return n, nil
}

// fileCase files a case and returns its number.
func (x *extra) fileCase(ctx context.Context, svc *gongshi.Service, in gongshi.CaseForm) (string, error) {
	c, err := svc.FileCase(ctx, in)
	if err != nil {
		return "", err
	}
	return c.Number, nil
}

// person is a member of the public filing a case: their data stays with the case, never
// in a document.
func (x *extra) person(g *gen, i uint64, a *area, id bool) map[string]any {
	h := person(mix64(uint64(g.seed)<<20 ^ 0xca5e00 ^ i))
	r := newRNG(g.seed, 1<<40+i, 0)
	m := map[string]any{"name": g.w.personName(h), "phone": phone(&r)}
	if id {
		m["id_number"] = g.w.personID(h, a.code)
	}
	return m
}

// mainIndustry is the section of GB/T 4754-2017 with the most of area a's enterprises in
// stratum st, and its name; none when it has fewer than 3.
func (x *extra) mainIndustry(ctx context.Context, svc *gongshi.Service, a *area, st *gongshi.Stratum) (string, string, error) {
	best, most := "", 2
	err := svc.Store.Write(ctx, func(tx gongshi.Tx) error {
		for _, sec := range gongshi.Industries {
			s := *st
			s.Industries = []string{sec}
			codes, err := tx.PopulationCodes(gongshi.JurisdictionPrefix(a.code), &s)
			if err != nil {
				return err
			}
			if len(codes) > most {
				best, most = sec, len(codes)
			}
		}
		return nil
	})
	if best == "" {
		return "", "", err
	}
	name, _ := catalogue.Enum(catalogue.Chinese, best)
	return best, strings.TrimPrefix(name, best+" "), err
}
