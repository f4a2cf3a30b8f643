package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gongshi/gongshi/calendar"
)

func init() {
	register("calendar", "working days: add, is-workday, show", runCalendar)
}

const calendarUsage = `usage:
  gongshi calendar add DATE N        the N-th working day after DATE (YYYY-MM-DD)
  gongshi calendar is-workday DATE   yes or no, and why
  gongshi calendar show YEAR         the year's holidays and make-up working days

flags:
  --file F   load an extra schedule file

A schedule file adds or replaces whole years; gongshi serve, sweep and the other commands
read calendar.txt in their data folder the same way. gongshi serve notices a changed
calendar.txt within seconds, and its sweep then settles the provisional dates of the years
the file adds (dates computed before their year's holidays were known). One entry per line,
# starts a comment:

  year 2028                       the file covers 2028 (a year is covered only if declared)
  2028-01-01 holiday 元旦          a statutory holiday and its name
  2028-01-29 workday 春节          a make-up working day (调休) on a weekend, and why

Weekends are non-working unless listed as workday; every other day is a working day.
`

func runCalendar(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("calendar", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, calendarUsage) }
	file := fs.String("file", "", "load an extra schedule file")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitStatus(2)
	}
	if len(pos) == 0 {
		fs.Usage()
		return exitStatus(2)
	}
	cal, err := loadCalendar(*file)
	if err != nil {
		return err
	}
	want := map[string]int{"add": 3, "is-workday": 2, "show": 2}
	n, ok := want[pos[0]]
	if !ok {
		return fmt.Errorf("unknown subcommand %q; want add, is-workday or show", pos[0])
	}
	if len(pos) != n {
		fs.Usage()
		return exitStatus(2)
	}
	switch pos[0] {
	case "add":
		return calendarAdd(env.Stdout, cal, pos[1], pos[2])
	case "is-workday":
		return calendarIsWorkday(env.Stdout, cal, pos[1])
	default:
		return calendarShow(env.Stdout, cal, pos[1])
	}
}

// loadCalendar returns the built-in calendar, plus the schedule in file if named.
func loadCalendar(file string) (*calendar.Calendar, error) {
	cal := calendar.Default()
	if file != "" {
		if err := cal.LoadFile(file); err != nil {
			return nil, fmt.Errorf("load schedule: %w", err)
		}
	}
	return cal, nil
}

// parseInterspersed parses flags anywhere among the positional arguments
// and returns the positional ones. An argument like "-3" is positional, so
// that a negative count reaches the command and is refused with a reason.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
		for len(args) > 0 {
			if _, err := strconv.Atoi(args[0]); err != nil || !strings.HasPrefix(args[0], "-") {
				break
			}
			pos = append(pos, args[0])
			args = args[1:]
		}
	}
}

func calendarAdd(w io.Writer, cal *calendar.Calendar, date, count string) error {
	d, err := calendar.ParseDate(date)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(count)
	if err != nil {
		return fmt.Errorf("N %q: want a whole number of working days", count)
	}
	if n < 0 {
		return fmt.Errorf("N = %d: a number of working days cannot be negative", n)
	}
	due, err := cal.AddWorkingDays(d, n)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, due)
	return nil
}

func calendarIsWorkday(w io.Writer, cal *calendar.Calendar, date string) error {
	d, err := calendar.ParseDate(date)
	if err != nil {
		return err
	}
	info, err := cal.Explain(d)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %s\n", yesNo(info.Working), explainDay(d, info))
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// explainDay says in words why d is or is not a working day.
func explainDay(d calendar.Date, info calendar.DayInfo) string {
	wd := d.Weekday()
	switch info.Reason {
	case calendar.Holiday:
		return fmt.Sprintf("%s, holiday %s (statutory holiday)", wd, info.Name)
	case calendar.Makeup:
		return fmt.Sprintf("%s, make-up working day (调休) for %s", wd, info.Name)
	case calendar.Weekend:
		return fmt.Sprintf("%s, weekend", wd)
	}
	return fmt.Sprintf("%s, ordinary working day", wd)
}

func calendarShow(w io.Writer, cal *calendar.Calendar, year string) error {
	y, err := strconv.Atoi(year)
	if err != nil || len(year) != 4 {
		return fmt.Errorf("year %q: want four digits, e.g. 2026", year)
	}
	specials, err := cal.Schedule(y)
	if err != nil {
		return err
	}
	jan1, err := calendar.NewDate(y, time.January, 1)
	if err != nil {
		return err
	}
	working := 0
	for d := jan1; d.Year() == y; d = d.AddDays(1) {
		if ok, _ := cal.IsWorkingDay(d); ok {
			working++
		}
	}
	fmt.Fprintf(w, "%d: %d working days\n", y, working)
	for _, s := range specials {
		kind := "holiday"
		if s.Kind == calendar.Makeup {
			kind = "workday"
		}
		fmt.Fprintf(w, "%s %s %-7s %s\n", s.Date, s.Date.Weekday().String()[:3], kind, s.Name)
	}
	return nil
}
