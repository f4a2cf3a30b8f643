package gongshi

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// Credit repair (信用修复) of a penalty (市场监督管理信用修复管理办法, 国市监信规〔2021〕3号, Art. 6,
// in force 1 September 2021): a penalty shown at least 6 months (food, drugs and special
// equipment: 1 year; policy repair.penalty.after[.special]) stops being shown early, on the
// enterprise's application, when it has fulfilled the penalty's obligations, removed its
// harmful effects, has not been penalised again for the same kind of violation, and is on
// no list. A warning, a circulated criticism or a small fine is shown 3 months anyway and
// is not repaired. Before the measures a penalty was shown its full period (SAMR Order 45),
// so an application then is refused, naming that. The decision is a published record; a
// granted one withdraws the penalty from public view as its display's end would.

// Credit-repair outcomes.
const (
	RepairGranted = "repaired" // 准予信用修复
	RepairRefused = "refused"  // 不予信用修复
)

// KindCreditRepair is the decision on an application for credit repair of a penalty.
var KindCreditRepair = defineKind(&Kind{
	Name: "credit_repair", Label: "信用修复决定", Article: "SAMR Repair Art. 6 (国市监信规〔2021〕3号)",
	Publishers: []Role{RoleRegulator},
	Fields: []Field{
		{Name: "penalty", Label: "所涉行政处罚记录", Type: TypeText, Required: true},
		{Name: "penalty_no", Label: "行政处罚决定书文号", Type: TypeText, Required: true, Text: TextDocumentNo},
		{Name: "applied", Label: "申请日期", Type: TypeDate, Required: true},
		{Name: "outcome", Label: "结果", Type: TypeEnum, Required: true, Enum: []string{RepairGranted, RepairRefused}},
		{Name: "eligible_from", Label: "可申请修复日期", Type: TypeDate, Future: true},
		{Name: "eligibility_policy", Label: "修复条件依据", Type: TypeText},
		{Name: "unmet", Label: "不符合的条件", Type: TypeText, Text: TextMultiline},
		{Name: "authority", Label: "决定机关", Type: TypeText, Required: true},
		{Name: "document_no", Label: "决定书文号", Type: TypeText, Required: true, Text: TextDocumentNo},
	},
	Hooks: Hooks{Route: "POST /api/v1/enterprises/{code}/credit-repairs"},
})

// CreditRepairApplication is an enterprise's application for credit repair of a penalty, as
// the regulator that decided the penalty records it with what it verified.
type CreditRepairApplication struct {
	Penalty string `json:"penalty"` // the penalty's record id
	// Special is true for a penalty in the food, drug or special-equipment field.
	Special bool `json:"special,omitempty"`
	// ObligationsFulfilled: the penalty's obligations fulfilled (罚款已缴纳等); HarmRemoved:
	// its harmful effects and bad influence removed — both as verified.
	ObligationsFulfilled bool   `json:"obligations_fulfilled"`
	HarmRemoved          bool   `json:"harm_removed"`
	DocumentNo           string `json:"document_no"`
}

// RepairCredit decides an application: granted when every condition holds, refused naming
// those that do not. A granted repair withdraws the penalty from public view.
func (s *Registry) RepairCredit(ctx context.Context, actor *Account, code string, in CreditRepairApplication) (ver *Version, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		ent, err := tx.EnterpriseByCode(code)
		if err != nil {
			return err
		}
		if err := MayPublish(actor, KindCreditRepair, ent); err != nil {
			return err
		}
		vs, err := tx.Versions(strings.TrimSpace(in.Penalty))
		if err != nil || vs[0].Kind != KindPenalty.Name || vs[0].Subject != ent.USCC.String() {
			return Invalid("penalty", fmt.Sprintf("no penalty %q of this enterprise", in.Penalty), "give the record id of one of its penalties")
		}
		pen := vs[len(vs)-1]
		if b, _ := pen.Body["minor"].(bool); b {
			return Invalid("penalty", "a circulated criticism or small fine is shown 3 months and is not repaired (SAMR Repair Art. 6)", "wait for its display to end")
		}
		today := calendar.DateOf(tx.Now())
		fields := map[string]any{"penalty": pen.Record, "penalty_no": stringField(pen.Body, "decision_no"), "applied": today.String(),
			"authority": actor.Name, "document_no": in.DocumentNo}
		unmet, err := s.repairUnmet(tx, ent, vs, in, today, fields)
		if err != nil {
			return err
		}
		if ver, err = s.publishApplicationDecision(tx, actor, KindCreditRepair, ent, today, fields, unmet, RepairGranted, RepairRefused); err != nil || len(unmet) > 0 {
			return err
		}
		if _, err := s.withdrawTx(tx, actor, ent, map[string]any{"record": pen.Record, "record_kind": KindPenalty.Name,
			"reason": fmt.Sprintf("信用修复，提前停止公示（%s）", in.DocumentNo)}); err != nil {
			return err
		}
		// The sweep does not withdraw it again at its display's end; the row names this
		// decision, from which the audit remakes it (project.go).
		return tx.PutDecided("withdrawal", pen.Record, "", ver.Record, today)
	})
	return ver, err
}

// repairUnmet returns the conditions of Art. 6 a repair of the penalty (vs) does not meet
// on today, and sets the eligibility the policy gives in fields.
func (s *core) repairUnmet(tx Tx, ent *Enterprise, vs []*Version, in CreditRepairApplication, today calendar.Date, fields map[string]any) ([]string, error) {
	published := calendar.DateOf(vs[0].PublishedAt)
	id := "repair.penalty.after"
	if in.Special {
		id = "repair.penalty.after.special"
	}
	var unmet []string
	e, err := s.Rules.Entry(id, today)
	switch {
	case errors.Is(err, policy.ErrNoEntry):
		unmet = append(unmet, fmt.Sprintf("%s申请：《市场监督管理信用修复管理办法》2021-09-01施行前，行政处罚信息不予信用修复，公示期满方停止公示（《市场监督管理行政处罚信息公示规定》）", today))
	case err != nil:
		return nil, err
	default:
		from := monthsOrYearsAfter(e, published)
		fields["eligible_from"], fields["eligibility_policy"] = from.String(), e.Ref()
		if today.Before(from) {
			unmet = append(unmet, fmt.Sprintf("%s起公示，%s起方可申请信用修复（%s）", published, from, e.Ref()))
		}
	}
	if !in.ObligationsFulfilled {
		unmet = append(unmet, "未履行行政处罚决定规定的义务")
	}
	if !in.HarmRemoved {
		unmet = append(unmet, "未消除危害后果和不良影响")
	}
	recs, err := tx.RecordsOf(ent.USCC.String(), KindPenalty.Name)
	if err != nil {
		return nil, err
	}
	violation := stringField(vs[len(vs)-1].Body, "violation")
	for _, r := range recs {
		if r[0].Record != vs[0].Record && r[0].PublishedAt.After(vs[0].PublishedAt) && stringField(r[len(r)-1].Body, "violation") == violation {
			unmet = append(unmet, fmt.Sprintf("因同一违法行为（%s）再次受到行政处罚（%s）", violation, stringField(r[len(r)-1].Body, "decision_no")))
		}
	}
	entries, err := tx.EntriesOfTx(ent.USCC.String())
	if err != nil {
		return nil, err
	}
	for _, le := range entries {
		if le.Active(today) {
			unmet = append(unmet, fmt.Sprintf("自%s起被列入%s（%s）", le.Since, listNames[le.List], le.DocumentNo))
		}
	}
	return unmet, nil
}

// publishApplicationDecision publishes the decision of kind k on an application: outcome
// granted when no condition is unmet, otherwise refused with unmet naming each.
func (s *core) publishApplicationDecision(tx Tx, actor *Account, k *Kind, ent *Enterprise, today calendar.Date, fields map[string]any, unmet []string, granted, refused string) (*Version, error) {
	fields["outcome"] = granted
	if len(unmet) > 0 {
		fields["outcome"], fields["unmet"] = refused, strings.Join(unmet, "；")
	}
	body, err := k.Normalize(fields)
	if err != nil {
		return nil, err
	}
	return s.publishAs(tx, actor, k, ent, today, body)
}

// monthsOrYearsAfter is the day the period of entry e, in months or years, ends after d
// (the corresponding day: Civil Code Art. 202).
func monthsOrYearsAfter(e policy.Entry, d calendar.Date) calendar.Date {
	if e.Unit == policy.Years {
		return d.AddYears(e.Amount)
	}
	return d.AddMonths(e.Amount)
}
