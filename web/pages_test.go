package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/ident"
	"github.com/gongshi/gongshi/initials"
)

var (
	hrefRE  = regexp.MustCompile(`(?i)\b(?:src|href|action|srcset|poster|data)\s*=\s*"([^"]*)"`)
	linkRE  = regexp.MustCompile(`href="(/(?:e|r)/[^"#?]+)"`)
	tokenRE = regexp.MustCompile(`gs_[A-Za-z0-9_-]{20,}`)
)

// publicPages crawls the public pages from the front page through a search, every
// enterprise found, every record and every verify page.
func (e *env) publicPages(c *http.Client) map[string]page {
	e.t.Helper()
	pages := map[string]page{}
	queue := []string{"/", "/search?q=" + url.QueryEscape("上海"), "/login", "/search?q=x", "/e/" + e.seed.Enterprise + "?lang=en",
		"/lists/abnormal", "/lists/serious", "/credit-check", "/draws", "/check-items", "/data", "/case", "/case?number="}
	for len(queue) > 0 && len(pages) < 200 {
		p := queue[0]
		queue = queue[1:]
		if _, ok := pages[p]; ok {
			continue
		}
		pg := e.get(c, p)
		pages[p] = pg
		for _, m := range linkRE.FindAllStringSubmatch(pg.body, -1) {
			if strings.Contains(m[1], "/amend") || strings.Contains(m[1], "/publish/") {
				continue
			}
			queue = append(queue, m[1])
		}
	}
	return pages
}

func TestPublicPages(t *testing.T) {
	e := newEnv(t)
	pages := e.publicPages(e.client())
	if len(pages) < 10 {
		t.Fatalf("crawled %d pages, want at least 10", len(pages))
	}
	var verify int
	for path, pg := range pages {
		want := http.StatusOK
		if path == "/search?q=x" {
			want = http.StatusBadRequest
		}
		if pg.status != want {
			t.Errorf("%s: got status %d, want %d", path, pg.status, want)
		}
		if n := len(pg.body); n >= 100*1024 {
			t.Errorf("%s: %d bytes, want < 100 KB", path, n)
		}
		for _, m := range hrefRE.FindAllStringSubmatch(pg.body, -1) {
			u := m[1]
			if !(strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//")) && !strings.HasPrefix(u, "#") && !strings.HasPrefix(u, "?") {
				t.Errorf("%s: reference %q leaves the server", path, u)
			}
		}
		if strings.Contains(pg.body, "@import") || strings.Contains(pg.body, "url(") {
			t.Errorf("%s: inline style loads something", path)
		}
		for _, must := range []string{`<html lang="`, `class="skip" href="#main"`, `<main id="main"`, `<nav aria-label=`, `class="sim"`} {
			if !strings.Contains(pg.body, must) {
				t.Errorf("%s: missing %q", path, must)
			}
		}
		if strings.Contains(pg.body, "11010519491231002X") || strings.Contains(pg.body, "021-68881234") {
			t.Errorf("%s: a personal or non-public value is on a public page", path)
		}
		if strings.Contains(path, "/verify") {
			verify++
		}
	}
	if verify == 0 {
		t.Errorf("no verify page reached")
	}
	for _, path := range []string{"/static/style.css", "/static/app.js"} {
		pg := e.get(e.client(), path)
		if pg.status != 200 || strings.Contains(pg.body, "http://") || strings.Contains(pg.body, "https://") {
			t.Errorf("%s: status %d or loads from outside", path, pg.status)
		}
	}
}

// TestEnglish checks the language switch and that it is remembered.
func TestEnglish(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	if pg := e.get(c, "/?lang=en"); !strings.Contains(pg.body, `<html lang="en">`) || !strings.Contains(pg.body, "Look up an enterprise") {
		t.Fatalf("?lang=en did not switch to English")
	}
	if pg := e.get(c, "/e/"+e.seed.Enterprise); !strings.Contains(pg.body, "Published by the market regulator") {
		t.Errorf("the language cookie was not honoured")
	}
	if pg := e.get(e.client(), "/"); !strings.Contains(pg.body, `<html lang="zh-CN">`) {
		t.Errorf("default language is not Chinese")
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	form := e.get(c, "/login")
	tok := csrf(t, form.body)
	good := url.Values{"csrf": {tok}, "id": {e.seed.Liaison}, "password": {e.seed.Password}}
	cases := []struct {
		name string
		form url.Values
		hdr  map[string]string
	}{
		{"no token", url.Values{"id": {e.seed.Liaison}, "password": {e.seed.Password}}, nil},
		{"wrong token", url.Values{"csrf": {"AAAA" + tok[4:]}, "id": {e.seed.Liaison}, "password": {e.seed.Password}}, nil},
		{"cross-site fetch", good, map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"foreign origin", good, map[string]string{"Origin": "https://evil.example"}},
	}
	for _, tc := range cases {
		if pg := e.post(c, "/login", tc.form, tc.hdr); pg.status != http.StatusForbidden {
			t.Errorf("%s: got status %d, want 403", tc.name, pg.status)
		}
	}
	// Another visitor's token does not fit this visitor's cookie.
	other := e.client()
	if pg := e.post(other, "/login", good, nil); pg.status != http.StatusForbidden {
		t.Errorf("token of another session: got status %d, want 403", pg.status)
	}
	if pg := e.post(c, "/login", good, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": e.url}); pg.status != http.StatusSeeOther {
		t.Fatalf("good login: got status %d, want 303", pg.status)
	}
	// Logged in: a publication without the token stores nothing.
	before := e.recordCount(e.seed.Enterprise)
	pg := e.post(c, "/e/"+e.seed.Enterprise+"/publish/equity_transfer", url.Values{"arose": {"2026-05-01"},
		"shareholder": {"张伟"}, "before_percent": {"60"}, "after_percent": {"40"}, "transferred": {"2026-05-01"}}, nil)
	if pg.status != http.StatusForbidden {
		t.Errorf("publish without token: got status %d, want 403", pg.status)
	}
	if got := e.recordCount(e.seed.Enterprise); got != before {
		t.Errorf("publish without token stored a record: got %d records, want %d", got, before)
	}
}

func (e *env) recordCount(code string) int {
	_, recs, err := e.svc.Records(context.Background(), nil, code)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(recs)
}

func TestCookies(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	form := e.get(c, "/login")
	pre := findCookie(form.header, "gs_pre")
	if pre == nil || !pre.HttpOnly || pre.SameSite != http.SameSiteStrictMode {
		t.Errorf("pre-session cookie: got %+v, want HttpOnly SameSite=Strict", pre)
	}
	pg := e.post(c, "/login", url.Values{"csrf": {csrf(t, form.body)}, "id": {e.seed.Liaison}, "password": {e.seed.Password}}, nil)
	s := findCookie(pg.header, "gs_session")
	if s == nil {
		t.Fatal("no session cookie")
	}
	if !s.HttpOnly || s.SameSite != http.SameSiteLaxMode || s.Path != "/" || s.Secure {
		t.Errorf("session cookie over HTTP: got HttpOnly=%v SameSite=%v Path=%q Secure=%v, want HttpOnly Lax / not Secure", s.HttpOnly, s.SameSite, s.Path, s.Secure)
	}
	// Logging out revokes the token: the old cookie no longer authenticates.
	token := s.Value
	my := e.get(c, "/my")
	if my.status != 200 {
		t.Fatalf("/my after login: %d", my.status)
	}
	e.post(c, "/logout", url.Values{"csrf": {csrf(t, my.body)}}, nil)
	if _, err := e.svc.Authenticate(context.Background(), token); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
		t.Errorf("token after logout: got %v, want unauthorized", err)
	}
	if pg := e.get(c, "/my"); pg.status != http.StatusSeeOther || !strings.HasPrefix(pg.header.Get("Location"), "/login") {
		t.Errorf("/my after logout: got %d %s, want a redirect to /login", pg.status, pg.header.Get("Location"))
	}
}

func findCookie(h http.Header, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// TestHostileName: the register refuses a name that is markup; markup in free-text fields,
// and the & a name may hold, are escaped on every page that shows them.
func TestHostileName(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	reg := e.regulator()
	u, _ := ident.GenerateUSCC('9', '1', "310101", 99)
	fields := map[string]any{
		"name": `<script>alert("x")</script>上海"'>恶意<img src=x onerror=alert(1)>公司`, "type": "有限责任公司",
		"legal_representative": map[string]any{"name": "赵六"}, "established": "2022-01-04",
		"address": "上海市黄浦区<iframe>1号", "scope": `<script>alert("x")</script>`, "status": "存续",
		"key_personnel": []any{map[string]any{"name": "赵六", "position": "<b>监事</b>"}}}
	_, _, err := e.svc.Register(ctx, reg, gongshi.Registration{USCC: u.String(), Fields: fields})
	if ge := gongshi.AsError(err); ge == nil || ge.Field != "fields.name" {
		t.Fatalf("registering a name that is markup: got %v, want an error about fields.name", err)
	}
	fields["name"] = "上海恶意A&B贸易有限公司"
	if _, _, err = e.svc.Register(ctx, reg, gongshi.Registration{USCC: u.String(), Fields: fields}); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	for _, p := range []string{"/search?q=" + url.QueryEscape("恶意"), "/e/" + u.String(), "/suggest?q=" + url.QueryEscape("恶意")} {
		pg := e.get(c, p)
		for _, bad := range []string{"<script>alert", "<iframe>", "<b>监事", "A&B"} {
			if strings.Contains(pg.body, bad) {
				t.Errorf("%s: unescaped %q", p, bad)
			}
		}
		if !strings.Contains(pg.body, "恶意") {
			t.Errorf("%s: the enterprise is not shown", p)
		}
	}
	if pg := e.get(c, "/search?q="+url.QueryEscape(`"><script>x</script>`)); strings.Contains(pg.body, "<script>x") {
		t.Errorf("search box echoes the query unescaped")
	}
}

// TestNoTokenInPage logs in as every role and checks that no page shows a bearer token or
// the session cookie's value.
func TestNoTokenInPage(t *testing.T) {
	e := newEnv(t)
	for _, id := range []string{e.seed.Liaison, e.seed.Regulator, e.seed.Department} {
		c := e.client()
		e.login(c, id)
		u, _ := url.Parse(e.url)
		var token string
		for _, ck := range c.Jar.Cookies(u) {
			if ck.Name == "gs_session" {
				token = ck.Value
			}
		}
		if token == "" {
			t.Fatalf("%s: no session", id)
		}
		paths := []string{"/", "/my", "/my/consent", "/my/annual/2025", "/my/annual/2025?step=4", "/reg", "/reg/register", "/reg/progress", "/e/" + e.seed.Enterprise}
		for p := range e.publicPages(c) {
			paths = append(paths, p)
		}
		for _, p := range paths {
			pg := e.get(c, p)
			if strings.Contains(pg.body, token) || tokenRE.MatchString(pg.body) {
				t.Errorf("%s %s: a token is in the page", id, p)
			}
		}
	}
}

// TestPublishValidation submits a disclosure with a bad amount: the page names the field next
// to its input, stores nothing, and the corrected form publishes.
func TestPublishValidation(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	e.login(c, e.seed.Liaison)
	path := "/e/" + e.seed.Enterprise + "/publish/capital_contribution"
	form := e.get(c, path)
	if form.status != 200 {
		t.Fatalf("form: %d", form.status)
	}
	before := e.recordCount(e.seed.Enterprise)
	v := url.Values{"csrf": {csrf(t, form.body)}, "arose": {"2026-05-20"}, "shareholder": {"张伟"}, "subscribed": {"五百"},
		"subscribed_date": {"2026-05-20"}, "subscribed_form": {"currency"}}
	pg := e.post(c, path, v, nil)
	if pg.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad amount: got status %d, want 422", pg.status)
	}
	if !strings.Contains(pg.body, `id="f-subscribed-err"`) || !strings.Contains(pg.body, `aria-invalid="true"`) || !strings.Contains(pg.body, "五百") {
		t.Errorf("the error is not next to the field, or the input was lost")
	}
	if got := e.recordCount(e.seed.Enterprise); got != before {
		t.Errorf("a rejected form stored a record")
	}
	v.Set("subscribed", "500")
	if pg := e.post(c, path, v, nil); pg.status != http.StatusSeeOther {
		t.Fatalf("fixed form: got status %d, want 303\n%s", pg.status, pg.body)
	}
	if got := e.recordCount(e.seed.Enterprise); got != before+1 {
		t.Errorf("got %d records, want %d", got, before+1)
	}
}

// TestRoles checks that the forms are refused to the wrong roles.
func TestRoles(t *testing.T) {
	e := newEnv(t)
	anon := e.client()
	for _, p := range []string{"/my", "/reg", "/reg/register", "/e/" + e.seed.Enterprise + "/publish/penalty"} {
		if pg := e.get(anon, p); pg.status != http.StatusSeeOther {
			t.Errorf("anonymous %s: got %d, want a redirect to log in", p, pg.status)
		}
	}
	c := e.client()
	e.login(c, e.seed.Liaison)
	for _, p := range []string{"/reg", "/reg/register"} {
		if pg := e.get(c, p); pg.status != http.StatusForbidden {
			t.Errorf("liaison %s: got %d, want 403", p, pg.status)
		}
	}
}

// TestSearchByInitials: the search page finds an enterprise by the pinyin initials of its
// name, typed in capitals.
func TestSearchByInitials(t *testing.T) {
	e := newEnv(t)
	ent, err := e.svc.Enterprise(context.Background(), gongshi.Anonymous, e.seed.Enterprise)
	if err != nil {
		t.Fatal(err)
	}
	q := strings.ToUpper(initials.Of(ent.Name)[:4])
	pg := e.get(e.client(), "/search?q="+q)
	if pg.status != http.StatusOK || !strings.Contains(pg.body, html.EscapeString(ent.Name)) {
		t.Errorf("/search?q=%s (initials of %s): status %d, name not on the page", q, ent.Name, pg.status)
	}
}

// TestEnterpriseSectionOrder: the enterprise page's sections, and its table of contents,
// come in the national system's order — the market regulator's (registration, the lists,
// the spot checks), the enterprise's own, other departments', and the courts' judicial
// assistance last — each shown, with 暂无 when it has nothing, in both languages.
func TestEnterpriseSectionOrder(t *testing.T) {
	e := newEnv(t)
	want := []struct{ id, zh string }{
		{"reg", "市场监管部门公示信息"},
		{"lists", "列入经营异常名录及严重违法失信名单信息"},
		{"checks", "抽查检查结果信息"},
		{"ent", "企业公示信息"},
		{"dept", "其他部门公示信息"},
		{"judicial", "司法协助信息"},
	}
	known := map[string]bool{}
	for _, w := range want {
		known[w.id] = true
	}
	heading := regexp.MustCompile(`<h2 id="([a-z]+)-h">([^<]*)</h2>`)
	toc := regexp.MustCompile(`(?s)<nav class="toc"[^>]*>(.*?)</nav>`)
	tocLink := regexp.MustCompile(`href="#([a-z]+)"`)
	for _, lang := range []string{"zh", "en"} {
		pg := e.get(e.client(), "/e/"+e.seed.Enterprise+"?lang="+lang)
		if pg.status != http.StatusOK {
			t.Fatalf("%s page: status %d", lang, pg.status)
		}
		var ids, titles []string
		for _, m := range heading.FindAllStringSubmatch(pg.body, -1) {
			if known[m[1]] {
				ids, titles = append(ids, m[1]), append(titles, html.UnescapeString(m[2]))
			}
		}
		var links []string
		if m := toc.FindStringSubmatch(pg.body); m != nil {
			for _, l := range tocLink.FindAllStringSubmatch(m[1], -1) {
				links = append(links, l[1])
			}
		}
		var order []string
		for _, w := range want {
			order = append(order, w.id)
		}
		if strings.Join(ids, " ") != strings.Join(order, " ") {
			t.Errorf("%s page: sections %v, want %v", lang, ids, order)
		}
		if strings.Join(links, " ") != strings.Join(order, " ") {
			t.Errorf("%s page: table of contents %v, want %v", lang, links, order)
		}
		if lang == "zh" && len(titles) == len(want) {
			for i, w := range want {
				if titles[i] != w.zh {
					t.Errorf("section %s is headed %q, want %q", w.id, titles[i], w.zh)
				}
			}
		}
	}
}
