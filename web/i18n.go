package web

import (
	"net/http"
	"regexp"
	"strings"
	"unicode"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/division"
)

// language chooses the page language: "?lang=en" or "?lang=zh" (remembered in a cookie),
// else the cookie, else Chinese.
func language(w http.ResponseWriter, r *http.Request, h *Handler) string {
	if l := r.URL.Query().Get("lang"); l != "" {
		lang := "zh-CN"
		if strings.HasPrefix(l, "en") {
			lang = "en"
		}
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: h.cfg.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode})
		return lang
	}
	if c, err := r.Cookie(langCookie); err == nil && c.Value == "en" {
		return "en"
	}
	return "zh-CN"
}

// T returns the UI string for key in the page's language; a missing key shows as itself
// (TestCatalogue checks that none is missing).
func (p *page) T(key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if p.Lang == "en" {
		return m[1]
	}
	return m[0]
}

// KindLabel names a record kind.
func (p *page) KindLabel(kind string) string {
	if p.Lang == "en" {
		if s, ok := kindEN[kind]; ok {
			return s
		}
		return humanize(kind)
	}
	if k, err := gongshi.LookupKind(kind); err == nil {
		return k.Label
	}
	return kind
}

// FieldLabel names a top-level field of a kind.
func (p *page) FieldLabel(kind, field string) string {
	k, err := gongshi.LookupKind(kind)
	if err != nil {
		return field
	}
	f := k.Field(field)
	if f == nil {
		return field
	}
	return p.label(*f)
}

func (p *page) label(f gongshi.Field) string {
	if p.Lang == "en" {
		if s, ok := fieldEN[f.Name]; ok {
			return s
		}
		return humanize(f.Name)
	}
	return f.Label
}

// Cell shows a top-level field of a version's visible fields.
func (p *page) Cell(kind string, fields map[string]any, name string) string {
	v, ok := fields[name]
	if !ok {
		return "—"
	}
	k, err := gongshi.LookupKind(kind)
	if err != nil {
		return displayValue(v)
	}
	if f := k.Field(name); f != nil {
		return p.enumValue(*f, v)
	}
	return displayValue(v)
}

// Fields lists a version's visible fields as label and value, in the kind's order.
func (p *page) Fields(kind string, fields map[string]any) []labelled {
	k, err := gongshi.LookupKind(kind)
	if err != nil {
		return nil
	}
	var out []labelled
	for _, f := range k.Fields {
		if v, ok := fields[f.Name]; ok {
			out = append(out, labelled{p.label(f), p.enumValue(f, v)})
		}
	}
	return out
}

// enumValue shows a value, translating enum codes; a text that names a policy entry
// (remedy.review@2014-10-01) names it in the page's language.
func (p *page) enumValue(f gongshi.Field, v any) string {
	if s, ok := v.(string); ok && f.Type == gongshi.TypeEnum {
		return p.enumLabel(s)
	}
	if s, ok := v.(string); ok && f.Name == "period" {
		return p.findingText(s)
	}
	if s, ok := v.(string); ok {
		return p.policyNames(s)
	}
	switch x := v.(type) {
	case map[string]any:
		if _, hidden := x["salted_sha256"]; !hidden && len(f.Fields) > 0 {
			var parts []string
			for _, sf := range f.Fields {
				if sv, ok := x[sf.Name]; ok {
					parts = append(parts, p.label(sf)+"："+p.enumValue(sf, sv))
				}
			}
			return strings.Join(parts, "，")
		}
	case []any:
		var parts []string
		for _, it := range x {
			parts = append(parts, p.enumValue(gongshi.Field{Type: gongshi.TypeObject, Fields: f.Fields}, it))
		}
		return strings.Join(parts, "；")
	}
	return displayValue(v)
}

// findingSources name the sources a listing decision's period names (gongshi.ListingDecided
// Finding): "regulator:<document no>", "spot_check:<draw>", "case:<number>", "order:<record>".
var findingSources = map[string][2]string{
	"regulator": {"监管部门核查", "regulator's own finding"}, "spot_check": {"抽查检查", "spot check"},
	"case": {"举报核查", "case"}, "order": {"责令限期公示", "order"},
}

// findingText shows a decision's period: a report year as itself, a finding by its source's
// name and its number.
func (p *page) findingText(s string) string {
	src, rest, ok := strings.Cut(s, ":")
	names, known := findingSources[src]
	if !ok || !known {
		return s
	}
	name := names[0]
	if p.Lang == "en" {
		name = names[1]
	}
	return name + "（" + rest + "）"
}

// enumLabel names an enum code (TestEnumLabels checks every kind's codes are here); a
// value that is already a name (有限责任公司, CNY) shows as itself.
func (p *page) enumLabel(code string) string {
	if m, ok := enumLabels[code]; ok {
		if p.Lang == "en" {
			return m[1]
		}
		return m[0]
	}
	return code
}

// EnumLabel names an enum code in Chinese (enumLabels), for the documents made outside the
// pages: the PDF credit reports and decisions (package report).
func EnumLabel(code string) string {
	if m, ok := enumLabels[code]; ok {
		return m[0]
	}
	return code
}

// policyRef is a policy entry's reference as decisions' texts quote it.
var policyRef = regexp.MustCompile(`[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)+@\d{4}-\d{2}-\d{2}`)

// policyNames replaces each policy reference in s by the entry's name in the page's
// language and the date it applies from; a reference to no entry stays as it is.
func (p *page) policyNames(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	return policyRef.ReplaceAllStringFunc(s, func(ref string) string {
		id, from, _ := strings.Cut(ref, "@")
		d, err := calendar.ParseDate(from)
		if err != nil {
			return ref
		}
		e, err := p.h.svc.Rules.Entry(id, d)
		if err != nil {
			return ref
		}
		if p.Lang == "en" {
			return e.NameEN + ", in force from " + from
		}
		return e.Name + "，" + from + "起施行"
	})
}

// Role names an account's role.
func (p *page) Role(r gongshi.Role) string { return p.T("role." + string(r)) }

func humanize(name string) string {
	s := strings.ReplaceAll(name, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

var kindEN = map[string]string{
	"registration": "Registration", "chattel_mortgage": "Chattel mortgage", "equity_pledge": "Equity pledge",
	"penalty": "Administrative penalty", "licence": "Administrative licence", "ip_pledge": "IP pledge",
	"capital_contribution": "Shareholders' capital contribution", "equity_transfer": "Equity transfer",
	"annual_report": "Annual report",
}

var fieldEN = map[string]string{
	"name": "Name", "type": "Type", "legal_representative": "Legal representative", "registered_capital": "Registered capital (10k)",
	"currency": "Currency", "established": "Established", "term_to": "Term to", "address": "Address", "scope": "Business scope",
	"status": "Status", "shareholders": "Shareholders", "kind": "Kind", "id_number": "ID number", "subscribed": "Subscribed (10k)",
	"key_personnel": "Key personnel", "position": "Position", "branches": "Branches", "code": "Code", "contact_phone": "Contact phone",
	"registration_no": "Registration no.", "mortgagee": "Mortgagee", "secured_amount": "Secured amount (10k)", "collateral": "Collateral",
	"term_from": "Term from", "pledgor": "Pledgor", "pledgor_id_number": "Pledgor ID number", "pledgee": "Pledgee", "amount": "Amount (10k)",
	"decision_no": "Decision no.", "violation": "Violation", "basis": "Legal basis", "content": "Content", "fine": "Fine (yuan)",
	"minor": "Minor (criticism or small fine)", "authority": "Deciding authority", "decided": "Decided", "licence_no": "Licence no.",
	"action": "Action", "issuer": "Issuer", "valid_from": "Valid from", "valid_to": "Valid to", "ip_type": "IP type", "ip_no": "IP number",
	"ip_name": "IP name", "shareholder": "Shareholder", "subscribed_date": "Subscribed on", "subscribed_form": "Subscription form",
	"paid": "Paid in (10k)", "paid_date": "Paid on", "paid_form": "Payment form", "before_percent": "Share before (%)",
	"after_percent": "Share after (%)", "transferred": "Transferred on",
}

// enumLabels names the enum codes of every kind's fields: code → {Chinese, English}.
var enumLabels = map[string][2]string{
	"natural_person": {"自然人", "Natural person"}, "legal_person": {"法人", "Legal person"}, "other": {"其他", "Other"},
	"valid": {"有效", "Valid"}, "cancelled": {"已注销", "Cancelled"},
	"granted": {"准予", "Granted"}, "changed": {"变更", "Changed"}, "extended": {"延续", "Extended"}, "revoked": {"撤销", "Revoked"},
	"trademark": {"商标", "Trademark"}, "patent": {"专利", "Patent"}, "copyright": {"著作权", "Copyright"},
	"currency": {"货币", "Money"}, "in_kind": {"实物", "In kind"}, "intellectual_property": {"知识产权", "Intellectual property"},
	"land_use_right": {"土地使用权", "Land-use right"}, "equity": {"股权", "Equity"},
	"operating": {"开业", "Operating"}, "suspended": {"歇业", "Suspended"}, "liquidating": {"清算", "In liquidation"},
	"website": {"网站", "Website"}, "online_shop": {"网店", "Online shop"},
	"established": {"新设", "Established"}, "equity_purchase": {"购买股权", "Equity purchase"},
	"report": {"举报", "Report"}, "correction_request": {"更正申请", "Correction request"}, "inquiry": {"咨询", "Inquiry"},
	"unfounded": {"举报不实", "Unfounded"}, "false_information": {"公示信息隐瞒真实情况、弄虚作假", "False information"},
	"other_handling": {"其他处理", "Handled otherwise"}, "corrected": {"已更正", "Corrected"}, "refused": {"不予采纳", "Refused"},
	"abnormal": {"经营异常名录", "Abnormal operations list"}, "serious": {"严重违法失信企业名单", "Serious violations list"},
	"marked":   {"经营异常状态", "Abnormal operation status"},
	"in_force": {"有效", "In force"}, "void": {"已撤销", "Void"},
	"removed": {"准予移出", "Removed"}, "accepted": {"予以受理", "Accepted"}, "not_accepted": {"不予受理", "Not accepted"}, "rejected": {"不予支持", "Rejected"},
	"upheld": {"异议成立", "Upheld"}, "automatic": {"期满自动移出", "Removed automatically"},
	"capital_contribution": {"股东及出资信息", "Shareholders' capital contribution"}, "equity_transfer": {"股权变更信息", "Equity transfer"},
	"licence": {"行政许可信息", "Administrative licence"}, "ip_pledge": {"知识产权出质登记信息", "IP pledge"},
	"penalty": {"行政处罚信息", "Administrative penalty"},
	"open":    {"未履行", "Open"}, "fulfilled": {"已履行", "Fulfilled"},
	"written": {"书面检查", "Written"}, "on_site": {"实地核查", "On site"}, "network": {"网络监测", "Network monitoring"},
	"delegated": {"委托专业机构", "Delegated to a professional firm"},
	"normal":    {"未发现问题", "No problem found"}, "not_disclosed": {"未按规定公示应当公示的信息", "Information not disclosed"},
	"unreachable":     {"通过登记的住所或者经营场所无法联系", "Cannot be reached at its address"},
	"non_cooperation": {"不配合检查情节严重", "Seriously failed to cooperate"},
	"registration":    {"市场监管部门公示信息", "Published by the market regulator"}, "enterprise": {"企业公示信息", "Disclosed by the enterprise"},
	"department": {"其他部门公示信息", "Published by other departments"},
	"judicial":   {"司法协助信息", "Judicial assistance"},
	"planned":    {"已公布计划，待抽取", "Planned"}, "drawn": {"已抽取", "Drawn"},
	"repaired": {"准予信用修复", "Credit repaired"},
	"creditor": {"债权人", "Creditor"}, "employee": {"职工", "Employee"}, "tax": {"税务机关", "Tax authority"},
	"deregistered": {"准予简易注销", "Deregistered"},
	"freeze":       {"股权冻结", "Equity frozen"}, "unfreeze": {"解除冻结", "Equity unfrozen"}, "transfer": {"强制转让", "Compulsory transfer"},
	"clear": {"未列入", "On no list"}, "listed": {"已列入", "Listed"}, "invalid": {"代码有误", "Invalid code"}, "not_found": {"未找到", "Not found"},
}

// RepresentativeTitle is what the register calls the person who stands for ent: a branch's
// 负责人, an individual business's 经营者, a partnership's 执行事务合伙人, a sole
// proprietorship's 投资人, else the 法定代表人.
func (p *page) RepresentativeTitle(ent *gongshi.Enterprise) string {
	switch {
	case ent == nil:
	case strings.Contains(ent.Type, "分公司") || strings.Contains(ent.Type, "分支机构"):
		return p.T("ent.rep.branch")
	case ent.Type == "个体工商户":
		return p.T("ent.rep.individual")
	case ent.Type == "合伙企业":
		return p.T("ent.rep.partnership")
	case ent.Type == "个人独资企业":
		return p.T("ent.rep.sole")
	}
	return p.T("ent.legalrep")
}

// PublisherName names who published a version: an authority by its name, an enterprise by
// its own name (its account's name may be only an id), and a stamp whose name is not a
// name by the regulator of its jurisdiction.
func (p *page) PublisherName(a gongshi.Authority, ent *gongshi.Enterprise) string {
	if a.Role == gongshi.RoleEnterprise && ent != nil {
		return ent.Name
	}
	if hasHan(a.Name) {
		return a.Name
	}
	if d, ok := division.Lookup(a.Jurisdiction); ok && a.Role == gongshi.RoleRegulator {
		return d.FullName() + "市场监督管理局"
	}
	return p.Role(a.Role)
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// ErrorHeadline is what the error page says first: the message, or on a Chinese page a
// message the service gives only in English stood for by its code's headline.
func (p *page) ErrorHeadline(e *gongshi.Error) string {
	if !p.Untranslated(e) {
		return e.Message
	}
	return p.T("error.code." + e.Code)
}

// Untranslated reports whether e's message is English shown on a Chinese page.
func (p *page) Untranslated(e *gongshi.Error) bool {
	return p.Lang != "en" && !hasHan(e.Message)
}

// FieldValue shows a value of a kind's top-level field: enum codes, list items and
// objects by their labels.
func (p *page) FieldValue(kind, field string, v any) string {
	if k, err := gongshi.LookupKind(kind); err == nil {
		if f := k.Field(field); f != nil {
			return p.enumValue(*f, v)
		}
	}
	return displayValue(v)
}

// EnumLabel names a code in the page's language (enumLabels); a code it does not know
// shows as itself.
func (p *page) EnumLabel(code string) string { return p.enumLabel(code) }

// PolicyName names a policy entry reference (remedy.review@2014-10-01) in the page's language.
func (p *page) PolicyName(ref string) string { return p.policyNames(ref) }

// DivisionName names a division code: 上海市浦东新区 for 310115; a code in no table shows as itself.
func (p *page) DivisionName(code string) string {
	if d, ok := division.Lookup(code); ok {
		return d.FullName()
	}
	return code
}
