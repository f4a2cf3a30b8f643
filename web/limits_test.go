package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	gshttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/web"
)

// TestOneLimiter: the API and the pages take from the same buckets, by account when
// logged in (a session or a bearer token of the same account) and by address otherwise;
// each limited answer says so in RateLimit-Policy and RateLimit, and a refused one is 429
// with Retry-After; the log and static files are not limited.
func TestOneLimiter(t *testing.T) {
	st := testserver.Start(t, testserver.Options{Now: testNow, Pages: true, API: gshttp.Options{
		RateLimit: gshttp.RateLimit{PerSecond: 0.001, Burst: 6}, AccountRateLimit: gshttp.RateLimit{PerSecond: 0.001, Burst: 3}}})
	seed, err := web.Seed(context.Background(), st.Svc)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, url: st.URL, svc: st.Svc, db: st.DB, seed: seed}
	token, err := e.svc.IssueToken(context.Background(), seed.Regulator)
	if err != nil {
		t.Fatal(err)
	}
	step := func(name string, c *http.Client, path, bearer string, status int, policy, limit string) {
		t.Helper()
		req, _ := http.NewRequest("GET", e.url+path, nil)
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), "error.code.") {
			t.Errorf("%s: the page shows a message key, not its message:\n%s", name, body)
		}
		if resp.StatusCode != status || resp.Header.Get("RateLimit-Policy") != policy || resp.Header.Get("RateLimit") != limit {
			t.Errorf("%s: got %d, RateLimit-Policy %q, RateLimit %q; want %d, %q, %q", name, resp.StatusCode,
				resp.Header.Get("RateLimit-Policy"), resp.Header.Get("RateLimit"), status, policy, limit)
		}
		if (status == http.StatusTooManyRequests) != (resp.Header.Get("Retry-After") != "") {
			t.Errorf("%s: status %d with Retry-After %q", name, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	const addr, acct = `"address";q=6;w=6000`, `"account";q=3;w=3000`
	reg := e.client()
	e.login(reg, seed.Regulator) // the login form and its POST: two of the address's six, then a redirect's page: the account's first
	step("a regulator's page", reg, "/reg", "", 200, acct, `"account";r=1;t=2000`)
	step("the API with the same account's token", http.DefaultClient, "/api/v1/me", token, 200, acct, `"account";r=0;t=3000`)
	step("a page past the account's quota", reg, "/e/"+seed.Enterprise, "", 429, acct, `"account";r=0;t=3000`)
	step("the API past the account's quota", http.DefaultClient, "/api/v1/me", token, 429, acct, `"account";r=0;t=3000`)

	anon := e.client()
	step("the public API", anon, "/api/v1/kinds", "", 200, addr, `"address";r=3;t=3000`)
	step("a public page", anon, "/", "", 200, addr, `"address";r=2;t=4000`)
	step("suggestions", anon, "/suggest?q="+strings.Repeat("上海", 1), "", 200, addr, `"address";r=1;t=5000`)
	step("a bad token, counted by address", anon, "/api/v1/kinds", "gs_guess", 401, addr, `"address";r=0;t=6000`)
	step("a page past the address's quota", anon, "/e/"+seed.Enterprise, "", 429, addr, `"address";r=0;t=6000`)
	step("the API past the address's quota", anon, "/api/v1/enterprises/"+seed.Enterprise, "", 429, addr, `"address";r=0;t=6000`)
	step("the log", anon, "/log/key", "", 200, "", "")
	step("a static file", anon, "/static/style.css", "", 200, "", "")
}
