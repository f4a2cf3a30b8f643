package translog_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gongshi/gongshi/translog"
	"github.com/gongshi/gongshi/translog/translogtest"
)

// testServer is a gongshi-like server: the log handler over a MemStore and a document
// endpoint, with a signer and checkpointer.
type testServer struct {
	*httptest.Server
	store  *translog.MemStore
	signer *translog.Signer
	cp     *translog.Checkpointer

	mu        sync.Mutex
	docs      map[string][]byte
	withdrawn map[string]string // sha256 → reason
	next      int
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	s := &testServer{store: translog.NewMemStore(), docs: map[string][]byte{}, withdrawn: map[string]string{}}
	var err error
	if s.signer, err = translog.LoadOrCreateKey(t.TempDir(), "gongshi.test/log"); err != nil {
		t.Fatal(err)
	}
	s.cp = translog.NewCheckpointer(s.store, s.signer)
	h, err := translog.NewHandler(s.store, s.signer.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/log/", h)
	mux.HandleFunc("GET /api/v1/documents/{sha256}", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		sha := r.PathValue("sha256")
		if reason, ok := s.withdrawn[sha]; ok {
			http.Error(w, reason, http.StatusGone)
			return
		}
		doc, ok := s.docs[sha]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(doc)
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// publish appends n leaves with their documents and signs a checkpoint.
func (s *testServer) publish(t *testing.T, n int) {
	t.Helper()
	leaves, docs := translogtest.Leaves(s.next, n)
	s.mu.Lock()
	for k, v := range docs {
		s.docs[k] = v
	}
	s.next += n
	s.mu.Unlock()
	ctx := context.Background()
	if _, err := s.store.Append(ctx, leaves); err != nil {
		t.Fatal(err)
	}
	if _, err := s.cp.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestHandlerEndpoints(t *testing.T) {
	s := newTestServer(t)
	get := func(path string) (int, string, http.Header) {
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 1<<16)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp.StatusCode, b.String(), resp.Header
	}
	if code, _, _ := get("/log/checkpoint"); code != http.StatusNotFound {
		t.Errorf("checkpoint before any: got %d, want 404", code)
	}
	if code, _, _ := get("/log/tile/0/000.p/1"); code != http.StatusNotFound {
		t.Errorf("tile before any checkpoint: got %d, want 404", code)
	}
	if code, body, _ := get("/log/key"); code != 200 || body != s.signer.VerifierKey()+"\n" {
		t.Errorf("key: got %d %q, want 200 %q", code, body, s.signer.VerifierKey())
	}
	s.publish(t, 300)
	code, body, hdr := get("/log/checkpoint")
	if code != 200 || !strings.HasPrefix(body, "gongshi.test/log\n300\n") || hdr.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("checkpoint: got %d %q %v", code, body, hdr)
	}
	for _, c := range []struct {
		path  string
		code  int
		cache string
	}{
		{"/log/tile/0/000", 200, "public, max-age=31536000, immutable"},
		{"/log/tile/0/001.p/44", 200, "public, max-age=60"},
		{"/log/tile/0/001.p/10", 200, "public, max-age=60"},
		{"/log/tile/0/001.p/45", 404, ""},
		{"/log/tile/0/001", 404, ""},
		{"/log/tile/0/002.p/1", 404, ""},
		{"/log/tile/1/000.p/1", 200, "public, max-age=60"},
		{"/log/tile/1/000.p/2", 404, ""},
		{"/log/tile/2/000.p/1", 404, ""},
		{"/log/tile/entries/000", 200, "public, max-age=31536000, immutable"},
		{"/log/tile/entries/001.p/44", 200, "public, max-age=60"},
		{"/log/tile/entries/001", 404, ""},
		{"/log/tile/0/00", 400, ""},
		{"/log/tile/0/000.p/256", 400, ""},
		{"/log/tile/x/000", 400, ""},
	} {
		code, body, hdr := get(c.path)
		if code != c.code || c.cache != "" && hdr.Get("Cache-Control") != c.cache {
			t.Errorf("GET %s: got %d (Cache-Control %q), want %d (%q); body %.80q", c.path, code, hdr.Get("Cache-Control"), c.code, c.cache, body)
		}
		if code == 200 && hdr.Get("Content-Type") != "application/octet-stream" {
			t.Errorf("GET %s: Content-Type %q", c.path, hdr.Get("Content-Type"))
		}
	}
	if resp, _ := http.Post(s.URL+"/log/checkpoint", "text/plain", nil); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /log/checkpoint: got %d, want 405", resp.StatusCode)
	}
}
