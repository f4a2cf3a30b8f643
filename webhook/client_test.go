package webhook_test

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync/atomic"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/webhook"
)

// TestClientRefusesInternalAddresses: the delivering client checks the address it dials,
// after the name is resolved, so a host name that now resolves to loopback (DNS rebinding
// after registration) reaches nothing; the operator's private allowance lets it through;
// a redirect is not followed.
func TestClientRefusesInternalAddresses(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, "/hook", http.StatusFound)
		}
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	byName := "http://localhost:" + port + "/hook" // resolved at dial time to 127.0.0.1 or ::1

	for _, u := range []string{byName, srv.URL + "/hook"} {
		resp, err := webhook.NewClient(gongshi.WebhookPolicy{}).Post(u, "application/json", nil)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("POST %s with the default policy: %s, want refused", u, resp.Status)
		}
		if !errors.Is(err, webhook.ErrRefusedAddr) {
			t.Errorf("POST %s: %v, want ErrRefusedAddr", u, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the receiver on loopback got %d requests, want none", n)
	}

	private := webhook.NewClient(gongshi.WebhookPolicy{AllowPrivate: true})
	resp, err := private.Post(byName, "application/json", nil)
	if err != nil {
		t.Fatalf("POST %s allowing private addresses: %v", byName, err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || hits.Load() != 1 {
		t.Errorf("allowing private addresses: %s, %d requests; want 200 and one", resp.Status, hits.Load())
	}
	resp, err = private.Post(srv.URL+"/moved", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || hits.Load() != 2 {
		t.Errorf("a redirect: %s, %d requests; want the 302 itself, not followed", resp.Status, hits.Load())
	}
}

// TestWebhookPolicy: which addresses webhooks may reach, by default and allowing private
// ones.
func TestWebhookPolicy(t *testing.T) {
	for _, c := range []struct {
		ip              string
		public, inHouse bool // allowed by default, allowed with AllowPrivate
	}{
		{"203.0.113.7", true, true},
		{"2001:db8::1", true, true},
		{"127.0.0.1", false, true},
		{"::1", false, true},
		{"::ffff:127.0.0.1", false, true},
		{"10.0.0.1", false, true},
		{"172.16.5.4", false, true},
		{"192.168.1.1", false, true},
		{"fd00::1", false, true},
		{"169.254.169.254", false, true},
		{"fe80::1", false, true},
		{"100.64.0.1", false, true},
		{"0.1.2.3", false, false},
		{"255.255.255.255", false, false},
		{"0.0.0.0", false, false},
		{"::", false, false},
		{"224.0.0.1", false, false},
		{"ff02::1", false, false},
	} {
		ip := netip.MustParseAddr(c.ip)
		if err := (gongshi.WebhookPolicy{}).CheckAddr(ip); (err == nil) != c.public {
			t.Errorf("%s by default: %v, want allowed %v", c.ip, err, c.public)
		}
		if err := (gongshi.WebhookPolicy{AllowPrivate: true}).CheckAddr(ip); (err == nil) != c.inHouse {
			t.Errorf("%s allowing private: %v, want allowed %v", c.ip, err, c.inHouse)
		}
	}
}
