package web

import (
	"net/http"
	"strings"

	"github.com/gongshi/gongshi"
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

// enumValue shows a value, translating enum codes.
func (p *page) enumValue(f gongshi.Field, v any) string {
	if s, ok := v.(string); ok && f.Type == gongshi.TypeEnum {
		return p.enumLabel(s)
	}
	return displayValue(v)
}

func (p *page) enumLabel(code string) string {
	if p.Lang == "en" {
		if _, ok := enumZH[code]; ok {
			return humanize(code)
		}
		return code
	}
	if s, ok := enumZH[code]; ok {
		return s
	}
	return code
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

var enumZH = map[string]string{
	"natural_person": "自然人", "legal_person": "法人", "other": "其他", "valid": "有效", "cancelled": "无效",
	"granted": "准予", "changed": "变更", "extended": "延续", "revoked": "撤销", "trademark": "商标", "patent": "专利",
	"copyright": "著作权", "currency": "货币", "in_kind": "实物", "intellectual_property": "知识产权",
	"land_use_right": "土地使用权", "equity": "股权",
}
