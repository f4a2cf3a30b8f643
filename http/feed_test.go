package http_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/storetest"
)

// feedEnv is a register with a few enterprises in Shanghai and Shenzhen, penalties, and one
// withdrawal, served on a real listener.
type feedEnv struct {
	t       *testing.T
	st      *testserver.Stack
	url     string
	hs      *http.Server
	srv     *ghttp.Server
	sh, sz  *gongshi.Account
	codes   []string // Shanghai, Shanghai, Shenzhen
	removed string   // the sha256 of the withdrawn penalty
}

func newFeedEnv(t *testing.T, dbURL string, opts ghttp.Options) *feedEnv {
	st := testserver.Start(t, testserver.Options{Now: testNow, DBURL: dbURL})
	e := &feedEnv{t: t, st: st, url: st.URL,
		sh: &gongshi.Account{ID: "sh", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"},
		sz: &gongshi.Account{ID: "sz", Name: "深圳市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "440300"}}
	// A server of our own over the same service, to tune the live feed and shut it down.
	srv := ghttp.NewServer(st.Svc, nil, quietLogger(), opts)
	e.srv = srv
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: srv.Handler()}
	e.hs = hs
	hs.RegisterOnShutdown(srv.Shutdown)
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	e.url = "http://" + ln.Addr().String()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		hs.Shutdown(ctx)
	})

	ctx := context.Background()
	for i, div := range []string{"310115", "310104", "440300"} {
		code := uscc(t, div, uint64(700+i))
		reg := e.sh
		if div == "440300" {
			reg = e.sz
		}
		if _, _, err := st.Svc.Register(ctx, reg, registration(code)); err != nil {
			t.Fatal(err)
		}
		e.codes = append(e.codes, code)
	}
	e.publish(0, "沪市监浦处〔2026〕1号")
	v := e.publish(1, "沪市监黄处〔2026〕2号")
	e.publish(2, "深市监处〔2026〕3号")
	admin := &gongshi.Account{ID: "admin", Name: "管理员", Role: gongshi.RoleAdmin}
	if _, err := st.Svc.Withdraw(ctx, admin, v.Record, "court order to redact"); err != nil {
		t.Fatal(err)
	}
	e.removed = v.SHA256
	return e
}

func (e *feedEnv) publish(i int, no string) *gongshi.Version {
	e.t.Helper()
	reg := e.sh
	if i == 2 {
		reg = e.sz
	}
	v, err := e.st.Svc.Publish(context.Background(), reg, e.codes[i], storetest.Penalty(no))
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// read reads one page of the feed, checking each line.
func (e *feedEnv) read(query string) ([]*gongshi.FeedEvent, http.Header) {
	e.t.Helper()
	resp, err := http.Get(e.url + "/api/v1/changes?" + query)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-ndjson" {
		e.t.Fatalf("GET /api/v1/changes?%s: status %d, Content-Type %q: %s", query, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var out []*gongshi.FeedEvent
	for _, line := range strings.SplitAfter(string(body), "\n") {
		if line == "" {
			continue
		}
		ev, err := gongshi.ParseFeedEvent([]byte(line))
		if err != nil {
			e.t.Fatalf("line %q: %v", line, err)
		}
		out = append(out, ev)
	}
	return out, resp.Header
}

func TestFeed(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testFeed(t, newFeedEnv(t, "", ghttp.Options{})) })
	t.Run("postgres", func(t *testing.T) { testFeed(t, newFeedEnv(t, storetest.PostgresURL(t), ghttp.Options{})) })
}

func testFeed(t *testing.T, e *feedEnv) {
	ctx := context.Background()
	size, _ := e.st.DB.TreeSize(ctx)
	leaves, err := e.st.DB.ReadLeaves(ctx, 0, size)
	if err != nil {
		t.Fatal(err)
	}

	// Paged by 2 from the start: every entry once, in order, each the log's leaf.
	var all []*gongshi.FeedEvent
	after := ""
	for {
		page, h := e.read("limit=2" + after)
		if h.Get("Gongshi-Log-Size") != strconv.FormatInt(size, 10) {
			t.Fatalf("Gongshi-Log-Size: got %q, want %d", h.Get("Gongshi-Log-Size"), size)
		}
		if len(page) == 0 {
			break
		}
		if len(page) > 2 {
			t.Fatalf("limit=2 gave %d events", len(page))
		}
		all = append(all, page...)
		after = "&after=" + strconv.FormatInt(page[len(page)-1].LogIndex, 10)
		if h.Get("Gongshi-Next-After") != strconv.FormatInt(page[len(page)-1].LogIndex, 10) {
			t.Fatalf("Gongshi-Next-After: got %q after an unfiltered page ending at %d", h.Get("Gongshi-Next-After"), page[len(page)-1].LogIndex)
		}
	}
	if int64(len(all)) != size {
		t.Fatalf("read %d events, want the log's %d", len(all), size)
	}
	kinds := map[string]int{}
	for i, ev := range all {
		if ev.LogIndex != int64(i) {
			t.Fatalf("event %d has log_index %d", i, ev.LogIndex)
		}
		if got := string(ev.Leaf().MarshalCanonical()); got != string(leaves[i]) {
			t.Fatalf("event %d names leaf %s, the log has %s", i, got, leaves[i])
		}
		kinds[ev.Kind]++
		doc, err := http.Get(e.url + "/api/v1/documents/" + ev.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(doc.Body)
		doc.Body.Close()
		switch {
		case ev.SHA256 == e.removed:
			if ev.Withdrawn == nil || ev.Withdrawn.Reason != "court order to redact" || ev.Document != nil || doc.StatusCode != http.StatusGone {
				t.Errorf("withdrawn event %d: withdrawn %+v, document %d bytes, documents answers %d", i, ev.Withdrawn, len(ev.Document), doc.StatusCode)
			}
		case doc.StatusCode != 200 || string(body) != string(ev.Document):
			t.Errorf("event %d: its document is not what /api/v1/documents serves (status %d)", i, doc.StatusCode)
		}
	}
	if kinds["registration"] != 3 || kinds["penalty"] != 3 || kinds["withdrawal"] != 1 {
		t.Errorf("kinds: got %v, want 3 registrations, 3 penalties, 1 withdrawal", kinds)
	}

	// Resuming after any index gives the rest, exactly.
	for k := int64(-1); k < size; k++ {
		q := "limit=100"
		if k >= 0 {
			q += "&after=" + strconv.FormatInt(k, 10)
		}
		rest, _ := e.read(q)
		if int64(len(rest)) != size-1-k || (len(rest) > 0 && rest[0].LogIndex != k+1) {
			t.Fatalf("after %d: got %d events, want %d from %d", k, len(rest), size-1-k, k+1)
		}
	}

	// Filters: a province follows its divisions, a department its kinds.
	sz, h := e.read("division=44")
	if len(sz) != 2 || sz[0].Subject != e.codes[2] || sz[1].Subject != e.codes[2] || h.Get("Gongshi-Next-After") != strconv.FormatInt(size-1, 10) {
		t.Errorf("division=44: got %d events (want Shenzhen's 2), Next-After %q (want %d)", len(sz), h.Get("Gongshi-Next-After"), size-1)
	}
	pud, _ := e.read("division=310115&kind=penalty,withdrawal")
	if len(pud) != 1 || pud[0].Kind != "penalty" || pud[0].Subject != e.codes[0] {
		t.Errorf("division=310115&kind=penalty,withdrawal: got %d events, want Pudong's penalty", len(pud))
	}
	wd, _ := e.read("kind=withdrawal")
	if len(wd) != 1 || !strings.Contains(string(wd[0].Document), "court order to redact") {
		t.Errorf("kind=withdrawal: got %d events, want the withdrawal with its reason", len(wd))
	}

	// Bad parameters are problems naming them.
	for _, c := range []struct{ query, field string }{
		{"after=-1", "after"}, {"limit=0", "limit"}, {"limit=10001", "limit"}, {"division=31x", "division"},
		{"kind=nonsense", "kind"}, {"follow=2", "follow"}, {"since=3", "since"},
	} {
		want400(t, e.url+"/api/v1/changes?"+c.query, c.field)
	}
}

// want400 GETs url and checks that the answer is a 400 problem naming field.
func want400(t *testing.T, url, field string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	var p ghttp.Problem
	json.NewDecoder(resp.Body).Decode(&p)
	resp.Body.Close()
	if resp.StatusCode != 400 || p.Field != field {
		t.Errorf("GET %s: got %d naming %q, want 400 naming %q", url, resp.StatusCode, p.Field, field)
	}
}

// follower is a live read of the feed.
type follower struct {
	t    *testing.T
	resp *http.Response
	sc   *bufio.Scanner
}

func (e *feedEnv) follow(query string, header http.Header) *follower {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.url+"/api/v1/changes?"+query, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 {
		body, _ := io.ReadAll(resp.Body)
		e.t.Fatalf("follow %s: status %d: %s", query, resp.StatusCode, body)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	return &follower{t: e.t, resp: resp, sc: sc}
}

// next returns the next line, failing the test at the end of the stream.
func (f *follower) next() string {
	f.t.Helper()
	if !f.sc.Scan() {
		f.t.Fatalf("the stream ended: %v", f.sc.Err())
	}
	return f.sc.Text()
}

// control is a control line of the live feed.
type control struct {
	Control string `json:"control"`
	After   int64  `json:"after"`
	LogSize int64  `json:"log_size"`
	Reason  string `json:"reason"`
}

// nextEvent returns the next event, skipping heartbeats.
func (f *follower) nextEvent() *gongshi.FeedEvent {
	f.t.Helper()
	for {
		line := f.next()
		if strings.HasPrefix(line, `{"control":"heartbeat"`) {
			continue
		}
		ev, err := gongshi.ParseFeedEvent([]byte(line))
		if err != nil {
			f.t.Fatalf("line %q: %v", line, err)
		}
		return ev
	}
}

func TestFeedFollow(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testFeedFollow(t, "") })
	t.Run("postgres", func(t *testing.T) { testFeedFollow(t, storetest.PostgresURL(t)) })
}

func testFeedFollow(t *testing.T, dbURL string) {
	e := newFeedEnv(t, dbURL, ghttp.Options{FeedHeartbeat: 20 * time.Millisecond, FeedMaxLag: 3})
	ctx := context.Background()
	size, _ := e.st.DB.TreeSize(ctx)

	// Caught up: a heartbeat names where the follower is; then each commit streams.
	f := e.follow("follow=1&after="+strconv.FormatInt(size-3, 10), nil)
	for i := int64(0); i < 2; i++ {
		if ev := f.nextEvent(); ev.LogIndex != size-2+i {
			t.Fatalf("first events: got %d, want %d", ev.LogIndex, size-2+i)
		}
	}
	var hb control
	if err := json.Unmarshal([]byte(f.next()), &hb); err != nil || hb.Control != "heartbeat" || hb.After != size-1 || hb.LogSize != size {
		t.Fatalf("heartbeat: got %+v (%v), want after %d, log_size %d", hb, err, size-1, size)
	}
	sse := e.follow("follow=1&after="+strconv.FormatInt(size-1, 10), http.Header{"Accept": {"text/event-stream"}})
	// A follower of Shenzhen's division sees only its events.
	shz := e.follow("follow=1&division=44&after="+strconv.FormatInt(size-1, 10), nil)
	for i := 0; i < 3; i++ {
		e.publish(i%3, fmt.Sprintf("沪市监处〔2026〕%d号", 100+i))
		ev := f.nextEvent()
		if ev.LogIndex != size+int64(i) || ev.Kind != "penalty" || ev.Subject != e.codes[i%3] {
			t.Fatalf("live event %d: got %d %s %s, want %d penalty %s", i, ev.LogIndex, ev.Kind, ev.Subject, size+int64(i), e.codes[i%3])
		}
	}
	if ev := shz.nextEvent(); ev.LogIndex != size+2 || ev.Subject != e.codes[2] {
		t.Errorf("division=44 follower: got %d %s, want %d %s", ev.LogIndex, ev.Subject, size+2, e.codes[2])
	}
	// Server-Sent Events: id, event, data; heartbeats are comments.
	for i := int64(0); i < 3; {
		line := sse.next()
		if line == "" || strings.HasPrefix(line, ": heartbeat") {
			continue
		}
		if line != "id: "+strconv.FormatInt(size+i, 10) {
			t.Fatalf("SSE: got %q, want the id of event %d", line, size+i)
		}
		if ev := sse.next(); ev != "event: change" {
			t.Fatalf("SSE: got %q, want event: change", ev)
		}
		data, ok := strings.CutPrefix(sse.next(), "data: ")
		if ev, err := gongshi.ParseFeedEvent([]byte(data)); !ok || err != nil || ev.LogIndex != size+i {
			t.Fatalf("SSE data: %q: %v", data, err)
		}
		i++
	}
	// EventSource resumes with Last-Event-ID.
	re := e.follow("follow=1", http.Header{"Accept": {"text/event-stream"}, "Last-Event-ID": {strconv.FormatInt(size+1, 10)}})
	if line := re.next(); line != "id: "+strconv.FormatInt(size+2, 10) {
		t.Errorf("resumed SSE: got %q, want the id of event %d", line, size+2)
	}

	// A follower too far behind is told so, and where to resume.
	slow := e.follow("follow=1&limit=1", nil)
	if ev := slow.nextEvent(); ev.LogIndex != 0 {
		t.Fatalf("slow follower's first event: %d", ev.LogIndex)
	}
	var end control
	if err := json.Unmarshal([]byte(slow.next()), &end); err != nil || end.Control != "end" || end.After != 0 || !strings.Contains(end.Reason, "slow consumer") {
		t.Fatalf("slow follower: got %+v (%v), want an end control after 0 naming a slow consumer", end, err)
	}
	if slow.sc.Scan() {
		t.Errorf("slow follower: a line after the end: %q", slow.sc.Text())
	}

	// Shutdown ends every follower with a control line saying where to resume.
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		e.hs.Shutdown(ctx)
	}()
	for {
		var c control
		if err := json.Unmarshal([]byte(f.next()), &c); err != nil {
			t.Fatalf("at shutdown: %v", err)
		}
		if c.Control == "end" {
			if c.After != size+2 || !strings.Contains(c.Reason, "shutting down") {
				t.Errorf("end at shutdown: got %+v, want after %d", c, size+2)
			}
			break
		}
	}
}
