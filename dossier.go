package gongshi

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/ident"
)

// Dossier is everything the register says of one enterprise, read from the logged
// documents of its records and nothing else: its current view (from its registration's
// versions), every record with every version, its list entries (from the decisions), and
// what was withdrawn from public view (from the withdrawals). Every enterprise-scoped answer
// — the page in the API and on the web, a record, list status, obligations — is made from
// a Dossier, and `gongshi verify` checks the store's current-state rows against the same
// projections (Project).
type Dossier struct {
	Enterprise *Enterprise
	Records    []*Record    // by record id
	Entries    []*ListEntry // every list entry, oldest first
	Filings    []*ReportFiling
	Orders     []*Order
	// Withdrawn are the withdrawals by the record they withdrew.
	Withdrawn map[string]*Withdrawal
}

// OpenDossier opens the stored versions of one enterprise's records (in log order, as
// Store.File returns them). reveal opens hidden values too (OpenVersion). An enterprise
// whose versions name another subject, or that has no registration, is an EINTERNAL error.
func OpenDossier(svs []StoredVersion, reveal bool) (*Dossier, error) {
	vs, err := OpenVersions(svs, reveal)
	if err != nil {
		return nil, err
	}
	return DossierOf(vs)
}

// SummaryKinds are the kinds of record an enterprise's current view and its list entries
// are made from: its registration (projectEnterprise) and the decisions that open, mark or
// end entries (applyDecision). A Dossier opened from the versions of these kinds alone has
// the Enterprise and Entries of the whole file; bulk readers that need no more (the
// snapshots' CSV) read only these, a third of a file.
var SummaryKinds = []string{KindRegistration.Name, KindAbnormalListing.Name, KindAbnormalMarking.Name,
	KindSeriousListing.Name, KindAbnormalWarning.Name, KindAbnormalRemoval.Name, KindMarkingRestoration.Name,
	KindSeriousRemoval.Name, KindSeriousExpiry.Name, KindObjectionAnswer.Name}

// OpenVersions opens stored versions (OpenVersion).
func OpenVersions(svs []StoredVersion, reveal bool) ([]*Version, error) {
	vs := make([]*Version, len(svs))
	for i, sv := range svs {
		v, err := OpenVersion(sv, reveal)
		if err != nil {
			return nil, err
		}
		vs[i] = v
	}
	return vs, nil
}

// DossierOf is the dossier of one enterprise's opened versions (in log order), as
// OpenDossier: it marks those withdrawn (Version.Withdrawn).
func DossierOf(vs []*Version) (*Dossier, error) {
	if len(vs) == 0 {
		return nil, Errorf(EINTERNAL, "an enterprise file with no versions")
	}
	d := &Dossier{Withdrawn: map[string]*Withdrawal{}}
	byID := map[string]*Record{}
	subject := vs[0].Subject
	for _, v := range vs {
		if v.Subject != subject {
			return nil, Errorf(EINTERNAL, "the file of %s holds version %d about %s", subject, v.LogIndex, v.Subject)
		}
		r := byID[v.Record]
		if r == nil {
			r = &Record{ID: v.Record, Kind: v.Kind, Subject: v.Subject}
			byID[v.Record] = r
			d.Records = append(d.Records, r)
		}
		if v.Version != len(r.Versions)+1 || v.Kind != r.Kind {
			return nil, Errorf(EINTERNAL, "record %s: version %d (%s) follows %d versions of %s", r.ID, v.Version, v.Kind, len(r.Versions), r.Kind)
		}
		r.Versions = append(r.Versions, v)
	}
	slices.SortFunc(d.Records, func(a, b *Record) int { return compareIDs(a.ID, b.ID) })
	for _, r := range d.Records {
		r.Section = sectionOf(r)
		switch {
		case r.Kind == KindRegistration.Name:
			if d.Enterprise != nil {
				return nil, Errorf(EINTERNAL, "%s has two registration records", subject)
			}
			var err error
			if d.Enterprise, err = projectEnterprise(r); err != nil {
				return nil, Errorf(EINTERNAL, "%s: its logged registration does not read: %v", subject, err)
			}
		case isAnnualKind(r.Kind):
			d.Filings = append(d.Filings, projectFiling(r))
		case r.Kind == KindOrder.Name:
			d.Orders = append(d.Orders, projectOrder(r))
		case r.Kind == KindWithdrawal.Name:
			w := r.Versions[0]
			if id := stringField(w.Body, "record"); d.Withdrawn[id] == nil {
				d.Withdrawn[id] = &Withdrawal{At: w.PublishedAt, Reason: stringField(w.Body, "reason"), Record: w.Record,
					logIndex: w.LogIndex, section: Section(stringField(w.Body, "record_section"))}
			}
		}
	}
	if d.Enterprise == nil {
		return nil, Errorf(EINTERNAL, "%s has no registration record", subject)
	}
	for _, r := range d.Records {
		w := d.Withdrawn[r.ID]
		for _, v := range r.Versions {
			if w != nil && v.LogIndex < w.logIndex {
				v.Withdrawn = w
			}
		}
		if w != nil && w.section != "" {
			r.Section = w.section // its first version's publisher is no longer public
		}
	}
	d.Entries = ProjectEntries(vs)
	return d, nil
}

// Record returns the record with the given id, or nil.
func (d *Dossier) Record(id string) *Record {
	for _, r := range d.Records {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// ListStatus is the dossier's list status on a day.
func (d *Dossier) ListStatus(on calendar.Date) *ListStatus {
	st := &ListStatus{Entries: d.Entries}
	for _, e := range d.Entries {
		st.Listed = st.Listed || e.Active(on)
	}
	return st
}

// projectEnterprise is the enterprise's current view: its registration record's versions
// applied in order (Enterprise.apply).
func projectEnterprise(reg *Record) (*Enterprise, error) {
	first := reg.Versions[0]
	uscc, err := ident.ParseUSCC(first.Subject)
	if err != nil {
		return nil, err
	}
	e := &Enterprise{USCC: uscc, Division: uscc.DivisionCode(), Registration: reg.ID, RegisteredAt: first.PublishedAt}
	for _, v := range reg.Versions {
		if err := e.apply(v.Body, v.PublishedAt); err != nil {
			return nil, fmt.Errorf("version %d: %w", v.Version, err)
		}
	}
	return e, nil
}

// stringField returns a text or date field of a body, "" when absent. Bodies are
// normalised (Kind.Normalize) or opened from documents (OpenVersion), so a field has its
// type's one shape; these accessors make a wrong shape an absent value, never a panic.
func stringField(body map[string]any, name string) string {
	s, _ := body[name].(string)
	return s
}

// dateString is a date as text, "" for none.
func dateString(d calendar.Date) string { return d.String() }

// objectField returns an object field of a body, nil when absent.
func objectField(body map[string]any, name string) map[string]any {
	m, _ := body[name].(map[string]any)
	return m
}

// compareIDs orders record ids (decimal numbers) numerically.
func compareIDs(a, b string) int {
	x, _ := strconv.ParseInt(a, 10, 64)
	y, _ := strconv.ParseInt(b, 10, 64)
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// projectFiling is the filing an annual report's first version notes (年报报送).
func projectFiling(r *Record) *ReportFiling {
	v := r.Versions[0]
	paper, _ := v.Body["paper_entry"].(bool)
	return &ReportFiling{USCC: r.Subject, Year: int(intField(v.Body, "year")), Kind: r.Kind, Record: r.ID,
		Filed: calendar.DateOf(v.PublishedAt).String(), Due: dateString(v.Due), OnTime: v.OnTime, Paper: paper}
}

// projectOrder is an order's state: its latest version, issued by its first's publisher.
func projectOrder(r *Record) *Order {
	b := r.Latest().Body
	o := &Order{Record: r.ID, USCC: r.Subject, Item: stringField(b, "item"), Issued: stringField(b, "issued"),
		Deadline: stringField(b, "deadline"), Policy: stringField(b, "deadline_policy"), Issuer: r.Versions[0].Publisher.Account,
		FulfilledBy: stringField(b, "fulfilled_by"), FulfilledOn: stringField(b, "fulfilled_on")}
	if len(r.Subject) == 18 {
		o.Division = r.Subject[2:8]
	}
	if p := r.Latest().Provisional; p.Has("fields.deadline") {
		o.Provisional = ProvisionalOf(p.Year, "deadline")
	}
	return o
}

// isAnnualKind reports whether a record kind is an annual report's.
func isAnnualKind(kind string) bool {
	k, err := LookupKind(kind)
	return err == nil && k.IsAnnual()
}
