package translog_test

// The independent auditor below uses only golang.org/x/mod/sumdb/tlog and note, net/http,
// encoding/json and the standard library — none of package translog — to show that a
// standard tlog client can verify gongshi's log (issue 3, "Contracts the checks rely on").
// Only the server setup (newTestServer) uses translog.

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type auditor struct {
	t    *testing.T
	base string
}

func (a *auditor) get(path string) []byte {
	a.t.Helper()
	resp, err := http.Get(a.base + path)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		a.t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
	return b
}

// checkpoint fetches and verifies the checkpoint (C2SP tlog-checkpoint) with v.
func (a *auditor) checkpoint(v note.Verifier) tlog.Tree {
	a.t.Helper()
	n, err := note.Open(a.get("/log/checkpoint"), note.VerifierList(v))
	if err != nil {
		a.t.Fatalf("checkpoint signature: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 || lines[0] != v.Name() {
		a.t.Fatalf("checkpoint text %q: want origin %q, size, root", n.Text, v.Name())
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		a.t.Fatal(err)
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		a.t.Fatalf("root %q: %v", lines[2], err)
	}
	return tlog.Tree{N: size, Hash: tlog.Hash(root)}
}

// tilePath writes the C2SP tlog-tiles path: no height, N in x-prefixed groups of three.
func tilePath(t tlog.Tile, entries bool) string {
	n := fmt.Sprintf("%03d", t.N%1000)
	for x := t.N / 1000; x > 0; x /= 1000 {
		n = fmt.Sprintf("x%03d/%s", x%1000, n)
	}
	l := strconv.Itoa(t.L)
	if entries {
		l = "entries"
	}
	p := "/log/tile/" + l + "/" + n
	if t.W < 1<<t.H {
		p += ".p/" + strconv.Itoa(t.W)
	}
	return p
}

// ReadTiles, Height and SaveTiles make the auditor a tlog.TileReader.
func (a *auditor) Height() int { return 8 }
func (a *auditor) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		out[i] = a.get(tilePath(t, false))
	}
	return out, nil
}
func (a *auditor) SaveTiles([]tlog.Tile, [][]byte) {}

// leaf returns leaf n of tree from its entry bundle.
func (a *auditor) leaf(tree tlog.Tree, n int64) []byte {
	a.t.Helper()
	tile := tlog.Tile{H: 8, L: 0, N: n / 256, W: int(min(256, tree.N-n/256*256))}
	data := a.get(tilePath(tile, true))
	for i := int64(0); len(data) >= 2; i++ {
		size := int(binary.BigEndian.Uint16(data))
		if i == n%256 {
			return data[2 : 2+size]
		}
		data = data[2+size:]
	}
	a.t.Fatalf("leaf %d not in its bundle", n)
	return nil
}

// proveLeaf proves leaf n is in tree and that its document hashes to its "sha256".
func (a *auditor) proveLeaf(tree tlog.Tree, n int64) {
	a.t.Helper()
	leaf := a.leaf(tree, n)
	r := tlog.TileHashReader(tree, a)
	p, err := tlog.ProveRecord(tree.N, n, r)
	if err != nil {
		a.t.Fatalf("prove leaf %d: %v", n, err)
	}
	if err := tlog.CheckRecord(p, tree.N, tree.Hash, n, tlog.RecordHash(leaf)); err != nil {
		a.t.Fatalf("check leaf %d: %v", n, err)
	}
	var fields map[string]any
	if err := json.Unmarshal(leaf, &fields); err != nil {
		a.t.Fatalf("leaf %d is not JSON: %v", n, err)
	}
	sha, _ := fields["sha256"].(string)
	doc := a.get("/api/v1/documents/" + sha)
	if sum := sha256.Sum256(doc); hex.EncodeToString(sum[:]) != sha {
		a.t.Fatalf("leaf %d: document hashes to %x, leaf says %s", n, sum, sha)
	}
}

func TestIndependentAuditor(t *testing.T) {
	s := newTestServer(t)
	s.publish(t, 1000)
	a := &auditor{t: t, base: s.URL}
	v, err := note.NewVerifier(strings.TrimSpace(string(a.get("/log/key"))))
	if err != nil {
		t.Fatal(err)
	}
	before := a.checkpoint(v)
	if before.N != 1000 {
		t.Fatalf("checkpoint size %d, want 1000", before.N)
	}
	for _, n := range []int64{0, 1, 255, 256, 511, 700, 999} {
		a.proveLeaf(before, n)
	}

	// A burst of writes, then consistency between the two checkpoints.
	for range 5 {
		s.publish(t, 777)
	}
	after := a.checkpoint(v)
	if after.N != 1000+5*777 {
		t.Fatalf("checkpoint size %d, want %d", after.N, 1000+5*777)
	}
	p, err := tlog.ProveTree(after.N, before.N, tlog.TileHashReader(after, a))
	if err != nil {
		t.Fatal(err)
	}
	if err := tlog.CheckTree(p, after.N, after.Hash, before.N, before.Hash); err != nil {
		t.Fatalf("consistency %d → %d: %v", before.N, after.N, err)
	}
	for _, n := range []int64{0, 999, 1000, 4000, after.N - 1} {
		a.proveLeaf(after, n)
	}
	// A forged earlier root does not check.
	forged := before.Hash
	forged[0] ^= 1
	if err := tlog.CheckTree(p, after.N, after.Hash, before.N, forged); err == nil {
		t.Fatal("CheckTree accepted a forged earlier root")
	}
}
