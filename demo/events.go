package demo

// plan draws the enterprise's events: its registration, registration changes, branches,
// records of every kind with their corrections and follow-ups, and its end.
func (p *plan) plan(r *rng, life int32) {
	w := p.w
	var pub int32
	if p.est < w.launch {
		// Migrated: published in the weeks after the regulation came into force.
		p.regArose = w.launch
		pub = w.afterWorking(w.launch, 1+r.intn(15))
	} else {
		p.regArose = p.est
		pub = p.pubDay(r, p.est, 20)
		if pub < 0 || pub > p.until {
			pub = w.afterWorking(p.est, 0) // late would be too late: the demo ends with it registered
		}
	}
	if !p.add(event{op: opRegister, arose: p.regArose, pub: pub}) {
		return
	}
	p.slots = 1
	if p.end >= 0 && p.end <= p.regArose {
		return // ended before the register opened: registered as it stood
	}
	from := p.regArose + 1
	p.registrationAmendments(r, from, life)

	hasShares := p.typ == tLLC || p.typ == tJoint || p.typ == tForeign
	corporate := p.typ != tIndividual && p.typ != tCoop
	ind := &industries[p.ind%uint8(len(industries))]
	if hasShares && p.est >= w.launch {
		for i := uint8(0); i < p.nHolders; i++ {
			arose := p.est + int32(r.intn(10))
			p.record(r, kContribution, i, arose, 100, 30, fuPaid, 400)
		}
	}
	years := int(life - from)
	if years < 0 {
		return
	}
	n := func(ratePerMille int) int {
		x := ratePerMille * years / 365
		k := x / 1000
		if r.intn(1000) < x%1000 {
			k++
		}
		return k
	}
	someday := func() int32 { return from + int32(r.intn(years+1)) }
	switch {
	case corporate:
		for k := n(20); k > 0; k-- {
			p.record(r, kMortgage, 0, someday(), 40, 30, fuCancel, 500)
		}
		if hasShares {
			for k := n(10); k > 0; k-- {
				p.record(r, kPledge, uint8(r.intn(int(p.nHolders))), someday(), 40, 30, fuCancel, 400)
			}
			for k := n(6); k > 0; k-- {
				p.record(r, kIPPledge, 0, someday(), 100, 30, fuCancel, 400)
			}
		}
		if p.typ == tLLC && p.nHolders > 1 {
			for k := n(30); k > 0; k-- {
				p.record(r, kTransfer, uint8(1+r.intn(int(p.nHolders-1))), someday(), 120, 30, 0, 0)
			}
		}
		for k := n(15); k > 0; k-- {
			p.record(r, kPenalty, uint8(r.intn(regulatorViolations)), someday(), 40, 30, 0, 0)
		}
		if len(ind.violate) > 0 {
			for k := n(12); k > 0; k-- {
				p.record(r, kPenalty, uint8(ind.violate[r.intn(len(ind.violate))]), someday(), 60, 30, 0, 0)
			}
		}
		for k := n(8); k > 0; k-- {
			p.record(r, kPenalty, uint8(len(violations)-1), someday(), 100, 30, 0, 0)
		}
		if len(ind.licences) > 0 {
			for k := n(150); k > 0; k-- {
				p.record(r, kLicence, uint8(ind.licences[r.intn(len(ind.licences))]), someday(), 60, 30, 0, 0)
			}
		}
	case p.typ == tIndividual:
		if l := shopLicence(p.ind); l >= 0 {
			for k := n(120); k > 0; k-- {
				p.record(r, kLicence, uint8(l), someday(), 80, 30, 0, 0)
			}
		}
		for k := n(10); k > 0; k-- {
			p.record(r, kPenalty, uint8(shopViolations+r.intn(2)), someday(), 40, 30, 0, 0)
		}
	default:
		for k := n(15); k > 0; k-- {
			p.record(r, kMortgage, 0, someday(), 40, 30, fuCancel, 500)
		}
	}
	if p.end >= 0 && p.end < p.until {
		if p.revoked {
			p.add(event{op: opPublish, kind: kPenalty, slot: p.newSlot(), sub: revokeViolation, arose: p.end, pub: p.pubDay(r, p.end, 30)})
		}
		p.follow(0, event{op: opEnd, arose: p.end, pub: p.pubDay(r, p.end, 30)})
	}
}

// revokeViolation marks the penalty that revokes a business licence (吊销营业执照).
const revokeViolation = 255

func shopLicence(shop uint8) int {
	switch shops[shop].name {
	case "面馆", "便利店", "早餐店", "小吃店", "超市", "烧烤店", "茶叶店", "快餐店", "水果店":
		return 9
	case "理发店", "洗衣店":
		return 1
	case "药房":
		return 11
	}
	return -1
}

// registrationAmendments adds the registration's later versions in the order they arose:
// changes, branches, the correction of its address.
func (p *plan) registrationAmendments(r *rng, from, life int32) {
	w := p.w
	type amend struct {
		arose int32
		op    uint8
		sub   uint8
	}
	var as [numChanges + 2*maxBranches + 1]amend
	n := 0
	for c, d := range p.ch {
		if d >= from && d <= life {
			as[n] = amend{d, opChange, uint8(c)}
			n++
		}
	}
	if (p.typ == tLLC || p.typ == tJoint) && r.permille(60) {
		k := 1 + r.intn(maxBranches)
		for j := 0; j < k && life-from > 200; j++ {
			d := from + 60 + int32(r.intn(int(life-from-60)))
			p.branches[j] = d
			a := int32(w.areaW.pick(r))
			if r.permille(500) {
				pa := w.provs[w.areas[p.area].prov].areas
				a = int32(pa[r.intn(len(pa))])
			}
			p.branchArea[j] = a
			p.nBranches++
		}
		if p.nBranches == 2 && p.branches[1] < p.branches[0] {
			p.branches[0], p.branches[1] = p.branches[1], p.branches[0]
		}
		if p.nBranches == 2 && p.branches[1] == p.branches[0] {
			p.branches[1]++ // one filing per branch, each changing the list
		}
		for j := uint8(0); j < p.nBranches; j++ {
			as[n] = amend{p.branches[j], opBranch, j}
			as[n+1] = amend{p.branches[j], opBranchFile, j}
			n += 2
		}
	}
	if r.permille(15) {
		d := w.afterWorking(p.evs[0].pub, 5+r.intn(30))
		if d >= 0 && (p.ch[chAddress] < 0 || p.ch[chAddress] > d+30) && d <= life {
			p.regFix = d
			p.evs[0].wrong = true
			as[n] = amend{d, opRegFix, 0}
			n++
		}
	}
	// Insertion sort by arose; a branch's registration stays before its filing.
	for i := 1; i < n; i++ {
		for j := i; j > 0 && as[j].arose < as[j-1].arose; j-- {
			as[j], as[j-1] = as[j-1], as[j]
		}
	}
	for _, a := range as[:n] {
		e := event{op: a.op, sub: a.sub, arose: a.arose}
		switch a.op {
		case opRegFix:
			e.pub = a.arose
		case opBranch:
			e.pub = p.pubDay(r, a.arose, 20)
			if e.pub >= 0 && e.pub <= p.evs[0].pub {
				e.pub = w.afterWorking(p.evs[0].pub, 1)
			}
			p.add(e)
			continue
		default:
			e.pub = p.pubDay(r, a.arose, 40)
		}
		p.follow(0, e)
	}
}

// record adds a record of kind in a new slot with its optional correction and follow-up.
func (p *plan) record(r *rng, kind, sub uint8, arose int32, latePm, fixPm int, fu uint8, fuPm int) {
	if arose > p.until || p.n >= maxEvents-3 {
		return
	}
	slot := p.newSlot()
	e := event{op: opPublish, kind: kind, slot: slot, sub: sub, arose: arose, pub: p.pubDay(r, arose, latePm)}
	if e.pub >= 0 && e.pub < p.evs[0].pub {
		e.pub = p.evs[0].pub
	}
	if !p.add(e) {
		return
	}
	first := p.n - 1
	p.slotLast[slot] = first
	if r.permille(fixPm) {
		d := p.w.afterWorking(e.pub, 5+r.intn(55))
		if d >= 0 && p.follow(slot, event{op: opFollow, kind: kind, sub: fuCorrect, arose: d, pub: d}) {
			p.evs[first].wrong = true
		}
	}
	if fuPm > 0 && r.permille(fuPm) {
		d := arose + 30 + int32(r.intn(1500))
		if fu == fuCancel {
			d = arose + 180 + int32(r.intn(1000))
		}
		if p.end < 0 || d < p.end {
			p.follow(slot, event{op: opFollow, kind: kind, slot: slot, sub: fu, arose: d, pub: p.pubDay(r, d, latePm)})
		}
	}
}

func (p *plan) newSlot() uint8 {
	s := p.slots
	p.slots++
	return s
}

// pubDay is the publication day of information that arose on day arose: within the 20
// working days of Art. 6, 7 and 10 (mostly in the first few), or with probability
// latePm/1000 late by up to six months.
func (p *plan) pubDay(r *rng, arose int32, latePm int) int32 {
	if r.permille(latePm) {
		return p.w.afterWorking(arose, r.between(21, 120))
	}
	n, m := r.intn(20), r.intn(20)
	if m < n {
		n = m
	}
	return p.w.afterWorking(arose, n)
}

// add appends e when it is published by the plan's end day; it reports whether it did.
func (p *plan) add(e event) bool {
	if p.n > 0 && e.pub >= 0 && e.pub < p.evs[0].pub {
		// Nothing is published about an enterprise before its registration (events[0]);
		// within a day, events are written in plan order, so the same day is fine.
		e.pub = p.evs[0].pub
	}
	if e.pub < 0 || e.pub > p.until || e.arose > p.until || p.n >= maxEvents {
		return false
	}
	p.evs[p.n] = e
	p.n++
	return true
}

// follow adds a later version of the record in slot, published after the one before it.
func (p *plan) follow(slot uint8, e event) bool {
	prev := p.slotLast[slot]
	if e.pub >= 0 && e.pub <= p.evs[prev].pub {
		e.pub = p.w.afterWorking(p.evs[prev].pub+1, 0)
	}
	e.slot = slot
	if !p.add(e) {
		return false
	}
	p.evs[prev].keep = true
	p.slotLast[slot] = p.n - 1
	return true
}
