package policy

import (
	"strings"
	"testing"

	"github.com/gongshi/gongshi/calendar"
)

// newYear2028 is a schedule for tests, not the State Council's: 2028 opens with a
// three-day New Year holiday (Sat 1 – Mon 3 January).
const newYear2028 = "year 2028\n2028-01-01 holiday 元旦\n2028-01-02 holiday 元旦\n2028-01-03 holiday 元旦\n"

// rulesUntil2027 are the default rules with a calendar of its own (the built-in one,
// 2002–2027), so that a test may load 2028 into it.
func rulesUntil2027() Rules { return Rules{Table: Default(), Calendar: calendar.Default()} }

// TestProvisionalAcrossYearEnd computes each kind of period on both sides of the end of
// the last covered year: exact while it ends in 2027, provisional (the nominal day) once
// it needs 2028, and settled to the rolled day when 2028's schedule is loaded.
func TestProvisionalAcrossYearEnd(t *testing.T) {
	r := rulesUntil2027()
	type fn func(calendar.Date) (Due, error)
	tests := []struct {
		name     string
		f        fn
		from     string
		nominal  string // the date before 2028 is loaded
		uncover  int    // 0: exact in 2027
		settled  string // the date after
		unitNote string
	}{
		{"20 working days ending 30 Dec", func(x calendar.Date) (Due, error) { return r.CaseDue(Report, x) }, "2027-12-02", "2027-12-30", 0, "2027-12-30", "working days"},
		{"20 working days ending 31 Dec", func(x calendar.Date) (Due, error) { return r.DisclosureDue(Enterprise, x) }, "2027-12-03", "2027-12-31", 0, "2027-12-31", "working days"},
		{"20 working days into 2028: Mon–Fri counted, then 3 Jan is a holiday", func(x calendar.Date) (Due, error) { return r.DisclosureDue(Enterprise, x) }, "2027-12-20", "2028-01-17", 2028, "2028-01-18", "working days"},
		{"20 working days from a day of 2028", func(x calendar.Date) (Due, error) { return r.CaseDue(Inquiry, x) }, "2028-01-04", "2028-02-01", 2028, "2028-02-01", "working days"},
		{"10 days ending on Fri 31 Dec", r.OrderDeadline, "2027-12-21", "2027-12-31", 0, "2027-12-31", "calendar days"},
		{"10 days ending on Sat 1 Jan", r.OrderDeadline, "2027-12-22", "2028-01-01", 2028, "2028-01-04", "calendar days"},
		{"30 days ending on Fri 31 Dec", r.ObjectionDeadline, "2027-12-01", "2027-12-31", 0, "2027-12-31", "calendar days"},
		{"30 days ending on Sun 2 Jan", r.ObjectionDeadline, "2027-12-03", "2028-01-02", 2028, "2028-01-04", "calendar days"},
		{"60 days ending on Fri 31 Dec", r.ReviewDeadline, "2027-11-01", "2027-12-31", 0, "2027-12-31", "calendar days"},
		{"6 months ending on Thu 30 Dec", r.LitigationDeadline, "2027-06-30", "2027-12-30", 0, "2027-12-30", "months"},
		{"6 months ending on Mon 3 Jan, a holiday", r.LitigationDeadline, "2027-07-03", "2028-01-03", 2028, "2028-01-04", "months"},
		{"6 months ending on a working Wednesday", r.LitigationDeadline, "2027-07-05", "2028-01-05", 2028, "2028-01-05", "months"},
		{"serious listing 10 working days after the anniversary", r.SeriousListingDue, "2024-12-20", "2028-01-03", 2028, "2028-01-04", "working days"},
		{"years need no calendar", r.BanEnd, "2027-12-28", "2030-12-28", 0, "2030-12-28", "years"},
	}
	for _, tt := range tests {
		due, err := tt.f(d(tt.from))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if due.Date != d(tt.nominal) || due.Uncovered != tt.uncover || due.Provisional() != (tt.uncover != 0) {
			t.Errorf("%s (%s) from %s: got %v uncovered %d, want %s uncovered %d", tt.name, tt.unitNote, tt.from, due.Date, due.Uncovered, tt.nominal, tt.uncover)
		}
	}
	if err := r.Calendar.Load(strings.NewReader(newYear2028)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		due, err := tt.f(d(tt.from))
		if err != nil || due.Date != d(tt.settled) || due.Provisional() {
			t.Errorf("%s from %s with 2028 loaded: got %v uncovered %d (%v), want %s exact", tt.name, tt.from, due.Date, due.Uncovered, err, tt.settled)
		}
	}
}

// TestPassed: a provisional deadline is known not to have passed before its uncovered year
// and is not known to have passed in it; an exact one is always known.
func TestPassed(t *testing.T) {
	exact := Due{Date: d("2027-12-31")}
	prov := Due{Date: d("2028-01-01"), Uncovered: 2028}
	tests := []struct {
		due          Due
		on           string
		passed, know bool
	}{
		{exact, "2027-12-31", false, true},
		{exact, "2028-01-01", true, true},
		{prov, "2027-12-31", false, true},
		{prov, "2028-01-01", false, false},
		{prov, "2028-03-01", false, false},
	}
	for _, tt := range tests {
		passed, known := tt.due.Passed(d(tt.on))
		if passed != tt.passed || known != tt.know {
			t.Errorf("%v (uncovered %d) on %s: got passed %v known %v, want %v %v", tt.due.Date, tt.due.Uncovered, tt.on, passed, known, tt.passed, tt.know)
		}
	}
}

// TestMissingSchedule: the warning that 2028's schedule is missing runs from the start of
// the policy's warning period (1 October 2027) until 2028 is loaded.
func TestMissingSchedule(t *testing.T) {
	r := rulesUntil2027()
	tests := []struct {
		on    string
		want  bool
		since string
	}{
		{"2027-06-30", false, ""},
		{"2027-09-30", false, ""},
		{"2027-10-01", true, "2027-10-01"},
		{"2027-12-31", true, "2027-10-01"},
		{"2028-02-01", true, "2027-10-01"}, // the current year itself is missing
	}
	for _, tt := range tests {
		w, ok, err := r.MissingSchedule(d(tt.on))
		if err != nil || ok != tt.want || ok && (w.Year != 2028 || w.Since != d(tt.since) || w.Entry.ID != "calendar.schedule.warning") {
			t.Errorf("on %s: got %+v %v %v, want warning %v for 2028 since %s", tt.on, w, ok, err, tt.want, tt.since)
		}
	}
	if err := r.Calendar.Load(strings.NewReader(newYear2028)); err != nil {
		t.Fatal(err)
	}
	if w, ok, _ := r.MissingSchedule(d("2027-12-01")); ok {
		t.Errorf("with 2028 loaded, on 2027-12-01: got a warning for %d, want none", w.Year)
	}
	if w, ok, _ := r.MissingSchedule(d("2028-10-01")); !ok || w.Year != 2029 || w.Since != d("2028-10-01") {
		t.Errorf("on 2028-10-01: got %+v %v, want 2029 missing since 2028-10-01", w, ok)
	}
}
