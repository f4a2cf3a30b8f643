package gongshi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/ident"
	"github.com/gongshi/gongshi/translog"
)

// MaxCreditCheckCodes is the most codes one credit check takes (SPEC §8).
const MaxCreditCheckCodes = 10000

// CreditCheckRequest asks, for each code, whether the enterprise may take part in
// procurement, tendering, land sales or honours as of a date (Art. 18).
type CreditCheckRequest struct {
	AsOf  string   `json:"as_of"`
	Codes []string `json:"codes"`
}

// CreditCheck is the answer, kept as evidence: it names the log checkpoint (a signed
// note) that was the latest when it was read.
type CreditCheck struct {
	AsOf       string `json:"as_of"`
	Checkpoint string `json:"checkpoint"`
	// LogSize is the log prefix an as-of check read (asof.go): the versions with
	// log_index < LogSize; Checkpoint is then the oldest that holds them. Absent when no
	// as_of was given: the check reads the present.
	LogSize int64           `json:"log_size,omitempty"`
	Results []*CreditResult `json:"results"`
}

// Credit result statuses.
const (
	CreditClear    = "clear"     // on no list: may take part
	CreditListed   = "listed"    // on a list: may not take part (Art. 18)
	CreditInvalid  = "invalid"   // the code is malformed or its check character wrong
	CreditNotFound = "not_found" // no enterprise has this code
)

// CreditResult is the answer for one code.
type CreditResult struct {
	Code           string           `json:"code"`
	Status         string           `json:"status"`
	MayParticipate bool             `json:"may_participate"`
	USCC           string           `json:"uscc,omitempty"`
	Name           string           `json:"name,omitempty"`
	Error          string           `json:"error,omitempty"`
	Lists          []*CreditListing `json:"lists,omitempty"`
}

// CreditListing is one list the enterprise is on as of the date.
type CreditListing struct {
	List       string `json:"list"`
	Ground     int    `json:"ground"`
	Reason     string `json:"reason"`
	Authority  string `json:"authority"`
	DocumentNo string `json:"document_no"`
	Since      string `json:"since"`
	// Until is the day it ended, if it ended after the as-of date; else empty.
	Until  string `json:"until,omitempty"`
	Record string `json:"record"`
}

// CreditCheck answers a batch of up to MaxCreditCheckCodes codes. A bad code is answered
// for itself (invalid or not_found) without failing the batch; as-of reads use the
// entries' since and until, so they are right for past dates.
func (s *Enforcement) CreditCheck(ctx context.Context, in CreditCheckRequest) (*CreditCheck, error) {
	asOf, err := s.checkAsOf(in.AsOf)
	if err != nil {
		return nil, err
	}
	switch n := len(in.Codes); {
	case n == 0:
		return nil, Invalid("codes", "is empty", "give one or more USCCs or registration numbers")
	case n > MaxCreditCheckCodes:
		return nil, Invalid("codes", fmt.Sprintf("has %d codes, more than %d", n, MaxCreditCheckCodes), fmt.Sprintf("split the batch into calls of at most %d codes", MaxCreditCheckCodes))
	}
	var at *ReadAt
	if in.AsOf != "" {
		if at, _, err = s.readAt(ctx, AsOf{Date: in.AsOf}); err != nil {
			return nil, err
		}
	}
	cp, err := s.Store.LatestCheckpoint(ctx)
	if errors.Is(err, translog.ErrNotFound) {
		cp = nil // none signed yet
	} else if err != nil {
		return nil, err
	}
	out := &CreditCheck{AsOf: asOf.String(), Checkpoint: string(cp), Results: make([]*CreditResult, len(in.Codes))}
	if at != nil {
		out.Checkpoint, out.LogSize = at.Checkpoint, at.LogSize
	}
	var valid []string
	for i, raw := range in.Codes {
		r := &CreditResult{Code: raw}
		out.Results[i] = r
		c, err := ident.ParseCode(strings.TrimSpace(raw))
		if err != nil {
			r.Status, r.Error = CreditInvalid, err.Error()
			continue
		}
		r.Code = c.String()
		valid = append(valid, r.Code)
	}
	ents, err := s.Store.EnterprisesByCodes(ctx, valid)
	if err != nil {
		return nil, err
	}
	usccs := make([]string, 0, len(ents))
	for _, e := range ents {
		usccs = append(usccs, e.USCC.String())
	}
	l, err := s.readLoggedAt(ctx, usccs, true, at)
	if err != nil {
		return nil, err
	}
	for _, r := range out.Results {
		if r.Status == CreditInvalid {
			continue
		}
		found, ok := ents[r.Code]
		if ok && at != nil && l.ents[found.USCC.String()] == nil {
			ok = false // not registered as of then
		}
		if !ok {
			r.Status, r.Error = CreditNotFound, fmt.Sprintf("no enterprise %s is registered (as of %s)", r.Code, asOf)
			continue
		}
		e, err := l.enterprise(found.USCC.String())
		if err != nil {
			return nil, err
		}
		if r.Code != e.USCC.String() && r.Code != e.RegNo.String() && len(r.Code) == 18 {
			return nil, Errorf(EINTERNAL, "the index finds %s for code %s, which its logged registration does not have", e.USCC, r.Code)
		}
		if e.Established.After(asOf) {
			r.Status, r.Error = CreditNotFound, fmt.Sprintf("no enterprise %s is registered (as of %s)", r.Code, asOf)
			continue
		}
		r.USCC, r.Name, r.Status, r.MayParticipate = e.USCC.String(), e.Name, CreditClear, true
		for _, le := range l.entries[e.USCC.String()] {
			if !le.Active(asOf) {
				continue
			}
			r.Status, r.MayParticipate = CreditListed, false
			r.Lists = append(r.Lists, &CreditListing{List: le.List, Ground: le.Ground, Reason: groundReasons[le.Ground], Authority: le.Authority,
				DocumentNo: le.DocumentNo, Since: le.Since, Until: le.Until, Record: le.Record})
		}
	}
	return out, nil
}

// checkAsOf parses an as-of date, which may not be after today.
func (s *core) checkAsOf(v string) (calendar.Date, error) {
	today := calendar.DateOf(s.Clock.Now())
	if v == "" {
		return today, nil
	}
	d, err := calendar.ParseDate(v)
	if err != nil {
		return calendar.Date{}, Invalid("as_of", fmt.Sprintf("%q is not a date", v), "write it as YYYY-MM-DD, or leave it out for today")
	}
	if d.After(today) {
		return calendar.Date{}, Invalid("as_of", fmt.Sprintf("%s is after today (%s)", d, today), "ask about today or an earlier day")
	}
	return d, nil
}

// ListPage is one page of a list.
type ListPage struct {
	List    string       `json:"list"`
	AsOf    string       `json:"as_of"`
	Entries []*ListEntry `json:"entries"`
	Next    string       `json:"next,omitempty"`
	// LogSize and Checkpoint name the log prefix read when as_of was given (asof.go): the
	// entries public by the end of that day.
	LogSize    int64  `json:"log_size,omitempty"`
	Checkpoint string `json:"checkpoint,omitempty"`
}

// ListInput is what GET /api/v1/lists/{list} is asked.
type ListInput struct {
	List, Division, Ground, AsOf, Since, Cursor, Limit string
}

// List returns a page of the abnormal list (with markings) or the serious list as of a
// date, filtered by jurisdiction (a division code or prefix), ground and listing date.
func (s *Enforcement) List(ctx context.Context, in ListInput) (*ListPage, error) {
	if in.List != ListAbnormal && in.List != ListSerious {
		return nil, Invalid("list", fmt.Sprintf("unknown list %q", in.List), "use abnormal or serious")
	}
	asOf, err := s.checkAsOf(in.AsOf)
	if err != nil {
		return nil, err
	}
	q := ListQuery{List: in.List, AsOf: asOf, Limit: 50, Cursor: in.Cursor}
	if err := checkDivisionPrefix(in.Division); err != nil {
		return nil, err
	}
	q.Prefix = JurisdictionPrefix(in.Division)
	if in.Ground != "" {
		q.Ground = intOf(in.Ground)
		if !slices.Contains(ListingGrounds, q.Ground) {
			return nil, Invalid("ground", fmt.Sprintf("%q is not a ground", in.Ground), "give 1 (annual report), 2 (order), 3 (false information) or 4 (unreachable)")
		}
	}
	if in.Since != "" {
		d, err := calendar.ParseDate(in.Since)
		if err != nil {
			return nil, Invalid("since", fmt.Sprintf("%q is not a date", in.Since), "write it as YYYY-MM-DD")
		}
		q.Since = d.String()
	}
	scope := strings.Join([]string{"list", in.List, in.Division, in.Ground, in.AsOf, in.Since}, "\x00")
	if q.Cursor, err = s.openCursor(scope, in.Cursor); err != nil {
		return nil, err
	}
	if in.Limit != "" {
		q.Limit = intOf(in.Limit)
		if q.Limit < 1 || q.Limit > 500 {
			return nil, Invalid("limit", fmt.Sprintf("%q is not from 1 to 500", in.Limit), "give a page size from 1 to 500")
		}
	}
	es, next, err := s.listEntries(ctx, q, scope) // cursor.go
	if err != nil {
		return nil, err
	}
	var at *ReadAt
	if in.AsOf != "" {
		if at, _, err = s.readAt(ctx, AsOf{Date: in.AsOf}); err != nil {
			return nil, err
		}
	}
	if es, err = s.fromLog(ctx, es, q, at); err != nil {
		return nil, err
	}
	page := &ListPage{List: in.List, AsOf: asOf.String(), Entries: es, Next: next}
	if at != nil {
		page.LogSize, page.Checkpoint = at.LogSize, at.Checkpoint
	}
	return page, nil
}

// fromLog replaces the list entries the index found for q by what the logged decisions
// say of them, each checked to answer q. Read at a log prefix (at, asof.go), an entry the
// prefix does not hold yet — decided later, though in force from earlier — is left out:
// it was not public then.
func (s *Enforcement) fromLog(ctx context.Context, es []*ListEntry, q ListQuery, at *ReadAt) ([]*ListEntry, error) {
	usccs := make([]string, len(es))
	for i, e := range es {
		usccs[i] = e.USCC
	}
	l, err := s.readLoggedAt(ctx, usccs, true, at)
	if err != nil {
		return nil, err
	}
	out := es[:0]
	for _, ix := range es {
		e, err := l.entry(ix.USCC, ix.ID)
		if err != nil && at != nil {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !e.Active(q.AsOf) || (e.List == ListSerious) != (q.List == ListSerious) || q.Ground != 0 && e.Ground != q.Ground ||
			!strings.HasPrefix(e.Division, q.Prefix) || q.Since != "" && e.Since < q.Since {
			return nil, Errorf(EINTERNAL, "the list index finds entry %s of %s, which its logged decisions do not put on the %s list as asked", e.ID, e.USCC, q.List)
		}
		out = append(out, e)
	}
	return out, nil
}

// ListStatus is the list status shown on the enterprise page.
type ListStatus struct {
	Listed  bool         `json:"listed"`
	Entries []*ListEntry `json:"entries"` // every entry, with since and until
}

// listStatus returns an enterprise's list status today.
func (s *Enforcement) listStatus(ctx context.Context, uscc string) (*ListStatus, error) {
	m, err := s.Store.EntriesOf(ctx, []string{uscc})
	if err != nil {
		return nil, err
	}
	st := &ListStatus{Entries: m[uscc]}
	if st.Entries == nil {
		st.Entries = []*ListEntry{}
	}
	today := calendar.DateOf(s.Clock.Now())
	for _, e := range st.Entries {
		st.Listed = st.Listed || e.Active(today)
	}
	return st, nil
}

// ListSize is how many enterprises a list held on a day.
type ListSize struct {
	AsOf  calendar.Date `json:"as_of"`
	Count int           `json:"count"`
}

// checkDivisionPrefix checks a list's division filter: a division code or a prefix of
// one, or "" for all.
func checkDivisionPrefix(division string) error {
	if len(division) > 6 || strings.Trim(division, "0123456789") != "" {
		return Invalid("division", fmt.Sprintf("%q is not a division code", division), "give a 6-digit division code such as 310115, or a prefix such as 31")
	}
	return nil
}

// ListSizes returns the size of a list (within a jurisdiction, by division code or
// prefix; "" for all) at the end of each year from the regulation's first (2014) to the
// year before asOf, and on asOf, for a picture of the list over time.
func (s *Enforcement) ListSizes(ctx context.Context, list, division string, asOf calendar.Date) ([]ListSize, error) {
	if list != ListAbnormal && list != ListSerious {
		return nil, Invalid("list", fmt.Sprintf("unknown list %q", list), "use abnormal or serious")
	}
	if err := checkDivisionPrefix(division); err != nil {
		return nil, err
	}
	var days []calendar.Date
	for y := 2014; y < asOf.Year(); y++ {
		days = append(days, calendar.MustDate(y, time.December, 31))
	}
	days = append(days, asOf)
	counts, err := s.Store.ListSizes(ctx, list, JurisdictionPrefix(division), days)
	if err != nil {
		return nil, fmt.Errorf("list sizes: %w", err)
	}
	out := make([]ListSize, len(days))
	for i, d := range days {
		out[i] = ListSize{AsOf: d, Count: counts[i]}
	}
	return out, nil
}
