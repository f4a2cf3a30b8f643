package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
)

// TestSessionsAndBackoff: the session cookie is a server-side session's id, useless as a
// bearer token and dead after logout; wrong passwords on the pages make the API's login
// wait too (one backoff per account and address), with Retry-After on 429.
func TestSessionsAndBackoff(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	e.login(c, e.seed.Regulator)
	u, _ := url.Parse(e.url)
	var sid string
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "gs_session" {
			sid = ck.Value
		}
	}
	if !strings.HasPrefix(sid, gongshi.SessionPrefix) {
		t.Fatalf("session cookie %q: want a %s… session id", sid, gongshi.SessionPrefix)
	}
	req, _ := http.NewRequest("GET", e.url+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+sid)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the session id as a bearer token: got %v %v, want 401", resp.StatusCode, err)
	}
	home := e.get(c, "/reg")
	e.post(c, "/logout", url.Values{"csrf": {csrf(t, home.body)}}, nil)
	stale := e.client()
	stale.Jar.SetCookies(u, []*http.Cookie{{Name: "gs_session", Value: sid}})
	if p := e.get(stale, "/reg"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/login") {
		t.Errorf("the ended session's cookie: got %d to %q, want 303 to the login page", p.status, p.header.Get("Location"))
	}

	// Wrong passwords on the pages, then the right one on the API: refused, with a wait.
	for i := range gongshi.FreeLoginFailures + 1 {
		form := e.get(c, "/login")
		p := e.post(c, "/login", url.Values{"csrf": {csrf(t, form.body)}, "id": {e.seed.Liaison}, "password": {"wrong password"}}, nil)
		if p.status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: got %d, want 401", i+1, p.status)
		}
	}
	form := e.get(c, "/login")
	if p := e.post(c, "/login", url.Values{"csrf": {csrf(t, form.body)}, "id": {e.seed.Liaison}, "password": {e.seed.Password}}, nil); p.status != http.StatusTooManyRequests || p.header.Get("Retry-After") == "" {
		t.Errorf("the right password on the page during the wait: got %d, Retry-After %q; want 429 with it", p.status, p.header.Get("Retry-After"))
	}
	resp, err := http.Post(e.url+"/api/v1/login", "application/json", strings.NewReader(`{"id":"`+e.seed.Liaison+`","password":"`+e.seed.Password+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("the right password on the API during the wait: got %d, Retry-After %q; want 429 with it", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}
