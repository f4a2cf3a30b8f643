package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axePath is where .ci/run installs axe-core from npm (npm install --prefix .ci axe-core).
const axePath = "../.ci/node_modules/axe-core/axe.min.js"

// axeViolation is one rule axe-core found broken, with the elements that break it.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// axeCheck runs axe-core on the page the tab shows and fails the test on any serious or
// critical violation.
func axeCheck(t *testing.T, ctx context.Context, src, name string) {
	t.Helper()
	read(t, ctx, "load axe-core on "+name, chromedp.Evaluate[bool](src+";true"))
	vs := read(t, ctx, "run axe-core on "+name, chromedp.Evaluate[[]axeViolation](
		`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical"))`,
		chromedp.EvalAwaitPromise))
	for _, v := range vs {
		var where []string
		for i, n := range v.Nodes {
			if i == 3 {
				where = append(where, "…")
				break
			}
			for _, tg := range n.Target {
				if s, ok := tg.(string); ok {
					where = append(where, s)
				}
			}
		}
		t.Errorf("%s: %s %s (%s) at %s", name, v.Impact, v.ID, v.Help, strings.Join(where, ", "))
	}
}

// TestBrowserAccessibility loads axe-core (from npm) into headless Chromium and checks
// every main page — public, enterprise and regulator, in Chinese and English, on a
// desktop and a phone — for serious and critical violations, and that the public pages
// fit a 360 px phone's width.
func TestBrowserAccessibility(t *testing.T) {
	abs, _ := filepath.Abs(axePath)
	b, err := os.ReadFile(abs)
	if err != nil {
		t.Fatalf("axe-core is needed at %s (.ci/run installs it: npm install --prefix .ci axe-core): %v", abs, err)
	}
	src := string(b)
	e := newEnv(t)
	e.sweep()
	ctx := newBrowser(t)
	ent := "/e/" + e.seed.Enterprise
	do(t, ctx, "enterprise page", chromedp.Navigate(e.url+ent), chromedp.WaitVisible(chromedp.ID("reg")))
	rec := read(t, ctx, "a record", chromedp.Evaluate[string](`document.querySelector('#ent a[href^="/r/"]').getAttribute("href")`))
	public := []string{"/", "/?lang=en", "/search?q=" + "%E4%B8%8A%E6%B5%B7", ent, ent + "?lang=en", rec, rec + "/v/1/verify",
		"/lists/abnormal", "/lists/serious", "/credit-check", "/case", "/case/new", "/draws", "/check-items", "/data", "/login", "/no-such-page"}
	check := func(paths []string) {
		for _, p := range paths {
			do(t, ctx, "open "+p, chromedp.Navigate(e.url+p), chromedp.WaitReady(chromedp.CSS("footer")))
			axeCheck(t, ctx, src, p)
		}
	}
	check(public)
	do(t, ctx, "phone width", chromedp.EmulateViewport(360, 740))
	phone := []string{"/", ent, rec, "/lists/abnormal", "/search?q=" + "%E4%B8%8A%E6%B5%B7", "/draws", "/data", "/case/new"}
	check(phone)
	for _, p := range phone { // a page that reads on a phone needs no sideways scrolling
		do(t, ctx, "open "+p, chromedp.Navigate(e.url+p), chromedp.WaitReady(chromedp.CSS("footer")))
		if w := read(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 360 {
			t.Errorf("%s is %d px wide on a 360 px phone", p, w)
		}
	}
	do(t, ctx, "credit check on a phone", chromedp.Navigate(e.url+"/credit-check"), chromedp.WaitVisible(chromedp.ID("codes")),
		chromedp.SendKeys(chromedp.ID("codes"), e.seed.Enterprise+"\n"+e.seed.Others[0]+"\n91310000XXXXXXXXXX"),
		chromedp.Click(chromedp.CSS(`button[value="html"]`)), chromedp.WaitVisible(chromedp.ID("credit-results")))
	if w := read(t, ctx, "page width", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 360 {
		t.Errorf("the credit check's results are %d px wide on a 360 px phone", w)
	}
	axeCheck(t, ctx, src, "credit-check results")
	do(t, ctx, "desktop width", chromedp.EmulateViewport(1280, 1000))
	do(t, ctx, "back to Chinese", chromedp.Navigate(e.url+"/?lang=zh"))
	login(t, ctx, e, e.seed.Liaison)
	check([]string{"/my", "/my/annual/2025", "/my/consent", ent})
	do(t, ctx, "log out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.ID("q")))
	login(t, ctx, e, e.seed.Regulator)
	check([]string{"/reg", "/reg/register", "/reg/progress?year=2025", "/reg/draws", ent, ent + "/order", ent + "/listing", ent + "/licence-revocation",
		ent + "/credit-repair", ent + "/early-removal"})
}
