package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi"
	gshttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/ident"
	"github.com/gongshi/gongshi/report"
)

// home is the front page: one search box (SPEC §12).
func (h *Handler) home(p *page) error {
	p.Title = "" // the layout names the site
	return p.render("home", nil)
}

type searchData struct {
	Q, Cursor, Next string
	Hits            []*gongshi.Enterprise
	Err             *gongshi.Error
	// CodeErr says what is wrong with a query that found nothing and has a code's length
	// but is not one: a character mistyped (codeMistyped).
	CodeErr *gongshi.Error
	Page    int
}

// search lists enterprises matching q, a page at a time with no cap: "next" carries the
// store's cursor, so every hit can be reached.
func (h *Handler) search(p *page) error {
	q := p.r.URL.Query()
	d := searchData{Q: strings.TrimSpace(q.Get("q")), Cursor: q.Get("cursor"), Page: 1}
	if n := atoiDefault(q.Get("page"), 1); n > 1 {
		d.Page = n
	}
	p.Query, p.Title = d.Q, p.T("search.title")
	res, err := h.svc.Search(p.r.Context(), gongshi.SearchQuery{Q: d.Q, Cursor: d.Cursor, Limit: 20})
	switch {
	case gongshi.ErrorCode(err) == gongshi.EINVALID:
		d.Err = p.localError(err)
		p.status = http.StatusBadRequest
	case err != nil:
		return err
	default:
		d.Hits, d.Next = res.Hits, res.Next
		if len(d.Hits) == 0 && d.Cursor == "" {
			d.CodeErr = p.localError(codeMistyped(d.Q))
		}
	}
	return p.render("search", d)
}

// codeMistyped returns what is wrong with q when it has the length of a USCC or a
// registration number, is made of letters and digits, and is not a valid one (a check
// character that does not match, a letter a code cannot hold); nil otherwise. A search
// for a code with one character mistyped finds nothing, and said no more.
func codeMistyped(q string) error {
	if (len(q) != 18 && len(q) != 15) || strings.Trim(strings.ToUpper(q), "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return nil
	}
	if _, err := ident.ParseCode(strings.ToUpper(q)); err != nil {
		return &gongshi.Error{Code: gongshi.EINVALID, Field: "q", Message: err.Error(), Fix: "if the code is uncertain, search by the enterprise's name"}
	}
	return nil
}

// suggest answers the search box's suggestions as a small JSON array of {name, code}; a
// query it does not take is a problem (400).
func (h *Handler) suggest(w http.ResponseWriter, r *http.Request) {
	type hint struct {
		Name string `json:"name"`
		Code string `json:"code"`
	}
	if err := checkQuery(r, []gshttp.Param{qSearch}); err != nil {
		gshttp.WriteProblem(w, err)
		return
	}
	out := []hint{}
	res, err := h.svc.Search(r.Context(), gongshi.SearchQuery{Q: r.URL.Query().Get("q"), Limit: 8})
	if err == nil {
		for _, e := range res.Hits {
			out = append(out, hint{e.Name, e.USCC.String()})
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=60")
	json.NewEncoder(w).Encode(out)
}

// enterprise is the enterprise page.
func (h *Handler) enterprise(p *page) error {
	ctx := p.r.Context()
	viewer := p.Account
	q := p.r.URL.Query()
	size, _ := strconv.ParseInt(q.Get("log_size"), 10, 64) // checked against qLogSize
	pg, err := h.svc.PageAt(ctx, viewer, p.r.PathValue("code"), gongshi.AsOf{Date: q.Get("as_of"), LogSize: size})
	if err != nil {
		return err
	}
	p.Title = pg.Enterprise.Name
	v := p.enterpriseView(pg.Enterprise, pg.Records)
	if v.ReadAt = pg.ReadAt; v.ReadAt != nil {
		v.withoutActions() // a past day's page is read, not acted on: its actions are on today's
	}
	return p.render("enterprise", v)
}

type recordData struct {
	Record *gongshi.Record
	Kind   *gongshi.Kind
	Ent    *gongshi.Enterprise
	// Newest first: the current version leads, the history follows.
	Versions []*gongshi.Version
	MayAmend bool
	// Decision says the record is an enforcement decision, whose versions are also
	// documents to print (GET /api/v1/records/{id}/decision.pdf).
	Decision bool
}

// record shows a record with every version: before and after, and what changed (Art. 12).
func (h *Handler) record(p *page) error {
	ctx := p.r.Context()
	r, ent, err := h.svc.Record(ctx, p.Account, p.r.PathValue("id"))
	if err != nil {
		return err
	}
	k, err := gongshi.LookupKind(r.Kind)
	if err != nil {
		return err
	}
	d := recordData{Record: r, Kind: k, Ent: ent, MayAmend: p.mayAmend(r, ent), Decision: report.IsDecision(r.Kind)}
	for i := len(r.Versions) - 1; i >= 0; i-- {
		d.Versions = append(d.Versions, r.Versions[i])
	}
	p.Title = p.KindLabel(r.Kind) + " · " + ent.Name
	return p.render("record", d)
}

// mayAmend is whether to offer the correction form; the service decides on submission.
func (p *page) mayAmend(r *gongshi.Record, ent *gongshi.Enterprise) bool {
	a := p.Account
	if a == nil {
		return false
	}
	if k, err := gongshi.LookupKind(r.Kind); err != nil || !k.AmendedByForm() {
		return false // decisions change only through objections and removals
	}
	return gongshi.MayAmend(a, r, ent) == nil
}

func atoiDefault(s string, def int) int {
	n := 0
	if s == "" || len(s) > 6 {
		return def
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return def
		}
		n = n*10 + int(c-'0')
	}
	return n
}
