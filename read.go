package gongshi

import (
	"context"
	"strings"

	"github.com/gongshi/gongshi/ident"
)

// access returns what viewer may see in clear of a record about ent: everything for an
// administrator, a regulator in scope, the enterprise's own liaison and the publisher;
// public fields for everyone else, plus the non-public items a consent the viewer holds
// names (Art. 9; consentScope).
func access(viewer *Account, ent *Enterprise, publisher Authority, consent *consentScope) Access {
	switch {
	case viewer == nil || viewer.Role == RolePublic:
		return Access{}
	case viewer.Role == RoleAdmin,
		viewer.Role == RoleRegulator && viewer.Covers(ent.Division),
		viewer.Role == RoleEnterprise && viewer.Enterprise == ent.USCC,
		viewer.ID != "" && viewer.ID == publisher.Account:
		return Access{All: true}
	}
	return consent.access()
}

// caseAccess reports whether viewer may see a case's content and the person who filed it
// (Art. 13): administrators and regulators whose jurisdiction covers the case's division
// only — never the enterprise concerned, whatever its access to its own records.
func caseAccess(viewer *Account, division string) bool {
	return viewer != nil && (viewer.Role == RoleAdmin || viewer.Role == RoleRegulator && viewer.Covers(division))
}

// Enterprise returns an enterprise by its USCC or registration number, with its
// registration profile as viewer may see it.
func (s *Service) Enterprise(ctx context.Context, viewer *Account, code string) (*Enterprise, error) {
	code, err := canonicalCode(code)
	if err != nil {
		return nil, err
	}
	ent, err := s.Store.EnterpriseByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	reg, err := s.Store.Record(ctx, ent.Registration)
	if err != nil {
		return nil, err
	}
	latest := reg.Latest()
	consent, err := s.consentScope(ctx, viewer, ent)
	if err != nil {
		return nil, err
	}
	ent.Profile = consent.view(KindRegistration, latest, access(viewer, ent, latest.Publisher, consent))
	if ent.ListStatus, err = s.listStatus(ctx, ent.USCC); err != nil { // creditcheck.go
		return nil, err
	}
	return ent, s.recordViews(ctx, consent)
}

// canonicalCode checks a USCC or registration number and returns its canonical form
// (SPEC §2: lookups accept either; a wrong check character is named).
func canonicalCode(code string) (string, error) {
	c, err := ident.ParseCode(strings.TrimSpace(code))
	if err != nil {
		return "", &Error{Code: EINVALID, Field: "code", Message: err.Error(), Fix: "give the enterprise's 18-character USCC or 15-digit registration number"}
	}
	return c.String(), nil
}

// Records returns every record about an enterprise with every version, each as viewer may
// see it. A withdrawn version keeps its place, log index and hash but shows no fields to
// those without full access.
func (s *Service) Records(ctx context.Context, viewer *Account, code string) (*Enterprise, []*Record, error) {
	code, err := canonicalCode(code)
	if err != nil {
		return nil, nil, err
	}
	ent, err := s.Store.EnterpriseByCode(ctx, code)
	if err != nil {
		return nil, nil, err
	}
	recs, err := s.Store.RecordsOf(ctx, ent.USCC)
	if err != nil {
		return nil, nil, err
	}
	consent, err := s.consentScope(ctx, viewer, ent)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range recs {
		s.present(viewer, ent, r, consent)
	}
	if ent.ListStatus, err = s.listStatus(ctx, ent.USCC); err != nil { // creditcheck.go
		return nil, nil, err
	}
	return ent, recs, s.recordViews(ctx, consent)
}

// Record returns one record with every version as viewer may see it.
func (s *Service) Record(ctx context.Context, viewer *Account, id string) (*Record, error) {
	r, err := s.Store.Record(ctx, id)
	if err != nil {
		return nil, err
	}
	ent, err := s.Store.EnterpriseByCode(ctx, r.Subject)
	if err != nil {
		return nil, err
	}
	consent, err := s.consentScope(ctx, viewer, ent)
	if err != nil {
		return nil, err
	}
	s.present(viewer, ent, r, consent)
	return r, s.recordViews(ctx, consent)
}

// present fills each version's Fields with what viewer may see.
func (s *Service) present(viewer *Account, ent *Enterprise, r *Record, consent *consentScope) {
	k, err := LookupKind(r.Kind)
	if err != nil {
		return
	}
	r.Section = sectionOf(r)
	for _, v := range r.Versions {
		a := access(viewer, ent, v.Publisher, consent)
		if v.Withdrawn != nil && !a.All {
			v.Fields = nil
			continue
		}
		v.Fields = consent.view(k, v, a)
	}
}

// sectionOf places a record on the enterprise page by who published its first version.
func sectionOf(r *Record) Section {
	switch r.Versions[0].Publisher.Role {
	case RoleEnterprise:
		return SectionEnterprise
	case RoleDepartment:
		return SectionDepartment
	}
	return SectionRegistration
}

// Document returns a record version's canonical document; EGONE with the reason when it
// has been withdrawn from public view.
func (s *Service) Document(ctx context.Context, sha256 string) ([]byte, error) {
	if len(sha256) != 64 || strings.Trim(sha256, "0123456789abcdef") != "" {
		return nil, Invalid("sha256", "must be 64 lowercase hexadecimal characters", "take it from a record version's sha256 or a log leaf")
	}
	doc, w, err := s.Store.Document(ctx, sha256)
	if err != nil {
		return nil, err
	}
	if w != nil {
		return nil, &Error{Code: EGONE, Message: "withdrawn from public view on " + w.At.Format("2006-01-02") + ": " + w.Reason, Fix: "its log leaf stays; regulators can still read it"}
	}
	return doc, nil
}

// Search finds enterprises (see SearchQuery).
func (s *Service) Search(ctx context.Context, q SearchQuery) (*SearchResult, error) {
	q, scope, err := s.searchQuery(q) // search.go
	if err != nil {
		return nil, err
	}
	res, err := s.Store.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	res.Next = s.sealCursor(scope, res.Next)
	return res, nil
}
