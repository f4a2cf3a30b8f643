package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/gongshi/gongshi/ident"
)

// BulkPopulation inserts n enterprises in Pudong established in 2020 straight into the
// tables (not through the write path: benchmarks of the sweep need a population fast),
// with a filed annual report for year for all but every nonFiler-th. It returns their
// USCCs. Reopen the store afterwards, so that its sequencer sees the new rows.
func BulkPopulation(ctx context.Context, db *DB, n, nonFiler, year int) ([]string, error) {
	codes := make([]string, n)
	for i := range codes {
		c, err := ident.GenerateUSCC('9', '1', "310115", uint64(100000+i))
		if err != nil {
			return nil, err
		}
		codes[i] = c.String()
	}
	const per = 500
	for start := 0; start < n; start += 50000 {
		tx, err := db.w.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		for i := start; i < min(start+50000, n); i += per {
			end := min(i+per, n)
			var ents, reps []string
			var eargs, rargs []any
			for j := i; j < end; j++ {
				ents = append(ents, "(?,?,?,'[]','张三','310115','enterprise','有限责任公司','存续','2020-05-01',0,'2020-05-01T01:00:00Z','2020-05-01T01:00:00Z')")
				eargs = append(eargs, j+1, codes[j], fmt.Sprintf("上海批量%d有限公司", j))
				if j%nonFiler != 0 {
					reps = append(reps, "(?,?,'annual_report',0,'2026-05-01','2026-06-30',1,0)")
					rargs = append(rargs, codes[j], year)
				}
			}
			if _, err := tx.ExecContext(ctx, db.dialect.rebind(`INSERT INTO enterprises (id, uscc, name, former, legal_rep, division, category, type, status, established, registration, registered_at, changed_at) VALUES `+strings.Join(ents, ",")), eargs...); err != nil {
				tx.Rollback()
				return nil, err
			}
			if len(reps) > 0 {
				if _, err := tx.ExecContext(ctx, db.dialect.rebind(`INSERT INTO annual_reports (uscc, year, kind, record, filed, due, on_time, paper) VALUES `+strings.Join(reps, ",")), rargs...); err != nil {
					tx.Rollback()
					return nil, err
				}
			}
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
	}
	return codes, nil
}
