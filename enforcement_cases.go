package gongshi

import (
	"context"
	"fmt"
	"strings"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// Removal applications and objections (SAIC Order 68; SPEC §8): the enterprise applies
// once it has cured the ground, or objects within 30 days of a listing; the regulator
// answers each in writing, in a published record, within the policy's period.

// CaseInput is an enterprise's removal application or objection.
type CaseInput struct {
	Entry  string `json:"entry"`
	Reason string `json:"reason"`
}

// CaseDecision is the regulator's answer to a case.
type CaseDecision struct {
	// Outcome: removed or refused (removal); not_accepted, rejected or upheld (objection).
	Outcome    string `json:"outcome"`
	DocumentNo string `json:"document_no"`
	Answer     string `json:"answer"`
}

// CaseDecided is a decided case with the published answer.
type CaseDecided struct {
	Case    *EnforcementCase `json:"case"`
	Version *Version         `json:"version"`
	Entry   *ListEntry       `json:"entry"`
}

// ApplyForRemoval files the enterprise's application for removal of a listing (or the
// restoration of an individual business, or removal from the serious list) after it
// cured the ground. The regulator decides within 5 working days; the answer names what
// the register itself sees of the cure.
func (s *Enforcement) ApplyForRemoval(ctx context.Context, actor *Account, code string, in CaseInput) (*EnforcementCase, error) {
	return s.openCase(ctx, actor, code, CaseRemoval, in)
}

// Object files the enterprise's objection to a listing (SAIC Order 68): within 30 days
// of the listing; accepted or not within 5 working days, verified and answered within 20.
func (s *Enforcement) Object(ctx context.Context, actor *Account, code string, in CaseInput) (*EnforcementCase, error) {
	return s.openCase(ctx, actor, code, CaseObjection, in)
}

func (s *Enforcement) openCase(ctx context.Context, actor *Account, code, kind string, in CaseInput) (c *EnforcementCase, err error) {
	code, err = canonicalCode(code)
	if err != nil {
		return nil, err
	}
	if err := cleanTexts(textInput{"entry", &in.Entry, TextLine}, textInput{"reason", &in.Reason, TextMultiline}); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Entry) == "" {
		return nil, Invalid("entry", "is required", "give the id of the listing, from GET /api/v1/enterprises/{code}/listings")
	}
	if strings.TrimSpace(in.Reason) == "" {
		return nil, Invalid("reason", "is required", "say how the ground was cured, or why the listing is wrong")
	}
	err = s.Store.Write(ctx, func(tx Tx) error {
		ent, err := tx.EnterpriseByCode(code)
		if err != nil {
			return err
		}
		if !(actor.Role == RoleEnterprise && actor.Enterprise == ent.USCC.String()) && actor.Role != RoleAdmin {
			return &Error{Code: EFORBIDDEN, Field: "code", Message: "only the enterprise's own liaison applies for removal or objects (SAIC Order 68)", Fix: "use the liaison token of " + ent.USCC.String()}
		}
		e, err := tx.ListEntryTx(strings.TrimSpace(in.Entry))
		if err != nil {
			return err
		}
		today := calendar.DateOf(tx.Now())
		if e.USCC != ent.USCC.String() {
			return Invalid("entry", fmt.Sprintf("entry %s is not about %s", e.ID, ent.USCC), "give a listing of this enterprise")
		}
		if !e.Active(today) {
			return &Error{Code: ECONFLICT, Field: "entry", Message: fmt.Sprintf("entry %s is no longer in force (until %s, %s)", e.ID, e.Until, e.Ended), Fix: "nothing to remove"}
		}
		c = &EnforcementCase{Kind: kind, USCC: ent.USCC.String(), Division: ent.Division, Entry: e.ID, Received: today.String(),
			Reason: strings.TrimSpace(in.Reason), State: CaseStatePending, By: actor.ID}
		if kind == CaseObjection {
			if err := s.mayObject(e, today); err != nil {
				return err
			}
		}
		due, err := s.enforcementCaseDue(c, e.List)
		if err != nil {
			return err
		}
		c.dated(due)
		if kind == CaseRemoval {
			if c.Cure, err = s.seeCure(tx, ent, e, today); err != nil {
				return err
			}
		}
		if err := tx.PutEnforcementCase(c); err != nil {
			return err
		}
		return awaitIfProvisional(tx, ProvisionalEnforcementCase, c.ID, c.Provisional)
	})
	return c, err
}

// dated sets the case's due date.
func (c *EnforcementCase) dated(due policy.Due) {
	c.Due, c.Policy, c.Provisional = due.Date.String(), due.Entry.Ref(), ProvisionalOf(due.Uncovered, "due")
}

// mayObject checks that entry e may be objected to on day today: an abnormal listing or a
// marking, within 30 days of it (SAIC Order 68). While the period's last day is
// provisional and today is in its uncovered year, the objection is received: the period
// is refused as over only once it is known to be.
func (s *Enforcement) mayObject(e *ListEntry, today calendar.Date) error {
	if e.List == ListSerious {
		return Invalid("entry", "objections are to abnormal listings and markings", "apply for removal from the serious list once the ground is cured")
	}
	since, _ := calendar.ParseDate(e.Since)
	last, err := s.Rules.ObjectionDeadline(since)
	if err != nil {
		return err
	}
	if passed, known := last.Passed(today); passed && known {
		return &Error{Code: ECONFLICT, Field: "entry", Message: fmt.Sprintf("the period to object to the listing of %s ended on %s (%s)", e.Since, last.Date, last.Entry.Ref()), Fix: "apply for removal once the ground is cured"}
	}
	return nil
}

// enforcementCaseDue is the day by which the next decision on case c, about an entry of
// list, is due (SAIC Order 68; SAIC AR): an objection is accepted or not within 5 working
// days of its receipt, and once accepted verified and answered within 20 working days of
// the acceptance (Art. 13); a removal is decided within 5 working days, an individual
// business restored within 5.
func (s *Enforcement) enforcementCaseDue(c *EnforcementCase, list string) (policy.Due, error) {
	received, err := calendar.ParseDate(c.Received)
	if err != nil {
		return policy.Due{}, err
	}
	switch {
	case c.Kind == CaseObjection && c.State == CaseStateAccepted:
		accepted, err := calendar.ParseDate(c.Decided)
		if err != nil {
			return policy.Due{}, err
		}
		return s.Rules.ObjectionVerifyDue(accepted)
	case c.Kind == CaseObjection:
		return s.Rules.ObjectionAcceptDue(received)
	case list == ListMarked:
		return s.Rules.RestorationDue(received)
	case list == ListSerious:
		return s.Rules.SeriousRemovalDecisionDue(received)
	}
	return s.Rules.RemovalDecisionDue(received)
}

// seeCure says what the register itself sees of the cure of an entry's ground: the
// missing annual report of its year now filed (ground 1), the ordered item disclosed (2), the
// registered address changed since the listing (4).
func (s *Enforcement) seeCure(tx Tx, ent *Enterprise, e *ListEntry, today calendar.Date) (string, error) {
	switch e.Ground {
	case 1:
		// Each listing's ground is the report of its year; a later missing report is the
		// ground of a listing of its own.
		if cured, err := groundCured(tx, e, today); err != nil || !cured {
			return "", err
		}
		return fmt.Sprintf("the %s annual report is now filed (已补报%s年度报告)", e.Period, e.Period), nil
	case 2:
		vs, err := tx.Versions(strings.TrimPrefix(e.Period, "order:"))
		if err != nil {
			return "", nil
		}
		if vs[len(vs)-1].Body["status"] == "fulfilled" {
			return "the ordered item is disclosed (已履行公示义务)", nil
		}
	case 4:
		vs, err := tx.Versions(ent.Registration)
		if err != nil {
			return "", err
		}
		var at string
		for _, v := range vs {
			if calendar.DateOf(v.PublishedAt).String() < e.Since {
				at = fmt.Sprint(v.Body["address"])
			}
		}
		if now := fmt.Sprint(vs[len(vs)-1].Body["address"]); at != "" && now != at {
			return "the registered address has changed since the listing (已变更住所)", nil
		}
	}
	return "", nil
}

// DecideCase answers a removal application or an objection in writing: a published
// record. A removal granted ends the entry; an objection upheld corrects the listing:
// its record gets a new version marked void, and it is off the list as if never on it.
func (s *Enforcement) DecideCase(ctx context.Context, actor *Account, id string, in CaseDecision) (out *CaseDecided, err error) {
	if err := cleanTexts(textInput{"document_no", &in.DocumentNo, TextDocumentNo}, textInput{"answer", &in.Answer, TextMultiline}); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.DocumentNo) == "" {
		return nil, Invalid("document_no", "is required", "give the number of the written decision (决定书文号)")
	}
	if strings.TrimSpace(in.Answer) == "" {
		return nil, Invalid("answer", "is required", "give the written answer's reasons")
	}
	err = s.Store.Write(ctx, func(tx Tx) error {
		c, err := tx.EnforcementCaseTx(id)
		if err != nil {
			return err
		}
		if actor.Role != RoleAdmin && !(actor.Role == RoleRegulator && actor.Covers(c.Division)) {
			return &Error{Code: EFORBIDDEN, Message: fmt.Sprintf("case %s (division %s) is decided by the regulator in whose jurisdiction the enterprise is", c.ID, c.Division), Fix: "use a regulator account covering " + c.Division}
		}
		if c.State == CaseStateDecided {
			return &Error{Code: ECONFLICT, Field: "id", Message: fmt.Sprintf("case %s was decided on %s (%s)", c.ID, c.Decided, c.Outcome), Fix: "a decided case is not decided again"}
		}
		allowed := CaseOutcomes(c)
		if !contains(allowed, in.Outcome) {
			if c.Kind == CaseObjection && contains(objectionOutcomes, in.Outcome) {
				return &Error{Code: ECONFLICT, Field: "outcome", Message: fmt.Sprintf("objection %s is %s: %q is not its next decision (SAIC Order 68 Art. 13: first accepted or not, then verified and answered)", c.ID, c.State, in.Outcome), Fix: "use one of " + joinQuoted(allowed)}
			}
			return Invalid("outcome", fmt.Sprintf("%q is not an outcome of %s", in.Outcome, withArticle(c.Kind)), "use one of "+joinQuoted(allowed))
		}
		e, err := tx.ListEntryTx(c.Entry)
		if err != nil {
			return err
		}
		ent, err := tx.EnterpriseByCode(c.USCC)
		if err != nil {
			return err
		}
		today := calendar.DateOf(tx.Now())
		if c.Kind == CaseObjection && c.State == CaseStatePending {
			out, err = s.acceptObjection(tx, actor, c, e, ent, in, today)
			return err
		}
		received, _ := calendar.ParseDate(c.Received)
		d := decision{ent: ent, actor: actor, list: e.List, ground: e.Ground, reason: strings.TrimSpace(in.Answer), period: e.Period, listing: e.ID,
			documentNo: strings.TrimSpace(in.DocumentNo), countedFrom: received, decided: today, extra: map[string]any{"outcome": in.Outcome}}
		switch {
		case in.Outcome == OutcomeRemoved:
			d.kind = map[string]*Kind{ListAbnormal: KindAbnormalRemoval, ListMarked: KindMarkingRestoration, ListSerious: KindSeriousRemoval}[e.List]
		case c.Kind == CaseRemoval:
			d.kind = KindRemovalAnswer
		default:
			d.kind = KindObjectionAnswer
		}
		if in.Outcome == OutcomeRemoved && e.List == ListSerious {
			return &Error{Code: ECONFLICT, Field: "outcome", Message: fmt.Sprintf("a serious listing ends with its term; before it only by early removal (SAMR Order 44, listings from 2021-09-01), whose conditions are verified: entry %s", e.ID),
				Fix: "decide the application through POST /api/v1/enterprises/{code}/early-removals, and this case as refused"}
		}
		if (in.Outcome == OutcomeRemoved || in.Outcome == OutcomeUpheld) && !e.Active(today) {
			return &Error{Code: ECONFLICT, Field: "id", Message: fmt.Sprintf("entry %s is no longer in force", e.ID), Fix: "decide the case as refused or rejected"}
		}
		v, err := s.publishDecision(tx, d)
		if err != nil {
			return err
		}
		if in.Outcome == OutcomeUpheld {
			if err := s.voidListing(tx, actor, ent, e, in.Answer); err != nil {
				return err
			}
		}
		if changed := applyDecision(map[string]*ListEntry{e.ID: e}, v); changed != nil {
			if err := tx.PutListEntry(changed); err != nil {
				return err
			}
		}
		c.State, c.Outcome, c.Decided, c.Answer = CaseStateDecided, in.Outcome, today.String(), v.Record
		c.Provisional = nil
		out = &CaseDecided{Case: c, Version: v, Entry: e}
		return tx.PutEnforcementCase(c)
	})
	return out, err
}

// objectionOutcomes are the outcomes of an objection, in the order it meets them.
var objectionOutcomes = []string{OutcomeAccepted, OutcomeNotAccepted, OutcomeRejected, OutcomeUpheld}

// CaseOutcomes returns the outcomes the next decision on case c may have: a removal
// application is granted or refused; an objection is first accepted or not (SAIC Order 68
// Art. 13), and once accepted, rejected or upheld. A decided case has none.
func CaseOutcomes(c *EnforcementCase) []string {
	switch {
	case c.State == CaseStateDecided:
		return nil
	case c.Kind == CaseRemoval:
		return []string{OutcomeRemoved, OutcomeRefused}
	case c.State == CaseStateAccepted:
		return []string{OutcomeRejected, OutcomeUpheld}
	}
	return []string{OutcomeAccepted, OutcomeNotAccepted}
}

// acceptObjection decides whether to accept objection c (SAIC Order 68 Art. 13): the
// decision is a published record (objection_acceptance) due 5 working days from the
// objection's receipt. An accepted objection is due its answer 20 working days from the
// acceptance; one not accepted is decided, its reason the notice's.
func (s *Enforcement) acceptObjection(tx Tx, actor *Account, c *EnforcementCase, e *ListEntry, ent *Enterprise, in CaseDecision, today calendar.Date) (*CaseDecided, error) {
	fields := map[string]any{"list": e.List, "listing": e.ID, "objection": c.ID, "received": c.Received, "outcome": in.Outcome,
		"reason": strings.TrimSpace(in.Answer), "basis": objectionAcceptanceBasis, "authority": actor.Name,
		"document_no": strings.TrimSpace(in.DocumentNo), "decided": today.String()}
	body, err := KindObjectionAcceptance.Normalize(fields)
	if err != nil {
		return nil, err
	}
	received, _ := calendar.ParseDate(c.Received)
	v, err := s.publishAs(tx, actor, KindObjectionAcceptance, ent, received, body)
	if err != nil {
		return nil, err
	}
	c.Decided, c.Answer = today.String(), v.Record
	if in.Outcome == OutcomeNotAccepted {
		c.State, c.Outcome, c.Provisional = CaseStateDecided, OutcomeNotAccepted, nil
		return &CaseDecided{Case: c, Version: v, Entry: e}, tx.PutEnforcementCase(c)
	}
	c.State = CaseStateAccepted
	due, err := s.enforcementCaseDue(c, e.List)
	if err != nil {
		return nil, err
	}
	c.dated(due)
	if err := tx.PutEnforcementCase(c); err != nil {
		return nil, err
	}
	return &CaseDecided{Case: c, Version: v, Entry: e}, awaitIfProvisional(tx, ProvisionalEnforcementCase, c.ID, c.Provisional)
}

// voidListing corrects a wrong listing (SAIC Order 68: within 5 working days of finding
// it wrong): a new version of its decision record, marked void, with the reason.
func (s *Enforcement) voidListing(tx Tx, actor *Account, ent *Enterprise, e *ListEntry, why string) error {
	vs, err := tx.Versions(e.Record)
	if err != nil {
		return err
	}
	prev := vs[len(vs)-1]
	k, err := LookupKind(prev.Kind)
	if err != nil {
		return err
	}
	salt, err := tx.RecordSalt(e.Record)
	if err != nil {
		return err
	}
	body := mergeFields(prev.Body, map[string]any{"status": "void"})
	_, err = s.seal(tx, actor, k, ent, e.Record, salt, prev.Arose, body, "异议成立，更正列入决定 (objection upheld: the listing was wrong): "+why, prev)
	return err
}

// EnterpriseListings returns every list entry of an enterprise, oldest first (public:
// the lists are published).
func (s *Enforcement) EnterpriseListings(ctx context.Context, code string) ([]*ListEntry, error) {
	d, err := s.publicDossier(ctx, code)
	if err != nil {
		return nil, err
	}
	return d.Entries, nil
}

// EnforcementCaseOf returns a removal application or objection to the enterprise that filed
// it, the regulator of its division, or an administrator: the objector follows it there
// (accepted or not, due when, answered by which record).
func (s *Enforcement) EnforcementCaseOf(ctx context.Context, actor *Account, id string) (*EnforcementCase, error) {
	c, err := s.Store.EnforcementCase(ctx, id)
	if err != nil {
		return nil, err
	}
	if actor == nil || !(actor.Role == RoleAdmin || actor.Role == RoleEnterprise && actor.Enterprise == c.USCC || actor.Role == RoleRegulator && actor.Covers(c.Division)) {
		return nil, &Error{Code: EFORBIDDEN, Field: "id", Message: fmt.Sprintf("case %s is seen by the enterprise that filed it and the regulator of division %s", c.ID, c.Division),
			Fix: "use the liaison token of " + c.USCC + " or a regulator account covering " + c.Division}
	}
	return c, nil
}

// QueueItem is one item of the regulator's work queue, with its due date.
type QueueItem struct {
	*EnforcementCase
	Overdue bool `json:"overdue"`
}

// EnforcementQueue returns the removal applications and objections of the actor's
// jurisdiction awaiting a decision, by due date, each saying whether it is overdue.
func (s *Enforcement) EnforcementQueue(ctx context.Context, actor *Account) ([]*QueueItem, error) {
	if actor == nil || actor.Role != RoleRegulator && actor.Role != RoleAdmin {
		return nil, Errorf(EFORBIDDEN, "the enforcement queue is a regulator's")
	}
	prefix := strings.TrimRight(actor.Jurisdiction, "0")
	if actor.Role == RoleAdmin {
		prefix = ""
	}
	cs, err := s.Store.EnforcementCases(ctx, prefix, true)
	if err != nil {
		return nil, err
	}
	today := calendar.DateOf(s.Clock.Now())
	out := make([]*QueueItem, 0, len(cs))
	for _, c := range cs {
		if actor.Covers(c.Division) {
			out = append(out, &QueueItem{EnforcementCase: c, Overdue: overdue(c.Due, c.Provisional, today)})
		}
	}
	return out, nil
}
