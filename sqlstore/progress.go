package sqlstore

import (
	"context"
	"strings"

	"github.com/gongshi/gongshi"
)

// filingCountsQuery counts a year's annual reports per day filed and division, for the
// divisions between its second and third parameters.
const filingCountsQuery = `SELECT filed, substr(uscc, 3, 6), COUNT(*) FROM annual_reports
	WHERE year = ? AND substr(uscc, 3, 6) BETWEEN ? AND ?
	GROUP BY filed, substr(uscc, 3, 6) ORDER BY filed, 2`

// FilingCounts counts the annual reports of a year filed per day and division (the USCC's
// characters 3–8), for divisions starting with prefix.
//
// The divisions starting with a prefix are a range of the index annual_reports_progress
// (scanIndexesSchema): "31" is "310000" to "319999". Strings of six digits compare alike in
// every collation, so PostgreSQL's database collation does not change the range.
func (db *DB) FilingCounts(ctx context.Context, year int, prefix string) ([]gongshi.FilingCount, error) {
	pad := max(6-len(prefix), 0)
	first, last := prefix+strings.Repeat("0", pad), prefix+strings.Repeat("9", pad)
	rows, err := db.read(ctx, filingCountsQuery, year, first, last)
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
