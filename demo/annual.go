package demo

import (
	"sync"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// Annual reports (Art. 8, 9, 12; SPEC §11) and orders to disclose (Art. 10 ¶2) in an
// enterprise's plan. Each report year's fate is drawn from a stream of its own (seed,
// index, year), so the plan and the body of the report agree and adding years changes
// nothing else: about 82% are filed from 1 January to 30 June, 8% late, 10% never; about
// one on-time report in ten is corrected before 30 June; a fifth of the individual
// businesses' reports are entered on paper by the regulator.

// Operations of the filing events, after those of events.go.
const (
	opAnnual    = opFollow + 1 + iota // file the report of year 2000+sub
	opAnnualFix                       // correct it (Art. 12): a later version of its record
	opOrder                           // a regulator orders the enterprise to disclose kind
)

// DefaultReportYears is how many report years, the last before the demo clock, Generate
// files annual reports for.
const DefaultReportYears = 3

// Report fates.
const (
	fateOnTime = iota
	fateLate
	fateMissing
)

// fate is what happens to one report year of one enterprise.
type fate struct {
	kind          uint8
	day           int32 // filing day
	paper         bool  // an individual business's report entered by the regulator
	fix           bool  // filed wrong, corrected before 30 June
	fixDay        int32
	publishReport bool // an individual business publishes its report
	r             rng  // the stream the report's body is drawn from
}

var yearDays = sync.OnceValue(func() *[200][2]int32 {
	d := new([200][2]int32)
	for i := range d {
		y := 2002 + i
		d[i][0] = int32(calendar.MustDate(y, time.January, 1).Sub(dayEpoch))
		d[i][1] = int32(calendar.MustDate(y, time.June, 30).Sub(dayEpoch))
	}
	return d
})

// jan1 and jun30 are the day numbers of 1 January and 30 June of year y.
func jan1(y int) int32  { return yearDays()[y-2002][0] }
func jun30(y int) int32 { return yearDays()[y-2002][1] }

// yearOf returns the year of day number d.
func yearOf(d int32) int {
	ys := yearDays()
	y := min(int(d/366), len(ys)-1) // never past d's year
	for y+1 < len(ys) && ys[y+1][0] <= d {
		y++
	}
	return 2002 + y
}

// reportFate draws the fate of the report for year y.
func (p *plan) reportFate(y int) fate {
	f := fate{r: newRNG(p.seed, uint64(p.idx), 300+uint64(y))}
	r := &f.r
	open, close := jan1(y+1), jun30(y+1)
	switch x := r.intn(1000); {
	case x < 820:
		if r.permille(400) { // the last month's rush
			f.day = close - int32(r.intn(30))
		} else {
			f.day = open + int32(r.intn(int(close-open)+1))
		}
	case x < 900:
		f.kind, f.day = fateLate, close+1+int32(r.intn(180))
	default:
		f.kind = fateMissing
	}
	if f.kind != fateMissing && f.day <= p.evs[0].pub {
		f.day = p.evs[0].pub + 1
		if f.day > close {
			f.kind = fateLate
		}
	}
	if p.typ == tIndividual {
		f.paper = r.permille(200)
		f.publishReport = !f.paper && r.permille(550)
	}
	if f.kind == fateOnTime && !f.paper && r.permille(110) {
		f.fixDay = f.day + 1 + int32(r.intn(30))
		f.fix = f.fixDay <= close
	}
	return f
}

// reportYears returns the first and last report year the plan files reports for.
func (p *plan) reportYears() (first, last int) {
	n := int(p.nYears)
	if n == 0 {
		n = DefaultReportYears
	}
	last = yearOf(p.until) - 1
	return last - n + 1, last
}

// planFilings adds the enterprise's annual reports and the orders it receives.
func (p *plan) planFilings(life int32) {
	if p.n == 0 || p.nYears < 0 {
		return
	}
	first, last := p.reportYears()
	for y := max(first, 2014); y <= last; y++ {
		if p.est >= jan1(y+1) {
			continue // established after the report year
		}
		f := p.reportFate(y)
		closed := jun30(y+1) < p.until
		if p.end >= 0 && (f.kind == fateMissing && p.end <= jun30(y+1) || f.kind != fateMissing && p.end <= f.day) {
			continue // closed down before it filed: nothing due
		}
		if f.kind == fateMissing || f.day > p.until {
			if closed {
				p.missing++
			}
			continue
		}
		slot := p.newSlot()
		e := event{op: opAnnual, slot: slot, sub: uint8(y - 2000), arose: jan1(y + 1), pub: f.day, wrong: f.fix}
		if !p.add(e) {
			return
		}
		p.slotLast[slot] = p.n - 1
		if f.fix && f.fixDay <= p.until {
			p.follow(slot, event{op: opAnnualFix, sub: uint8(y - 2000), arose: f.fixDay, pub: f.fixDay})
		}
	}
	p.planOrder(life)
}

// planOrder adds, for a few enterprises in a thousand, an order to disclose an IP pledge
// or an equity transfer it had not disclosed; four in five disclose it within the order's
// ten days, the rest let it lapse.
func (p *plan) planOrder(life int32) {
	if p.typ == tIndividual || p.typ == tCoop || p.typ == tBranch {
		return
	}
	r := newRNG(p.seed, uint64(p.idx), 290)
	if r.intn(1000) >= 6 {
		return
	}
	day := p.w.afterWorking(p.until-20-int32(r.intn(700)), 0)
	arose := day - 30 - int32(r.intn(200))
	if first := max(p.est, p.evs[0].pub) + 1; arose < first {
		arose = first
	}
	if day < 0 || arose > day-5 || day >= life || p.n >= maxEvents-2 {
		return
	}
	kind, sub := uint8(kIPPledge), uint8(0)
	if p.typ == tLLC && p.nHolders > 1 && r.permille(500) {
		kind, sub = kTransfer, uint8(1+r.intn(int(p.nHolders-1)))
	}
	if !p.add(event{op: opOrder, kind: kind, arose: day, pub: day}) {
		return
	}
	if r.permille(800) {
		pub := p.w.afterWorking(day, 1+r.intn(6))
		if pub >= 0 && pub < life {
			p.add(event{op: opPublish, kind: kind, slot: p.newSlot(), sub: sub, arose: arose, pub: pub, fulfils: true})
		}
	}
}

// buildFiling makes the unit of a filing event: a report, its correction or an order.
func (g *gen) buildFiling(p *plan, i int, u *unit) {
	e := &p.evs[i]
	y := 2000 + int(e.sub)
	switch e.op {
	case opAnnual:
		f := p.reportFate(y)
		u.code = p.uscc()
		u.actor = g.liaison(p, e.pub)
		if f.paper {
			u.actor = g.regulators[p.areaOf().prov]
		}
		u.filing = gongshi.AnnualReportFiling{Year: y, Fields: p.report(&f, y, e.wrong)}
	case opAnnualFix:
		f := p.reportFate(y)
		u.actor = g.liaison(p, e.pub)
		right := p.report(&f, y, false)
		what, field := "从业人数", "employees"
		if p.typ == tCoop {
			what, field = "成员人数", "members"
		}
		u.amend = gongshi.Amendment{Reason: "更正：" + what + "填报错误", // keeps the report's arose and timeliness
			Fields: map[string]any{field: right[field]}}
	case opOrder:
		u.kind = e.kind
		u.code = p.uscc()
		a := p.areaOf()
		u.actor = g.regulators[a.prov]
		r := newRNG(p.seed, uint64(p.idx), 291)
		what := "知识产权出质信息"
		if e.kind == kTransfer {
			what = "股东股权转让信息"
		}
		u.order = gongshi.OrderInput{Item: kindNames[e.kind],
			Content:    "经查，你单位未依照《企业信息公示暂行条例》第十条规定公示" + what + "，责令于期限内通过国家企业信用信息公示系统公示。",
			DocumentNo: p.w.provs[a.prov].abbrev + "市监责公字〔" + p.w.dates[e.arose][:4] + "〕" + itoa(r.between(1, 900)) + "号"}
	}
}

// report returns the body of the report for year y; wrong gives the first version of a
// report that is later corrected.
func (p *plan) report(f *fate, y int, wrong bool) map[string]any {
	r := f.r // a copy: every call draws the same body
	yearEnd := jan1(y+1) - 1
	status := "operating"
	if x := r.intn(100); x >= 96 {
		status = "suspended"
	} else if x == 95 {
		status = "liquidating"
	}
	a := p.areaOf()
	postal := a.code[:4] + "00"
	switch p.typ {
	case tIndividual:
		emp := int64(1 + r.intn(8))
		rev := int64(r.between(5, 300)) * 100
		m := map[string]any{"operator": p.w.personName(p.rep), "phone": phone(&r), "operating_status": status,
			"employees": emp, "total_revenue": cents(rev), "total_tax": cents(rev * int64(r.between(0, 3)) / 100)}
		if f.publishReport {
			m["publish_report"] = true
		}
		if wrong {
			m["employees"] = emp*10 + 1
		}
		return m
	case tCoop:
		members := int64(5 + r.intn(120))
		rev := int64(r.between(10, 3000)) * 100
		m := map[string]any{"mailing_address": p.addressAt(yearEnd), "postal_code": postal, "phone": phone(&r),
			"operating_status": status, "members": members, "members_joined": int64(r.intn(10)), "members_left": int64(r.intn(5)),
			"total_revenue": cents(rev), "surplus": signedCents(rev * int64(r.between(-10, 20)) / 100),
			"total_tax": cents(rev * int64(r.intn(3)) / 100), "subsidies": cents(int64(r.intn(50)) * 100), "loans": cents(int64(r.intn(5)) * 1000)}
		if pub := publishSome(&r, coopItems[:]); pub != nil {
			m["publish"] = pub
		}
		if wrong {
			m["members"] = members + 10
		}
		return m
	}
	capital := p.capitalAt(yearEnd)
	assets := capital * int64(r.between(30, 400)) / 100
	liab := assets * int64(r.between(0, 95)) / 100
	if r.permille(40) {
		liab = assets * int64(r.between(101, 140)) / 100 // insolvent on paper
	}
	rev := assets * int64(r.between(10, 250)) / 100
	profit := rev * int64(r.between(-12, 20)) / 100
	net := profit
	if net > 0 {
		net = net * 3 / 4
	}
	emp := int64(r.between(1, 12))
	if capital > 100000 {
		emp *= int64(r.between(5, 40))
	}
	m := map[string]any{
		"mailing_address": p.addressAt(yearEnd), "postal_code": postal, "phone": phone(&r),
		"operating_status": status,
		"employees":        emp, "total_assets": cents(assets), "total_liabilities": cents(liab),
		"owners_equity": signedCents(assets - liab), "total_revenue": cents(rev),
		"main_revenue": cents(rev * int64(r.between(70, 100)) / 100), "total_profit": signedCents(profit),
		"net_profit": signedCents(net), "total_tax": cents(rev * int64(r.between(1, 6)) / 100),
	}
	if r.permille(100) {
		m["external_guarantees"] = cents(assets * int64(r.between(1, 30)) / 100)
	}
	if pub := publishSome(&r, group7Items[:]); pub != nil {
		m["publish"] = pub
	}
	if wrong {
		m["employees"] = emp*10 + 1
	}
	if p.typ == tLLC || p.typ == tJoint {
		cs := make([]any, 0, p.nHolders)
		for i := uint8(0); i < p.nHolders; i++ {
			sub := capital * int64(p.holders[i].pct) / 100
			c := map[string]any{"shareholder": p.holderName(i), "subscribed": cents(sub),
				"subscribed_date": p.w.fmtDate(p.est + 365*int32(5+int(p.idx+uint32(i))%20)), "subscribed_form": "currency"}
			if paidOn := p.est + 30 + int32(r.intn(700)); paidOn <= yearEnd && r.permille(500) {
				c["paid"], c["paid_date"], c["paid_form"] = cents(sub*int64(r.between(10, 100))/100), p.w.date(paidOn), "currency"
			}
			cs = append(cs, c)
		}
		m["contributions"] = cs
	}
	return m
}

var group7Items = [...]string{"employees", "total_assets", "total_liabilities", "owners_equity", "total_revenue",
	"main_revenue", "total_profit", "net_profit", "total_tax"}

var coopItems = [...]string{"total_revenue", "surplus", "total_tax", "subsidies", "loans"}

// publishSome returns the "publish" object of 0 to 4 items, nil for none.
func publishSome(r *rng, items []string) map[string]any {
	n := r.intn(5)
	if n == 0 {
		return nil
	}
	m := make(map[string]any, n)
	for len(m) < n {
		m[items[r.intn(len(items))]] = true
	}
	return m
}

// signedCents formats a signed amount given in hundredths.
func signedCents(n int64) string {
	if n < 0 {
		return "-" + cents(-n)
	}
	return cents(n)
}
