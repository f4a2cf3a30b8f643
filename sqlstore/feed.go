package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/translog"
)

// LoggedAfter implements gongshi.FeedStore: one range scan of the versions' log_index
// index, each withdrawn document found by the withdrawals' primary key.
func (db *DB) LoggedAfter(ctx context.Context, after, end int64, limit int) ([]gongshi.LoggedVersion, error) {
	rows, err := db.read(ctx, `SELECT v.log_index, v.document, w.at, w.reason FROM versions v
		LEFT JOIN withdrawals w ON w.log_index = v.log_index
		WHERE v.log_index > ? AND v.log_index < ? ORDER BY v.log_index LIMIT ?`, after, end, limit)
	if err != nil {
		return nil, fmt.Errorf("read log entries: %w", err)
	}
	defer rows.Close()
	out := make([]gongshi.LoggedVersion, 0, min(limit, 1024))
	for rows.Next() {
		var lv gongshi.LoggedVersion
		var at, reason sql.NullString
		if err := rows.Scan(&lv.LogIndex, db.docs.into(&lv.Document), &at, &reason); err != nil {
			return nil, fmt.Errorf("read log entries: %w", err)
		}
		if at.Valid {
			lv.Withdrawn = &gongshi.Withdrawal{At: parseTime(at.String), Reason: reason.String}
		}
		out = append(out, lv)
	}
	return out, rows.Err()
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
