package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gongshi/gongshi"
)

// The forms of enforcement: a regulator's order to disclose (Art. 10 ¶2), an enterprise's
// removal application or objection to a listing (Art. 17; SAIC Order 68), and the
// regulator's written decision on them.

type orderData struct {
	Ent   *gongshi.Enterprise
	Items []string
	Item  string
	Form  url.Values
	Err   *gongshi.Error
}

func (h *Handler) orderSetup(p *page) (*gongshi.Enterprise, error) {
	if err := p.requireRole(gongshi.RoleRegulator, gongshi.RoleAdmin); err != nil {
		return nil, err
	}
	ent, err := h.svc.Enterprise(p.r.Context(), p.Account, p.r.PathValue("code"))
	if err != nil {
		return nil, err
	}
	p.Title = p.T("order.title") + " · " + ent.Name
	return ent, nil
}

// orderForm shows the form to order an enterprise to disclose an item.
func (h *Handler) orderForm(p *page) error {
	ent, err := h.orderSetup(p)
	if err != nil {
		return err
	}
	return p.render("order", orderData{Ent: ent, Items: gongshi.OrderItems, Form: url.Values{}})
}

// order issues the order (Service.IssueOrder); its deadline comes from the policy.
func (h *Handler) order(p *page) error {
	ent, err := h.orderSetup(p)
	if err != nil {
		return err
	}
	f := p.r.PostForm
	ver, _, err := h.svc.IssueOrder(p.r.Context(), p.Account, ent.USCC.String(), gongshi.OrderInput{Item: f.Get("item"), Content: f.Get("content"), DocumentNo: f.Get("document_no")})
	if gongshi.ErrorCode(err) == gongshi.EINVALID {
		p.status = http.StatusUnprocessableEntity
		return p.render("order", orderData{Ent: ent, Items: gongshi.OrderItems, Form: f, Err: p.localError(err)})
	}
	if err != nil {
		return err
	}
	return p.redirect("/r/" + ver.Record + "?published=1")
}

// listingCase files the enterprise's removal application or objection to a list entry
// (Service.ApplyForRemoval, Service.Object).
func (h *Handler) listingCase(p *page) error {
	if err := p.requireRole(gongshi.RoleEnterprise); err != nil {
		return err
	}
	f := p.r.PostForm
	in := gongshi.CaseInput{Entry: p.r.PathValue("entry"), Reason: strings.TrimSpace(f.Get("reason"))}
	var err error
	switch f.Get("kind") {
	case gongshi.CaseRemoval:
		_, err = h.svc.ApplyForRemoval(p.r.Context(), p.Account, p.r.PathValue("code"), in)
	case gongshi.CaseObjection:
		_, err = h.svc.Object(p.r.Context(), p.Account, p.r.PathValue("code"), in)
	default:
		err = gongshi.Invalid("kind", "unknown application", "choose a removal application or an objection")
	}
	if err != nil {
		return err
	}
	return p.redirect("/e/" + p.r.PathValue("code") + "?applied=1#lists")
}

type decideData struct {
	Case     *gongshi.QueueItem
	Outcomes []string
	Form     url.Values
	Err      *gongshi.Error
}

// decideSetup finds a pending case in the regulator's queue.
func (h *Handler) decideSetup(p *page) (*gongshi.QueueItem, error) {
	if err := p.requireRole(gongshi.RoleRegulator, gongshi.RoleAdmin); err != nil {
		return nil, err
	}
	items, err := h.svc.EnforcementQueue(p.r.Context(), p.Account)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if it.ID == p.r.PathValue("id") {
			p.Title = p.T("enf.kind."+it.Kind) + " · " + it.USCC
			return it, nil
		}
	}
	return nil, gongshi.Errorf(gongshi.ENOTFOUND, "no pending case %s in this jurisdiction", p.r.PathValue("id"))
}

// decideForm shows a removal application or objection with the decision form.
func (h *Handler) decideForm(p *page) error {
	it, err := h.decideSetup(p)
	if err != nil {
		return err
	}
	return p.render("decide", decideData{Case: it, Outcomes: gongshi.CaseOutcomes(it.EnforcementCase), Form: url.Values{}})
}

// decide publishes the written decision (Service.DecideCase).
func (h *Handler) decide(p *page) error {
	it, err := h.decideSetup(p)
	if err != nil {
		return err
	}
	f := p.r.PostForm
	_, err = h.svc.DecideCase(p.r.Context(), p.Account, it.ID, gongshi.CaseDecision{Outcome: f.Get("outcome"), DocumentNo: f.Get("document_no"), Answer: f.Get("answer")})
	if c := gongshi.ErrorCode(err); c == gongshi.EINVALID || c == gongshi.ECONFLICT {
		p.status = http.StatusUnprocessableEntity
		return p.render("decide", decideData{Case: it, Outcomes: gongshi.CaseOutcomes(it.EnforcementCase), Form: f, Err: p.localError(err)})
	}
	if err != nil {
		return err
	}
	return p.redirect("/e/" + it.USCC + "#lists")
}
