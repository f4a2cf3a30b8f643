package web

import (
	"net/http"
	"regexp"
	"strings"
	"unicode"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/catalogue"
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
func (p *page) T(key string) string { return catalogue.T(p.lang(), key) }

// lang is the page's language in the catalogue's terms.
func (p *page) lang() catalogue.Lang { return catalogue.LangOf(p.Lang) }

// KindLabel names a record kind.
func (p *page) KindLabel(kind string) string {
	if p.Lang == "en" {
		if s, ok := catalogue.KindEN(kind); ok {
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
		if s, ok := catalogue.FieldEN(f.Name); ok {
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
			if s, ok := v.(string); ok && f.Type == gongshi.TypeEnum {
				if l, ok := catalogue.KindEnum(p.lang(), kind, s); ok {
					out = append(out, labelled{p.label(f), l})
					continue
				}
			}
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
// value that is already a name (有限责任公司) shows as itself.
func (p *page) enumLabel(code string) string {
	if s, ok := catalogue.Enum(p.lang(), code); ok {
		return s
	}
	return code
}

// EnumLabel names an enum code in Chinese (the catalogue's), for the documents made outside
// the pages: the PDF credit reports and decisions (package report).
func EnumLabel(code string) string {
	if s, ok := catalogue.Enum(catalogue.Chinese, code); ok {
		return s
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

// localError is err as the page shows it: a copy of its *gongshi.Error with the message
// and fix in the page's language when the catalogue has them (else in English, which
// Untranslated then reports); nil when err is no *gongshi.Error.
func (p *page) localError(err error) *gongshi.Error {
	e := gongshi.AsError(err)
	if e == nil {
		return nil
	}
	c := *e
	c.Message, c.Fix, _ = e.In(p.lang())
	return &c
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
