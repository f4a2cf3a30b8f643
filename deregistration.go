package gongshi

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// Simplified deregistration (简易注销; SAIC 2016-253, nationwide from 1 March 2017; SAMR
// 2021-45; Decree 746 Art. 33). An enterprise without debts applies with its investors'
// commitment; the register publishes the notice, during which anyone may object (45 days,
// from 30 July 2021 20: policy deregistration.simple.notice); after it the registration
// authority deregisters the enterprise or refuses. Each step is a published record. It
// does not apply while the enterprise is on a list, has equity frozen (judicial.go) or
// pledged, a chattel mortgage, or branches not deregistered; an enterprise refused for
// one of these applies again once it is cleared (SAMR 2021-45: 容错). An individual
// business needs no notice: the registration authority decides on its application.

// Outcomes of a simplified-deregistration decision.
const (
	DeregistrationGranted = "deregistered" // 准予简易注销
	DeregistrationRefused = "refused"      // 不予简易注销
)

// The status a deregistered enterprise's registration records (登记状态).
const statusDeregistered = "注销"

const deregRoute = "POST /api/v1/enterprises/{code}/simple-deregistration (/objections, /decision)"

// KindDeregistrationNotice is the notice of an application for simplified deregistration
// (简易注销公告), with the investors' commitment; notice_from … notice_to is the period of
// objections, set by the policy entry notice_policy names.
var KindDeregistrationNotice = defineKind(&Kind{
	Name: "simple_deregistration_notice", Label: "简易注销公告", Article: "SAIC 2016-253; SAMR 2021-45 §2; Decree 746 Art. 33",
	Publishers: []Role{RoleEnterprise, RoleRegulator},
	Fields: []Field{
		{Name: "applicant", Label: "申请人", Type: TypeText, Required: true, Text: TextEnterpriseName},
		{Name: "commitment", Label: "全体投资人承诺书", Type: TypeText, Required: true, Text: TextMultiline},
		{Name: "published", Label: "公告日期", Type: TypeDate, Required: true},
		{Name: "notice_from", Label: "公告期自", Type: TypeDate},
		{Name: "notice_to", Label: "公告期至", Type: TypeDate, Future: true},
		{Name: "notice_policy", Label: "公告期依据", Type: TypeText},
	},
	Hooks: Hooks{Route: deregRoute, Dates: noticeDates},
})

// noticeDates sets the notice period from its publication: the day after it to the last
// day of the policy's period.
func noticeDates(r policy.Rules, body map[string]any) (map[string]policy.Due, error) {
	published, err := calendar.ParseDate(stringField(body, "published"))
	if err != nil {
		return nil, fmt.Errorf("published: %w", err)
	}
	due, err := r.SimpleDeregistrationNotice(published)
	if err != nil {
		return nil, err
	}
	body["notice_from"], body["notice_to"], body["notice_policy"] = published.AddDays(1).String(), due.Date.String(), due.Entry.Ref()
	return map[string]policy.Due{"fields.notice_to": due}, nil
}

// KindDeregistrationObjection is an objection to a notice (简易注销异议), from anyone: a
// creditor, an employee, a tax authority, a department. It is not an obligation, so it has
// no deadline.
var KindDeregistrationObjection = defineKind(&Kind{
	Name: "simple_deregistration_objection", Label: "简易注销异议", Article: "SAIC 2016-253; SAMR 2021-45",
	Publishers: []Role{RolePublic, RoleEnterprise, RoleRegulator, RoleDepartment, RoleCourt},
	Fields: []Field{
		{Name: "notice", Label: "所涉公告", Type: TypeText, Required: true},
		{Name: "objector", Label: "异议申请人", Type: TypeText, Required: true, Text: TextPartyName},
		{Name: "objector_kind", Label: "异议人类别", Type: TypeEnum, Required: true, Enum: []string{"creditor", "employee", "tax", "department", "other"}},
		{Name: "content", Label: "异议内容", Type: TypeText, Required: true, Text: TextMultiline},
		{Name: "filed", Label: "异议日期", Type: TypeDate, Required: true},
	},
	Hooks: Hooks{Route: deregRoute, Deadline: noDeadline("simplified-deregistration objection")},
})

// KindDeregistrationDecision is the registration authority's decision (简易注销结果): the
// enterprise deregistered, or refused with the reason. It names the notice and the policy
// entry of its period; a deregistration also records status 注销 in the registration.
var KindDeregistrationDecision = defineKind(&Kind{
	Name: "simple_deregistration_decision", Label: "简易注销结果", Article: "SAIC 2016-253; SAMR 2021-45; Decree 746 Art. 33",
	Publishers: []Role{RoleRegulator},
	Fields: []Field{
		{Name: "outcome", Label: "结果", Type: TypeEnum, Required: true, Enum: []string{DeregistrationGranted, DeregistrationRefused}},
		{Name: "notice", Label: "所涉公告", Type: TypeText},
		{Name: "notice_to", Label: "公告期至", Type: TypeDate},
		{Name: "notice_policy", Label: "公告期依据", Type: TypeText},
		{Name: "objections", Label: "公告期内异议数", Type: TypeInteger},
		{Name: "reason", Label: "理由", Type: TypeText, Text: TextMultiline},
		{Name: "authority", Label: "登记机关", Type: TypeText, Required: true},
		{Name: "document_no", Label: "文书编号", Type: TypeText, Required: true, Text: TextDocumentNo},
		{Name: "decided", Label: "决定日期", Type: TypeDate, Required: true},
	},
	Hooks: Hooks{Route: deregRoute},
})

func noDeadline(what string) func(policy.Rules, map[string]any, *Enterprise) (policy.Due, error) {
	return func(policy.Rules, map[string]any, *Enterprise) (policy.Due, error) {
		return policy.Due{}, fmt.Errorf("%s: %w", what, policy.ErrNoEntry)
	}
}

// DeregistrationApplication applies for simplified deregistration.
type DeregistrationApplication struct {
	Commitment string `json:"commitment"` // the investors' written commitment (全体投资人承诺书)
}

// DeregistrationObjection objects to a notice.
type DeregistrationObjection struct {
	Objector     string `json:"objector"`
	ObjectorKind string `json:"objector_kind"`
	Content      string `json:"content"`
}

// DeregistrationDecision is the registration authority's decision.
type DeregistrationDecision struct {
	Outcome    string `json:"outcome"`
	Reason     string `json:"reason,omitempty"`
	DocumentNo string `json:"document_no"`
}

// deregistration is an enterprise's simplified-deregistration records: its latest notice,
// the objections to it and its decision, if any.
type deregistration struct {
	notice     *Version
	objections int
	decided    bool
}

func (s *core) deregistrationOf(tx Tx, uscc string) (*deregistration, error) {
	recs, err := tx.RecordsOf(uscc, KindDeregistrationNotice.Name, KindDeregistrationObjection.Name, KindDeregistrationDecision.Name)
	if err != nil {
		return nil, err
	}
	d := &deregistration{}
	for _, vs := range recs {
		if v := vs[len(vs)-1]; v.Kind == KindDeregistrationNotice.Name {
			d.notice = v
		}
	}
	if d.notice == nil {
		return d, nil
	}
	for _, vs := range recs {
		v := vs[len(vs)-1]
		if stringField(v.Body, "notice") != d.notice.Record {
			continue
		}
		switch v.Kind {
		case KindDeregistrationObjection.Name:
			d.objections++
		case KindDeregistrationDecision.Name:
			d.decided = true
		}
	}
	return d, nil
}

// open reports whether the latest notice awaits its decision.
func (d *deregistration) open() bool { return d.notice != nil && !d.decided }

// DeregistrationBars returns why simplified deregistration does not apply to ent on date
// on (SAIC 2016-253; SAMR 2021-45): on a list, equity frozen or pledged, a chattel mortgage,
// branches not deregistered. None: it applies.
func (s *core) DeregistrationBars(tx Tx, ent *Enterprise, on calendar.Date) ([]string, error) {
	var bars []string
	entries, err := tx.EntriesOfTx(ent.USCC.String())
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.Active(on) {
			bars = append(bars, fmt.Sprintf("on the %s list since %s (%s)", e.List, e.Since, e.DocumentNo))
		}
	}
	recs, err := tx.RecordsOf(ent.USCC.String(), KindEquityPledge.Name, KindChattelMortgage.Name, KindJudicialAssistance.Name)
	if err != nil {
		return nil, err
	}
	var judicial [][]*Version
	for _, vs := range recs {
		v := vs[len(vs)-1]
		switch {
		case v.Kind == KindJudicialAssistance.Name:
			judicial = append(judicial, vs)
		case stringField(v.Body, "status") == "valid":
			bars = append(bars, fmt.Sprintf("%s %s in force", strings.ReplaceAll(v.Kind, "_", " "), stringField(v.Body, "registration_no")))
		}
	}
	for _, f := range FrozenEquity(judicial, on) {
		bars = append(bars, fmt.Sprintf("equity of %s frozen until %s (%s)", stringField(f, "shareholder"), stringField(f, "freeze_to"), stringField(f, "document_no")))
	}
	reg, err := tx.Versions(ent.Registration)
	if err != nil {
		return nil, err
	}
	branches, _ := reg[len(reg)-1].Body["branches"].([]any)
	for _, b := range branches {
		br, _ := b.(map[string]any)
		name, code := stringField(br, "name"), stringField(br, "code")
		if code == "" {
			bars = append(bars, fmt.Sprintf("branch %s has no code, so its deregistration cannot be checked", name))
			continue
		}
		be, err := tx.EnterpriseByCode(code)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			bars = append(bars, fmt.Sprintf("branch %s (%s) is not in this register, so its deregistration cannot be checked", name, code))
		case err != nil:
			return nil, err
		case be.Status != statusDeregistered:
			bars = append(bars, fmt.Sprintf("branch %s (%s) is %s, not deregistered", name, code, be.Status))
		}
	}
	return bars, nil
}

// ApplySimpleDeregistration publishes the notice of an enterprise's application, by its
// liaison or the regulator in scope, once the conditions hold and no notice awaits its
// decision.
func (s *Registry) ApplySimpleDeregistration(ctx context.Context, actor *Account, code string, in DeregistrationApplication) (ver *Version, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		ent, err := s.deregistrable(tx, actor, KindDeregistrationNotice, code)
		if err != nil {
			return err
		}
		if ent.Category == CategoryIndividual {
			return Invalid("code", "an individual business needs no notice (SAMR 2021-45 §2; Decree 746 Art. 33)", "the registration authority decides on its application: POST …/simple-deregistration/decision")
		}
		today := calendar.DateOf(tx.Now())
		if _, err := s.Rules.SimpleDeregistrationNotice(today); errors.Is(err, policy.ErrNoEntry) {
			return Invalid("code", fmt.Sprintf("simplified deregistration is not available on %s", today), "it applies nationwide from 2017-03-01 (SAIC 2016-253); deregister by the ordinary procedure")
		}
		d, err := s.deregistrationOf(tx, ent.USCC.String())
		if err != nil {
			return err
		}
		if d.open() {
			return &Error{Code: ECONFLICT, Field: "code", Message: fmt.Sprintf("notice %s runs until %s and awaits its decision", d.notice.Record, stringField(d.notice.Body, "notice_to")), Fix: "wait for the registration authority's decision"}
		}
		if err := s.checkBars(tx, ent, today); err != nil {
			return err
		}
		body, err := KindDeregistrationNotice.Normalize(map[string]any{"applicant": ent.Name, "commitment": in.Commitment, "published": today.String()})
		if err != nil {
			return err
		}
		ver, err = s.publishAs(tx, actor, KindDeregistrationNotice, ent, today, body)
		return err
	})
	return ver, err
}

// ObjectToSimpleDeregistration publishes an objection to the enterprise's notice, from
// anyone, during the notice period. An anonymous objector is named by the objection.
func (s *Registry) ObjectToSimpleDeregistration(ctx context.Context, actor *Account, code string, in DeregistrationObjection) (ver *Version, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		ent, err := tx.EnterpriseByCode(code)
		if err != nil {
			return err
		}
		d, err := s.deregistrationOf(tx, ent.USCC.String())
		if err != nil {
			return err
		}
		today := calendar.DateOf(tx.Now()).String()
		if !d.open() || today < stringField(d.notice.Body, "notice_from") || today > stringField(d.notice.Body, "notice_to") {
			return &Error{Code: ECONFLICT, Field: "code", Message: fmt.Sprintf("%s has no simplified-deregistration notice running on %s", ent.USCC, today), Fix: "objections are made during a notice period, shown on the enterprise's page"}
		}
		body, err := KindDeregistrationObjection.Normalize(map[string]any{"notice": d.notice.Record, "objector": in.Objector,
			"objector_kind": in.ObjectorKind, "content": in.Content, "filed": today})
		if err != nil {
			return err
		}
		by := actor
		if by == nil || by.Role == RolePublic {
			by = &Account{Role: RolePublic, Name: stringField(body, "objector")}
		}
		ver, err = s.publishAs(tx, by, KindDeregistrationObjection, ent, calendar.DateOf(tx.Now()), body)
		return err
	})
	return ver, err
}

// DecideSimpleDeregistration publishes the registration authority's decision. Deregistering
// needs the notice period over without objections (an individual business: no notice) and
// the conditions still met; it records status 注销 in a new version of the registration.
// A refusal gives its reason.
func (s *Registry) DecideSimpleDeregistration(ctx context.Context, actor *Account, code string, in DeregistrationDecision) (ver *Version, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		ent, err := s.deregistrable(tx, actor, KindDeregistrationDecision, code)
		if err != nil {
			return err
		}
		d, err := s.deregistrationOf(tx, ent.USCC.String())
		if err != nil {
			return err
		}
		today := calendar.DateOf(tx.Now())
		fields := map[string]any{"outcome": in.Outcome, "authority": actor.Name, "document_no": in.DocumentNo, "decided": today.String()}
		if in.Reason != "" {
			fields["reason"] = in.Reason
		}
		if d.open() {
			fields["notice"], fields["notice_to"], fields["notice_policy"] = d.notice.Record, d.notice.Body["notice_to"], d.notice.Body["notice_policy"]
			fields["objections"] = d.objections
		} else if ent.Category != CategoryIndividual {
			return &Error{Code: ECONFLICT, Field: "code", Message: "no simplified-deregistration notice awaits a decision", Fix: "the enterprise applies first: POST …/simple-deregistration"}
		}
		body, err := KindDeregistrationDecision.Normalize(fields)
		if err != nil {
			return err
		}
		switch in.Outcome {
		case DeregistrationRefused:
			if in.Reason == "" {
				return Invalid("reason", "a refusal gives its reason", "say which condition is not met or which objection stands")
			}
		case DeregistrationGranted:
			if err := s.mayDeregister(tx, ent, d, today); err != nil {
				return err
			}
		}
		ver, err = s.publishAs(tx, actor, KindDeregistrationDecision, ent, today, body)
		if err != nil || in.Outcome != DeregistrationGranted {
			return err
		}
		_, err = s.AmendTx(tx, actor, ent.Registration, Amendment{Reason: "简易注销 " + in.DocumentNo, Fields: map[string]any{"status": statusDeregistered}})
		return err
	})
	return ver, err
}

// mayDeregister checks a grant: the notice period over without objections, and the
// conditions met on the day.
func (s *core) mayDeregister(tx Tx, ent *Enterprise, d *deregistration, today calendar.Date) error {
	if d.open() {
		if to := stringField(d.notice.Body, "notice_to"); today.String() <= to {
			return &Error{Code: ECONFLICT, Field: "outcome", Message: fmt.Sprintf("the notice runs until %s (%s)", to, stringField(d.notice.Body, "notice_policy")), Fix: "decide after the notice period"}
		}
		if d.objections > 0 {
			return &Error{Code: ECONFLICT, Field: "outcome", Message: fmt.Sprintf("%d objection(s) were made during the notice", d.objections), Fix: "refuse, giving the objection as the reason; the enterprise may deregister by the ordinary procedure"}
		}
	}
	return s.checkBars(tx, ent, today)
}

// checkBars returns an ECONFLICT naming every bar to simplified deregistration on a day.
func (s *core) checkBars(tx Tx, ent *Enterprise, on calendar.Date) error {
	bars, err := s.DeregistrationBars(tx, ent, on)
	switch {
	case err != nil:
		return err
	case len(bars) > 0:
		return &Error{Code: ECONFLICT, Field: "code", Message: "simplified deregistration does not apply: " + strings.Join(bars, "; "),
			Fix: "clear these first (removal from the list, the pledge or mortgage cancelled, the freeze lifted, the branches deregistered), then apply again (SAMR 2021-45)"}
	}
	return nil
}

// deregistrable returns the enterprise of code if actor may publish records of kind k
// about it and it is not deregistered already.
func (s *core) deregistrable(tx Tx, actor *Account, k *Kind, code string) (*Enterprise, error) {
	ent, err := tx.EnterpriseByCode(code)
	if err != nil {
		return nil, err
	}
	if err := MayPublish(actor, k, ent); err != nil {
		return nil, err
	}
	if ent.Status == statusDeregistered {
		return nil, &Error{Code: ECONFLICT, Field: "code", Message: ent.USCC.String() + " is deregistered", Fix: "nothing to do"}
	}
	return ent, nil
}

// publishAs publishes a new record of kind k about ent from a normalised body.
func (s *core) publishAs(tx Tx, actor *Account, k *Kind, ent *Enterprise, arose calendar.Date, body map[string]any) (*Version, error) {
	if err := k.check(body, ent, calendar.DateOf(tx.Now())); err != nil {
		return nil, prefixField(err, "fields")
	}
	salt := newSalt()
	id, err := tx.NewRecord(k.Name, ent.USCC.String(), salt)
	if err != nil {
		return nil, err
	}
	return s.seal(tx, actor, k, ent, id, salt, arose, body, "", nil)
}
