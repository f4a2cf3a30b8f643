package gongshi

import (
	"context"
	"slices"
	"strings"

	"github.com/gongshi/gongshi/initials"
)

// Answers about many enterprises (search hits, list pages, credit checks) find them through
// the store's indexes and are then made from their logged documents, like the page: an
// index only chooses which enterprises; what is said of them is what their documents say.
// An index that chose an enterprise its documents do not match is an EINTERNAL error —
// the store was changed behind the log's back or has a bug — never an answer.

// logged is what the documents of many enterprises say: each one's current view and list
// entries, from Store.Files.
type logged struct {
	ents    map[string]*Enterprise
	entries map[string][]*ListEntry
}

// readLogged reads the registrations (and, with decisions, the list decisions) of the
// enterprises given by USCC.
func (s *core) readLogged(ctx context.Context, usccs []string, decisions bool) (*logged, error) {
	return s.readLoggedAt(ctx, usccs, decisions, nil)
}

// readLoggedAt is readLogged at a log prefix (asof.go); nil is the present. An enterprise
// not yet registered at the prefix is left out.
func (s *core) readLoggedAt(ctx context.Context, usccs []string, decisions bool, at *ReadAt) (*logged, error) {
	kinds := []string{KindRegistration.Name}
	if decisions {
		for k := range decisionKinds {
			kinds = append(kinds, k.Name)
		}
		slices.Sort(kinds)
	}
	files, err := s.Store.Files(ctx, dedupe(usccs), kinds)
	if err != nil {
		return nil, err
	}
	l := &logged{ents: make(map[string]*Enterprise, len(files)), entries: make(map[string][]*ListEntry, len(files))}
	for uscc, svs := range files {
		var d *Dossier
		if at == nil {
			d, err = OpenDossier(svs, false)
		} else if d, err = openDossierAt(svs, false, at); ErrorCode(err) == ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		if d.Enterprise.USCC.String() != uscc {
			return nil, Errorf(EINTERNAL, "the file of %s is about %s", uscc, d.Enterprise.USCC)
		}
		l.ents[uscc], l.entries[uscc] = d.Enterprise, d.Entries
	}
	return l, nil
}

// enterprise returns the logged view of the enterprise an index row names.
func (l *logged) enterprise(uscc string) (*Enterprise, error) {
	e := l.ents[uscc]
	if e == nil {
		return nil, Errorf(EINTERNAL, "the index names enterprise %s, which has no registration in the log", uscc)
	}
	return e, nil
}

// entry returns the logged list entry an index row names.
func (l *logged) entry(uscc, id string) (*ListEntry, error) {
	for _, e := range l.entries[uscc] {
		if e.ID == id {
			return e, nil
		}
	}
	return nil, Errorf(EINTERNAL, "the list index names entry %s of %s, which no logged decision made", id, uscc)
}

// Search finds enterprises (see SearchQuery): the store's index finds them, their
// documents say what they are.
func (s *Registry) Search(ctx context.Context, q SearchQuery) (*SearchResult, error) {
	q, scope, err := s.searchQuery(q) // search.go
	if err != nil {
		return nil, err
	}
	res, err := s.Store.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	res.Next = s.sealCursor(scope, res.Next)
	if len(res.Hits) == 0 {
		return res, nil
	}
	usccs := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		usccs[i] = h.USCC.String()
	}
	l, err := s.readLogged(ctx, usccs, false)
	if err != nil {
		return nil, err
	}
	for i, h := range res.Hits {
		e, err := l.enterprise(h.USCC.String())
		if err != nil {
			return nil, err
		}
		if !e.Matches(q.Q) {
			return nil, Errorf(EINTERNAL, "the search index finds %s for %q, which its logged registration does not match", e.USCC, q.Q)
		}
		res.Hits[i] = e
	}
	return res, nil
}

// Matches reports whether q finds the enterprise (SearchQuery): a prefix of its USCC or
// registration number or name or name's pinyin initials, or a part of a name, a former
// name or the legal representative's name.
func (e *Enterprise) Matches(q string) bool {
	up := strings.ToUpper(q)
	if strings.HasPrefix(e.USCC.String(), up) || !e.RegNo.IsZero() && strings.HasPrefix(e.RegNo.String(), up) ||
		strings.HasPrefix(initials.Of(e.Name), strings.ToLower(q)) {
		return true
	}
	for _, s := range append([]string{e.Name, e.LegalRep}, e.Former...) {
		if strings.Contains(strings.ToUpper(s), up) {
			return true
		}
	}
	return false
}

func dedupe(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
