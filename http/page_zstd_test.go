package http_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/storetest"
)

// TestEnterprisePageZstd: a client that accepts zstd is sent the page row's stored frame,
// which decompresses to the very answer a client without it gets; one that refuses it
// (q=0), or names only other codings, gets the answer uncompressed; and the answer says it
// varies by Accept-Encoding.
func TestEnterprisePageZstd(t *testing.T) {
	for _, cached := range []bool{false, true} {
		opts := testserver.Options{Clock: storetest.NewClock(storetest.At("2026-06-24T10:00:00+08:00"))}
		if !cached {
			opts.API = ghttp.Options{CachedPages: -1}
		}
		st := testserver.Start(t, opts)
		reg := &gongshi.Account{ID: "reg", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"}
		code := storetest.USCC(1)
		if _, _, err := st.Svc.Register(context.Background(), reg, storetest.Registration(code, "上海杰图网络科技有限公司", "张三")); err != nil {
			t.Fatal(err)
		}
		get := func(accept string) (*http.Response, []byte) {
			req, _ := http.NewRequest("GET", st.URL+"/api/v1/enterprises/"+code, nil)
			if accept != "" {
				req.Header.Set("Accept-Encoding", accept)
			}
			resp, err := http.DefaultTransport.RoundTrip(req) // not decompressed for us
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || resp.Header.Get("Vary") != "Accept-Encoding" {
				t.Fatalf("cached %v, Accept-Encoding %q: %d, Vary %q", cached, accept, resp.StatusCode, resp.Header.Get("Vary"))
			}
			return resp, b
		}
		_, plain := get("")
		for _, accept := range []string{"", "gzip", "gzip, zstd;q=0", "gzip, deflate, br, zstd", "ZSTD;q=0.5"} {
			resp, b := get(accept)
			wantZstd := !cached && (accept == "gzip, deflate, br, zstd" || accept == "ZSTD;q=0.5")
			if got := resp.Header.Get("Content-Encoding") == "zstd"; got != wantZstd {
				t.Fatalf("cached %v, Accept-Encoding %q: Content-Encoding %q", cached, accept, resp.Header.Get("Content-Encoding"))
			}
			if wantZstd {
				var err error
				if b, err = gongshi.DecompressPage(b); err != nil {
					t.Fatal(err)
				}
			}
			if string(b) != string(plain) {
				t.Errorf("cached %v, Accept-Encoding %q: another answer\n%s\nnot\n%s", cached, accept, b, plain)
			}
		}
	}
}
