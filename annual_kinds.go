package gongshi

import (
	"fmt"
	"math/big"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// The annual-report forms (年度报告, Art. 8, 9; SPEC §4, §11). One record per enterprise and
// report year; a correction is a new version (Art. 12). They are filed through
// POST /api/v1/enterprises/{code}/annual-reports, not published as records.

const annualRoute = "POST /api/v1/enterprises/{code}/annual-reports"

// Group7 are the fields of Art. 9 item 7 (资产状况信息) of an enterprise's report: non-public
// unless the enterprise publishes them, field by field, in its "publish" object.
var Group7 = []Field{
	{Name: "employees", Label: "从业人数", Type: TypeInteger, Visibility: NonPublic},
	{Name: "total_assets", Label: "资产总额（万元）", Type: TypeAmount, Visibility: NonPublic},
	{Name: "total_liabilities", Label: "负债总额（万元）", Type: TypeAmount, Visibility: NonPublic},
	{Name: "external_guarantees", Label: "对外提供保证担保（万元）", Type: TypeAmount, Visibility: NonPublic},
	{Name: "owners_equity", Label: "所有者权益合计（万元）", Type: TypeSignedAmount, Visibility: NonPublic},
	{Name: "total_revenue", Label: "营业总收入（万元）", Type: TypeAmount, Visibility: NonPublic},
	{Name: "main_revenue", Label: "其中：主营业务收入（万元）", Type: TypeAmount, Visibility: NonPublic},
	{Name: "total_profit", Label: "利润总额（万元）", Type: TypeSignedAmount, Visibility: NonPublic},
	{Name: "net_profit", Label: "净利润（万元）", Type: TypeSignedAmount, Visibility: NonPublic},
	{Name: "total_tax", Label: "纳税总额（万元）", Type: TypeAmount, Visibility: NonPublic},
}

// SocialInsuranceFrom is the first report year whose enterprise report form has the
// social-insurance section (社保信息): the reports filed from 2018, when the social-insurance
// annual report was merged into the enterprise's (年报“多报合一”; assumed from the SAIC and
// MOHRSS notices on the merger, which the project has not found in full text). Earlier
// report years are judged by the 2014 form, without it.
const SocialInsuranceFrom = 2017

// SocialInsurance is the social-insurance section: the numbers insured public, the amounts
// non-public unless the enterprise publishes them, as group 7.
var SocialInsurance = fields(siCounts, siAmounts)

var siCounts = []Field{
	{Name: "si_pension", Label: "城镇职工基本养老保险参保人数", Type: TypeInteger},
	{Name: "si_unemployment", Label: "失业保险参保人数", Type: TypeInteger},
	{Name: "si_medical", Label: "职工基本医疗保险参保人数", Type: TypeInteger},
	{Name: "si_injury", Label: "工伤保险参保人数", Type: TypeInteger},
	{Name: "si_maternity", Label: "生育保险参保人数", Type: TypeInteger},
}

var siAmounts = []Field{
	{Name: "si_base", Label: "单位缴费基数（万元）", Type: TypeAmount, Visibility: NonPublic},
	{Name: "si_paid", Label: "本期实际缴费金额（万元）", Type: TypeAmount, Visibility: NonPublic},
	{Name: "si_arrears", Label: "单位累计欠缴金额（万元）", Type: TypeAmount, Visibility: NonPublic},
}

// cooperativeAssets are a farmer cooperative's assets items (资产状况信息), published where it
// chooses, as group 7 of an enterprise.
var cooperativeAssets = []Field{
	{Name: "total_revenue", Label: "销售额或营业总收入（万元）", Type: TypeAmount, Visibility: NonPublic},
	{Name: "surplus", Label: "盈余总额（万元）", Type: TypeSignedAmount, Visibility: NonPublic},
	{Name: "total_tax", Label: "纳税总额（万元）", Type: TypeAmount, Visibility: NonPublic},
	{Name: "subsidies", Label: "获得政府扶持资金、补助（万元）", Type: TypeAmount, Visibility: NonPublic},
	{Name: "loans", Label: "获得金融贷款（万元）", Type: TypeAmount, Visibility: NonPublic},
}

// publishField is the "publish" object: a boolean per item the enterprise makes public.
func publishField(items []Field) Field {
	fs := make([]Field, len(items))
	for i, f := range items {
		fs[i] = Field{Name: f.Name, Label: "公示" + f.Label, Type: TypeBool}
	}
	return Field{Name: "publish", Label: "选择公示的资产状况信息", Type: TypeObject, Fields: fs}
}

var (
	yearField  = Field{Name: "year", Label: "报告年度", Type: TypeInteger, Required: true}
	paperField = Field{Name: "paper_entry", Label: "纸质年报代录入", Type: TypeBool}
	statusEnum = []string{"operating", "suspended", "liquidating"} // 开业, 歇业, 清算
	websites   = Field{Name: "websites", Label: "网站或网店信息", Type: TypeList, Fields: []Field{
		{Name: "type", Label: "类型", Type: TypeEnum, Required: true, Enum: []string{"website", "online_shop"}},
		{Name: "name", Label: "名称", Type: TypeText, Required: true},
		{Name: "url", Label: "网址", Type: TypeURL, Required: true},
	}}
)

func fields(groups ...[]Field) []Field {
	var out []Field
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// contactFields are item 1 of Art. 9: mailing address, postal code, telephone, e-mail.
var contactFields = []Field{
	{Name: "mailing_address", Label: "通信地址", Type: TypeText, Required: true},
	{Name: "postal_code", Label: "邮政编码", Type: TypePostal, Required: true},
	{Name: "phone", Label: "联系电话", Type: TypePhone, Required: true},
	{Name: "email", Label: "电子邮箱", Type: TypeEmail},
}

// KindAnnualReport is an enterprise's annual report (企业年度报告, Art. 9): items 1–6 public,
// item 7 where the enterprise chooses. Item 4 only for limited-liability and joint-stock
// companies, item 5 only for limited-liability companies.
var KindAnnualReport = defineKind(&Kind{
	Name: "annual_report", Label: "企业年度报告", Article: "Art. 8, 9", Enterprise: true,
	Publishers: []Role{RoleEnterprise},
	Fields: fields([]Field{
		yearField,
	}, contactFields, []Field{
		// 2. existence
		{Name: "operating_status", Label: "企业经营状态", Type: TypeEnum, Required: true, Enum: statusEnum},
		// 3. investments
		{Name: "investments", Label: "对外投资设立企业、购买股权信息", Type: TypeList, Fields: []Field{
			{Name: "enterprise", Label: "投资设立企业或购买股权企业名称", Type: TypeText, Required: true, Text: TextEnterpriseName},
			{Name: "code", Label: "统一社会信用代码", Type: TypeCode},
			{Name: "kind", Label: "方式", Type: TypeEnum, Required: true, Enum: []string{"established", "equity_purchase"}},
		}},
		// 4. contributions (LLC, joint-stock)
		{Name: "contributions", Label: "股东及出资信息", Type: TypeList, Fields: []Field{
			{Name: "shareholder", Label: "股东（发起人）", Type: TypeText, Required: true, Text: TextPartyName},
			{Name: "subscribed", Label: "认缴出资额（万元）", Type: TypeAmount, Required: true},
			{Name: "subscribed_date", Label: "认缴出资时间", Type: TypeDate, Required: true, Future: true, Prior: true},
			{Name: "subscribed_form", Label: "认缴出资方式", Type: TypeEnum, Required: true, Enum: ContributionForms},
			{Name: "paid", Label: "实缴出资额（万元）", Type: TypeAmount},
			{Name: "paid_date", Label: "实缴出资时间", Type: TypeDate, Prior: true},
			{Name: "paid_form", Label: "实缴出资方式", Type: TypeEnum, Enum: ContributionForms},
		}},
		// 5. equity transfers (LLC)
		{Name: "equity_transfers", Label: "股权转让信息", Type: TypeList, Fields: []Field{
			{Name: "shareholder", Label: "股东", Type: TypeText, Required: true, Text: TextPartyName},
			{Name: "before_percent", Label: "转让前股权比例（%）", Type: TypePercent, Required: true},
			{Name: "after_percent", Label: "转让后股权比例（%）", Type: TypePercent, Required: true},
			{Name: "date", Label: "股权变更日期", Type: TypeDate, Required: true},
		}},
		// 6. websites
		websites,
	}, Group7, SocialInsurance, []Field{publishField(fields(Group7, siAmounts)), paperField}),
	Hooks: Hooks{Disclosed: publishedItems, Check: checkEnterpriseReport, Deadline: annualDeadline, Route: annualRoute},
})

// individualFields are an individual business's report items: all non-public unless it
// chooses to publish the report.
var individualFields = []Field{
	yearField,
	{Name: "operator", Label: "经营者姓名", Type: TypeText, Required: true, Visibility: NonPublic, Text: TextPersonName},
	{Name: "phone", Label: "联系电话", Type: TypePhone, Required: true, Visibility: NonPublic},
	{Name: "operating_status", Label: "经营状态", Type: TypeEnum, Required: true, Enum: statusEnum, Visibility: NonPublic},
	{Name: "employees", Label: "从业人数", Type: TypeInteger, Visibility: NonPublic},
	{Name: "total_revenue", Label: "营业额或营业收入（万元）", Type: TypeAmount, Visibility: NonPublic},
	{Name: "total_tax", Label: "纳税总额（万元）", Type: TypeAmount, Visibility: NonPublic},
	withVisibility(websites, NonPublic),
	{Name: "publish_report", Label: "选择公示年度报告", Type: TypeBool},
	paperField,
}

// KindAnnualReportIndividual is an individual business's annual report (个体工商户年度报告,
// SPEC §11): public only if the business chooses ("publish_report"); a regulator may
// enter a paper report on its behalf.
var KindAnnualReportIndividual = defineKind(&Kind{
	Name: "annual_report_individual", Label: "个体工商户年度报告", Article: "Art. 24; SAIC AR", Enterprise: true,
	Publishers: []Role{RoleEnterprise, RoleRegulator},
	Fields:     individualFields,
	Hooks:      Hooks{Disclosed: wholeReport, Deadline: annualDeadline, Route: annualRoute},
})

// KindAnnualReportCooperative is a farmer cooperative's annual report (农民专业合作社年度报告,
// SPEC §11): its members and business public, its assets where it chooses.
var KindAnnualReportCooperative = defineKind(&Kind{
	Name: "annual_report_cooperative", Label: "农民专业合作社年度报告", Article: "Art. 24; SAIC AR", Enterprise: true,
	Publishers: []Role{RoleEnterprise},
	Fields: fields([]Field{
		yearField,
	}, contactFields, []Field{
		{Name: "operating_status", Label: "经营状态", Type: TypeEnum, Required: true, Enum: statusEnum},
		{Name: "members", Label: "成员人数", Type: TypeInteger, Required: true},
		{Name: "members_joined", Label: "本年度新增成员", Type: TypeInteger},
		{Name: "members_left", Label: "本年度退出成员", Type: TypeInteger},
		websites,
	}, cooperativeAssets, []Field{publishField(cooperativeAssets), paperField}),
	Hooks: Hooks{Disclosed: publishedItems, Deadline: annualDeadline, Route: annualRoute},
})

// AnnualKinds are the annual-report kinds.
var AnnualKinds = []*Kind{KindAnnualReport, KindAnnualReportIndividual, KindAnnualReportCooperative}

// IsAnnual reports whether k is an annual-report kind.
func (k *Kind) IsAnnual() bool {
	return k == KindAnnualReport || k == KindAnnualReportIndividual || k == KindAnnualReportCooperative
}

// AnnualKindFor returns the report form of an enterprise's category (SPEC §11).
func AnnualKindFor(ent *Enterprise) *Kind {
	switch ent.Category {
	case CategoryIndividual:
		return KindAnnualReportIndividual
	case CategoryCooperative:
		return KindAnnualReportCooperative
	}
	return KindAnnualReport
}

func withVisibility(f Field, v Visibility) Field { f.Visibility = v; return f }

// publishedItems reads the "publish" object: the items set to true.
func publishedItems(body map[string]any) map[string]bool {
	p, _ := body["publish"].(map[string]any)
	out := make(map[string]bool, len(p))
	for n, v := range p {
		if b, _ := v.(bool); b {
			out[n] = true
		}
	}
	return out
}

// wholeReport makes every field of an individual business's report public when it chose to
// publish it.
func wholeReport(body map[string]any) map[string]bool {
	if b, _ := body["publish_report"].(bool); !b {
		return nil
	}
	out := map[string]bool{}
	for _, f := range individualFields {
		out[f.Name] = true
	}
	return out
}

// annualDeadline is the end of the report year's filing window (Art. 8: 30 June of the
// following year).
func annualDeadline(r policy.Rules, body map[string]any, ent *Enterprise) (policy.Due, error) {
	year, _ := body["year"].(int64)
	w, err := r.AnnualReportWindow(int(year), ent.Established)
	if err != nil {
		return policy.Due{}, err
	}
	return policy.Due{Date: w.Closes, Entry: w.Entry}, nil
}

// checkEnterpriseReport checks what the fields alone cannot: which groups the enterprise's
// type allows, and the sums that must add up.
func checkEnterpriseReport(body map[string]any, ent *Enterprise, today calendar.Date) error {
	llc, jsc := ent.Type == "有限责任公司", ent.Type == "股份有限公司"
	if _, ok := body["contributions"]; ok && !llc && !jsc {
		return Invalid("contributions", "shareholders' contributions are reported only by limited-liability and joint-stock companies (Art. 9 item 4); this enterprise is a "+ent.Type, "leave contributions out")
	}
	if _, ok := body["equity_transfers"]; ok && !llc {
		return Invalid("equity_transfers", "equity transfers are reported only by limited-liability companies (Art. 9 item 5); this enterprise is a "+ent.Type, "leave equity_transfers out")
	}
	year, _ := body["year"].(int64)
	if year < SocialInsuranceFrom {
		for _, f := range SocialInsurance {
			if _, ok := body[f.Name]; ok {
				return Invalid(f.Name, fmt.Sprintf("the social-insurance section is on the report form from report year %d; this report is for %d", SocialInsuranceFrom, year), "leave the si_ fields out of reports for earlier years")
			}
		}
	}
	yearEnd := calendar.MustDate(int(year), 12, 31)
	cs, _ := body["contributions"].([]any)
	for i, it := range cs {
		c, _ := it.(map[string]any)
		p := fmt.Sprintf("contributions[%d]", i)
		if paid, ok := c["paid"].(string); ok {
			if cmpDecimal(paid, stringField(c, "subscribed")) > 0 {
				return Invalid(p+".paid", fmt.Sprintf("paid-in %s exceeds subscribed %s", paid, c["subscribed"]), "the paid-in capital is at most the subscribed capital")
			}
			if _, ok := c["paid_date"]; !ok {
				return Invalid(p+".paid_date", "is required with a paid-in amount", "give the date the capital was paid in")
			}
		}
	}
	ts, _ := body["equity_transfers"].([]any)
	for i, it := range ts {
		t, _ := it.(map[string]any)
		if d := stringField(t, "date"); d > yearEnd.String() {
			return Invalid(fmt.Sprintf("equity_transfers[%d].date", i), fmt.Sprintf("%s is after the report year %d", d, year), "report transfers of the report year; later ones in next year's report or as an instant disclosure")
		}
	}
	assets, a1 := body["total_assets"].(string)
	liab, a2 := body["total_liabilities"].(string)
	equity, a3 := body["owners_equity"].(string)
	if a1 && a2 && a3 {
		want := new(big.Rat).Sub(rat(assets), rat(liab))
		if rat(equity).Cmp(want) != 0 {
			return Invalid("owners_equity", fmt.Sprintf("%s is not total assets %s minus total liabilities %s (%s)", equity, assets, liab, want.FloatString(6)), "owners' equity = total assets − total liabilities; check the three amounts")
		}
	}
	if main, ok := body["main_revenue"].(string); ok {
		if total, ok := body["total_revenue"].(string); ok && cmpDecimal(main, total) > 0 {
			return Invalid("main_revenue", fmt.Sprintf("main-business revenue %s exceeds total revenue %s", main, total), "main-business revenue is part of total revenue")
		}
	}
	return nil
}

// rat parses a normalised decimal; Normalize has checked it.
func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return new(big.Rat)
	}
	return r
}

func cmpDecimal(a, b string) int { return rat(a).Cmp(rat(b)) }
