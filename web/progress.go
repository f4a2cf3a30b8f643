package web

import (
	"sort"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/division"
)

// filingProgress counts a year's annual reports filed per day of the window and per
// district of the regulator's jurisdiction (Service.FilingProgress).
func (h *Handler) filingProgress(p *page, year int) (byDay, byDistrict []bar, err error) {
	counts, err := h.svc.FilingProgress(p.r.Context(), p.Account, year)
	if err != nil {
		return nil, nil, err
	}
	days := map[string]int{}
	dists := map[string]int{}
	for _, c := range counts {
		days[c.Filed] += c.Count
		dists[c.Division] += c.Count
	}
	for d, n := range days {
		byDay = append(byDay, bar{d, n})
	}
	sort.Slice(byDay, func(i, j int) bool { return byDay[i].Label < byDay[j].Label })
	for code, n := range dists {
		label := code
		if d, ok := division.Lookup(code); ok {
			label = d.Name + " " + code
		}
		byDistrict = append(byDistrict, bar{label, n})
	}
	sort.Slice(byDistrict, func(i, j int) bool {
		if byDistrict[i].Value != byDistrict[j].Value {
			return byDistrict[i].Value > byDistrict[j].Value
		}
		return byDistrict[i].Label < byDistrict[j].Label
	})
	return byDay, byDistrict, nil
}

// everyDay fills the days between the first and the last of byDay (sorted, labelled
// YYYY-MM-DD) with the days nothing was filed, labelled MM-DD, so that the chart's columns
// are days.
func everyDay(byDay []bar) []bar {
	first, err1 := calendar.ParseDate(byDay[0].Label)
	last, err2 := calendar.ParseDate(byDay[len(byDay)-1].Label)
	if err1 != nil || err2 != nil {
		return byDay
	}
	n := map[string]int{}
	for _, b := range byDay {
		n[b.Label] = b.Value
	}
	var out []bar
	for d := first; !d.After(last); d = d.AddDays(1) {
		out = append(out, bar{d.String()[5:], n[d.String()]})
	}
	return out
}
