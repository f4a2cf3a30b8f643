package translog

import (
	"context"

	"golang.org/x/mod/sumdb/tlog"
)

// Store is the storage the handler, the checkpointer and the auditor read. It keeps bytes
// only; everything log-specific is computed by this package.
//
// Layout: leaf i (0-based) is stored under i. Stored hashes are stored under their tlog
// stored hash index; the hashes of a Batch go to FirstIndex, FirstIndex+1, …, so the hashes
// of a tree of n leaves occupy exactly the indexes 0 … tlog.StoredHashCount(n)-1. Leaves
// and their hashes are committed together (in one transaction), and TreeSize counts only
// committed leaves. Nothing is ever changed or deleted.
//
// Implementations must be safe for concurrent use. Package translogtest checks them.
type Store interface {
	// ReadHashes returns the stored hashes at the given stored hash indexes, in the order
	// asked. An index at or beyond tlog.StoredHashCount(TreeSize) is an error wrapping
	// ErrNotFound.
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)
	// ReadLeaves returns leaves start … end-1. end beyond TreeSize is an error wrapping
	// ErrNotFound; start > end or start < 0 is an error.
	ReadLeaves(ctx context.Context, start, end int64) ([][]byte, error)
	// TreeSize returns the number of committed leaves.
	TreeSize(ctx context.Context) (int64, error)
	// LatestCheckpoint returns the signed checkpoint with the largest tree size saved, or
	// an error wrapping ErrNotFound if none was saved.
	LatestCheckpoint(ctx context.Context) ([]byte, error)
	// SaveCheckpoint saves a signed checkpoint for a tree of the given size. A checkpoint
	// for a size smaller than the latest one is ignored (nil error), so that a stale
	// checkpointer cannot move the log's head backwards.
	SaveCheckpoint(ctx context.Context, size int64, signed []byte) error
}
