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

var provisionalMessages = map[string][2]string{
	"rec.provisional": {"（暂定）", "(provisional)"},
	"rec.provisional.note": {"标注“暂定”的日期所在年度的节假日安排尚未载入：按法律规定的名义日期公示，载入后自动确定并以新版本公示。",
		"Dates marked provisional fall in a year whose holidays are not yet loaded: they are the nominal days the law states, settled by a new version once the year is loaded."},
	"sched.banner": {"工作日历缺少%d年节假日安排（自%s起预警）：涉及该年的期限均为暂定日期。请管理员将国务院公布的%d年节假日安排载入数据目录的 calendar.txt，载入后自动确定。",
		"The working-day calendar has no %d schedule (warned since %s): every period ending in that year is provisional. An administrator loads the State Council's %d holidays into calendar.txt in the data folder; the dates are then settled automatically."},
	"reg.awaiting": {"等待节假日安排确定的暂定日期（记录、案件）", "Subjects with provisional dates awaiting a year's schedule (records, cases)"},
}

func init() {
	for k, v := range provisionalMessages {
		messages[k] = v
	}
}
