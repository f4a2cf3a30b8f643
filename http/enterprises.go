package http

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/ident"
)

// EnterprisePage is the enterprise page as data: GET /api/v1/enterprises/{code}.
type EnterprisePage = gongshi.EnterprisePage

// Sections groups an enterprise's records as the national system's page does.
type Sections = gongshi.Sections

// RecordList is GET /api/v1/enterprises/{code}/records.
type RecordList struct {
	Enterprise *gongshi.Enterprise `json:"enterprise"`
	Records    []*gongshi.Record   `json:"records"`
	ReadAt     *gongshi.ReadAt     `json:"read_at,omitempty"`
}

// Registered answers a registration: the enterprise and its registration's first version.
type Registered struct {
	Enterprise *gongshi.Enterprise `json:"enterprise"`
	Version    *gongshi.Version    `json:"version"`
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit := 0
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			return gongshi.Invalid("limit", strconv.Quote(l)+" is not a number from 1 to 100", "leave it out for 20 hits a page")
		}
		limit = n
	}
	res, err := s.Service.Search(r.Context(), gongshi.SearchQuery{Q: q.Get("q"), Cursor: q.Get("cursor"), Limit: limit})
	if err != nil {
		return err
	}
	if res.Hits == nil {
		res.Hits = []*gongshi.Enterprise{}
	}
	for _, h := range res.Hits {
		h.Profile = nil // a hit is a summary; the profile is on the enterprise page
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) error {
	var in gongshi.Registration
	if err := decode(r, &in); err != nil {
		return err
	}
	actor := accountFrom(r.Context())
	ent, ver, err := s.Service.Register(r.Context(), actor, in)
	if err != nil {
		return err
	}
	ent.Profile = ver.Fields
	w.Header().Set("Location", "/api/v1/enterprises/"+url.PathEscape(ent.USCC.String()))
	writeJSON(w, http.StatusCreated, &Registered{Enterprise: ent, Version: ver})
	return nil
}

func (s *Server) enterprisePage(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	w.Header().Set("Vary", "Accept-Encoding") // the page row's answer may be sent compressed
	// The public's page today by USCC, from its page row (gongshi.PageRow): no document
	// decoded, and to a client that accepts zstd the row's frame as it is stored, not even
	// decompressed. (By registration number it is made from the documents, which name the
	// USCC the cache needs.)
	fromRow := len(code) == 18 && accountFrom(r.Context()) == nil && !asOfOf(r).Past()
	if fromRow && !s.cacheServes(r) {
		if sent, err := s.pageFromRow(w, r, code); sent || err != nil {
			return err
		}
	}
	return s.cachedPublic(w, r, "page\x00"+code+"\x00"+r.URL.RawQuery, func() (any, string, error) {
		if fromRow {
			b, z, err := s.Service.PublicPageAnswer(r.Context(), code, acceptsZstd(r), nil)
			switch {
			case err != nil:
				return nil, "", err
			case z:
				return zstdEncoded(b), code, nil
			case b != nil:
				return encoded(b), code, nil
			}
		}
		page, err := s.buildPage(r, code)
		if err != nil {
			return nil, "", err
		}
		return page, page.Enterprise.USCC.String(), nil
	})
}

// pageBuffers keep the decompressed pages of uncached reads from their rows for the next
// read: a page is ~15 KB, made and dropped at every read.
var pageBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPageBuffer is the largest buffer pageBuffers keeps: the rare large page is not held.
const maxPageBuffer = 64 << 10

// pageFromRow answers the public's page today from its row, uncached; false when the
// enterprise has none (then the page is made from the documents, which also gives the
// error for a code not registered).
func (s *Server) pageFromRow(w http.ResponseWriter, r *http.Request, code string) (bool, error) {
	buf := pageBuffers.Get().(*[]byte)
	defer pageBuffers.Put(buf)
	b, z, err := s.Service.PublicPageAnswer(r.Context(), code, acceptsZstd(r), *buf)
	if err != nil || b == nil {
		return false, err
	}
	if z {
		writeEncoded(w, "zstd", b) // the row's stored frame: not the buffer's
		return true, nil
	}
	writeEncoded(w, "", b)
	if cap(b) <= maxPageBuffer {
		*buf = b[:0] // decompressed into the buffer, or a larger one kept in its place
	}
	return true, nil
}

// buildPage assembles the enterprise page for the caller.
func (s *Server) buildPage(r *http.Request, code string) (*EnterprisePage, error) {
	p, err := s.Service.PageAt(r.Context(), accountFrom(r.Context()), code, asOfOf(r))
	if err != nil {
		return nil, err
	}
	page := PageOf(p)
	page.ReadAt = p.ReadAt
	return page, nil
}

// PageOf is an enterprise's page as GET /api/v1/enterprises/{code} answers it.
func PageOf(p *gongshi.Page) *EnterprisePage { return gongshi.PageOf(p) }

func (s *Server) enterpriseRecords(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	var kinds []string
	if k := r.URL.Query().Get("kind"); k != "" {
		kinds = strings.Split(k, ",")
		if err := gongshi.CheckKinds(kinds); err != nil {
			return err
		}
	}
	return s.cachedPublic(w, r, "records\x00"+code+"\x00"+r.URL.RawQuery, func() (any, string, error) {
		ent, recs, at, err := s.Service.RecordsAt(r.Context(), accountFrom(r.Context()), code, asOfOf(r))
		if err != nil {
			return nil, "", err
		}
		if kinds != nil {
			recs = slices.DeleteFunc(recs, func(rec *gongshi.Record) bool { return !slices.Contains(kinds, rec.Kind) })
		}
		if recs == nil {
			recs = []*gongshi.Record{}
		}
		return &RecordList{Enterprise: ent, Records: recs, ReadAt: at}, ent.USCC.String(), nil
	})
}

func (s *Server) publish(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	var in gongshi.Publication
	if err := decode(r, &in); err != nil {
		return err
	}
	ver, err := s.Service.Publish(r.Context(), accountFrom(r.Context()), code, in)
	if err != nil {
		return err
	}
	return created(w, ver.Record, ver)
}

// change records a registration change: a new version of the enterprise's registration
// record, whose id the enterprise names.
func (s *Server) change(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	var in gongshi.Amendment
	if err := decode(r, &in); err != nil {
		return err
	}
	actor := accountFrom(r.Context())
	ent, err := s.Service.Enterprise(r.Context(), actor, code)
	if err != nil {
		return err
	}
	ver, err := s.Service.Amend(r.Context(), actor, ent.Registration, in)
	if err != nil {
		return err
	}
	return created(w, ver.Record, ver)
}

// pathCode returns the {code} of the path as a canonical USCC or registration number. A
// code with a wrong check character is EINVALID saying which character should be what
// (SPEC §2), not a mere "not found".
func pathCode(r *http.Request) (string, error) {
	c, err := ident.ParseCode(strings.ToUpper(strings.TrimSpace(r.PathValue("code"))))
	if err != nil {
		return "", gongshi.Invalid("code", err.Error(), "give the enterprise's 18-character USCC or 15-digit registration number")
	}
	return c.String(), nil
}

// created answers a newly published version with 201 and the record's location.
// created answers 201 with body and the Location of the record the request published.
// Versions come from the service as their publisher sees them (Service.seal).
func created(w http.ResponseWriter, record string, body any) error {
	w.Header().Set("Location", "/api/v1/records/"+url.PathEscape(record))
	writeJSON(w, http.StatusCreated, body)
	return nil
}

// asOfParams are the parameters of an as-of read (gongshi's asof.go).
var asOfParams = []Param{
	{"as_of", "Answer as the register showed it at the end of this day (China Standard Time): the versions published by then; what has since been withdrawn stays withdrawn. Not after today.", schema{"type": "string", "format": "date"}},
	{"log_size", "Answer as the log's first log_size entries say (versions with log_index < log_size); not with as_of.", intSchema(1, 1<<53-1)},
}

const asOfNote = "With `as_of` or `log_size`, the answer is what was public then, and `read_at` names the log size it was read at and the oldest signed checkpoint holding it."

// asOfOf reads an as-of read's parameters (checked against asOfParams).
func asOfOf(r *http.Request) gongshi.AsOf {
	q := r.URL.Query()
	n, _ := strconv.ParseInt(q.Get("log_size"), 10, 64)
	return gongshi.AsOf{Date: q.Get("as_of"), LogSize: n}
}
