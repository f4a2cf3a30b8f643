package demo

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/ident"
)

var testUntil = time.Date(2026, 11, 27, 12, 0, 0, 0, calendar.CST())

func testGen(seed int64) *gen {
	g := newGen(seed, dayOf(testUntil))
	g.regulators = make([]*gongshi.Account, len(g.w.provs))
	g.depts = make([][numDepts]*gongshi.Account, len(g.w.provs))
	for i, p := range g.w.provs {
		g.regulators[i] = &gongshi.Account{ID: "regulator-" + p.code + "0000", Role: gongshi.RoleRegulator, Jurisdiction: p.code + "0000"}
		for d := range departments {
			g.depts[i][d] = &gongshi.Account{ID: "department-" + p.code + "-" + departments[d].id, Role: gongshi.RoleDepartment, Jurisdiction: p.code + "0000", Kinds: []string{"licence", "penalty"}}
		}
	}
	return g
}

// units returns every unit of enterprise idx, in event order.
func (g *gen) units(idx uint32) []unit {
	var p plan
	g.w.makePlan(&p, g.seed, idx, g.until)
	us := make([]unit, p.n)
	for i := range us {
		g.build(&p, i, &us[i])
	}
	return us
}

// describe returns the units as JSON: what the service is asked to do, by whom.
func describe(us []unit) string {
	type call struct {
		Op    uint8
		Actor string
		Code  string
		Reg   gongshi.Registration
		Pub   gongshi.Publication
		Amend gongshi.Amendment
	}
	cs := make([]call, len(us))
	for i, u := range us {
		cs[i] = call{u.op, u.actor.ID, u.code, u.reg, u.pub, u.amend}
	}
	b, err := json.Marshal(cs)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func merge(old, patch map[string]any) map[string]any {
	m := map[string]any{}
	for k, v := range old {
		m[k] = v
	}
	for k, v := range patch {
		m[k] = v
	}
	return m
}

// TestBodiesNormalize checks every generated body of every kind against the kind's fields,
// versions after the first merged over the one before, as the service does.
func TestBodiesNormalize(t *testing.T) {
	g := testGen(1)
	seen := map[string]int{}
	for idx := uint32(0); idx < 20000; idx++ {
		latest := map[uint64]map[string]any{}
		for _, u := range g.units(idx) {
			k, _ := gongshi.LookupKind(kindNames[u.kind])
			var body map[string]any
			switch u.op {
			case opRegister, opBranch:
				body = u.reg.Fields
				if _, err := ident.ParseUSCC(u.reg.USCC); err != nil {
					t.Fatalf("enterprise %d: %v", idx, err)
				}
				if u.reg.RegNo != "" {
					if _, err := ident.ParseRegNo(u.reg.RegNo); err != nil {
						t.Fatalf("enterprise %d: %v", idx, err)
					}
				}
			case opPublish:
				body = u.pub.Fields
			case opOrder:
				continue
			case opAnnual:
				k = annualKindOf(u.filing.Fields)
				body = merge(u.filing.Fields, map[string]any{"year": int64(u.filing.Year)})
				if u.actor.Role == gongshi.RoleRegulator {
					body["paper_entry"] = true
				}
			default:
				if u.op == opAnnualFix {
					k = annualKindOf(latest[u.key])
				}
				prev, ok := latest[u.key]
				if !ok {
					t.Fatalf("enterprise %d: %s amendment before its record", idx, k.Name)
				}
				body = merge(prev, u.amend.Fields)
				if len(k.Diff(body, prev)) == 0 {
					t.Fatalf("enterprise %d: %s amendment changes nothing: %v", idx, k.Name, u.amend.Fields)
				}
			}
			n, err := k.Normalize(body)
			if err != nil {
				b, _ := json.Marshal(body)
				t.Fatalf("enterprise %d: %s: %v\n%s", idx, k.Name, err, b)
			}
			if u.op != opBranch {
				latest[u.key] = n
			}
			if u.actor == nil || !k.MayPublish(u.actor.Role) {
				t.Fatalf("enterprise %d: %s published by %v", idx, k.Name, u.actor)
			}
			seen[k.Name]++
		}
	}
	for _, k := range Kinds() {
		if seen[k] == 0 {
			t.Errorf("no %s record in 20,000 enterprises", k)
		}
	}
	t.Logf("versions by kind: %v", seen)
}

// TestCodesUnique checks that 100,000 enterprises and their branches have distinct valid
// codes.
func TestCodesUnique(t *testing.T) {
	g := testGen(7)
	w := g.w
	usccs := make(map[string]uint32, 110000)
	regNos := map[string]uint32{}
	var p plan
	for idx := uint32(0); idx < 100000; idx++ {
		w.makePlan(&p, g.seed, idx, g.until)
		codes := []string{p.uscc()}
		for j := uint8(0); j < p.nBranches; j++ {
			codes = append(codes, p.branchUSCC(j))
		}
		for _, c := range codes {
			if _, err := ident.ParseUSCC(c); err != nil {
				t.Fatalf("enterprise %d: %v", idx, err)
			}
			if o, dup := usccs[c]; dup {
				t.Fatalf("enterprises %d and %d share USCC %s", o, idx, c)
			}
			usccs[c] = idx
		}
		if r := p.regNo(); r != "" {
			if _, err := ident.ParseRegNo(r); err != nil {
				t.Fatalf("enterprise %d: %v", idx, err)
			}
			if o, dup := regNos[r]; dup {
				t.Fatalf("enterprises %d and %d share registration number %s", o, idx, r)
			}
			regNos[r] = idx
		}
		id := w.personID(p.rep, p.areaOf().code)
		if idCheck([]byte(id)) != id[17] || id[:6] != p.areaOf().code || id[6:8] < "19" || id[6:10] > "2000" || id[6:10] < "1950" {
			t.Fatalf("enterprise %d: bad resident ID %s", idx, id)
		}
	}
	t.Logf("%d USCCs, %d registration numbers", len(usccs), len(regNos))
}

func TestDeterministic(t *testing.T) {
	a, b, c := testGen(42), testGen(42), testGen(43)
	same := 0
	for idx := uint32(0); idx < 300; idx++ {
		ja, jb, jc := describe(a.units(idx)), describe(b.units(idx)), describe(c.units(idx))
		if string(ja) != string(jb) {
			t.Fatalf("enterprise %d differs between two runs of seed 42", idx)
		}
		if string(ja) == string(jc) {
			same++
		}
	}
	if same > 3 {
		t.Errorf("%d of 300 enterprises are the same under seeds 42 and 43", same)
	}
}

func TestClock(t *testing.T) {
	t0 := time.Date(2020, 5, 6, 9, 0, 0, 0, calendar.CST())
	c := NewClock(t0)
	if got := c.Now(); !got.Equal(t0) || got.Location() != t0.Location() {
		t.Errorf("got %v, want %v", got, t0)
	}
	c.Run()
	time.Sleep(2 * time.Millisecond)
	if got := c.Now(); !got.After(t0) || got.Sub(t0) > time.Minute {
		t.Errorf("running clock reads %v, want a little after %v", got, t0)
	}
	c.Set(t0)
	if got := c.Now(); !got.Equal(t0) {
		t.Errorf("after Set: got %v, want %v", got, t0)
	}
}

func annualKindOf(fields map[string]any) *gongshi.Kind {
	switch {
	case fields["members"] != nil:
		return gongshi.KindAnnualReportCooperative
	case fields["operator"] != nil:
		return gongshi.KindAnnualReportIndividual
	}
	return gongshi.KindAnnualReport
}
