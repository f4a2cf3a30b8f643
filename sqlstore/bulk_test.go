package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gongshi/gongshi/sqlstore"
)

// TestBulkKeepsLogIndex: a bulk load drops the indexes only reads use, but not versions'
// log_index, which the documents' compression reads and rewrites by while the load goes
// on: without it each of its statements scanned the whole table (two thirds of a
// 20,000-enterprise demo's load).
func TestBulkKeepsLogIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlstore.Open(ctx, sqlstore.Config{Dir: dir, Bulk: true, DictAfter: 20})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.StartBulk(ctx); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "gongshi.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	plan := func(q string) string {
		rows, err := raw.Query(`EXPLAIN QUERY PLAN ` + q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var all []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			all = append(all, detail)
		}
		return strings.Join(all, "; ")
	}
	for _, q := range []string{
		`SELECT log_index, document FROM versions WHERE log_index >= 0 AND log_index < 5000 ORDER BY log_index`,
		`UPDATE versions SET document = x'00' WHERE log_index = 7`,
	} {
		if p := plan(q); !strings.Contains(p, "versions_log") {
			t.Errorf("during a bulk load %q is planned as %q, not by the index versions_log", q, p)
		}
	}
	if p := plan(`SELECT id FROM enterprises WHERE name = 'x'`); strings.Contains(p, "enterprises_name") {
		t.Errorf("during a bulk load the index enterprises_name is there (%q): it is built at the end", p)
	}
	if err := db.FinishBulk(ctx); err != nil {
		t.Fatal(err)
	}
}
