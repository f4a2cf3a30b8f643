package web

import (
	"net/http"
	"strings"

	"github.com/gongshi/gongshi"
)

// The regulator's decision revoking a business licence (Decree 777, from 2024-05-01;
// Service.RevokeLicence): from the enterprise page, a regulator in scope gives the
// decision's number; the register checks the rule's conditions on the day (the latest two
// report years unreported, listed as unreachable) and answers each one unmet on the form.
// The decision is published at once and the registration's status becomes 吊销.

func (p *page) revocationFields(docNo string) []formField {
	return []formField{{Name: "document_no", ID: "f-document_no", Label: p.T("list.docno"), Value: docNo, Required: true}}
}

// revocationForm shows the revocation form.
func (h *Handler) revocationForm(p *page) error {
	ent, err := h.listingSetup(p, "revocation.title")
	if err != nil {
		return err
	}
	fv := formView{Action: p.r.URL.Path, Submit: p.T("revocation.submit"), Top: p.revocationFields("")}
	return p.render("listing", listingData{Ent: ent, Form: fv, Title: "revocation.title", Note: "revocation.note"})
}

// revokeLicence publishes the decision and shows the enterprise, its status 吊销.
func (h *Handler) revokeLicence(p *page) error {
	ent, err := h.listingSetup(p, "revocation.title")
	if err != nil {
		return err
	}
	in := gongshi.LicenceRevocationInput{DocumentNo: strings.TrimSpace(p.r.PostForm.Get("document_no"))}
	_, err = h.svc.RevokeLicence(p.r.Context(), p.Account, ent.USCC.String(), in)
	if c := gongshi.ErrorCode(err); c == gongshi.EINVALID || c == gongshi.ECONFLICT {
		fv := formView{Action: p.r.URL.Path, Submit: p.T("revocation.submit"), Top: p.revocationFields(in.DocumentNo)}
		fv.attachError(p, err)
		p.status = http.StatusUnprocessableEntity
		return p.render("listing", listingData{Ent: ent, Form: fv, Title: "revocation.title", Note: "revocation.note"})
	}
	if err != nil {
		return err
	}
	return p.redirect("/e/" + ent.USCC.String() + "#reg")
}
