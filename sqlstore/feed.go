package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/translog"
)

// FeedSize implements gongshi.FeedStore: the log's size, or the index of the first entry
// held only as its leaf while its withdrawal is not in (awaitingSchema).
func (db *DB) FeedSize(ctx context.Context) (int64, error) {
	size, _ := db.TreeSize(ctx)
	var first sql.NullInt64
	if err := db.readRow(ctx, `SELECT MIN(log_index) FROM awaiting_withdrawal`).Scan(&first); err != nil {
		return 0, fmt.Errorf("entries awaiting their withdrawal: %w", err)
	}
	if first.Valid {
		size = min(size, first.Int64)
	}
	return size, nil
}

// LoggedAfter implements gongshi.FeedStore: one range scan of the versions by log index,
// and one of the withdrawals over the same range (few, and a join would look each entry
// up in them: a fifth of the read's cost).
func (db *DB) LoggedAfter(ctx context.Context, after, end int64, limit int) ([]gongshi.LoggedVersion, error) {
	// end is the sequencer's size, which a replica may not have reached: the read waits for
	// it to hold the entries asked for, or runs on the primary (both reads below).
	ctx = atLeast(ctx, min(end, after+1+int64(limit)))
	rows, err := db.read(ctx, `SELECT log_index, document FROM versions
		WHERE log_index > ? AND log_index < ? ORDER BY log_index LIMIT ?`, after, end, limit)
	if err != nil {
		return nil, fmt.Errorf("read log entries: %w", err)
	}
	defer rows.Close()
	out := make([]gongshi.LoggedVersion, 0, min(limit, 1024))
	for rows.Next() {
		var lv gongshi.LoggedVersion
		if err := rows.Scan(&lv.LogIndex, db.docs.into(&lv.Document)); err != nil {
			return nil, fmt.Errorf("read log entries: %w", err)
		}
		out = append(out, lv)
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	rows.Close()
	// A withdrawal committed between the two reads may show: it is as if the whole read
	// came after it, which a later read would say anyway.
	last := out[len(out)-1].LogIndex
	ws, err := db.read(ctx, `SELECT log_index, at, reason FROM withdrawals WHERE log_index > ? AND log_index <= ? ORDER BY log_index`, after, last)
	if err != nil {
		return nil, fmt.Errorf("read withdrawals: %w", err)
	}
	defer ws.Close()
	for ws.Next() {
		var i int64
		var at, reason string
		if err := ws.Scan(&i, &at, &reason); err != nil {
			return nil, fmt.Errorf("read withdrawals: %w", err)
		}
		if k, ok := slices.BinarySearchFunc(out, i, func(lv gongshi.LoggedVersion, i int64) int { return cmp.Compare(lv.LogIndex, i) }); ok {
			out[k].Withdrawn = &gongshi.Withdrawal{At: parseTime(at), Reason: reason}
		}
	}
	return out, ws.Err()
}

// CheckpointCovering implements gongshi.LogReader: the signed checkpoint of the smallest
// size at least size.
func (db *DB) CheckpointCovering(ctx context.Context, size int64) ([]byte, error) {
	var note []byte
	err := db.readRow(ctx, `SELECT note FROM checkpoints WHERE size >= ? ORDER BY size LIMIT 1`, size).Scan(&note)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("no checkpoint of %d entries or more: %w", size, translog.ErrNotFound)
	}
	return note, err
}
