package gongshi

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/gongshi/gongshi/calendar"
)

// Settlement of provisional dates (provisional.go): the sweep's first rule. Once the
// working-day schedule of a year is loaded (calendar.txt in the data folder), every date
// that awaited it is settled:
//
//   - a record whose latest version has provisional dates gets a new version through the
//     one write path: the same body, its dates recomputed by the calendar that now knows
//     the year, the timeliness of the publication it settles, a reason naming the settled
//     dates, stamped by the register (SettlementAccount). Its decision key
//     (calendar_settlement, record, "<year>@v<version>") makes it happen once, however often
//     the sweep runs or resumes;
//   - a case's or an enforcement case's due date, which is not published, is updated in
//     its row.
//
// A version superseded before the year was loaded keeps its provisional mark: the record's
// current version is what a settlement restates.

// SettlementAccount stamps the versions that settle provisional dates.
const SettlementAccount = "calendar-settlement"

// settlementRule is the decision rule of a record's settlement.
const settlementRule = "calendar_settlement"

// settlementAuthority is the register of the enterprise's division, settling a date by
// the calendar.
func settlementAuthority(ent *Enterprise) *Account {
	a := sweepAuthority(ent)
	a.ID = SettlementAccount
	return a
}

// sweepSettlements settles every subject awaiting a year the calendar now covers.
func (s *Enforcement) sweepSettlements(ctx context.Context, opts *SweepOptions, sum *SweepSummary) error {
	refs, err := s.settleable(ctx)
	if err != nil {
		return err
	}
	return s.batches(ctx, opts, sum, "settlements", len(refs), func(tx Tx, i int) (int, error) {
		ok, err := s.settleTx(tx, refs[i], opts.AsOf)
		return boolCount(ok), err
	})
}

// settleable lists the subjects awaiting the schedule of a year the calendar covers.
func (s *Enforcement) settleable(ctx context.Context) ([]ProvisionalRef, error) {
	years, err := s.Store.ProvisionalYears(ctx)
	if err != nil {
		return nil, err
	}
	var out []ProvisionalRef
	for _, y := range slices.Sorted(maps.Keys(years)) {
		if !s.Rules.Calendar.Covers(y) {
			continue
		}
		refs, err := allPages(func(after ProvisionalRef, limit int) ([]ProvisionalRef, error) {
			return s.Store.ProvisionalAwaiting(ctx, y, after, limit)
		}, func(r ProvisionalRef) ProvisionalRef { return r })
		if err != nil {
			return nil, err
		}
		out = append(out, refs...)
	}
	return out, nil
}

// settleTx settles one subject and removes its note; it reports whether anything was
// settled (a subject whose dates a later version or an earlier run settled is not).
func (s *Enforcement) settleTx(tx Tx, ref ProvisionalRef, asOf calendar.Date) (bool, error) {
	var settled bool
	var err error
	switch ref.Subject {
	case ProvisionalRecord:
		settled, err = s.settleRecordTx(tx, ref.ID, asOf)
	case ProvisionalCase:
		settled, err = s.settleCaseTx(tx, ref.ID)
	case ProvisionalEnforcementCase:
		settled, err = s.settleEnforcementCaseTx(tx, ref.ID)
	default:
		err = fmt.Errorf("unknown subject")
	}
	if err != nil {
		return false, fmt.Errorf("settle %s %s: %w", ref.Subject, ref.ID, err)
	}
	return settled, tx.Settled(ref)
}

// settleRecordTx publishes the version that settles the provisional dates of record id.
func (s *Enforcement) settleRecordTx(tx Tx, id string, asOf calendar.Date) (bool, error) {
	vs, err := tx.Versions(id)
	if err != nil {
		return false, err
	}
	latest := vs[len(vs)-1]
	p := latest.Provisional
	if p == nil || !s.Rules.Calendar.Covers(p.Year) {
		return false, nil // settled by a later version, or it awaits a later year, noted for that one
	}
	key := fmt.Sprintf("%d@v%d", p.Year, latest.Version)
	if done, err := tx.Decided(settlementRule, id, key); err != nil || done {
		return false, err
	}
	k, err := LookupKind(latest.Kind)
	if err != nil {
		return false, err
	}
	ent, err := tx.EnterpriseByCode(latest.Subject)
	if err != nil {
		return false, err
	}
	salt, err := tx.RecordSalt(id)
	if err != nil {
		return false, err
	}
	v := &Version{Record: id, Kind: k.Name, Subject: ent.USCC.String(), SubjectName: ent.Name, Version: latest.Version + 1,
		Arose: latest.Arose, PublishedAt: tx.Now(), Publisher: settlementAuthority(ent).Authority(), Body: maps.Clone(latest.Body)}
	// The publication it settles keeps its publisher's deadline and its timeliness: met or
	// not on the day it was published (a correction's: on the day of what it corrected).
	orig := judgedBy(vs)
	if err := s.dateVersion(v, k, orig.Publisher.Role, ent, calendar.DateOf(orig.PublishedAt)); err != nil {
		return false, err
	}
	v.Reason = settlementReason(k, p, v)
	if err := s.appendVersion(tx, k, v, salt, latest); err != nil {
		return false, err
	}
	if k == KindOrder {
		if err := tx.PutOrder(projectOrder(&Record{ID: id, Kind: k.Name, Subject: ent.USCC.String(), Versions: append(vs, v)})); err != nil {
			return false, err
		}
	}
	return true, tx.PutDecided(settlementRule, id, key, id, asOf)
}

// settlementReason says which dates the version settles, and to what:
// 「2028年节假日安排已公布，期限确定为：提起行政诉讼期限至 2028-01-05；…」.
func settlementReason(k *Kind, was *ProvisionalDates, v *Version) string {
	var parts []string
	for _, name := range was.Dates {
		if v.Provisional.Has(name) {
			continue // awaits a later year still
		}
		field, isField := strings.CutPrefix(name, "fields.")
		switch f := k.Field(field); {
		case name == "due":
			parts = append(parts, "公示期限 "+v.Due.String())
		case isField && f != nil && f.Type == TypeDate:
			parts = append(parts, f.Label+" "+stringField(v.Body, field))
		}
	}
	return fmt.Sprintf("%d年节假日安排已公布，期限确定为：%s (the %d working-day schedule is loaded: provisional dates settled)",
		was.Year, strings.Join(parts, "；"), was.Year)
}

// settleCaseTx settles the due date of a case (Art. 13).
func (s *Enforcement) settleCaseTx(tx Tx, number string) (bool, error) {
	c, err := tx.CaseForUpdate(number)
	if err != nil || c.Provisional == nil || !s.Rules.Calendar.Covers(c.Provisional.Year) {
		return false, err
	}
	received, err := calendar.ParseDate(c.Received)
	if err != nil {
		return false, err
	}
	due, err := s.Rules.CaseDue(policyCaseKind(c.Kind), received)
	if err != nil {
		return false, err
	}
	c.dated(due)
	if err := tx.UpdateCase(c); err != nil {
		return false, err
	}
	return true, awaitIfProvisional(tx, ProvisionalCase, number, c.Provisional)
}

// settleEnforcementCaseTx settles the due date of a removal application or an objection.
func (s *Enforcement) settleEnforcementCaseTx(tx Tx, id string) (bool, error) {
	c, err := tx.EnforcementCaseTx(id)
	if err != nil || c.Provisional == nil || !s.Rules.Calendar.Covers(c.Provisional.Year) {
		return false, err
	}
	e, err := tx.ListEntryTx(c.Entry)
	if err != nil {
		return false, err
	}
	due, err := s.enforcementCaseDue(c, e.List)
	if err != nil {
		return false, err
	}
	c.dated(due)
	if err := tx.PutEnforcementCase(c); err != nil {
		return false, err
	}
	return true, awaitIfProvisional(tx, ProvisionalEnforcementCase, id, c.Provisional)
}
