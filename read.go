package gongshi

import (
	"context"
	"strings"

	"github.com/gongshi/gongshi/translog"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/ident"
)

// Page is what a viewer may see of an enterprise: its current view (with the profile and
// the list status as of today) and every record with every version, in record order.
type Page struct {
	Enterprise *Enterprise
	Records    []*Record
	// ReadAt names the log prefix an as-of read was made at (asof.go); nil for the present.
	ReadAt *ReadAt
}

// Page reads an enterprise's page in one store read (Store.File), plus, for a viewer who
// holds consent, one for the consents and one write recording the views (Art. 9).
func (s *Registry) Page(ctx context.Context, viewer *Account, code string) (*Page, error) {
	return s.PageAt(ctx, viewer, code, AsOf{})
}

// PageAt is Page as the register showed it at a point of its past (asof.go): the versions
// of a prefix of the log, the list status on that day.
func (s *Registry) PageAt(ctx context.Context, viewer *Account, code string, a AsOf) (*Page, error) {
	code, err := canonicalCode(code)
	if err != nil {
		return nil, err
	}
	return s.page(ctx, viewer, FileQuery{Code: code}, everyRecord, a)
}

func everyRecord(*Record) bool { return true }

// page reads the file q selects and presents to viewer the enterprise's profile and the
// records want selects (Page.Records), so that views under consent are recorded for what
// is served and nothing else.
func (s *core) page(ctx context.Context, viewer *Account, q FileQuery, want func(*Record) bool, a AsOf) (*Page, error) {
	at, day, err := s.readAt(ctx, a)
	if err != nil {
		return nil, err
	}
	q.Private = mayHoldMore(viewer)
	svs, err := s.Store.File(ctx, q)
	if err != nil {
		return nil, err
	}
	var d *Dossier
	if at == nil {
		d, err = OpenDossier(svs, q.Private)
	} else {
		d, err = openDossierAt(svs, q.Private, at)
	}
	if err != nil {
		return nil, err
	}
	consent, err := s.consentScope(ctx, viewer, d.Enterprise)
	if err != nil {
		return nil, err
	}
	p := presentDossier(d, viewer, consent, want, day)
	p.ReadAt = at
	return p, s.recordViews(ctx, consent)
}

// presentDossier is the page viewer is shown of a dossier on a day: the enterprise with
// its profile and list status, and the records want selects, each version as viewer may
// see it.
func presentDossier(d *Dossier, viewer *Account, consent *consentScope, want func(*Record) bool, today calendar.Date) *Page {
	ent := d.Enterprise
	p := &Page{Enterprise: ent, Records: []*Record{}}
	for _, r := range d.Records {
		w := want(r)
		if w || r.ID == ent.Registration {
			present(viewer, ent, r, consent)
		}
		if w {
			p.Records = append(p.Records, r)
		}
		if r.ID == ent.Registration {
			ent.Profile = r.Latest().Fields
		}
	}
	ent.ListStatus = d.ListStatus(today)
	return p
}

// PublicPage is the page the public is shown on a day of the enterprise whose versions vs
// are (in log order). A version whose document was withdrawn may be given by what its leaf
// says alone (WithdrawnVersion): that is all the public is shown of it. gongshi verify
// --url compares every page a server serves with it.
func PublicPage(vs []*Version, today calendar.Date) (*Page, error) {
	d, err := DossierOf(vs)
	if err != nil {
		return nil, err
	}
	return presentDossier(d, nil, nil, everyRecord, today), nil
}

// WithdrawnVersion is the version a leaf names, for a document withdrawn from public view.
func WithdrawnVersion(l translog.Leaf, logIndex int64) *Version {
	return &Version{Record: l.Record, Kind: l.Kind, Subject: l.Subject, Version: l.Version, PublishedAt: l.PublishedAt,
		SHA256: l.SHA256, LogIndex: logIndex}
}

// publicDossier reads an enterprise's dossier as the public sees it.
func (s *core) publicDossier(ctx context.Context, code string) (*Dossier, error) {
	code, err := canonicalCode(code)
	if err != nil {
		return nil, err
	}
	svs, err := s.Store.File(ctx, FileQuery{Code: code})
	if err != nil {
		return nil, err
	}
	return OpenDossier(svs, false)
}

// mayHoldMore reports whether viewer may see more of a record than the public, for some
// enterprise: then a read opens the hidden values, and access decides per version.
func mayHoldMore(viewer *Account) bool {
	return viewer != nil && viewer.ID != "" && viewer.Role != RolePublic
}

// Enterprise returns an enterprise by its USCC or registration number, with its
// registration profile and list status as viewer may see them.
func (s *Registry) Enterprise(ctx context.Context, viewer *Account, code string) (*Enterprise, error) {
	code, err := canonicalCode(code)
	if err != nil {
		return nil, err
	}
	p, err := s.page(ctx, viewer, FileQuery{Code: code}, func(*Record) bool { return false }, AsOf{})
	if err != nil {
		return nil, err
	}
	return p.Enterprise, nil
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
func (s *Registry) Records(ctx context.Context, viewer *Account, code string) (*Enterprise, []*Record, error) {
	p, err := s.Page(ctx, viewer, code)
	if err != nil {
		return nil, nil, err
	}
	return p.Enterprise, p.Records, nil
}

// RecordsAt is Records at a point of the register's past (asof.go).
func (s *Registry) RecordsAt(ctx context.Context, viewer *Account, code string, a AsOf) (*Enterprise, []*Record, *ReadAt, error) {
	p, err := s.PageAt(ctx, viewer, code, a)
	if err != nil {
		return nil, nil, nil, err
	}
	return p.Enterprise, p.Records, p.ReadAt, nil
}

// Record returns one record with every version as viewer may see it, and the enterprise
// it is about, from one read of the enterprise's file.
func (s *Registry) Record(ctx context.Context, viewer *Account, id string) (*Record, *Enterprise, error) {
	p, err := s.page(ctx, viewer, FileQuery{Record: id}, func(r *Record) bool { return r.ID == id }, AsOf{})
	if err != nil {
		return nil, nil, err
	}
	if len(p.Records) != 1 {
		return nil, nil, Errorf(EINTERNAL, "the file of record %s does not hold it", id)
	}
	return p.Records[0], p.Enterprise, nil
}

// present fills each version's Fields with what viewer may see.
func present(viewer *Account, ent *Enterprise, r *Record, consent *consentScope) {
	k, err := LookupKind(r.Kind)
	if err != nil {
		return
	}
	for _, v := range r.Versions {
		a := access(viewer, ent, v.Publisher, consent)
		if v.Withdrawn != nil && !a.All {
			v.hideWithdrawn()
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
	case RoleCourt:
		return SectionJudicial
	}
	return SectionRegistration
}

// Document returns a record version's canonical document; EGONE with the reason when it
// has been withdrawn from public view.
func (s *Registry) Document(ctx context.Context, sha256 string) ([]byte, error) {
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
