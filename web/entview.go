package web

import (
	"html/template"
	"strings"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// enterpriseView is the enterprise page grouped and ordered as the national system does
// (TestEnterpriseSectionOrder): 市场监管部门公示信息 — 登记信息 (basics, shareholders, key personnel,
// branches, changes, other regulator records), then the lists and the spot checks —;
// 企业公示信息 (annual reports, capital, equity transfers, licences, IP pledges, penalties);
// 其他部门公示信息; 司法协助信息 (the courts' notices), last.
type enterpriseView struct {
	Ent          *gongshi.Enterprise
	Registration *gongshi.Record
	Basics       []labelled
	Shareholders table
	Personnel    table
	Branches     table
	Changes      []*gongshi.Version // later versions of the registration record, newest first

	Regulator  []kindGroup // other records published by the market regulator
	Enterprise []kindGroup // the enterprise's own disclosures (Art. 10)
	Department []kindGroup // other departments' records (Art. 7)
	Judicial   []kindGroup // courts' notices about shareholders' equity (司法协助)

	// ListStatus holds the list decisions (issue 5, kinds placed by pageSection); SpotChecks
	// the spot-check results (issue 6).
	ListStatus    []*gongshi.ListEntry
	ListDecisions []kindGroup
	SpotChecks    []kindGroup

	MayPublish []*gongshi.Kind // kinds the visitor may publish about this enterprise
	MayAmend   bool            // the visitor may record a registration change
	MayOrder   bool            // the visitor is a regulator in scope: may order a disclosure
	IsLiaison  bool            // the visitor speaks for this enterprise: may apply for removal or object
	// MayRepair and MayRemoveEarly: a regulator in scope, with a penalty shown to repair or
	// a serious listing in force to remove early (repair.go).
	MayRepair, MayRemoveEarly bool

	// ReadAt names the log prefix of a page read as of a past day (?as_of, ?log_size).
	ReadAt *gongshi.ReadAt
}

type labelled struct{ Label, Value string }

type table struct {
	Head []string
	Rows [][]string
}

type kindGroup struct {
	Kind    *gongshi.Kind
	Columns []gongshi.Field // the summary row: at most summaryColumns public scalar fields
	Records []*gongshi.Record
}

// summaryColumns is how many fields a record's summary row shows; the others are in its
// collapsed details, so that a table reads on a phone.
const summaryColumns = 5

// summaryFields are the fields a kind's summary row shows where the first public scalar
// fields are not the ones a reader looks for: a decision's list, reason, authority,
// number and date.
var summaryFields = map[string][]string{}

func init() {
	decision := []string{"list", "reason", "authority", "document_no", "decided"}
	for _, k := range gongshi.Kinds() {
		if k.Field("document_no") != nil && k.Field("counted_from") != nil {
			summaryFields[k.Name] = decision
		}
	}
	summaryFields["withdrawal"] = []string{"record_kind", "reason", "display_end"}
}

// summary is the fields of k's summary row.
func summary(k *gongshi.Kind) []gongshi.Field {
	if names, ok := summaryFields[k.Name]; ok {
		var out []gongshi.Field
		for _, n := range names {
			if f := k.Field(n); f != nil {
				out = append(out, *f)
			}
		}
		return out
	}
	cols := scalarPublic(k)
	if len(cols) > summaryColumns {
		cols = cols[:summaryColumns]
	}
	return cols
}

func (p *page) enterpriseView(ent *gongshi.Enterprise, recs []*gongshi.Record) *enterpriseView {
	v := &enterpriseView{Ent: ent}
	kr := gongshi.KindRegistration
	for _, f := range kr.Fields {
		if f.Type == gongshi.TypeList {
			continue
		}
		val, ok := ent.Profile[f.Name]
		if !ok {
			continue
		}
		if f.Type == gongshi.TypeObject {
			if m, ok := val.(map[string]any); ok {
				val = m["name"]
			}
		}
		label := p.FieldLabel(kr.Name, f.Name)
		if f.Name == "legal_representative" {
			label = p.RepresentativeTitle(ent)
		}
		v.Basics = append(v.Basics, labelled{label, p.enumValue(f, val)})
	}
	v.Shareholders = p.listTable(kr, "shareholders", ent.Profile)
	v.Personnel = p.listTable(kr, "key_personnel", ent.Profile)
	v.Branches = p.listTable(kr, "branches", ent.Profile)

	groups := map[gongshi.Section]map[string]*kindGroup{}
	var lists, checks []*gongshi.Record
	for _, r := range recs {
		if r.ID == ent.Registration {
			v.Registration = r
			for i := len(r.Versions) - 1; i >= 1; i-- {
				v.Changes = append(v.Changes, r.Versions[i])
			}
			continue
		}
		switch pageSection[r.Kind] {
		case "lists":
			lists = append(lists, r)
			continue
		case "checks":
			checks = append(checks, r)
			continue
		case "withdrawals": // shown on the row of the record withdrawn
			continue
		}
		if groups[r.Section] == nil {
			groups[r.Section] = map[string]*kindGroup{}
		}
		g := groups[r.Section][r.Kind]
		if g == nil {
			k, err := gongshi.LookupKind(r.Kind)
			if err != nil {
				continue
			}
			g = &kindGroup{Kind: k, Columns: summary(k)}
			groups[r.Section][r.Kind] = g
		}
		g.Records = append(g.Records, r)
	}
	for _, k := range gongshi.Kinds() {
		if g := groups[gongshi.SectionRegistration][k.Name]; g != nil {
			v.Regulator = append(v.Regulator, *g)
		}
		if g := groups[gongshi.SectionEnterprise][k.Name]; g != nil {
			v.Enterprise = append(v.Enterprise, *g)
		}
		if g := groups[gongshi.SectionDepartment][k.Name]; g != nil {
			v.Department = append(v.Department, *g)
		}
		if g := groups[gongshi.SectionJudicial][k.Name]; g != nil {
			v.Judicial = append(v.Judicial, *g)
		}
	}
	if ent.ListStatus != nil {
		v.ListStatus = ent.ListStatus.Entries
	}
	v.ListDecisions = groupByKind(lists)
	v.SpotChecks = groupByKind(checks)
	v.MayPublish = p.publishableKinds(ent)
	v.MayAmend = v.Registration != nil && p.mayAmend(v.Registration, ent)
	a := p.Account
	v.MayOrder = a.Covers(ent.Division) // a regulator in scope, or an administrator
	if v.MayOrder {
		pg := &gongshi.Page{Enterprise: ent, Records: recs}
		v.MayRepair = len(currentPenalties(pg, calendar.Date{})) > 0
		v.MayRemoveEarly = len(seriousListings(pg, calendar.DateOf(p.h.now()))) > 0
	}
	v.IsLiaison = a != nil && a.Role == gongshi.RoleEnterprise && a.Enterprise == ent.USCC.String()
	return v
}

// withoutActions drops the buttons that write: on a page read as of a past day they would
// act on what the page does not show.
func (v *enterpriseView) withoutActions() {
	v.MayPublish, v.MayAmend, v.MayOrder, v.MayRepair, v.MayRemoveEarly, v.IsLiaison = nil, false, false, false, false, false
}

// pageSection places record kinds in the page's own sections rather than by publisher:
// list decisions (issue 5 adds its kinds here) and spot-check results.
var pageSection = map[string]string{
	"spot_check_result": "checks",
	"withdrawal":        "withdrawals",
}

// groupByKind groups records by kind, in the kinds' order.
func groupByKind(recs []*gongshi.Record) []kindGroup {
	var out []kindGroup
	for _, k := range gongshi.Kinds() {
		g := kindGroup{Kind: k, Columns: summary(k)}
		for _, r := range recs {
			if r.Kind == k.Name {
				g.Records = append(g.Records, r)
			}
		}
		if len(g.Records) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// publishableKinds are the kinds the visitor's account may publish about ent (the
// service checks again on submission).
func (p *page) publishableKinds(ent *gongshi.Enterprise) []*gongshi.Kind {
	a := p.Account
	if a == nil {
		return nil
	}
	var out []*gongshi.Kind
	for _, k := range gongshi.Kinds() {
		if k != gongshi.KindRegistration && k.Hooks.Route == "" && a.Role != gongshi.RoleAdmin && gongshi.MayPublish(a, k, ent) == nil {
			out = append(out, k)
		}
	}
	return out
}

// scalarPublic are the public fields that are not lists or objects: a record's summary row.
func scalarPublic(k *gongshi.Kind) []gongshi.Field {
	var out []gongshi.Field
	for _, f := range k.Fields {
		if f.Visibility == gongshi.Public && f.Type != gongshi.TypeList && f.Type != gongshi.TypeObject {
			out = append(out, f)
		}
	}
	return out
}

// listTable renders a list field of a body as a table of its visible columns.
func (p *page) listTable(k *gongshi.Kind, name string, body map[string]any) table {
	f := k.Field(name)
	items, _ := body[name].([]any)
	var t table
	if f == nil || len(items) == 0 {
		return t
	}
	var cols []gongshi.Field
	for _, c := range f.Fields {
		for _, it := range items {
			if m, ok := it.(map[string]any); ok {
				if _, ok := m[c.Name]; ok {
					cols = append(cols, c)
					break
				}
			}
		}
	}
	for _, c := range cols {
		t.Head = append(t.Head, p.label(c))
	}
	for _, it := range items {
		m, _ := it.(map[string]any)
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = p.enumValue(c, m[c.Name])
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Details are the visible fields of v that its group's summary row does not show.
func (p *page) Details(g kindGroup, v *gongshi.Version) []labelled {
	shown := map[string]bool{}
	for _, c := range g.Columns {
		shown[c.Name] = true
	}
	var out []labelled
	for _, f := range g.Kind.Fields {
		if val, ok := v.Fields[f.Name]; ok && !shown[f.Name] {
			out = append(out, labelled{p.label(f), p.enumValue(f, val)})
		}
	}
	return out
}

// WithdrawnReason is a withdrawal's reason in the page's language: the sweep states it in
// Chinese with the English after it in brackets.
func (p *page) WithdrawnReason(w *gongshi.Withdrawal) string {
	zh, en, ok := strings.Cut(w.Reason, " (")
	if !ok {
		return w.Reason
	}
	if p.Lang == "en" {
		return strings.TrimSuffix(en, ")")
	}
	return zh
}

// Timeline draws the enterprise's life from its establishment to today: a mark for each
// record published on its side of the page (its first version, on the day the
// information arose), a bar for each time on a list.
func (p *page) Timeline(v *enterpriseView) template.HTML {
	today, _ := calendar.ParseDate(p.Today())
	from := v.Ent.Established
	if from.IsZero() || !from.Before(today) {
		return ""
	}
	rows := []timelineRow{{Label: p.T("tl.regulator")}, {Label: p.T("tl.enterprise")}, {Label: p.T("tl.department")}, {Label: p.T("tl.lists")}}
	rows[0].Marks = append(rows[0].Marks, span{From: from, Label: from.String() + " " + p.T("ent.established")})
	for _, c := range v.Changes {
		rows[0].Marks = append(rows[0].Marks, span{From: c.Arose, Label: c.Arose.String() + " " + p.T("ent.changes")})
	}
	add := func(row int, groups []kindGroup) {
		for _, g := range groups {
			for _, r := range g.Records {
				first := r.Versions[0]
				rows[row].Marks = append(rows[row].Marks, span{From: first.Arose, Label: first.Arose.String() + " " + p.KindLabel(g.Kind.Name)})
			}
		}
	}
	add(0, v.Regulator)
	add(0, v.SpotChecks)
	add(1, v.Enterprise)
	add(2, v.Department)
	for _, e := range v.ListStatus {
		since, err := calendar.ParseDate(e.Since)
		if err != nil {
			continue
		}
		until, _ := calendar.ParseDate(e.Until)
		label := p.T("list."+e.List) + " " + e.Since + " – " + e.Until
		rows[3].Spans = append(rows[3].Spans, span{From: since, To: until, Label: label})
	}
	return timeline(p.T("ent.timeline"), from, today, rows)
}
