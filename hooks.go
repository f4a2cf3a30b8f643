package gongshi

import (
	"fmt"
	"strings"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// Hooks are the rules a record kind may add to the common ones. Every hook is optional;
// a kind without hooks is validated by its fields alone, is published by POST …/records,
// shows its non-public fields to no one without access, and is due 20 working days after
// the information arose (Art. 6, 7, 10).
type Hooks struct {
	// Disclosed names the top-level non-public fields a body makes public. Art. 9: item 7
	// of an annual report is public only where the enterprise chooses, field by field; an
	// individual business chooses whether its whole report is public (SPEC §11). The one
	// visibility path (Kind.View, Kind.PublicFields) honours it.
	Disclosed func(body map[string]any) map[string]bool
	// Check validates a normalised body against the enterprise it is about: groups that
	// apply only to some enterprise types, sums that must add up, dates.
	Check func(body map[string]any, ent *Enterprise, today calendar.Date) error
	// Deadline gives the publication deadline of a version instead of the disclosure rule
	// (Art. 8: an annual report is due by the end of its filing window).
	Deadline func(r policy.Rules, body map[string]any, ent *Enterprise) (policy.Due, error)
	// Dates sets the fields of a body that the policy table and the working-day calendar
	// give (an order's deadline, a decision's remedies) from the body's own facts, and
	// returns the due of each by "fields.<name>". Every version goes through it (seal), so
	// each such date is computed in one place, and a version made once a year's schedule
	// is loaded carries the settled date.
	Dates func(r policy.Rules, body map[string]any) (map[string]policy.Due, error)
	// Route is where records of the kind are made when not by POST …/records; such a kind
	// is refused there with a pointer to it.
	Route string
}

// widen adds to a the non-public fields body makes public.
func (k *Kind) widen(body map[string]any, a Access) Access {
	if k.Disclosed == nil || a.All {
		return a
	}
	d := k.Disclosed(body)
	if len(d) == 0 {
		return a
	}
	items := make(map[string]bool, len(a.Items)+len(d))
	for n := range a.Items {
		items[n] = true
	}
	for n := range d {
		if f := k.Field(n); f != nil && f.Visibility == NonPublic {
			items[n] = true
		}
	}
	return Access{Items: items}
}

// discloseIn puts the fields body makes public in clear into its public form pub, in
// place of their salted hashes.
func (k *Kind) discloseIn(pub, body map[string]any) {
	for n := range k.disclosed(body) {
		if v, ok := body[n]; ok {
			pub[n] = v
		}
	}
}

// check runs the rules every kind shares (checkDates: the body's dates against today and
// the enterprise's establishment, which a registration body itself gives) and then the
// kind's Check hook.
func (k *Kind) check(body map[string]any, ent *Enterprise, today calendar.Date) error {
	established := ent.Established
	if k == KindRegistration {
		established, _ = calendar.ParseDate(stringField(body, "established"))
	}
	if err := checkDates(k.Fields, body, "", established, today); err != nil {
		return err
	}
	if k.Check == nil {
		return nil
	}
	return k.Check(body, ent, today)
}

// deadline is the publication deadline of a version of kind k published by role: the
// kind's own rule, or the disclosure rule of the publisher (Art. 6, 7, 10).
func (s *core) deadline(k *Kind, role Role, ent *Enterprise, body map[string]any, arose calendar.Date) (policy.Due, error) {
	if k.Deadline != nil {
		return k.Deadline(s.Rules, body, ent)
	}
	return s.Rules.DisclosureDue(disclosingAs(role), arose)
}

// normalizeSigned normalises a TypeSignedAmount: an amount with an optional leading minus.
func normalizeSigned(f Field, s, p string) (any, error) {
	digits, neg := strings.CutPrefix(s, "-")
	if !amountRE.MatchString(digits) {
		return nil, Invalid(p, fmt.Sprintf("%q is not an amount", s), "write digits with at most 6 decimals and a leading - for a loss, e.g. -1000.5")
	}
	d := canonicalDecimal(digits)
	if neg && d != "0" {
		d = "-" + d
	}
	return d, nil
}
