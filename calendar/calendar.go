package calendar

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"sort"
	"sync/atomic"
	"time"
)

// UncoveredYearError is returned by every Calendar method that needs a year
// whose schedule the calendar does not hold. The calendar never guesses a
// year as weekends-only: a deadline in an uncovered year is an error until
// an administrator loads the State Council's schedule for it.
type UncoveredYearError struct {
	Year int
}

func (e *UncoveredYearError) Error() string {
	return fmt.Sprintf("the working-day calendar has no schedule for %d; an administrator must load the State Council's %d holiday schedule into calendar.txt in the data folder (format: \"gongshi calendar --help\")", e.Year, e.Year)
}

// ErrNegative is returned for a negative count of working days.
var ErrNegative = errors.New("calendar: negative number of working days")

// A Calendar knows, for each covered year, which days are working days in
// the People's Republic of China: Monday to Friday and make-up working days
// (调休) are; Saturdays, Sundays and statutory holidays are not (SPEC §10).
//
// A Calendar is safe for concurrent use, including Load while queries run:
// each Load publishes a new immutable set of years.
type Calendar struct {
	years atomic.Pointer[map[int]*year]
}

// year is the immutable schedule of one year, precomputed for fast counting.
type year struct {
	y        int
	first    Date // 1 January
	specials []Special
	names    map[Date]string
	kind     []DayKind // by day of year (0-based)
	cum      []uint16  // cum[i]: working days among the first i days of the year
	work     []uint16  // 0-based day-of-year of each working day, in order
}

func (y *year) build() {
	sort.Slice(y.specials, func(i, j int) bool { return y.specials[i].Date.Before(y.specials[j].Date) })
	y.first = MustDate(y.y, time.January, 1)
	n := 365
	if isLeap(y.y) {
		n = 366
	}
	y.kind = make([]DayKind, n)
	for i := range y.kind {
		switch y.first.AddDays(i).Weekday() {
		case time.Saturday, time.Sunday:
			y.kind[i] = Weekend
		}
	}
	for _, s := range y.specials {
		y.kind[s.Date.Sub(y.first)] = s.Kind
		y.names[s.Date] = s.Name
	}
	y.cum = make([]uint16, n+1)
	y.work = y.work[:0]
	for i, k := range y.kind {
		y.cum[i+1] = y.cum[i]
		if k.Working() {
			y.cum[i+1]++
			y.work = append(y.work, uint16(i))
		}
	}
}

// New returns a Calendar covering no year; Load adds years.
func New() *Calendar {
	c := &Calendar{}
	m := map[int]*year{}
	c.years.Store(&m)
	return c
}

// Load reads a schedule file (format: see WriteSchedule and the package
// documentation) and adds its years to c. A year already covered is
// replaced wholesale by the file's schedule, so a corrected notice can be
// loaded over the built-in data. On error c is unchanged.
func (c *Calendar) Load(r io.Reader) error { return c.load(r, "schedule") }

// LoadFile is Load from the named file; errors name the file and line.
func (c *Calendar) LoadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return c.load(f, path)
}

func (c *Calendar) load(r io.Reader, source string) error {
	add, err := parseSchedule(r, source)
	if err != nil {
		return err
	}
	for {
		old := c.years.Load()
		m := maps.Clone(*old)
		maps.Copy(m, add)
		if c.years.CompareAndSwap(old, &m) {
			return nil
		}
	}
}

// Years returns the covered years in increasing order.
func (c *Calendar) Years() []int {
	return slices.Sorted(maps.Keys(*c.years.Load()))
}

// Covers reports whether the calendar holds the schedule of year y.
func (c *Calendar) Covers(y int) bool {
	_, ok := (*c.years.Load())[y]
	return ok
}

// Schedule returns the holidays and make-up working days of year y in date order.
func (c *Calendar) Schedule(y int) ([]Special, error) {
	yr, err := c.year(y)
	if err != nil {
		return nil, err
	}
	return slices.Clone(yr.specials), nil
}

func (c *Calendar) year(y int) (*year, error) {
	if yr, ok := (*c.years.Load())[y]; ok {
		return yr, nil
	}
	return nil, &UncoveredYearError{Year: y}
}
