package translog

import (
	"errors"
	"fmt"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

type hashList []tlog.Hash

func (l *hashList) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(*l)) {
			return nil, fmt.Errorf("no hash %d: %w", x, ErrNotFound)
		}
		out[i] = (*l)[x]
	}
	return out, nil
}

func testLeaves(first, n int) [][]byte {
	var out [][]byte
	for i := first; i < first+n; i++ {
		out = append(out, fmt.Appendf(nil, "leaf %d", i))
	}
	return out
}

// TestStoredHashesMatchTlog compares batches with tlog.StoredHashes one leaf at a time, for
// batches starting and ending at every kind of position.
func TestStoredHashesMatchTlog(t *testing.T) {
	var ref hashList
	var reads int
	counting := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) { reads++; return ref.ReadHashes(idx) })
	size := 0
	for _, n := range []int{0, 1, 1, 2, 3, 7, 16, 255, 256, 257, 1000, 1, 511} {
		leaves := testLeaves(size, n)
		reads = 0
		idx, got, err := StoredHashes(counting, int64(size), leaves)
		if err != nil {
			t.Fatal(err)
		}
		if size > 0 && reads != 1 || size == 0 && reads != 0 {
			t.Errorf("StoredHashes after %d leaves made %d ReadHashes calls, want at most 1", size, reads)
		}
		var want []tlog.Hash
		for i, l := range leaves {
			h, err := tlog.StoredHashes(int64(size+i), l, &ref)
			if err != nil {
				t.Fatal(err)
			}
			ref = append(ref, h...)
			want = append(want, h...)
		}
		if len(got) != len(want) || len(idx) != len(want) {
			t.Fatalf("batch of %d after %d: %d hashes, %d indexes; want %d", n, size, len(got), len(idx), len(want))
		}
		for i := range want {
			if got[i] != want[i] || idx[i] != int64(len(ref)-len(want)+i) {
				t.Fatalf("batch of %d after %d: hash %d = (%d, %v), want (%d, %v)", n, size, i, idx[i], got[i], len(ref)-len(want)+i, want[i])
			}
		}
		size += n
		if int64(len(ref)) != tlog.StoredHashCount(int64(size)) {
			t.Fatalf("after %d leaves: %d hashes, want StoredHashCount %d", size, len(ref), tlog.StoredHashCount(int64(size)))
		}
	}
}

func TestAppender(t *testing.T) {
	var store hashList
	a, err := NewAppender(0, &store)
	if err != nil {
		t.Fatal(err)
	}
	if a.Root() != emptyRoot {
		t.Errorf("empty root = %v, want %v", a.Root(), emptyRoot)
	}
	b1, _ := a.Append(testLeaves(0, 10))
	b2, _ := a.AppendAfter(b1, testLeaves(10, 5))
	if err := a.Commit(b2); !errors.Is(err, ErrStaleBatch) {
		t.Fatalf("Commit out of order: got %v, want ErrStaleBatch", err)
	}
	for _, b := range []*Batch{b1, b2} {
		if b.FirstIndex != int64(len(store)) {
			t.Fatalf("batch FirstIndex %d, want %d", b.FirstIndex, len(store))
		}
		store = append(store, b.Hashes...)
		if err := a.Commit(b); err != nil {
			t.Fatal(err)
		}
		want, _ := tlog.TreeHash(b.End(), &store)
		if a.Root() != want || b.Root() != want || a.Size() != b.End() {
			t.Errorf("after %d leaves: root %v (batch %v), size %d; want %v, %d", b.End(), a.Root(), b.Root(), a.Size(), want, b.End())
		}
	}
	// A new Appender reads the same edge back.
	for n := int64(0); n <= 15; n++ {
		e, err := ReadEdge(n, &store)
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := tlog.TreeHash(n, &store); e.Root() != want {
			t.Errorf("ReadEdge(%d).Root() = %v, want %v", n, e.Root(), want)
		}
	}
	if _, err := a.Append([][]byte{make([]byte, MaxLeafSize+1)}); !errors.Is(err, ErrLeafTooLarge) {
		t.Errorf("Append(huge leaf): got %v, want ErrLeafTooLarge", err)
	}
}

// BenchmarkStoredHashes appends 1,000-leaf batches of 200-byte leaves with an Appender:
// the sequencer's hot path (hashing plus tree arithmetic, no reads).
func BenchmarkStoredHashes(b *testing.B) {
	leaves := make([][]byte, 1000)
	for i := range leaves {
		leaves[i] = make([]byte, 200)
		leaves[i][0] = byte(i)
	}
	a := &Appender{}
	b.ReportAllocs()
	for b.Loop() {
		batch, err := a.Append(leaves)
		if err != nil {
			b.Fatal(err)
		}
		a.Commit(batch)
	}
	b.ReportMetric(float64(b.N*len(leaves))/b.Elapsed().Seconds(), "leaves/s")
}
