package calendar

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func d(s string) Date {
	t, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestSchedule2026 checks the State Council notice of 4 Nov 2025 (SPEC §10).
func TestSchedule2026(t *testing.T) {
	c := Default()
	makeup := map[Date]bool{}
	for _, s := range []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"} {
		makeup[d(s)] = true
	}
	holiday := map[Date]bool{}
	for _, r := range [][2]string{{"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"}, {"2026-04-04", "2026-04-06"},
		{"2026-05-01", "2026-05-05"}, {"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"}, {"2026-10-01", "2026-10-07"}} {
		for x := d(r[0]); !x.After(d(r[1])); x = x.AddDays(1) {
			holiday[x] = true
		}
	}
	for x := d("2026-01-01"); x.Year() == 2026; x = x.AddDays(1) {
		info, err := c.Explain(x)
		if err != nil {
			t.Fatal(err)
		}
		weekend := x.Weekday() == time.Saturday || x.Weekday() == time.Sunday
		want := Weekday
		switch {
		case makeup[x]:
			want = Makeup
		case holiday[x]:
			want = Holiday
		case weekend:
			want = Weekend
		}
		if info.Reason != want || info.Working != want.Working() {
			t.Errorf("%v (%v): got %v working=%v, want %v", x, x.Weekday(), info.Reason, info.Working, want)
		}
	}
	if info, _ := c.Explain(d("2026-10-10")); info.Name != "国庆节" {
		t.Errorf("2026-10-10: got name %q, want 国庆节", info.Name)
	}
}

// TestMergedHoliday2025 checks the merged National Day and Mid-Autumn
// holiday of 2025: 1–8 Oct off, make-up days 28 Sep and 11 Oct.
func TestMergedHoliday2025(t *testing.T) {
	c := Default()
	for x := d("2025-10-01"); !x.After(d("2025-10-08")); x = x.AddDays(1) {
		info, err := c.Explain(x)
		if err != nil || info.Working || info.Reason != Holiday || info.Name != "国庆中秋" {
			t.Errorf("%v: got %+v, %v; want holiday 国庆中秋", x, info, err)
		}
	}
	for _, s := range []string{"2025-09-28", "2025-10-11"} {
		if info, _ := c.Explain(d(s)); !info.Working || info.Reason != Makeup {
			t.Errorf("%s: got %+v, want make-up working day", s, info)
		}
	}
	// 30 Sep + 1 working day jumps the whole block to Thu 9 Oct.
	if got, _ := c.AddWorkingDays(d("2025-09-30"), 1); got != d("2025-10-09") {
		t.Errorf("2025-09-30 + 1 wd: got %v, want 2025-10-09", got)
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := Default()
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-09-30", 1, "2026-10-08"},  // National Day 2026
		{"2026-09-30", 0, "2026-09-30"},  // n = 0 is d itself
		{"2026-10-03", 0, "2026-10-03"},  // even on a holiday
		{"2026-09-18", 5, "2026-09-24"},  // through make-up Sunday 20 Sep
		{"2026-10-09", 1, "2026-10-10"},  // make-up Saturday
		{"2026-12-25", 20, "2027-01-25"}, // across New Year 2027
		{"2026-12-25", 30, "2027-02-14"}, // into Spring Festival 2027 and its make-up Sunday
		{"2027-02-04", 1, "2027-02-14"},
		{"2026-12-31", 1, "2027-01-04"},
		{"2026-02-13", 1, "2026-02-14"},
		{"2026-02-14", 1, "2026-02-24"},
		{"2024-02-28", 1, "2024-02-29"}, // leap day is a Thursday
		{"2024-02-29", 1, "2024-03-01"},
		{"2026-06-30", 10, "2026-07-14"},
		{"2025-06-30", 10, "2025-07-14"},
	}
	for _, tt := range tests {
		got, err := c.AddWorkingDays(d(tt.from), tt.n)
		if err != nil || got != d(tt.want) {
			t.Errorf("%s + %d wd: got %v, %v; want %s", tt.from, tt.n, got, err, tt.want)
		}
		if tt.n > 0 {
			if n, err := c.WorkingDaysBetween(d(tt.from), got); err != nil || n != tt.n {
				t.Errorf("WorkingDaysBetween(%s, %v) = %d, %v; want %d", tt.from, got, n, err, tt.n)
			}
		}
	}
	if _, err := c.AddWorkingDays(d("2026-01-05"), -1); !errors.Is(err, ErrNegative) {
		t.Errorf("negative n: got %v, want ErrNegative", err)
	}
}

// TestAgainstNaive compares the precomputed counts with a day-by-day walk.
func TestAgainstNaive(t *testing.T) {
	c := Default()
	naive := func(x Date, n int) Date {
		for n > 0 {
			x = x.AddDays(1)
			if ok, _ := c.IsWorkingDay(x); ok {
				n--
			}
		}
		return x
	}
	for x := d("2023-01-01"); x.Before(d("2027-10-01")); x = x.AddDays(3) {
		for _, n := range []int{1, 5, 10, 20, 61} {
			got, err := c.AddWorkingDays(x, n)
			if want := naive(x, n); err != nil || got != want {
				t.Fatalf("%v + %d: got %v, %v; want %v", x, n, got, err, want)
			}
		}
	}
	if n, _ := c.WorkingDaysBetween(d("2027-01-01"), d("2026-01-01")); n != -248 {
		// 2026: 365 days - 104 weekend days - 19 weekday holidays + 6 make-up days = 248.
		t.Errorf("working days of 2026 backwards: got %d, want -248", n)
	}
}

func TestRolled(t *testing.T) {
	c := Default()
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-09-21", 10, "2026-10-08"}, // 1 Oct is a holiday: rolls to 8 Oct
		{"2026-09-10", 10, "2026-09-20"}, // Sun 20 Sep is a make-up working day: no roll
		{"2026-06-01", 30, "2026-07-01"},
		{"2026-12-02", 30, "2027-01-04"}, // 1 Jan 2027 holiday, 2–3 Jan weekend
	}
	for _, tt := range tests {
		got, err := c.AddCalendarDaysRolled(d(tt.from), tt.n)
		if err != nil || got != d(tt.want) {
			t.Errorf("%s + %d days rolled: got %v, %v; want %s", tt.from, tt.n, got, err, tt.want)
		}
	}
	if got, _ := c.RollForward(d("2026-10-08")); got != d("2026-10-08") {
		t.Errorf("RollForward(working day): got %v", got)
	}
}

func TestUncoveredYear(t *testing.T) {
	c := Default()
	var uy *UncoveredYearError
	if _, err := c.IsWorkingDay(d("2028-03-01")); !errors.As(err, &uy) || uy.Year != 2028 {
		t.Fatalf("got %v, want UncoveredYearError{2028}", err)
	}
	if !strings.Contains(uy.Error(), "2028") {
		t.Errorf("message %q does not name the year", uy.Error())
	}
	// 2027-12-20 + 20 working days reaches into 2028.
	if _, err := c.AddWorkingDays(d("2027-12-20"), 20); !errors.As(err, &uy) || uy.Year != 2028 {
		t.Errorf("crossing into 2028: got %v, want UncoveredYearError{2028}", err)
	}
	if _, err := c.AddWorkingDays(d("2001-06-01"), 0); !errors.As(err, &uy) || uy.Year != 2001 {
		t.Errorf("2001: got %v, want UncoveredYearError{2001}", err)
	}
	if _, err := c.WorkingDaysBetween(d("2027-06-01"), d("2028-06-01")); !errors.As(err, &uy) {
		t.Errorf("between into 2028: got %v", err)
	}
}

const schedule2028 = `# A made-up 2028 schedule for tests.
year 2028
2028-01-01 holiday 元旦节   # Saturday
2028-01-03 holiday 元旦节
2028-01-22 workday 春节
`

func TestLoad(t *testing.T) {
	c := Default()
	other := Default()
	path := filepath.Join(t.TempDir(), "2028.txt")
	if err := os.WriteFile(path, []byte(schedule2028), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := c.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	if got, err := c.AddWorkingDays(d("2027-12-31"), 1); err != nil || got != d("2028-01-04") {
		t.Errorf("2027-12-31 + 1: got %v, %v; want 2028-01-04", got, err)
	}
	if info, _ := c.Explain(d("2028-01-22")); info.Reason != Makeup || info.Name != "春节" {
		t.Errorf("2028-01-22: got %+v", info)
	}
	if other.Covers(2028) {
		t.Error("loading into one Calendar changed another")
	}
	if ys := c.Years(); ys[0] != 2002 || ys[len(ys)-1] != 2028 {
		t.Errorf("Years() = %v", ys)
	}
	// Reloading a year replaces it.
	if err := c.Load(strings.NewReader("year 2026\n")); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.IsWorkingDay(d("2026-10-01")); !ok {
		t.Error("replaced 2026 still has National Day")
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct{ text, want string }{
		{"2028-01-01 holiday 元旦节\n", "schedule:1: date 2028-01-01 before any \"year 2028\" line"},
		{"year 2028\n\n2028-1-1 holiday 元旦节\n", "schedule:3: date \"2028-1-1\""},
		{"year 2028\n2027-12-31 holiday x\n", "schedule:2: date 2027-12-31 is not in year 2028"},
		{"year 2028\n2028-01-03 workday 春节\n", "schedule:2: make-up working day 2028-01-03 is a Monday"},
		{"year 2028\n2028-01-03 off 春节\n", "schedule:2: kind \"off\""},
		{"year 2028\n2028-01-03 holiday\n", "schedule:2: want"},
		{"year 2028\nyear 2028\n", "schedule:2: year 2028 declared twice"},
		{"year 28\n", "schedule:1: year \"28\""},
		{"year 2028\n2028-01-03 holiday a\n2028-01-03 holiday b\n", "schedule:3: date 2028-01-03 listed twice"},
	}
	for _, tt := range tests {
		c := New()
		err := c.Load(strings.NewReader(tt.text))
		var se *ScheduleError
		if !errors.As(err, &se) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Load(%q): got %v, want prefix %q", tt.text, err, tt.want)
		}
		if len(c.Years()) != 0 {
			t.Errorf("Load(%q) failed but added years %v", tt.text, c.Years())
		}
	}
}

// TestWriteScheduleRoundTrip checks that the built-in data written out and
// read back is the same calendar.
func TestWriteScheduleRoundTrip(t *testing.T) {
	c := Default()
	var b strings.Builder
	if err := c.WriteSchedule(&b, c.Years()...); err != nil {
		t.Fatal(err)
	}
	back := New()
	if err := back.Load(strings.NewReader(b.String())); err != nil {
		t.Fatal(err)
	}
	for x := d("2002-01-01"); x.Year() <= 2027; x = x.AddDays(1) {
		a, _ := c.Explain(x)
		b, _ := back.Explain(x)
		if a != b {
			t.Fatalf("%v: got %+v, want %+v", x, b, a)
		}
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(schedule2028)
	f.Add("year 2028\n2028-01-03 workday x\n")
	f.Add("#\nyear 0001\n0001-01-01 holiday 元旦\n")
	f.Fuzz(func(t *testing.T, text string) {
		c := New()
		if err := c.Load(strings.NewReader(text)); err != nil {
			return
		}
		for _, y := range c.Years() {
			specials, err := c.Schedule(y)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range specials {
				info, err := c.Explain(s.Date)
				if err != nil || info.Reason != s.Kind {
					t.Fatalf("%v: Explain = %+v, %v; schedule says %v", s.Date, info, err, s.Kind)
				}
			}
			first := MustDate(y, time.January, 1)
			if _, err := c.AddWorkingDays(first, 1); err != nil {
				var uy *UncoveredYearError
				if !errors.As(err, &uy) {
					t.Fatal(err)
				}
			}
		}
	})
}

func BenchmarkAddWorkingDays20(b *testing.B) {
	c := Default()
	x := d("2026-03-02")
	for i := 0; b.Loop(); i++ {
		if _, err := c.AddWorkingDays(x.AddDays(i%600), 20); err != nil {
			b.Fatal(err)
		}
	}
}
