package main

// The independent auditor of issue 3 ("Contracts the checks rely on"): it reads a running
// gongshi server's log with only golang.org/x/mod/sumdb/tlog and note, net/http,
// encoding/json and crypto/sha256 — nothing of package translog — and checks what a
// stranger to our code could check. Its tile paths are written here from the C2SP
// tlog-tiles specification, not taken from translog.TilePath.

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// tileHeight is the tile height of C2SP tlog-tiles: 256 hashes a tile.
const tileHeight = 8

// logAuditor reads a log over HTTP and is a tlog.TileReader for it.
type logAuditor struct {
	base     string
	verifier note.Verifier

	mu      sync.Mutex
	saved   map[string][]byte // tiles tlog verified and handed to SaveTiles, by path
	fetched int               // tiles fetched over HTTP
}

// newLogAuditor trusts the key the server serves at /log/key.
func newLogAuditor(base string) (*logAuditor, error) {
	a := &logAuditor{base: base, saved: map[string][]byte{}}
	key, err := a.get("/log/key")
	if err != nil {
		return nil, err
	}
	v, err := note.NewVerifier(strings.TrimSpace(string(key)))
	if err != nil {
		return nil, fmt.Errorf("/log/key %q: %w", key, err)
	}
	a.verifier = v
	return a, nil
}

func (a *logAuditor) get(path string) ([]byte, error) {
	resp, err := http.Get(a.base + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: got status %d, want 200: %s", path, resp.StatusCode, b)
	}
	return b, nil
}

// checkpoint fetches /log/checkpoint and opens it with the log's key.
func (a *logAuditor) checkpoint() (tlog.Tree, error) {
	msg, err := a.get("/log/checkpoint")
	if err != nil {
		return tlog.Tree{}, err
	}
	return openCheckpoint(msg, a.verifier)
}

// openCheckpoint verifies a C2SP tlog-checkpoint signed note with v and returns its tree:
// the text is the origin (v's name), the tree size in decimal and the root hash in base64,
// one a line, then optional extension lines.
func openCheckpoint(msg []byte, v note.Verifier) (tlog.Tree, error) {
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("checkpoint signature: %w", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 || lines[0] != v.Name() {
		return tlog.Tree{}, fmt.Errorf("checkpoint text %q: want origin %q, size and root", n.Text, v.Name())
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return tlog.Tree{}, fmt.Errorf("checkpoint size %q is not a decimal number", lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return tlog.Tree{}, fmt.Errorf("checkpoint root %q is not a base64 SHA-256", lines[2])
	}
	return tlog.Tree{N: size, Hash: tlog.Hash(root)}, nil
}

// waitTree polls the checkpoint until its tree has at least n leaves (the server makes
// one at least every second while leaves arrive).
func (a *logAuditor) waitTree(t *testing.T, n int64) tlog.Tree {
	t.Helper()
	var tree tlog.Tree
	var err error
	if !waitFor(15*time.Second, func() bool {
		tree, err = a.checkpoint()
		return err == nil && tree.N >= n
	}) {
		t.Fatalf("checkpoint: got size %d (err %v) after 15 s, want ≥ %d", tree.N, err, n)
	}
	return tree
}

// tileIndex writes a tile index as C2SP tlog-tiles asks: three-digit decimal groups,
// every group but the last prefixed with "x" (1234067 → "x001/x234/067").
func tileIndex(n int64) string {
	s := fmt.Sprintf("%03d", n%1000)
	for n /= 1000; n > 0; n /= 1000 {
		s = fmt.Sprintf("x%03d/%s", n%1000, s)
	}
	return s
}

// tilePath is the URL path of a hash tile: /log/tile/<L>/<N>[.p/<W>].
func tilePath(t tlog.Tile) string {
	p := "/log/tile/" + strconv.Itoa(t.L) + "/" + tileIndex(t.N)
	if t.W < 1<<tileHeight {
		p += ".p/" + strconv.Itoa(t.W)
	}
	return p
}

// bundlePath is the URL path of entry bundle n of width w: /log/tile/entries/<N>[.p/<W>].
func bundlePath(n int64, w int) string {
	p := "/log/tile/entries/" + tileIndex(n)
	if w < 1<<tileHeight {
		p += ".p/" + strconv.Itoa(w)
	}
	return p
}

func (a *logAuditor) Height() int { return tileHeight }

func (a *logAuditor) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		if t.H != tileHeight {
			return nil, fmt.Errorf("tile %v: height %d, want %d", t, t.H, tileHeight)
		}
		p := tilePath(t)
		a.mu.Lock()
		data, ok := a.saved[p]
		a.mu.Unlock()
		if !ok {
			var err error
			if data, err = a.get(p); err != nil {
				return nil, err
			}
			a.mu.Lock()
			a.fetched++
			a.mu.Unlock()
		}
		if len(data) != t.W*tlog.HashSize {
			return nil, fmt.Errorf("%s: got %d bytes, want %d", p, len(data), t.W*tlog.HashSize)
		}
		out[i] = data
	}
	return out, nil
}

// SaveTiles keeps tiles tlog has verified against a signed tree; a tile path names
// immutable content, partial ones included.
func (a *logAuditor) SaveTiles(tiles []tlog.Tile, data [][]byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, t := range tiles {
		a.saved[tilePath(t)] = data[i]
	}
}

// leaves returns every leaf of tree from its entry bundles: each entry a big-endian
// uint16 length and that many bytes.
func (a *logAuditor) leaves(tree tlog.Tree) ([][]byte, error) {
	var all [][]byte
	for n := int64(0); n*256 < tree.N; n++ {
		w := int(min(256, tree.N-n*256))
		data, err := a.get(bundlePath(n, w))
		if err != nil {
			return nil, err
		}
		for len(data) > 0 {
			if len(data) < 2 || len(data) < 2+int(binary.BigEndian.Uint16(data)) {
				return nil, fmt.Errorf("%s: truncated entry after %d entries", bundlePath(n, w), len(all)-int(n*256))
			}
			size := int(binary.BigEndian.Uint16(data))
			all = append(all, data[2:2+size])
			data = data[2+size:]
		}
		if got, want := int64(len(all)), n*256+int64(w); got != want {
			return nil, fmt.Errorf("%s: got %d entries, want %d", bundlePath(n, w), got-n*256, w)
		}
	}
	return all, nil
}

// auditLeaf is a log leaf (SPEC §9) as the auditor reads it.
type auditLeaf struct {
	Kind        string `json:"kind"`
	PublishedAt string `json:"published_at"`
	Record      string `json:"record"`
	SHA256      string `json:"sha256"`
	Subject     string `json:"subject"`
	Version     int    `json:"version"`
}

// checkLeaf parses a leaf, fetches the document it names and checks that the document
// hashes to the leaf's sha256 and names the same record version.
func (a *logAuditor) checkLeaf(data []byte) (auditLeaf, error) {
	var l auditLeaf
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return l, fmt.Errorf("leaf %s: %w", data, err)
	}
	if len(l.SHA256) != 64 || strings.ToLower(l.SHA256) != l.SHA256 {
		return l, fmt.Errorf("leaf %s: sha256 is not 64 lowercase hex digits", data)
	}
	if l.Kind == "" || l.Subject == "" || l.Record == "" || l.Version < 1 {
		return l, fmt.Errorf("leaf %s: kind, subject, record or version missing", data)
	}
	doc, err := a.get("/api/v1/documents/" + l.SHA256)
	if err != nil {
		return l, err
	}
	if sum := sha256.Sum256(doc); hex.EncodeToString(sum[:]) != l.SHA256 {
		return l, fmt.Errorf("document %s: got SHA-256 %x, want %s", l.SHA256, sum, l.SHA256)
	}
	var d struct {
		Kind    string `json:"kind"`
		Record  string `json:"record"`
		Version int    `json:"version"`
		Subject struct {
			USCC string `json:"uscc"`
		} `json:"subject"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return l, fmt.Errorf("document %s: %w", l.SHA256, err)
	}
	if d.Kind != l.Kind || d.Record != l.Record || d.Version != l.Version || d.Subject.USCC != l.Subject {
		return l, fmt.Errorf("document %s names %s %s v%d of %s; leaf says %s %s v%d of %s",
			l.SHA256, d.Kind, d.Record, d.Version, d.Subject.USCC, l.Kind, l.Record, l.Version, l.Subject)
	}
	return l, nil
}

func TestE2ETilePaths(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		tile tlog.Tile
		want string
	}{
		{tlog.Tile{H: 8, L: 0, N: 0, W: 256}, "/log/tile/0/000"},
		{tlog.Tile{H: 8, L: 0, N: 0, W: 17}, "/log/tile/0/000.p/17"},
		{tlog.Tile{H: 8, L: 1, N: 999, W: 256}, "/log/tile/1/999"},
		{tlog.Tile{H: 8, L: 2, N: 1000, W: 3}, "/log/tile/2/x001/000.p/3"},
		{tlog.Tile{H: 8, L: 0, N: 1234067, W: 256}, "/log/tile/0/x001/x234/067"},
	} {
		if got := tilePath(c.tile); got != c.want {
			t.Errorf("tilePath(%+v): got %q, want %q", c.tile, got, c.want)
		}
	}
	if got, want := bundlePath(1234067, 5), "/log/tile/entries/x001/x234/067.p/5"; got != want {
		t.Errorf("bundlePath: got %q, want %q", got, want)
	}
}

// TestE2EIndependentAuditor: a checkpoint taken before a burst of 300 concurrent
// publications and one taken after are consistent; every leaf is in the tree, names a
// document that hashes to it, and is the version the API says it is.
func TestE2EIndependentAuditor(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	reg := adminToken(t, s.dir, "--role", "regulator", "--jurisdiction", "310000")

	const writers, burst = 16, 300
	codes := make([]string, writers)
	for i := range codes {
		codes[i] = usccFor(t, "310115", uint64(1000+i))
		call(t, "POST", s.url+"/api/v1/enterprises", reg, registrationBody(codes[i], fmt.Sprintf("上海审计样本%d号科技有限公司", i))).want(t, 201, nil)
	}

	a, err := newLogAuditor(s.url)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.verifier.Name(), "gongshi.local/log") {
		t.Errorf("verifier key name: got %q, want the default origin gongshi.local/log", a.verifier.Name())
	}
	before := a.waitTree(t, writers)
	if before.N != writers {
		t.Fatalf("checkpoint before the burst: got size %d, want %d (one leaf a registration)", before.N, writers)
	}

	// The signature means something: another key, or an altered size, does not verify.
	msg, err := a.get("/log/checkpoint")
	if err != nil {
		t.Fatal(err)
	}
	_, otherKey, _ := note.GenerateKey(nil, a.verifier.Name())
	other, _ := note.NewVerifier(otherKey)
	if _, err := openCheckpoint(msg, other); err == nil {
		t.Errorf("a checkpoint verified with a key of another log: got no error, want one")
	}
	forged := strings.Replace(string(msg), "\n"+strconv.Itoa(writers)+"\n", "\n"+strconv.Itoa(writers+1)+"\n", 1)
	if _, err := openCheckpoint([]byte(forged), a.verifier); err == nil || forged == string(msg) {
		t.Errorf("a checkpoint with an altered size: got no error, want one")
	}

	acks := publishBurst(t, s.url, reg, codes, burst)
	after := a.waitTree(t, before.N+burst)
	if after.N != before.N+burst {
		t.Fatalf("checkpoint after the burst: got size %d, want %d", after.N, before.N+burst)
	}

	// Consistency: the log only grew.
	p, err := tlog.ProveTree(after.N, before.N, tlog.TileHashReader(after, a))
	if err != nil {
		t.Fatalf("prove consistency %d → %d: %v", before.N, after.N, err)
	}
	if err := tlog.CheckTree(p, after.N, after.Hash, before.N, before.Hash); err != nil {
		t.Fatalf("consistency %d → %d: %v", before.N, after.N, err)
	}
	bad := before.Hash
	bad[0] ^= 1
	if err := tlog.CheckTree(p, after.N, after.Hash, before.N, bad); err == nil {
		t.Errorf("consistency with a forged earlier root: got no error, want one")
	}

	// Inclusion of every leaf in the later tree, and of a few in the earlier one (whose
	// partial tiles the server still serves).
	leaves, err := a.leaves(after)
	if err != nil {
		t.Fatal(err)
	}
	prove := func(tree tlog.Tree, n int64) error {
		p, err := tlog.ProveRecord(tree.N, n, tlog.TileHashReader(tree, a))
		if err != nil {
			return fmt.Errorf("prove leaf %d in tree %d: %w", n, tree.N, err)
		}
		return tlog.CheckRecord(p, tree.N, tree.Hash, n, tlog.RecordHash(leaves[n]))
	}
	for n := range after.N {
		if err := prove(after, n); err != nil {
			t.Fatalf("leaf %d: %v", n, err)
		}
	}
	for _, n := range []int64{0, before.N / 2, before.N - 1} {
		if err := prove(before, n); err != nil {
			t.Errorf("leaf %d in the earlier tree: %v", n, err)
		}
	}
	if p, err := tlog.ProveRecord(after.N, 5, tlog.TileHashReader(after, a)); err != nil {
		t.Fatal(err)
	} else if err := tlog.CheckRecord(p, after.N, after.Hash, 5, tlog.RecordHash(append([]byte(" "), leaves[5]...))); err == nil {
		t.Errorf("inclusion of an altered leaf: got no error, want one")
	}

	// Every leaf's document, and every leaf against what the API says of its version.
	parsed := make([]auditLeaf, len(leaves))
	for n, data := range leaves {
		if parsed[n], err = a.checkLeaf(data); err != nil {
			t.Fatalf("leaf %d: %v", n, err)
		}
	}
	for _, k := range acks {
		l := parsed[k.logIndex]
		if l.SHA256 != k.sha256 || l.Record != k.record || l.Version != k.version || l.Subject != k.subject {
			t.Errorf("leaf %d: got %s v%d of %s sha256 %s, want the acknowledged %s v%d of %s sha256 %s",
				k.logIndex, l.Record, l.Version, l.Subject, l.SHA256, k.record, k.version, k.subject, k.sha256)
		}
	}
	claimed := make([]int, len(leaves))
	for _, code := range codes {
		var list recordList
		call(t, "GET", s.url+"/api/v1/enterprises/"+code+"/records", "", nil).want(t, 200, &list)
		for _, rec := range list.Records {
			for _, v := range rec.Versions {
				if v.LogIndex < 0 || v.LogIndex >= after.N {
					t.Errorf("record %s v%d: got log_index %d, want one in [0, %d)", rec.ID, v.Version, v.LogIndex, after.N)
					continue
				}
				claimed[v.LogIndex]++
				if l := parsed[v.LogIndex]; l.SHA256 != v.SHA256 || l.Record != rec.ID || l.Version != v.Version || l.Kind != rec.Kind || l.Subject != code {
					t.Errorf("record %s v%d at log_index %d: API says %s sha256 %s; leaf says %s %s v%d sha256 %s",
						rec.ID, v.Version, v.LogIndex, rec.Kind, v.SHA256, l.Kind, l.Record, l.Version, l.SHA256)
				}
			}
		}
	}
	for n, c := range claimed {
		if c != 1 {
			t.Errorf("leaf %d: got %d API versions with this log_index, want 1", n, c)
		}
	}
	t.Logf("audited %d leaves; %d tiles fetched", len(leaves), a.fetched)
}

// publishBurst publishes n penalties from len(codes) concurrent writers, writer i on
// enterprise codes[i], and returns the acknowledged versions. Every write must succeed,
// each at a log index of its own.
func publishBurst(t *testing.T, url, token string, codes []string, n int) []ack {
	t.Helper()
	var (
		mu   sync.Mutex
		acks []ack
		errs []error
		wg   sync.WaitGroup
	)
	for w, code := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += len(codes) {
				a, err := publishPenalty(url, token, code, i)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					acks = append(acks, a)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("burst: %d of %d writes failed; first: %v", len(errs), n, errs[0])
	}
	seen := map[int64]bool{}
	for _, a := range acks {
		if seen[a.logIndex] {
			t.Fatalf("burst: log_index %d acknowledged twice", a.logIndex)
		}
		seen[a.logIndex] = true
	}
	return acks
}

// publishPenalty publishes penalty number i about code; any answer but 201 is an error.
func publishPenalty(url, token, code string, i int) (ack, error) {
	r, err := send("POST", url+"/api/v1/enterprises/"+code+"/records", token, publication("penalty", daysAgo(3), penaltyFields(i)))
	if err != nil {
		return ack{}, err
	}
	if r.status != http.StatusCreated {
		return ack{}, fmt.Errorf("publish penalty %d: got status %d, want 201: %s", i, r.status, r.body)
	}
	var v struct {
		Record   string `json:"record"`
		Subject  string `json:"subject"`
		Version  int    `json:"version"`
		SHA256   string `json:"sha256"`
		LogIndex *int64 `json:"log_index"`
	}
	if err := json.Unmarshal(r.body, &v); err != nil {
		return ack{}, fmt.Errorf("publish penalty %d: %w", i, err)
	}
	if v.LogIndex == nil || v.SHA256 == "" || v.Record == "" || v.Subject != code || v.Version != 1 {
		return ack{}, errors.New("publish penalty: answer lacks log_index, sha256 or record, or names another subject or version: " + string(r.body))
	}
	return ack{subject: v.Subject, record: v.Record, version: v.Version, sha256: v.SHA256, logIndex: *v.LogIndex}, nil
}
