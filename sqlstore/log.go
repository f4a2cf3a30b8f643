package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/translog"
)

// The transparency log's storage (translog.Store): leaf i is made from the document of the
// version with log_index i (versions.go); stored hashes are rows of log_hashes by stored hash index.

// TreeSize returns the number of committed leaves.
func (db *DB) TreeSize(ctx context.Context) (int64, error) {
	db.treeSizeMu.RLock()
	defer db.treeSizeMu.RUnlock()
	return db.treeSize, nil
}

// ReadHashes returns stored hashes by their stored hash indexes.
func (db *DB) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	size, _ := db.TreeSize(ctx)
	limit := tlog.StoredHashCount(size)
	out := make([]tlog.Hash, len(indexes))
	pos := make(map[int64][]int, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= limit {
			return nil, fmt.Errorf("stored hash %d of a tree of %d leaves: %w", x, size, translog.ErrNotFound)
		}
		pos[x] = append(pos[x], i)
	}
	keys := make([]int64, 0, len(pos))
	for x := range pos {
		keys = append(keys, x)
	}
	const per = 500
	for i := 0; i < len(keys); i += per {
		chunk := keys[i:min(i+per, len(keys))]
		found, err := db.readHashes(ctx, chunk, pos, out)
		if err == nil && found != len(chunk) && db.replica != nil {
			// The sequencer's size is ahead of the replica: the primary has them.
			found, err = db.readHashes(onPrimary(ctx), chunk, pos, out)
		}
		if err != nil {
			return nil, err
		}
		if found != len(chunk) {
			return nil, fmt.Errorf("log hashes missing from the database (%d of %d found): %w", found, len(chunk), translog.ErrNotFound)
		}
	}
	return out, nil
}

// readHashes reads the stored hashes of indexes into out at their positions, and returns
// how many it found.
func (db *DB) readHashes(ctx context.Context, indexes []int64, pos map[int64][]int, out []tlog.Hash) (int, error) {
	args := make([]any, len(indexes))
	for j, x := range indexes {
		args[j] = x
	}
	rows, err := db.read(ctx, `SELECT idx, hash FROM log_hashes WHERE idx IN (?`+strings.Repeat(",?", len(indexes)-1)+`)`, args...)
	if err != nil {
		return 0, fmt.Errorf("read log hashes: %w", err)
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var x int64
		var h []byte
		if err := rows.Scan(&x, &h); err != nil {
			return 0, err
		}
		for _, p := range pos[x] {
			copy(out[p][:], h)
		}
		found++
	}
	return found, rows.Err()
}

// LatestCheckpoint returns the newest signed checkpoint.
func (db *DB) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	var note []byte
	err := db.readRow(ctx, `SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1`).Scan(&note)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("no checkpoint yet: %w", translog.ErrNotFound)
	}
	return note, err
}

// SaveCheckpoint stores a signed checkpoint through the sequencer (the one writer).
func (db *DB) SaveCheckpoint(ctx context.Context, size int64, signed []byte) error {
	return db.Write(ctx, func(gtx gongshi.Tx) error {
		t := gtx.(*tx)
		_, err := t.exec(`INSERT INTO checkpoints (size, note, created_at) VALUES (?, ?, ?) ON CONFLICT (size) DO UPDATE SET note = excluded.note, created_at = excluded.created_at`, size, signed, formatTime(t.now))
		return err
	})
}
