package policy

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi/calendar"
)

// Unit is the unit of a period's amount.
type Unit int

const (
	WorkingDays  Unit = iota + 1 // 工作日: counted by the working-day calendar
	CalendarDays                 // 日: calendar days; a last day off rolls to the next working day
	Months                       // 月
	Years                        // 年
	Percent                      // a proportion, not a period
)

var unitNames = map[Unit]string{
	WorkingDays:  "working days",
	CalendarDays: "calendar days",
	Months:       "months",
	Years:        "years",
	Percent:      "percent",
}

// String returns the unit in English, plural: "working days", "percent".
func (u Unit) String() string {
	if s, ok := unitNames[u]; ok {
		return s
	}
	return "Unit(" + strconv.Itoa(int(u)) + ")"
}

// Entry is one effective-dated rule of the policy table: a period (or the
// spot-check proportion) with its legal source. An obligation is judged by
// the entry of its ID in force on the date the obligation arose: the one
// with the latest From on or before that date.
type Entry struct {
	ID     string        // stable identifier, e.g. "disclosure.enterprise"
	Name   string        // Chinese name, e.g. 企业即时信息公示
	NameEN string        // English name
	Amount int           // e.g. 20
	Unit   Unit          // e.g. WorkingDays
	Source string        // e.g. "Decree 654 Art. 10"
	From   calendar.Date // applies to obligations arising on or after this date
}

// Period returns the amount with its unit, e.g. "20 working days" or "3 percent".
func (e Entry) Period() string { return strconv.Itoa(e.Amount) + " " + e.Unit.String() }

// Ref names the entry as decisions record it: ID@From, e.g.
// "disclosure.enterprise@2014-10-01".
func (e Entry) Ref() string { return e.ID + "@" + e.From.String() }

// String returns Ref, the period and the source.
func (e Entry) String() string { return fmt.Sprintf("%s (%s; %s)", e.Ref(), e.Period(), e.Source) }

// ErrNoEntry is wrapped by errors for an ID with no entry in force on a date.
var ErrNoEntry = errors.New("no policy entry in force")

// Table is an effective-dated policy table. It is immutable and safe for
// concurrent use.
type Table struct {
	entries []Entry // sorted by ID, then From
}

// NewTable validates entries and returns a table of them. Every entry needs
// an ID, a name, a positive amount, a known unit, a source and a From date;
// no two entries may share both ID and From.
func NewTable(entries []Entry) (*Table, error) {
	es := slices.Clone(entries)
	for _, e := range es {
		switch {
		case e.ID == "" || strings.ContainsAny(e.ID, " \t@"):
			return nil, fmt.Errorf("policy entry %q: ID must be non-empty, without spaces or '@'", e.ID)
		case e.Name == "" || e.NameEN == "":
			return nil, fmt.Errorf("policy entry %s: missing name", e.ID)
		case e.Amount <= 0:
			return nil, fmt.Errorf("policy entry %s: amount %d must be positive", e.ID, e.Amount)
		case unitNames[e.Unit] == "":
			return nil, fmt.Errorf("policy entry %s: unknown unit %d", e.ID, e.Unit)
		case e.Source == "":
			return nil, fmt.Errorf("policy entry %s: missing legal source", e.ID)
		case e.From.IsZero():
			return nil, fmt.Errorf("policy entry %s: missing From date", e.ID)
		}
	}
	slices.SortStableFunc(es, func(a, b Entry) int {
		if c := strings.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return a.From.Compare(b.From)
	})
	for i := 1; i < len(es); i++ {
		if es[i].ID == es[i-1].ID && es[i].From == es[i-1].From {
			return nil, fmt.Errorf("policy entry %s: two entries from %v", es[i].ID, es[i].From)
		}
	}
	return &Table{entries: es}, nil
}

// Entries returns every entry, sorted by ID and then From.
func (t *Table) Entries() []Entry { return slices.Clone(t.entries) }

// Lookup returns the entry id in force on date on: the one with the latest
// From not after on. It wraps ErrNoEntry if there is none.
func (t *Table) Lookup(id string, on calendar.Date) (Entry, error) {
	i, _ := slices.BinarySearchFunc(t.entries, id, func(e Entry, id string) int { return strings.Compare(e.ID, id) })
	var found *Entry
	for ; i < len(t.entries) && t.entries[i].ID == id; i++ {
		if t.entries[i].From.After(on) {
			break
		}
		found = &t.entries[i]
	}
	if found == nil {
		return Entry{}, fmt.Errorf("policy %s on %v: %w", id, on, ErrNoEntry)
	}
	return *found, nil
}

// ByRef returns the entry whose Ref is ref ("id@from"), as a decision names it. It wraps
// ErrNoEntry if there is none.
func (t *Table) ByRef(ref string) (Entry, error) {
	for _, e := range t.entries {
		if e.Ref() == ref {
			return e, nil
		}
	}
	return Entry{}, fmt.Errorf("policy %s: %w", ref, ErrNoEntry)
}
