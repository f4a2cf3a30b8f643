package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/gongshi/gongshi"
)

// The reads of a bulk snapshot (package snapshot): the whole log up to a fixed size, in
// one query each, so that writes go on meanwhile (versions are only ever appended, and the
// size fixes what is read). A replica is read once it has reached that size.

// EachVersion calls fn with every entry of the log below n, in log order, as the change
// feed reads them (LoggedAfter).
func (db *DB) EachVersion(ctx context.Context, n int64, fn func(gongshi.LoggedVersion) error) error {
	rows, err := db.read(atLeast(ctx, n), `SELECT v.log_index, v.document, w.at, w.reason FROM versions v
		LEFT JOIN withdrawals w ON w.log_index = v.log_index
		WHERE v.log_index < ? ORDER BY v.log_index`, n)
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

// EachFile calls fn with the public stored versions of log index below n of each
// enterprise, one enterprise at a time in the order of their rows, each file in log order
// (as File returns it). Enterprises registered at n or later are not read.
func (db *DB) EachFile(ctx context.Context, n int64, fn func([]gongshi.StoredVersion) error) error {
	rows, err := db.read(atLeast(ctx, n), `SELECT v.id, v.log_index, v.document FROM versions v
		WHERE v.id >= ? AND v.log_index < ? ORDER BY v.id`, perEnterprise, n)
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
