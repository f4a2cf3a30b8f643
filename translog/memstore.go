package translog

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// MemStore is a Store in memory, for tests and examples. It is safe for concurrent use.
type MemStore struct {
	mu         sync.RWMutex
	appender   Appender
	leaves     [][]byte
	hashes     []tlog.Hash // by stored hash index
	checkpoint []byte
	cpSize     int64
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore { return &MemStore{} }

// Append appends leaves to the log as one atomic batch and returns the index of the first.
// It fails (appending nothing) with ErrLeafTooLarge for a leaf over MaxLeafSize.
func (m *MemStore) Append(ctx context.Context, leaves [][]byte) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, err := m.appender.Append(leaves)
	if err != nil {
		return 0, err
	}
	if b.FirstIndex != int64(len(m.hashes)) {
		panic("translog: MemStore hashes out of step")
	}
	for _, l := range leaves {
		m.leaves = append(m.leaves, slices.Clone(l))
	}
	m.hashes = append(m.hashes, b.Hashes...)
	if err := m.appender.Commit(b); err != nil {
		panic(err)
	}
	return b.Start, nil
}

// ReadHashes implements Store.
func (m *MemStore) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m.hashes)) {
			return nil, fmt.Errorf("read hash %d: %w", x, ErrNotFound)
		}
		out[i] = m.hashes[x]
	}
	return out, nil
}

// ReadLeaves implements Store.
func (m *MemStore) ReadLeaves(ctx context.Context, start, end int64) ([][]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if start < 0 || start > end {
		return nil, fmt.Errorf("translog: read leaves [%d, %d): bad range", start, end)
	}
	if end > int64(len(m.leaves)) {
		return nil, fmt.Errorf("read leaves [%d, %d): %w", start, end, ErrNotFound)
	}
	return slices.Clone(m.leaves[start:end]), nil
}

// TreeSize implements Store.
func (m *MemStore) TreeSize(ctx context.Context) (int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return int64(len(m.leaves)), nil
}

// LatestCheckpoint implements Store.
func (m *MemStore) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.checkpoint == nil {
		return nil, fmt.Errorf("latest checkpoint: %w", ErrNotFound)
	}
	return slices.Clone(m.checkpoint), nil
}

// SaveCheckpoint implements Store.
func (m *MemStore) SaveCheckpoint(ctx context.Context, size int64, signed []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.checkpoint != nil && size < m.cpSize {
		return nil
	}
	m.checkpoint, m.cpSize = slices.Clone(signed), size
	return nil
}
