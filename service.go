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

// Config is what the register's features run on.
type Config struct {
	Store Store
	Clock Clock
	// Rules are the policy table and the working-day calendar every deadline comes from.
	Rules policy.Rules
	// CursorKey seals the cursors of paged answers (cursor.go); random when nil.
	CursorKey []byte
	// WatchKey (16, 24 or 32 bytes) seals the watches' secrets in the store
	// (watchsecret.go); random when nil.
	WatchKey []byte
	// Webhooks is which addresses the watches' URLs may reach (webhookaddr.go).
	Webhooks WebhookPolicy
}

// Service is the register: its features over one store, each a service of its own with
// the narrow store it needs, on a shared core (the one write path and the reads every
// answer is made with). The features' methods are promoted, so an edge calls
// svc.Register or svc.Sweep; Store, Clock and Rules are what they were made with.
type Service struct {
	Store        Store
	Clock        Clock
	Rules        policy.Rules
	*Registry    // registration, publication, amendment; the pages, records, documents, search
	*Disclosure  // annual reports, orders, consents, obligations (Art. 8–12)
	*Enforcement // lists, decisions, removals and objections, sweeps, credit checks (Art. 17, 18)
	*SpotChecks  // inspectors, draws, results (Art. 14, 15)
	*Cases       // reports, inquiries and correction requests (Art. 12, 13)
	*Accounts    // accounts, tokens, logins
	*Feed        // the change feed (feed.go)
	*Watching    // watches (watch.go)
}

// New returns the register's features over c.Store.
func New(c Config) *Service {
	switch len(c.WatchKey) {
	case 0, 16, 24, 32:
	default:
		panic(fmt.Sprintf("gongshi.New: a watch key of %d bytes; AES wants 16, 24 or 32", len(c.WatchKey)))
	}
	co := &core{Store: c.Store, Clock: c.Clock, Rules: c.Rules, CursorKey: c.CursorKey}
	s := &Service{Store: c.Store, Clock: c.Clock, Rules: c.Rules,
		Registry: &Registry{core: co, Store: c.Store}, Disclosure: &Disclosure{core: co, Store: c.Store},
		Enforcement: &Enforcement{core: co, Store: c.Store}, SpotChecks: &SpotChecks{core: co, Store: c.Store},
		Cases: &Cases{core: co, Store: c.Store}, Accounts: &Accounts{core: co, Store: c.Store},
		Feed: &Feed{core: co, Store: c.Store}, Watching: &Watching{core: co, Store: c.Store, Webhooks: c.Webhooks, aead: &watchAEAD{key: c.WatchKey}}}
	s.Registry.orders, s.Registry.bans = s.Disclosure, s.Enforcement
	s.Disclosure.registry = s.Registry
	s.Enforcement.orders = s.Disclosure
	s.SpotChecks.orders = s.Disclosure
	return s
}

// core is what the features share: the one write path (seal, the deadlines), the reads
// every answer is made from (a dossier, the logged view of many enterprises, the consent a
// viewer holds) and the cursors of paged answers.
type core struct {
	Store      CoreStore
	Clock      Clock
	Rules      policy.Rules
	CursorKey  []byte
	cursorOnce sync.Once
}

// Registry registers enterprises and publishes and amends records (Art. 6, 7, 10, 12), and
// answers the pages, records, documents and searches of the register.
type Registry struct {
	*core
	Store  RegistryStore
	orders *Disclosure  // a disclosure fulfils the orders to make it
	bans   *Enforcement // an appointment is refused to a banned person (Art. 17)
}

// Disclosure is the enterprise's own disclosure (Art. 8–12): annual reports and their
// drafts, the regulator's orders to disclose, consents to see non-public items, what an
// enterprise owes.
type Disclosure struct {
	*core
	Store    DisclosureStore
	registry *Registry // a report is corrected as any record is
}

// Enforcement keeps the lists (Art. 17, 18; SPEC §8): listing and removal decisions,
// removal applications and objections, the sweeps of the dated rules, credit checks.
type Enforcement struct {
	*core
	Store  EnforcementStore
	orders *Disclosure // lapsed orders are a ground (Art. 17)
}

// SpotChecks are the random spot checks (Art. 14, 15): the inspector roster, draws and
// their results.
type SpotChecks struct {
	*core
	Store  SpotCheckStore
	orders *Disclosure // a check that finds an item undisclosed orders it disclosed
}

// Cases are the reports, inquiries and correction requests anyone files (Art. 12, 13).
type Cases struct {
	*core
	Store CaseStore
}

// Accounts are the accounts that write or read more than the public, and their tokens.
type Accounts struct {
	*core
	Store AccountStore
	// Wall is the real clock that sessions, tokens and login backoff run on (session.go);
	// nil means the system clock. Tests set it.
	Wall Clock

	throttleOnce sync.Once
	loginFails   *LoginThrottle
}

func (s *Accounts) throttle() *LoginThrottle {
	s.throttleOnce.Do(func() { s.loginFails = &LoginThrottle{} })
	return s.loginFails
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
	// Arose is the date the new version's information arose. Left out (or the record's
	// own), the version is a correction that keeps the arose and the timeliness of what it
	// corrects; a registration change left without it arose today.
	Arose  string         `json:"arose,omitempty"`
	Reason string         `json:"reason,omitempty"`
	Fields map[string]any `json:"fields"`
}

// Register registers a new enterprise: its registration record's first version.
func (s *Registry) Register(ctx context.Context, actor *Account, in Registration) (ent *Enterprise, ver *Version, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		ent, ver, err = s.RegisterTx(tx, actor, in)
		return err
	})
	return ent, ver, err
}

// RegisterTx is Register inside a write transaction.
func (s *Registry) RegisterTx(tx Tx, actor *Account, in Registration) (*Enterprise, *Version, error) {
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
	established, _ := calendar.ParseDate(stringField(body, "established"))
	arose := in.Arose
	if arose == "" {
		arose = established.String()
	}
	if _, err := tx.EnterpriseByCode(uscc.String()); err == nil {
		return nil, nil, &Error{Code: ECONFLICT, Field: "uscc", Message: "an enterprise with this code is already registered", Fix: "record a change to it instead"}
	} else if ErrorCode(err) != ENOTFOUND {
		return nil, nil, err
	}
	if err := KindRegistration.check(body, &Enterprise{}, calendar.DateOf(tx.Now())); err != nil { // its own dates first
		return nil, nil, prefixField(err, "fields")
	}
	aroseOn, err := s.checkArose(tx, "arose", arose, established)
	if err != nil {
		return nil, nil, err
	}
	if err := s.bans.refuseBanned(tx, uscc.String(), body); err != nil { // Art. 17 (enforcement_decide.go)
		return nil, nil, err
	}
	salt := newSalt()
	id, err := tx.NewRecord(KindRegistration.Name, uscc.String(), salt)
	if err != nil {
		return nil, nil, err
	}
	ent := &Enterprise{USCC: uscc, Division: division, Registration: id, RegisteredAt: tx.Now()}
	if err := ent.apply(body, tx.Now()); err != nil {
		return nil, nil, err
	}
	ver, err := s.seal(tx, actor, KindRegistration, ent, id, salt, aroseOn, body, "", nil)
	if err != nil {
		return nil, nil, err
	}
	return ent, ver, tx.PutEnterprise(ent, ent.searchTerms())
}

// Publish publishes a new record of a kind about an enterprise (Art. 6, 7, 10).
func (s *Registry) Publish(ctx context.Context, actor *Account, code string, in Publication) (ver *Version, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		ver, err = s.PublishTx(tx, actor, code, in)
		return err
	})
	return ver, err
}

// PublishTx is Publish inside a write transaction.
func (s *Registry) PublishTx(tx Tx, actor *Account, code string, in Publication) (*Version, error) {
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
	if err := MayPublish(actor, k, ent); err != nil {
		return nil, err
	}
	if err := k.check(body, ent, calendar.DateOf(tx.Now())); err != nil {
		return nil, prefixField(err, "fields")
	}
	arose, err := s.checkArose(tx, "arose", in.Arose, ent.Established)
	if err != nil {
		return nil, err
	}
	if err := boundArose(k, body, arose); err != nil {
		return nil, err
	}
	salt := newSalt()
	id, err := tx.NewRecord(k.Name, ent.USCC.String(), salt)
	if err != nil {
		return nil, err
	}
	ver, err := s.seal(tx, actor, k, ent, id, salt, arose, body, "", nil)
	if err != nil {
		return nil, err
	}
	return ver, s.orders.fulfilOrders(tx, actor, ent, k, ver)
}

// ErrNoChange is the error of an amendment that would change nothing; nothing is written.
var ErrNoChange = Invalid("fields", "nothing would change", "send the fields whose values change")

// Amend publishes a new version of a record: a registration change or a correction. The
// previous versions stay published; the new one lists what changed (Art. 12).
func (s *Registry) Amend(ctx context.Context, actor *Account, recordID string, in Amendment) (ver *Version, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		ver, err = s.AmendTx(tx, actor, recordID, in)
		return err
	})
	return ver, err
}

// AmendTx is Amend inside a write transaction.
func (s *Registry) AmendTx(tx Tx, actor *Account, recordID string, in Amendment) (*Version, error) {
	vs, err := tx.Versions(recordID)
	if err != nil {
		return nil, err
	}
	prev := vs[len(vs)-1]
	k, err := LookupKind(prev.Kind)
	if err != nil {
		return nil, err
	}
	if AboutNoEnterprise(k.Name) {
		return nil, Invalid("id", fmt.Sprintf("record %s is a check item", recordID), "correct it at POST /api/v1/check-items/"+recordID+"/versions")
	}
	if err := cleanTexts(textInput{"reason", &in.Reason, TextLine}); err != nil {
		return nil, err
	}
	ent, err := tx.EnterpriseByCode(prev.Subject)
	if err != nil {
		return nil, err
	}
	if err := MayAmend(actor, &Record{ID: recordID, Kind: k.Name, Versions: vs}, ent); err != nil {
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
		if err := s.bans.checkAppointment(tx, ent.USCC.String(), prev.Body, body); err != nil { // Art. 17 (enforcement_decide.go)
			return nil, err
		}
	}
	if len(k.Diff(body, prev.Body)) == 0 {
		return nil, ErrNoChange
	}
	arose, judge, err := s.amendedArose(tx, k, ent, vs, body, in.Arose)
	if err != nil {
		return nil, err
	}
	salt, err := tx.RecordSalt(recordID)
	if err != nil {
		return nil, err
	}
	ver, err := s.sealJudged(tx, actor, k, ent, recordID, salt, arose, body, in.Reason, prev, judge)
	if err != nil {
		return nil, err
	}
	if k == KindRegistration {
		if err := ent.apply(body, tx.Now()); err != nil {
			return nil, err
		}
		return ver, tx.PutEnterprise(ent, ent.searchTerms())
	}
	return ver, s.orders.fulfilOrders(tx, actor, ent, k, ver)
}

// seal builds, seals and appends a version, on time or late by its own publication.
func (s *core) seal(tx Tx, actor *Account, k *Kind, ent *Enterprise, id string, salt []byte, arose calendar.Date, body map[string]any, reason string, prev *Version) (*Version, error) {
	return s.sealJudged(tx, actor, k, ent, id, salt, arose, body, reason, prev, nil)
}

// sealJudged is seal for a version whose timeliness, when judge is not nil, is judge's:
// the deadline of judge's publisher, met or not on the day judge was published.
func (s *core) sealJudged(tx Tx, actor *Account, k *Kind, ent *Enterprise, id string, salt []byte, arose calendar.Date, body map[string]any, reason string, prev, judge *Version) (*Version, error) {
	v := &Version{
		Record: id, Kind: k.Name, Subject: ent.USCC.String(), SubjectName: ent.Name, Version: 1,
		Arose: arose, PublishedAt: tx.Now(), Publisher: actor.Authority(), Reason: reason, Body: body,
	}
	if prev != nil {
		v.Version = prev.Version + 1
	}
	role, published := actor.Role, calendar.DateOf(v.PublishedAt)
	if judge != nil {
		role, published = judge.Publisher.Role, calendar.DateOf(judge.PublishedAt)
	}
	if err := s.dateVersion(v, k, role, ent, published); err != nil {
		return nil, err
	}
	return v, s.appendVersion(tx, k, v, salt, prev)
}

// dateVersion sets what the policy table and the calendar say of a version: the dates of
// its body (Hooks.Dates), its publication deadline (the deadline of role, the publisher's:
// Art. 6, 7, 10), whether publication on published met it, and which of these are
// provisional. A timeliness that a provisional deadline leaves open is judged by the
// nominal day and marked provisional too.
func (s *core) dateVersion(v *Version, k *Kind, role Role, ent *Enterprise, published calendar.Date) error {
	dues := map[string]policy.Due{}
	if k.Dates != nil {
		d, err := k.Dates(s.Rules, v.Body)
		if err != nil {
			return fmt.Errorf("%s dates: %w", k.Name, err)
		}
		dues = d
	}
	due, err := s.deadline(k, role, ent, v.Body, v.Arose)
	switch {
	case errors.Is(err, policy.ErrNoEntry):
		// Information that arose before the regulation (in force 2014-10-01) had no
		// publication deadline: an obligation is judged by the rule in force when it arose.
		v.OnTime = true
	case err != nil:
		return &Error{Code: EINVALID, Field: "arose", Message: "cannot compute the publication deadline: " + err.Error(), Fix: "check the date the information arose"}
	default:
		v.Due, v.Policy = due.Date, due.Entry.Ref()
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
func (s *core) appendVersion(tx Tx, k *Kind, v *Version, salt []byte, prev *Version) error {
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

// checkArose parses the date information arose and checks that it is not in the future
// and not before the enterprise was established.
func (s *core) checkArose(tx Tx, field, arose string, established calendar.Date) (calendar.Date, error) {
	d, err := calendar.ParseDate(arose)
	if err != nil {
		return d, Invalid(field, fmt.Sprintf("%q is not a date", arose), "give the date the information arose as YYYY-MM-DD")
	}
	if today := calendar.DateOf(tx.Now()); d.After(today) {
		return d, Invalid(field, fmt.Sprintf("%s is in the future (today is %s)", arose, today), "publish information once it has arisen")
	}
	return d, checkNotBefore(field, d, established)
}

func checkNotBefore(field string, date, established calendar.Date) error {
	if !established.IsZero() && date.Before(established) {
		return Invalid(field, fmt.Sprintf("%s is before the enterprise was established on %s", date, established), "check the date")
	}
	return nil
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
func (e *Enterprise) apply(body map[string]any, at time.Time) error {
	name := stringField(body, "name")
	if e.Name != "" && e.Name != name && !contains(e.Former, e.Name) {
		e.Former = append(e.Former, e.Name)
	}
	e.Name = name
	regNo, err := parseOptional(body, "registration_number", ident.ParseRegNo)
	if err != nil {
		return err
	}
	e.RegNo = regNo
	e.Type = stringField(body, "type")
	e.Category = CategoryOf(e.Type)
	e.Status = stringField(body, "status")
	e.Industry, e.Size = stringField(body, "industry"), SizeOf(body)
	rep, _ := body["legal_representative"].(map[string]any)
	e.LegalRep = stringField(rep, "name")
	if e.Established, err = parseOptional(body, "established", calendar.ParseDate); err != nil {
		return err
	}
	e.LatestChangeAt = at
	return nil
}

// parseOptional parses a body's text field into its typed value; an absent or empty field
// is the zero value. A field of the wrong shape is an error naming it.
func parseOptional[T any](body map[string]any, field string, parse func(string) (T, error)) (T, error) {
	var zero T
	s := stringField(body, field)
	if s == "" {
		return zero, nil
	}
	v, err := parse(s)
	if err != nil {
		return zero, Invalid(field, err.Error(), "give it as the register writes it")
	}
	return v, nil
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
