package main

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/gongshi/gongshi/demo"
)

// rawCode is what a page must not show a reader as text: a snake_case identifier
// (in_force, non_cooperation), a policy entry's reference (remedy.review@2014-10-01), or
// one of the one-word codes of lists, states and roles.
var rawCode = regexp.MustCompile(`\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+@\d{4}-\d\d-\d\d\b|\b(?:abnormal|serious|marked|operating|suspended|liquidating|void|upheld|rejected|removed|refused|clear|listed|regulator|enterprise|department|written|network|open|fulfilled|valid|cancelled|granted|changed|planned|drawn)\b`)

// englishSentence is three English words in a row: on a Chinese page, a sentence (most
// likely an error's) left untranslated.
var englishSentence = regexp.MustCompile(`[A-Za-z]{2,}(?:[ ,;:'’()]+[A-Za-z]{2,}){2,}`)

// machineText are elements whose text is data for machines (a leaf's JSON, a hash, a
// checkpoint), and the page's scripts and styles.
var machineText = regexp.MustCompile(`(?is)<(script|style|pre|code)\b.*?</(script|style|pre|code)>`)

var (
	tagRE  = regexp.MustCompile(`(?s)<[^>]*>`)
	hrefRE = regexp.MustCompile(`href="(/[^"#]*)"`)
	digits = regexp.MustCompile(`[0-9A-Z]{6,}|[0-9]+`)
)

// visibleText is a page's text as a reader sees it, without the machine data.
func visibleText(body string) string {
	return html.UnescapeString(tagRE.ReplaceAllString(machineText.ReplaceAllString(body, " "), " "))
}

// TestPagesShowNoRawCodes builds a demo register big enough for the demo's draws (3,000
// enterprises: every kind of record, the lists swept over four years, removals, cases),
// serves it, walks the Chinese pages from the front page and from a record of each kind of
// the later rules (each must be in the demo) — a few of each kind of page —
// and fails on any raw code or English sentence in their visible text; then asks a few
// pages with bad input, whose errors must be in Chinese too.
func TestPagesShowNoRawCodes(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runMain("demo", "--data", dir, "--enterprises", "3000"); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, tail(stderr, 2000))
	}
	s := startServer(t, dir)
	seen := map[string]bool{}
	perShape := map[string]int{}
	queue := []string{"/", "/lists/abnormal", "/lists/serious", "/draws", "/case", "/credit-check", "/login"}
	// The later rules' records (issue 16) are in the demo, and their pages are walked first.
	for _, k := range demo.LaterKinds() {
		resp, err := http.Get(s.url + "/api/v1/changes?kind=" + k + "&limit=2")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for dec := json.NewDecoder(resp.Body); ; {
			var ev struct{ Kind, Subject, Record string }
			if dec.Decode(&ev) != nil {
				break
			}
			if ev.Kind == k {
				n++
				queue = append([]string{"/e/" + ev.Subject, "/r/" + ev.Record}, queue...)
			}
		}
		resp.Body.Close()
		if n == 0 {
			t.Errorf("the demo has no %s record", k)
		}
	}
	pages, decisions := 0, 0
	for len(queue) > 0 && pages < 160 {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		resp, err := http.Get(s.url + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		pages++
		body := string(b)
		if strings.Contains(body, "列入经营异常名录决定") {
			decisions++
		}
		if m := rawCode.FindAllString(visibleText(body), 5); m != nil {
			t.Errorf("%s shows raw codes %q", path, m)
		}
		if m := englishSentence.FindAllString(visibleText(body), 3); m != nil {
			t.Errorf("%s shows English %q", path, m)
		}
		for _, l := range hrefRE.FindAllStringSubmatch(body, -1) {
			link := html.UnescapeString(l[1])
			if strings.Contains(link, "lang=en") || strings.HasPrefix(link, "/api/") || strings.HasPrefix(link, "/log/") || strings.HasPrefix(link, "/static/") {
				continue
			}
			shape := digits.ReplaceAllString(link, "N")
			if !seen[link] && perShape[shape] < 10 {
				perShape[shape]++
				queue = append(queue, link)
			}
		}
	}
	// Bad input is answered in Chinese too: the error, its fix, no code.
	for _, path := range []string{"/search?q=x", "/lists/abnormal?division=abc", "/lists/serious?as_of=2026-13-01",
		"/case?number=J2026-310115-999999&check=AAAA-BBBB-CCCC", "/e/91310000MA1FL0000X", "/r/99999999", "/no-such-page"} {
		resp, err := http.Get(s.url + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		text := visibleText(string(b))
		if resp.StatusCode < 400 && !strings.Contains(text, "没有") {
			t.Errorf("%s: status %d, want an error", path, resp.StatusCode)
		}
		if m := rawCode.FindAllString(text, 5); m != nil {
			t.Errorf("%s shows raw codes %q", path, m)
		}
		if m := englishSentence.FindAllString(text, 3); m != nil {
			t.Errorf("%s shows English %q", path, m)
		}
	}
	if pages < 30 || decisions == 0 {
		t.Errorf("walked %d pages, %d with a listing decision: want more of the register", pages, decisions)
	}
	for _, want := range []string{"/e/N", "/r/N", "/r/N/v/N/verify", "/draws/DN-N-N"} {
		if perShape[want] == 0 {
			t.Errorf("the walk reached no page like %s", want)
		}
	}
}
