package translog

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestPublishedGuard: a guarded checkpointer records each checkpoint outside its store
// first, and signs nothing for a store that is behind it or forked from it.
func TestPublishedGuard(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := LoadOrCreateKey(dir, "gongshi.test/log")
	path := filepath.Join(dir, PublishedFile)
	open := func() *Published {
		p, err := OpenPublished(path, s.Origin())
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	m := NewMemStore()
	m.Append(ctx, testLeaves(0, 10))
	pub := open()
	signed, err := NewCheckpointer(m, s).Guard(pub).Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, signed) {
		t.Fatalf("published file: got %q, want the checkpoint signed %q", got, signed)
	}
	m.Append(ctx, testLeaves(10, 5))
	if signed, err = NewCheckpointer(m, s).Guard(open()).Checkpoint(ctx); err != nil {
		t.Fatalf("a store extending the published checkpoint: %v", err)
	}

	behind := NewMemStore() // an older copy: 10 of the 15 leaves
	behind.Append(ctx, testLeaves(0, 10))
	forked := NewMemStore() // as many leaves, one of them different
	forked.Append(ctx, testLeaves(0, 14))
	forked.Append(ctx, testLeaves(99, 1))
	grown := NewMemStore() // an older copy that grew in another direction
	grown.Append(ctx, testLeaves(0, 10))
	grown.Append(ctx, testLeaves(50, 20))
	for name, st := range map[string]*MemStore{"behind": behind, "forked": forked, "grown": grown} {
		size, _ := st.TreeSize(ctx)
		if err := open().Check(ctx, st, size); !errors.Is(err, ErrBehind) || !errors.Is(err, ErrInconsistent) {
			t.Errorf("%s: Check = %v, want ErrBehind", name, err)
		}
		if got, err := NewCheckpointer(st, s).Guard(open()).Checkpoint(ctx); !errors.Is(err, ErrBehind) || got != nil {
			t.Errorf("%s: Checkpoint = %q, %v; want no checkpoint and ErrBehind", name, got, err)
		}
		if _, err := st.LatestCheckpoint(ctx); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: a checkpoint was saved: %v", name, err)
		}
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, signed) {
		t.Errorf("published file changed by refused checkpoints: %q", got)
	}
}

// TestPublishedSaveFsyncFails: a checkpoint whose fsync fails is neither recorded nor
// saved to the store, so it is never served; the next try succeeds.
func TestPublishedSaveFsyncFails(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := LoadOrCreateKey(dir, "gongshi.test/log")
	pub, _ := OpenPublished(filepath.Join(dir, PublishedFile), s.Origin())
	m := NewMemStore()
	m.Append(ctx, testLeaves(0, 3))
	failing := errors.New("injected: fsync: input/output error")
	syncFile = func(*os.File) error { return failing }
	_, err := NewCheckpointer(m, s).Guard(pub).Checkpoint(ctx)
	syncFile = func(f *os.File) error { return f.Sync() }
	if !errors.Is(err, failing) {
		t.Fatalf("Checkpoint with a failing fsync: got %v, want the fsync's error", err)
	}
	if _, err := m.LatestCheckpoint(ctx); !errors.Is(err, ErrNotFound) {
		t.Errorf("a checkpoint was saved to the store though it was not durably published: %v", err)
	}
	if _, _, ok := pub.Latest(); ok {
		t.Errorf("Published records a checkpoint whose file was not synced")
	}
	if _, err := NewCheckpointer(m, s).Guard(pub).Checkpoint(ctx); err != nil {
		t.Fatalf("Checkpoint once fsync works: %v", err)
	}
}
