package calendar

import (
	"strings"
	"testing"
)

// TestNominalAcrossYearEnd: with 2027 the last covered year, counts and rolls that stay in
// 2027 are exact and equal the strict methods'; those that need 2028 give the nominal day
// and name 2028; once 2028 is loaded they are exact again.
func TestNominalAcrossYearEnd(t *testing.T) {
	c := Default()
	adds := []struct {
		from      string
		n         int
		want      string
		uncovered int
		settled   string // with 2028's New Year holiday (1–3 Jan) loaded
	}{
		{"2027-12-30", 1, "2027-12-31", 0, "2027-12-31"},
		{"2027-12-31", 0, "2027-12-31", 0, "2027-12-31"},
		{"2027-12-30", 2, "2028-01-03", 2028, "2028-01-04"},
		{"2027-12-31", 1, "2028-01-03", 2028, "2028-01-04"},
		{"2028-01-05", 3, "2028-01-10", 2028, "2028-01-10"},
		{"2028-01-01", 1, "2028-01-03", 2028, "2028-01-04"},
		{"2027-12-20", 20, "2028-01-17", 2028, "2028-01-18"},
	}
	rolls := []struct {
		day       string
		want      string
		uncovered int
		settled   string
	}{
		{"2027-12-31", "2027-12-31", 0, "2027-12-31"},    // a Friday
		{"2027-10-02", "2027-10-08", 0, "2027-10-08"},    // National Day, inside 2027
		{"2028-01-01", "2028-01-01", 2028, "2028-01-04"}, // the nominal day, unrolled
		{"2028-01-05", "2028-01-05", 2028, "2028-01-05"},
	}
	check := func(loaded bool) {
		for _, a := range adds {
			got, un, err := c.AddWorkingDaysNominal(d(a.from), a.n)
			want, wantUn := a.want, a.uncovered
			if loaded {
				want, wantUn = a.settled, 0
			}
			if err != nil || got != d(want) || un != wantUn {
				t.Errorf("loaded %v: %s + %d working days: got %v uncovered %d (%v), want %s uncovered %d", loaded, a.from, a.n, got, un, err, want, wantUn)
			}
			if strict, err := c.AddWorkingDays(d(a.from), a.n); wantUn == 0 && (err != nil || strict != got) {
				t.Errorf("loaded %v: %s + %d: strict got %v (%v), nominal %v; want equal", loaded, a.from, a.n, strict, err, got)
			}
		}
		for _, r := range rolls {
			got, un, err := c.RollForwardNominal(d(r.day))
			want, wantUn := r.want, r.uncovered
			if loaded {
				want, wantUn = r.settled, 0
			}
			if err != nil || got != d(want) || un != wantUn {
				t.Errorf("loaded %v: roll %s: got %v uncovered %d (%v), want %s uncovered %d", loaded, r.day, got, un, err, want, wantUn)
			}
		}
	}
	check(false)
	if err := c.Load(strings.NewReader("year 2028\n2028-01-01 holiday 元旦\n2028-01-02 holiday 元旦\n2028-01-03 holiday 元旦\n")); err != nil {
		t.Fatal(err)
	}
	check(true)
	if _, _, err := c.AddWorkingDaysNominal(d("2027-12-30"), -1); err != ErrNegative {
		t.Errorf("negative count: got %v, want ErrNegative", err)
	}
}
