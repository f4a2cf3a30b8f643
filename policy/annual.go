package policy

import (
	"fmt"
	"time"

	"github.com/gongshi/gongshi/calendar"
)

// Window is the period in which the annual report for ReportYear is filed.
type Window struct {
	ReportYear int
	Opens      calendar.Date // 1 January of the filing year
	Closes     calendar.Date // 30 June of the filing year, the last day
	Entry      Entry
}

// Timeliness classifies a filing date against a Window.
type Timeliness int

const (
	Early  Timeliness = iota + 1 // before the window opens: the report year has not ended
	OnTime                       // in the window
	Late                         // after the window (补报): accepted and shown as late
)

func (t Timeliness) String() string {
	switch t {
	case Early:
		return "early"
	case OnTime:
		return "on time"
	case Late:
		return "late"
	}
	return fmt.Sprintf("Timeliness(%d)", int(t))
}

// Timeliness says whether a report filed on filed is early, on time or late.
func (w Window) Timeliness(filed calendar.Date) Timeliness {
	switch {
	case filed.Before(w.Opens):
		return Early
	case filed.After(w.Closes):
		return Late
	}
	return OnTime
}

// filingPeriodEnd is the last day of a period of the entry's months that
// starts on 1 January of the filing year: 30 June for 6 months. It is a
// fixed date of the regulation, not a period counted from an event, so it
// does not roll forward when it falls on a weekend.
func filingPeriodEnd(e Entry, filingYear int) (calendar.Date, error) {
	if e.Unit != Months {
		return calendar.Date{}, fmt.Errorf("policy %s: unit %v, want months", e.Ref(), e.Unit)
	}
	jan1 := calendar.MustDate(filingYear, time.January, 1)
	return jan1.AddMonths(e.Amount).AddDays(-1), nil
}

// FirstReportYear returns the report year of an enterprise's first annual
// report: Art. 8: an enterprise established in year Y reports from Y+1, its
// first report, filed in Y+1, covering Y.
func (r Rules) FirstReportYear(established calendar.Date) (int, Entry, error) {
	e, err := r.Table.Lookup("annual.window", calendar.MustDate(established.Year()+1, time.January, 1))
	if err != nil {
		return 0, Entry{}, err
	}
	return established.Year(), e, nil
}

// AnnualReportWindow returns the window for the annual report covering
// reportYear: Art. 8: from 1 January to 30 June of the following year. If
// established is not zero, a report year before the year of establishment
// is an error. The entry is the one in force on 1 January of the filing
// year, when the obligation arises.
func (r Rules) AnnualReportWindow(reportYear int, established calendar.Date) (Window, error) {
	if !established.IsZero() && reportYear < established.Year() {
		return Window{}, fmt.Errorf("report year %d: the enterprise was established on %v, its first report covers %d", reportYear, established, established.Year())
	}
	if reportYear < 1 || reportYear >= 9999 {
		return Window{}, fmt.Errorf("report year %d out of range", reportYear)
	}
	opens := calendar.MustDate(reportYear+1, time.January, 1)
	e, err := r.Table.Lookup("annual.window", opens)
	if err != nil {
		return Window{}, err
	}
	closes, err := filingPeriodEnd(e, reportYear+1)
	if err != nil {
		return Window{}, err
	}
	return Window{ReportYear: reportYear, Opens: opens, Closes: closes, Entry: e}, nil
}

// AnnualReportCorrectionDeadline returns the last day on which an annual
// report filed on filed may be corrected: Art. 12 (SAIC AR): until 30 June
// of the year it was filed. A report filed late, after 30 June, has a
// deadline already past: it can no longer be corrected.
func (r Rules) AnnualReportCorrectionDeadline(filed calendar.Date) (Due, error) {
	e, err := r.Table.Lookup("annual.correction", filed)
	if err != nil {
		return Due{}, err
	}
	d, err := filingPeriodEnd(e, filed.Year())
	if err != nil {
		return Due{}, err
	}
	return Due{Date: d, Entry: e}, nil
}
