package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/gongshi/gongshi"
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
		if err := rows.Scan(&lv.LogIndex, &lv.Document, &at, &reason); err != nil {
			return nil, fmt.Errorf("read log entries: %w", err)
		}
		if at.Valid {
			lv.Withdrawn = &gongshi.Withdrawal{At: parseTime(at.String), Reason: reason.String}
		}
		out = append(out, lv)
	}
	return out, rows.Err()
}
