package sqlstore_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gongshi/gongshi/sqlstore"
)

// TestMigrationOverCompressedDocuments: a migration that reads the documents (15, the
// enterprises' industry and size) runs over a store whose documents are compressed with a
// dictionary, as every store of more than 10,000 versions is. On PostgreSQL it failed
// ("read compression dictionaries: driver: bad connection"): the first frame naming a
// dictionary made the codec read the dictionaries on the migration's connection while the
// versions were still being read from it.
func TestMigrationOverCompressedDocuments(t *testing.T) {
	for _, db := range []struct{ name, driver string }{{"sqlite", "sqlite"}, {"postgres", "pgx"}} {
		t.Run(db.name, func(t *testing.T) {
			cfg := sqlstore.Config{DictAfter: tamperDictAfter}
			raw := ""
			if db.name == "postgres" {
				cfg.URL = PostgresURL(t)
				raw = cfg.URL
			} else {
				cfg.Dir = t.TempDir()
				raw = "file:" + filepath.Join(cfg.Dir, "gongshi.db")
			}
			vkey := populated(t, cfg)
			// Back to the schema before migration 15, as a store of that gongshi was.
			r, err := sql.Open(db.driver, raw)
			if err != nil {
				t.Fatal(err)
			}
			n := sqlstore.MigrationNumber("enterprises' industry and size, for draws")
			// Check items came with migration 16, which makes their table empty: their rows
			// are put back after it.
			mustExec(t, r, `CREATE TABLE saved_check_items AS SELECT * FROM check_items`)
			mustExec(t, r, `DROP TABLE check_items`)
			// Migration 17 made four indexes.
			for _, ix := range []string{"enforcement_decisions_record", "spot_check_results_log", "spot_check_results_checked", "annual_reports_progress"} {
				mustExec(t, r, `DROP INDEX `+ix)
			}
			// Migration 18 made a table.
			mustExec(t, r, `DROP TABLE awaiting_withdrawal`)
			// Migration 19 made an index and made another again.
			mustExec(t, r, `DROP INDEX list_entries_division`)
			mustExec(t, r, `DROP INDEX cases_queue`)
			mustExec(t, r, `CREATE INDEX cases_queue ON cases(division, due)`)
			// Migration 20 made a table and the triggers that keep it.
			mustExec(t, r, `DROP TABLE list_days`)
			if db.name == "postgres" {
				mustExec(t, r, `DROP FUNCTION list_days_sync CASCADE`)
			} else {
				for _, tr := range []string{"insert", "delete", "update"} {
					mustExec(t, r, `DROP TRIGGER list_days_`+tr)
				}
			}
			// Migration 21 made two indexes.
			mustExec(t, r, `DROP INDEX list_entries_since`)
			mustExec(t, r, `DROP INDEX list_entries_ground`)
			// Migration 22 keyed the page rows by their codes: back to rows by id alone.
			mustExec(t, r, `CREATE TABLE pages_by_id (id BIGINT PRIMARY KEY, last_version BIGINT NOT NULL, listed_at INTEGER NOT NULL, listed TEXT NOT NULL, page `+map[string]string{"sqlite": "BLOB", "postgres": "BYTEA"}[db.name]+` NOT NULL)`)
			mustExec(t, r, `INSERT INTO pages_by_id SELECT id, last_version, listed_at, listed, page FROM pages`)
			mustExec(t, r, `DROP TABLE pages`)
			mustExec(t, r, `ALTER TABLE pages_by_id RENAME TO pages`)
			mustExec(t, r, `ALTER TABLE enterprises DROP COLUMN industry`)
			mustExec(t, r, `ALTER TABLE enterprises DROP COLUMN size`)
			if _, err := r.Exec(`DELETE FROM schema_migrations WHERE version >= ` + strconv.Itoa(n)); err != nil {
				t.Fatal(err)
			}

			defer sqlstore.SmallKeyPagesBatches()() // migration 22's rows in many batches
			var logged bytes.Buffer
			cfg.Logger = slog.New(slog.NewTextHandler(&logged, nil))
			s, err := sqlstore.Open(context.Background(), cfg)
			if err != nil {
				t.Fatalf("open the store of schema version %d: %v", n-1, err)
			}
			defer s.Close()
			// The operator is told, as each migration over an existing store is applied.
			last := sqlstore.MigrationNumber("enterprise pages found by their code in one lookup")
			for _, want := range []string{fmt.Sprintf(`msg="migrating the database" from_version=%d to_version=%d`, n-1, last),
				fmt.Sprintf(`msg="applied a migration" version=%d what="enterprises' industry and size, for draws" duration=`, n),
				fmt.Sprintf(`msg="applied a migration" version=%d`, last)} {
				if !strings.Contains(logged.String(), want) {
					t.Errorf("the log of the migrations lacks %s:\n%s", want, logged.String())
				}
			}
			// Every page row was kept, each at its code's key, and is read so.
			var rows, keyed int
			var code string
			if err := r.QueryRow(`SELECT COUNT(*), COUNT(*) FILTER (WHERE key >= 0), MIN(uscc) FROM pages`).Scan(&rows, &keyed, &code); err != nil {
				t.Fatal(err)
			}
			if rows == 0 || keyed != rows {
				t.Errorf("after the migration %d of %d page rows are at their code's key, want all", keyed, rows)
			}
			if row, err := s.PageRow(context.Background(), code); err != nil || row == nil || row.USCC != code {
				t.Errorf("the page row of %s after the migration: %+v, %v", code, row, err)
			}
			mustExec(t, r, `INSERT INTO check_items SELECT * FROM saved_check_items`)
			r.Close()
			if s.DictID() == 0 {
				t.Fatal("the store has no dictionary: the test does not test compressed documents")
			}
			if problems := verify(t, s, vkey); problems != 0 {
				t.Errorf("verify after the migration: %d problems", problems)
			}
		})
	}
}
