package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"runtime/debug"
	"time"

	"github.com/gongshi/gongshi/demo"
)

func init() {
	register("demo", "fill an empty data folder with realistic demo enterprises and their history", runDemo)
}

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var df dataFlags
	df.add(fs)
	n := fs.Int("enterprises", 20000, "how many enterprises (branches come on top)")
	opts := defaultDemoOptions()
	fs.Int64Var(&opts.seed, "seed", opts.seed, "random seed: the same seed makes the same register")
	fs.IntVar(&opts.reportYears, "report-years", opts.reportYears, "file annual reports for this many report years before the clock (0: every one since the regulation, -1: none)")
	fs.BoolVar(&opts.bulk, "bulk", true, "load in bulk: no disk flush per batch, the read-only indexes built at the end (sqlstore.StartBulk); with --db, written on SQLite in the data folder and copied into PostgreSQL with COPY; --bulk=false writes as a server does")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the generation to this file")
	if err := parseFlags(env, "demo", fs, args); err != nil {
		return err
	}
	df.bulk = opts.bulk
	url, err := secretSource{df.db, df.dbFile, "GONGSHI_DB", "db"}.resolve(env)
	if err != nil {
		return err
	}
	stop, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stop()
	clock, err := demoClock(df.clock)
	if err != nil {
		return err
	}
	if opts.bulk && url != "" {
		return bulkViaSQLite(ctx, env, df, url, clock, false, func(a *app) error { return generateDemo(ctx, env, a, clock, *n, opts) })
	}
	a, err := df.open(ctx, env, clock)
	if err != nil {
		return err
	}
	defer a.Close()
	return generateDemo(ctx, env, a, clock, *n, opts)
}

// demoClock is the clock a demo is generated on: it stands at the --clock instant (or now)
// while history is written, then runs on.
func demoClock(flagClock string) (*demo.Clock, error) {
	until := time.Now()
	if flagClock != "" {
		t, err := time.Parse(time.RFC3339, flagClock)
		if err != nil {
			return nil, fmt.Errorf("--clock %q: want an instant like 2027-07-01T09:00:00+08:00", flagClock)
		}
		until = t
	}
	return demo.NewClock(until), nil
}

// generateDemo writes n demo enterprises into the register, which must be empty.
func generateDemo(ctx context.Context, env *Env, a *app, clock *demo.Clock, n int, opts demoOptions) (err error) {
	if size, _ := a.store.TreeSize(ctx); size > 0 {
		return fmt.Errorf("the register already holds %d record versions: demo data goes into an empty data folder", size)
	}
	if opts.bulk {
		if err := a.store.StartBulk(ctx); err != nil {
			return err
		}
		defer func() {
			t0 := time.Now()
			if ferr := a.store.FinishBulk(context.WithoutCancel(ctx), finishProgress(env, a)); ferr != nil && err == nil {
				err = ferr
			}
			fmt.Fprintf(env.Stderr, "gongshi demo: indexes built, the database compacted and the load made durable in %v\n", time.Since(t0).Round(time.Millisecond))
		}()
	}
	// Bulk loading allocates many short-lived maps; a larger GC target trades memory for speed.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	until := clock.Now()
	if opts.reportYears == 0 {
		// Every report year since the first under the regulation (2014), each swept in
		// its July: what an enterprise owes and what the lists say of it agree. With
		// fewer, the years before would be owed and never listed.
		opts.reportYears = until.Year() - demo.Launch.Year()
	}
	fmt.Fprintf(env.Stderr, "gongshi demo: %d enterprises with their history up to %s\n", n, until.Format(time.RFC3339))
	p := newProgress(env.Stderr, "demo", "versions")
	p.observe = a.observeBuild
	start := time.Now()
	st, err := demo.Generate(ctx, a.svc, clock, demo.Options{Enterprises: n, Seed: opts.seed, Until: until, Progress: p.update, ReportYears: opts.reportYears, Loaded: opts.loaded})
	if err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Fprintf(env.Stderr, "gongshi demo: %d enterprises (%d branches), %d record versions (%d late, %d corrected), %d accounts in %v: %.0f enterprises/s, %.0f versions/s\n",
		st.Enterprises, st.Branches, st.Versions, st.Late, st.Corrected, st.Accounts, el.Round(time.Millisecond),
		float64(st.Enterprises)/el.Seconds(), float64(st.Versions)/el.Seconds())
	if opts.reportYears < 0 {
		// Without annual reports every enterprise would be listed: nothing to sweep.
		clock.Run()
		return nil
	}
	// The lists (sweep.go): the history swept year by year, and a few removal applications.
	swept, err := sweepHistory(ctx, env, a, until.Year()-max(opts.reportYears, 1)+1, until)
	if err != nil {
		return err
	}
	removed, refused, err := demoCases(ctx, a)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "gongshi demo: swept: %v; %d removed on application, %d refused\n", swept, removed, refused)
	// Credit repair needs the lists: penalties repaired, serious listings removed early.
	rs, err := demo.Repairs(ctx, a.svc)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "gongshi demo: credit repair: %d penalties repaired, %d refused; %d serious listings removed early, %d refused\n",
		rs.CreditRepaired, rs.CreditRefused, rs.EarlyRemoved, rs.EarlyRefused)
	// An enterprise removed early from the serious list is judged by the abnormal list's
	// rules again (its warning before a third anniversary, say): the register is swept up
	// to its clock once more, so that a server started on it finds nothing due.
	if _, err := a.svc.Sweep(ctx, gongshi.SweepOptions{AsOf: calendar.DateOf(until), Backdate: true, Batch: 2000}); err != nil {
		return fmt.Errorf("sweep after the credit repairs: %w", err)
	}
	clock.Run()
	return nil
}

// demoOptions are the demo's choices beyond the number of enterprises.
type demoOptions struct {
	seed int64
	// reportYears is how many report years, the last before the clock, the demo files
	// annual reports for (and sweeps). 0, the default, is every one since the regulation:
	// an enterprise then owes no report the lists never heard of, and a report missing
	// years ago has been listed, warned, escalated to the serious list and its
	// representative banned (Art. 17: three years) by the demo's clock. -1 files none (a
	// lighter load for benchmarks of the write path).
	reportYears int
	// bulk loads through sqlstore's bulk mode (StartBulk … FinishBulk).
	bulk bool
	// loaded, if set, is told after each batch how many enterprises and versions are in
	// (demo.Options.Loaded).
	loaded func(enterprises, versions int)
}

func defaultDemoOptions() demoOptions { return demoOptions{seed: 1} }

// fillDemo fills the register with n demo enterprises if it is empty (serve --demo).
func fillDemo(ctx context.Context, env *Env, a *app, clock *demo.Clock, n int) error {
	if size, _ := a.store.TreeSize(ctx); size > 0 {
		clock.Run()
		fmt.Fprintf(env.Stderr, "gongshi: the data folder already holds %d record versions; serving them\n", size)
		return nil
	}
	return generateDemo(ctx, env, a, clock, n, defaultDemoOptions())
}
