package policy

import (
	"fmt"

	"github.com/gongshi/gongshi/calendar"
)

// Rules computes due dates from a policy table and a working-day calendar.
// Every method is a pure function of its arguments, the table and the
// calendar; each returns the entry it applied, so that a decision can name
// it. A due date that needs a year the calendar does not cover is not an
// error: it is provisional (Due.Uncovered), the nominal day the law states.
type Rules struct {
	Table    *Table
	Calendar *calendar.Calendar
}

// DefaultRules returns the default table with the built-in calendar.
func DefaultRules() Rules { return Rules{Table: Default(), Calendar: calendar.Default()} }

// Due is a computed date and the policy entry that gave it.
type Due struct {
	Date  calendar.Date
	Entry Entry
	// Uncovered is 0 for an exact date. Otherwise it is the first year the computation
	// needed whose working-day schedule the calendar does not hold, and Date is
	// provisional: the nominal day (calendar.AddWorkingDaysNominal,
	// calendar.RollForwardNominal), to be settled once that year's schedule is loaded.
	Uncovered int
}

// Provisional reports whether the date awaits the schedule of year Uncovered.
func (d Due) Provisional() bool { return d.Uncovered != 0 }

// Passed reports whether the period has ended by the day on (on is after the due date),
// and whether that is known. An exact date is always known. A provisional date never ends
// before 1 January of its uncovered year (the count reached that year, or its last day
// rolls into it), so on a day of an earlier year it is known not to have passed; on a
// later day it is not known until the year's schedule is loaded, and a rule that needs
// certainty waits for it.
func (d Due) Passed(on calendar.Date) (passed, known bool) {
	switch {
	case !d.Provisional():
		return on.After(d.Date), true
	case on.Year() < d.Uncovered:
		return false, true
	}
	return false, false
}

// Entry returns the entry id in force on date on.
func (r Rules) Entry(id string, on calendar.Date) (Entry, error) { return r.Table.Lookup(id, on) }

// after applies entry id in force on from to from: working days by the
// calendar, calendar days rolled forward to a working day (Civil Code Art.
// 203), months and years to the corresponding day (Civil Code Art. 202),
// rolled forward if roll is set. A count or a roll that needs a year the
// calendar does not cover gives the nominal day, provisional.
func (r Rules) after(id string, from calendar.Date, roll bool) (Due, error) {
	e, err := r.Table.Lookup(id, from)
	if err != nil {
		return Due{}, err
	}
	var d calendar.Date
	var uncovered int
	switch e.Unit {
	case WorkingDays:
		d, uncovered, err = r.Calendar.AddWorkingDaysNominal(from, e.Amount)
	case CalendarDays:
		d = from.AddDays(e.Amount)
	case Months:
		d = from.AddMonths(e.Amount)
	case Years:
		d = from.AddYears(e.Amount)
	default:
		return Due{}, fmt.Errorf("policy %s: unit %v is not a period", e.Ref(), e.Unit)
	}
	if err == nil && roll && e.Unit != WorkingDays {
		d, uncovered, err = r.Calendar.RollForwardNominal(d)
	}
	if err != nil {
		return Due{}, fmt.Errorf("policy %s from %v: %w", e.Ref(), from, err)
	}
	return Due{Date: d, Entry: e, Uncovered: uncovered}, nil
}

// Publisher is who discloses a piece of information (SPEC §4).
type Publisher int

const (
	Regulator  Publisher = iota + 1 // market regulator, Art. 6
	Department                      // other government department, Art. 7
	Enterprise                      // the enterprise itself, Art. 10
)

// DisclosureDue returns the last day to publish information that arose on
// arose: Art. 6, 7, 10: within 20 working days of the information arising.
// Publication after it is allowed and shown as late.
func (r Rules) DisclosureDue(p Publisher, arose calendar.Date) (Due, error) {
	ids := map[Publisher]string{Regulator: "disclosure.regulator", Department: "disclosure.department", Enterprise: "disclosure.enterprise"}
	id, ok := ids[p]
	if !ok {
		return Due{}, fmt.Errorf("unknown publisher %d", p)
	}
	return r.after(id, arose, false)
}

// OrderDeadline returns the deadline of a regulator's order, issued on
// issued, to disclose information the enterprise failed to disclose (Art.
// 10 ¶2; SAIC Order 68: 10 days), rolled forward to a working day.
func (r Rules) OrderDeadline(issued calendar.Date) (Due, error) {
	return r.after("order.disclose", issued, true)
}

// CaseKind is the kind of a tracked case (SPEC §7).
type CaseKind int

const (
	Report            CaseKind = iota + 1 // 举报: report of false information, Art. 13
	Inquiry                               // 询问, Art. 13
	CorrectionRequest                     // 更正申请, Art. 12
)

// CaseDue returns the day by which a case received on received must be
// answered in writing: Art. 13: within 20 working days of receipt.
func (r Rules) CaseDue(k CaseKind, received calendar.Date) (Due, error) {
	ids := map[CaseKind]string{Report: "case.report", Inquiry: "case.inquiry", CorrectionRequest: "case.correction"}
	id, ok := ids[k]
	if !ok {
		return Due{}, fmt.Errorf("unknown case kind %d", k)
	}
	return r.after(id, received, false)
}

// SpotCheckMinimum returns the smallest sample a draw over population
// enterprises may take on date on: at least 3% (SAIC Order 67), rounded up,
// and at least one enterprise for a non-empty population.
func (r Rules) SpotCheckMinimum(population int, on calendar.Date) (int, Entry, error) {
	e, err := r.Table.Lookup("spotcheck.minimum", on)
	if err != nil {
		return 0, Entry{}, err
	}
	if population < 0 {
		return 0, e, fmt.Errorf("population %d is negative", population)
	}
	return (population*e.Amount + 99) / 100, e, nil
}

// PenaltyKind tells which display period applies to a penalty (SAMR Order 45).
type PenaltyKind int

const (
	StandardPenalty PenaltyKind = iota + 1 // shown for 3 years
	MinorPenalty                           // circulated criticism or a small fine: shown for 3 months
)

// PenaltyDisplayEnd returns the last day a penalty published on published
// is shown publicly; from the next day it is withdrawn from public view but
// kept for regulators and in the log (SPEC §4).
func (r Rules) PenaltyDisplayEnd(k PenaltyKind, published calendar.Date) (Due, error) {
	ids := map[PenaltyKind]string{StandardPenalty: "penalty.display", MinorPenalty: "penalty.display.minor"}
	id, ok := ids[k]
	if !ok {
		return Due{}, fmt.Errorf("unknown penalty kind %d", k)
	}
	return r.after(id, published, false)
}

// ReviewDeadline returns the last day to apply for administrative review
// of a decision notified on notified (60 days), rolled forward to a working day.
func (r Rules) ReviewDeadline(notified calendar.Date) (Due, error) {
	return r.after("remedy.review", notified, true)
}

// LitigationDeadline returns the last day to bring an administrative suit
// against a decision notified on notified (6 months), rolled forward to a working day.
func (r Rules) LitigationDeadline(notified calendar.Date) (Due, error) {
	return r.after("remedy.litigation", notified, true)
}

// SimpleDeregistrationNotice returns the last day of the notice of an application for
// simplified deregistration (简易注销) published on published: 45 days from 1 March 2017,
// 20 days from 30 July 2021 (SAMR 2021-45 §2; Decree 746 Art. 33), counted from the day
// after publication and rolled forward to a working day. Anyone may object until then;
// the registration authority decides after it.
func (r Rules) SimpleDeregistrationNotice(published calendar.Date) (Due, error) {
	return r.after("deregistration.simple.notice", published, true)
}
