package demo

import (
	"context"
	"fmt"

	"github.com/gongshi/gongshi"
)

// The register's later rules in the finale (issue 16), in district A: a court freezes
// shareholders' equity in two enterprises and lifts one freeze (司法协助); a department
// publishes a licence and a correction request about it goes to the department's queue;
// two enterprises apply for simplified deregistration (简易注销): a creditor objects to
// one, which is refused, and the other is deregistered. Three enterprises the regulator
// lists as unreachable object (SAIC Order 68 Art. 13): one objection is accepted and
// upheld, one not accepted, one accepted and awaiting its answer. Up to three enterprises
// (of any district) with no report for the last two years whose windows closed are found
// unreachable and listed (ground 4), and weeks later their licences are revoked (Decree
// 777, 2024).

// laterState is what the later rules' steps pass on.
type laterState struct {
	court   *gongshi.Account
	licence string    // the department's licence record
	freeze  string    // the document number of the freeze lifted later
	holder  string    // whose equity it froze
	dereg   [2]string // enterprises whose notices run
	listed  []listedEntry
	revoke  []revocation
}

// revocation is an enterprise listed as unreachable whose licence is to be revoked, and
// the regulator of its province.
type revocation struct {
	code, city string
	reg        *gongshi.Account
}

// maxRevocations is how many licences the finale revokes at most.
const maxRevocations = 3

// listedEntry is an enterprise the regulator listed as unreachable in the finale, and its
// entry, to which it objects.
type listedEntry struct{ code, entry string }

// laterRules runs the later rules' part of finale step k.
func (g *gen) laterRules(ctx context.Context, svc *gongshi.Service, k int, tick func(), day int32, cs *CheckStats) error {
	x, w := &g.x, g.w
	aA := &w.areas[x.areas[0]]
	today := w.dates[day]
	fail := func(what string, err error) error { return fmt.Errorf("demo later rules, %s: %w", what, err) }
	switch k {
	case 1:
		court, _, err := svc.CreateAccount(ctx, gongshi.NewAccount{ID: "court-" + aA.code, Name: aA.cityShort + aA.district + "人民法院", Role: gongshi.RoleCourt})
		if err != nil {
			return fail("court account", err)
		}
		x.later.court = court
		for i, code := range []string{x.codes[0][10], x.codes[0][11]} {
			ent, err := svc.Enterprise(ctx, gongshi.Anonymous, code)
			if err != nil {
				return fail("enterprise", err)
			}
			holder := ent.LegalRep
			if l, _ := ent.Profile["shareholders"].([]any); len(l) > 0 {
				holder = fmt.Sprint(l[0].(map[string]any)["name"])
			}
			no := fmt.Sprintf("（%s）%s执%d号", today[:4], aA.code[:2]+"0"+aA.code[4:], 1200+i)
			tick()
			if _, err := svc.Publish(ctx, court, code, gongshi.Publication{Kind: gongshi.KindJudicialAssistance.Name, Arose: today, Fields: map[string]any{
				"notice": gongshi.JudicialFreeze, "court": court.Name, "document_no": no, "shareholder": holder, "amount": "50",
				"executed": today, "freeze_from": today, "freeze_to": w.fmtDate(day + 3*365 - 1)}}); err != nil {
				return fail("freeze", err)
			}
			x.later.freeze, x.later.holder = no, holder
			cs.Judicial++
		}
		tick()
		lic, err := svc.Publish(ctx, g.depts[aA.prov][0], x.codes[0][12], gongshi.Publication{Kind: "licence", Arose: today, Fields: map[string]any{
			"licence_no": fmt.Sprintf("%s许%s%04d", aA.cityShort, today[:4], day%10000), "name": "许可证", "action": "granted",
			"issuer": g.depts[aA.prov][0].Name, "valid_from": today}})
		if err != nil {
			return fail("licence", err)
		}
		x.later.licence = lic.Record
	case 3:
		n := 0
		for i := 13; i < len(x.codes[0]) && n < 2; i++ {
			code := x.codes[0][i]
			if code == x.bank.Enterprise {
				continue
			}
			tick()
			la := &gongshi.Account{ID: "liaison-" + code, Role: gongshi.RoleEnterprise, Enterprise: code}
			_, err := svc.ApplySimpleDeregistration(ctx, la, code, gongshi.DeregistrationApplication{Commitment: "本企业全体投资人承诺：企业未发生债权债务或者已将债权债务清偿完结，不存在未结清清算费用、职工工资、社会保险费用、法定补偿金、应缴纳税款等情形，对上述情况的真实性承担法律责任。"})
			if gongshi.ErrorCode(err) == gongshi.ECONFLICT || gongshi.ErrorCode(err) == gongshi.EINVALID {
				continue // barred (listed, pledged, branches …) or an individual business
			}
			if err != nil {
				return fail("deregistration notice", err)
			}
			x.later.dereg[n] = code
			n++
			cs.Deregistrations++
		}
		tick()
		c, err := svc.FileCase(ctx, gongshi.CaseForm{Kind: gongshi.CaseCorrection, Enterprise: x.codes[0][12], Record: x.later.licence,
			Subject: "申请更正行政许可信息", Content: "公示的许可有效期起始日期有误，申请核实更正。", Person: x.person(g, 5, aA, false)})
		if err != nil {
			return fail("correction request about a licence", err)
		}
		if c.Handler != "" {
			cs.Routed++
		}
	case 4:
		if code := x.later.dereg[1]; code != "" {
			tick()
			if _, err := svc.ObjectToSimpleDeregistration(ctx, gongshi.Anonymous, code, gongshi.DeregistrationObjection{
				Objector: aA.cityShort + "恒信建材有限公司", ObjectorKind: "creditor", Content: "该企业尚欠我公司货款人民币12.6万元未清偿，不符合简易注销条件。"}); err != nil {
				return fail("objection", err)
			}
			cs.Deregistrations++
		}
		tick()
		if _, err := svc.Publish(ctx, x.later.court, x.codes[0][11], gongshi.Publication{Kind: gongshi.KindJudicialAssistance.Name, Arose: today, Fields: map[string]any{
			"notice": gongshi.JudicialUnfreeze, "court": x.later.court.Name, "document_no": x.later.freeze + "之一", "lifts": x.later.freeze,
			"shareholder": x.later.holder, "amount": "50", "executed": today}}); err != nil {
			return fail("unfreeze", err)
		}
		cs.Judicial++
	case 5:
		for i := len(x.codes[0]) - 1; i >= 13 && len(x.later.listed) < 3; i-- {
			code := x.codes[0][i]
			if code == x.bank.Enterprise || code == x.later.dereg[0] || code == x.later.dereg[1] {
				continue
			}
			// The clock moves on after a listing only: an attempt refused writes nothing, and
			// on a register of millions, three minutes for each of hundreds of them took the
			// clock past midnight, so that the next step, on the same day, objected to a
			// listing not yet in force.
			l, err := g.listUnreachable(ctx, svc, x.regulator, code, day, "经实地核查，通过登记的住所无法联系", fmt.Sprintf("%s市监异〔%s〕%d号", aA.cityShort, today[:4], 300+i))
			if err != nil {
				return fail("listing", err)
			}
			if l != nil {
				x.later.listed = append(x.later.listed, listedEntry{code, l.Entry.ID})
				tick()
			}
		}
		if err := g.listUnreported(ctx, svc, tick, day); err != nil {
			return fail("listing for revocation", err)
		}
	case 6:
		answers := []gongshi.CaseDecision{
			{Outcome: gongshi.OutcomeAccepted, Answer: "异议申请材料齐全，予以受理"},
			{Outcome: gongshi.OutcomeNotAccepted, Answer: "未提交住所可以联系的证明材料，不予受理"},
			{Outcome: gongshi.OutcomeAccepted, Answer: "异议申请材料齐全，予以受理"},
		}
		for i, l := range x.later.listed {
			tick()
			la := &gongshi.Account{ID: "liaison-" + l.code, Role: gongshi.RoleEnterprise, Enterprise: l.code}
			c, err := svc.Object(ctx, la, l.code, gongshi.CaseInput{Entry: l.entry, Reason: "本企业在登记住所正常经营，可以取得联系，请求撤销列入决定"})
			if err != nil {
				return fail("objection to a listing", err)
			}
			tick()
			in := answers[i]
			in.DocumentNo = fmt.Sprintf("%s市监异受〔%s〕%d号", aA.cityShort, today[:4], 10+i)
			if _, err := svc.DecideCase(ctx, x.regulator, c.ID, in); err != nil {
				return fail("objection acceptance", err)
			}
			cs.Objections++
			if i == 0 {
				tick()
				if _, err := svc.DecideCase(ctx, x.regulator, c.ID, gongshi.CaseDecision{Outcome: gongshi.OutcomeUpheld,
					DocumentNo: fmt.Sprintf("%s市监异〔%s〕%d号之一", aA.cityShort, today[:4], 10+i), Answer: "经核实，企业可以通过登记的住所取得联系，列入有误，予以撤销"}); err != nil {
					return fail("objection answer", err)
				}
				cs.Objections++
			}
		}
	case 7:
		for i, r := range x.later.revoke {
			tick()
			_, err := svc.RevokeLicence(ctx, r.reg, r.code, gongshi.LicenceRevocationInput{DocumentNo: fmt.Sprintf("%s市监吊〔%s〕%d号", r.city, today[:4], 20+i)})
			if c := gongshi.ErrorCode(err); c == gongshi.ECONFLICT {
				continue // a report filed late since the listing
			}
			if err != nil {
				return fail("licence revocation", err)
			}
			cs.Revocations++
		}
		for i, code := range x.later.dereg {
			if code == "" {
				continue
			}
			in := gongshi.DeregistrationDecision{Outcome: gongshi.DeregistrationGranted, DocumentNo: fmt.Sprintf("（%s）登记企销字〔%s〕第%d号", aA.district, today[:4], 100+i)}
			if i == 1 {
				in.Outcome, in.Reason = gongshi.DeregistrationRefused, "公告期内有利害关系人提出异议，不予简易注销登记；企业可依普通注销程序办理。"
			}
			tick()
			if _, err := svc.DecideSimpleDeregistration(ctx, x.regulator, code, in); err != nil {
				return fail("deregistration decision", err)
			}
			cs.Deregistrations++
		}
	}
	return nil
}

// listUnreported lists as unreachable (ground 4) up to maxRevocations enterprises in
// business, established before the last of the two report years whose windows have closed,
// with no report for either, as their plans say: those whose licences step 7 revokes. It
// looks at the first plans only.
func (g *gen) listUnreported(ctx context.Context, svc *gongshi.Service, tick func(), day int32) error {
	x, w := &g.x, g.w
	today := w.dates[day]
	last := yearOf(day) - 1
	if day <= jun30(last+1) {
		last-- // its window is still open
	}
	taken := map[string]bool{x.bank.Enterprise: true, x.later.dereg[0]: true, x.later.dereg[1]: true}
	for _, l := range x.later.listed {
		taken[l.code] = true
	}
	var p plan
	for i := 0; i < min(x.n, 50000) && len(x.later.revoke) < maxRevocations; i++ {
		p.nYears = x.nYears
		w.makePlan(&p, g.seed, uint32(i), g.until)
		if p.n == 0 || p.evs[0].pub >= day || p.end >= 0 && p.end <= g.until || p.typ == tIndividual || p.typ == tBranch || p.est >= jan1(last) {
			continue
		}
		filed := false
		for k := uint8(0); k < p.n; k++ {
			if e := &p.evs[k]; e.op == opAnnual && e.pub < day && (2000+int(e.sub) == last || 2000+int(e.sub) == last-1) {
				filed = true
			}
		}
		code := p.uscc()
		if filed || taken[code] {
			continue
		}
		a := &w.areas[p.area]
		r := revocation{code: code, city: a.cityShort, reg: g.regulators[a.prov]}
		l, err := g.listUnreachable(ctx, svc, r.reg, code, day, "经实地核查，通过登记的住所无法联系；连续两年未报送年度报告", fmt.Sprintf("%s市监异〔%s〕%d号", a.cityShort, today[:4], 400+i))
		if err != nil {
			return err
		}
		if l != nil { // as above: the clock moves on after a listing only
			x.later.revoke = append(x.later.revoke, r)
			tick()
		}
	}
	return nil
}

// listUnreachable lists enterprise code as unreachable (ground 4), verified the day before
// day, by reg's decision docNo; nil when it is not listed (deregistered, or listed on that
// ground already).
func (g *gen) listUnreachable(ctx context.Context, svc *gongshi.Service, reg *gongshi.Account, code string, day int32, facts, docNo string) (*gongshi.ListingDecided, error) {
	l, err := svc.DecideListing(ctx, reg, code, gongshi.ListingDecision{Ground: gongshi.GroundUnreachable, Verified: g.w.fmtDate(day - 1), Facts: facts, DocumentNo: docNo})
	if c := gongshi.ErrorCode(err); c == gongshi.ECONFLICT || c == gongshi.EINVALID {
		return nil, nil
	}
	return l, err
}
