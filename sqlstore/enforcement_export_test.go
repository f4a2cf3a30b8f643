package sqlstore

import (
	"context"
	"strings"
)

// FiledReports inserts rows saying that the enterprises codes filed their annual report
// for year on 2026-05-01, straight into annual_reports, without documents: all the sweep
// reads of a filer (benchmarks of the sweep need many filers fast).
func FiledReports(ctx context.Context, db *DB, codes []string, year int) error {
	const per = 500
	for i := 0; i < len(codes); i += per {
		var rows []string
		var args []any
		for _, c := range codes[i:min(i+per, len(codes))] {
			rows = append(rows, "(?,?,'annual_report',0,'2026-05-01','2026-06-30',1,0)")
			args = append(args, c, year)
		}
		if _, err := db.w.ExecContext(ctx, db.dialect.rebind(`INSERT INTO annual_reports (uscc, year, kind, record, filed, due, on_time, paper) VALUES `+strings.Join(rows, ",")), args...); err != nil {
			return err
		}
	}
	return nil
}
