package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/draw"
)

// The regulator's draw desk (Art. 14; SPEC §6): plan a draw — undirected over the
// jurisdiction or directed over a stratum — with the policy's minimum sample shown, run it
// (which reveals the seed), and record the result of each check (method, findings,
// outcome). Every step goes through the service (PlanDraw, RunDraw, RecordResult); the
// public draw page (/draws/{number}) shows what anyone needs to re-derive the selection.

type drawDeskData struct {
	Fields     []formField
	Err        *gongshi.Error
	ErrID      string
	Population *gongshi.DrawPopulation
	Draws      []*gongshi.Draw
}

func (p *page) drawPlanFields(f url.Values) []formField {
	get := func(n, def string) string {
		if v := strings.TrimSpace(f.Get(n)); v != "" {
			return v
		}
		return def
	}
	// sel offers values; coded ones (industries, sizes, lists) show their catalogue names.
	sel := func(name, label string, values []string, coded bool) formField {
		ff := formField{Name: name, ID: fieldID(name), Label: label, Input: "select", Value: f.Get(name), Options: []option{{"", p.T("draw.any")}}}
		for _, v := range values {
			shown := v
			if coded {
				shown = p.enumLabel(v)
			}
			ff.Options = append(ff.Options, option{v, shown})
		}
		return ff
	}
	return []formField{
		{Name: "title", ID: "f-title", Label: p.T("draw.name"), Value: f.Get("title"), Required: true},
		{Name: "jurisdiction", ID: "f-jurisdiction", Label: p.T("reg.jurisdiction"), Value: get("jurisdiction", p.Account.Jurisdiction), Mode: "numeric", Required: true},
		{Name: "directed", ID: "f-directed", Label: p.T("draw.directed.label"), Input: "checkbox", Checked: f.Get("directed") != ""},
		{Name: "stratum.divisions", ID: "f-stratum-divisions", Label: p.T("draw.stratum.divisions"), Value: f.Get("stratum.divisions")},
		sel("stratum.types", p.T("draw.stratum.types"), gongshi.EnterpriseTypes, false),
		sel("stratum.statuses", p.T("draw.stratum.statuses"), gongshi.EnterpriseStatuses, false),
		sel("stratum.industries", p.T("draw.stratum.industries"), gongshi.Industries, true),
		sel("stratum.sizes", p.T("draw.stratum.sizes"), gongshi.Sizes, true),
		{Name: "sample_size", ID: "f-sample_size", Label: p.T("draw.samplesize"), Value: f.Get("sample_size"), Mode: "numeric", Required: true},
		{Name: "inspectors_per_enterprise", ID: "f-inspectors_per_enterprise", Label: p.T("draw.per"), Value: get("inspectors_per_enterprise", "2"), Mode: "numeric"},
		{Name: "check_items", ID: "f-check_items", Label: p.T("draw.items"), Value: f.Get("check_items")},
	}
}

func fieldID(name string) string {
	return "f-" + strings.NewReplacer(".", "-", "[", "-", "]", "").Replace(name)
}

// drawPlanInput reads a plan from the form; a stratum only when directed.
func drawPlanInput(f url.Values) gongshi.DrawPlan {
	in := gongshi.DrawPlan{Title: strings.TrimSpace(f.Get("title")), Jurisdiction: strings.TrimSpace(f.Get("jurisdiction"))}
	in.SampleSize, _ = strconv.Atoi(strings.TrimSpace(f.Get("sample_size")))
	in.InspectorsPerEnterprise, _ = strconv.Atoi(strings.TrimSpace(f.Get("inspectors_per_enterprise")))
	in.CheckItems = splitList(f.Get("check_items"))
	if f.Get("directed") == "" {
		return in
	}
	st := &gongshi.Stratum{Divisions: splitList(f.Get("stratum.divisions"))}
	if t := f.Get("stratum.types"); t != "" {
		st.Types = []string{t}
	}
	if s := f.Get("stratum.statuses"); s != "" {
		st.Statuses = []string{s}
	}
	if s := f.Get("stratum.industries"); s != "" {
		st.Industries = []string{s}
	}
	if s := f.Get("stratum.sizes"); s != "" {
		st.Sizes = []string{s}
	}
	in.Stratum = st
	return in
}

// splitList splits a list typed into one input at commas (either width) and spaces.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '，' || r == '、' })
}

var indexRE = regexp.MustCompile(`\[\d+\]`)

// attachTo puts a domain error next to the input it names (list indexes dropped: a list is
// one input here) and returns the input's id.
func attachTo(p *page, fields []formField, err error) (*gongshi.Error, string) {
	e := p.localError(err)
	if e == nil {
		return nil, ""
	}
	name := indexRE.ReplaceAllString(e.Field, "")
	for name != "" {
		for i := range fields {
			if fields[i].Name == name {
				fields[i].Err, fields[i].Fix = e.Message, e.Fix
				return e, fields[i].ID
			}
		}
		i := strings.LastIndexByte(name, '.') // evidence.url is the evidence input
		if i < 0 {
			break
		}
		name = name[:i]
	}
	return e, ""
}

func (h *Handler) drawDeskSetup(p *page) error {
	if err := p.requireRole(gongshi.RoleRegulator, gongshi.RoleAdmin); err != nil {
		return err
	}
	p.Title = p.T("desk.title")
	return nil
}

func (h *Handler) renderDesk(p *page, d drawDeskData) error {
	ds, err := h.svc.Draws(p.r.Context(), p.Account.Jurisdiction)
	if err != nil {
		return err
	}
	d.Draws = ds
	return p.render("regdraws", d)
}

// drawDesk shows the plan form, the population and minimum sample of the jurisdiction,
// and the jurisdiction's draws.
func (h *Handler) drawDesk(p *page) error {
	if err := h.drawDeskSetup(p); err != nil {
		return err
	}
	d := drawDeskData{Fields: p.drawPlanFields(url.Values{})}
	pop, err := h.svc.PreviewDraw(p.r.Context(), p.Account, gongshi.DrawPlan{})
	if err != nil {
		return err
	}
	d.Population = pop
	return h.renderDesk(p, d)
}

// planDraw shows the population and minimum of the plan (action "preview") or publishes
// the plan (Service.PlanDraw) and goes to its page.
func (h *Handler) planDraw(p *page) error {
	if err := h.drawDeskSetup(p); err != nil {
		return err
	}
	f := p.r.PostForm
	in := drawPlanInput(f)
	d := drawDeskData{Fields: p.drawPlanFields(f)}
	pop, err := h.svc.PreviewDraw(p.r.Context(), p.Account, in)
	if err == nil && f.Get("action") != "preview" {
		var dr *gongshi.Draw
		if dr, err = h.svc.PlanDraw(p.r.Context(), p.Account, in); err == nil {
			return p.redirect("/reg/draws/" + url.PathEscape(dr.Number))
		}
	}
	d.Population = pop
	if c := gongshi.ErrorCode(err); c != "" && c != gongshi.EINVALID {
		return err
	}
	if err != nil {
		d.Err, d.ErrID = attachTo(p, d.Fields, err)
		p.status = http.StatusUnprocessableEntity
	}
	return h.renderDesk(p, d)
}

type drawWorkData struct {
	Draw     *gongshi.Draw
	Selected []draw.Assignment
	Results  []*gongshi.SpotCheckResult
	Done     map[string]bool
	Fields   []formField
	Err      *gongshi.Error
	ErrID    string
	Recorded bool
}

func (p *page) resultFields(f url.Values, open []draw.Assignment) []formField {
	ent := formField{Name: "enterprise", ID: "f-enterprise", Label: p.T("reg.enterprise"), Input: "select", Value: f.Get("enterprise"), Required: true}
	for _, a := range open {
		ent.Options = append(ent.Options, option{a.Code, a.Code})
	}
	method := formField{Name: "method", ID: "f-method", Label: p.T("result.method"), Input: "select", Value: f.Get("method"), Required: true, Options: []option{{"", "—"}}}
	for _, m := range gongshi.CheckMethods {
		method.Options = append(method.Options, option{m, p.T("result.method." + m)})
	}
	outcome := formField{Name: "outcome", ID: "f-outcome", Label: p.T("case.outcome"), Input: "select", Value: f.Get("outcome"), Required: true, Options: []option{{"", "—"}}}
	for _, o := range gongshi.CheckOutcomes {
		outcome.Options = append(outcome.Options, option{o, p.T("result.outcome." + o)})
	}
	item := formField{Name: "item", ID: "f-item", Label: p.T("order.item"), Input: "select", Value: f.Get("item"), Options: []option{{"", "—"}}}
	for _, it := range gongshi.OrderItems {
		item.Options = append(item.Options, option{it, p.KindLabel(it)})
	}
	checked := f.Get("checked")
	if checked == "" {
		checked = p.Today()
	}
	return []formField{ent, method,
		{Name: "firm", ID: "f-firm", Label: p.T("result.firm"), Value: f.Get("firm")},
		{Name: "checked", ID: "f-checked", Label: p.T("draw.checked"), Input: "date", Value: checked, Required: true},
		{Name: "findings", ID: "f-findings", Label: p.T("result.findings"), Input: "textarea", Value: f.Get("findings"), Required: true},
		outcome, item,
	}
}

// drawWork shows a draw of the regulator's jurisdiction: the run button while planned;
// the selection with its inspectors and the result form once drawn.
func (h *Handler) drawWork(p *page) error { return h.showDrawWork(p, url.Values{}, nil) }

func (h *Handler) showDrawWork(p *page, f url.Values, ferr error) error {
	if err := h.drawDeskSetup(p); err != nil {
		return err
	}
	ctx := p.r.Context()
	dr, err := h.svc.Draw(ctx, p.r.PathValue("number"))
	if err != nil {
		return err
	}
	if p.Account.Role == gongshi.RoleRegulator && !p.Account.Covers(dr.Jurisdiction) {
		return gongshi.Errorf(gongshi.EFORBIDDEN, "draw %s is in jurisdiction %s, outside yours", dr.Number, dr.Jurisdiction)
	}
	p.Title = p.T("draw.title") + " " + dr.Number
	d := drawWorkData{Draw: dr, Done: map[string]bool{}, Recorded: p.r.URL.Query().Get("recorded") == "1"}
	if dr.State == gongshi.DrawDrawn {
		text, err := h.svc.DrawText(ctx, dr.Number, "result")
		if err != nil {
			return err
		}
		if d.Selected, err = draw.ParseResult(text); err != nil {
			return err
		}
		if d.Results, err = h.svc.SpotCheckResults(ctx, dr.Number); err != nil {
			return err
		}
		for _, r := range d.Results {
			d.Done[r.Enterprise] = true
		}
		var open []draw.Assignment
		for _, a := range d.Selected {
			if !d.Done[a.Code] {
				open = append(open, a)
			}
		}
		if len(open) > 0 {
			d.Fields = p.resultFields(f, open)
		}
	}
	if ferr != nil {
		d.Err, d.ErrID = attachTo(p, d.Fields, ferr)
		p.status = http.StatusUnprocessableEntity
	}
	return p.render("regdraw", d)
}

// runDraw reveals the seed and publishes the selection (Service.RunDraw).
func (h *Handler) runDraw(p *page) error {
	if err := h.drawDeskSetup(p); err != nil {
		return err
	}
	n := p.r.PathValue("number")
	if _, err := h.svc.RunDraw(p.r.Context(), p.Account, n); err != nil {
		if c := gongshi.ErrorCode(err); c == gongshi.EINVALID || c == gongshi.ECONFLICT {
			return h.showDrawWork(p, url.Values{}, err)
		}
		return err
	}
	return p.redirect("/reg/draws/" + url.PathEscape(n))
}

// recordResult publishes the result of one check (Service.RecordResult).
func (h *Handler) recordResult(p *page) error {
	if err := h.drawDeskSetup(p); err != nil {
		return err
	}
	n, f := p.r.PathValue("number"), p.r.PostForm
	in := gongshi.CheckResult{Enterprise: f.Get("enterprise"), Method: f.Get("method"), Firm: strings.TrimSpace(f.Get("firm")),
		Checked: strings.TrimSpace(f.Get("checked")), Findings: strings.TrimSpace(f.Get("findings")), Outcome: f.Get("outcome"), Item: f.Get("item")}
	if in.Outcome != gongshi.OutcomeNotDisclosed {
		in.Item = "" // the item is asked only of an item not disclosed
	}
	if _, err := h.svc.RecordResult(p.r.Context(), p.Account, n, in); err != nil {
		if c := gongshi.ErrorCode(err); c == gongshi.EINVALID || c == gongshi.ECONFLICT {
			return h.showDrawWork(p, f, err)
		}
		return err
	}
	return p.redirect("/reg/draws/" + url.PathEscape(n) + "?recorded=1")
}
