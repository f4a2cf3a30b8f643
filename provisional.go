package gongshi

import (
	"context"
	"slices"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// Provisional dates (SPEC §10). The State Council publishes a year's holidays around
// November, but a decision of July already states a litigation period that ends in
// January. A date that needs a year the working-day calendar does not cover is computed as
// the law states it — the nominal day (policy.Due.Uncovered) — published at once, and marked
// provisional: in the version's document ("provisional"), in its API form and on its page,
// and likewise on cases and orders. Once the year's schedule is loaded the sweep's first
// rule settles every such date (settle.go): a new version through the one write path, under
// a decision key, so it happens once.

// ProvisionalDates says which dates of a version, a case or an order are provisional:
// nominal days, to be settled once the working-day schedule of Year is loaded.
type ProvisionalDates struct {
	// Year is the first year whose schedule the dates await.
	Year int `json:"year"`
	// Dates names them: "due" and "on_time" (a version's publication deadline and its
	// timeliness), "deadline" (an order's), or "fields.<name>" (a field of the body, e.g.
	// fields.litigation_by).
	Dates []string `json:"dates"`
}

// ProvisionalOf returns the provisional dates of one named date awaiting year, or nil if
// year is 0 (the date is exact). Stores use it for rows that keep the year alone.
func ProvisionalOf(year int, date string) *ProvisionalDates {
	if year == 0 {
		return nil
	}
	return &ProvisionalDates{Year: year, Dates: []string{date}}
}

// Awaits returns the year the dates await, 0 for none (p may be nil).
func (p *ProvisionalDates) Awaits() int {
	if p == nil {
		return 0
	}
	return p.Year
}

// Has reports whether the named date is provisional (p may be nil).
func (p *ProvisionalDates) Has(date string) bool { return p != nil && slices.Contains(p.Dates, date) }

// fields is the form a document holds.
func (p *ProvisionalDates) fields() map[string]any {
	dates := make([]any, len(p.Dates))
	for i, d := range p.Dates {
		dates[i] = d
	}
	return map[string]any{"year": int64(p.Year), "dates": dates}
}

// provisionalDues collects the provisional ones among dues (by date name): nil if none.
// Year is the earliest year they await.
func provisionalDues(dues map[string]policy.Due) *ProvisionalDates {
	var p *ProvisionalDates
	for name, d := range dues {
		if !d.Provisional() {
			continue
		}
		if p == nil {
			p = &ProvisionalDates{Year: d.Uncovered}
		}
		p.Year = min(p.Year, d.Uncovered)
		p.Dates = append(p.Dates, name)
	}
	if p != nil {
		slices.Sort(p.Dates)
	}
	return p
}

// dueOf is the policy.Due of a date stored with the year it awaits.
func dueOf(date string, p *ProvisionalDates) policy.Due {
	d, _ := calendar.ParseDate(date)
	return policy.Due{Date: d, Uncovered: p.Awaits()}
}

// overdue reports whether a due date is known to have passed on day on: a provisional one
// is not overdue until its year's schedule says so (policy.Due.Passed).
func overdue(due string, p *ProvisionalDates, on calendar.Date) bool {
	passed, known := dueOf(due, p).Passed(on)
	return passed && known
}

// awaitIfProvisional notes a subject for settlement if p is set.
func awaitIfProvisional(tx Tx, subject, id string, p *ProvisionalDates) error {
	if p == nil {
		return nil
	}
	return tx.AwaitSchedule(ProvisionalRef{Year: p.Year, Subject: subject, ID: id})
}

// The subjects whose provisional dates await settlement (ProvisionalStore).
const (
	ProvisionalRecord          = "record"           // a record's latest version
	ProvisionalCase            = "case"             // a case's due date (Art. 13)
	ProvisionalEnforcementCase = "enforcement_case" // a removal application's or objection's
)

// ProvisionalRef names one subject with provisional dates awaiting the schedule of Year.
type ProvisionalRef struct {
	Year    int
	Subject string // ProvisionalRecord, ProvisionalCase or ProvisionalEnforcementCase
	ID      string // the record id, case number or enforcement case id
}

// ProvisionalStore is what settlement reads. It is part of Store.
type ProvisionalStore interface {
	// ProvisionalYears counts the subjects awaiting settlement by the year they await.
	ProvisionalYears(ctx context.Context) (map[int]int, error)
	// ProvisionalAwaiting returns, by subject and id after after, up to limit subjects
	// awaiting the schedule of year.
	ProvisionalAwaiting(ctx context.Context, year int, after ProvisionalRef, limit int) ([]ProvisionalRef, error)
}

// ProvisionalTx is the write side, inside a write transaction. It is part of Tx.
type ProvisionalTx interface {
	// AwaitSchedule notes that a subject has dates awaiting the schedule of a year; noting
	// it twice is not an error.
	AwaitSchedule(ref ProvisionalRef) error
	// Settled removes the note.
	Settled(ref ProvisionalRef) error
}
