package gongshi

import (
	"fmt"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// Judicial assistance (司法协助): a people's court publishes on the register the notices by
// which it has the registration authority freeze a shareholder's equity in an enterprise,
// lift a freeze, or transfer the equity compulsorily (最高人民法院 国家工商总局关于加强信息合作规范
// 执行与协助执行的通知, 法〔2014〕251号, §1.2: courts publish such information on the
// register themselves). The notices stand on the enterprise's page in their own section;
// equity frozen bars simplified deregistration (deregistration.go).

// Judicial notice types.
const (
	JudicialFreeze   = "freeze"   // 股权冻结
	JudicialUnfreeze = "unfreeze" // 解除冻结
	JudicialTransfer = "transfer" // 股权强制转让（股东变更）
)

// KindJudicialAssistance is a court's notice about a shareholder's equity in the enterprise.
// 法〔2014〕251号 sets no publication period, so a notice has no deadline and is never late
// (an assumption: the notice is published when the court serves it).
var KindJudicialAssistance = defineKind(&Kind{
	Name: "judicial_assistance", Label: "司法协助信息（股权冻结、解除冻结、强制转让）", Article: "Art. 6; 法〔2014〕251号 §1.2",
	Publishers: []Role{RoleCourt},
	Fields: []Field{
		{Name: "notice", Label: "类型", Type: TypeEnum, Required: true, Enum: []string{JudicialFreeze, JudicialUnfreeze, JudicialTransfer}},
		{Name: "court", Label: "执行法院", Type: TypeText, Required: true, Text: TextPartyName},
		{Name: "document_no", Label: "协助执行通知书文号", Type: TypeText, Required: true, Text: TextDocumentNo},
		{Name: "ruling_no", Label: "执行裁定书文号", Type: TypeText, Text: TextDocumentNo},
		{Name: "shareholder", Label: "被执行人", Type: TypeText, Required: true, Text: TextPartyName},
		{Name: "shareholder_id_number", Label: "被执行人证件号码", Type: TypeIDNo, Visibility: Personal},
		{Name: "amount", Label: "股权数额（万元）", Type: TypeAmount, Required: true},
		{Name: "executed", Label: "执行日期", Type: TypeDate, Required: true},
		{Name: "freeze_from", Label: "冻结期限自", Type: TypeDate},
		{Name: "freeze_to", Label: "冻结期限至", Type: TypeDate, Future: true},
		// An unfreezing names the freeze it lifts by that notice's document number.
		{Name: "lifts", Label: "所解除冻结的通知书文号", Type: TypeText, Text: TextDocumentNo},
		{Name: "assignee", Label: "受让人", Type: TypeText, Text: TextPartyName},
	},
	Hooks: Hooks{
		Check: checkJudicial,
		Deadline: func(policy.Rules, map[string]any, *Enterprise) (policy.Due, error) {
			return policy.Due{}, fmt.Errorf("judicial assistance: %w", policy.ErrNoEntry)
		},
	},
})

// checkJudicial asks of each notice type the fields it needs.
func checkJudicial(body map[string]any, _ *Enterprise, _ calendar.Date) error {
	need := map[string][]string{
		JudicialFreeze:   {"freeze_from", "freeze_to"},
		JudicialUnfreeze: {"lifts"},
		JudicialTransfer: {"assignee"},
	}[stringField(body, "notice")]
	for _, n := range need {
		if body[n] == nil {
			return Invalid(n, "is required for a "+stringField(body, "notice")+" notice", "give it as the court's notice states it")
		}
	}
	if from, to := stringField(body, "freeze_from"), stringField(body, "freeze_to"); from != "" && to != "" && to < from {
		return Invalid("freeze_to", fmt.Sprintf("%s is before freeze_from %s", to, from), "give the last day of the freeze")
	}
	return nil
}

// FrozenEquity returns the freezes among a set of judicial-assistance records (each its
// versions, oldest first) in force on date on: not lifted by an unfreezing notice and not
// past their term.
func FrozenEquity(records [][]*Version, on calendar.Date) []map[string]any {
	lifted := map[string]bool{}
	for _, vs := range records {
		if b := vs[len(vs)-1].Body; stringField(b, "notice") == JudicialUnfreeze {
			lifted[stringField(b, "lifts")] = true
		}
	}
	var out []map[string]any
	for _, vs := range records {
		b := vs[len(vs)-1].Body
		if stringField(b, "notice") == JudicialFreeze && !lifted[stringField(b, "document_no")] && stringField(b, "freeze_to") >= on.String() {
			out = append(out, b)
		}
	}
	return out
}
