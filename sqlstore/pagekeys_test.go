package sqlstore_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
)

// TestPageRowsOfOneKey: page rows are kept at their code's key, and a second code of the
// same key at its enterprise's own (pageKeysSchema). With every code's key the same, the
// sequencer keeps one row at it and the others apart; each enterprise's page is still read
// from its own row (the fixture's audit reads every page from its row and compares it
// with the one its documents make) and verify finds nothing wrong.
func TestPageRowsOfOneKey(t *testing.T) {
	defer sqlstore.SamePageKeys()()
	for _, db := range []struct{ name, driver string }{{"sqlite", "sqlite"}, {"postgres", "pgx"}} {
		t.Run(db.name, func(t *testing.T) {
			var cfg sqlstore.Config
			raw := ""
			if db.name == "postgres" {
				cfg.URL = storetest.PostgresURL(t)
				raw = cfg.URL
			} else {
				cfg.Dir = t.TempDir()
				raw = "file:" + filepath.Join(cfg.Dir, "gongshi.db")
			}
			populated(t, cfg) // audits the store, every page read from its row
			r, err := sql.Open(db.driver, raw)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var rows, atKey, apart int
			if err := r.QueryRow(`SELECT COUNT(*), COUNT(*) FILTER (WHERE key = 7), COUNT(*) FILTER (WHERE key = -id) FROM pages`).Scan(&rows, &atKey, &apart); err != nil {
				t.Fatal(err)
			}
			if rows < 3 || atKey != 1 || apart != rows-1 {
				t.Errorf("of %d page rows %d are at the key and %d apart, want 1 and %d", rows, atKey, apart, rows-1)
			}
		})
	}
}
