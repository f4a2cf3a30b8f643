package sqlstore

import (
	"context"

	"github.com/gongshi/gongshi"
)

// filingCountsQuery counts a year's annual reports per day filed and division, for the
// divisions from its second parameter up to (not including) its third.
const filingCountsQuery = `SELECT filed, substr(uscc, 3, 6), COUNT(*) FROM annual_reports
	WHERE year = ? AND substr(uscc, 3, 6) >= ? AND substr(uscc, 3, 6) < ?
	GROUP BY filed, substr(uscc, 3, 6) ORDER BY filed, 2`

// FilingCounts counts the annual reports of a year filed per day and division (the USCC's
// characters 3–8), for divisions starting with prefix.
// The divisions are a range of the index annual_reports_progress (scanIndexesSchema): a
// prefix of digits ends before the same prefix with its last digit one more ("31" → "32";
// "39" → "3:", the character after '9').
func (db *DB) FilingCounts(ctx context.Context, year int, prefix string) ([]gongshi.FilingCount, error) {
	below := "~" // after every division
	if n := len(prefix); n > 0 {
		below = prefix[:n-1] + string(prefix[n-1]+1)
	}
	rows, err := db.read(ctx, filingCountsQuery, year, prefix, below)
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
