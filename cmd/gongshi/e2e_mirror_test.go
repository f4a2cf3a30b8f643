package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/storetest"
	"github.com/gongshi/gongshi/translog"
)

// mirrorLine is what "gongshi mirror" prints on stdout once it listens.
var mirrorLine = regexp.MustCompile(`serving read-only on (http://[0-9.]+:[0-9]+) `)

// e2eMirror is "gongshi mirror" running through Main in this process.
type e2eMirror struct {
	url    string
	stderr *syncBuffer
	done   chan int
	// stop stops the mirror and returns its exit status; idempotent.
	stop func() int
}

// startMirror runs Main(mirror --from from --data dir --addr 127.0.0.1:0 --poll 100ms ARGS…)
// and waits for the address it prints.
func startMirror(t testing.TB, dir, from string, args ...string) *e2eMirror {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	m := &e2eMirror{stderr: errOut, done: make(chan int, 1)}
	go func() {
		m.done <- Main(ctx, append([]string{"mirror", "--from", from, "--data", dir, "--addr", "127.0.0.1:0", "--poll", "100ms", "--no-rate-limit"}, args...),
			&Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: errOut})
	}()
	deadline := time.Now().Add(30 * time.Second)
	for m.url == "" {
		if g := mirrorLine.FindStringSubmatch(out.String()); g != nil {
			m.url = g[1]
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("mirror printed no serving line within 30 s; stdout %q stderr %s", out.String(), tail(errOut.String(), 3000))
		}
		time.Sleep(10 * time.Millisecond)
	}
	var code int
	m.stop = sync.OnceValue(func() int {
		cancel()
		select {
		case code = <-m.done:
		case <-time.After(20 * time.Second):
			t.Errorf("mirror did not stop within 20 s of its context being cancelled")
			code = -1
		}
		return code
	})
	t.Cleanup(func() { m.stop() })
	return m
}

// checkpointSize is the tree size of a checkpoint note.
func checkpointSize(note []byte) int64 {
	lines := strings.SplitN(string(note), "\n", 3)
	if len(lines) < 2 {
		return -1
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// waitMirrored waits until the mirror serves the source's checkpoint and that checkpoint
// covers every entry of the source's log.
func waitMirrored(t testing.TB, src, mir string) int64 {
	t.Helper()
	var last string
	ok := waitFor(90*time.Second, func() bool {
		r, err := send("GET", src+"/api/v1/changes?limit=1", "", nil)
		if err != nil || r.status != 200 {
			return false
		}
		size, _ := strconv.ParseInt(r.header.Get("Gongshi-Log-Size"), 10, 64)
		cs, err1 := send("GET", src+"/log/checkpoint", "", nil)
		cm, err2 := send("GET", mir+"/log/checkpoint", "", nil)
		if err1 != nil || err2 != nil {
			return false
		}
		last = string(cm.body)
		return cs.status == 200 && checkpointSize(cs.body) == size && bytes.Equal(cs.body, cm.body)
	})
	if !ok {
		t.Fatalf("the mirror did not reach the source's checkpoint within 90 s; it serves %q", last)
	}
	return checkpointSize([]byte(last))
}

// waitWholeLog waits until the server's checkpoint covers its whole log, and returns
// its size.
func waitWholeLog(t *testing.T, base string) int64 {
	t.Helper()
	var n int64
	if !waitFor(30*time.Second, func() bool {
		r, err := send("GET", base+"/api/v1/changes?limit=1", "", nil)
		c, err2 := send("GET", base+"/log/checkpoint", "", nil)
		if err != nil || err2 != nil {
			return false
		}
		n = checkpointSize(c.body)
		return r.header.Get("Gongshi-Log-Size") == strconv.FormatInt(n, 10)
	}) {
		t.Fatalf("%s signed no checkpoint of its whole log within 30 s", base)
	}
	return n
}

// sameAnswers checks that the mirror answers paths as the source does (a page's cursor
// carries a MAC under each server's own cursor key).
func sameAnswers(t *testing.T, src, mir string, paths []string) {
	t.Helper()
	for _, p := range paths {
		ra, rb := get(t, src+p), get(t, mir+p)
		ca, cb := cursorRE.ReplaceAll(ra.body, nil), cursorRE.ReplaceAll(rb.body, nil)
		if ra.status != 200 || rb.status != ra.status || !bytes.Equal(ca, cb) {
			t.Errorf("GET %s: the source answers %d %.300s\nthe mirror %d %.300s", p, ra.status, ra.body, rb.status, rb.body)
		}
	}
}

// feedLine is what the tests read of a change feed line.
type feedLine struct {
	LogIndex  int64           `json:"log_index"`
	Kind      string          `json:"kind"`
	Subject   string          `json:"subject"`
	SHA256    string          `json:"sha256"`
	Withdrawn json.RawMessage `json:"withdrawn"`
}

func readFeed(t *testing.T, base string) []feedLine {
	t.Helper()
	r := get(t, base+"/api/v1/changes?limit=10000")
	var out []feedLine
	for _, l := range bytes.Split(bytes.TrimSpace(r.body), []byte("\n")) {
		var f feedLine
		if err := json.Unmarshal(l, &f); err != nil {
			t.Fatalf("feed line %q: %v", l, err)
		}
		out = append(out, f)
	}
	return out
}

// publicPaths are the lists and the pages and records of some of the subjects of feed.
func publicPaths(feed []feedLine, extra ...string) []string {
	paths := []string{"/api/v1/lists/abnormal", "/api/v1/lists/serious", "/api/v1/enterprises?q=%E6%9C%89%E9%99%90"}
	seen := map[string]bool{}
	for _, f := range feed {
		if len(f.Subject) == 18 && !seen[f.Subject] {
			seen[f.Subject] = true
			if len(seen)%7 == 1 {
				extra = append(extra, f.Subject)
			}
		}
	}
	for _, code := range extra {
		paths = append(paths, "/api/v1/enterprises/"+code, "/api/v1/enterprises/"+code+"/records")
	}
	return paths
}

// TestE2EMirror: a mirror follows a server from its first entry, through the source's
// restart (whose start-up sweep withdraws documents the mirror already holds), writes,
// its own restart with writes made meanwhile; it answers the source's pages, lists and
// documents, refuses writes as a read-only mirror, and "gongshi verify --url" of it passes
// against the source's key.
func TestE2EMirror(t *testing.T) {
	t.Parallel()
	testMirror(t)
}

// TestE2EMirrorPostgres is TestE2EMirror with the mirror's register on PostgreSQL.
func TestE2EMirrorPostgres(t *testing.T) {
	t.Parallel()
	testMirror(t, "--db", storetest.PostgresURL(t))
}

func testMirror(t *testing.T, mirrorArgs ...string) {
	src, mdir := t.TempDir(), t.TempDir()
	// A register made on a set clock half a year ago: served on that clock first, then on
	// the real one, whose first sweep withdraws the penalties whose display has ended since.
	if code, _, errOut := runMain("demo", "--data", src, "--enterprises", "60", "--seed", "5", "--clock", "2026-06-01T09:00:00+08:00"); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, tail(errOut, 2000))
	}
	s := startServer(t, src, "--clock", "2026-06-01T12:00:00+08:00")
	addr := strings.TrimPrefix(s.url, "http://")
	m := startMirror(t, mdir, s.url, mirrorArgs...)
	size0 := waitMirrored(t, s.url, m.url)
	if !strings.Contains(m.stderr.String(), "trusting "+s.url+"'s key on first use") {
		t.Errorf("the mirror did not say it trusts the source's key on first use; stderr:\n%s", tail(m.stderr.String(), 2000))
	}
	held := map[string]bool{} // documents the mirror received before they were withdrawn
	for _, f := range readFeed(t, m.url) {
		if f.Withdrawn == nil {
			held[f.SHA256] = true
		}
	}

	// The source restarts on the real clock, on the same address: the mirror waits for it.
	s.stop()
	s = startServer(t, src, "--addr", addr)
	size1 := waitMirrored(t, s.url, m.url)
	feed := readFeed(t, s.url)
	withdrawnHeld := 0
	for _, f := range feed {
		if f.Withdrawn != nil && held[f.SHA256] {
			withdrawnHeld++
			if r := get(t, m.url+"/api/v1/documents/"+f.SHA256); r.status != 410 {
				t.Errorf("document %s, withdrawn at the source after the mirror had it: the mirror answers %d, want 410", f.SHA256, r.status)
			}
		}
	}
	if size1 <= size0 || withdrawnHeld == 0 {
		t.Fatalf("the source's restart on the real clock added %d entries and withdrew %d documents the mirror held; the test wants both", size1-size0, withdrawnHeld)
	}

	// Writes at the source.
	reg := adminToken(t, src, "--role", "regulator", "--jurisdiction", "310000")
	var written []string
	register := func(seq uint64) {
		code := usccFor(t, "310115", 900+seq)
		call(t, "POST", s.url+"/api/v1/enterprises", reg, registrationBody(code, "上海镜像样本"+strconv.Itoa(int(seq))+"有限公司")).want(t, 201, nil)
		call(t, "POST", s.url+"/api/v1/enterprises/"+code+"/records", reg, publication("penalty", daysAgo(3), penaltyFields(int(seq)))).want(t, 201, nil)
		written = append(written, code)
	}
	register(1)
	register(2)
	waitMirrored(t, s.url, m.url)
	sameAnswers(t, s.url, m.url, publicPaths(feed, written...))

	// The mirror refuses writes, saying whose mirror it is.
	r := call(t, "POST", m.url+"/api/v1/enterprises", reg, registrationBody(usccFor(t, "310115", 990), "写入镜像有限公司"))
	if p := r.problem(t, 405, ""); !strings.Contains(p.Detail, "read-only mirror of "+s.url) {
		t.Errorf("a write to the mirror: got detail %q, want it to say it is a read-only mirror of %s", p.Detail, s.url)
	}

	// The mirror restarts after writes made while it was down, and carries on.
	if code := m.stop(); code != 0 {
		t.Fatalf("mirror: exit %d, want 0\n%s", code, tail(m.stderr.String(), 3000))
	}
	register(3)
	m = startMirror(t, mdir, s.url, mirrorArgs...)
	waitMirrored(t, s.url, m.url)
	register(4)
	waitMirrored(t, s.url, m.url)
	sameAnswers(t, s.url, m.url, publicPaths(readFeed(t, s.url), written...))
	if bytes.Contains([]byte(m.stderr.String()), []byte("trusting")) {
		t.Errorf("the restarted mirror trusted a key again; it should use the pinned one")
	}

	// verify --url of the mirror passes with the source's key (the state file is new).
	code, out, errOut := verifyMain("--url", m.url, "--state", filepath.Join(t.TempDir(), "state.json"))
	if code != 0 || !strings.Contains(out, "OK") {
		t.Fatalf("verify --url of the mirror: exit %d\n%s\n%s", code, tail(out, 3000), tail(errOut, 2000))
	}
	if a, b := get(t, s.url+"/log/key"), get(t, m.url+"/log/key"); !bytes.Equal(a.body, b.body) {
		t.Errorf("the mirror serves /log/key %q, want the source's %q", b.body, a.body)
	}
	// And verify --data of its data folder (SQLite), every derived row, with the pinned key.
	if len(mirrorArgs) == 0 {
		if code := m.stop(); code != 0 {
			t.Fatalf("mirror: exit %d\n%s", code, tail(m.stderr.String(), 3000))
		}
		if code, out, errOut := verifyMain("--data", mdir, "--state", filepath.Join(t.TempDir(), "state.json")); code != 0 || !strings.Contains(out, "OK") {
			t.Fatalf("verify --data of the mirror: exit %d\n%s\n%s", code, tail(out, 3000), tail(errOut, 2000))
		}
	}
}

// waitExit waits for a mirror to stop on its own and returns its exit status.
func (m *e2eMirror) waitExit(t *testing.T) int {
	t.Helper()
	select {
	case code := <-m.done:
		m.done <- code // for stop
		return code
	case <-time.After(60 * time.Second):
		t.Fatalf("the mirror did not stop within 60 s; stderr:\n%s", tail(m.stderr.String(), 3000))
		return 0
	}
}

// evidenceFile returns the one evidence file in a mirror's data folder.
func evidenceFile(t *testing.T, dir string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "mirror-evidence-*.txt"))
	if len(files) != 1 {
		t.Fatalf("%d evidence files in the mirror's data folder, want 1: %v", len(files), files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestE2EMirrorRefusesFork: a mirror that has verified a server's log is started against
// a second server over a copy of the same register (same key) that went on differently: a
// fork. It refuses it — exit status 3, a message saying the checkpoints are not consistent,
// the evidence (both signed checkpoints and the proof) in its data folder — and stores
// nothing of it: started against the first server again it carries on.
func TestE2EMirrorRefusesFork(t *testing.T) {
	t.Parallel()
	src, fork, mdir := t.TempDir(), filepath.Join(t.TempDir(), "fork"), t.TempDir()
	if code, _, errOut := runMain("demo", "--data", src, "--enterprises", "30", "--seed", "11"); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, tail(errOut, 2000))
	}
	if err := os.CopyFS(fork, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	a, b := startServer(t, src), startServer(t, fork)
	write := func(s *e2eServer, seq uint64) {
		reg := adminToken(t, s.dir, "--role", "regulator", "--jurisdiction", "310000")
		code := usccFor(t, "310115", seq)
		call(t, "POST", s.url+"/api/v1/enterprises", reg, registrationBody(code, "上海分叉样本"+strconv.Itoa(int(seq))+"有限公司")).want(t, 201, nil)
	}
	write(a, 801)
	write(b, 802) // the same index as 801 at a: the logs part there
	write(b, 803)
	m := startMirror(t, mdir, a.url)
	size := waitMirrored(t, a.url, m.url)
	if code := m.stop(); code != 0 {
		t.Fatalf("mirror: exit %d\n%s", code, tail(m.stderr.String(), 3000))
	}

	if bsize := waitWholeLog(t, b.url); bsize <= size {
		t.Fatalf("the fork has %d entries, the source %d: the test wants a longer fork", bsize, size)
	}
	m = startMirror(t, mdir, b.url)
	if code := m.waitExit(t); code != mirrorExitInconsistent {
		t.Fatalf("the mirror against a fork: exit %d, want %d\n%s", code, mirrorExitInconsistent, tail(m.stderr.String(), 3000))
	}
	if msg := m.stderr.String(); !strings.Contains(msg, "THE SOURCE IS INCONSISTENT") || !strings.Contains(msg, "not consistent with the one of "+strconv.FormatInt(size, 10)+" entries") || !strings.Contains(msg, "mirror-evidence-") {
		t.Errorf("the mirror's message does not say what was inconsistent and where the evidence is:\n%s", tail(msg, 3000))
	}
	ev := evidenceFile(t, mdir)
	ca, cb := get(t, a.url+"/log/checkpoint").body, get(t, b.url+"/log/checkpoint").body
	for _, want := range []string{string(bytes.TrimSpace(ca)), string(bytes.TrimSpace(cb)), "consistency proof"} {
		if !strings.Contains(ev, want) {
			t.Errorf("the evidence file does not hold %q:\n%s", want, ev)
		}
	}

	// Nothing of the fork was stored: against the first server the mirror carries on.
	write(a, 804)
	m = startMirror(t, mdir, a.url)
	waitMirrored(t, a.url, m.url)
}

// TestE2EMirrorRefusesRewrittenEntry: a source whose change feed gives, for a new entry, a
// document and leaf other than the ones its signed checkpoint commits to (a proxy in front
// of a real server rewrites the line, consistently: the document hashes to the sha256 it
// names) is refused before the entry is stored, with the line and both hashes as evidence.
func TestE2EMirrorRefusesRewrittenEntry(t *testing.T) {
	t.Parallel()
	src, mdir := t.TempDir(), t.TempDir()
	if code, _, errOut := runMain("demo", "--data", src, "--enterprises", "30", "--seed", "12"); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, tail(errOut, 2000))
	}
	s := startServer(t, src)
	target, _ := url.Parse(s.url)
	var from atomic.Int64 // rewrite the documents of entries from this index on; 0: none
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.URL.Path != "/api/v1/changes" || from.Load() == 0 || resp.StatusCode != 200 {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var out []byte
		for _, line := range bytes.SplitAfter(body, []byte("\n")) {
			if ev, err := gongshi.ParseFeedEvent(line); err == nil && ev.LogIndex >= from.Load() && ev.Document != nil {
				ev.Document = bytes.Replace(ev.Document, []byte("镜像样本"), []byte("伪造样本"), 1)
				ev.SHA256 = translog.DocumentHash(ev.Document)
				line = ev.AppendJSON(nil)
			}
			out = append(out, line...)
		}
		resp.Body = io.NopCloser(bytes.NewReader(out))
		resp.ContentLength = int64(len(out))
		resp.Header.Set("Content-Length", strconv.Itoa(len(out)))
		return nil
	}
	ps := httptest.NewServer(proxy)
	defer ps.Close()

	m := startMirror(t, mdir, ps.URL)
	size := waitMirrored(t, ps.URL, m.url)
	from.Store(size)
	reg := adminToken(t, src, "--role", "regulator", "--jurisdiction", "310000")
	call(t, "POST", s.url+"/api/v1/enterprises", reg, registrationBody(usccFor(t, "310115", 901), "上海镜像样本有限公司")).want(t, 201, nil)
	if code := m.waitExit(t); code != mirrorExitInconsistent {
		t.Fatalf("the mirror of a rewritten entry: exit %d, want %d\n%s", code, mirrorExitInconsistent, tail(m.stderr.String(), 3000))
	}
	if msg := m.stderr.String(); !strings.Contains(msg, "at log index "+strconv.FormatInt(size, 10)+" a version whose leaf is not the one its checkpoint") {
		t.Errorf("the mirror's message does not name the rewritten entry:\n%s", tail(msg, 3000))
	}
	if ev := evidenceFile(t, mdir); !strings.Contains(ev, "伪造样本") || !strings.Contains(ev, "tile hash") {
		t.Errorf("the evidence file does not hold the rewritten line and the proven hash:\n%s", ev)
	}

	// The rewritten entry was not stored: without the proxy's rewriting the mirror carries
	// on and serves the real document.
	from.Store(0)
	m = startMirror(t, mdir, ps.URL)
	waitMirrored(t, s.url, m.url)
	sameAnswers(t, s.url, m.url, []string{"/api/v1/enterprises/" + usccFor(t, "310115", 901)})
}

// TestE2EMirrorRefusesForgedCheckpoints: a mirror that has verified a source's log is
// shown, by a proxy in front of the source, a checkpoint of the same size with another
// root (a fork), one of fewer entries (a rollback) and one signed by another key; each
// time it stops with exit status 3, says what, and keeps the forged checkpoint as
// evidence beside the one it verified.
func TestE2EMirrorRefusesForgedCheckpoints(t *testing.T) {
	t.Parallel()
	src, mdir := t.TempDir(), t.TempDir()
	if code, _, errOut := runMain("demo", "--data", src, "--enterprises", "20", "--seed", "13"); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, tail(errOut, 2000))
	}
	signer, err := translog.LoadOrCreateKey(src, DefaultOrigin) // the source's own key
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, src)
	target, _ := url.Parse(s.url)
	var forged atomic.Pointer[[]byte]
	proxy := httputil.NewSingleHostReverseProxy(target)
	ps := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f := forged.Load(); f != nil && r.URL.Path == "/log/checkpoint" {
			w.Write(*f)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer ps.Close()
	m := startMirror(t, mdir, ps.URL)
	size := waitMirrored(t, ps.URL, m.url)
	if code := m.stop(); code != 0 {
		t.Fatalf("mirror: exit %d\n%s", code, tail(m.stderr.String(), 3000))
	}
	other, err := translog.LoadOrCreateKey(t.TempDir(), DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	_, real := waitCheckpoint(t, s.url, size)
	for _, c := range []struct {
		name   string
		signer *translog.Signer
		tree   tlog.Tree
		says   string
	}{
		{"fork", signer, tlog.Tree{N: size, Hash: tlog.RecordHash([]byte("another root"))}, "it signed two different trees of " + strconv.FormatInt(size, 10) + " entries"},
		{"rollback", signer, tlog.Tree{N: size - 1, Hash: real.Hash}, "fewer than the " + strconv.FormatInt(size, 10)},
		{"foreign key", other, real, "not signed by the key this mirror pinned"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "mirror")
			if err := os.CopyFS(dir, os.DirFS(mdir)); err != nil {
				t.Fatal(err)
			}
			note, err := c.signer.Sign(c.tree)
			if err != nil {
				t.Fatal(err)
			}
			forged.Store(&note)
			defer forged.Store(nil)
			m := startMirror(t, dir, ps.URL)
			if code := m.waitExit(t); code != mirrorExitInconsistent {
				t.Fatalf("exit %d, want %d\n%s", code, mirrorExitInconsistent, tail(m.stderr.String(), 3000))
			}
			if msg := m.stderr.String(); !strings.Contains(msg, c.says) {
				t.Errorf("the mirror's message does not say %q:\n%s", c.says, tail(msg, 3000))
			}
			if ev := evidenceFile(t, dir); !strings.Contains(ev, string(bytes.TrimSpace(note))) {
				t.Errorf("the evidence file does not hold the forged checkpoint %q:\n%s", note, ev)
			}
		})
	}
}
