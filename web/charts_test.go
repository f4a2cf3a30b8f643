package web_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestCharts: the enterprise page draws its timeline (a listing as a bar), the list page
// its size over the years, as inline SVG, nothing loaded from elsewhere.
func TestCharts(t *testing.T) {
	e := newEnv(t)
	e.sweep()
	c := e.client()
	external := regexp.MustCompile(`(?:src|href)="(?:https?:)?//`)
	ent := e.get(c, "/e/"+e.seed.Enterprise)
	if !strings.Contains(ent.body, `id="timeline"`) || !strings.Contains(ent.body, `class="chart-span"`) || strings.Count(ent.body, `class="chart-mark"`) < 3 {
		t.Errorf("the enterprise page has no timeline with its listing and publications")
	}
	list := e.get(c, "/lists/abnormal")
	if !strings.Contains(list.body, `id="list-sizes"`) || strings.Count(list.body, `class="chart-bar"`) != 2026-2014+1 {
		t.Errorf("the list page has no column for each year since 2014 and today: %d columns", strings.Count(list.body, `class="chart-bar"`))
	}
	for name, pg := range map[string]page{"enterprise": ent, "list": list} {
		if m := external.FindString(pg.body); m != "" {
			t.Errorf("the %s page loads %s from elsewhere", name, m)
		}
	}
}
