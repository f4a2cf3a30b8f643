package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/translog"
)

func init() {
	register("draw", "spot-check draws: --verify re-derives a published draw; plan and run for regulators", runDraw)
}

const drawUsage = `usage:
  gongshi draw --verify --url URL [--key VKEY] NUMBER
  gongshi draw plan --url URL --token TOKEN --title TITLE --sample N [--jurisdiction CODE] [--per 2]
  gongshi draw run --url URL --token TOKEN NUMBER

--verify re-derives the draw NUMBER (e.g. D2026-310115-0001) from what the server published
(SPEC §6): it checks that the plan and draw documents hash to their log leaves' sha256, that
the population and roster texts hash to the digests the plan committed to, that the revealed
seed hashes to its commitment, re-runs the selection and assignment of package draw, and
compares them with the served result and its published digest. With the log's key (--key,
else the one the server serves at /log/key) it also proves both leaves in the latest signed
checkpoint and the population's pinned log state a prefix of it. Exit status 0 only if all
of it matches.

plan commits to a new draw of the token's jurisdiction (or --jurisdiction inside it); run
reveals its seed and publishes the result. The token may also come from GONGSHI_TOKEN.
`

func runDraw(ctx context.Context, env *Env, args []string) error {
	sub := ""
	if len(args) > 0 && (args[0] == "plan" || args[0] == "run") {
		sub, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("draw", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, drawUsage) }
	verify := fs.Bool("verify", false, "re-derive a published draw")
	url := fs.String("url", "", "server URL")
	key := fs.String("key", "", "the log's note verifier key")
	token := fs.String("token", env.Getenv("GONGSHI_TOKEN"), "bearer token (regulator)")
	title := fs.String("title", "", "plan: the draw's title")
	sample := fs.Int("sample", 0, "plan: sample size (at least 3% of the population)")
	jurisdiction := fs.String("jurisdiction", "", "plan: 6-digit division code; default the token's")
	per := fs.Int("per", 2, "plan: inspectors per enterprise")
	if err := fs.Parse(args); err != nil {
		return exitStatus(2)
	}
	if *url == "" || (sub == "" && !*verify) || (sub == "plan") != (fs.NArg() == 0) || fs.NArg() > 1 {
		fs.Usage()
		return exitStatus(2)
	}
	c := ghttp.NewClient(*url, *token)
	switch sub {
	case "plan":
		d, err := c.PlanDraw(ctx, gongshi.DrawPlan{Title: *title, Jurisdiction: *jurisdiction, SampleSize: *sample, InspectorsPerEnterprise: *per})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "planned %s: %d of %d enterprises (minimum %d), %d inspectors on the roster\n  population sha256 %s\n  seed sha256       %s\n  pinned to log size %d\n",
			d.Number, d.SampleSize, d.PopulationCount, d.Minimum, d.RosterCount, d.PopulationSHA256, d.SeedSHA256, d.Checkpoint.Size)
		return nil
	case "run":
		d, err := c.RunDraw(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "drew %s: seed %s\n  result sha256 %s\n", d.Number, d.Seed, d.ResultSHA256)
		return nil
	}
	number := fs.Arg(0)
	vkey := strings.TrimSpace(*key)
	if vkey == "" {
		k, err := translog.NewClient(*url, nil).Key(ctx)
		if err != nil {
			fmt.Fprintf(env.Stderr, "note: no log key (%v); the leaves are not proven in the log\n", err)
		} else {
			vkey = k
			fmt.Fprintf(env.Stderr, "note: trusting the log key the server serves: %s\n", k)
		}
	}
	chk, err := c.VerifyDraw(ctx, number, vkey)
	if err != nil {
		return err
	}
	for _, n := range chk.Notes {
		fmt.Fprintln(env.Stdout, "note:", n)
	}
	for _, p := range chk.Problems {
		fmt.Fprintln(env.Stdout, "MISMATCH:", p)
	}
	if !chk.OK() {
		fmt.Fprintf(env.Stderr, "gongshi draw: %s does NOT match what was published\n", number)
		return exitStatus(1)
	}
	inLog := "leaves not proven in the log (see notes)"
	if chk.InLog {
		inLog = "both leaves proven in the signed log"
	}
	fmt.Fprintf(env.Stdout, "OK: draw %s re-derived: %d enterprises selected and their inspectors match; %s\n", number, chk.Selected, inLog)
	return nil
}
