package gongshi

import (
	"fmt"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// decisionFields are the fields of every enforcement decision (SPEC §8): a listing or
// removal decision records the enterprise (the version's subject), the date, the reason,
// the deciding authority, the document number, the policy entry applied (the version's
// policy and due) and the remedies (administrative review within 60 days, litigation
// within 6 months).
var decisionFields = []Field{
	{Name: "list", Label: "名录", Type: TypeEnum, Required: true, Enum: []string{ListAbnormal, ListSerious, ListMarked}},
	{Name: "ground", Label: "事由代码", Type: TypeInteger, Required: true},
	{Name: "reason", Label: "事由", Type: TypeText, Required: true, Text: TextMultiline},
	{Name: "basis", Label: "依据", Type: TypeText, Required: true},
	{Name: "authority", Label: "作出决定机关", Type: TypeText, Required: true},
	{Name: "document_no", Label: "决定书文号", Type: TypeText, Required: true, Text: TextDocumentNo},
	{Name: "decided", Label: "作出决定日期", Type: TypeDate, Required: true},
	{Name: "counted_from", Label: "期限起算日", Type: TypeDate, Required: true},
	{Name: "period", Label: "所涉年度或事项", Type: TypeText},
	{Name: "listing", Label: "所涉列入决定", Type: TypeText},
	{Name: "status", Label: "状态", Type: TypeEnum, Required: true, Enum: []string{"in_force", "void"}},
	{Name: "outcome", Label: "结果", Type: TypeEnum, Enum: []string{OutcomeRemoved, OutcomeRefused, OutcomeNotAccepted, OutcomeRejected, OutcomeUpheld, EndAutomatic}},
	{Name: "escalation_on", Label: "届满三年日期", Type: TypeDate, Future: true},
	{Name: "banned_person", Label: "受限人员", Type: TypeText, Text: TextPersonName},
	{Name: "ban_until", Label: "任职限制至", Type: TypeDate, Future: true},
	{Name: "objection_by", Label: "异议期限至", Type: TypeDate, Future: true},
	{Name: "review_by", Label: "申请行政复议期限至", Type: TypeDate, Future: true},
	{Name: "litigation_by", Label: "提起行政诉讼期限至", Type: TypeDate, Future: true},
	{Name: "remedies", Label: "救济途径", Type: TypeText, Text: TextMultiline},
}

// decisionKind defines an enforcement decision kind whose publication deadline comes
// from due applied to the decision's counted_from (and ground), and whose own dates are
// set by dates (enforcement_dates.go).
func decisionKind(name, label, article string, dates func(policy.Rules, map[string]any) (map[string]policy.Due, error),
	due func(r policy.Rules, ground int, from calendar.Date) (policy.Due, error)) *Kind {
	return defineKind(&Kind{
		Name: name, Label: label, Article: article, Publishers: []Role{RoleRegulator}, Fields: decisionFields,
		Hooks: Hooks{
			Route: "the enforcement routes (POST /api/v1/enforcement-cases/{id}/decision) or the sweep",
			Dates: dates,
			Deadline: func(r policy.Rules, body map[string]any, _ *Enterprise) (policy.Due, error) {
				from, err := calendar.ParseDate(fmt.Sprint(body["counted_from"]))
				if err != nil {
					return policy.Due{}, err
				}
				g, _ := body["ground"].(int64)
				return due(r, int(g), from)
			},
		},
	})
}

// The enforcement decision kinds.
var (
	KindAbnormalListing = decisionKind("abnormal_listing", "列入经营异常名录决定", "Art. 17; SAIC Order 68",
		listingDates,
		func(r policy.Rules, g int, from calendar.Date) (policy.Due, error) {
			return r.ListingDecisionDue(policy.Ground(g), from)
		})
	KindAbnormalRemoval = decisionKind("abnormal_removal", "移出经营异常名录决定", "SAIC Order 68; from 2021-09-01 also credit repair, SAMR Repair (国市监信规〔2021〕3号)",
		remedyDates,
		func(r policy.Rules, _ int, from calendar.Date) (policy.Due, error) { return r.RemovalDecisionDue(from) })
	KindAbnormalWarning = decisionKind("abnormal_warning", "列入经营异常名录届满三年预警", "SAIC Order 68",
		nil,
		func(r policy.Rules, _ int, from calendar.Date) (policy.Due, error) { return r.WarningDate(from) })
	KindAbnormalMarking = decisionKind("abnormal_marking", "标记为经营异常状态", "SAIC AR (individual businesses)",
		listingDates,
		func(r policy.Rules, g int, from calendar.Date) (policy.Due, error) {
			return r.ListingDecisionDue(policy.Ground(g), from)
		})
	KindMarkingRestoration = decisionKind("marking_restoration", "恢复正常记载状态", "SAIC AR (individual businesses); from 2021-09-01 also credit repair, SAMR Repair",
		remedyDates,
		func(r policy.Rules, _ int, from calendar.Date) (policy.Due, error) { return r.RestorationDue(from) })
	KindSeriousListing = decisionKind("serious_listing", "列入严重违法企业名单决定", "Art. 17",
		remedyDates,
		func(r policy.Rules, _ int, from calendar.Date) (policy.Due, error) { return r.SeriousListingDue(from) })
	KindSeriousRemoval = decisionKind("serious_removal", "移出严重违法企业名单决定", "SAIC Order 68",
		remedyDates,
		func(r policy.Rules, _ int, from calendar.Date) (policy.Due, error) {
			return r.SeriousRemovalDecisionDue(from)
		})
	// KindSeriousExpiry is the automatic removal after five years: due on the fifth
	// anniversary of the serious listing (counted_from).
	KindSeriousExpiry = decisionKind("serious_expiry", "严重违法企业名单期满移出", "SAIC Order 68",
		remedyDates,
		func(r policy.Rules, _ int, from calendar.Date) (policy.Due, error) {
			return r.SeriousAutomaticRemoval(from)
		})
	KindObjectionAnswer = decisionKind("objection_answer", "异议答复", "SAIC Order 68",
		remedyDates,
		func(r policy.Rules, _ int, from calendar.Date) (policy.Due, error) {
			acc, err := r.ObjectionAcceptDue(from)
			if err != nil {
				return policy.Due{}, err
			}
			return r.ObjectionVerifyDue(acc.Date)
		})
	KindRemovalAnswer = decisionKind("removal_answer", "不予移出决定", "SAIC Order 68",
		remedyDates,
		func(r policy.Rules, _ int, from calendar.Date) (policy.Due, error) { return r.RemovalDecisionDue(from) })
)

// listingKind is the kind of the decision putting an enterprise on the list it belongs
// on: an individual business is marked, never listed (SPEC §11).
func listingKind(ent *Enterprise) (*Kind, string) {
	if ent.Category == CategoryIndividual {
		return KindAbnormalMarking, ListMarked
	}
	return KindAbnormalListing, ListAbnormal
}

// groundReasons are the reason texts of the four grounds (SPEC §8).
var groundReasons = map[int]string{
	1: "未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告",
	2: "未在责令的期限内公示有关企业信息",
	3: "公示企业信息隐瞒真实情况、弄虚作假",
	4: "通过登记的住所或者经营场所无法联系",
}

var groundBasis = map[int]string{
	1: "《企业信息公示暂行条例》第十七条；《企业经营异常名录管理暂行办法》第四条",
	2: "《企业信息公示暂行条例》第十七条；《企业经营异常名录管理暂行办法》第五条",
	3: "《企业信息公示暂行条例》第十七条；《企业经营异常名录管理暂行办法》第六条",
	4: "《企业经营异常名录管理暂行办法》第七条",
}

// KindObjectionAcceptance is the written decision whether to accept an objection to a
// listing or marking (SAIC Order 68 Art. 13: within 5 working days of receiving it): an
// accepted one is verified and answered within 20 working days of the acceptance (its
// verify_by); one not accepted says why, in writing, and is open to review and litigation.
// It is published about the enterprise, so the objector sees it on its page and record.
var KindObjectionAcceptance = defineKind(&Kind{
	Name: "objection_acceptance", Label: "异议受理决定", Article: "SAIC Order 68 Art. 13",
	Publishers: []Role{RoleRegulator},
	Fields: []Field{
		{Name: "list", Label: "名录", Type: TypeEnum, Required: true, Enum: []string{ListAbnormal, ListMarked}},
		{Name: "listing", Label: "所涉列入决定", Type: TypeText, Required: true},
		{Name: "objection", Label: "异议申请编号", Type: TypeText, Required: true},
		{Name: "received", Label: "收到异议日期", Type: TypeDate, Required: true},
		{Name: "outcome", Label: "受理结果", Type: TypeEnum, Required: true, Enum: []string{OutcomeAccepted, OutcomeNotAccepted}},
		{Name: "reason", Label: "理由", Type: TypeText, Required: true, Text: TextMultiline},
		{Name: "basis", Label: "依据", Type: TypeText, Required: true},
		{Name: "authority", Label: "作出决定机关", Type: TypeText, Required: true},
		{Name: "document_no", Label: "通知书文号", Type: TypeText, Required: true, Text: TextDocumentNo},
		{Name: "decided", Label: "作出决定日期", Type: TypeDate, Required: true},
		{Name: "verify_by", Label: "核实答复期限至", Type: TypeDate, Future: true},
		{Name: "review_by", Label: "申请行政复议期限至", Type: TypeDate, Future: true},
		{Name: "litigation_by", Label: "提起行政诉讼期限至", Type: TypeDate, Future: true},
		{Name: "remedies", Label: "救济途径", Type: TypeText, Text: TextMultiline},
	},
	Hooks: Hooks{
		Route: "POST /api/v1/enforcement-cases/{id}/decision (outcome accepted or not_accepted)",
		Dates: acceptanceDates,
		Deadline: func(r policy.Rules, body map[string]any, _ *Enterprise) (policy.Due, error) {
			received, err := calendar.ParseDate(fmt.Sprint(body["received"]))
			if err != nil {
				return policy.Due{}, err
			}
			return r.ObjectionAcceptDue(received)
		},
	},
})

// objectionAcceptanceBasis is the article an acceptance decision applies.
const objectionAcceptanceBasis = "《企业经营异常名录管理暂行办法》第十三条"
