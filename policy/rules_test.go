package policy

import (
	"errors"
	"testing"

	"github.com/gongshi/gongshi/calendar"
)

func d(s string) calendar.Date {
	t, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDueDates(t *testing.T) {
	r := DefaultRules()
	type fn func(calendar.Date) (Due, error)
	tests := []struct {
		name     string
		f        fn
		from     string
		want     string
		wantID   string
		wantFrom string
	}{
		{"enterprise disclosure across National Day 2026", func(x calendar.Date) (Due, error) { return r.DisclosureDue(Enterprise, x) }, "2026-09-15", "2026-10-19", "disclosure.enterprise", "2014-10-01"},
		{"regulator disclosure", func(x calendar.Date) (Due, error) { return r.DisclosureDue(Regulator, x) }, "2026-03-02", "2026-03-30", "disclosure.regulator", ""},
		{"department disclosure", func(x calendar.Date) (Due, error) { return r.DisclosureDue(Department, x) }, "2026-03-02", "2026-03-30", "disclosure.department", ""},
		{"report across Spring Festival 2027", func(x calendar.Date) (Due, error) { return r.CaseDue(Report, x) }, "2027-01-20", "2027-02-23", "case.report", ""},
		{"inquiry", func(x calendar.Date) (Due, error) { return r.CaseDue(Inquiry, x) }, "2026-09-15", "2026-10-19", "case.inquiry", ""},
		{"correction request", func(x calendar.Date) (Due, error) { return r.CaseDue(CorrectionRequest, x) }, "2026-09-15", "2026-10-19", "case.correction", ""},
		{"order rolled over National Day", r.OrderDeadline, "2026-09-24", "2026-10-08", "order.disclose", ""},
		{"order plain", r.OrderDeadline, "2026-03-02", "2026-03-12", "order.disclose", ""},
		{"order ending on make-up Saturday", r.OrderDeadline, "2026-09-30", "2026-10-10", "order.disclose", ""},
		{"correction deadline", r.AnnualReportCorrectionDeadline, "2026-03-10", "2026-06-30", "annual.correction", ""},
		{"ground 1 2026", func(x calendar.Date) (Due, error) { return r.ListingDecisionDue(GroundAnnualReport, x) }, "2026-06-30", "2026-07-14", "list.abnormal.decision.report", ""},
		{"ground 1 2025", func(x calendar.Date) (Due, error) { return r.ListingDecisionDue(GroundAnnualReport, x) }, "2025-06-30", "2025-07-14", "list.abnormal.decision.report", ""},
		{"ground 2", func(x calendar.Date) (Due, error) { return r.ListingDecisionDue(GroundOrder, x) }, "2026-09-28", "2026-10-16", "list.abnormal.decision.order", ""},
		{"ground 3", func(x calendar.Date) (Due, error) { return r.ListingDecisionDue(GroundFalsified, x) }, "2026-09-28", "2026-10-16", "list.abnormal.decision.falsified", ""},
		{"ground 4", func(x calendar.Date) (Due, error) { return r.ListingDecisionDue(GroundUnreachable, x) }, "2025-09-26", "2025-10-16", "list.abnormal.decision.unreachable", ""},
		{"removal", r.RemovalDecisionDue, "2026-09-29", "2026-10-12", "list.abnormal.removal", ""},
		{"objection rolled", r.ObjectionDeadline, "2026-09-01", "2026-10-08", "list.abnormal.objection", ""},
		{"objection plain", r.ObjectionDeadline, "2026-07-14", "2026-08-13", "list.abnormal.objection", ""},
		{"objection accept", r.ObjectionAcceptDue, "2027-02-03", "2027-02-17", "list.abnormal.objection.accept", ""},
		{"objection verify", r.ObjectionVerifyDue, "2026-09-30", "2026-11-03", "list.abnormal.objection.verify", ""},
		{"correction of wrong listing across New Year", r.CorrectionDue, "2026-12-30", "2027-01-07", "list.abnormal.correction", ""},
		{"escalation from 29 Feb", r.EscalationDate, "2024-02-29", "2027-02-28", "list.serious.after", ""},
		{"warning from 29 Feb", r.WarningDate, "2024-02-29", "2026-12-30", "list.abnormal.warning", ""},
		{"warning", r.WarningDate, "2023-07-14", "2026-05-15", "list.abnormal.warning", ""},
		{"serious listing", r.SeriousListingDue, "2023-07-14", "2026-07-28", "list.serious.decision", ""},
		{"serious listing from Spring Festival", r.SeriousListingDue, "2024-02-09", "2027-02-25", "list.serious.decision", ""},
		{"serious removal", r.SeriousRemovalDecisionDue, "2026-12-31", "2027-01-08", "list.serious.removal", ""},
		{"serious automatic removal", r.SeriousAutomaticRemoval, "2026-07-28", "2029-07-28", "list.serious.term", ""}, // SAMR Order 44: 3 years from 2021-09-01
		{"ban end", r.BanEnd, "2026-07-28", "2029-07-28", "ban.legal-representative", ""},
		{"penalty display", func(x calendar.Date) (Due, error) { return r.PenaltyDisplayEnd(StandardPenalty, x) }, "2026-03-15", "2029-03-15", "penalty.display", ""},
		{"minor penalty display clamps", func(x calendar.Date) (Due, error) { return r.PenaltyDisplayEnd(MinorPenalty, x) }, "2026-11-30", "2027-02-28", "penalty.display.minor", ""},
		{"restoration via make-up day", r.RestorationDue, "2026-02-13", "2026-02-27", "individual.restoration", ""},
		{"review rolled", r.ReviewDeadline, "2026-08-02", "2026-10-08", "remedy.review", ""},
		{"litigation", r.LitigationDeadline, "2026-08-03", "2027-02-03", "remedy.litigation", ""},
		{"litigation rolled to make-up Sunday", r.LitigationDeadline, "2026-08-07", "2027-02-14", "remedy.litigation", ""},
	}
	for _, tt := range tests {
		due, err := tt.f(d(tt.from))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if due.Date != d(tt.want) || due.Entry.ID != tt.wantID {
			t.Errorf("%s: from %s got %v (%s), want %s (%s)", tt.name, tt.from, due.Date, due.Entry.ID, tt.want, tt.wantID)
		}
		if tt.wantFrom != "" && due.Entry.From != d(tt.wantFrom) {
			t.Errorf("%s: entry from %v, want %s", tt.name, due.Entry.From, tt.wantFrom)
		}
	}
}

func TestAnnualReportWindow(t *testing.T) {
	r := DefaultRules()
	w, err := r.AnnualReportWindow(2025, d("2020-05-01"))
	if err != nil {
		t.Fatal(err)
	}
	if w.Opens != d("2026-01-01") || w.Closes != d("2026-06-30") || w.Entry.ID != "annual.window" {
		t.Errorf("window 2025: got %v to %v (%s), want 2026-01-01 to 2026-06-30", w.Opens, w.Closes, w.Entry.ID)
	}
	for filed, want := range map[string]Timeliness{"2025-12-31": Early, "2026-01-01": OnTime, "2026-06-30": OnTime, "2026-07-01": Late} {
		if got := w.Timeliness(d(filed)); got != want {
			t.Errorf("filed %s: got %v, want %v", filed, got, want)
		}
	}
	// 30 June 2024 was a Sunday: the window still closes on it.
	if w, _ := r.AnnualReportWindow(2023, calendar.Date{}); w.Closes != d("2024-06-30") {
		t.Errorf("window 2023 closes %v, want 2024-06-30", w.Closes)
	}
	if _, err := r.AnnualReportWindow(2024, d("2025-03-01")); err == nil {
		t.Error("report year before establishment accepted")
	}
	y, e, err := r.FirstReportYear(d("2025-03-01"))
	if err != nil || y != 2025 || e.ID != "annual.window" {
		t.Errorf("FirstReportYear(2025-03-01) = %d, %s, %v; want 2025", y, e.ID, err)
	}
	if w, _ := r.AnnualReportWindow(2025, d("2025-03-01")); w.Opens != d("2026-01-01") {
		t.Errorf("first report window opens %v, want 2026-01-01", w.Opens)
	}
	// A report filed late cannot be corrected: its deadline has passed.
	if due, _ := r.AnnualReportCorrectionDeadline(d("2026-08-01")); !due.Date.Before(d("2026-08-01")) {
		t.Errorf("late report correction deadline %v, want before filing", due.Date)
	}
}

func TestSpotCheckMinimum(t *testing.T) {
	r := DefaultRules()
	for pop, want := range map[int]int{0: 0, 1: 1, 34: 2, 100: 3, 1000: 30, 1001: 31, 1000000: 30000} {
		got, e, err := r.SpotCheckMinimum(pop, d("2026-05-01"))
		if err != nil || got != want || e.ID != "spotcheck.minimum" {
			t.Errorf("SpotCheckMinimum(%d) = %d, %s, %v; want %d", pop, got, e.ID, err, want)
		}
	}
	if _, _, err := r.SpotCheckMinimum(-1, d("2026-05-01")); err == nil {
		t.Error("negative population accepted")
	}
}

func TestBadKinds(t *testing.T) {
	r := DefaultRules()
	if _, err := r.ListingDecisionDue(5, d("2026-07-01")); err == nil {
		t.Error("ground 5 accepted")
	}
	if _, err := r.DisclosureDue(0, d("2026-07-01")); err == nil {
		t.Error("publisher 0 accepted")
	}
	if _, err := r.CaseDue(9, d("2026-07-01")); err == nil {
		t.Error("case kind 9 accepted")
	}
	if _, err := r.PenaltyDisplayEnd(0, d("2026-07-01")); err == nil {
		t.Error("penalty kind 0 accepted")
	}
}

// The simplified-deregistration notice: none before 1 March 2017, 45 days until 29 July
// 2021, 20 days from 30 July 2021, each rolled forward to a working day.
func TestSimpleDeregistrationNotice(t *testing.T) {
	r := DefaultRules()
	if _, err := r.SimpleDeregistrationNotice(d("2017-02-28")); !errors.Is(err, ErrNoEntry) {
		t.Errorf("28 Feb 2017: got %v, want ErrNoEntry", err)
	}
	for _, tc := range []struct{ published, want, entry string }{
		{"2017-03-01", "2017-04-17", "deregistration.simple.notice@2017-03-01"}, // 15 Apr is a Saturday
		{"2021-07-29", "2021-09-13", "deregistration.simple.notice@2017-03-01"}, // 12 Sep is a Sunday
		{"2021-07-30", "2021-08-19", "deregistration.simple.notice@2021-07-30"},
		{"2026-06-01", "2026-06-22", "deregistration.simple.notice@2021-07-30"}, // 21 Jun: Dragon Boat holiday
	} {
		due, err := r.SimpleDeregistrationNotice(d(tc.published))
		if err != nil || due.Date != d(tc.want) || due.Entry.Ref() != tc.entry {
			t.Errorf("notice published %s: got %v under %s (%v), want %s under %s", tc.published, due.Date, due.Entry.Ref(), err, tc.want, tc.entry)
		}
	}
}

// A serious listing is removed after 5 years under the 2014 rules, after 3 from
// 1 September 2021 (SAMR Order 44): each by the rule in force when it was listed.
func TestSeriousTermAcrossItsRules(t *testing.T) {
	r := DefaultRules()
	for _, tc := range []struct{ listed, want, entry string }{
		{"2021-08-31", "2026-08-31", "list.serious.term@2014-10-01"},
		{"2021-09-01", "2024-09-01", "list.serious.term@2021-09-01"},
	} {
		due, err := r.SeriousAutomaticRemoval(d(tc.listed))
		if err != nil || due.Date != d(tc.want) || due.Entry.Ref() != tc.entry {
			t.Errorf("serious-listed %s: got %v under %s (%v), want %s under %s", tc.listed, due.Date, due.Entry.Ref(), err, tc.want, tc.entry)
		}
	}
}
