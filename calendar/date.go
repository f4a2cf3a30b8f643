package calendar

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"time"
)

// Date is a civil date in China Standard Time: a day of the Gregorian
// calendar, not an instant. Legal dates (the day information arose, the day
// a report was filed, the last day of a period) are Dates.
//
// A Date is a day number: the number of days since 0000-12-31, so that
// 0001-01-01 is day 1 and the zero Date means "no date". Dates are compared
// with ==, <-style ordering is given by Before, After and Compare, and a
// Date costs four bytes. Valid years are 1 to 9999.
type Date struct {
	n int32
}

// China Standard Time, UTC+8. China has observed no daylight-saving time
// since 1991, so a fixed zone is exact for every date the register holds.
var cst = time.FixedZone("CST", 8*60*60)

// CST returns the China Standard Time zone (UTC+8) used to turn instants into Dates.
func CST() *time.Location { return cst }

const (
	minYear = 1
	maxYear = 9999
)

// NewDate returns the Date y-m-d. Out-of-range months and days are an error
// (NewDate does not normalise 2026-02-30 to 2026-03-02).
func NewDate(y int, m time.Month, d int) (Date, error) {
	if y < minYear || y > maxYear {
		return Date{}, fmt.Errorf("year %d out of range %d-%d", y, minYear, maxYear)
	}
	if m < 1 || m > 12 {
		return Date{}, fmt.Errorf("month %d out of range 1-12", int(m))
	}
	if d < 1 || d > daysIn(y, m) {
		return Date{}, fmt.Errorf("day %d out of range 1-%d for %04d-%02d", d, daysIn(y, m), y, int(m))
	}
	return Date{fromCivil(y, int(m), d)}, nil
}

// MustDate is NewDate for constants in tables and tests; it panics on an invalid date.
func MustDate(y int, m time.Month, d int) Date {
	t, err := NewDate(y, m, d)
	if err != nil {
		panic("calendar.MustDate: " + err.Error())
	}
	return t
}

// ParseDate parses a date in the canonical form YYYY-MM-DD (e.g. 2026-01-05).
// It rejects every other spelling ("2026-1-5", "2026/01/05", surrounding
// spaces) and impossible dates ("2026-02-29").
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("date %q: want the form YYYY-MM-DD, e.g. 2026-01-05", s)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("date %q: want the form YYYY-MM-DD, e.g. 2026-01-05", s)
	}
	t, err := NewDate(y, time.Month(m), d)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: %w", s, err)
	}
	return t, nil
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// DateOf returns the date in China Standard Time of the instant t.
func DateOf(t time.Time) Date {
	y, m, d := t.In(cst).Date()
	if y < minYear || y > maxYear {
		return Date{}
	}
	return Date{fromCivil(y, int(m), d)}
}

// Today returns the date in China Standard Time at the instant now. The
// clock is injected: callers pass their (possibly simulated) now.
func Today(now time.Time) Date { return DateOf(now) }

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool { return d.n == 0 }

// Civil returns the year, month and day of d.
func (d Date) Civil() (year int, month time.Month, day int) {
	y, m, dd := toCivil(d.n)
	return y, time.Month(m), dd
}

// Year returns the year of d.
func (d Date) Year() int { y, _, _ := toCivil(d.n); return y }

// Month returns the month of d.
func (d Date) Month() time.Month { _, m, _ := toCivil(d.n); return time.Month(m) }

// Day returns the day of the month of d.
func (d Date) Day() int { _, _, dd := toCivil(d.n); return dd }

// YearDay returns the day of the year of d, 1 for 1 January.
func (d Date) YearDay() int { return int(d.n-fromCivil(d.Year(), 1, 1)) + 1 }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// Day 1 (0001-01-01) was a Monday.
	return time.Weekday((int(d.n)%7 + 7) % 7)
}

// AddDays returns the date n days after d (before d if n is negative).
func (d Date) AddDays(n int) Date { return Date{d.n + int32(n)} }

// AddMonths returns the date n months after d. A day that the target month
// lacks is clamped to its last day (Civil Code Art. 202: a period in months
// or years without a corresponding day ends on the last day of the month),
// so 2026-01-31 + 1 month = 2026-02-28.
func (d Date) AddMonths(n int) Date {
	y, m, dd := toCivil(d.n)
	months := y*12 + (m - 1) + n
	y, m = months/12, months%12+1
	if last := daysIn(y, time.Month(m)); dd > last {
		dd = last
	}
	return Date{fromCivil(y, m, dd)}
}

// AddYears returns the date n years after d, clamping 29 February to
// 28 February in a common year (Civil Code Art. 202).
func (d Date) AddYears(n int) Date { return d.AddMonths(12 * n) }

// Sub returns the number of days from e to d (d - e).
func (d Date) Sub(e Date) int { return int(d.n - e.n) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.n < e.n }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.n > e.n }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.n < e.n:
		return -1
	case d.n > e.n:
		return 1
	}
	return 0
}

// String returns d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.n == 0 {
		return ""
	}
	y, m, dd := toCivil(d.n)
	return fmt.Sprintf("%04d-%02d-%02d", y, m, dd)
}

// Start returns 00:00 China Standard Time on d as an instant.
func (d Date) Start() time.Time {
	y, m, dd := toCivil(d.n)
	return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, cst)
}

// MarshalText encodes d as YYYY-MM-DD; the zero Date encodes as "".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes YYYY-MM-DD strictly, as ParseDate; "" decodes as the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	t, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = t
	return nil
}

// Value stores d in a database as TEXT YYYY-MM-DD, and the zero Date as NULL.
func (d Date) Value() (driver.Value, error) {
	if d.n == 0 {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a Date from a database column holding TEXT (or bytes)
// YYYY-MM-DD, a time.Time (its date in China Standard Time), or NULL (the
// zero Date).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		return d.UnmarshalText([]byte(v))
	case []byte:
		return d.UnmarshalText(v)
	case time.Time:
		*d = DateOf(v)
		return nil
	}
	return errors.New("calendar: cannot scan " + fmt.Sprintf("%T", src) + " into a Date")
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// fromCivil and toCivil are Howard Hinnant's days_from_civil and
// civil_from_days, shifted so that 0001-01-01 is day 1.
const epochShift = 719162 + 1 // days from 0001-01-01 to 1970-01-01, plus one

func fromCivil(y, m, d int) int32 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097+doe-719468) + epochShift
}

func toCivil(n int32) (y, m, d int) {
	z := int(n) - epochShift + 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}
