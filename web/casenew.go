package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gongshi/gongshi"
)

// The public case form (Art. 12, 13; SPEC §7): anyone reports false information, asks
// about disclosed information or requests its correction, identifying themselves so the
// written answer can reach them. The answer on the page is the case number and the due
// date; the person is kept for the regulator in scope and never shown on a public page.

type caseFormData struct {
	Fields []formField
	Err    *gongshi.Error
	ErrID  string
	Filed  *gongshi.Case
}

func (p *page) caseFields(f url.Values) []formField {
	kind := formField{Name: "kind", ID: "f-kind", Label: p.T("case.kind"), Input: "select", Value: f.Get("kind"), Required: true}
	for _, k := range []string{gongshi.CaseReport, gongshi.CaseInquiry, gongshi.CaseCorrection} {
		kind.Options = append(kind.Options, option{k, p.T("case.kind." + k)})
	}
	text := func(name, label, mode string) formField {
		return formField{Name: name, ID: fieldID(name), Label: label, Value: f.Get(name), Mode: mode}
	}
	fs := []formField{kind,
		text("enterprise", p.T("casenew.enterprise"), ""),
		text("record", p.T("casenew.record"), "numeric"),
		text("division", p.T("casenew.division"), "numeric"),
		text("subject", p.T("case.subject"), ""),
		{Name: "content", ID: "f-content", Label: p.T("case.content"), Input: "textarea", Value: f.Get("content"), Required: true},
		text("evidence", p.T("casenew.evidence"), "url"),
		text("person.name", p.T("casenew.name"), ""),
		text("person.id_number", p.T("casenew.idno"), ""),
		text("person.phone", p.T("casenew.phone"), "tel"),
		text("person.email", p.T("casenew.email"), "email"),
		text("person.address", p.T("casenew.address"), ""),
	}
	for i := range fs {
		switch fs[i].Name {
		case "subject", "person.name":
			fs[i].Required = true
		}
	}
	return fs
}

// caseForm shows the form, the reporting kind preselected from ?kind= and the enterprise
// from ?enterprise=.
func (h *Handler) caseForm(p *page) error {
	p.Title = p.T("casenew.title")
	q := p.r.URL.Query()
	f := url.Values{"kind": {q.Get("kind")}, "enterprise": {q.Get("enterprise")}, "record": {q.Get("record")}}
	return p.render("casenew", caseFormData{Fields: p.caseFields(f)})
}

// fileCase files the case (Service.FileCase) and shows its number and due date.
func (h *Handler) fileCase(p *page) error {
	p.Title = p.T("casenew.title")
	f := p.r.PostForm
	person := map[string]any{}
	for _, n := range []string{"name", "id_number", "phone", "email", "address"} {
		if v := strings.TrimSpace(f.Get("person." + n)); v != "" {
			person[n] = v
		}
	}
	in := gongshi.CaseForm{Kind: f.Get("kind"), Enterprise: strings.TrimSpace(f.Get("enterprise")), Division: strings.TrimSpace(f.Get("division")),
		Record: strings.TrimSpace(f.Get("record")), Subject: strings.TrimSpace(f.Get("subject")), Content: strings.TrimSpace(f.Get("content")), Person: person}
	if ev := strings.TrimSpace(f.Get("evidence")); ev != "" {
		in.Evidence = []any{map[string]any{"description": p.T("casenew.evidence"), "url": ev}}
	}
	p.private = true // the answer holds the case's check code, or the form as filled
	c, err := h.svc.FileCase(p.r.Context(), in)
	if gongshi.ErrorCode(err) == gongshi.EINVALID || gongshi.ErrorCode(err) == gongshi.ENOTFOUND {
		d := caseFormData{Fields: p.caseFields(f)}
		if e := gongshi.AsError(err); e.Field == "person" {
			c := *e // no way to answer: shown at the phone, the first way to give
			c.Field = "person.phone"
			err = &c
		}
		d.Err, d.ErrID = attachTo(p, d.Fields, err)
		p.status = http.StatusUnprocessableEntity
		return p.render("casenew", d)
	}
	if err != nil {
		return err
	}
	return p.render("casenew", caseFormData{Filed: c})
}
