package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/storetest"
	"github.com/gongshi/gongshi/webhook"
)

// TestWatchThroughAPI: an account creates a watch over two of three enterprises through the
// API on a real listener; the runner (as gongshi serve runs it) POSTs each of their changes
// once, in order, signed with the secret the API answered; the delivery log and the watch's
// filtered feed show the same changes.
func TestWatchThroughAPI(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testWatchThroughAPI(t, "") })
	t.Run("postgres", func(t *testing.T) { testWatchThroughAPI(t, storetest.PostgresURL(t)) })
}

func testWatchThroughAPI(t *testing.T, dbURL string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, reg, codes := threeEnterprises(t, dbURL)
	_, token, err := st.Svc.CreateAccount(ctx, gongshi.NewAccount{ID: "bank", Name: "某银行", Role: gongshi.RoleDepartment, Jurisdiction: "310000", Kinds: []string{"penalty"}})
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path string, body any, want int) []byte {
		t.Helper()
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, st.URL+path, rd)
		req.Header.Set("Authorization", "Bearer "+token)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, b, want)
		}
		return b
	}

	rc := &receiver{t: t, got: make(chan int64, 100)}
	addr := rc.start("127.0.0.1:0")
	// The receiver is on loopback: refused until the operator allows private addresses
	// (gongshi serve --webhook-private).
	call("POST", "/api/v1/watches", map[string]any{"url": "http://" + addr + "/hook", "enterprises": []string{codes[0]}}, 400)
	st.Svc.Webhooks = gongshi.WebhookPolicy{AllowPrivate: true}
	var w gongshi.Watch
	json.Unmarshal(call("POST", "/api/v1/watches", map[string]any{"url": "http://" + addr + "/hook", "enterprises": []string{codes[0], codes[2]}}, 201), &w)
	if w.ID == "" || w.Secret == "" {
		t.Fatalf("created watch: %+v", w)
	}
	rc.secret = []byte(w.Secret) // the receiver reads it only once deliveries start
	call("POST", "/api/v1/watches", map[string]any{"url": "mailto:x@example.com", "enterprises": codes[:1]}, 400)
	var list struct{ Watches []gongshi.Watch }
	json.Unmarshal(call("GET", "/api/v1/watches", nil, 200), &list)
	if len(list.Watches) != 1 || list.Watches[0].ID != w.ID || list.Watches[0].Secret != "" {
		t.Errorf("GET /api/v1/watches: %+v, want the watch without its secret", list.Watches)
	}

	runner := &webhook.Runner{Svc: st.Svc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Poll: 10 * time.Millisecond,
		MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); runner.Run(ctx) }()

	publish := func(i int) int64 {
		v, err := st.Svc.Publish(ctx, reg, codes[i], storetest.Penalty(fmt.Sprintf("沪市监浦处〔2026〕%d号", 400+i)))
		if err != nil {
			t.Fatal(err)
		}
		return v.LogIndex
	}
	want := []int64{0, 2} // the registrations of codes 0 and 2
	publish(1)            // not watched
	want = append(want, publish(2), publish(0))
	publish(1)
	want = append(want, publish(0))
	var got []int64
	for len(got) < len(want) {
		got = append(got, <-rc.got)
	}
	// Wait for the last acknowledgement to be recorded, then stop.
	for {
		var l struct{ Watches []gongshi.Watch }
		json.Unmarshal(call("GET", "/api/v1/watches", nil, 200), &l)
		if l.Watches[0].Delivered == want[len(want)-1] {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("received %v, want %v: each watched change once, in order", got, want)
	}
	select {
	case extra := <-rc.got:
		t.Errorf("received %d again", extra)
	default:
	}

	var dl struct{ Deliveries []gongshi.WatchDelivery }
	json.Unmarshal(call("GET", "/api/v1/watches/"+w.ID+"/deliveries", nil, 200), &dl)
	var logged []int64
	for _, d := range dl.Deliveries {
		if !d.OK || d.Status != 200 || d.Attempt != 1 {
			t.Errorf("delivery %+v: want acknowledged at the first attempt", d)
		}
		logged = append(logged, d.LogIndex)
	}
	if fmt.Sprint(logged) != fmt.Sprint(want) {
		t.Errorf("delivery log %v, want %v", logged, want)
	}
	var fed []int64
	for _, line := range bytes.Split(bytes.TrimSpace(call("GET", "/api/v1/watches/"+w.ID+"/changes?after=0", nil, 200)), []byte("\n")) {
		ev, err := gongshi.ParseFeedEvent(line)
		if err != nil {
			t.Fatal(err)
		}
		fed = append(fed, ev.LogIndex)
	}
	if fmt.Sprint(fed) != fmt.Sprint(want[1:]) {
		t.Errorf("the watch's feed after 0: %v, want %v", fed, want[1:])
	}

	// Another account sees none of it; the owner deletes it.
	_, tok2, err := st.Svc.CreateAccount(context.Background(), gongshi.NewAccount{ID: "other", Name: "另一银行", Role: gongshi.RoleDepartment, Jurisdiction: "310000", Kinds: []string{"penalty"}})
	if err != nil {
		t.Fatal(err)
	}
	token, tok2 = tok2, token
	call("GET", "/api/v1/watches/"+w.ID+"/deliveries", nil, 404)
	call("DELETE", "/api/v1/watches/"+w.ID, nil, 404)
	token = tok2
	call("DELETE", "/api/v1/watches/"+w.ID, nil, 204)
	call("GET", "/api/v1/watches/"+w.ID+"/changes", nil, 404)
}
