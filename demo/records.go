package demo

import (
	"github.com/gongshi/gongshi"
)

// unit is one call of the service inside a write batch.
type unit struct {
	op    uint8 // opRegister, opBranch: RegisterTx; opPublish: PublishTx; else AmendTx
	kind  uint8
	actor *gongshi.Account
	code  string // the subject's USCC, for PublishTx
	key   uint64 // the record: enterprise index << 8 | slot
	keep  bool   // remember the record id for a later version
	reg   gongshi.Registration
	pub   gongshi.Publication
	amend gongshi.Amendment
	// filing and order are an annual report (opAnnual) and an order (opOrder): annual.go.
	filing gongshi.AnnualReportFiling
	order  gongshi.OrderInput
}

func recordKey(idx uint32, slot uint8) uint64 { return uint64(idx)<<8 | uint64(slot) }

// build makes the unit for event i of plan p.
func (g *gen) build(p *plan, i int, u *unit) {
	e := &p.evs[i]
	*u = unit{op: e.op, kind: e.kind, key: recordKey(p.idx, e.slot), keep: e.keep}
	a := p.areaOf()
	regulator := g.regulators[a.prov]
	switch e.op {
	case opRegister:
		u.kind = kRegistration
		u.actor = regulator
		u.reg = gongshi.Registration{USCC: p.uscc(), RegNo: p.regNo(), Arose: p.w.date(e.arose), Fields: p.registration(e.arose)}
	case opBranch:
		u.kind = kRegistration
		u.keep = false
		ba := &p.w.areas[p.branchArea[e.sub]]
		u.actor = g.regulators[ba.prov]
		r := newRNG(p.seed, uint64(p.idx), 40+uint64(e.sub))
		head := person(mix64(uint64(p.seed)<<20 ^ uint64(p.idx)<<4 ^ uint64(32+e.sub)))
		u.reg = gongshi.Registration{USCC: p.branchUSCC(e.sub), Arose: p.w.date(e.arose), Fields: map[string]any{
			"name":                 p.branchName(e.sub),
			"type":                 gongshi.EnterpriseTypes[tBranch],
			"legal_representative": map[string]any{"name": p.w.personName(head), "id_number": p.w.personID(head, ba.code)},
			"established":          p.w.date(e.arose),
			"address":              p.w.addressIn(ba, &r, tBranch, false),
			"scope":                p.scopeAt(e.arose),
			"status":               "存续",
			"key_personnel":        []any{map[string]any{"name": p.w.personName(head), "position": "负责人"}},
			"contact_phone":        phone(&r),
		}}
	case opChange:
		u.kind = kRegistration
		u.actor = regulator
		f := map[string]any{}
		switch e.sub {
		case chAddress:
			f["address"] = p.address(1, false)
		case chCapital:
			f["registered_capital"] = cents(p.capital2)
			if l := p.shareholders(p.capital2); l != nil {
				f["shareholders"] = l
			}
		case chName:
			f["name"] = p.nameAt(e.arose)
		case chRep:
			f["legal_representative"] = p.personObj(p.rep2)
			if l := p.personnel(p.rep2); l != nil {
				f["key_personnel"] = l
			}
		case chScope:
			f["scope"] = p.scope(true)
		}
		u.amend = gongshi.Amendment{Arose: p.w.date(e.arose), Fields: f}
	case opRegFix:
		u.kind = kRegistration
		u.actor = regulator
		u.amend = gongshi.Amendment{Arose: p.w.date(e.arose), Reason: "更正：住所门牌号录入错误",
			Fields: map[string]any{"address": p.address(0, false)}}
	case opBranchFile:
		u.kind = kRegistration
		u.actor = regulator
		u.amend = gongshi.Amendment{Arose: p.w.date(e.arose), Fields: map[string]any{"branches": p.branchList(e.arose)}}
	case opEnd:
		u.kind = kRegistration
		u.actor = regulator
		u.amend = gongshi.Amendment{Arose: p.w.date(e.arose), Fields: map[string]any{"status": p.statusAt(e.arose)}}
	case opPublish:
		u.code = p.uscc()
		var f map[string]any
		f, u.actor = g.record(p, e, e.wrong)
		u.pub = gongshi.Publication{Kind: kindNames[e.kind], Arose: p.w.date(e.arose), Fields: f}
	case opFollow:
		u.amend = gongshi.Amendment{Arose: p.w.date(e.arose)}
		if e.sub == fuCorrect {
			u.amend.Arose = "" // a correction keeps the day and the timeliness of what it corrects
		}
		orig := p.original(i)
		var right map[string]any
		right, u.actor = g.record(p, orig, false)
		u.amend.Fields, u.amend.Reason = followUp(p, orig, e, right)
	default:
		g.buildFiling(p, i, u)
	}
}

// original returns the first version's event of the record event i amends.
func (p *plan) original(i int) *event {
	for j := 0; j < i; j++ {
		if p.evs[j].op == opPublish && p.evs[j].slot == p.evs[i].slot {
			return &p.evs[j]
		}
	}
	panic("demo: follow-up without its record")
}

// liaison is the enterprise's own account for what it discloses (Art. 10).
func (g *gen) liaison(p *plan, day int32) *gongshi.Account {
	i := 0
	if c := p.ch[chName]; c >= 0 && c <= day {
		i = 1
	}
	if p.liaison[i] == nil {
		code := p.uscc()
		p.liaison[i] = &gongshi.Account{ID: "liaison-" + code, Name: p.nameAt(day), Role: gongshi.RoleEnterprise, Enterprise: code}
	}
	return p.liaison[i]
}

// record returns the first version's body of a record and who publishes it. The record's
// details come from its own stream, so a later version can recompute them.
func (g *gen) record(p *plan, e *event, wrong bool) (map[string]any, *gongshi.Account) {
	w := p.w
	a := p.areaOf()
	prov := &w.provs[a.prov]
	r := newRNG(p.seed, uint64(p.idx), 100+uint64(e.slot))
	year := w.dates[e.arose][:4]
	switch e.kind {
	case kMortgage:
		amount := int64(r.between(10, 3000)) * 100
		if wrong {
			amount *= 10
		}
		return map[string]any{
			"registration_no": a.code + year + string(appendDigits(nil, r.intn(10000), 4)),
			"mortgagee":       bank(&r, a),
			"secured_amount":  cents(amount),
			"collateral":      collaterals[r.intn(len(collaterals))] + itoa(r.between(1, 30)) + "台（套）",
			"term_from":       w.date(e.arose),
			"term_to":         w.fmtDate(e.arose + int32(r.between(365, 1100))),
			"status":          "valid",
		}, g.regulators[a.prov]
	case kPledge:
		h := p.holders[e.sub]
		amount := p.capitalAt(e.arose) * int64(h.pct) / 100
		if wrong {
			amount = amount*10 + 100
		}
		m := map[string]any{
			"registration_no": prov.abbrev + "股质登记设字〔" + year + "〕第" + string(appendDigits(nil, r.intn(100000), 5)) + "号",
			"pledgor":         p.holderName(e.sub),
			"pledgee":         bank(&r, a),
			"amount":          cents(amount),
			"status":          "valid",
		}
		if !h.legal {
			m["pledgor_id_number"] = w.personID(h.p, a.code)
		}
		return m, g.regulators[a.prov]
	case kPenalty:
		return g.penalty(p, e, &r, year, wrong)
	case kLicence:
		l := &licences[e.sub]
		valid := e.arose + 365*5 - 1
		if wrong {
			valid -= 365
		}
		m := map[string]any{
			"licence_no": prov.abbrev + year + string(appendDigits(nil, r.intn(1000000), 6)),
			"name":       l.name,
			"action":     "granted",
			"valid_from": w.date(e.arose),
			"valid_to":   w.fmtDate(valid),
			"content":    l.content,
		}
		if r.permille(150) {
			m["action"] = "extended"
		}
		if l.dept >= 0 {
			m["issuer"] = a.city + departments[l.dept].local
			return m, g.depts[a.prov][l.dept]
		}
		if l.issuer == "通信管理局" {
			m["issuer"] = prov.name + l.issuer
		} else {
			m["issuer"] = a.city + l.issuer
		}
		return m, g.liaison(p, e.pub)
	case kIPPledge:
		m := map[string]any{"pledgee": bank(&r, a), "term_from": w.date(e.arose), "status": "valid"}
		term := e.arose + int32(r.between(365, 1100))
		if wrong {
			term += 365
		}
		m["term_to"] = w.fmtDate(term)
		switch r.intn(3) {
		case 0:
			m["ip_type"], m["ip_no"], m["ip_name"] = "trademark", string(appendDigits(nil, r.between(1000000, 79999999), 8)), p.tr.String()
		case 1:
			b := append([]byte("ZL"), year...)
			b = append(appendDigits(append(b, '1'), r.intn(10000000), 7), '.')
			b = appendDigits(b, r.intn(10), 1)
			m["ip_type"], m["ip_no"], m["ip_name"] = "patent", string(b), "一种"+patentSubjects[r.intn(len(patentSubjects))]
		default:
			m["ip_type"], m["ip_no"], m["ip_name"] = "copyright", "软著登字第"+string(appendDigits(nil, r.intn(10000000), 7))+"号", p.tr.String()+"管理系统V1.0"
		}
		return m, g.liaison(p, e.pub)
	case kContribution:
		h := p.holders[e.sub]
		amount := p.capital * int64(h.pct) / 100
		if wrong {
			amount = amount*10 + 100
		}
		form := "currency"
		if x := r.intn(100); x >= 88 {
			form = [...]string{"in_kind", "intellectual_property", "land_use_right"}[x%3]
		}
		return map[string]any{
			"shareholder":     p.holderName(e.sub),
			"subscribed":      cents(amount),
			"subscribed_date": w.fmtDate(p.est + int32(365*r.between(5, 30))),
			"subscribed_form": form,
		}, g.liaison(p, e.pub)
	case kTransfer:
		h := p.holders[e.sub]
		after := 0
		if r.permille(400) {
			after = r.between(0, int(h.pct))
		}
		if wrong {
			after = (after + 10) % 101
		}
		return map[string]any{
			"shareholder":    p.holderName(e.sub),
			"before_percent": itoa(int(h.pct)),
			"after_percent":  itoa(after),
			"transferred":    w.date(e.arose),
		}, g.liaison(p, e.pub)
	}
	panic("demo: unknown record kind")
}

// penalty returns an administrative penalty's body and its publisher: the regulator, a
// department, or (a tax penalty) the enterprise disclosing it (Art. 10).
func (g *gen) penalty(p *plan, e *event, r *rng, year string, wrong bool) (map[string]any, *gongshi.Account) {
	w := p.w
	a := p.areaOf()
	prov := &w.provs[a.prov]
	no := func(office string) string {
		return prov.abbrev + office + "〔" + year + "〕" + itoa(r.between(1, 3000)) + "号"
	}
	if e.sub == revokeViolation {
		return map[string]any{
			"decision_no": no("市监处"),
			"violation":   "成立后无正当理由超过六个月未开业或者开业后自行停业连续六个月以上",
			"basis":       "《中华人民共和国市场主体登记管理条例》第四十六条",
			"content":     "吊销营业执照",
			"authority":   a.local + "市场监督管理局",
			"decided":     w.date(e.arose),
		}, g.regulators[a.prov]
	}
	v := &violations[e.sub]
	fine := 0
	if v.fineHi > 0 {
		fine = r.between(v.fineLo, v.fineHi) / 100 * 100
	}
	content := "警告"
	if fine > 0 && (v.fineLo > 0 || r.permille(600)) {
		if wrong {
			fine *= 10
		}
		content = "罚款" + itoa(fine) + "元"
	} else if wrong {
		fine, content = 200, "罚款200元"
	} else {
		fine = 0
	}
	m := map[string]any{
		"violation": v.what,
		"basis":     v.basis,
		"content":   content,
		"fine":      itoa(fine),
		"minor":     fine <= 5000,
		"decided":   w.date(e.arose),
	}
	switch {
	case v.dept >= 0:
		m["decision_no"] = no([...]string{"环罚", "卫罚", "建罚", "应急罚", "交罚", "文旅罚"}[v.dept])
		m["authority"] = a.city + departments[v.dept].local
		return m, g.depts[a.prov][v.dept]
	case v.dept == -2:
		m["decision_no"] = no("税简罚")
		m["authority"] = "国家税务总局" + a.local + "税务局"
		return m, g.liaison(p, e.pub)
	}
	m["decision_no"] = no("市监罚")
	m["authority"] = a.local + "市场监督管理局"
	return m, g.regulators[a.prov]
}

// followUp returns the fields and reason of a later version of the record orig, whose
// right first version is right.
func followUp(p *plan, orig, e *event, right map[string]any) (map[string]any, string) {
	switch e.sub {
	case fuCancel:
		return map[string]any{"status": "cancelled"}, ""
	case fuPaid:
		return map[string]any{"paid": right["subscribed"], "paid_date": p.w.date(e.arose), "paid_form": "currency"}, ""
	}
	f := map[string]any{}
	var what string
	switch orig.kind {
	case kMortgage:
		f["secured_amount"], what = right["secured_amount"], "被担保债权数额"
	case kPledge:
		f["amount"], what = right["amount"], "出质股权数额"
	case kPenalty:
		f["fine"], f["content"], f["minor"], what = right["fine"], right["content"], right["minor"], "罚款金额"
	case kLicence:
		f["valid_to"], what = right["valid_to"], "有效期"
	case kIPPledge:
		f["term_to"], what = right["term_to"], "质权登记期限"
	case kContribution:
		f["subscribed"], what = right["subscribed"], "认缴出资额"
	case kTransfer:
		f["after_percent"], what = right["after_percent"], "变更后股权比例"
	}
	return f, "更正：" + what + "录入错误"
}

// bank returns a bank branch near the area.
func bank(r *rng, a *area) string {
	b := banks[r.intn(len(banks))] + "股份有限公司"
	if b == "中国邮政储蓄银行股份有限公司" || r.permille(400) {
		return b + a.cityShort + "分行"
	}
	d := a.district
	if len([]rune(d)) > 2 {
		d = string([]rune(d)[:len([]rune(d))-1])
	}
	return b + a.cityShort + d + "支行"
}
