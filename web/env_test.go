package web_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/translog"
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
	ctx := context.Background()
	dir := t.TempDir()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	clock := gongshi.NewFixedClock(now)
	db, err := sqlstore.Open(ctx, sqlstore.Config{URL: dbURL, Dir: dir, Clock: clock, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	signer, err := translog.LoadOrCreateKey(dir, translog.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	logh, err := translog.NewHandler(db, signer.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	svc := gongshi.New(gongshi.Config{Store: db, Clock: clock, Rules: policy.DefaultRules()})
	api := ghttp.NewServer(svc, logh, quiet, ghttp.Options{})
	pages, err := web.New(web.Config{Service: svc, Log: db, VerifierKey: signer.VerifierKey(), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	seed, err := web.Seed(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: web.Mount(api.Handler(), pages)}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	ckCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		translog.RunCheckpointer(ckCtx, db, signer, 100*time.Millisecond, func(error) {})
	}()
	t.Cleanup(func() { stop(); <-done })
	return &env{t: t, url: "http://" + ln.Addr().String(), svc: svc, db: db, seed: seed}
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
func csrf(t *testing.T, body string) string {
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
