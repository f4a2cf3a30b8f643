package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/gongshi/gongshi"
)

// The reads of a bulk snapshot (package snapshot): the log up to a fixed size, in ranges
// that can be read side by side, so that writes go on meanwhile (versions are only ever
// appended, and the size fixes what is read). A replica is read once it has reached that
// size.

// EachVersion calls fn with every entry of the log from lo to hi-1, in log order, as the
// change feed reads them (LoggedAfter).
func (db *DB) EachVersion(ctx context.Context, lo, hi int64, fn func(gongshi.LoggedVersion) error) error {
	rows, err := db.scan(atLeast(ctx, hi), `SELECT v.log_index, v.document, w.at, w.reason FROM versions v
		LEFT JOIN withdrawals w ON w.log_index = v.log_index
		WHERE v.log_index >= ? AND v.log_index < ? ORDER BY v.log_index`, lo, hi)
	if err != nil {
		return fmt.Errorf("read versions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var lv gongshi.LoggedVersion
		var at, reason sql.NullString
		if err := rows.Scan(&lv.LogIndex, db.docs.into(&lv.Document), &at, &reason); err != nil {
			return fmt.Errorf("read versions: %w", err)
		}
		if at.Valid {
			lv.Withdrawn = &gongshi.Withdrawal{At: parseTime(at.String), Reason: reason.String}
		}
		if err := fn(lv); err != nil {
			return err
		}
	}
	return rows.Err()
}

// FileCount returns the number of enterprise files of the log's first n entries at least:
// EachFile numbers them 1 … FileCount. A replica is read once it has reached n, or an
// enterprise registered just before n would be left out of a snapshot at n.
func (db *DB) FileCount(ctx context.Context, n int64) (int64, error) {
	var last sql.NullInt64
	if err := db.readRow(atLeast(ctx, n), `SELECT MAX(id) FROM versions`).Scan(&last); err != nil {
		return 0, fmt.Errorf("read versions: %w", err)
	}
	return last.Int64 / perEnterprise, nil
}

// EachFile calls fn with the public stored versions of log index below n of each
// enterprise numbered from first to end-1 (FileCount), one enterprise at a time in that
// order, each file in log order (as File returns it). With kinds, only the versions of
// records of those kinds are read. Enterprises registered at n or later are not read.
func (db *DB) EachFile(ctx context.Context, n, first, end int64, kinds []string, fn func([]gongshi.StoredVersion) error) error {
	kindTest := ""
	if len(kinds) > 0 {
		// As Files tests kinds: by a lookup on the record's primary key, the versions
		// scanned in id order (joined by kind, SQLite starts at records_kind and sorts).
		kindTest = ` AND ` + versionOfKinds(kinds)
	}
	q := `SELECT v.id, v.log_index, v.document FROM versions v WHERE v.id >= ? AND v.id < ? AND v.log_index < ?` + kindTest
	rows, err := db.scan(atLeast(ctx, n), q+` ORDER BY v.id`, max(first, 1)*perEnterprise, max(end, 1)*perEnterprise, n)
	if err != nil {
		return fmt.Errorf("read versions: %w", err)
	}
	defer rows.Close()
	var file []gongshi.StoredVersion
	cur := int64(-1)
	for rows.Next() {
		var id int64
		var sv gongshi.StoredVersion
		if err := rows.Scan(&id, &sv.LogIndex, db.docs.into(&sv.Document)); err != nil {
			return fmt.Errorf("read versions: %w", err)
		}
		if ent := id / perEnterprise; ent != cur {
			if len(file) > 0 {
				if err := fn(sortedFile(file)); err != nil {
					return err
				}
			}
			file, cur = file[:0], ent
		}
		file = append(file, sv)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(file) > 0 {
		return fn(sortedFile(file))
	}
	return nil
}

// sortedFile puts a file read in id order into log order: an enterprise's versions are
// numbered in the order they were appended, so the two agree but for safety's sake.
func sortedFile(f []gongshi.StoredVersion) []gongshi.StoredVersion {
	for i := 1; i < len(f); i++ {
		for j := i; j > 0 && f[j].LogIndex < f[j-1].LogIndex; j-- {
			f[j], f[j-1] = f[j-1], f[j]
		}
	}
	return f
}
