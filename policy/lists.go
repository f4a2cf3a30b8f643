package policy

import (
	"fmt"

	"github.com/gongshi/gongshi/calendar"
)

// Ground is a ground for listing on the abnormal-operations list (经营异常名录, SPEC §8).
type Ground int

const (
	GroundAnnualReport Ground = iota + 1 // 1: annual report not disclosed by 30 June (Art. 17)
	GroundOrder                          // 2: not disclosed by the deadline of an order (Art. 17)
	GroundFalsified                      // 3: disclosed information concealed the truth or was falsified (Art. 17)
	GroundUnreachable                    // 4: cannot be reached at its registered address (SAIC Order 68)
)

var groundEntries = map[Ground]string{
	GroundAnnualReport: "list.abnormal.decision.report",
	GroundOrder:        "list.abnormal.decision.order",
	GroundFalsified:    "list.abnormal.decision.falsified",
	GroundUnreachable:  "list.abnormal.decision.unreachable",
}

// ListingDecisionDue returns the day by which the regulator decides a
// listing (SAIC Order 68: within 10 working days of the ground arising).
// arose is the last day before the count starts:
//
//   - ground 1: the last day of the annual-report window (30 June; the count
//     starts on 1 July) — Window.Closes;
//   - ground 2: the order's deadline (OrderDeadline);
//   - grounds 3 and 4: the day the fact was verified.
func (r Rules) ListingDecisionDue(g Ground, arose calendar.Date) (Due, error) {
	id, ok := groundEntries[g]
	if !ok {
		return Due{}, fmt.Errorf("unknown listing ground %d, want 1 to 4", g)
	}
	return r.after(id, arose, false)
}

// RemovalDecisionDue returns the day by which the regulator decides an
// application, received on applied, for removal from the abnormal list
// after the ground was cured (SAIC Order 68: 5 working days).
func (r Rules) RemovalDecisionDue(applied calendar.Date) (Due, error) {
	return r.after("list.abnormal.removal", applied, false)
}

// RestorationDue returns the day by which an individual business marked
// as in abnormal-operation status (经营异常状态), which cured the ground and
// applied on applied, is restored (SAIC AR: 5 working days).
func (r Rules) RestorationDue(applied calendar.Date) (Due, error) {
	return r.after("individual.restoration", applied, false)
}

// ObjectionDeadline returns the last day to object to a listing decided on
// listed (SAIC Order 68: 30 days), rolled forward to a working day.
func (r Rules) ObjectionDeadline(listed calendar.Date) (Due, error) {
	return r.after("list.abnormal.objection", listed, true)
}

// ObjectionAcceptDue returns the day by which the regulator decides whether
// to accept an objection received on received (5 working days).
func (r Rules) ObjectionAcceptDue(received calendar.Date) (Due, error) {
	return r.after("list.abnormal.objection.accept", received, false)
}

// ObjectionVerifyDue returns the day by which an objection accepted on
// accepted is verified and answered in writing (20 working days).
func (r Rules) ObjectionVerifyDue(accepted calendar.Date) (Due, error) {
	return r.after("list.abnormal.objection.verify", accepted, false)
}

// CorrectionDue returns the day by which a listing or removal found wrong
// on found is corrected (5 working days).
func (r Rules) CorrectionDue(found calendar.Date) (Due, error) {
	return r.after("list.abnormal.correction", found, false)
}

// EscalationDate returns the third anniversary of a listing on listed
// (29 Feb → 28 Feb): Art. 17: an enterprise still listed then, its ground
// not cured, goes on the serious-violation list (严重违法企业名单).
func (r Rules) EscalationDate(listed calendar.Date) (Due, error) {
	return r.after("list.serious.after", listed, false)
}

// WarningDate returns the day the warning notice is published to an
// enterprise listed on listed: SAIC Order 68: 60 days before the third
// anniversary of the listing (EscalationDate). The entry returned is the
// warning's; the anniversary's entry is EscalationDate's.
func (r Rules) WarningDate(listed calendar.Date) (Due, error) {
	esc, err := r.EscalationDate(listed)
	if err != nil {
		return Due{}, err
	}
	e, err := r.Table.Lookup("list.abnormal.warning", listed)
	if err != nil {
		return Due{}, err
	}
	if e.Unit != CalendarDays {
		return Due{}, fmt.Errorf("policy %s: unit %v, want calendar days", e.Ref(), e.Unit)
	}
	return Due{Date: esc.Date.AddDays(-e.Amount), Entry: e}, nil
}

// SeriousListingDue returns the day by which an enterprise listed on
// listed, still listed at the third anniversary, is put on the
// serious-violation list: within 10 working days of the anniversary.
func (r Rules) SeriousListingDue(listed calendar.Date) (Due, error) {
	esc, err := r.EscalationDate(listed)
	if err != nil {
		return Due{}, err
	}
	return r.after("list.serious.decision", esc.Date, false)
}

// SeriousRemovalDecisionDue returns the day by which the regulator decides
// an application, received on applied, for removal from the serious list
// after the ground was cured (5 working days).
func (r Rules) SeriousRemovalDecisionDue(applied calendar.Date) (Due, error) {
	return r.after("list.serious.removal", applied, false)
}

// SeriousAutomaticRemoval returns the end of the term of a serious listing on
// seriousListed — its fifth anniversary under the 2014 rules, its third for a
// listing from 1 September 2021 (SAMR Order 44) — the day on which an enterprise with no new
// ground is removed automatically (SAIC Order 68: after 5 years).
func (r Rules) SeriousAutomaticRemoval(seriousListed calendar.Date) (Due, error) {
	return r.after("list.serious.term", seriousListed, false)
}

// BanEnd returns the last day of the ban on the legal representative or
// person in charge of an enterprise serious-listed on seriousListed:
// Art. 17: for 3 years it may not be legal representative or person in
// charge of another enterprise. The ban ends with the third anniversary
// (Civil Code Art. 202); from the next day the appointment is allowed.
func (r Rules) BanEnd(seriousListed calendar.Date) (Due, error) {
	return r.after("ban.legal-representative", seriousListed, false)
}
