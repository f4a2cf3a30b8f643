package calendar

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// The schedule file format is specified in the package documentation.

// DayKind classifies a day in a schedule.
type DayKind uint8

const (
	// Weekday is an ordinary Monday to Friday: a working day.
	Weekday DayKind = iota
	// Weekend is an ordinary Saturday or Sunday: not a working day.
	Weekend
	// Holiday is a statutory holiday (法定节假日) or a day of a holiday block: not a working day.
	Holiday
	// Makeup is a make-up working day (调休上班) on a weekend: a working day.
	Makeup
)

var kindNames = [...]string{"weekday", "weekend", "holiday", "makeup"}

// String returns "weekday", "weekend", "holiday" or "makeup".
func (k DayKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "DayKind(" + strconv.Itoa(int(k)) + ")"
}

// Working reports whether a day of kind k is a working day.
func (k DayKind) Working() bool { return k == Weekday || k == Makeup }

// Special is a holiday or make-up day of a year's schedule.
type Special struct {
	Date Date
	Kind DayKind // Holiday or Makeup
	Name string  // the holiday, e.g. 春节; for a make-up day, the holiday it makes up for
}

// ScheduleError is a parse error in a schedule file, naming the line.
type ScheduleError struct {
	Source string // file name, or "schedule"
	Line   int
	Err    string
}

func (e *ScheduleError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.Source, e.Line, e.Err)
}

// parseSchedule reads a schedule file into per-year tables.
func parseSchedule(r io.Reader, source string) (map[int]*year, error) {
	years := map[int]*year{}
	var cur *year
	seen := map[Date]bool{}
	sc := bufio.NewScanner(r)
	line := 0
	fail := func(format string, args ...any) error {
		return &ScheduleError{Source: source, Line: line, Err: fmt.Sprintf(format, args...)}
	}
	for sc.Scan() {
		line++
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		fields := strings.Fields(text)
		if len(fields) == 0 {
			continue
		}
		if fields[0] == "year" {
			if len(fields) != 2 {
				return nil, fail("want \"year YYYY\"")
			}
			y, err := strconv.Atoi(fields[1])
			if err != nil || len(fields[1]) != 4 || y < minYear {
				return nil, fail("year %q: want four digits, e.g. year 2028", fields[1])
			}
			if years[y] != nil {
				return nil, fail("year %d declared twice", y)
			}
			cur = &year{y: y, names: map[Date]string{}}
			years[y] = cur
			continue
		}
		if len(fields) < 3 {
			return nil, fail("want \"YYYY-MM-DD holiday|workday NAME\" or \"year YYYY\"")
		}
		d, err := ParseDate(fields[0])
		if err != nil {
			return nil, fail("%v", err)
		}
		if cur == nil {
			return nil, fail("date %s before any \"year %d\" line", d, d.Year())
		}
		if d.Year() != cur.y {
			return nil, fail("date %s is not in year %d declared above", d, cur.y)
		}
		if seen[d] {
			return nil, fail("date %s listed twice", d)
		}
		seen[d] = true
		name := strings.Join(fields[2:], " ")
		switch fields[1] {
		case "holiday":
			cur.specials = append(cur.specials, Special{d, Holiday, name})
		case "workday":
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				return nil, fail("make-up working day %s is a %s; only a Saturday or Sunday can be one", d, wd)
			}
			cur.specials = append(cur.specials, Special{d, Makeup, name})
		default:
			return nil, fail("kind %q: want holiday or workday", fields[1])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	for _, y := range years {
		y.build()
	}
	return years, nil
}

// WriteSchedule writes the schedule of the given years in the file format
// that Load reads.
func (c *Calendar) WriteSchedule(w io.Writer, years ...int) error {
	bw := bufio.NewWriter(w)
	for _, y := range years {
		yr, err := c.year(y)
		if err != nil {
			return err
		}
		fmt.Fprintf(bw, "year %d\n", y)
		for _, s := range yr.specials {
			kind := "holiday"
			if s.Kind == Makeup {
				kind = "workday"
			}
			fmt.Fprintf(bw, "%s %s %s\n", s.Date, kind, s.Name)
		}
	}
	return bw.Flush()
}
