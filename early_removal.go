package gongshi

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// Credit repair of a serious listing: early removal (提前移出) from the serious-violation
// list (SAMR Order 44, in force 1 September 2021; policy list.serious.early). An enterprise
// listed at least the entry's time (1 year) that has fulfilled its obligations, removed the
// harmful effects and given no new ground since — no new listing, no heavier penalty (one
// not a warning, criticism or small fine) — is removed before the term ends, on its
// application, as the regulator verifies it. The entry is the one in force on the listing's
// day, as for the term: a listing made under the 2014 rules (Decree 654 Art. 17; SAIC Order
// 68) has no early removal, and an application is refused naming them. The decision is a
// published record; a granted one publishes the removal as a removal application granted
// would (serious_removal, through the same decision code), which ends the entry.
//
// An abnormal listing's credit repair (SAMR Repair Art. 5: removed once the ground is
// corrected) is the removal application of enforcement_cases.go, and a penalty's is
// RepairCredit (credit_repair.go).

// KindEarlyRemoval is the decision on an application for early removal from the serious list.
var KindEarlyRemoval = defineKind(&Kind{
	Name: "serious_early_removal", Label: "提前移出严重违法失信名单决定", Article: "SAMR Order 44 (2021); SAMR Repair (国市监信规〔2021〕3号)",
	Publishers: []Role{RoleRegulator},
	Fields: []Field{
		{Name: "listing", Label: "所涉列入严重违法失信名单决定", Type: TypeText, Required: true},
		{Name: "listing_no", Label: "列入决定书文号", Type: TypeText, Required: true, Text: TextDocumentNo},
		{Name: "listed", Label: "列入日期", Type: TypeDate, Required: true},
		{Name: "applied", Label: "申请日期", Type: TypeDate, Required: true},
		{Name: "outcome", Label: "结果", Type: TypeEnum, Required: true, Enum: []string{OutcomeRemoved, OutcomeRefused}},
		{Name: "eligible_from", Label: "可申请提前移出日期", Type: TypeDate, Future: true},
		{Name: "eligibility_policy", Label: "提前移出条件依据", Type: TypeText},
		{Name: "unmet", Label: "不符合的条件", Type: TypeText, Text: TextMultiline},
		{Name: "authority", Label: "决定机关", Type: TypeText, Required: true},
		{Name: "document_no", Label: "决定书文号", Type: TypeText, Required: true, Text: TextDocumentNo},
	},
	Hooks: Hooks{Route: "POST /api/v1/enterprises/{code}/early-removals"},
})

// EarlyRemovalApplication is an enterprise's application for early removal of a serious
// listing, as the regulator that decides it records it with what it verified.
type EarlyRemovalApplication struct {
	Entry string `json:"entry"` // the serious list entry's id
	// ObligationsFulfilled: the obligations of the decisions that led to the listing
	// fulfilled; HarmRemoved: their harmful effects and bad influence removed — as verified.
	ObligationsFulfilled bool   `json:"obligations_fulfilled"`
	HarmRemoved          bool   `json:"harm_removed"`
	DocumentNo           string `json:"document_no"`
}

// RemoveEarly decides an application for early removal: granted when every condition holds,
// refused naming those that do not. A granted one ends the serious listing at once.
func (s *Enforcement) RemoveEarly(ctx context.Context, actor *Account, code string, in EarlyRemovalApplication) (ver *Version, err error) {
	if err := cleanTexts(textInput{"entry", &in.Entry, TextLine}, textInput{"document_no", &in.DocumentNo, TextDocumentNo}); err != nil {
		return nil, err
	}
	docNo := strings.TrimSpace(in.DocumentNo)
	if docNo == "" {
		return nil, Invalid("document_no", "is required", "give the number of the written decision (决定书文号)")
	}
	err = s.Store.Write(ctx, func(tx Tx) error {
		ent, err := tx.EnterpriseByCode(strings.TrimSpace(code))
		if err != nil {
			return err
		}
		if err := MayPublish(actor, KindEarlyRemoval, ent); err != nil {
			return err
		}
		e, err := tx.ListEntryTx(strings.TrimSpace(in.Entry))
		if err != nil || e.USCC != ent.USCC.String() || e.List != ListSerious {
			return Invalid("entry", fmt.Sprintf("no serious listing %q of this enterprise", in.Entry), "give the id of its entry on the serious list, from GET /api/v1/enterprises/{code}/listings")
		}
		today := calendar.DateOf(tx.Now())
		if !e.Active(today) {
			return &Error{Code: ECONFLICT, Field: "entry", Message: fmt.Sprintf("entry %s is no longer in force (until %s, %s)", e.ID, e.Until, e.Ended), Fix: "nothing to remove"}
		}
		fields := map[string]any{"listing": e.ID, "listing_no": e.DocumentNo, "listed": e.Since, "applied": today.String(),
			"authority": actor.Name, "document_no": docNo}
		unmet, err := s.earlyRemovalUnmet(tx, ent, e, in, today, fields)
		if err != nil {
			return err
		}
		if ver, err = s.publishApplicationDecision(tx, actor, KindEarlyRemoval, ent, today, fields, unmet, OutcomeRemoved, OutcomeRefused); err != nil || len(unmet) > 0 {
			return err
		}
		v, err := s.publishDecision(tx, decision{kind: KindSeriousRemoval, ent: ent, actor: actor, list: e.List, ground: e.Ground,
			reason: fmt.Sprintf("信用修复，提前移出严重违法失信名单（%s）", docNo), period: e.Period, listing: e.ID,
			countedFrom: today, decided: today, extra: map[string]any{"outcome": OutcomeRemoved}})
		if err != nil {
			return err
		}
		if changed := applyDecision(map[string]*ListEntry{e.ID: e}, v); changed != nil {
			return tx.PutListEntry(changed)
		}
		return nil
	})
	return ver, err
}

// earlyRemovalUnmet returns the conditions an early removal of serious entry e does not
// meet on today, and sets the eligibility the policy gives in fields.
func (s *Enforcement) earlyRemovalUnmet(tx Tx, ent *Enterprise, e *ListEntry, in EarlyRemovalApplication, today calendar.Date, fields map[string]any) ([]string, error) {
	since, err := calendar.ParseDate(e.Since)
	if err != nil {
		return nil, err
	}
	var unmet []string
	rule, err := s.Rules.Entry("list.serious.early", since)
	switch {
	case errors.Is(err, policy.ErrNoEntry):
		term, err := s.Rules.SeriousAutomaticRemoval(since)
		if err != nil {
			return nil, err
		}
		unmet = append(unmet, fmt.Sprintf("%s依2014年的规定（《企业信息公示暂行条例》第十七条、《企业经营异常名录管理暂行办法》）列入，该规定无提前移出：期满移出日为%s（%s）", since, term.Date, term.Entry.Ref()))
	case err != nil:
		return nil, err
	default:
		from := monthsOrYearsAfter(rule, since)
		fields["eligible_from"], fields["eligibility_policy"] = from.String(), rule.Ref()
		if today.Before(from) {
			unmet = append(unmet, fmt.Sprintf("%s列入，%s起方可申请提前移出（%s）", since, from, rule.Ref()))
		}
	}
	if !in.ObligationsFulfilled {
		unmet = append(unmet, "未履行列入所涉决定规定的义务")
	}
	if !in.HarmRemoved {
		unmet = append(unmet, "未消除危害后果和不良影响")
	}
	entries, err := tx.EntriesOfTx(ent.USCC.String())
	if err != nil {
		return nil, err
	}
	for _, o := range entries {
		if o.ID != e.ID && o.Ended != EndCorrected && o.Since > e.Since {
			unmet = append(unmet, fmt.Sprintf("列入后又于%s被列入%s（%s）", o.Since, listNames[o.List], o.DocumentNo))
		}
	}
	pens, err := tx.RecordsOf(ent.USCC.String(), KindPenalty.Name)
	if err != nil {
		return nil, err
	}
	for _, vs := range pens {
		p := vs[len(vs)-1]
		if minor, _ := p.Body["minor"].(bool); !minor && stringField(p.Body, "decided") > e.Since {
			unmet = append(unmet, fmt.Sprintf("列入后又于%s受到行政处罚（%s）", stringField(p.Body, "decided"), stringField(p.Body, "decision_no")))
		}
	}
	return unmet, nil
}

// listNames are the lists' names in a decision's text.
var listNames = map[string]string{ListAbnormal: "经营异常名录", ListSerious: "严重违法失信名单", ListMarked: "经营异常状态"}
