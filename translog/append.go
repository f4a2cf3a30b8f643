package translog

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math/bits"

	"golang.org/x/mod/sumdb/tlog"
)

// emptyRoot is the RFC 6962 hash of the empty tree, SHA-256 of no bytes.
var emptyRoot = tlog.Hash(sha256.Sum256(nil))

// Edge is the right edge of a tree of Size leaves: for every bit k set in Size, the hash of
// the complete subtree at level k that ends at the tree's right side (tlog coordinates
// (k, Size>>k - 1)). It is all a writer needs to append leaves and to compute the root, so
// an Appender holding it never reads the store. The zero Edge is the empty tree.
type Edge struct {
	size   int64
	hashes [64]tlog.Hash // hashes[k] is meaningful when bit k of size is set
}

// Size returns the number of leaves in the tree.
func (e *Edge) Size() int64 { return e.size }

// Root returns the tree's RFC 6962 root hash, equal to tlog.TreeHash(e.Size(), …).
func (e *Edge) Root() tlog.Hash {
	if e.size == 0 {
		return emptyRoot
	}
	n := uint64(e.size)
	k := bits.TrailingZeros64(n)
	h := e.hashes[k]
	for n &^= 1 << k; n != 0; n &^= 1 << k {
		k = bits.TrailingZeros64(n)
		h = tlog.NodeHash(e.hashes[k], h)
	}
	return h
}

// edgeIndexes returns the stored hash indexes of the right edge of a tree of size n, lowest
// level first, and the levels they belong to.
func edgeIndexes(n int64) (indexes []int64, levels []int) {
	for k := 0; k < 63; k++ {
		if n>>k&1 == 1 {
			indexes = append(indexes, tlog.StoredHashIndex(k, n>>k-1))
			levels = append(levels, k)
		}
	}
	return indexes, levels
}

// ReadEdge reads the right edge of the tree of size n from r in one ReadHashes call of at
// most 63 indexes (none when n is 0). Errors are r's, or an error for a negative n or a
// reader that answers the wrong number of hashes.
func ReadEdge(n int64, r tlog.HashReader) (Edge, error) {
	if n < 0 {
		return Edge{}, fmt.Errorf("translog: read edge: negative tree size %d", n)
	}
	e := Edge{size: n}
	if n == 0 {
		return e, nil
	}
	indexes, levels := edgeIndexes(n)
	hashes, err := r.ReadHashes(indexes)
	if err != nil {
		return Edge{}, fmt.Errorf("translog: read edge of tree %d: %w", n, err)
	}
	if len(hashes) != len(indexes) {
		return Edge{}, fmt.Errorf("translog: read edge of tree %d: %d hashes for %d indexes", n, len(hashes), len(indexes))
	}
	for i, k := range levels {
		e.hashes[k] = hashes[i]
	}
	return e, nil
}

// appendHash adds one leaf hash to e and appends the stored hashes it makes (the leaf hash
// and one hash per subtree it completes, in stored-index order) to out.
func (e *Edge) appendHash(h tlog.Hash, out []tlog.Hash) []tlog.Hash {
	out = append(out, h)
	n := e.size
	k := 0
	for ; n>>k&1 == 1; k++ {
		h = tlog.NodeHash(e.hashes[k], h)
		out = append(out, h)
	}
	e.hashes[k] = h
	e.size++
	return out
}

// Batch is a run of leaves appended after Start leaves, with the stored hashes a store must
// write for them: Hashes[i] goes to stored hash index FirstIndex+i. The indexes are dense:
// FirstIndex is tlog.StoredHashIndex(0, Start) and FirstIndex+len(Hashes) is
// tlog.StoredHashCount(Start+len(Leaves)).
type Batch struct {
	Start      int64       // index of the first leaf
	Leaves     [][]byte    // the leaves, as given
	FirstIndex int64       // stored hash index of Hashes[0]
	Hashes     []tlog.Hash // stored hashes to write, in stored-index order
	edge       Edge        // the tree's edge after the batch
}

// Indexes returns the stored hash index of every hash in b.Hashes.
func (b *Batch) Indexes() []int64 {
	idx := make([]int64, len(b.Hashes))
	for i := range idx {
		idx[i] = b.FirstIndex + int64(i)
	}
	return idx
}

// End returns the tree size after the batch: Start + len(Leaves).
func (b *Batch) End() int64 { return b.Start + int64(len(b.Leaves)) }

// Root returns the root hash of the tree after the batch.
func (b *Batch) Root() tlog.Hash { return b.edge.Root() }

// Appender computes the stored hashes of new leaves from the tree's cached right edge, so
// appending needs no reads. It is meant for the single goroutine that writes the log
// (the sequencer) and is not safe for concurrent use.
//
// Use: b := a.Append(leaves); write b.Leaves and b.Hashes in the same transaction as the
// records; on commit call a.Commit(b); on failure drop b (a is unchanged).
type Appender struct {
	edge Edge
}

// NewAppender returns an Appender for a tree of size n, reading its right edge from r in a
// single ReadHashes call (see ReadEdge).
func NewAppender(n int64, r tlog.HashReader) (*Appender, error) {
	e, err := ReadEdge(n, r)
	if err != nil {
		return nil, err
	}
	return &Appender{edge: e}, nil
}

// Size returns the number of leaves committed through the Appender.
func (a *Appender) Size() int64 { return a.edge.size }

// Root returns the root hash of the committed tree.
func (a *Appender) Root() tlog.Hash { return a.edge.Root() }

// Append computes the batch that appends leaves after the committed tree. It does not
// change a. It fails with ErrLeafTooLarge if a leaf exceeds MaxLeafSize; leaves are not
// otherwise inspected (the log takes any bytes; gongshi's are canonical Leaf JSON).
func (a *Appender) Append(leaves [][]byte) (*Batch, error) {
	return a.AppendAfter(nil, leaves)
}

// AppendAfter is like Append but continues after prev, an uncommitted batch of a (nil for
// the committed tree), so a sequencer can prepare one batch while the previous commits.
func (a *Appender) AppendAfter(prev *Batch, leaves [][]byte) (*Batch, error) {
	e := a.edge
	if prev != nil {
		e = prev.edge
	}
	b := &Batch{
		Start:      e.size,
		Leaves:     leaves,
		FirstIndex: tlog.StoredHashIndex(0, e.size),
		Hashes:     make([]tlog.Hash, 0, 2*len(leaves)+64),
	}
	for i, leaf := range leaves {
		if len(leaf) > MaxLeafSize {
			return nil, fmt.Errorf("translog: append leaf %d: %w: %d bytes", e.size+int64(i), ErrLeafTooLarge, len(leaf))
		}
		b.Hashes = e.appendHash(tlog.RecordHash(leaf), b.Hashes)
	}
	b.edge = e
	return b, nil
}

// Commit advances a past b, which the store has durably written. It fails with
// ErrStaleBatch, leaving a unchanged, unless b starts where a ends.
func (a *Appender) Commit(b *Batch) error {
	if b.Start != a.edge.size {
		return fmt.Errorf("%w: batch starts at %d, tree has %d leaves", ErrStaleBatch, b.Start, a.edge.size)
	}
	a.edge = b.edge
	return nil
}

// StoredHashes returns the stored hashes for leaves n, n+1, … as tlog.StoredHashes would
// return them one leaf at a time, with their stored hash indexes. It reads the right edge
// of the tree of size n from r in one ReadHashes call and computes everything else in
// memory. A long-running writer should keep an Appender instead, which reads nothing.
func StoredHashes(r tlog.HashReader, n int64, leaves [][]byte) ([]int64, []tlog.Hash, error) {
	a, err := NewAppender(n, r)
	if err != nil {
		return nil, nil, err
	}
	b, err := a.Append(leaves)
	if err != nil {
		return nil, nil, err
	}
	return b.Indexes(), b.Hashes, nil
}

// TreeHash returns the root hash of the tree of size n whose stored hashes r reads; it is
// tlog.TreeHash, named here so callers need one package.
func TreeHash(n int64, r tlog.HashReader) (tlog.Hash, error) {
	return tlog.TreeHash(n, r)
}

// HashReader adapts a Store to tlog.HashReader, reading with ctx.
func HashReader(ctx context.Context, s Store) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return s.ReadHashes(ctx, indexes)
	})
}
