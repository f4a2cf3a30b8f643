package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

func init() {
	register("sweep", "apply the dated rules of the lists (Art. 17) as of a date: listings, warnings, escalations, expiries", runSweep)
}

// runSweep is `gongshi sweep --data DIR --as-of DATE [--dry-run]`. The as-of date is the
// legal date the sweep decides by (every decision is dated on it); what it publishes is
// published at the clock's time. A dry run does every batch and undoes it, so its summary
// is exactly what a real sweep would do; as it commits nothing, it also runs beside a
// running server. A sweep killed part-way loses nothing: run it
// again and it takes up where it stopped, deciding nothing twice.
func runSweep(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var df dataFlags
	df.add(fs)
	asOfFlag := fs.String("as-of", "", "the date the sweep acts on, YYYY-MM-DD (default today by the clock)")
	dry := fs.Bool("dry-run", false, "print what the sweep would do and change nothing")
	batch := fs.Int("batch", 500, "decisions per unit of work")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the sweep to this file")
	if err := parseFlags(env, "sweep", fs, args); err != nil {
		return err
	}
	df.existing = true // a sweep of a folder not there would make a new, empty register
	stop, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stop()
	open := df.open
	if *dry {
		// A dry run commits nothing, so it runs beside a running server too.
		open = func(ctx context.Context, env *Env, _ gongshi.Clock) (*app, error) { return df.openShared(ctx, env) }
	}
	a, err := open(ctx, env, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	asOf := calendar.DateOf(a.clock.Now())
	if *asOfFlag != "" {
		if asOf, err = calendar.ParseDate(*asOfFlag); err != nil {
			return fmt.Errorf("--as-of %q: want a date like 2026-07-01", *asOfFlag)
		}
	}
	mode := ""
	if *dry {
		mode = " (dry run: nothing will be changed)"
	}
	fmt.Fprintf(env.Stderr, "gongshi sweep: as of %s%s\n", asOf, mode)
	if w := scheduleWarning(a.svc); w != "" {
		fmt.Fprintln(env.Stderr, w)
	}
	bars := map[string]*progress{}
	start := time.Now()
	sum, err := a.svc.Sweep(ctx, gongshi.SweepOptions{AsOf: asOf, DryRun: *dry, Batch: *batch, Progress: func(rule string, done, total int) {
		if bars[rule] == nil {
			bars[rule] = newProgress(env.Stderr, rule, "decisions")
		}
		bars[rule].update(done, total)
	}})
	if sum != nil {
		printSweep(env.Stdout, sum, time.Since(start))
	}
	return err
}

// printSweep prints a sweep's summary: decisions per rule.
func printSweep(w io.Writer, sum *gongshi.SweepSummary, took time.Duration) {
	verb := "decided"
	if sum.DryRun {
		verb = "would decide"
	}
	total := 0
	for _, r := range gongshi.SweepRules {
		fmt.Fprintf(w, "%-20s %8d\n", r, sum.Counts[r])
		total += sum.Counts[r]
	}
	fmt.Fprintf(w, "sweep as of %s %s %d in %v\n", sum.AsOf, verb, total, took.Round(time.Millisecond))
}

// sweepUnitTime is about how long a unit of the daily sweep holds the sequencer, which
// writes sent meanwhile wait for (gongshi.SweepOptions.UnitTime).
const sweepUnitTime = 200 * time.Millisecond

// startDailySweeps runs the sweep in the background as of the clock's date: at once,
// after each local (China Standard Time) midnight, and whenever wake receives (a newly
// loaded calendar.txt: its provisional dates are settled at once). Each run ends with the
// warning, while one is due, that next year's working-day schedule is missing. The
// returned function stops it and waits for a sweep in progress to stop between batches.
func startDailySweeps(ctx context.Context, a *app, wake <-chan struct{}) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			today := calendar.DateOf(a.clock.Now())
			t0 := time.Now()
			var sum *gongshi.SweepSummary
			var err error
			fenced := a.fenced.Load() != nil
			if !fenced {
				logged := t0
				sum, err = a.svc.Sweep(ctx, gongshi.SweepOptions{AsOf: today, UnitTime: sweepUnitTime, Progress: func(rule string, done, total int) {
					if time.Since(logged) >= 30*time.Second {
						logged = time.Now()
						a.logger.Info("daily sweep in progress", "as_of", today.String(), "rule", rule, "done", done, "of", total)
					}
				}})
			}
			switch {
			case fenced:
				a.logger.Warn("daily sweep skipped: this register does not publish", "as_of", today.String())
			case ctx.Err() != nil:
				return
			case err != nil:
				a.logger.Error("daily sweep failed; it resumes at the next run", "as_of", today.String(), "err", err)
			default:
				attrs := []any{"as_of", sum.AsOf, "took", time.Since(t0).Round(time.Millisecond)}
				for _, r := range gongshi.SweepRules {
					attrs = append(attrs, r, sum.Counts[r])
				}
				a.logger.Log(ctx, slog.LevelInfo, "daily sweep", attrs...)
			}
			warnSchedule(ctx, a)
			wait := today.AddDays(1).Start().Sub(a.clock.Now()) + time.Second
			select {
			case <-ctx.Done():
				return
			case <-wake:
			case <-time.After(max(wait, time.Minute)):
			}
		}
	}()
	return func() { cancel(); <-done }
}

// sweepHistory sweeps a register loaded with history year by year up to until, each
// decision published on its as-of day (the demo): 6 May (warnings of July listings), 5
// July (non-filers, escalations, expiries) and 1 November of each year, then until.
func sweepHistory(ctx context.Context, env *Env, a *app, from int, until time.Time) (map[string]int, error) {
	end := calendar.DateOf(until)
	total := map[string]int{}
	var days []calendar.Date
	for y := from; y <= end.Year(); y++ {
		for _, md := range [][2]int{{5, 6}, {7, 5}, {11, 1}} {
			// The first sweep is the July after the first filing window: before it, the
			// register has no reports to judge by.
			if d := calendar.MustDate(y, time.Month(md[0]), md[1]); d.Before(end) && (y > from || md[0] >= 7) {
				days = append(days, d)
			}
		}
	}
	days = append(days, end)
	p := newProgress(env.Stderr, "sweeps", "days")
	p.observe = a.observeBuild
	for i, d := range days {
		sum, err := a.svc.Sweep(ctx, gongshi.SweepOptions{AsOf: d, Backdate: true, Batch: 2000})
		if err != nil {
			return total, fmt.Errorf("sweep as of %s: %w", d, err)
		}
		for r, n := range sum.Counts {
			total[r] += n
		}
		p.update(i+1, len(days))
	}
	return total, nil
}

// demoCases files a few removal applications in a demo register swept up to its clock:
// enterprises listed for a report they filed late afterwards apply and are removed (the
// register sees the cure); a few that did not cure apply and are refused in writing.
func demoCases(ctx context.Context, a *app) (removed, refused int, err error) {
	page, err := a.svc.List(ctx, gongshi.ListInput{List: gongshi.ListAbnormal, Ground: "1", Limit: "500", Since: calendar.DateOf(a.clock.Now()).AddDays(-500).String()})
	if err != nil {
		return 0, 0, err
	}
	for i, e := range page.Entries {
		if removed >= 5 && refused >= 3 || i >= 40 {
			break
		}
		liaison, _, err := a.svc.CreateAccount(ctx, gongshi.NewAccount{ID: "demo-liaison-" + e.USCC, Role: gongshi.RoleEnterprise, Enterprise: e.USCC})
		if err != nil {
			continue // a demo account exists already
		}
		c, err := a.svc.ApplyForRemoval(ctx, liaison, e.USCC, gongshi.CaseInput{Entry: e.ID, Reason: "已补报年度报告，申请移出经营异常名录"})
		if err != nil {
			return removed, refused, err
		}
		officer := &gongshi.Account{ID: "demo-officer-" + e.Division, Name: e.Authority, Role: gongshi.RoleRegulator, Jurisdiction: e.Division}
		d := gongshi.CaseDecision{Outcome: gongshi.OutcomeRemoved, DocumentNo: fmt.Sprintf("%s市监移〔%s〕%s号", e.Division, c.Received[:4], c.ID), Answer: "经核实，已补报年度报告，准予移出"}
		switch {
		case c.Cure != "" && removed < 5:
			removed++
		case c.Cure == "" && refused < 3:
			d.Outcome, d.Answer = gongshi.OutcomeRefused, "经核实，尚未补报全部年度报告，不予移出"
			refused++
		default:
			continue // left pending: the regulator's queue shows it
		}
		if _, err := a.svc.DecideCase(ctx, officer, c.ID, d); err != nil {
			return removed, refused, err
		}
	}
	return removed, refused, nil
}
