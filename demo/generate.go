package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// Options say how much demo data to make.
type Options struct {
	// Enterprises is the number of principal enterprises; about 6% more are registered as
	// their branches.
	Enterprises int
	// Seed selects the data set: the same seed gives the same enterprises and records.
	Seed int64
	// Until is the end of simulated history: nothing arises or is published after it. Zero
	// means the clock's reading when Generate is called. It must leave 60 days before the
	// end of the last year the built-in working-day calendar covers.
	Until time.Time
	// ReportYears is the number of report years, the last before Until, that annual reports
	// are filed for (Art. 8); 0 means DefaultReportYears, a negative number none.
	ReportYears int
	// BatchSize is the number of record versions written per Store.Write; 0 means 8000.
	BatchSize int
	// Progress, if set, is called after each batch with the record versions written so far
	// and the total planned.
	Progress func(done, total int)
	// Loaded, if set, is called after each batch with the enterprises (branches included)
	// and record versions written so far (gongshi bench bulk's figures per 100,000).
	Loaded func(enterprises, versions int)
}

// Stats says what Generate wrote.
type Stats struct {
	Enterprises int            `json:"enterprises"` // registered, branches included
	Branches    int            `json:"branches"`
	Versions    int            `json:"versions"`  // record versions, registrations included
	Late        int            `json:"late"`      // versions published after their due date
	Corrected   int            `json:"corrected"` // correction versions (with a reason)
	ByKind      map[string]int `json:"by_kind"`   // versions by record kind
	Accounts    int            `json:"accounts"`  // regulator and department accounts
	Filings     FilingStats    `json:"filings"`   // annual reports and orders (annual.go)
	Checks      CheckStats     `json:"checks"`    // spot checks, cases, consents (finale.go)
}

func (s *Stats) add(v *gongshi.Version) {
	s.Versions++
	if !v.OnTime {
		s.Late++
	}
	if v.Reason != "" {
		s.Corrected++
	}
	s.ByKind[v.Kind]++
}

// Kinds returns the names of the record kinds Generate publishes.
func Kinds() []string { return append([]string(nil), kindNames[:]...) }

// gen is one run of the generator.
type gen struct {
	w          *world
	seed       int64
	until      int32
	regulators []*gongshi.Account           // by province index
	depts      [][numDepts]*gongshi.Account // by province index
	x          extra                        // reports, orders, checks and cases (finale.go)
}

func newGen(seed int64, until int32) *gen {
	w := theWorld()
	return &gen{w: w, seed: seed, until: until}
}

// Generate writes opts.Enterprises enterprises with their history through svc, setting
// clock to each publication instant; svc and its store must have been built on clock
// (if clock is nil, svc.Clock must be a *Clock). It first makes sure the accounts exist: a
// regulator for each province (id regulator-PP0000, jurisdiction PP0000) and six departments
// for each (id department-PP-env …, authorised for licences and penalties). After Generate
// the clock reads opts.Until.
//
// It returns EINVALID for bad options, and otherwise the first error of the store or the
// service, with what was written until then in Stats.
func Generate(ctx context.Context, svc *gongshi.Service, clock *Clock, opts Options) (Stats, error) {
	st := Stats{ByKind: map[string]int{}}
	if clock == nil {
		c, ok := svc.Clock.(*Clock)
		if !ok {
			return st, gongshi.Invalid("clock", "the service's clock is not a demo clock", "build the store and the service on a *demo.Clock and pass it")
		}
		clock = c
	}
	if opts.Enterprises < 0 || opts.Enterprises >= 1<<24 {
		return st, gongshi.Invalid("enterprises", fmt.Sprintf("%d is out of range", opts.Enterprises), "give 0 to 16,777,215 enterprises")
	}
	if opts.Until.IsZero() {
		opts.Until = clock.Now()
	}
	w := theWorld()
	until := dayOf(opts.Until)
	if until < w.launch+60 || until >= w.days-60 {
		return st, gongshi.Invalid("until", fmt.Sprintf("%s is outside the calendar's years", calendar.DateOf(opts.Until)),
			fmt.Sprintf("give a date from %s to %s", w.fmtDate(w.launch+60), w.fmtDate(w.days-61)))
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 8000
	}
	g := newGen(opts.Seed, until)
	g.x.nYears = int8(max(min(opts.ReportYears, 20), -1))
	clock.Set(dayEpoch.AddDays(int(w.launch)).Start().Add(8 * time.Hour))
	n, err := g.accounts(ctx, svc)
	st.Accounts = n
	if err != nil {
		return st, err
	}
	defer clock.Set(opts.Until)
	return st, g.run(ctx, svc, clock, opts, &st)
}

// accounts finds or creates the regulators and departments.
func (g *gen) accounts(ctx context.Context, svc *gongshi.Service) (int, error) {
	n := 0
	ensure := func(in gongshi.NewAccount) (*gongshi.Account, error) {
		n++
		a, err := svc.Store.Account(ctx, in.ID)
		if err == nil {
			return a, nil
		}
		if gongshi.ErrorCode(err) != gongshi.ENOTFOUND {
			return nil, fmt.Errorf("account %s: %w", in.ID, err)
		}
		a, _, err = svc.CreateAccount(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("create account %s: %w", in.ID, err)
		}
		return a, nil
	}
	g.regulators = make([]*gongshi.Account, len(g.w.provs))
	g.depts = make([][numDepts]*gongshi.Account, len(g.w.provs))
	for i, p := range g.w.provs {
		a, err := ensure(gongshi.NewAccount{ID: "regulator-" + p.code + "0000", Name: p.name + "市场监督管理局",
			Role: gongshi.RoleRegulator, Jurisdiction: p.code + "0000"})
		if err != nil {
			return n, err
		}
		g.regulators[i] = a
		for d, dep := range departments {
			name := p.name + dep.province
			if p.muni {
				name = p.name + dep.municipality
			}
			a, err := ensure(gongshi.NewAccount{ID: "department-" + p.code + "-" + dep.id, Name: name,
				Role: gongshi.RoleDepartment, Jurisdiction: p.code + "0000", Kinds: []string{"licence", "penalty"}})
			if err != nil {
				return n, err
			}
			g.depts[i][d] = a
		}
	}
	return n, nil
}

// batch is the units of one Store.Write, in publication order; each unit carries its own
// publication instant (Tx.SetNow), so one batch spans as many days as it takes.
type batch struct {
	at    []time.Time
	units []unit
	pause int // if not 0, no units: run step pause-1 of the finale first (finale.go)
}

// schedule plans every enterprise and returns, for each day, the events published on it
// as enterprise index << 8 | event index, in that order.
func (g *gen) schedule(n int) (days [][]uint64, total int) {
	days = make([][]uint64, g.until+1)
	var p plan
	for i := 0; i < n; i++ {
		p.nYears = g.x.nYears
		g.w.makePlan(&p, g.seed, uint32(i), g.until)
		g.x.count(&p)
		for j := 0; j < int(p.n); j++ {
			d := p.evs[j].pub
			days[d] = append(days[d], uint64(i)<<8|uint64(j))
		}
		total += int(p.n)
	}
	return days, total
}

// produce builds batches of size units in publication order and sends them on out; it
// closes out when done.
func (g *gen) produce(ctx context.Context, days [][]uint64, size int, until time.Time, out chan<- batch) {
	defer close(out)
	var p plan
	have := false
	b := batch{at: make([]time.Time, 0, size), units: make([]unit, 0, size)}
	flush := func() bool {
		select {
		case out <- b:
		case <-ctx.Done():
			return false
		}
		b = batch{at: make([]time.Time, 0, size), units: make([]unit, 0, size)}
		return true
	}
	for d, refs := range days {
		if !g.x.pauseBefore(int32(d), &b, flush) {
			return
		}
		start := dayEpoch.AddDays(d).Start()
		for k, ref := range refs {
			idx := uint32(ref >> 8)
			if !have || p.idx != idx {
				p.nYears = g.x.nYears
				g.w.makePlan(&p, g.seed, idx, g.until)
				have = true
			}
			b.units = append(b.units, unit{})
			g.build(&p, int(ref&0xff), &b.units[len(b.units)-1])
			// Spread the day's publications over office hours, 09:00 to 17:00.
			at := start.Add(9*time.Hour + time.Duration(k)*8*time.Hour/time.Duration(len(refs)))
			if at.After(until) { // the last day ends at the demo's clock
				at = until
			}
			b.at = append(b.at, at)
			if len(b.units) == size && !flush() {
				return
			}
		}
		days[d] = nil
	}
	if len(b.units) > 0 {
		flush()
	}
}

func (g *gen) run(ctx context.Context, svc *gongshi.Service, clock *Clock, opts Options, st *Stats) error {
	days, total := g.schedule(opts.Enterprises)
	g.x.planFinale(g, st, opts.Enterprises)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch, 2)
	go g.produce(ctx, days, opts.BatchSize, opts.Until, batches)

	ids := map[uint64]string{} // records that get a later version
	type set struct {
		key uint64
		id  string
	}
	var sets []set
	var dels []uint64
	done := 0
	for b := range batches {
		if b.pause > 0 {
			if err := g.finale(ctx, svc, clock, b.pause-1, st); err != nil {
				cancel()
				for range batches {
				}
				return err
			}
			continue
		}
		clock.Set(b.at[len(b.at)-1])
		bst := Stats{ByKind: map[string]int{}}
		err := svc.Store.Write(ctx, func(tx gongshi.Tx) error {
			sets, dels = sets[:0], dels[:0]
			bst = Stats{ByKind: map[string]int{}}
			// Records made earlier in this batch.
			made := make(map[uint64]string)
			lookup := func(key uint64) (string, bool) {
				if id, ok := made[key]; ok {
					return id, true
				}
				id, ok := ids[key]
				return id, ok
			}
			for i := range b.units {
				u := &b.units[i]
				tx.SetNow(b.at[i])
				var ver *gongshi.Version
				var err error
				switch u.op {
				case opRegister, opBranch:
					var ent *gongshi.Enterprise
					ent, ver, err = svc.RegisterTx(tx, u.actor, u.reg)
					if err == nil {
						bst.Enterprises++
						if u.op == opBranch {
							bst.Branches++
						}
						if u.keep {
							sets = append(sets, set{u.key, ent.Registration})
							made[u.key] = ent.Registration
						}
					}
				case opAnnual, opOrder:
					ver, err = g.file(tx, svc, u, &bst)
					if err == nil && u.keep {
						sets = append(sets, set{u.key, ver.Record})
						made[u.key] = ver.Record
					}
				case opPublish:
					ver, err = svc.PublishTx(tx, u.actor, u.code, u.pub)
					if err == nil && u.keep {
						sets = append(sets, set{u.key, ver.Record})
						made[u.key] = ver.Record
					}
				default:
					id, ok := lookup(u.key)
					if !ok {
						return fmt.Errorf("demo: enterprise %d: no record id for a later version of its %s record", u.key>>8, kindNames[u.kind])
					}
					ver, err = svc.AmendTx(tx, u.actor, id, u.amend)
					if errors.Is(err, gongshi.ErrNoChange) {
						// A generated change that happens to change nothing (a new
						// address equal to the old one): the service wrote nothing.
						continue
					}
					if err == nil {
						if u.keep {
							sets = append(sets, set{u.key, ver.Record})
							made[u.key] = ver.Record
						} else {
							dels = append(dels, u.key)
						}
					}
				}
				if err != nil {
					return fmt.Errorf("demo: enterprise %d, %s record: %w", u.key>>8, kindNames[u.kind], err)
				}
				bst.add(ver)
			}
			return nil
		})
		if err != nil {
			cancel()
			for range batches {
			}
			return err
		}
		for _, s := range sets {
			ids[s.key] = s.id
		}
		for _, k := range dels {
			delete(ids, k)
		}
		st.merge(&bst)
		done += len(b.units)
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
		if opts.Loaded != nil {
			opts.Loaded(st.Enterprises, st.Versions)
		}
	}
	return ctx.Err()
}

func (s *Stats) merge(b *Stats) {
	s.Enterprises += b.Enterprises
	s.Branches += b.Branches
	s.Versions += b.Versions
	s.Late += b.Late
	s.Corrected += b.Corrected
	s.Filings.merge(&b.Filings)
	for k, v := range b.ByKind {
		s.ByKind[k] += v
	}
}
