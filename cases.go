package gongshi

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// Cases (Art. 12, 13; SPEC §7): reports that disclosed information is false (举报), inquiries
// about disclosed information (询问) and requests to correct it (更正申请). Each is answered in
// writing within the policy's period (20 working days of receipt), and moves
// received → in_review → answered → closed. Anyone may file one; anyone may look up a case's
// state by its number; its content and the person who filed it are seen only by the
// regulator in scope (MaySeeCase) — never by the enterprise concerned, never in a document.
// The answer to a report or a correction request is published as a case_answer record
// about the enterprise; an inquiry's answer goes to the inquirer only.

// Case kinds.
const (
	CaseReport     = "report"
	CaseInquiry    = "inquiry"
	CaseCorrection = "correction_request"
)

// Case states.
const (
	CaseReceived = "received"
	CaseInReview = "in_review"
	CaseAnswered = "answered"
	CaseClosed   = "closed"
)

// Case outcomes, by kind.
var caseOutcomes = map[string][]string{
	CaseReport:     {"unfounded", OutcomeFalse, "other_handling"},
	CaseInquiry:    {"answered"},
	CaseCorrection: {"corrected", "refused"},
}

// CaseForm is what someone files. Fields are checked by caseFormKind, so errors name the
// field and the fix as record bodies do.
type CaseForm struct {
	Kind       string         `json:"kind"`
	Enterprise string         `json:"enterprise,omitempty"` // required for reports and correction requests
	Division   string         `json:"division,omitempty"`   // for an inquiry about no one enterprise
	Record     string         `json:"record,omitempty"`     // the record concerned, if one
	Subject    string         `json:"subject"`
	Content    string         `json:"content"`
	Evidence   []any          `json:"evidence,omitempty"`
	Person     map[string]any `json:"person"`
}

// caseFormKind validates a case form; it is not a published kind.
var caseFormKind = &Kind{Name: "case_form", Fields: []Field{
	{Name: "kind", Type: TypeEnum, Required: true, Enum: []string{CaseReport, CaseInquiry, CaseCorrection}, Label: "类型"},
	{Name: "subject", Type: TypeText, Required: true, Label: "事由"},
	{Name: "content", Type: TypeText, Required: true, Label: "内容", Text: TextMultiline},
	{Name: "evidence", Type: TypeList, Label: "证据", Fields: []Field{
		{Name: "description", Type: TypeText, Required: true, Label: "说明"},
		{Name: "url", Type: TypeURL, Label: "链接"},
	}},
	{Name: "person", Type: TypeObject, Required: true, Label: "提出人", Visibility: Personal, Fields: []Field{
		{Name: "name", Type: TypeText, Required: true, Label: "姓名", Visibility: Personal, Text: TextPersonName},
		{Name: "id_number", Type: TypeIDNo, Label: "身份证件号码", Visibility: Personal},
		{Name: "phone", Type: TypePhone, Label: "电话", Visibility: Personal},
		{Name: "email", Type: TypeEmail, Label: "电子邮箱", Visibility: Personal},
		{Name: "address", Type: TypeText, Label: "通讯地址", Visibility: Personal},
	}},
}}

// KindCaseAnswer is the published written answer to a report or a correction request
// (Art. 12, 13). Published only through POST /api/v1/cases/{number}/answer.
var KindCaseAnswer = defineKind(&Kind{
	Name: "case_answer", Label: "举报及更正申请处理结果", Article: "Art. 12, 13",
	Publishers: []Role{RoleRegulator, RoleDepartment},
	Hooks:      Hooks{Route: "POST /api/v1/cases/{number}/answer", Dates: caseAnswerDates},
	Fields: []Field{
		{Name: "case", Label: "案件编号", Type: TypeText, Required: true},
		{Name: "case_kind", Label: "类型", Type: TypeEnum, Required: true, Enum: []string{CaseReport, CaseCorrection}},
		{Name: "received", Label: "受理日期", Type: TypeDate, Required: true},
		{Name: "due", Label: "答复期限", Type: TypeDate, Required: true, Future: true},
		{Name: "answered", Label: "答复日期", Type: TypeDate, Required: true},
		{Name: "outcome", Label: "处理结果", Type: TypeEnum, Required: true, Enum: []string{"unfounded", OutcomeFalse, "other_handling", "corrected", "refused"}},
		{Name: "answer", Label: "书面答复", Type: TypeText, Required: true, Text: TextMultiline},
	},
})

// caseAnswerDates sets an answer's due date: Art. 13: 20 working days after the case was
// received (policy.Rules.CaseDue).
func caseAnswerDates(r policy.Rules, body map[string]any) (map[string]policy.Due, error) {
	received, err := calendar.ParseDate(fmt.Sprint(body["received"]))
	if err != nil {
		return nil, fmt.Errorf("received: %w", err)
	}
	due, err := r.CaseDue(policyCaseKind(fmt.Sprint(body["case_kind"])), received)
	if err != nil {
		return nil, err
	}
	body["due"] = due.Date.String()
	return map[string]policy.Due{"fields.due": due}, nil
}

// Case is a tracked case.
type Case struct {
	Number         string `json:"number"` // J<year>-<division>-<seq>
	Kind           string `json:"kind"`
	State          string `json:"state"`
	Enterprise     string `json:"enterprise,omitempty"`
	EnterpriseName string `json:"enterprise_name,omitempty"`
	Division       string `json:"division"`
	Record         string `json:"record,omitempty"`
	// Handler is the department account a case about one of its records is routed to
	// (Art. 12: a department corrects its own records); empty for the regulator's cases.
	Handler  string `json:"handler,omitempty"`
	Subject  string `json:"subject"`
	Received string `json:"received"`
	Due      string `json:"due"`
	Policy   string `json:"policy"`
	Overdue  bool   `json:"overdue"`
	// Provisional is set while the due date awaits a year's working-day schedule.
	Provisional   *ProvisionalDates `json:"provisional,omitempty"`
	ReceivedAt    time.Time         `json:"received_at"`
	ReviewedAt    *time.Time        `json:"reviewed_at,omitempty"`
	AnsweredAt    *time.Time        `json:"answered_at,omitempty"`
	ClosedAt      *time.Time        `json:"closed_at,omitempty"`
	Outcome       string            `json:"outcome,omitempty"`
	Answer        string            `json:"answer,omitempty"`
	AnsweredBy    *Authority        `json:"answered_by,omitempty"`
	AnswerVersion *Version          `json:"answer_version,omitempty"`
	Content       string            `json:"content,omitempty"`
	Evidence      []any             `json:"evidence,omitempty"`
	Person        map[string]any    `json:"person,omitempty"`
	// Check is the case's check code, in the filer's answer only (casecheck.go); CheckHash
	// is what the store keeps of it.
	Check     string `json:"check,omitempty"`
	CheckHash string `json:"-"`
}

// CaseAnswer is a regulator's written answer.
type CaseAnswer struct {
	Outcome string `json:"outcome"`
	Answer  string `json:"answer"`
}

// FileCase files a case (anyone, anonymous included) and returns it with its number and
// due date.
func (s *Cases) FileCase(ctx context.Context, in CaseForm) (c *Case, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		c, err = s.FileCaseTx(tx, in)
		return err
	})
	return c, err
}

// FileCaseTx is FileCase inside a write transaction.
func (s *Cases) FileCaseTx(tx Tx, in CaseForm) (*Case, error) {
	form := map[string]any{"kind": in.Kind, "subject": in.Subject, "content": in.Content}
	if in.Evidence != nil {
		form["evidence"] = in.Evidence
	}
	if in.Person != nil {
		form["person"] = in.Person
	}
	body, err := caseFormKind.Normalize(form)
	if err != nil {
		return nil, err
	}
	person, kind := objectField(body, "person"), stringField(body, "kind")
	if person["phone"] == nil && person["email"] == nil && person["address"] == nil {
		return nil, Invalid("person", "no way to send the written answer", "give a phone, an e-mail address or a postal address")
	}
	if kind == CaseReport && person["id_number"] == nil {
		return nil, Invalid("person.id_number", "a report names its reporter (Art. 13)", "give your identity document number; it is never made public")
	}
	c := &Case{Kind: kind, State: CaseReceived, Subject: stringField(body, "subject"), Content: stringField(body, "content"),
		Person: person, ReceivedAt: tx.Now(), Record: strings.TrimSpace(in.Record)}
	if ev, ok := body["evidence"].([]any); ok {
		c.Evidence = ev
	}
	switch {
	case in.Enterprise != "":
		ent, err := tx.EnterpriseByCode(in.Enterprise)
		if err != nil {
			return nil, asField(err, "enterprise")
		}
		c.Enterprise, c.EnterpriseName, c.Division = ent.USCC.String(), ent.Name, ent.Division
	case kind != CaseInquiry:
		return nil, Invalid("enterprise", "is required for "+withArticle(kind), "give the USCC or registration number of the enterprise concerned")
	case len(in.Division) == 6 && strings.Trim(in.Division, "0123456789") == "":
		c.Division = in.Division
	default:
		return nil, Invalid("division", "an inquiry names an enterprise or a division", "give the enterprise's code, or the 6-digit division of the department asked")
	}
	if c.Record != "" {
		vs, err := tx.Versions(c.Record)
		if err != nil || vs[0].Subject != c.Enterprise {
			return nil, Invalid("record", fmt.Sprintf("no record %q of this enterprise", c.Record), "give a record id from the enterprise's page, or leave it out")
		}
		if p := vs[0].Publisher; p.Role == RoleDepartment {
			c.Handler = p.Account // with the same deadlines (CaseDue) as the regulator's
		}
	}
	received := calendar.DateOf(tx.Now())
	due, err := s.Rules.CaseDue(policyCaseKind(kind), received)
	if err != nil {
		return nil, err
	}
	c.Received = received.String()
	c.dated(due)
	prefix := fmt.Sprintf("J%d-%s-", received.Year(), c.Division)
	seq, err := tx.NextNumber(CaseNumbers, prefix)
	if err != nil {
		return nil, err
	}
	c.Number = fmt.Sprintf("%s%06d", prefix, seq)
	c.Check = newCheckCode()
	c.CheckHash = hashCheckCode(c.Check)
	if err := tx.CreateCase(c); err != nil {
		return nil, err
	}
	return c, awaitIfProvisional(tx, ProvisionalCase, c.Number, c.Provisional)
}

// dated sets the case's due date.
func (c *Case) dated(due policy.Due) {
	c.Due, c.Policy, c.Provisional = due.Date.String(), due.Entry.Ref(), ProvisionalOf(due.Uncovered, "due")
}

func policyCaseKind(k string) policy.CaseKind {
	switch k {
	case CaseReport:
		return policy.Report
	case CaseInquiry:
		return policy.Inquiry
	}
	return policy.CorrectionRequest
}

// Case returns a case by number as viewer may see it. Who handles it (MaySeeCase) sees all of
// it. Anyone else needs the case's check code, given to the filer (casecheck.go), and then
// sees its kind, subject, state, dates and answer, never its content, evidence or the person
// who filed it. Without the right code the case is not found, exactly as a number that
// does not exist, so that nobody can list who was reported, for what.
func (s *Cases) Case(ctx context.Context, viewer *Account, number, check string) (*Case, error) {
	number = strings.TrimSpace(number)
	c, err := s.Store.Case(ctx, number)
	if ErrorCode(err) == ENOTFOUND || err == nil && !MaySeeCase(viewer, c) && !c.checkMatches(check) {
		return nil, &Error{Code: ENOTFOUND, Field: "check", Message: fmt.Sprintf("no case %q with this check code", number),
			Fix: "give the case number and the check code as given when the case was filed, e.g. J2026-310115-000123 and 7KQ3-M9XD-4HTW"}
	}
	if err != nil {
		return nil, err
	}
	s.presentCase(viewer, c)
	return c, nil
}

// presentCase hides what viewer may not see: the content, evidence and filer but to who
// handles the case. An inquiry's answer goes to the inquirer only, who holds the check
// code; a report's or a correction's is published.
func (s *Cases) presentCase(viewer *Account, c *Case) {
	c.Overdue = c.AnsweredAt == nil && overdue(c.Due, c.Provisional, calendar.DateOf(s.Clock.Now()))
	c.CheckHash = ""
	if MaySeeCase(viewer, c) {
		return
	}
	c.Content, c.Evidence, c.Person = "", nil, nil
}

// CaseQueue is the queue of the cases actor handles (MayHandleCase) by due date, open ones
// only unless all, each saying whether it is overdue: a regulator's, of its jurisdiction
// and not routed to a department; a department's, about its own records; everything for
// an administrator.
func (s *Cases) CaseQueue(ctx context.Context, actor *Account, all bool) ([]*Case, error) {
	q := CaseQueueQuery{Open: !all, Limit: 1000}
	switch actor.Role {
	case RoleAdmin:
		q.Handler = "*"
	case RoleRegulator:
		q.Prefix = JurisdictionPrefix(actor.Jurisdiction)
	case RoleDepartment:
		q.Handler = actor.ID
	default:
		return nil, Errorf(EFORBIDDEN, "the case queue is for regulators and departments")
	}
	cs, err := s.Store.CaseQueue(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		s.presentCase(actor, c)
	}
	return cs, nil
}

// ReviewCase moves a received case into review.
func (s *Cases) ReviewCase(ctx context.Context, actor *Account, number string) (*Case, error) {
	return s.updateCase(ctx, actor, number, func(tx Tx, c *Case) error {
		if c.State != CaseReceived {
			return Errorf(ECONFLICT, "case %s is %s, not received", c.Number, c.State)
		}
		now := tx.Now()
		c.State, c.ReviewedAt = CaseInReview, &now
		return nil
	})
}

// AnswerCase records the written answer. A report or correction request's answer is
// published as a case_answer record; a report found true is listing ground 3 (SPEC §8).
func (s *Cases) AnswerCase(ctx context.Context, actor *Account, number string, in CaseAnswer) (*Case, error) {
	return s.updateCase(ctx, actor, number, func(tx Tx, c *Case) error {
		if c.State != CaseReceived && c.State != CaseInReview {
			return Errorf(ECONFLICT, "case %s is already %s", c.Number, c.State)
		}
		answer := strings.TrimSpace(in.Answer)
		if answer == "" {
			return Invalid("answer", "is required", "write the answer to send (Art. 13: in writing)")
		}
		if !contains(caseOutcomes[c.Kind], in.Outcome) {
			return Invalid("outcome", "unknown outcome "+quote(in.Outcome)+" for "+withArticle(c.Kind), "use one of "+joinQuoted(caseOutcomes[c.Kind]))
		}
		now := tx.Now()
		by := actor.Authority()
		c.State, c.AnsweredAt, c.AnsweredBy, c.Answer, c.Outcome = CaseAnswered, &now, &by, answer, in.Outcome
		if c.ReviewedAt == nil {
			c.ReviewedAt = &now
		}
		if c.Kind == CaseInquiry || c.Enterprise == "" {
			return nil
		}
		ent, err := tx.EnterpriseByCode(c.Enterprise)
		if err != nil {
			return err
		}
		today := calendar.DateOf(now).String()
		body, err := KindCaseAnswer.Normalize(map[string]any{"case": c.Number, "case_kind": c.Kind, "received": c.Received,
			"due": c.Due, "answered": today, "outcome": c.Outcome, "answer": answer})
		if err != nil {
			return err
		}
		salt := newSalt()
		id, err := tx.NewRecord(KindCaseAnswer.Name, ent.USCC.String(), salt)
		if err != nil {
			return err
		}
		v, err := s.seal(tx, actor, KindCaseAnswer, ent, id, salt, calendar.DateOf(now), body, "", nil)
		if err != nil {
			return err
		}
		v.Fields = body
		c.AnswerVersion = v
		if c.Outcome == OutcomeFalse {
			return tx.AddListingGround(&ListingGround{Enterprise: ent.USCC.String(), Ground: GroundFalseInformation, Arose: today,
				Source: "case", SourceRef: c.Number, Record: id, Authority: actor.Jurisdiction, CreatedAt: now})
		}
		return nil
	})
}

// CloseCase closes an answered case.
func (s *Cases) CloseCase(ctx context.Context, actor *Account, number string) (*Case, error) {
	return s.updateCase(ctx, actor, number, func(tx Tx, c *Case) error {
		if c.State != CaseAnswered {
			return Errorf(ECONFLICT, "case %s is %s; a case is closed once answered", c.Number, c.State)
		}
		now := tx.Now()
		c.State, c.ClosedAt = CaseClosed, &now
		return nil
	})
}

func (s *Cases) updateCase(ctx context.Context, actor *Account, number string, fn func(Tx, *Case) error) (c *Case, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		c, err = tx.CaseForUpdate(strings.TrimSpace(number))
		if err != nil {
			return err
		}
		if err := MayHandleCase(actor, c); err != nil {
			return err
		}
		if err := fn(tx, c); err != nil {
			return err
		}
		return tx.UpdateCase(c)
	})
	if err != nil {
		return nil, err
	}
	s.presentCase(actor, c)
	return c, nil
}
