package gongshi

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/division"
)

// The decisions of enforcement, each inside a write transaction: a published record
// version and the current state it justifies, in one unit of work.

// decision is what a decision record says beyond its kind.
type decision struct {
	kind        *Kind
	ent         *Enterprise
	actor       *Account
	list        string
	ground      int
	reason      string
	period      string
	listing     string // the entry the decision is about
	documentNo  string // given by a regulator; generated for automatic decisions
	countedFrom calendar.Date
	decided     calendar.Date
	extra       map[string]any
}

// sweepAuthority is the stamp of automatic decisions: the market regulator of the
// enterprise's division, deciding by the policy's rule.
func sweepAuthority(ent *Enterprise) *Account {
	name := ent.Division + " 市场监督管理局"
	if d, ok := division.Lookup(ent.Division); ok {
		name = d.FullName() + "市场监督管理局"
	}
	return &Account{ID: "enforcement-sweep", Name: name, Role: RoleRegulator, Jurisdiction: ent.Division}
}

// authorityAbbreviation begins the number of a decision the actor makes about ent: its
// jurisdiction's abbreviation (沪浦, division.Abbreviation), else the enterprise's division's,
// else the division code.
func authorityAbbreviation(actor *Account, ent *Enterprise) string {
	for _, code := range []string{actor.Jurisdiction, ent.Division} {
		if d, ok := division.Lookup(code); ok && d.Abbreviation() != "" {
			return d.Abbreviation()
		}
	}
	return ent.Division
}

// publishDecision seals and appends the first version of a decision record. The dates it
// states — the remedies of every decision but a warning, a listing's objection period —
// are its kind's (enforcement_dates.go).
func (s *Enforcement) publishDecision(tx Tx, d decision) (*Version, error) {
	salt := newSalt()
	id, err := tx.NewRecord(d.kind.Name, d.ent.USCC.String(), salt)
	if err != nil {
		return nil, err
	}
	basis := groundBasis[d.ground]
	if d.list == ListSerious {
		basis = "《企业信息公示暂行条例》第十七条；《企业经营异常名录管理暂行办法》第十八条"
	}
	if d.documentNo == "" {
		d.documentNo = fmt.Sprintf("%s市监信〔%d〕%s号", authorityAbbreviation(d.actor, d.ent), d.decided.Year(), id)
	}
	fs := map[string]any{
		"list": d.list, "ground": int64(d.ground), "reason": d.reason, "basis": basis,
		"authority": d.actor.Name, "document_no": d.documentNo, "decided": d.decided.String(),
		"counted_from": d.countedFrom.String(), "status": "in_force",
	}
	if d.period != "" {
		fs["period"] = d.period
	}
	if d.listing != "" {
		fs["listing"] = d.listing
	}
	for k, v := range d.extra {
		fs[k] = v
	}
	body, err := d.kind.Normalize(fs)
	if err != nil {
		return nil, fmt.Errorf("%s decision: %w", d.kind.Name, err)
	}
	return s.seal(tx, d.actor, d.kind, d.ent, id, salt, d.countedFrom, body, "", nil)
}

// listTx lists (or, an individual business, marks) an enterprise on a ground, unless the
// decision with the same natural key (ground, enterprise, period) was already taken: then
// it returns nil, nil. asOf is the decision's date.
func (s *Enforcement) listTx(tx Tx, actor *Account, ent *Enterprise, ground int, period string, arose, asOf calendar.Date) (*ListEntry, error) {
	rule := "ground" + strconv.Itoa(ground)
	if done, err := tx.Decided(rule, ent.USCC.String(), period); err != nil || done {
		return nil, err
	}
	k, list := listingKind(ent)
	reason := groundReasons[ground]
	if ground == 1 {
		reason = fmt.Sprintf("未依照《企业信息公示暂行条例》第八条规定的期限公示%s年度报告", period)
	}
	v, err := s.publishDecision(tx, decision{kind: k, ent: ent, actor: actor, list: list, ground: ground, reason: reason, period: period,
		countedFrom: arose, decided: asOf})
	if err != nil {
		return nil, err
	}
	if err := tx.PutDecided(rule, ent.USCC.String(), period, v.Record, asOf); err != nil {
		return nil, err
	}
	e := newEntry(v)
	return e, tx.PutListEntry(e)
}

// warnTx publishes the warning to an enterprise whose abnormal listing e reaches its
// third anniversary in 60 days (SAIC Order 68), once.
func (s *Enforcement) warnTx(tx Tx, e *ListEntry, asOf calendar.Date) (bool, error) {
	if done, err := tx.Decided("warning", e.ID, ""); err != nil || done {
		return false, err
	}
	ent, err := tx.EnterpriseByCode(e.USCC)
	if err != nil {
		return false, err
	}
	since, _ := calendar.ParseDate(e.Since)
	esc, err := s.Rules.EscalationDate(since)
	if err != nil {
		return false, err
	}
	if covered, err := coveredBySerious(tx, e, esc.Date); err != nil || covered {
		return false, err
	}
	if cured, err := groundCured(tx, e, asOf); err != nil || cured {
		return false, err
	}
	reason := fmt.Sprintf("列入经营异常名录（%s）将于%s届满三年；届时仍未履行相关义务的，将列入严重违法企业名单", e.DocumentNo, esc.Date)
	v, err := s.publishDecision(tx, decision{kind: KindAbnormalWarning, ent: ent, actor: sweepAuthority(ent), list: ListAbnormal, ground: e.Ground,
		reason: reason, period: e.Period, listing: e.ID, countedFrom: since, decided: asOf, extra: map[string]any{"escalation_on": esc.Date.String()}})
	if err != nil {
		return false, err
	}
	if err := tx.PutDecided("warning", e.ID, "", v.Record, asOf); err != nil {
		return false, err
	}
	return true, tx.PutListEntry(applyDecision(map[string]*ListEntry{e.ID: e}, v))
}

// escalateTx puts an enterprise whose abnormal listing e is still in force at its third
// anniversary on the serious-violation list, and bans its legal representative for three
// years (Art. 17). An enterprise already on the serious list is not listed twice.
func (s *Enforcement) escalateTx(tx Tx, e *ListEntry, asOf calendar.Date) (*ListEntry, error) {
	if done, err := tx.Decided("serious", e.USCC, e.ID); err != nil || done {
		return nil, err
	}
	since, _ := calendar.ParseDate(e.Since)
	escDate, err := s.Rules.EscalationDate(since)
	if err != nil {
		return nil, err
	}
	if covered, err := coveredBySerious(tx, e, escDate.Date); err != nil || covered {
		return nil, err
	}
	if cured, err := groundCured(tx, e, asOf); err != nil || cured {
		return nil, err
	}
	ent, err := tx.EnterpriseByCode(e.USCC)
	if err != nil {
		return nil, err
	}
	regs, err := tx.Versions(ent.Registration)
	if err != nil {
		return nil, err
	}
	rep, _ := regs[len(regs)-1].Body["legal_representative"].(map[string]any)
	repName, _ := rep["name"].(string)
	idNo, _ := rep["id_number"].(string)
	ban, err := s.Rules.BanEnd(asOf)
	if err != nil {
		return nil, err
	}
	actor := sweepAuthority(ent)
	reason := fmt.Sprintf("被列入经营异常名录（%s）届满三年仍未履行相关义务", e.DocumentNo)
	v, err := s.publishDecision(tx, decision{kind: KindSeriousListing, ent: ent, actor: actor, list: ListSerious, ground: e.Ground,
		reason: reason, period: e.Period, listing: e.ID, countedFrom: since, decided: asOf,
		extra: map[string]any{"banned_person": repName, "ban_until": ban.Date.String()}})
	if err != nil {
		return nil, err
	}
	if err := tx.PutDecided("serious", e.USCC, e.ID, v.Record, asOf); err != nil {
		return nil, err
	}
	se := newEntry(v)
	if err := tx.PutListEntry(se); err != nil {
		return nil, err
	}
	if idNo == "" {
		return se, nil
	}
	key, err := tx.BanKey()
	if err != nil {
		return nil, err
	}
	return se, tx.PutBan(&Ban{Person: personHash(key, idNo), Name: repName, Enterprise: ent.USCC.String(), Entry: se.ID, Since: asOf.String(), Until: ban.Date.String()})
}

// coveredBySerious reports whether the enterprise of abnormal entry e was on the serious
// list on e's third anniversary esc, or is on it now: the same uncured conduct is not
// escalated (or warned of) twice; a listing whose anniversary comes after a serious
// listing ended escalates anew.
func coveredBySerious(tx Tx, e *ListEntry, esc calendar.Date) (bool, error) {
	entries, err := tx.EntriesOfTx(e.USCC)
	if err != nil {
		return false, err
	}
	for _, o := range entries {
		if o.List == ListSerious && o.Ended != EndCorrected && (o.Until == "" || o.Until >= esc.String()) {
			return true, nil
		}
	}
	return false, nil
}

// groundCured reports whether the register sees that the ground of entry e was cured by
// asOf: the report of its year filed (ground 1), the ordered item disclosed (ground 2).
// Art. 17 escalates only a listing whose ground is not cured, and SAIC Order 68 warns
// only of such a one; the enterprise still applies for the listing's removal.
func groundCured(tx Tx, e *ListEntry, asOf calendar.Date) (bool, error) {
	switch e.Ground {
	case 1:
		f, err := tx.AnnualReport(e.USCC, intOf(e.Period))
		if ErrorCode(err) == ENOTFOUND {
			return false, nil
		}
		return err == nil && f.Filed <= asOf.String(), err
	case 2:
		vs, err := tx.Versions(strings.TrimPrefix(e.Period, "order:"))
		if err != nil {
			return false, nil
		}
		on, _ := vs[len(vs)-1].Body["fulfilled_on"].(string)
		return on != "" && on <= asOf.String(), nil
	}
	return false, nil
}

// expireTx removes an enterprise from the serious list automatically after five years
// without a new ground (SAIC Order 68).
func (s *Enforcement) expireTx(tx Tx, e *ListEntry, asOf calendar.Date) (bool, error) {
	if done, err := tx.Decided("expiry", e.ID, ""); err != nil || done {
		return false, err
	}
	ent, err := tx.EnterpriseByCode(e.USCC)
	if err != nil {
		return false, err
	}
	since, _ := calendar.ParseDate(e.Since)
	v, err := s.publishDecision(tx, decision{kind: KindSeriousExpiry, ent: ent, actor: sweepAuthority(ent), list: ListSerious, ground: e.Ground,
		reason: fmt.Sprintf("列入严重违法企业名单（%s）届满五年未再发生相关情形", e.DocumentNo), period: e.Period, listing: e.ID,
		countedFrom: since, decided: asOf, extra: map[string]any{"outcome": EndAutomatic}})
	if err != nil {
		return false, err
	}
	if err := tx.PutDecided("expiry", e.ID, "", v.Record, asOf); err != nil {
		return false, err
	}
	return true, tx.PutListEntry(applyDecision(map[string]*ListEntry{e.ID: e}, v))
}

// personHash is the keyed hash by which a ban names a person: HMAC-SHA-256 of the ID
// number under the register's secret key, so that the hash of a known ID number cannot
// be computed (and the person found) outside the register.
func personHash(key []byte, idNumber string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strings.ToUpper(strings.TrimSpace(idNumber))))
	return hex.EncodeToString(m.Sum(nil))
}

// refuseBanned refuses to make a banned person the legal representative or person in
// charge of enterprise uscc (Art. 17): body is a registration body. It says why and until
// when, and never shows the ID number.
func (s *Enforcement) refuseBanned(tx Tx, uscc string, body map[string]any) error {
	rep, _ := body["legal_representative"].(map[string]any)
	idNo, _ := rep["id_number"].(string)
	if idNo == "" {
		return nil
	}
	key, err := tx.BanKey()
	if err != nil {
		return err
	}
	bans, err := tx.BansOf(personHash(key, idNo))
	if err != nil {
		return err
	}
	today := calendar.DateOf(tx.Now()).String()
	for _, b := range bans {
		if b.Enterprise == uscc || today < b.Since || today > b.Until {
			continue
		}
		name := b.Enterprise
		if e, err := tx.EnterpriseByCode(b.Enterprise); err == nil {
			name = e.Name + "（" + e.USCC.String() + "）"
		}
		return &Error{Code: ECONFLICT, Field: "fields.legal_representative.id_number",
			Message: fmt.Sprintf("%s是被列入严重违法企业名单的%s的法定代表人，依《企业信息公示暂行条例》第十七条，至%s（含）不得担任其他企业的法定代表人、负责人 (Art. 17: banned until %s)", b.Name, name, b.Until, b.Until),
			Fix:     "appoint another person; the ban ends after " + b.Until}
	}
	return nil
}

// checkAppointment is the ban check of a registration change: only a change of the legal
// representative is an appointment.
func (s *Enforcement) checkAppointment(tx Tx, uscc string, prev, body map[string]any) error {
	old, _ := prev["legal_representative"].(map[string]any)
	now, _ := body["legal_representative"].(map[string]any)
	if fmt.Sprint(old["id_number"]) == fmt.Sprint(now["id_number"]) {
		return nil
	}
	return s.refuseBanned(tx, uscc, body)
}

// intOf reads an integer field of a body however it was decoded.
func intOf(v any) int {
	n, _ := strconv.Atoi(fmt.Sprint(v))
	return n
}
