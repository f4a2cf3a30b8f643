package gongshi

import (
	"context"
	"fmt"
	"strings"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// KindWithdrawal is the withdrawal of a record from public view (撤下公示): a penalty whose
// display period ended (SAMR Order 45; SPEC §4), or a record a court ordered redacted (SPEC
// §9). Its documents answer 410 Gone with the reason from then on, and only regulators read
// them; their leaves stay in the log. The withdrawal is itself a published record, so that
// what the public sees is what the log says, and the change feed carries it.
var KindWithdrawal = defineKind(&Kind{
	Name: "withdrawal", Label: "撤下公示信息", Article: "SAMR Order 45",
	Publishers: []Role{RoleRegulator},
	Fields: []Field{
		{Name: "record", Label: "所涉记录", Type: TypeText, Required: true},
		{Name: "record_kind", Label: "所涉记录类型", Type: TypeText, Required: true},
		// The page section the record stands in (its publisher's side), so that a record
		// withdrawn from its first version stays where it was: its own documents no longer
		// say.
		{Name: "record_section", Label: "所涉记录栏目", Type: TypeEnum, Enum: []string{string(SectionRegistration), string(SectionEnterprise), string(SectionDepartment), string(SectionJudicial)}},
		{Name: "reason", Label: "撤下原因", Type: TypeText, Required: true},
		{Name: "display_end", Label: "公示期届满日期", Type: TypeDate},
		{Name: "display_policy", Label: "公示期依据", Type: TypeText},
	},
	Hooks: Hooks{
		Route: "the sweep (penalty_withdrawals)",
		// A record leaves public view the day after the last day of its display period; an
		// order to redact has no deadline of the register's.
		Deadline: func(r policy.Rules, body map[string]any, _ *Enterprise) (policy.Due, error) {
			end, err := calendar.ParseDate(stringField(body, "display_end"))
			if err != nil {
				return policy.Due{}, policy.ErrNoEntry
			}
			e, err := r.Table.ByRef(stringField(body, "display_policy"))
			return policy.Due{Date: end.AddDays(1), Entry: e}, err
		},
	},
})

// withdrawDisplayEnded publishes the withdrawal of record rec (of kind, about ent) whose
// display period, under policy entry ref, ended on end.
func (s *core) withdrawDisplayEnded(tx Tx, ent *Enterprise, rec, kind string, end calendar.Date, ref string) (*Version, error) {
	reason := fmt.Sprintf("行政处罚信息公示期已于%s届满（《市场监督管理行政处罚信息公示规定》）", end)
	return s.withdrawTx(tx, sweepAuthority(ent), ent, map[string]any{"record": rec, "record_kind": kind, "reason": reason,
		"display_end": end.String(), "display_policy": ref})
}

// Withdraw withdraws a record from public view on an order to redact it (SPEC §9), which
// an administrator carries out: a published withdrawal naming the reason.
func (s *Registry) Withdraw(ctx context.Context, actor *Account, recordID, reason string) (v *Version, err error) {
	if actor == nil || actor.Role != RoleAdmin {
		return nil, Errorf(EFORBIDDEN, "an administrator withdraws a record on an order to redact it")
	}
	if strings.TrimSpace(reason) == "" {
		return nil, Invalid("reason", "is required", "name the order to redact and its reason")
	}
	err = s.Store.Write(ctx, func(tx Tx) error {
		vs, err := tx.Versions(recordID)
		if err != nil {
			return err
		}
		ent, err := tx.EnterpriseByCode(vs[0].Subject)
		if err != nil {
			return err
		}
		v, err = s.withdrawTx(tx, actor, ent, map[string]any{"record": recordID, "record_kind": vs[0].Kind, "reason": reason})
		return err
	})
	return v, err
}

// withdrawTx publishes a withdrawal with the given fields and withdraws the documents of
// the record it names.
func (s *core) withdrawTx(tx Tx, actor *Account, ent *Enterprise, fields map[string]any) (*Version, error) {
	vs, err := tx.Versions(stringField(fields, "record"))
	if err != nil {
		return nil, err
	}
	fields["record_section"] = string(sectionOf(&Record{Versions: vs}))
	body, err := KindWithdrawal.Normalize(fields)
	if err != nil {
		return nil, err
	}
	salt := newSalt()
	id, err := tx.NewRecord(KindWithdrawal.Name, ent.USCC.String(), salt)
	if err != nil {
		return nil, err
	}
	v, err := s.seal(tx, actor, KindWithdrawal, ent, id, salt, calendar.DateOf(tx.Now()), body, "", nil)
	if err != nil {
		return nil, err
	}
	_, err = tx.Withdraw(stringField(body, "record"), v.PublishedAt, stringField(body, "reason"))
	return v, err
}
