package web

import (
	"html/template"

	"github.com/gongshi/gongshi"
)

// The logged-in accounts' pages: the enterprise liaison's own page (obligations,
// disclosures, corrections, consent — Art. 8–12) and the regulator's work queue.

type myData struct {
	View *enterpriseView
	// Obligations are the annual reports and orders due (obligations.go).
	Obligations []obligation
}

// obligation is something the enterprise owes and by when (SPEC §4).
type obligation struct {
	What, Due, Policy, Link, State string
	Overdue, Done                  bool
}

// myEnterprise is the liaison's page.
func (h *Handler) myEnterprise(p *page) error {
	if err := p.requireRole(gongshi.RoleEnterprise); err != nil {
		return err
	}
	ctx := p.r.Context()
	ent, err := h.svc.Enterprise(ctx, p.Account, p.Account.Enterprise)
	if err != nil {
		return err
	}
	_, recs, err := h.svc.Records(ctx, p.Account, ent.USCC.String())
	if err != nil {
		return err
	}
	d := myData{View: p.enterpriseView(ent, recs)}
	d.Obligations, err = h.obligations(p, ent)
	if err != nil {
		return err
	}
	p.Title = p.T("my.title") + " · " + ent.Name
	return p.render("my", d)
}

type queueData struct {
	// Items are decisions (issue 5) and cases (issue 6) due and overdue in the regulator's
	// jurisdiction, oldest due first; until those land the queue is empty.
	Items        []queueItem
	Jurisdiction string
	// Awaiting counts the subjects with provisional dates by the year they await (SPEC §10).
	Awaiting map[int]int
}

// queueItem is one thing a regulator must decide by a date.
type queueItem struct {
	What, Enterprise, Due, Link, State string
	Overdue                            bool
}

// workQueue is the regulator's home: what is due and overdue, and the forms.
func (h *Handler) workQueue(p *page) error {
	if err := p.requireRole(gongshi.RoleRegulator, gongshi.RoleAdmin); err != nil {
		return err
	}
	p.Title = p.T("reg.title")
	items, err := h.queue(p)
	if err != nil {
		return err
	}
	st, err := h.svc.ScheduleStatus(p.r.Context())
	if err != nil {
		return err
	}
	return p.render("queue", queueData{Items: items, Jurisdiction: p.Account.Jurisdiction, Awaiting: st.Awaiting})
}

type progressData struct {
	Year       int
	ByDay      []bar
	ByDistrict []bar
	DayChart   template.HTML
	DistChart  template.HTML
}

// progress charts annual-report filing through the window (Art. 8: 1 Jan – 30 Jun), by day
// and by district of the regulator's jurisdiction.
func (h *Handler) progress(p *page) error {
	if err := p.requireRole(gongshi.RoleRegulator, gongshi.RoleAdmin); err != nil {
		return err
	}
	p.Title = p.T("progress.title")
	year := h.now().Year() - 1
	if y := atoiDefault(p.r.URL.Query().Get("year"), 0); y > 2013 && y < 3000 {
		year = y
	}
	d := progressData{Year: year}
	var err error
	d.ByDay, d.ByDistrict, err = h.filingProgress(p, year)
	if err != nil {
		return err
	}
	if len(d.ByDay) > 0 {
		d.DayChart = columnChart(p.T("progress.byday"), everyDay(d.ByDay))
	}
	if len(d.ByDistrict) > 0 {
		d.DistChart = barChart(p.T("progress.bydistrict"), d.ByDistrict)
	}
	return p.render("progress", d)
}
