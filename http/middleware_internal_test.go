package http

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRecoverPanic(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{Logger: slog.New(slog.NewTextHandler(&logs, nil)), metrics: newMetrics(nil)}
	h := s.observe(s.recoverPanic(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("boom: secret internals")
	})))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	if w.Code != 500 || w.Header().Get("Content-Type") != ProblemContentType {
		t.Fatalf("got %d %q, want 500 %q", w.Code, w.Header().Get("Content-Type"), ProblemContentType)
	}
	var p Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(w.Body.String(), "secret") || p.RequestID == "" {
		t.Errorf("problem leaks the panic or lacks the request id: %s", w.Body)
	}
	if !strings.Contains(logs.String(), "secret internals") || !strings.Contains(logs.String(), "goroutine") ||
		!strings.Contains(logs.String(), p.RequestID) {
		t.Errorf("log lacks the panic, its stack or the request id:\n%s", logs.String())
	}
}

func TestLimiter(t *testing.T) {
	now := time.Unix(0, 0)
	l := newLimiter("address", RateLimit{PerSecond: 2, Burst: 2}, func() time.Time { return now })
	for i := 0; i < 2; i++ {
		if ok, left, _, _ := l.allow("a"); !ok || left != 1-i {
			t.Fatalf("request %d of the burst: got %v, %d left; want allowed, %d left", i, ok, left, 1-i)
		}
	}
	ok, _, full, wait := l.allow("a")
	if ok || wait != 500*time.Millisecond || full != time.Second {
		t.Fatalf("third request: got %v, wait %v, full in %v; want refused, wait 500ms, full in 1s", ok, wait, full)
	}
	if ok, _, _, _ := l.allow("b"); !ok {
		t.Errorf("another client is refused")
	}
	now = now.Add(500 * time.Millisecond)
	if ok, _, _, _ := l.allow("a"); !ok {
		t.Errorf("refused after the refill")
	}
	now = now.Add(time.Hour)
	l.allow("c")
	if len(l.buckets) != 1 {
		t.Errorf("idle buckets kept: %d, want 1", len(l.buckets))
	}
}
