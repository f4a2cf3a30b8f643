package demo

import (
	"strconv"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/ident"
)

// Names, addresses and bodies of one enterprise as they stand on a given day.

func (p *plan) areaOf() *area { return &p.w.areas[p.area] }

// name returns the enterprise's name with the given trade name and industry.
func (p *plan) name(tr trade, ind uint8) string {
	a := p.areaOf()
	switch p.typ {
	case tIndividual:
		r := newRNG(p.seed, uint64(p.idx), 3)
		owner := tr.String()
		switch x := r.intn(10); {
		case x < 4:
			owner = "小" + p.w.personSurname(p.rep)
		case x < 6:
			owner = "老" + p.w.personSurname(p.rep)
		}
		return a.local + owner + shops[ind].name
	case tCoop:
		return a.district + tr.String() + coopProducts[ind] + "专业合作社"
	}
	region := a.region
	if p.regionForm == 1 {
		region = p.w.provs[a.prov].short
	}
	var industry, form string
	industry = industries[ind].name
	switch p.typ {
	case tLLC, tForeign:
		form = "有限公司"
		if p.formAlt {
			form = "有限责任公司"
		}
	case tJoint:
		form = "股份有限公司"
	case tSole:
		industry, form = "", [...]string{"商行", "经营部", "工作室"}[p.idx%3]
	case tPartner:
		industry = [...]string{"投资管理", "企业管理咨询", "股权投资"}[p.idx%3]
		form = "合伙企业（有限合伙）"
		if p.formAlt {
			form = "合伙企业（普通合伙）"
		}
	}
	if p.regionForm == 2 {
		return tr.String() + "（" + region + "）" + industry + form
	}
	return region + tr.String() + industry + form
}

func (w *world) personSurname(p person) string {
	r := rng{uint64(p)}
	return surnames[w.surnameW.pick(&r)].s
}

func (p *plan) nameAt(d int32) string {
	i := 0
	if c := p.ch[chName]; c >= 0 && c <= d {
		i = 1
	}
	if p.names[i] == "" {
		p.names[i] = p.newName(i)
	}
	return p.names[i]
}

func (p *plan) newName(i int) string {
	if i == 0 {
		return p.name(p.tr, p.ind)
	}
	n := p.name(p.tr2, p.ind2)
	if n != p.name(p.tr, p.ind) {
		return n
	}
	k := len(industries)
	if p.typ == tCoop {
		k = len(coopProducts)
	}
	return p.name(p.tr2, (p.ind2+1)%uint8(k))
}

func (p *plan) repAt(d int32) person {
	if c := p.ch[chRep]; c >= 0 && c <= d {
		return p.rep2
	}
	return p.rep
}

func (p *plan) capitalAt(d int32) int64 {
	if c := p.ch[chCapital]; c >= 0 && c <= d {
		return p.capital2
	}
	return p.capital
}

// address returns the registered address: version 0 at registration, 1 after a change;
// wrong gives the mistyped house number a correction fixes.
func (p *plan) address(version uint64, wrong bool) string {
	a := p.areaOf()
	r := newRNG(p.seed, uint64(p.idx), 50+version)
	return p.w.addressIn(a, &r, p.typ, wrong)
}

func (w *world) addressIn(a *area, r *rng, typ uint8, wrong bool) string {
	num := r.between(1, 999)
	if wrong {
		num = num*10 + 1
	}
	var buf [64]byte
	b := strconv.AppendInt(buf[:0], int64(num), 10)
	if typ == tCoop {
		return a.full + tradeWords[r.intn(len(tradeWords))] + "村" + string(b) + "号"
	}
	b = append(b, "号"...)
	switch x := r.intn(10); {
	case x < 3:
		b = strconv.AppendInt(b, int64(r.between(1, 30)), 10)
		b = append(b, "幢"...)
		b = strconv.AppendInt(b, int64(r.between(1, 28)*100+r.between(1, 20)), 10)
		b = append(b, "室"...)
	case x < 5:
		b = strconv.AppendInt(b, int64(r.between(1, 30)), 10)
		b = append(b, "层"...)
	}
	return a.full + roads[r.intn(len(roads))] + string(b)
}

func (p *plan) addressAt(d int32) string {
	if c := p.ch[chAddress]; c >= 0 && c <= d {
		return p.address(1, false)
	}
	return p.address(0, p.evs[0].wrong && (p.regFix < 0 || d < p.regFix))
}

func (p *plan) scope(changed bool) string {
	var s string
	switch p.typ {
	case tIndividual:
		s = shops[p.ind].scope
	case tCoop:
		s = "组织收购、销售成员及同类生产经营者的产品；开展成员所需的运输、贮藏、加工、包装等服务；引进新技术、新品种，开展技术培训、技术交流和信息咨询服务（" + coopProducts[p.ind] + "）"
	default:
		s = industries[p.ind].scope
	}
	if changed {
		s += "；" + industries[(int(p.ind)+int(p.idx))%len(industries)].scope
	}
	return s + scopeTail
}

// section is the enterprise's section of GB/T 4754-2017: its trade's, and agriculture (A)
// for a farmers' cooperative.
func (p *plan) section() string {
	switch p.typ {
	case tIndividual:
		return shops[p.ind].section
	case tCoop:
		return "A"
	}
	return industries[p.ind].section
}

func (p *plan) scopeAt(d int32) string {
	c := p.ch[chScope]
	return p.scope(c >= 0 && c <= d)
}

func (p *plan) statusAt(d int32) string {
	if p.end >= 0 && p.end <= d {
		if p.revoked {
			return "吊销"
		}
		return "注销"
	}
	return "存续"
}

// uscc returns the enterprise's code: authority 9 (market regulation), entity type by
// category, the area, and an organisation code derived from its index.
func (p *plan) uscc() string {
	if p.code == "" {
		p.code = p.newUSCC()
	}
	return p.code
}

func (p *plan) newUSCC() string {
	t := byte(ident.EntityEnterprise)
	switch p.typ {
	case tIndividual:
		t = ident.EntityIndividual
	case tCoop:
		t = ident.EntityFarmerCooperative
	}
	u, err := ident.GenerateUSCC(ident.AuthorityMarket, t, p.areaOf().code, p.off+uint64(p.idx))
	if err != nil {
		panic(err) // the arguments are ours and valid
	}
	return u.String()
}

func (p *plan) branchUSCC(j uint8) string {
	u, err := ident.GenerateUSCC(ident.AuthorityMarket, ident.EntityEnterprise, p.w.areas[p.branchArea[j]].code,
		1<<39+p.off+uint64(p.idx)*maxBranches+uint64(j))
	if err != nil {
		panic(err)
	}
	return u.String()
}

// regNo returns the registration number of an enterprise established before 2016, when the
// USCC replaced it; "" for later ones.
func (p *plan) regNo() string {
	if p.est >= regNoUntil {
		return ""
	}
	sector := uint64(1)
	switch p.typ {
	case tForeign:
		sector = 4
	case tIndividual:
		sector = 6
	case tCoop:
		sector = 3
	}
	r, err := ident.GenerateRegNo(p.areaOf().code, sector*10_000_000+uint64(p.idx)%10_000_000)
	if err != nil {
		panic(err)
	}
	return r.String()
}

var regNoUntil = int32(5113) // 2016-01-01 as a day number from 2002-01-01

func (p *plan) personObj(x person) map[string]any {
	return map[string]any{"name": p.w.personName(x), "id_number": p.w.personID(x, p.areaOf().code)}
}

// holderName returns a shareholder's name: a person's, or for a legal person an investment
// company's (a foreign one for a foreign-invested enterprise).
func (p *plan) holderName(i uint8) string {
	h := p.holders[i]
	if !h.legal {
		return p.w.personName(h.p)
	}
	r := rng{uint64(h.p)}
	t := newTrade(&r)
	if p.typ == tForeign {
		f := foreignShareholders[r.intn(len(foreignShareholders))]
		return f[0] + t.String() + f[1]
	}
	return p.areaOf().region + t.String() + [...]string{"投资有限公司", "实业有限公司", "控股有限公司", "集团有限公司"}[r.intn(4)]
}

func (p *plan) shareholders(capital int64) []any {
	if p.nHolders == 0 {
		return nil
	}
	l := make([]any, p.nHolders)
	for i := uint8(0); i < p.nHolders; i++ {
		h := p.holders[i]
		m := map[string]any{"name": p.holderName(i), "kind": "natural_person",
			"subscribed": cents(capital * int64(h.pct) / 100)}
		if h.legal {
			m["kind"] = "legal_person"
		} else {
			m["id_number"] = p.w.personID(h.p, p.areaOf().code)
		}
		l[i] = m
	}
	return l
}

func (p *plan) personnel(rep person) []any {
	pos := func(x person, position string) any {
		return map[string]any{"name": p.w.personName(x), "position": position}
	}
	other := func(k uint64) person { return person(mix64(uint64(p.seed)<<20 ^ uint64(p.idx)<<4 ^ (16 + k))) }
	switch p.typ {
	case tLLC, tForeign:
		if p.capital < 1000*100 {
			return []any{pos(rep, "执行董事兼总经理"), pos(other(0), "监事")}
		}
		return []any{pos(rep, "董事长"), pos(other(0), "董事"), pos(other(1), "董事"), pos(other(2), "总经理"), pos(other(3), "监事")}
	case tJoint:
		return []any{pos(rep, "董事长"), pos(other(0), "董事"), pos(other(1), "董事"), pos(other(2), "董事"),
			pos(other(3), "董事兼总经理"), pos(other(4), "监事会主席"), pos(other(5), "监事"), pos(other(6), "职工代表监事")}
	case tSole:
		return []any{pos(rep, "投资人")}
	case tPartner:
		return []any{pos(rep, "执行事务合伙人")}
	case tCoop:
		return []any{pos(rep, "理事长"), pos(other(0), "理事"), pos(other(1), "监事")}
	}
	return nil
}

// registration returns the registration body as the enterprise stood on day d.
func (p *plan) registration(d int32) map[string]any {
	rep := p.repAt(d)
	capital := p.capitalAt(d)
	r := newRNG(p.seed, uint64(p.idx), 4)
	m := map[string]any{
		"name":                 p.nameAt(d),
		"type":                 gongshi.EnterpriseTypes[p.typ],
		"legal_representative": p.personObj(rep),
		"registered_capital":   cents(capital),
		"currency":             currencies[p.currency],
		"established":          p.w.date(p.est),
		"address":              p.addressAt(d),
		"scope":                p.scopeAt(d),
		"industry":             p.section(),
		"status":               p.statusAt(d),
		"contact_phone":        phone(&r),
	}
	if p.typ != tIndividual && r.permille(700) {
		m["term_to"] = p.w.fmtDate(p.est + int32(365*[...]int{10, 20, 20, 30, 30, 50}[r.intn(6)]) - 1)
	}
	if l := p.shareholders(capital); l != nil {
		m["shareholders"] = l
	}
	if l := p.personnel(rep); l != nil {
		m["key_personnel"] = l
	}
	if l := p.branchList(d); l != nil {
		m["branches"] = l
	}
	return m
}

func (p *plan) branchName(j uint8) string {
	a := &p.w.areas[p.branchArea[j]]
	place := a.region
	if place == p.areaOf().region {
		place = a.district
	}
	return p.nameAt(p.branches[j]) + place + "分公司"
}

// branchList returns the branches established by day d.
func (p *plan) branchList(d int32) []any {
	var l []any
	for j := uint8(0); j < p.nBranches && p.branches[j] <= d; j++ {
		l = append(l, map[string]any{"name": p.branchName(j), "code": p.branchUSCC(j)})
	}
	return l
}
