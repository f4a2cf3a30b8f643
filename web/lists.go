package web

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// The lists (Art. 17; SPEC §8): the abnormal-operations list and the serious-violation
// list as of a date, an enterprise's list status, and the credit check a bidder runs on a
// batch of codes (Art. 18), downloadable as CSV.

func init() {
	for _, k := range []string{"abnormal_listing", "abnormal_removal", "abnormal_warning", "abnormal_marking",
		"marking_restoration", "serious_listing", "serious_removal", "serious_expiry", "objection_answer", "removal_answer"} {
		pageSection[k] = "lists"
	}
}

type listData struct {
	List, Division, AsOf, Cursor string
	Ground, Since                string // filters: the ground (1–4) and the first listing day
	Grounds                      []int  // the grounds the form offers
	Next                         string // the next page's URL, with the same filters
	Page                         *gongshi.ListPage
	Err                          *gongshi.Error
	Sizes                        []bar         // the list's size at each year's end and on the day asked
	SizeChart                    template.HTML // Sizes as columns
}

// lists shows a page of a list, filtered by jurisdiction, date, ground and first listing
// day (the newly listed, which the public asks for most); "next" pages on without a cap.
// The list's sizes by year are shown on the first page of the unfiltered list: they count
// the jurisdiction's whole list, not the entries a ground or listing day selects.
func (h *Handler) lists(p *page) error {
	q := p.r.URL.Query()
	d := listData{List: p.r.PathValue("list"), Division: strings.TrimSpace(q.Get("division")), AsOf: strings.TrimSpace(q.Get("as_of")), Cursor: q.Get("cursor"),
		Ground: strings.TrimSpace(q.Get("ground")), Since: strings.TrimSpace(q.Get("since")), Grounds: gongshi.ListingGrounds}
	p.Title = p.T("list." + d.List)
	pg, err := h.svc.List(p.r.Context(), gongshi.ListInput{List: d.List, Division: d.Division, AsOf: d.AsOf, Ground: d.Ground, Since: d.Since, Cursor: d.Cursor})
	switch c := gongshi.ErrorCode(err); {
	case c == gongshi.EINVALID && (d.List == gongshi.ListAbnormal || d.List == gongshi.ListSerious):
		d.Err, p.status = p.localError(err), http.StatusBadRequest
	case err != nil:
		return err
	default:
		d.Page = pg
		if pg.Next != "" {
			v := url.Values{"division": {d.Division}, "as_of": {d.AsOf}, "ground": {d.Ground}, "since": {d.Since}, "cursor": {pg.Next}}
			d.Next = "/lists/" + d.List + "?" + v.Encode()
		}
	}
	if d.Page != nil && d.Cursor == "" && d.Ground == "" && d.Since == "" {
		asOf, _ := calendar.ParseDate(d.Page.AsOf)
		sizes, err := h.svc.ListSizes(p.r.Context(), d.List, d.Division, asOf)
		if err != nil {
			return err
		}
		for i, sz := range sizes {
			label := strconv.Itoa(sz.AsOf.Year())
			if i == len(sizes)-1 {
				label = sz.AsOf.String()
			}
			d.Sizes = append(d.Sizes, bar{label, sz.Count})
		}
		d.SizeChart = columnChart(p.T("list.sizes"), d.Sizes)
	}
	return p.render("lists", d)
}

type creditData struct {
	Codes, AsOf string
	Check       *gongshi.CreditCheck
	Err         *gongshi.Error
}

// creditForm shows the credit-check form.
func (h *Handler) creditForm(p *page) error {
	p.Title = p.T("credit.title")
	return p.render("credit", creditData{AsOf: p.Today()})
}

// creditCheck answers the pasted codes (Service.CreditCheck) as a table, or as a CSV file
// when asked to download.
func (h *Handler) creditCheck(p *page) error {
	p.Title = p.T("credit.title")
	f := p.r.PostForm
	d := creditData{Codes: f.Get("codes"), AsOf: strings.TrimSpace(f.Get("as_of"))}
	codes := strings.FieldsFunc(d.Codes, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == ' ' || r == '\t' || r == '，' })
	chk, err := h.svc.CreditCheck(p.r.Context(), gongshi.CreditCheckRequest{AsOf: d.AsOf, Codes: codes})
	if gongshi.ErrorCode(err) == gongshi.EINVALID {
		d.Err, p.status = p.localError(err), http.StatusUnprocessableEntity
		return p.render("credit", d)
	}
	if err != nil {
		return err
	}
	if f.Get("format") == "csv" {
		p.writeCreditCSV(chk)
		p.done = true
		return nil
	}
	d.Check = chk
	return p.render("credit", d)
}

// writeCreditCSV writes the answer as CSV in the page's language, each row naming the
// date it is as of and the log checkpoint it was read at, so that a kept file is evidence.
func (p *page) writeCreditCSV(chk *gongshi.CreditCheck) {
	w := p.w
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="credit-check-%s.csv"`, chk.AsOf))
	w.Write([]byte("\uFEFF")) // so that spreadsheet programs read UTF-8
	cw := csv.NewWriter(w)
	cw.Write([]string{p.T("csv.code"), p.T("csv.status"), p.T("csv.may"), p.T("ent.uscc"), p.T("csv.name"), p.T("credit.lists"), p.T("list.asof"), p.T("csv.checkpoint")})
	cp := checkpointLine(chk.Checkpoint)
	for _, r := range chk.Results {
		var ls []string
		for _, l := range r.Lists {
			ls = append(ls, fmt.Sprintf(p.T("csv.listing"), p.T("list."+l.List), p.T(fmt.Sprintf("list.ground.%d", l.Ground)), l.Since, l.Authority, l.DocumentNo))
		}
		may := p.T("yes")
		if !r.MayParticipate {
			may = p.T("no")
		}
		cw.Write([]string{csvSafe(r.Code), p.enumLabel(r.Status), may, r.USCC, csvSafe(r.Name), csvSafe(strings.Join(ls, "; ")), chk.AsOf, cp})
	}
	cw.Flush()
}

// checkpointLine is a signed checkpoint's origin, tree size and root hash on one line.
func checkpointLine(note string) string {
	lines := strings.SplitN(note, "\n", 4)
	if len(lines) > 3 {
		lines = lines[:3]
	}
	return strings.Join(lines, " ")
}

// csvSafe keeps a cell from being read as a formula by a spreadsheet.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// enforcementQueue adds the removal applications and objections due (issue 5) to the
// regulator's queue.
func (h *Handler) enforcementQueue(p *page) ([]queueItem, error) {
	items, err := h.svc.EnforcementQueue(p.r.Context(), p.Account)
	if err != nil {
		return nil, err
	}
	var out []queueItem
	for _, it := range items {
		out = append(out, queueItem{What: p.T("enf.kind."+it.Kind) + " · " + it.Reason, Enterprise: it.USCC, Due: p.dueText(it.Due, it.Provisional),
			Link: "/reg/enforcement/" + url.PathEscape(it.ID), Overdue: it.Overdue, State: it.State})
	}
	return out, nil
}
