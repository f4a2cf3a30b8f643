package web

import (
	"fmt"

	"github.com/gongshi/gongshi"
)

// Provisional dates on pages (SPEC §10; gongshi provisional.go): a date that awaits a
// year's working-day schedule is shown with a mark, and regulators are warned on every page
// while a schedule is missing.

// ScheduleWarning is the warning that a year's working-day schedule is missing, for
// regulators and administrators, or "" (layout.html shows it on every page).
func (p *page) ScheduleWarning() string {
	if p.Account == nil || p.Account.Role != gongshi.RoleRegulator && p.Account.Role != gongshi.RoleAdmin {
		return ""
	}
	m := p.h.svc.MissingSchedule()
	if m == nil {
		return ""
	}
	return fmt.Sprintf(p.T("sched.banner"), m.Year, m.Since, m.Year)
}

// dueText shows a due date, marked when it is provisional.
func (p *page) dueText(due string, prov *gongshi.ProvisionalDates) string {
	if prov == nil {
		return due
	}
	return due + " " + p.T("rec.provisional")
}

// VersionDue is a version's publication deadline, marked when provisional.
func (p *page) VersionDue(v *gongshi.Version) string {
	if !v.Provisional.Has("due") {
		return v.Due.String()
	}
	return p.dueText(v.Due.String(), v.Provisional)
}

// VersionFields are the version's visible fields (Fields), a provisional date marked.
func (p *page) VersionFields(v *gongshi.Version) []labelled {
	k, err := gongshi.LookupKind(v.Kind)
	if err != nil {
		return nil
	}
	out := p.Fields(v.Kind, v.Fields)
	i := 0
	for _, f := range k.Fields {
		if _, ok := v.Fields[f.Name]; !ok {
			continue
		}
		if f.Type == gongshi.TypeDate && v.Provisional.Has("fields."+f.Name) {
			out[i].Value = p.dueText(out[i].Value, v.Provisional)
		}
		i++
	}
	return out
}
