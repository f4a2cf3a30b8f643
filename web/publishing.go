package web

import (
	"net/http"
	"strings"

	"github.com/gongshi/gongshi"
)

// The publishing forms: a new record of a kind (Art. 6, 7, 10), a correction or change of
// an existing record (Art. 12), and a regulator's registration of an enterprise (Art. 6).
// Each submits to the same Service method the API calls; a domain error re-renders the
// form with the message next to the field it names, and nothing is stored.

type publishData struct {
	Ent  *gongshi.Enterprise
	Kind *gongshi.Kind
	Form formView
}

func (p *page) arose(value string) formField {
	return formField{Name: "arose", ID: "f-arose", Label: p.T("form.arose"), Input: "date", Value: value, Required: true}
}

func (h *Handler) publishSetup(p *page) (*gongshi.Enterprise, *gongshi.Kind, error) {
	if p.Account == nil {
		return nil, nil, gongshi.Errorf(gongshi.EUNAUTHORIZED, "log in to publish")
	}
	ent, err := h.svc.Enterprise(p.r.Context(), p.Account, p.r.PathValue("code"))
	if err != nil {
		return nil, nil, err
	}
	k, err := gongshi.LookupKind(p.r.PathValue("kind"))
	if err != nil {
		return nil, nil, err
	}
	if k == gongshi.KindRegistration {
		return nil, nil, gongshi.Invalid("kind", "a registration is changed, not published again", "use the change form")
	}
	p.Title = p.T("publish.title") + " · " + p.KindLabel(k.Name)
	return ent, k, nil
}

// publishForm shows the form for a new record of a kind about an enterprise.
func (h *Handler) publishForm(p *page) error {
	ent, k, err := h.publishSetup(p)
	if err != nil {
		return err
	}
	fv := formView{Action: p.r.URL.Path, Submit: p.T("form.publish"), Top: []formField{p.arose(p.Today())}, Groups: p.kindForm(k, nil)}
	return p.render("publish", publishData{Ent: ent, Kind: k, Form: fv})
}

// publish publishes the record (Service.Publish) and shows it.
func (h *Handler) publish(p *page) error {
	ent, k, err := h.publishSetup(p)
	if err != nil {
		return err
	}
	body := parseKindForm(k, p.r.PostForm)
	arose := strings.TrimSpace(p.r.PostForm.Get("arose"))
	ver, err := h.svc.Publish(p.r.Context(), p.Account, ent.USCC.String(), gongshi.Publication{Kind: k.Name, Arose: arose, Fields: body})
	if gongshi.ErrorCode(err) == gongshi.EINVALID {
		fv := formView{Action: p.r.URL.Path, Submit: p.T("form.publish"), Top: []formField{p.arose(arose)}, Groups: p.kindForm(k, body)}
		fv.attachError(p, err)
		p.status = http.StatusUnprocessableEntity
		return p.render("publish", publishData{Ent: ent, Kind: k, Form: fv})
	}
	if err != nil {
		return err
	}
	return p.redirect("/r/" + ver.Record + "?published=1")
}

type amendData struct {
	Ent    *gongshi.Enterprise
	Kind   *gongshi.Kind
	Record *gongshi.Record
	Form   formView
}

func (h *Handler) amendSetup(p *page) (*gongshi.Record, *gongshi.Kind, *gongshi.Enterprise, error) {
	if p.Account == nil {
		return nil, nil, nil, gongshi.Errorf(gongshi.EUNAUTHORIZED, "log in to correct a record")
	}
	r, ent, err := h.svc.Record(p.r.Context(), p.Account, p.r.PathValue("id"))
	if err != nil {
		return nil, nil, nil, err
	}
	k, err := gongshi.LookupKind(r.Kind)
	if err != nil {
		return nil, nil, nil, err
	}
	if !p.mayAmend(r, ent) {
		return nil, nil, nil, gongshi.Errorf(gongshi.EFORBIDDEN, "only the publisher's side corrects this record (Art. 12)")
	}
	if k == gongshi.KindRegistration {
		p.Title = p.T("amend.change") + " · " + ent.Name
	} else {
		p.Title = p.T("amend.title") + " · " + p.KindLabel(k.Name)
	}
	return r, k, ent, nil
}

// amendTop is the top of the amendment form. Its date is the record's own, which a
// correction keeps with its timeliness (gongshi.Amendment); a change that arose on another
// day gives that day. Left empty it is kept too.
func (p *page) amendTop(arose, reason string) []formField {
	a := p.arose(arose)
	a.Label, a.Required = p.T("form.arose.amend"), false
	return []formField{a, {Name: "reason", ID: "f-reason", Label: p.T("form.reason"), Input: "textarea", Value: reason}}
}

// amendForm shows a record's latest version in a form to correct or change it.
func (h *Handler) amendForm(p *page) error {
	r, k, ent, err := h.amendSetup(p)
	if err != nil {
		return err
	}
	arose := r.Latest().Arose.String()
	if k == gongshi.KindRegistration {
		arose = p.Today() // a change the regulator registers arises the day it does
	}
	fv := formView{Action: p.r.URL.Path, Submit: p.T("form.amend"), Top: p.amendTop(arose, ""), Groups: p.kindForm(k, r.Latest().Fields)}
	return p.render("amend", amendData{Ent: ent, Kind: k, Record: r, Form: fv})
}

// amend publishes the new version (Service.Amend). Every field of the kind is sent: a
// field left empty is removed from the record.
func (h *Handler) amend(p *page) error {
	r, k, ent, err := h.amendSetup(p)
	if err != nil {
		return err
	}
	body := parseKindForm(k, p.r.PostForm)
	patch := map[string]any{}
	for _, f := range k.Fields {
		if f.Name == "paper_entry" {
			continue
		}
		if v, ok := body[f.Name]; ok {
			patch[f.Name] = v
		} else {
			patch[f.Name] = nil
		}
	}
	arose, reason := strings.TrimSpace(p.r.PostForm.Get("arose")), strings.TrimSpace(p.r.PostForm.Get("reason"))
	_, err = h.svc.Amend(p.r.Context(), p.Account, r.ID, gongshi.Amendment{Arose: arose, Reason: reason, Fields: patch})
	if gongshi.ErrorCode(err) == gongshi.EINVALID {
		fv := formView{Action: p.r.URL.Path, Submit: p.T("form.amend"), Top: p.amendTop(arose, reason), Groups: p.kindForm(k, body)}
		fv.attachError(p, err)
		p.status = http.StatusUnprocessableEntity
		return p.render("amend", amendData{Ent: ent, Kind: k, Record: r, Form: fv})
	}
	if err != nil {
		return err
	}
	return p.redirect("/r/" + r.ID + "?published=1")
}

type registerData struct{ Form formView }

// registerTop is the registration form's fields beside the registration record's own
// (whose registration_number the kind's form holds).
func (p *page) registerTop(uscc, arose string) []formField {
	return []formField{
		{Name: "uscc", ID: "f-uscc", Label: p.T("form.uscc"), Value: uscc, Required: true},
		{Name: "arose", ID: "f-arose", Label: p.T("form.arose.reg"), Input: "date", Value: arose},
	}
}

// registerForm shows the registration form (Art. 6).
func (h *Handler) registerForm(p *page) error {
	if err := p.requireRole(gongshi.RoleRegulator, gongshi.RoleAdmin); err != nil {
		return err
	}
	p.Title = p.T("register.title")
	fv := formView{Action: "/reg/register", Submit: p.T("form.register"), Top: p.registerTop("", ""), Groups: p.kindForm(gongshi.KindRegistration, nil)}
	return p.render("register", registerData{Form: fv})
}

// register registers the enterprise (Service.Register) and shows its page.
func (h *Handler) register(p *page) error {
	if err := p.requireRole(gongshi.RoleRegulator, gongshi.RoleAdmin); err != nil {
		return err
	}
	p.Title = p.T("register.title")
	f := p.r.PostForm
	body := parseKindForm(gongshi.KindRegistration, f)
	in := gongshi.Registration{USCC: strings.ToUpper(strings.TrimSpace(f.Get("uscc"))), Arose: strings.TrimSpace(f.Get("arose")), Fields: body}
	ent, _, err := h.svc.Register(p.r.Context(), p.Account, in)
	if c := gongshi.ErrorCode(err); c == gongshi.EINVALID || c == gongshi.ECONFLICT || (c == gongshi.EFORBIDDEN && gongshi.AsError(err).Field != "") {
		fv := formView{Action: "/reg/register", Submit: p.T("form.register"), Top: p.registerTop(in.USCC, in.Arose), Groups: p.kindForm(gongshi.KindRegistration, body)}
		fv.attachError(p, err)
		p.status = http.StatusUnprocessableEntity
		return p.render("register", registerData{Form: fv})
	}
	if err != nil {
		return err
	}
	return p.redirect("/e/" + ent.USCC.String())
}
