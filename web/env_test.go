package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/web"
)

// testNow is the set clock's start: a working day in 2026.
var testNow = time.Date(2026, 6, 1, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// env is a real server on 127.0.0.1:0 — the JSON API, the log and the pages mounted as
// `gongshi serve` mounts them — on a real SQLite store in a temporary folder, seeded.
type env struct {
	t    *testing.T
	url  string
	svc  *gongshi.Service
	db   *sqlstore.DB
	seed *web.Seeded
}

func newEnv(t *testing.T) *env { return newEnvOn(t, "") }

// newEnvOn is newEnv on the PostgreSQL database at dbURL, or on SQLite when it is "".
func newEnvOn(t *testing.T, dbURL string) *env {
	t.Helper()
	return newEnvAt(t, testNow, dbURL)
}

// newEnvAt is newEnvOn on a set clock starting at now.
func newEnvAt(t *testing.T, now time.Time, dbURL string) *env {
	t.Helper()
	return newEnvWith(t, testserver.Options{Now: now, DBURL: dbURL, Pages: true})
}

// newEnvClock is newEnv on clock, which the test sets.
func newEnvClock(t *testing.T, clock gongshi.Clock) *env {
	t.Helper()
	return newEnvWith(t, testserver.Options{Clock: clock, Pages: true})
}

// newEnvWith is newEnv on the server o describes.
func newEnvWith(t *testing.T, o testserver.Options) *env {
	t.Helper()
	st := testserver.Start(t, o)
	seed, err := web.Seed(context.Background(), st.Svc)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, url: st.URL, svc: st.Svc, db: st.DB, seed: seed}
}

// regulator is the seeded regulator's account (Shanghai, 310000).
func (e *env) regulator() *gongshi.Account {
	e.t.Helper()
	reg, err := e.svc.Store.Account(context.Background(), e.seed.Regulator)
	if err != nil {
		e.t.Fatal(err)
	}
	return reg
}

// client is a browser-like HTTP client with a cookie jar that does not follow redirects.
func (e *env) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type page struct {
	status int
	header http.Header
	body   string
}

func (e *env) get(c *http.Client, path string) page {
	e.t.Helper()
	resp, err := c.Get(e.url + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, resp.Header, string(b)}
}

func (e *env) post(c *http.Client, path string, form url.Values, hdr map[string]string) page {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, resp.Header, string(b)}
}

// csrf returns the form token in a page.
func csrf(t testing.TB, body string) string {
	t.Helper()
	const mark = `name="csrf" value="`
	i := strings.Index(body, mark)
	if i < 0 {
		t.Fatalf("no CSRF field in page")
	}
	rest := body[i+len(mark):]
	return rest[:strings.IndexByte(rest, '"')]
}

// login logs c in as account id and returns the page it lands on.
func (e *env) login(c *http.Client, id string) page {
	e.t.Helper()
	form := e.get(c, "/login")
	p := e.post(c, "/login", url.Values{"csrf": {csrf(e.t, form.body)}, "id": {id}, "password": {e.seed.Password}}, nil)
	if p.status != http.StatusSeeOther {
		e.t.Fatalf("login %s: got status %d, want 303\n%s", id, p.status, p.body)
	}
	return e.get(c, p.header.Get("Location"))
}
