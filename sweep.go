package gongshi

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// SweepOptions says what a sweep acts on.
type SweepOptions struct {
	// AsOf is the legal date the sweep decides by: every decision is dated AsOf and judged
	// by the rules on AsOf. It may not be after today. What it publishes is published at
	// the store's clock (the time of the batch), unless Backdate is set.
	AsOf calendar.Date
	// DryRun runs every batch and then undoes it: the summary says exactly what a real
	// sweep would do, and nothing is kept.
	DryRun bool
	// Backdate publishes at 09:00 CST of AsOf instead of the clock's time. Only loaders of
	// history (the demo) use it, as they use Tx.SetNow.
	Backdate bool
	// Batch is the number of decisions per unit of work (default 500).
	Batch int
	// UnitTime, if not zero, sizes the units of work by time: from a few decisions, the
	// number per unit is doubled while a unit takes under half of UnitTime and halved
	// while it takes over it, up to Batch. A unit holds the sequencer, and the writes
	// sent meanwhile wait for it: a serving register's sweep keeps them waiting no longer
	// than about UnitTime. (On PostgreSQL with 1M enterprises a unit of 500 listings took
	// 10–27 s, and publications beside it waited as long.)
	UnitTime time.Duration
	// Progress, if set, is told of each batch done.
	Progress func(rule string, done, total int)
	// Fault, if set, is called before each decision; an error fails that batch's unit (so
	// nothing of it is kept) and stops the sweep. Tests use it to crash a sweep mid-way.
	Fault func(rule string, i int) error
}

// SweepSummary is what a sweep did (or, dry, would do): the number of decisions per rule.
type SweepSummary struct {
	AsOf   string         `json:"as_of"`
	DryRun bool           `json:"dry_run"`
	Counts map[string]int `json:"counts"`
}

// The sweep's rules, in the order it applies them.
var SweepRules = []string{"settlements", "ground1", "ground2", "ground3_4", "serious_expiries", "ban_expiries", "warnings", "escalations", "penalty_withdrawals"}

var errDryRun = errors.New("dry run")

// Sweep applies every dated rule of SPEC §8 as of opts.AsOf. First it settles the
// provisional dates whose year's working-day schedule is now loaded (settle.go), so that
// every later rule reads settled dates; a rule that needs a date still provisional waits
// for it rather than guess. Then it lists (marks) those who
// did not file the annual report of the window that closed last (Art. 8, 17: ground 1),
// those with a lapsed order (ground 2) and the grounds spot checks and reports found
// (grounds 3, 4); publishes the 60-day warnings; escalates listings in force at their
// third anniversary to the serious list and bans the legal representative (Art. 17);
// removes serious listings after five years; notes the bans that ended; and withdraws
// penalties whose display period ended (SAMR Order 45).
//
// Every decision has a natural key written in the same unit of work as the decision, so
// a second sweep, or one re-run after a crash or a cancellation, decides nothing twice and
// loses nothing: the sweep is idempotent and resumable. It works in batches through the
// one write path.
func (s *Enforcement) Sweep(ctx context.Context, opts SweepOptions) (*SweepSummary, error) {
	if opts.AsOf.IsZero() {
		return nil, Invalid("as_of", "is required", "give the date the sweep acts on, YYYY-MM-DD")
	}
	if today := calendar.DateOf(s.Clock.Now()); opts.AsOf.After(today) {
		return nil, Invalid("as_of", fmt.Sprintf("%s is after today (%s)", opts.AsOf, today), "sweep as of today or an earlier day")
	}
	if opts.Batch <= 0 {
		opts.Batch = 500
	}
	sum := &SweepSummary{AsOf: opts.AsOf.String(), DryRun: opts.DryRun, Counts: map[string]int{}}
	for _, r := range SweepRules {
		sum.Counts[r] = 0
	}
	steps := []func(context.Context, *SweepOptions, *SweepSummary) error{
		s.sweepSettlements, s.sweepReports, s.sweepOrders, s.sweepGrounds, s.sweepSerious, s.sweepAbnormal, s.sweepPenalties,
	}
	for _, step := range steps {
		if err := step(ctx, &opts, sum); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// batches runs fn on items 0…n-1, opts.Batch per unit of work (or as many as fit
// opts.UnitTime, which counts a unit's wait for the sequencer too: busy with other writes,
// the sweep makes way), adding the decisions it reports to the summary's count of rule.
func (s *Enforcement) batches(ctx context.Context, opts *SweepOptions, sum *SweepSummary, rule string, n int, fn func(tx Tx, i int) (int, error)) error {
	size := opts.Batch
	if opts.UnitTime > 0 {
		size = min(size, 8)
	}
	for start, end := 0, 0; start < n; start = end {
		if err := ctx.Err(); err != nil {
			return err
		}
		end = min(start+size, n)
		t0 := time.Now()
		var done int
		err := s.Store.Write(ctx, func(tx Tx) error {
			done = 0
			if opts.Backdate {
				tx.SetNow(opts.AsOf.Start().Add(9 * time.Hour))
			}
			for i := start; i < end; i++ {
				if opts.Fault != nil {
					if err := opts.Fault(rule, i); err != nil {
						return err
					}
				}
				k, err := fn(tx, i)
				if err != nil {
					return err
				}
				done += k
			}
			if opts.DryRun {
				return errDryRun
			}
			return nil
		})
		if err != nil && !(opts.DryRun && errors.Is(err, errDryRun)) {
			return fmt.Errorf("sweep %s: %w", rule, err)
		}
		if took := time.Since(t0); opts.UnitTime > 0 {
			switch {
			case took > opts.UnitTime:
				size = max(1, size/2)
			case took < opts.UnitTime/2:
				size = min(opts.Batch, 2*size)
			}
		}
		sum.Counts[rule] += done
		if opts.Progress != nil {
			opts.Progress(rule, end, n)
		}
	}
	return nil
}

// sweepReports lists those who did not file the report whose window closed last before
// AsOf (ground 1). An enterprise that filed late, before the sweep, is not listed: the
// ground is cured.
func (s *Enforcement) sweepReports(ctx context.Context, opts *SweepOptions, sum *SweepSummary) error {
	year := opts.AsOf.Year() - 1
	w, err := s.Rules.AnnualReportWindow(year, calendar.Date{})
	if err == nil && !opts.AsOf.After(w.Closes) {
		year--
		w, err = s.Rules.AnnualReportWindow(year, calendar.Date{})
	}
	if errors.Is(err, policy.ErrNoEntry) {
		return nil // before the regulation's annual reports
	}
	if err != nil {
		return err
	}
	ents, err := allPages(func(after string, limit int) ([]*Enterprise, error) {
		return s.Store.NonFilers(ctx, year, fmt.Sprintf("%04d-12-31", year), opts.AsOf, after, limit)
	}, func(e *Enterprise) string { return e.USCC.String() })
	if err != nil {
		return err
	}
	period := fmt.Sprint(year)
	return s.batches(ctx, opts, sum, "ground1", len(ents), func(tx Tx, i int) (int, error) {
		reg, err := tx.Versions(ents[i].Registration)
		if err != nil {
			return 0, err
		}
		if !OwesAnnualReport(reg[0], w.Closes) {
			return 0, nil // registered without its history, after the window closed
		}
		if !operating[StatusOn(reg, opts.AsOf)] {
			return 0, nil // closed (or revoked) by the sweep's date, though perhaps not now
		}
		e, err := s.listTx(tx, sweepAuthority(ents[i]), ents[i], 1, period, w.Closes, opts.AsOf)
		return boolCount(e != nil), err
	})
}

// StatusOn is the registration status (登记状态) on day: that of the registration's
// last version (in log order) in effect by then, a version taking effect on its arose (as
// ceased reads it), or on its publication's day when it has none. The first version is
// the status the enterprise began with. A sweep for a past date judges by it, not by the
// status now.
func StatusOn(reg []*Version, day calendar.Date) string {
	status := ""
	for i, v := range reg {
		from := v.Arose
		if from.IsZero() {
			from = calendar.DateOf(v.PublishedAt)
		}
		if i == 0 || !from.After(day) {
			status = stringField(v.Body, "status")
		}
	}
	return status
}

// sweepOrders lists those whose order to disclose lapsed and is still unmet (ground 2).
func (s *Enforcement) sweepOrders(ctx context.Context, opts *SweepOptions, sum *SweepSummary) error {
	lapsed, err := s.orders.OrdersLapsed(ctx, opts.AsOf)
	if err != nil {
		return err
	}
	var open []*Order
	for _, o := range lapsed {
		if o.FulfilledOn == "" || o.FulfilledOn > opts.AsOf.String() {
			open = append(open, o)
		}
	}
	return s.batches(ctx, opts, sum, "ground2", len(open), func(tx Tx, i int) (int, error) {
		o := open[i]
		ent, err := tx.EnterpriseByCode(o.USCC)
		if err != nil {
			return 0, err
		}
		deadline, err := calendar.ParseDate(o.Deadline)
		if err != nil {
			return 0, err
		}
		e, err := s.listTx(tx, sweepAuthority(ent), ent, 2, "order:"+o.Record, deadline, opts.AsOf)
		return boolCount(e != nil), err
	})
}

// sweepGrounds lists on the grounds spot checks and reports found (grounds 3, 4).
func (s *Enforcement) sweepGrounds(ctx context.Context, opts *SweepOptions, sum *SweepSummary) error {
	gs, err := s.Store.PendingGrounds(ctx, opts.AsOf)
	if err != nil {
		return err
	}
	return s.batches(ctx, opts, sum, "ground3_4", len(gs), func(tx Tx, i int) (int, error) {
		g := gs[i]
		ent, err := tx.EnterpriseByCode(g.Enterprise)
		if err != nil {
			return 0, err
		}
		arose, err := calendar.ParseDate(g.Arose)
		if err != nil {
			return 0, err
		}
		e, err := s.listTx(tx, sweepAuthority(ent), ent, g.Ground, g.Source+":"+g.SourceRef, arose, opts.AsOf)
		return boolCount(e != nil), err
	})
}

// sweepAbnormal publishes the warnings due and escalates the listings in force at their
// third anniversary (Art. 17). Markings of individual businesses never escalate.
func (s *Enforcement) sweepAbnormal(ctx context.Context, opts *SweepOptions, sum *SweepSummary) error {
	open, err := s.allOpen(ctx, ListAbnormal)
	if err != nil {
		return err
	}
	var warn, esc []*ListEntry
	for _, e := range open {
		since, err := calendar.ParseDate(e.Since)
		if err != nil {
			return err
		}
		if w, err := s.Rules.WarningDate(since); err == nil && !opts.AsOf.Before(w.Date) && e.Warned == "" {
			warn = append(warn, e)
		}
		if d, err := s.Rules.EscalationDate(since); err == nil && !opts.AsOf.Before(d.Date) {
			esc = append(esc, e)
		}
	}
	err = s.batches(ctx, opts, sum, "warnings", len(warn), func(tx Tx, i int) (int, error) {
		ok, err := s.warnTx(tx, warn[i], opts.AsOf)
		return boolCount(ok), err
	})
	if err != nil {
		return err
	}
	return s.batches(ctx, opts, sum, "escalations", len(esc), func(tx Tx, i int) (int, error) {
		e, err := s.escalateTx(tx, esc[i], opts.AsOf)
		return boolCount(e != nil), err
	})
}

// sweepSerious removes serious listings after five years and notes the bans that ended.
func (s *Enforcement) sweepSerious(ctx context.Context, opts *SweepOptions, sum *SweepSummary) error {
	open, err := s.allOpen(ctx, ListSerious)
	if err != nil {
		return err
	}
	var expire, bans []*ListEntry
	for _, e := range open {
		since, err := calendar.ParseDate(e.Since)
		if err != nil {
			return err
		}
		if d, err := s.Rules.SeriousAutomaticRemoval(since); err == nil && !opts.AsOf.Before(d.Date) {
			expire = append(expire, e)
		}
		if e.BanUntil != "" && e.BanUntil < opts.AsOf.String() {
			bans = append(bans, e)
		}
	}
	err = s.batches(ctx, opts, sum, "ban_expiries", len(bans), func(tx Tx, i int) (int, error) {
		// The ban's end was published in the listing decision; the sweep notes it once.
		if done, err := tx.Decided("ban_end", bans[i].ID, ""); err != nil || done {
			return 0, err
		}
		return 1, tx.PutDecided("ban_end", bans[i].ID, "", "", opts.AsOf)
	})
	if err != nil {
		return err
	}
	return s.batches(ctx, opts, sum, "serious_expiries", len(expire), func(tx Tx, i int) (int, error) {
		ok, err := s.expireTx(tx, expire[i], opts.AsOf)
		return boolCount(ok), err
	})
}

// sweepPenalties withdraws from public view the penalties whose display period ended
// (SAMR Order 45: 3 years; 3 months for a circulated criticism or a small fine). Their
// documents then answer 410 with the reason; their log leaves stay.
func (s *Enforcement) sweepPenalties(ctx context.Context, opts *SweepOptions, sum *SweepSummary) error {
	var ended []*PenaltyShown
	var ends []policy.Due
	after := ""
	for {
		page, err := s.Store.ShownPenalties(ctx, after, 10000)
		if err != nil {
			return err
		}
		for _, p := range page {
			k := policy.StandardPenalty
			if p.Minor {
				k = policy.MinorPenalty
			}
			if d, err := s.Rules.PenaltyDisplayEnd(k, calendar.DateOf(p.Published)); err == nil && opts.AsOf.After(d.Date) {
				ended, ends = append(ended, p), append(ends, d)
			}
		}
		if len(page) < 10000 {
			break
		}
		after = page[len(page)-1].Record
	}
	return s.batches(ctx, opts, sum, "penalty_withdrawals", len(ended), func(tx Tx, i int) (int, error) {
		if done, err := tx.Decided("withdrawal", ended[i].Record, ""); err != nil || done {
			return 0, err
		}
		ent, err := tx.EnterpriseByCode(ended[i].USCC)
		if err != nil {
			return 0, err
		}
		v, err := s.withdrawDisplayEnded(tx, ent, ended[i].Record, KindPenalty.Name, ends[i].Date, ends[i].Entry.Ref())
		if err != nil {
			return 0, err
		}
		return 1, tx.PutDecided("withdrawal", ended[i].Record, "", v.Record, opts.AsOf)
	})
}

// allOpen returns every entry of a list not ended.
func (s *Enforcement) allOpen(ctx context.Context, list string) ([]*ListEntry, error) {
	return allPages(func(after string, limit int) ([]*ListEntry, error) {
		return s.Store.OpenEntries(ctx, list, after, limit)
	},
		func(e *ListEntry) string { return e.ID })
}

// sweepPage is the number of items a sweep reads at a time.
const sweepPage = 10000

// allPages reads every page of a read by key: page returns up to limit items after the
// key of the last item of the page before (the zero K for the first).
func allPages[T, K any](page func(after K, limit int) ([]T, error), key func(T) K) ([]T, error) {
	var out []T
	var after K
	for {
		p, err := page(after, sweepPage)
		if err != nil {
			return nil, err
		}
		out = append(out, p...)
		if len(p) < sweepPage {
			return out, nil
		}
		after = key(p[len(p)-1])
	}
}

func boolCount(b bool) int {
	if b {
		return 1
	}
	return 0
}
