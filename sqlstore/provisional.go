package sqlstore

import (
	"context"

	"github.com/gongshi/gongshi"
)

// 7: provisional dates (SPEC §10; gongshi provisional.go). provisional_dates notes each
// subject (a record, a case, an enforcement case) whose dates await the working-day schedule
// of a year, keyed by that year first, so that the sweep finds what a newly loaded year
// settles with one range read. orders and enforcement_cases keep the year their deadline
// or due date awaits (0: exact); a case keeps it in its info.
const provisionalSchema = `CREATE TABLE provisional_dates (
		year INTEGER NOT NULL,
		subject TEXT NOT NULL,
		id TEXT NOT NULL,
		PRIMARY KEY (year, subject, id)
	);
	ALTER TABLE orders ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE enforcement_cases ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0`

func (t *tx) AwaitSchedule(ref gongshi.ProvisionalRef) error {
	_, err := t.exec(`INSERT INTO provisional_dates (year, subject, id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, ref.Year, ref.Subject, ref.ID)
	return err
}

func (t *tx) Settled(ref gongshi.ProvisionalRef) error {
	_, err := t.exec(`DELETE FROM provisional_dates WHERE year = ? AND subject = ? AND id = ?`, ref.Year, ref.Subject, ref.ID)
	return err
}

func (db *DB) ProvisionalYears(ctx context.Context) (map[int]int, error) {
	rows, err := db.read(ctx, `SELECT year, COUNT(*) FROM provisional_dates GROUP BY year`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]int{}
	for rows.Next() {
		var y, n int
		if err := rows.Scan(&y, &n); err != nil {
			return nil, err
		}
		out[y] = n
	}
	return out, rows.Err()
}

func (db *DB) ProvisionalAwaiting(ctx context.Context, year int, after gongshi.ProvisionalRef, limit int) ([]gongshi.ProvisionalRef, error) {
	rows, err := db.read(ctx, `SELECT year, subject, id FROM provisional_dates
		WHERE year = ? AND (subject > ? OR subject = ? AND id > ?) ORDER BY subject, id LIMIT ?`, year, after.Subject, after.Subject, after.ID, limit)
	return collect(rows, err, "provisional dates", func(row scanner) (gongshi.ProvisionalRef, error) {
		var r gongshi.ProvisionalRef
		return r, row.Scan(&r.Year, &r.Subject, &r.ID)
	})
}
