package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi"
)

// The regulator's own listing decision (SAIC Order 68; SPEC §8): from the enterprise page, a
// regulator in scope lists the enterprise on ground 3 (information concealed or falsified)
// or 4 (cannot be reached at the registered address), within 10 working days of verifying
// the fact (Service.DecideListing). The decision is published at once and shows in the
// enterprise's list status and on the public list.

// regulatorRoutes are the regulator's listing, licence-revocation, credit-repair, early-removal and draw pages and the public case form.
func (h *Handler) regulatorRoutes() {
	h.page("GET /e/{code}/listing", h.listingForm)
	h.page("POST /e/{code}/listing", h.decideListing)
	h.page("GET /e/{code}/licence-revocation", h.revocationForm)
	h.page("POST /e/{code}/licence-revocation", h.revokeLicence)
	h.page("GET /e/{code}/credit-repair", h.repairPage(creditRepairForm))
	h.page("POST /e/{code}/credit-repair", h.repairPage(creditRepairForm))
	h.page("GET /e/{code}/early-removal", h.repairPage(earlyRemovalForm))
	h.page("POST /e/{code}/early-removal", h.repairPage(earlyRemovalForm))
	h.page("GET /reg/draws", h.drawDesk)
	h.page("POST /reg/draws", h.planDraw)
	h.page("GET /reg/draws/{number}", h.drawWork, qRecorded)
	h.page("POST /reg/draws/{number}/run", h.runDraw)
	h.page("POST /reg/draws/{number}/results", h.recordResult)
	h.page("GET /case/new", h.caseForm, qKind, qEnt, qRecord)
	h.page("POST /case/new", h.fileCase)
}

// listingData is the page of a regulator's decision about an enterprise: a listing or a
// licence revocation, titled and explained by the messages Title and Note.
type listingData struct {
	Ent         *gongshi.Enterprise
	Form        formView
	Title, Note string
}

// listingSetup checks that the caller is a regulator in scope of the path's enterprise and
// titles the page with the form's title (message key title).
func (h *Handler) listingSetup(p *page, title string) (*gongshi.Enterprise, error) {
	if err := p.requireRole(gongshi.RoleRegulator, gongshi.RoleAdmin); err != nil {
		return nil, err
	}
	ent, err := h.svc.Enterprise(p.r.Context(), p.Account, p.r.PathValue("code"))
	if err != nil {
		return nil, err
	}
	if p.Account.Role == gongshi.RoleRegulator && !p.Account.Covers(ent.Division) {
		return nil, gongshi.Errorf(gongshi.EFORBIDDEN, "enterprise %s is outside your jurisdiction %s", ent.USCC, p.Account.Jurisdiction)
	}
	p.Title = p.T(title) + " · " + ent.Name
	return ent, nil
}

func (p *page) listingFields(ground, verified, facts, docNo string) []formField {
	g := formField{Name: "ground", ID: "f-ground", Label: p.T("list.ground"), Input: "select", Value: ground, Required: true,
		Options: []option{{"4", p.T("list.ground.4")}, {"3", p.T("list.ground.3")}}}
	return []formField{g,
		{Name: "verified", ID: "f-verified", Label: p.T("listing.verified"), Input: "date", Value: verified, Required: true},
		{Name: "facts", ID: "f-facts", Label: p.T("listing.facts"), Input: "textarea", Value: facts, Required: true},
		{Name: "document_no", ID: "f-document_no", Label: p.T("list.docno"), Value: docNo, Required: true},
	}
}

// listingForm shows the listing decision form.
func (h *Handler) listingForm(p *page) error {
	ent, err := h.listingSetup(p, "listing.title")
	if err != nil {
		return err
	}
	fv := formView{Action: p.r.URL.Path, Submit: p.T("listing.submit"), Top: p.listingFields("4", p.Today(), "", "")}
	return p.render("listing", listingData{Ent: ent, Form: fv, Title: "listing.title", Note: "listing.note"})
}

// decideListing publishes the decision and shows the enterprise's list status.
func (h *Handler) decideListing(p *page) error {
	ent, err := h.listingSetup(p, "listing.title")
	if err != nil {
		return err
	}
	f := p.r.PostForm
	in := gongshi.ListingDecision{Verified: strings.TrimSpace(f.Get("verified")), Facts: strings.TrimSpace(f.Get("facts")), DocumentNo: strings.TrimSpace(f.Get("document_no"))}
	in.Ground, _ = strconv.Atoi(f.Get("ground"))
	_, err = h.svc.DecideListing(p.r.Context(), p.Account, ent.USCC.String(), in)
	if c := gongshi.ErrorCode(err); c == gongshi.EINVALID || c == gongshi.ECONFLICT {
		fv := formView{Action: p.r.URL.Path, Submit: p.T("listing.submit"), Top: p.listingFields(f.Get("ground"), in.Verified, in.Facts, in.DocumentNo)}
		fv.attachError(p, err)
		p.status = http.StatusUnprocessableEntity
		return p.render("listing", listingData{Ent: ent, Form: fv, Title: "listing.title", Note: "listing.note"})
	}
	if err != nil {
		return err
	}
	return p.redirect("/e/" + ent.USCC.String() + "?listed=1#lists")
}
