package main

import (
	"context"
	"flag"
	"fmt"
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
	seed := fs.Int64("seed", 1, "random seed: the same seed makes the same register")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the generation to this file")
	if err := fs.Parse(args); err != nil {
		return exitStatus(2)
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
	a, err := df.open(ctx, env, clock)
	if err != nil {
		return err
	}
	defer a.Close()
	return generateDemo(ctx, env, a, clock, *n, *seed)
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
func generateDemo(ctx context.Context, env *Env, a *app, clock *demo.Clock, n int, seed int64) error {
	if size, _ := a.store.TreeSize(ctx); size > 0 {
		return fmt.Errorf("the register already holds %d record versions: demo data goes into an empty data folder", size)
	}
	// Bulk loading allocates many short-lived maps; a larger GC target trades memory for speed.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	until := clock.Now()
	fmt.Fprintf(env.Stderr, "gongshi demo: %d enterprises with their history up to %s\n", n, until.Format(time.RFC3339))
	p := newProgress(env.Stderr, "demo", "versions")
	start := time.Now()
	st, err := demo.Generate(ctx, a.svc, clock, demo.Options{Enterprises: n, Seed: seed, Until: until, Progress: p.update, ReportYears: demoReportYears})
	if err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Fprintf(env.Stderr, "gongshi demo: %d enterprises (%d branches), %d record versions (%d late, %d corrected), %d accounts in %v: %.0f enterprises/s, %.0f versions/s\n",
		st.Enterprises, st.Branches, st.Versions, st.Late, st.Corrected, st.Accounts, el.Round(time.Millisecond),
		float64(st.Enterprises)/el.Seconds(), float64(st.Versions)/el.Seconds())
	// The lists (sweep.go): the history swept year by year, and a few removal applications.
	swept, err := sweepHistory(ctx, env, a, until.Year()-demoReportYears+1, until)
	if err != nil {
		return err
	}
	removed, refused, err := demoCases(ctx, a)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "gongshi demo: swept: %v; %d removed on application, %d refused\n", swept, removed, refused)
	clock.Run()
	return nil
}

// demoReportYears is how many report years the demo files reports for: enough for the
// sweeps to list, warn, escalate to the serious list and ban (Art. 17: three years).
const demoReportYears = 6

// fillDemo fills the register with n demo enterprises if it is empty (serve --demo).
func fillDemo(ctx context.Context, env *Env, a *app, clock *demo.Clock, n int) error {
	if size, _ := a.store.TreeSize(ctx); size > 0 {
		clock.Run()
		fmt.Fprintf(env.Stderr, "gongshi: the data folder already holds %d record versions; serving them\n", size)
		return nil
	}
	return generateDemo(ctx, env, a, clock, n, 1)
}
