package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gongshi/gongshi/translog"
	"github.com/gongshi/gongshi/translog/translogtest"
)

func TestVerifyURL(t *testing.T) {
	ctx := context.Background()
	store := translog.NewMemStore()
	signer, err := translog.LoadOrCreateKey(t.TempDir(), "gongshi.test/log")
	if err != nil {
		t.Fatal(err)
	}
	cp := translog.NewCheckpointer(store, signer)
	h, _ := translog.NewHandler(store, signer.VerifierKey())
	leaves, docs := translogtest.Leaves(0, 700)
	mux := http.NewServeMux()
	mux.Handle("/log/", h)
	mux.HandleFunc("GET /api/v1/documents/{sha256}", func(w http.ResponseWriter, r *http.Request) {
		if d, ok := docs[r.PathValue("sha256")]; ok {
			w.Write(d)
			return
		}
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	statePath := filepath.Join(t.TempDir(), "state.json")
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		// A log alone, with documents of the conformance suite's own making: there are no
		// pages to check against them (TestE2EVerifyAnswers checks those).
		code := Main(ctx, append([]string{"verify", "--answers=false"}, args...), &Env{Stdout: &out, Stderr: &errOut})
		return code, out.String(), errOut.String()
	}
	store.Append(ctx, leaves[:300])
	cp.Checkpoint(ctx)
	code, out, errOut := run("--url", srv.URL, "--state", statePath)
	if code != 0 || !strings.Contains(errOut, "trust on first use") || !strings.Contains(out, "OK: log gongshi.test/log verified at size 300") {
		t.Fatalf("first verify: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	store.Append(ctx, leaves[300:])
	cp.Checkpoint(ctx)
	code, out, errOut = run("--url", srv.URL+"/", "--state", statePath)
	if code != 0 || strings.Contains(errOut, "trust on first use") || !strings.Contains(out, "consistent with the checkpoint of size 300") {
		t.Fatalf("second verify: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	other, _ := translog.LoadOrCreateKey(t.TempDir(), "gongshi.test/log")
	if code, _, errOut := run("--url", srv.URL, "--state", statePath, "--key", other.VerifierKey()); code != 1 || !strings.Contains(errOut, "not the key") {
		t.Errorf("verify with another key: exit %d, stderr %s; want 1 and a key complaint", code, errOut)
	}
	for sha := range docs {
		docs[sha] = []byte("tampered")
		break
	}
	if code, out, _ := run("--url", srv.URL, "--state", statePath); code != 1 || !strings.Contains(out, "PROBLEM:") {
		t.Errorf("verify with a tampered document: exit %d, stdout %s; want 1 and a PROBLEM line", code, out)
	}
	if code, _, _ := run("--state", statePath); code != 2 {
		t.Errorf("verify without --url or --data: exit %d, want 2", code)
	}
	if openDataLog == nil {
		if code, _, errOut := run("--data", t.TempDir(), "--key", signer.VerifierKey(), "--state", statePath); code != 1 || !strings.Contains(errOut, "--data is not available") {
			t.Errorf("verify --data without a backend: exit %d, stderr %s", code, errOut)
		}
	}
}
