package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

func init() {
	register("policy", "the policy table of legal periods; due dates", runPolicy)
}

const policyUsage = `usage:
  gongshi policy                         print the policy table
  gongshi policy due                     list the kinds of due date
  gongshi policy due KIND DATE [flags]   the due date of KIND counted from DATE, and the entry used

flags:
  --established DATE   annual-report, first-report: the enterprise's date of establishment
  --year N             annual-report: the report year (default: the year before DATE)
  --population N       spot-check: the number of enterprises drawn from
  --file F             load an extra working-day schedule file
`

func runPolicy(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("policy", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, policyUsage) }
	var in dueInput
	established := fs.String("established", "", "date of establishment (YYYY-MM-DD)")
	fs.IntVar(&in.year, "year", 0, "report year")
	fs.IntVar(&in.population, "population", -1, "population of a spot-check draw")
	file := fs.String("file", "", "extra working-day schedule file")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitStatus(2)
	}
	cal, err := loadCalendar(*file)
	if err != nil {
		return err
	}
	rules := policy.Rules{Table: policy.Default(), Calendar: cal}
	switch {
	case len(pos) == 0:
		printPolicyTable(env.Stdout, rules.Table)
		return nil
	case pos[0] != "due":
		fs.Usage()
		return exitStatus(2)
	case len(pos) == 1:
		printDueKinds(env.Stdout)
		return nil
	case len(pos) != 3:
		fs.Usage()
		return exitStatus(2)
	}
	kind, ok := findDueKind(pos[1])
	if !ok {
		return fmt.Errorf("unknown kind %q; run \"gongshi policy due\" for the list", pos[1])
	}
	if in.date, err = calendar.ParseDate(pos[2]); err != nil {
		return err
	}
	if *established != "" {
		if in.established, err = calendar.ParseDate(*established); err != nil {
			return fmt.Errorf("--established: %w", err)
		}
	}
	return kind.run(env.Stdout, rules, in)
}

func printPolicyTable(w io.Writer, t *policy.Table) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPERIOD\tUNIT\tFROM\tSOURCE\tNAME")
	for _, e := range t.Entries() {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\n", e.ID, e.Amount, e.Unit, e.From, e.Source, e.Name)
	}
	tw.Flush()
}

func printDueKinds(w io.Writer) {
	fmt.Fprintln(w, "kinds of due date (gongshi policy due KIND DATE):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, k := range dueKinds {
		fmt.Fprintf(tw, "  %s\t%s\n", k.name, k.help)
	}
	tw.Flush()
}

func printDue(w io.Writer, label string, due policy.Due) {
	fmt.Fprintf(w, "%-9s %s (%s)", label, due.Date, due.Date.Weekday())
	if due.Provisional() {
		fmt.Fprintf(w, " PROVISIONAL: the nominal day; the calendar has no schedule for %d, which may move it to a later working day", due.Uncovered)
	}
	fmt.Fprintln(w)
	printEntry(w, due.Entry)
}

func printEntry(w io.Writer, e policy.Entry) {
	fmt.Fprintf(w, "entry     %s\n", e.Ref())
	fmt.Fprintf(w, "rule      %s %s (%s)\n", e.Period(), e.NameEN, e.Name)
	fmt.Fprintf(w, "source    %s\n", e.Source)
}
