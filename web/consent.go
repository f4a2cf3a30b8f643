package web

import (
	"net/http"
	"strings"

	"github.com/gongshi/gongshi"
)

// Consent management (Art. 9): the enterprise grants a named account access to named
// non-public items for a period, revokes it, and sees every view made under consent.

type consentData struct {
	Ent      *gongshi.Enterprise
	Consents []*gongshi.Consent
	Views    []*gongshi.ConsentView
	Items    []string
	Form     consentForm
	Err      *gongshi.Error
	Today    string
}

type consentForm struct {
	Grantee, From, Until string
	Items                map[string]bool
}

func (h *Handler) consentPage(p *page, form consentForm, ferr error) error {
	if err := p.requireRole(gongshi.RoleEnterprise); err != nil {
		return err
	}
	ctx := p.r.Context()
	ent, err := h.svc.Enterprise(ctx, p.Account, p.Account.Enterprise)
	if err != nil {
		return err
	}
	cs, err := h.svc.Consents(ctx, p.Account)
	if err != nil {
		return err
	}
	vs, err := h.svc.ConsentViews(ctx, p.Account)
	if err != nil {
		return err
	}
	p.Title = p.T("my.consent")
	d := consentData{Ent: ent, Consents: cs, Views: vs, Items: gongshi.ConsentItems(), Form: form, Err: p.localError(ferr), Today: p.Today()}
	if ferr != nil {
		p.status = http.StatusUnprocessableEntity
	}
	return p.render("consent", d)
}

// consents shows the enterprise's consents, the views under them and the grant form.
func (h *Handler) consents(p *page) error { return h.consentPage(p, consentForm{}, nil) }

// grantConsent records a consent (Service.GrantConsent).
func (h *Handler) grantConsent(p *page) error {
	if err := p.requireRole(gongshi.RoleEnterprise); err != nil {
		return err
	}
	f := p.r.PostForm
	form := consentForm{Grantee: strings.TrimSpace(f.Get("grantee")), From: f.Get("from"), Until: f.Get("until"), Items: map[string]bool{}}
	for _, it := range f["items"] {
		form.Items[it] = true
	}
	in := gongshi.ConsentGrant{Grantee: form.Grantee, From: form.From, Until: form.Until, Items: f["items"]}
	_, err := h.svc.GrantConsent(p.r.Context(), p.Account, in)
	if gongshi.ErrorCode(err) == gongshi.EINVALID {
		return h.consentPage(p, form, err)
	}
	if err != nil {
		return err
	}
	return p.redirect("/my/consent")
}

// revokeConsent ends a consent (Service.RevokeConsent).
func (h *Handler) revokeConsent(p *page) error {
	if err := p.requireRole(gongshi.RoleEnterprise); err != nil {
		return err
	}
	if _, err := h.svc.RevokeConsent(p.r.Context(), p.Account, p.r.PathValue("id")); err != nil {
		return err
	}
	return p.redirect("/my/consent")
}
