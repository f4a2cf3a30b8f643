package http_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/storetest"
)

// TestPublicCache checks that anonymous enterprise pages served from the cache change as
// soon as a write changes them: a publication (a new version) and a withdrawal (no new
// version), and that authenticated callers are never served the public copy.
func TestPublicCache(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	ctx := context.Background()
	reg := &gongshi.Account{ID: "sh-officer", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"}
	code := uscc(t, "310115", 4711)
	if _, _, err := e.svc.Register(ctx, reg, registration(code)); err != nil {
		t.Fatal(err)
	}
	page := func(token, etag string) *response {
		t.Helper()
		req, _ := http.NewRequest("GET", e.url+"/api/v1/enterprises/"+code, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		return &response{status: resp.StatusCode, header: resp.Header, body: buf.Bytes()}
	}
	first, again := page("", ""), page("", "")
	if first.status != 200 || first.header.Get("ETag") == "" || !bytes.Equal(first.body, again.body) {
		t.Fatalf("first reads: status %d, ETag %q, equal bodies %v", first.status, first.header.Get("ETag"), bytes.Equal(first.body, again.body))
	}
	if r := page("", first.header.Get("ETag")); r.status != http.StatusNotModified {
		t.Errorf("If-None-Match of the current page: got %d, want 304", r.status)
	}

	ver, err := e.svc.Publish(ctx, reg, code, storetest.Penalty("沪市监浦处〔2026〕99号"))
	if err != nil {
		t.Fatal(err)
	}
	published := page("", "")
	if !strings.Contains(string(published.body), "沪市监浦处〔2026〕99号") || published.header.Get("ETag") == first.header.Get("ETag") {
		t.Fatalf("after a publication the public page is stale: %s", published.body)
	}
	if r := page("", first.header.Get("ETag")); r.status != 200 {
		t.Errorf("If-None-Match of the old page: got %d, want 200 with the new page", r.status)
	}

	admin := &gongshi.Account{ID: "admin", Name: "管理员", Role: gongshi.RoleAdmin}
	if _, err := e.svc.Withdraw(ctx, admin, ver.Record, "display period ended"); err != nil {
		t.Fatal(err)
	}
	withdrawn := page("", "")
	if bytes.Equal(withdrawn.body, published.body) || !strings.Contains(string(withdrawn.body), "display period ended") {
		t.Errorf("after a withdrawal the public page is stale: %s", withdrawn.body)
	}

	_, tok, err := e.svc.CreateAccount(ctx, gongshi.NewAccount{ID: "sh-officer-2", Role: gongshi.RoleRegulator, Jurisdiction: "310000"})
	if err != nil {
		t.Fatal(err)
	}
	if r := page(tok, ""); !strings.Contains(string(r.body), "contact_phone") || strings.Contains(string(withdrawn.body), "contact_phone") {
		t.Errorf("the regulator in scope must see the non-public phone and the public must not: regulator %v, public %v",
			strings.Contains(string(r.body), "contact_phone"), strings.Contains(string(withdrawn.body), "contact_phone"))
	}
}
