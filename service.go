package gongshi

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/ident"
	"github.com/gongshi/gongshi/initials"
	"github.com/gongshi/gongshi/policy"
)

// Service is the register's domain logic: it checks input and authority, computes
// deadlines, and writes through the store's one write path.
type Service struct {
	Store Store
	Clock Clock
	// Rules are the policy table and the working-day calendar every deadline comes from.
	Rules policy.Rules
	// CursorKey is the secret cursors are sealed with (cursor.go); empty means a random key
	// made on first use, so that cursors do not outlive the process.
	CursorKey []byte

	cursorOnce sync.Once
}

// Registration is a regulator's registration of a new enterprise (Art. 6).
type Registration struct {
	USCC   string         `json:"uscc"`
	RegNo  string         `json:"registration_number,omitempty"`
	Arose  string         `json:"arose,omitempty"` // defaults to the date of establishment
	Fields map[string]any `json:"fields"`
}

// Publication is a new record of a kind about an enterprise.
type Publication struct {
	Kind   string         `json:"kind"`
	Arose  string         `json:"arose"`
	Fields map[string]any `json:"fields"`
}

// Amendment is a new version of an existing record: a registration change (变更) or a
// correction (更正, Art. 12). Fields are merged over the latest version's body: a field
// given replaces the old value, a field given as null removes it.
type Amendment struct {
	Arose  string         `json:"arose,omitempty"` // defaults to today (the publication date)
	Reason string         `json:"reason,omitempty"`
	Fields map[string]any `json:"fields"`
}

// Register registers a new enterprise: its registration record's first version.
func (s *Service) Register(ctx context.Context, actor *Account, in Registration) (ent *Enterprise, ver *Version, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		ent, ver, err = s.RegisterTx(tx, actor, in)
		return err
	})
	return ent, ver, err
}

// RegisterTx is Register inside a write transaction.
func (s *Service) RegisterTx(tx Tx, actor *Account, in Registration) (*Enterprise, *Version, error) {
	uscc, err := ident.ParseUSCC(in.USCC)
	if err != nil {
		return nil, nil, Invalid("uscc", err.Error(), "give the enterprise's 18-character unified social credit code")
	}
	fields, err := withRegNo(in)
	if err != nil {
		return nil, nil, err
	}
	division := uscc.String()[2:8]
	if actor.Role != RoleRegulator && actor.Role != RoleAdmin {
		return nil, nil, Errorf(EFORBIDDEN, "only a market regulator registers enterprises (Art. 6); this account is %s", withArticle(string(actor.Role)))
	}
	if !actor.Covers(division) {
		return nil, nil, &Error{Code: EFORBIDDEN, Field: "uscc", Message: fmt.Sprintf("division %s of this code is outside jurisdiction %s", division, actor.Jurisdiction), Fix: "registration is done by the regulator of the enterprise's division"}
	}
	body, err := KindRegistration.Normalize(fields)
	if err != nil {
		return nil, nil, prefixField(err, "fields")
	}
	established := stringField(body, "established")
	arose := in.Arose
	if arose == "" {
		arose = established
	}
	if _, err := tx.EnterpriseByCode(uscc.String()); err == nil {
		return nil, nil, &Error{Code: ECONFLICT, Field: "uscc", Message: "an enterprise with this code is already registered", Fix: "record a change to it instead"}
	} else if ErrorCode(err) != ENOTFOUND {
		return nil, nil, err
	}
	if err := KindRegistration.check(body, &Enterprise{}, calendar.DateOf(tx.Now())); err != nil { // its own dates first
		return nil, nil, prefixField(err, "fields")
	}
	if err := s.checkArose(tx, "arose", arose, established); err != nil {
		return nil, nil, err
	}
	if err := s.refuseBanned(tx, uscc.String(), body); err != nil { // Art. 17 (enforcement_decide.go)
		return nil, nil, err
	}
	salt := newSalt()
	id, err := tx.NewRecord(KindRegistration.Name, uscc.String(), salt)
	if err != nil {
		return nil, nil, err
	}
	ent := &Enterprise{USCC: uscc.String(), Division: division, Registration: id, RegisteredAt: tx.Now()}
	ent.apply(body, tx.Now())
	ver, err := s.seal(tx, actor, KindRegistration, ent, id, salt, arose, body, "", nil)
	if err != nil {
		return nil, nil, err
	}
	return ent, ver, tx.PutEnterprise(ent, ent.searchTerms())
}

// Publish publishes a new record of a kind about an enterprise (Art. 6, 7, 10).
func (s *Service) Publish(ctx context.Context, actor *Account, code string, in Publication) (ver *Version, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		ver, err = s.PublishTx(tx, actor, code, in)
		return err
	})
	return ver, err
}

// PublishTx is Publish inside a write transaction.
func (s *Service) PublishTx(tx Tx, actor *Account, code string, in Publication) (*Version, error) {
	k, err := LookupKind(in.Kind)
	if err != nil {
		return nil, err
	}
	if k == KindRegistration {
		return nil, Invalid("kind", "registrations are made by registering an enterprise", "POST /api/v1/enterprises to register, or amend the registration record to record a change")
	}
	if k.Route != "" {
		return nil, Invalid("kind", k.Name+" records are not published here", "use "+k.Route)
	}
	body, err := k.Normalize(in.Fields)
	if err != nil {
		return nil, prefixField(err, "fields")
	}
	ent, err := tx.EnterpriseByCode(code)
	if err != nil {
		return nil, err
	}
	if err := mayPublish(actor, k, ent); err != nil {
		return nil, err
	}
	if err := k.check(body, ent, calendar.DateOf(tx.Now())); err != nil {
		return nil, prefixField(err, "fields")
	}
	if err := s.checkArose(tx, "arose", in.Arose, ent.Established); err != nil {
		return nil, err
	}
	salt := newSalt()
	id, err := tx.NewRecord(k.Name, ent.USCC, salt)
	if err != nil {
		return nil, err
	}
	ver, err := s.seal(tx, actor, k, ent, id, salt, in.Arose, body, "", nil)
	if err != nil {
		return nil, err
	}
	return ver, s.fulfilOrders(tx, actor, ent, k, ver)
}

// ErrNoChange is the error of an amendment that would change nothing; nothing is written.
var ErrNoChange = Invalid("fields", "nothing would change", "send the fields whose values change")

// Amend publishes a new version of a record: a registration change or a correction. The
// previous versions stay published; the new one lists what changed (Art. 12).
func (s *Service) Amend(ctx context.Context, actor *Account, recordID string, in Amendment) (ver *Version, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		ver, err = s.AmendTx(tx, actor, recordID, in)
		return err
	})
	return ver, err
}

// AmendTx is Amend inside a write transaction.
func (s *Service) AmendTx(tx Tx, actor *Account, recordID string, in Amendment) (*Version, error) {
	vs, err := tx.Versions(recordID)
	if err != nil {
		return nil, err
	}
	prev := vs[len(vs)-1]
	k, err := LookupKind(prev.Kind)
	if err != nil {
		return nil, err
	}
	if err := cleanTexts(textInput{"reason", &in.Reason, TextLine}); err != nil {
		return nil, err
	}
	ent, err := tx.EnterpriseByCode(prev.Subject)
	if err != nil {
		return nil, err
	}
	if err := mayAmend(actor, k, ent, lastPublished(vs)); err != nil { // a settlement's stamp is not the publisher's (settle.go)
		return nil, err
	}
	body, err := k.Normalize(mergeFields(prev.Body, in.Fields))
	if err != nil {
		return nil, prefixField(err, "fields")
	}
	if err := s.checkAmendment(tx, actor, k, ent, vs, body); err != nil {
		return nil, err
	}
	if k == KindRegistration {
		if err := s.checkAppointment(tx, ent.USCC, prev.Body, body); err != nil { // Art. 17 (enforcement_decide.go)
			return nil, err
		}
	}
	if len(k.Diff(body, prev.Body)) == 0 {
		return nil, ErrNoChange
	}
	arose := in.Arose
	if arose == "" {
		arose = calendar.DateOf(tx.Now()).String()
	}
	if err := s.checkArose(tx, "arose", arose, ent.Established); err != nil {
		return nil, err
	}
	salt, err := tx.RecordSalt(recordID)
	if err != nil {
		return nil, err
	}
	ver, err := s.seal(tx, actor, k, ent, recordID, salt, arose, body, in.Reason, prev)
	if err != nil {
		return nil, err
	}
	if k == KindRegistration {
		ent.apply(body, tx.Now())
		return ver, tx.PutEnterprise(ent, ent.searchTerms())
	}
	return ver, s.fulfilOrders(tx, actor, ent, k, ver)
}

// seal builds, seals and appends a version.
func (s *Service) seal(tx Tx, actor *Account, k *Kind, ent *Enterprise, id string, salt []byte, arose string, body map[string]any, reason string, prev *Version) (*Version, error) {
	v := &Version{
		Record: id, Kind: k.Name, Subject: ent.USCC, SubjectName: ent.Name, Version: 1,
		Arose: arose, PublishedAt: tx.Now(), Publisher: actor.Authority(), Reason: reason, Body: body,
	}
	if prev != nil {
		v.Version = prev.Version + 1
	}
	if err := s.dateVersion(v, k, actor.Role, ent, calendar.DateOf(v.PublishedAt)); err != nil {
		return nil, err
	}
	return v, s.appendVersion(tx, k, v, salt, prev)
}

// dateVersion sets what the policy table and the calendar say of a version: the dates of
// its body (Hooks.Dates), its publication deadline (the deadline of role, the publisher's:
// Art. 6, 7, 10), whether publication on published met it, and which of these are
// provisional. A timeliness that a provisional deadline leaves open is judged by the
// nominal day and marked provisional too.
func (s *Service) dateVersion(v *Version, k *Kind, role Role, ent *Enterprise, published calendar.Date) error {
	dues := map[string]policy.Due{}
	if k.Dates != nil {
		d, err := k.Dates(s.Rules, v.Body)
		if err != nil {
			return fmt.Errorf("%s dates: %w", k.Name, err)
		}
		dues = d
	}
	a, _ := calendar.ParseDate(v.Arose)
	due, err := s.deadline(k, role, ent, v.Body, a)
	switch {
	case errors.Is(err, policy.ErrNoEntry):
		// Information that arose before the regulation (in force 2014-10-01) had no
		// publication deadline: an obligation is judged by the rule in force when it arose.
		v.OnTime = true
	case err != nil:
		return &Error{Code: EINVALID, Field: "arose", Message: "cannot compute the publication deadline: " + err.Error(), Fix: "check the date the information arose"}
	default:
		v.Due, v.Policy = due.Date.String(), due.Entry.Ref()
		dues["due"] = due
		passed, known := due.Passed(published)
		if !known {
			passed = published.After(due.Date)
			dues["on_time"] = due
		}
		v.OnTime = !passed
	}
	v.Provisional = provisionalDues(dues)
	return nil
}

// appendVersion seals a dated version against prev and appends it; a version with
// provisional dates is noted for settlement in the same unit of work.
func (s *Service) appendVersion(tx Tx, k *Kind, v *Version, salt []byte, prev *Version) error {
	if err := v.Seal(k, salt, prev); err != nil {
		return err
	}
	if err := tx.AppendVersion(v); err != nil {
		return err
	}
	if err := awaitIfProvisional(tx, ProvisionalRecord, v.Record, v.Provisional); err != nil {
		return err
	}
	v.Fields = k.View(v.Body, Access{All: true}) // as its publisher sees it
	return nil
}

// disclosingAs maps a role to the publisher whose deadline applies (Art. 6, 7, 10).
func disclosingAs(r Role) policy.Publisher {
	switch r {
	case RoleEnterprise:
		return policy.Enterprise
	case RoleDepartment:
		return policy.Department
	}
	return policy.Regulator
}

// checkArose checks that the date information arose is a date, not in the future, and not
// before the enterprise was established.
func (s *Service) checkArose(tx Tx, field, arose, established string) error {
	d, err := calendar.ParseDate(arose)
	if err != nil {
		return Invalid(field, fmt.Sprintf("%q is not a date", arose), "give the date the information arose as YYYY-MM-DD")
	}
	if today := calendar.DateOf(tx.Now()); d.After(today) {
		return Invalid(field, fmt.Sprintf("%s is in the future (today is %s)", arose, today), "publish information once it has arisen")
	}
	return checkNotBefore(field, arose, established)
}

func checkNotBefore(field, date, established string) error {
	if established != "" && date < established {
		return Invalid(field, fmt.Sprintf("%s is before the enterprise was established on %s", date, established), "check the date")
	}
	return nil
}

// mayPublish checks the actor's role and scope for a new record of kind k about ent.
func mayPublish(a *Account, k *Kind, ent *Enterprise) error {
	if !k.MayPublish(a.Role) && a.Role != RoleAdmin {
		return &Error{Code: EFORBIDDEN, Field: "kind", Message: fmt.Sprintf("an account of role %s may not publish %s records (%s)", a.Role, k.Name, k.Article), Fix: "see GET /api/v1/kinds for who publishes what"}
	}
	switch a.Role {
	case RoleRegulator:
		if !a.Covers(ent.Division) {
			return &Error{Code: EFORBIDDEN, Field: "code", Message: fmt.Sprintf("enterprise %s (division %s) is outside jurisdiction %s", ent.USCC, ent.Division, a.Jurisdiction), Fix: "the regulator of the enterprise's division publishes about it"}
		}
	case RoleDepartment:
		if !a.MayPublishKind(k.Name) {
			return &Error{Code: EFORBIDDEN, Field: "kind", Message: fmt.Sprintf("this department is not authorised to publish %s records", k.Name), Fix: "ask an administrator to authorise the kind (Art. 7)"}
		}
	case RoleEnterprise:
		if a.Enterprise != ent.USCC {
			return &Error{Code: EFORBIDDEN, Field: "code", Message: fmt.Sprintf("this liaison account speaks for %s, not %s", a.Enterprise, ent.USCC), Fix: "log in with the liaison account of the enterprise you publish for"}
		}
	}
	return nil
}

// mayAmend checks who may make a new version of a record: the publisher's side in scope
// (Art. 12: a department corrects its own records; an enterprise its own information).
func mayAmend(a *Account, k *Kind, ent *Enterprise, prev *Version) error {
	if a.Role == RoleAdmin {
		return nil
	}
	if a.Role != prev.Publisher.Role {
		return Errorf(EFORBIDDEN, "this record was published by %s; only its publisher corrects it (Art. 12)", withArticle(string(prev.Publisher.Role)))
	}
	if a.Role == RoleDepartment && a.ID != prev.Publisher.Account {
		return Errorf(EFORBIDDEN, "this record was published by %s; a department corrects only its own records (Art. 12)", prev.Publisher.Name)
	}
	return mayPublish(a, k, ent)
}

func mergeFields(old, patch map[string]any) map[string]any {
	m := make(map[string]any, len(old)+len(patch))
	for k, v := range old {
		m[k] = v
	}
	for k, v := range patch {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return m
}

func prefixField(err error, prefix string) error {
	if e := AsError(err); e != nil && e.Field != "" {
		c := *e
		c.Field = prefix + "." + e.Field
		return &c
	}
	return err
}

func newSalt() []byte {
	b := make([]byte, 16)
	rand.Read(b)
	return b
}

// apply sets the enterprise's current view from its registration body (public fields
// only are needed).
func (e *Enterprise) apply(body map[string]any, at time.Time) {
	name := stringField(body, "name")
	if e.Name != "" && e.Name != name && !contains(e.Former, e.Name) {
		e.Former = append(e.Former, e.Name)
	}
	e.Name = name
	e.RegNo = stringField(body, "registration_number")
	e.Type = stringField(body, "type")
	e.Category = CategoryOf(e.Type)
	e.Status = stringField(body, "status")
	rep, _ := body["legal_representative"].(map[string]any)
	e.LegalRep = stringField(rep, "name")
	e.Established = stringField(body, "established")
	e.LatestChangeAt = at
}

// withRegNo returns a registration's fields with its registration number among them: the
// number is part of the registration's document, so that it is logged like the rest.
func withRegNo(in Registration) (map[string]any, error) {
	if in.RegNo == "" {
		return in.Fields, nil
	}
	if v, ok := in.Fields["registration_number"]; ok && v != in.RegNo {
		return nil, Invalid("registration_number", fmt.Sprintf("%v differs from fields.registration_number %v", in.RegNo, v), "give the registration number once")
	}
	fields := make(map[string]any, len(in.Fields)+1)
	for k, v := range in.Fields {
		fields[k] = v
	}
	fields["registration_number"] = in.RegNo
	return fields, nil
}

func (e *Enterprise) searchTerms() SearchTerms {
	return SearchTerms{Names: append([]string{e.Name}, e.Former...), LegalRep: e.LegalRep, Initials: initials.Of(e.Name)}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
