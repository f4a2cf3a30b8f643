package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"
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
		m, ok := messages[k]
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
