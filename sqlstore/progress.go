package sqlstore

import (
	"context"

	"github.com/gongshi/gongshi"
)

// FilingCounts counts the annual reports of a year filed per day and division (the USCC's
// characters 3–8), for divisions starting with prefix.
func (db *DB) FilingCounts(ctx context.Context, year int, prefix string) ([]gongshi.FilingCount, error) {
	rows, err := db.read(ctx, `SELECT filed, substr(uscc, 3, 6), COUNT(*) FROM annual_reports
		WHERE year = ? AND substr(uscc, 3, ?) = ? GROUP BY filed, substr(uscc, 3, 6) ORDER BY filed, 2`, year, len(prefix), prefix)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gongshi.FilingCount
	for rows.Next() {
		var c gongshi.FilingCount
		if err := rows.Scan(&c.Filed, &c.Division, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
