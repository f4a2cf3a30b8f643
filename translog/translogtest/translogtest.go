// Package translogtest holds the conformance test every translog.Store implementation must
// pass, in the manner of golang.org/x/mod/sumdb/tlog's own tests: a store under test runs
// TestStore from its own test file.
package translogtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gongshi/gongshi/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// AppendFunc appends leaves to the store under test as one atomic batch, the way the
// store's writer does (normally through a translog.Appender).
type AppendFunc func(ctx context.Context, leaves [][]byte) error

// Leaves returns n canonical leaves numbered from first, with documents: docs maps each
// leaf's sha256 to its document. They are deterministic.
func Leaves(first, n int) (leaves [][]byte, docs map[string][]byte) {
	docs = make(map[string][]byte, n)
	base := time.Date(2026, 5, 1, 1, 2, 3, 456789000, time.UTC)
	for i := first; i < first+n; i++ {
		doc, _ := translog.CanonicalJSON(map[string]any{"record": fmt.Sprintf("r%d", i), "name": "上海杰图天下网络科技有限公司", "n": i})
		sha := translog.DocumentHash(doc)
		docs[sha] = doc
		l := translog.Leaf{Kind: "penalty", Subject: "91310000MA1FL0001X", Record: fmt.Sprintf("r%d", i/3), Version: i%3 + 1, PublishedAt: base.Add(time.Duration(i) * time.Second), SHA256: sha}
		leaves = append(leaves, l.MarshalCanonical())
	}
	return leaves, docs
}

// reference is the log computed one leaf at a time with tlog.StoredHashes.
type reference struct {
	leaves [][]byte
	hashes []tlog.Hash
}

func (r *reference) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(r.hashes)) {
			return nil, fmt.Errorf("reference: no hash %d", x)
		}
		out[i] = r.hashes[x]
	}
	return out, nil
}

func (r *reference) add(t *testing.T, leaves [][]byte) {
	t.Helper()
	for _, l := range leaves {
		h, err := tlog.StoredHashes(int64(len(r.leaves)), l, r)
		if err != nil {
			t.Fatal(err)
		}
		r.hashes = append(r.hashes, h...)
		r.leaves = append(r.leaves, l)
	}
}

// TestStore runs the conformance suite on stores made by newStore, which must return an
// empty store and the function appending to it; each subtest makes its own.
func TestStore(t *testing.T, newStore func(t *testing.T) (translog.Store, AppendFunc)) {
	TestStoreEntries(t, newStore, Leaves)
}

// EntriesFunc makes n leaves numbered from first, with their documents by sha256, as
// Leaves does.
type EntriesFunc func(first, n int) (leaves [][]byte, docs map[string][]byte)

// TestStoreEntries is TestStore with leaves made by entries: a store that derives each
// leaf from its document can only hold leaves of documents of its own format.
func TestStoreEntries(t *testing.T, newStore func(t *testing.T) (translog.Store, AppendFunc), entries EntriesFunc) {
	t.Run("Empty", func(t *testing.T) { testEmpty(t, newStore) })
	t.Run("AppendAndRead", func(t *testing.T) { testAppendAndRead(t, newStore, entries) })
	t.Run("Checkpoints", func(t *testing.T) { testCheckpoints(t, newStore) })
	t.Run("Tiles", func(t *testing.T) { testTiles(t, newStore, entries) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, newStore, entries) })
	t.Run("Audit", func(t *testing.T) { testAudit(t, newStore, entries) })
}

func testEmpty(t *testing.T, newStore func(t *testing.T) (translog.Store, AppendFunc)) {
	ctx := context.Background()
	s, _ := newStore(t)
	if n, err := s.TreeSize(ctx); err != nil || n != 0 {
		t.Fatalf("TreeSize = %d, %v; want 0, nil", n, err)
	}
	if _, err := s.LatestCheckpoint(ctx); !errors.Is(err, translog.ErrNotFound) {
		t.Errorf("LatestCheckpoint of empty store: got error %v, want ErrNotFound", err)
	}
	if _, err := s.ReadLeaves(ctx, 0, 1); !errors.Is(err, translog.ErrNotFound) {
		t.Errorf("ReadLeaves(0, 1) of empty store: got error %v, want ErrNotFound", err)
	}
	if l, err := s.ReadLeaves(ctx, 0, 0); err != nil || len(l) != 0 {
		t.Errorf("ReadLeaves(0, 0) = %d leaves, %v; want 0, nil", len(l), err)
	}
	if _, err := s.ReadHashes(ctx, []int64{0}); !errors.Is(err, translog.ErrNotFound) {
		t.Errorf("ReadHashes([0]) of empty store: got error %v, want ErrNotFound", err)
	}
}

func testAppendAndRead(t *testing.T, newStore func(t *testing.T) (translog.Store, AppendFunc), entries EntriesFunc) {
	ctx := context.Background()
	s, appendLeaves := newStore(t)
	var ref reference
	next := 0
	for _, n := range []int{1, 2, 5, 248, 256, 300, 1, 700} {
		leaves, _ := entries(next, n)
		if err := appendLeaves(ctx, leaves); err != nil {
			t.Fatalf("append %d leaves after %d: %v", n, next, err)
		}
		ref.add(t, leaves)
		next += n
		checkStore(t, s, &ref)
	}
}

// checkStore compares every leaf and hash of s with ref.
func checkStore(t *testing.T, s translog.Store, ref *reference) {
	t.Helper()
	ctx := context.Background()
	size := int64(len(ref.leaves))
	if n, err := s.TreeSize(ctx); err != nil || n != size {
		t.Fatalf("TreeSize = %d, %v; want %d, nil", n, err, size)
	}
	all := make([]int64, len(ref.hashes))
	for i := range all {
		all[i] = int64(i)
	}
	got, err := s.ReadHashes(ctx, all)
	if err != nil {
		t.Fatalf("ReadHashes(all %d): %v", len(all), err)
	}
	for i := range got {
		if got[i] != ref.hashes[i] {
			t.Fatalf("stored hash %d = %v, want %v", i, got[i], ref.hashes[i])
		}
	}
	// Out of order and repeated indexes come back in the order asked.
	if len(all) > 3 {
		idx := []int64{all[len(all)-1], 0, all[len(all)/2], 0}
		got, err := s.ReadHashes(ctx, idx)
		if err != nil || len(got) != len(idx) {
			t.Fatalf("ReadHashes(%v) = %d hashes, %v", idx, len(got), err)
		}
		for i, x := range idx {
			if got[i] != ref.hashes[x] {
				t.Fatalf("ReadHashes(%v)[%d] = %v, want %v", idx, i, got[i], ref.hashes[x])
			}
		}
	}
	if _, err := s.ReadHashes(ctx, []int64{int64(len(all))}); !errors.Is(err, translog.ErrNotFound) {
		t.Errorf("ReadHashes beyond the tree: got error %v, want ErrNotFound", err)
	}
	leaves, err := s.ReadLeaves(ctx, 0, size)
	if err != nil || int64(len(leaves)) != size {
		t.Fatalf("ReadLeaves(0, %d) = %d leaves, %v", size, len(leaves), err)
	}
	for i := range leaves {
		if !bytes.Equal(leaves[i], ref.leaves[i]) {
			t.Fatalf("leaf %d = %q, want %q", i, leaves[i], ref.leaves[i])
		}
	}
	if size > 2 {
		mid, err := s.ReadLeaves(ctx, 1, size-1)
		if err != nil || int64(len(mid)) != size-2 || !bytes.Equal(mid[0], ref.leaves[1]) {
			t.Fatalf("ReadLeaves(1, %d) = %d leaves, %v", size-1, len(mid), err)
		}
	}
	if _, err := s.ReadLeaves(ctx, 0, size+1); !errors.Is(err, translog.ErrNotFound) {
		t.Errorf("ReadLeaves(0, %d) beyond the tree: got error %v, want ErrNotFound", size+1, err)
	}
	want, _ := tlog.TreeHash(size, ref)
	if got, err := translog.TreeHash(size, translog.HashReader(ctx, s)); err != nil || got != want {
		t.Errorf("TreeHash(%d) = %v, %v; want %v", size, got, err, want)
	}
}

func testCheckpoints(t *testing.T, newStore func(t *testing.T) (translog.Store, AppendFunc)) {
	ctx := context.Background()
	s, _ := newStore(t)
	for _, c := range []struct {
		size int64
		text string
		want string
	}{{5, "five", "five"}, {3, "three", "five"}, {5, "five again", "five again"}, {7, "seven", "seven"}} {
		if err := s.SaveCheckpoint(ctx, c.size, []byte(c.text)); err != nil {
			t.Fatalf("SaveCheckpoint(%d): %v", c.size, err)
		}
		got, err := s.LatestCheckpoint(ctx)
		if err != nil || string(got) != c.want {
			t.Errorf("after SaveCheckpoint(%d, %q): LatestCheckpoint = %q, %v; want %q", c.size, c.text, got, err, c.want)
		}
	}
}

// newLog returns a signer and a checkpointer over s.
func newLog(t *testing.T, s translog.Store) (*translog.Signer, *translog.Checkpointer) {
	t.Helper()
	signer, err := translog.LoadOrCreateKey(t.TempDir(), "gongshi.test/log")
	if err != nil {
		t.Fatal(err)
	}
	return signer, translog.NewCheckpointer(s, signer)
}

func testTiles(t *testing.T, newStore func(t *testing.T) (translog.Store, AppendFunc), entries EntriesFunc) {
	ctx := context.Background()
	s, appendLeaves := newStore(t)
	signer, cp := newLog(t, s)
	h, err := translog.NewHandler(s, signer.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	var ref reference
	for _, n := range []int{3, 253, 1, 65536 - 257 + 300} {
		leaves, _ := entries(len(ref.leaves), n)
		if err := appendLeaves(ctx, leaves); err != nil {
			t.Fatal(err)
		}
		ref.add(t, leaves)
		if _, err := cp.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		size := int64(len(ref.leaves))
		for _, tile := range tlog.NewTiles(translog.TileHeight, 0, size) {
			want, err := tlog.ReadTileData(tile, &ref)
			if err != nil {
				t.Fatal(err)
			}
			if got := get(t, srv.URL+"/log/"+translog.TilePath(tile), http.StatusOK); !bytes.Equal(got, want) {
				t.Fatalf("tree %d: tile %s differs from tlog.ReadTileData", size, translog.TilePath(tile))
			}
			if tile.L == 0 {
				tile.L = translog.EntriesLevel
				b := get(t, srv.URL+"/log/"+translog.TilePath(tile), http.StatusOK)
				got, err := translog.DecodeBundle(b, tile.W)
				if err != nil {
					t.Fatalf("bundle %s: %v", translog.TilePath(tile), err)
				}
				for i := range got {
					if !bytes.Equal(got[i], ref.leaves[tile.N*256+int64(i)]) {
						t.Fatalf("bundle %s entry %d differs", translog.TilePath(tile), i)
					}
				}
			}
		}
		// Wider tiles and later tiles are beyond the checkpoint.
		n, w := size/256, int(size%256)
		if w > 0 {
			get(t, srv.URL+"/log/"+translog.TilePath(tlog.Tile{H: 8, N: n, W: w + 1}), http.StatusNotFound)
			get(t, srv.URL+"/log/"+translog.TilePath(tlog.Tile{H: 8, N: n, W: 256}), http.StatusNotFound)
			get(t, srv.URL+"/log/"+translog.TilePath(tlog.Tile{H: 8, L: translog.EntriesLevel, N: n, W: w + 1}), http.StatusNotFound)
		}
		get(t, srv.URL+"/log/"+translog.TilePath(tlog.Tile{H: 8, N: n + 1, W: 256}), http.StatusNotFound)
	}
}

func get(t *testing.T, url string, want int) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != want {
		t.Fatalf("GET %s: got status %d, want %d (%s)", url, resp.StatusCode, want, b)
	}
	return b
}

func testConcurrent(t *testing.T, newStore func(t *testing.T) (translog.Store, AppendFunc), entries EntriesFunc) {
	ctx := context.Background()
	s, appendLeaves := newStore(t)
	var wg sync.WaitGroup
	done := make(chan struct{})
	errs := make(chan error, 4)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				n, err := s.TreeSize(ctx)
				if err == nil && n > 0 {
					_, err = translog.TreeHash(n, translog.HashReader(ctx, s))
					if err == nil {
						_, err = s.ReadLeaves(ctx, n-1, n)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := 0; i < 20; i++ {
		leaves, _ := entries(i*50, 50)
		if err := appendLeaves(ctx, leaves); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent read: %v", err)
	}
}

func testAudit(t *testing.T, newStore func(t *testing.T) (translog.Store, AppendFunc), entries EntriesFunc) {
	ctx := context.Background()
	s, appendLeaves := newStore(t)
	signer, cp := newLog(t, s)
	leaves, docs := entries(0, 600)
	lookup := func(ctx context.Context, sha string) ([]byte, error) {
		if d, ok := docs[sha]; ok {
			return d, nil
		}
		return nil, translog.ErrNotFound
	}
	var state translog.AuditState
	for _, part := range [][][]byte{leaves[:1], leaves[1:300], leaves[300:]} {
		if err := appendLeaves(ctx, part); err != nil {
			t.Fatal(err)
		}
		if _, err := cp.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		rep, err := translog.AuditStore(ctx, s, signer.VerifierKey(), lookup, state, translog.AuditOptions{})
		if err != nil {
			t.Fatalf("AuditStore: %v (problems %q)", err, rep.Problems)
		}
		if rep.Documents != rep.Tree.N {
			t.Errorf("AuditStore matched %d documents, want %d", rep.Documents, rep.Tree.N)
		}
		state = rep.State
	}
}
