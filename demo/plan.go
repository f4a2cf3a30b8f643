package demo

import (
	"math"

	"github.com/gongshi/gongshi"
)

// Registered types, as indexes into gongshi.EnterpriseTypes.
const (
	tLLC        = iota // 有限责任公司
	tJoint             // 股份有限公司
	tSole              // 个人独资企业
	tPartner           // 合伙企业
	tForeign           // 外商投资企业
	tBranch            // 分公司
	tIndividual        // 个体工商户
	tCoop              // 农民专业合作社
)

// typeWeights are the shares of the principal types, in tenths of a per cent; branches come
// from their parents.
var typeWeights = newWeights([]int{700, 25, 40, 30, 20, 0, 150, 35})

// Record kinds an event publishes or amends.
const (
	kRegistration = iota
	kMortgage
	kPledge
	kPenalty
	kLicence
	kIPPledge
	kContribution
	kTransfer
	numKinds
)

var kindNames = [numKinds]string{"registration", "chattel_mortgage", "equity_pledge", "penalty", "licence",
	"ip_pledge", "capital_contribution", "equity_transfer"}

// Operations of events.
const (
	opRegister   = iota // register the enterprise (slot 0)
	opChange            // registration change (变更) of field group sub
	opRegFix            // correction of the registration's address
	opEnd               // status 注销 or 吊销
	opBranch            // register branch sub as an enterprise of its own
	opBranchFile        // record branch sub in the parent's registration
	opPublish           // publish a record of kind in slot
	opFollow            // a later version of the record in slot: sub is a follow-up
)

// Registration changes, each at most once in an enterprise's life.
const (
	chAddress = iota
	chCapital
	chName
	chRep
	chScope
	numChanges
)

var changePermille = [numChanges]int{300, 200, 100, 200, 150}

// Follow-ups of a record.
const (
	fuCorrect = iota // correction (更正) of a wrong field of version 1
	fuCancel         // mortgage, pledge or IP pledge cancelled (注销)
	fuPaid           // capital paid in (实缴)
)

const (
	maxHolders  = 5
	maxEvents   = 48
	maxBranches = 2
)

// event is one record version to publish: what, when it arose and when it is published.
type event struct {
	pub, arose int32 // day numbers
	op         uint8
	kind       uint8
	slot       uint8 // the record among the enterprise's: 0 is the registration
	sub        uint8
	wrong      bool // version 1 carries an error a later correction fixes
	keep       bool // a later version follows: remember the record id
	fulfils    bool // the disclosure an order asked for (annual.go)
}

type holder struct {
	legal bool
	pct   uint8
	p     person
}

// plan is everything about one enterprise, regenerated from (seed, index) in a few hundred
// nanoseconds and without allocating.
type plan struct {
	w     *world
	seed  int64
	idx   uint32
	until int32
	off   uint64 // added to the index to make organisation codes: differs by seed

	typ        uint8
	area       int32
	ind        uint8 // industry; for individual businesses a shop, for cooperatives a product
	tr, tr2    trade // trade name, and the one after a name change
	ind2       uint8 // industry after a name change
	regionForm uint8 // 0 city, 1 province, 2 trade name（city）
	formAlt    bool  // 有限责任公司 rather than 有限公司; 普通 rather than 有限合伙
	est        int32
	capital    int64 // registered capital in hundredths of 万元
	capital2   int64
	currency   uint8
	holders    [maxHolders]holder
	nHolders   uint8
	rep, rep2  person
	ch         [numChanges]int32 // day each change arose; -1 for none
	end        int32             // day of 注销 or 吊销; -1 for none
	revoked    bool              // 吊销 rather than 注销
	regArose   int32
	regFix     int32 // day the registration's address was corrected; -1 for none
	branches   [maxBranches]int32
	branchArea [maxBranches]int32
	nBranches  uint8
	addrSeed   uint32
	nYears     int8  // report years to file (annual.go): 0 the default, negative none
	missing    uint8 // reports due and never filed

	// Strings built on demand and kept while the plan is in use.
	code    string
	names   [2]string // before and after a name change
	liaison [2]*gongshi.Account

	evs      [maxEvents]event
	n        uint8
	slots    uint8
	slotLast [maxEvents]uint8
}

// makePlan fills p with enterprise idx of the data set of seed, its events up to day until.
func (w *world) makePlan(p *plan, seed int64, idx uint32, until int32) {
	*p = plan{w: w, seed: seed, idx: idx, until: until, off: mix64(uint64(seed)) % (1 << 38), nYears: p.nYears}
	r := newRNG(seed, uint64(idx), 0)
	p.typ = uint8(typeWeights.pick(&r))
	p.area = int32(w.areaW.pick(&r))
	switch p.typ {
	case tIndividual:
		p.ind = uint8(r.intn(len(shops)))
	case tCoop:
		p.ind = uint8(r.intn(len(coopProducts)))
	default:
		p.ind = uint8(w.industryW.pick(&r))
	}
	p.tr, p.tr2 = newTrade(&r), newTrade(&r)
	p.ind2 = p.ind
	if r.permille(400) && p.typ != tIndividual && p.typ != tCoop {
		p.ind2 = uint8(w.industryW.pick(&r))
	}
	switch x := r.intn(100); {
	case x < 78:
		p.regionForm = 0
	case x < 92:
		p.regionForm = 1
	default:
		p.regionForm = 2
	}
	p.formAlt = r.permille(120)
	p.addrSeed = uint32(r.next())

	// Established: more enterprises every year (about 12% growth a year), from 2002 on.
	u := float64(r.intn(1<<24)) / (1 << 24)
	p.est = int32(math.Log1p(u*growthSpan(until)) / growthRate)
	p.est = clamp32(p.est, 0, until-10)

	p.capital, p.currency = capitalOf(&r, p.typ, industries[p.ind%uint8(len(industries))].capital)
	if p.typ == tIndividual || p.typ == tCoop {
		p.capital = int64(r.between(1, 50)) * 100
	}
	p.capital2 = p.capital * int64(r.between(2, 10))
	p.rep = person(mix64(uint64(seed)<<20 ^ uint64(idx)<<4 ^ 1))
	p.rep2 = person(mix64(uint64(seed)<<20 ^ uint64(idx)<<4 ^ 2))
	p.holders, p.nHolders = holdersOf(&r, p.typ, seed, idx)
	if p.nHolders > 0 && !p.holders[0].legal && (p.typ == tLLC || p.typ == tSole || p.typ == tPartner) {
		p.rep = p.holders[0].p
	}

	// The end of its life: 注销 or 吊销.
	p.end = -1
	churn := 80
	if p.typ == tIndividual {
		churn = 250
	}
	if r.permille(churn) {
		if e := p.est + 180 + int32(r.intn(int(until-p.est)+1)); e < until {
			p.end = e
			p.revoked = r.permille(200)
		}
	}
	life := until
	if p.end >= 0 {
		life = p.end
	}
	for c := range p.ch {
		p.ch[c] = -1
		if p.typ == tIndividual && c != chAddress && c != chScope || p.typ == tBranch {
			continue
		}
		if r.permille(changePermille[c]) && life-p.est > 120 {
			p.ch[c] = p.est + 60 + int32(r.intn(int(life-p.est-60)))
		}
	}
	if p.capital2 == p.capital {
		p.capital2 += 100
	}
	p.regFix = -1
	p.plan(&r, life)
	p.planFilings(life)
}

// growthRate is 12% a year, per day.
var growthRate = math.Log(1.12) / 365

func growthSpan(until int32) float64 { return math.Expm1(growthRate * float64(until)) }

func clamp32(v, lo, hi int32) int32 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// capitalOf draws registered capital in hundredths of 万元 and its currency (0 CNY).
func capitalOf(r *rng, typ uint8, scale int) (int64, uint8) {
	steps := [...]int64{1, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000, 10000, 20000, 50000}
	lo, hi := 0, 11
	switch {
	case typ == tJoint:
		lo, hi = 9, 17
	case typ == tSole:
		lo, hi = 0, 6
	case typ == tPartner:
		lo, hi = 5, 14
	case scale == 2:
		lo, hi = 4, 15
	case scale == 1:
		lo, hi = 2, 12
	}
	// Smaller amounts are commoner: the lower of two draws.
	i, j := r.between(lo, hi), r.between(lo, hi)
	if j < i {
		i = j
	}
	var cur uint8
	if typ == tForeign {
		cur = uint8(1 + r.intn(5))
	}
	return steps[i] * 100, cur
}

var currencies = [...]string{"CNY", "USD", "HKD", "EUR", "JPY", "GBP"}

// holdersOf draws shareholders, promoters, partners or members and their shares.
func holdersOf(r *rng, typ uint8, seed int64, idx uint32) (hs [maxHolders]holder, n uint8) {
	legalPm := 150
	switch typ {
	case tLLC:
		n = [...]uint8{1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5}[r.intn(20)]
	case tJoint:
		n, legalPm = uint8(r.between(2, 5)), 400
	case tSole:
		n, legalPm = 1, 0
	case tPartner:
		n, legalPm = uint8(r.between(2, 4)), 300
	case tForeign:
		n, legalPm = uint8(r.between(1, 2)), 1000
	case tCoop:
		n, legalPm = 5, 0
	default:
		return hs, 0
	}
	var ws [maxHolders]int
	sum := 0
	for i := uint8(0); i < n; i++ {
		ws[i] = r.between(1, 10)
		sum += ws[i]
	}
	ws[0] += sum / 2 // the first holds the largest share, as a rule
	sum += sum / 2
	left := 100
	for i := n; i > 1; i-- {
		pct := 100 * ws[i-1] / sum
		if pct < 1 {
			pct = 1
		}
		left -= pct
		hs[i-1].pct = uint8(pct)
	}
	hs[0].pct = uint8(left)
	for i := uint8(0); i < n; i++ {
		hs[i].legal = r.permille(legalPm)
		hs[i].p = person(mix64(uint64(seed)<<20 ^ uint64(idx)<<4 ^ uint64(8+i)))
	}
	return hs, n
}
