package web

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/catalogue"
)

// TestCatalogue checks that every UI string the templates and handlers use is in the
// catalogue in both languages.
func TestCatalogue(t *testing.T) {
	keyRE := regexp.MustCompile(`\.T "([a-z0-9_.]+)"|p\.T\("([a-z0-9_.]+)"\)`)
	var used []string
	fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if d.IsDir() {
			return nil
		}
		b, _ := fs.ReadFile(templateFS, path)
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			used = append(used, m[1])
		}
		return nil
	})
	gos, _ := filepath.Glob("*.go")
	for _, f := range gos {
		b, _ := os.ReadFile(f)
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			used = append(used, m[2])
		}
	}
	if len(used) < 100 {
		t.Fatalf("found %d uses of the catalogue, want many more", len(used))
	}
	for _, k := range used {
		if k == "" {
			continue
		}
		m, ok := catalogue.Entry(k)
		if !ok || m[0] == "" || m[1] == "" {
			t.Errorf("message %q is missing or untranslated", k)
		}
	}
}

// TestBarChart checks the chart escapes its labels and scales its bars.
func TestBarChart(t *testing.T) {
	svg := string(barChart(`<b>"t"`, []bar{{"<script>", 10}, {"浦东新区", 5}}))
	for _, bad := range []string{"<script>", "<b>"} {
		if regexp.MustCompile(regexp.QuoteMeta(bad)).MatchString(svg) {
			t.Errorf("chart has unescaped %q", bad)
		}
	}
	if !regexp.MustCompile(`width="380"`).MatchString(svg) || !regexp.MustCompile(`width="190"`).MatchString(svg) {
		t.Errorf("bars not scaled to the largest:\n%s", svg)
	}
}

// TestColumnChart checks the columns scale to the largest, every day of a window gets a
// column, and labels are escaped.
func TestColumnChart(t *testing.T) {
	days := everyDay([]bar{{"2026-01-30", 4}, {"2026-02-02", 2}})
	if len(days) != 4 || days[1] != (bar{"01-31", 0}) || days[3] != (bar{"02-02", 2}) {
		t.Errorf("everyDay: got %v, want four days from 01-30, the two between at 0", days)
	}
	svg := string(columnChart(`<b>`, []bar{{"<i>", 10}, {"2026", 5}}))
	if strings.Contains(svg, "<b>") || strings.Contains(svg, "<i>") {
		t.Errorf("chart has unescaped labels:\n%s", svg)
	}
	if !strings.Contains(svg, `height="160"`) || !strings.Contains(svg, `height="80"`) {
		t.Errorf("columns not scaled to the largest:\n%s", svg)
	}
}

// TestTimeline checks marks and spans fall where their days are.
func TestTimeline(t *testing.T) {
	from, to := calendar.MustDate(2020, 1, 1), calendar.MustDate(2024, 1, 1)
	svg := string(timeline("t", from, to, []timelineRow{{Label: "a", Marks: []span{{From: from.AddDays(from.AddYears(2).Sub(from)), Label: "m"}}},
		{Label: "b", Spans: []span{{From: calendar.MustDate(2022, 1, 1), Label: "s"}}}}))
	mid := 150 + calendar.MustDate(2022, 1, 1).Sub(from)*600/to.Sub(from)
	if !strings.Contains(svg, fmt.Sprintf(`<circle cx="%d"`, mid)) || !strings.Contains(svg, fmt.Sprintf(`<rect x="%d"`, mid)) {
		t.Errorf("mark and span not at x=%d:\n%s", mid, svg)
	}
}
