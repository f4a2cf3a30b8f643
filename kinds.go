package gongshi

// The record kinds of SPEC §4. Field names are the JSON contract of the API and of the
// published documents; labels are what pages show.

var person = []Field{
	{Name: "name", Label: "姓名", Type: TypeText, Required: true, Text: TextPersonName},
	{Name: "id_number", Label: "证件号码", Type: TypeIDNo, Visibility: Personal},
}

// KindRegistration is the enterprise's registration (注册登记) and every later change
// (变更登记, Art. 6). The enterprise's profile is the latest version of this record.
var KindRegistration = defineKind(&Kind{
	Name: "registration", Label: "登记信息", Article: "Art. 6",
	Publishers: []Role{RoleRegulator},
	Fields: []Field{
		// The registration number of an enterprise registered before the USCC (GS 15-2006);
		// it never changes.
		{Name: "registration_number", Label: "注册号", Type: TypeRegNo},
		{Name: "name", Label: "名称", Type: TypeText, Required: true, Text: TextEnterpriseName},
		{Name: "type", Label: "类型", Type: TypeEnum, Required: true, Enum: EnterpriseTypes},
		{Name: "legal_representative", Label: "法定代表人", Type: TypeObject, Required: true, Fields: person},
		{Name: "registered_capital", Label: "注册资本（万元）", Type: TypeAmount},
		{Name: "currency", Label: "币种", Type: TypeEnum, Enum: []string{"CNY", "USD", "EUR", "HKD", "JPY", "GBP"}},
		{Name: "established", Label: "成立日期", Type: TypeDate, Required: true},
		{Name: "term_to", Label: "营业期限至", Type: TypeDate, Future: true},
		{Name: "address", Label: "住所", Type: TypeText, Required: true},
		{Name: "scope", Label: "经营范围", Type: TypeText, Text: TextMultiline},
		// The section of GB/T 4754-2017 (industry.go), for draws by industry.
		{Name: "industry", Label: "行业门类", Type: TypeEnum, Enum: Industries},
		{Name: "status", Label: "登记状态", Type: TypeEnum, Required: true, Enum: EnterpriseStatuses},
		{Name: "shareholders", Label: "股东及出资", Type: TypeList, Fields: []Field{
			{Name: "name", Label: "股东", Type: TypeText, Required: true, Text: TextPartyName},
			{Name: "kind", Label: "股东类型", Type: TypeEnum, Required: true, Enum: []string{"natural_person", "legal_person", "other"}},
			{Name: "id_number", Label: "证件号码", Type: TypeIDNo, Visibility: Personal},
			{Name: "subscribed", Label: "认缴出资（万元）", Type: TypeAmount},
		}},
		{Name: "key_personnel", Label: "主要人员", Type: TypeList, Fields: []Field{
			{Name: "name", Label: "姓名", Type: TypeText, Required: true, Text: TextPersonName},
			{Name: "position", Label: "职务", Type: TypeText, Required: true},
		}},
		{Name: "branches", Label: "分支机构", Type: TypeList, Fields: []Field{
			{Name: "name", Label: "名称", Type: TypeText, Required: true, Text: TextEnterpriseName},
			{Name: "code", Label: "统一社会信用代码", Type: TypeCode},
		}},
		{Name: "contact_phone", Label: "联系电话", Type: TypePhone, Visibility: NonPublic},
	},
})

// KindChattelMortgage is a chattel-mortgage registration (动产抵押登记, Art. 6).
var KindChattelMortgage = defineKind(&Kind{
	Name: "chattel_mortgage", Label: "动产抵押登记信息", Article: "Art. 6",
	Publishers: []Role{RoleRegulator},
	Fields: []Field{
		{Name: "registration_no", Label: "登记编号", Type: TypeText, Required: true, Text: TextDocumentNo},
		{Name: "mortgagee", Label: "抵押权人", Type: TypeText, Required: true, Text: TextPartyName},
		{Name: "secured_amount", Label: "被担保债权数额（万元）", Type: TypeAmount, Required: true},
		{Name: "collateral", Label: "抵押物", Type: TypeText, Required: true},
		{Name: "term_from", Label: "债务履行期限自", Type: TypeDate},
		{Name: "term_to", Label: "债务履行期限至", Type: TypeDate, Future: true},
		{Name: "status", Label: "状态", Type: TypeEnum, Required: true, Enum: []string{"valid", "cancelled"}},
	},
})

// KindEquityPledge is an equity-pledge registration (股权出质登记, Art. 6).
var KindEquityPledge = defineKind(&Kind{
	Name: "equity_pledge", Label: "股权出质登记信息", Article: "Art. 6",
	Publishers: []Role{RoleRegulator},
	Fields: []Field{
		{Name: "registration_no", Label: "登记编号", Type: TypeText, Required: true, Text: TextDocumentNo},
		{Name: "pledgor", Label: "出质人", Type: TypeText, Required: true, Text: TextPartyName},
		{Name: "pledgor_id_number", Label: "出质人证件号码", Type: TypeIDNo, Visibility: Personal},
		{Name: "pledgee", Label: "质权人", Type: TypeText, Required: true, Text: TextPartyName},
		{Name: "amount", Label: "出质股权数额（万元）", Type: TypeAmount, Required: true},
		{Name: "status", Label: "状态", Type: TypeEnum, Required: true, Enum: []string{"valid", "cancelled"}},
	},
})

// KindPenalty is an administrative penalty (行政处罚), published by the regulator or another
// department (Art. 6, 7) or disclosed by the enterprise that received it (Art. 10).
var KindPenalty = defineKind(&Kind{
	Name: "penalty", Label: "行政处罚信息", Article: "Art. 6, 7, 10",
	Publishers: []Role{RoleRegulator, RoleDepartment, RoleEnterprise},
	Fields: []Field{
		{Name: "decision_no", Label: "决定书文号", Type: TypeText, Required: true, Text: TextDocumentNo},
		{Name: "violation", Label: "违法行为类型", Type: TypeText, Required: true},
		{Name: "basis", Label: "处罚依据", Type: TypeText},
		{Name: "content", Label: "处罚内容", Type: TypeText, Required: true, Text: TextMultiline},
		{Name: "fine", Label: "罚款金额（元）", Type: TypeAmount},
		// SAMR Order 45: circulated criticism and small fines are shown for 3 months, others 3 years.
		{Name: "minor", Label: "通报批评或较低数额罚款", Type: TypeBool},
		{Name: "authority", Label: "决定机关", Type: TypeText, Required: true},
		{Name: "decided", Label: "处罚决定日期", Type: TypeDate, Required: true, Event: true},
	},
})

// KindLicence is an administrative licence granted, changed or extended (行政许可), published
// by a department (Art. 7) or disclosed by the enterprise (Art. 10).
var KindLicence = defineKind(&Kind{
	Name: "licence", Label: "行政许可信息", Article: "Art. 7, 10",
	Publishers: []Role{RoleDepartment, RoleEnterprise},
	Fields: []Field{
		{Name: "licence_no", Label: "许可文件编号", Type: TypeText, Required: true, Text: TextDocumentNo},
		{Name: "name", Label: "许可文件名称", Type: TypeText, Required: true},
		{Name: "action", Label: "许可类别", Type: TypeEnum, Required: true, Enum: []string{"granted", "changed", "extended", "revoked"}},
		{Name: "issuer", Label: "许可机关", Type: TypeText, Required: true},
		{Name: "valid_from", Label: "有效期自", Type: TypeDate, Required: true},
		{Name: "valid_to", Label: "有效期至", Type: TypeDate, Future: true},
		{Name: "content", Label: "许可内容", Type: TypeText, Text: TextMultiline},
	},
})

// KindIPPledge is an intellectual-property pledge registration (知识产权出质登记, Art. 10).
var KindIPPledge = defineKind(&Kind{
	Name: "ip_pledge", Label: "知识产权出质登记信息", Article: "Art. 10", Enterprise: true,
	Publishers: []Role{RoleEnterprise},
	Fields: []Field{
		{Name: "ip_type", Label: "种类", Type: TypeEnum, Required: true, Enum: []string{"trademark", "patent", "copyright"}},
		{Name: "ip_no", Label: "注册号/专利号", Type: TypeText, Required: true, Text: TextDocumentNo},
		{Name: "ip_name", Label: "名称", Type: TypeText, Required: true},
		{Name: "pledgee", Label: "质权人", Type: TypeText, Required: true, Text: TextPartyName},
		{Name: "term_from", Label: "质权登记期限自", Type: TypeDate, Required: true},
		{Name: "term_to", Label: "质权登记期限至", Type: TypeDate, Future: true},
		{Name: "status", Label: "状态", Type: TypeEnum, Required: true, Enum: []string{"valid", "cancelled"}},
	},
})

// KindCapitalContribution is a shareholder's subscribed and paid-in capital, with time and
// form of contribution (股东及出资信息, Art. 10).
var KindCapitalContribution = defineKind(&Kind{
	Name: "capital_contribution", Label: "股东及出资信息", Article: "Art. 10", Enterprise: true,
	Publishers: []Role{RoleEnterprise},
	Fields: []Field{
		{Name: "shareholder", Label: "股东", Type: TypeText, Required: true, Text: TextPartyName},
		{Name: "subscribed", Label: "认缴出资额（万元）", Type: TypeAmount, Required: true},
		// The date by which capital subscribed is due (认缴出资期限) is often decades ahead.
		{Name: "subscribed_date", Label: "认缴出资日期", Type: TypeDate, Required: true, Future: true, Prior: true},
		{Name: "subscribed_form", Label: "认缴出资方式", Type: TypeEnum, Required: true, Enum: ContributionForms},
		{Name: "paid", Label: "实缴出资额（万元）", Type: TypeAmount},
		{Name: "paid_date", Label: "实缴出资日期", Type: TypeDate, Prior: true},
		{Name: "paid_form", Label: "实缴出资方式", Type: TypeEnum, Enum: ContributionForms},
	},
})

// KindEquityTransfer is a change of an LLC shareholder's equity (股权变更信息, Art. 10).
var KindEquityTransfer = defineKind(&Kind{
	Name: "equity_transfer", Label: "股权变更信息", Article: "Art. 10", Enterprise: true,
	Publishers: []Role{RoleEnterprise},
	Fields: []Field{
		{Name: "shareholder", Label: "股东", Type: TypeText, Required: true, Text: TextPartyName},
		{Name: "before_percent", Label: "变更前股权比例（%）", Type: TypePercent, Required: true},
		{Name: "after_percent", Label: "变更后股权比例（%）", Type: TypePercent, Required: true},
		{Name: "transferred", Label: "股权变更日期", Type: TypeDate, Required: true, Event: true},
	},
})

// ContributionForms are the forms of capital contribution (出资方式).
var ContributionForms = []string{"currency", "in_kind", "intellectual_property", "land_use_right", "equity", "other"}
