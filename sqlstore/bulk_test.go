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
	plan := planner(t, dir)
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
	if err := db.FinishBulk(ctx, nil); err != nil {
		t.Fatal(err)
	}
}

// planner answers SQLite's plan for a statement on the store in dir, its parameters
// unbound, the steps joined by "; ".
func planner(t *testing.T, dir string) func(q string) string {
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "gongshi.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return func(q string) string {
		args := make([]any, strings.Count(q, "?"))
		rows, err := raw.Query(`EXPLAIN QUERY PLAN `+q, args...)
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
}

// TestStatementsUseIndexes: statements over tables that grow with the register are
// planned by an index, in a store and during a bulk load. Each scanned before:
//   - the deletes that clear an enterprise's current-state rows before its projection is
//     written again, which a bulk load's finish runs for every enterprise: one scanned
//     enforcement_decisions, and a 20,000-enterprise import spent 44 s of its 76 s there,
//     more with every enterprise;
//   - the public search of spot-check results, newest first, sorted them all;
//   - a regulator's filing progress counted every year's annual reports;
//   - a draw's population (by division LIKE) read every enterprise, in the sequencer: 2.3 s
//     a draw on a 1M-enterprise store, every write held meanwhile.
func TestStatementsUseIndexes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlstore.Open(ctx, sqlstore.Config{Dir: dir, Bulk: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	type want struct{ query, has, hasNot string }
	var wants []want
	for _, q := range sqlstore.ProjectionDeletes() {
		table, _, _ := strings.Cut(strings.TrimPrefix(q, "DELETE FROM "), " ")
		wants = append(wants, want{q, "SEARCH " + table + " ", "SCAN "})
	}
	wants = append(wants, want{sqlstore.FilingCountsQuery, "SEARCH annual_reports USING COVERING INDEX annual_reports_progress", "SCAN "})
	for _, where := range []string{`d.jurisdiction LIKE ?`, `d.jurisdiction LIKE ? AND r.outcome = ? AND r.checked >= ? AND r.checked <= ?`} {
		// In the index's order, stopping at the limit: no sort of every result.
		wants = append(wants, want{sqlstore.ResultsQuery(where), "USING INDEX spot_check_results_checked", "TEMP B-TREE"})
	}
	kindCount, kindList := sqlstore.KindRecordsQueries()
	divisionCount := func(d string) string { c, _ := sqlstore.DivisionEnterprisesQueries(d); return c }
	divisionList := func(d string) string { _, l := sqlstore.DivisionEnterprisesQueries(d); return l }
	plan := planner(t, dir)
	check := func(when string) {
		for _, w := range wants {
			if p := plan(w.query); !strings.Contains(p, w.has) || strings.Contains(p, w.hasNot) {
				t.Errorf("%s %q is planned as %q: want %q, not %q", when, w.query, p, w.has, w.hasNot)
			}
		}
	}
	// By a division prefix: a draw's population, read in the sequencer (a district's or a
	// city's enterprises, not every one of the register's), a district's or a city's list
	// and its sizes by day, a regulator's case queue.
	wants = append(wants,
		want{sqlstore.PopulationQuery("310115"), "SEARCH enterprises USING INDEX enterprises_division (division=?)", "SCAN "},
		want{sqlstore.PopulationQuery("3101"), "SEARCH enterprises USING INDEX enterprises_division (division>? AND division<?)", "SCAN "},
		want{sqlstore.ListSizesQuery(""), "SEARCH list_days USING PRIMARY KEY (list_name=? AND prefix=? AND day<?)", "SCAN "},
		want{sqlstore.ListSizesQuery("310115"), "SEARCH list_days USING PRIMARY KEY (list_name=? AND prefix=? AND day<?)", "SCAN "},
		want{sqlstore.ListSizesQuery("3"), "SEARCH list_days USING PRIMARY KEY (list_name=? AND prefix>? AND prefix<?)", "SCAN "},
		want{sqlstore.ListPageQuery("310115", "", "list_entries_division"), "SEARCH list_entries USING INDEX list_entries_division (list_name=? AND division=? AND id>?)", "SCAN "},
		want{sqlstore.ListPageQuery("3101", "2026-12-01", "list_entries_division"), "SEARCH list_entries USING INDEX list_entries_division (list_name=? AND division>? AND division<?)", "SCAN "},
		// A filter that few entries pass, by its index; the count that says so, and the
		// smallest id listed since a day, by the index alone.
		want{sqlstore.ListPageQuery("", "2026-12-01", "list_entries_since"), "SEARCH list_entries USING INDEX list_entries_since (list_name=? AND since>?", "SCAN "},
		want{sqlstore.ListFilterCountQuery, "SEARCH list_entries USING COVERING INDEX list_entries_since (list_name=? AND since>?)", "SCAN list_entries"},
		want{sqlstore.FirstListedSinceQuery, "SEARCH e USING COVERING INDEX list_entries_since (list_name=? AND since=?)", "SCAN e"},
		// The whole list, or a prefix that holds much of it (listPlan): in id order, the
		// read stopping at the page's end, not every entry of the list sorted.
		want{sqlstore.ListPageQuery("", "", ""), "SEARCH list_entries USING INDEX sqlite_autoindex_list_entries_1 (id>?)", "TEMP B-TREE"},
		want{sqlstore.ListPageQuery("31", "2026-12-01", ""), "SEARCH list_entries USING INDEX sqlite_autoindex_list_entries_1 (id>?)", "TEMP B-TREE"},
		// The change feed by kind and division: in log order, stopping at the page's end,
		// not every record of the kind in the register read and their versions sorted.
		want{sqlstore.LoggedMatchingQuery(), "SEARCH v USING INDEX versions_log (log_index>? AND log_index<?)", "TEMP B-TREE"},
		// A watch's: each enterprise's versions by their range of ids, not the log read.
		want{sqlstore.SubjectSeeksQuery(), "MULTI-INDEX OR; INDEX 1; SEARCH versions USING INTEGER PRIMARY KEY (rowid>? AND rowid<?); INDEX 2; SEARCH versions USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)", "SCAN"},
		want{divisionCount("3101"), "SEARCH enterprises USING COVERING INDEX enterprises_division (division>? AND division<?)", "SCAN enterprises"},
		want{divisionList("310115"), "SEARCH enterprises USING COVERING INDEX enterprises_division (division=?)", "SCAN enterprises"},
		want{kindCount, "SEARCH records USING COVERING INDEX records_kind (kind=?)", "SCAN records"},
		want{kindList, "SEARCH records USING COVERING INDEX records_kind (kind=?)", "SCAN records"},
		want{sqlstore.RecordSeeksQuery(), "SEARCH versions USING INDEX versions_record (record=?)", "SCAN versions"},
		want{sqlstore.SubjectScanQuery, "SEARCH versions USING COVERING INDEX versions_log (log_index>? AND log_index<?)", "TEMP B-TREE"},
		want{sqlstore.CaseQueueQuery("310115"), "SEARCH cases USING INDEX cases_queue (division=? AND handler=?)", "SCAN "},
		// The next case's number, in the sequencer: not by reading every case.
		want{sqlstore.NextNumberQuery("cases", "J2026-310115-"), "SEARCH cases USING COVERING INDEX", "SCAN "})
	check("in a store")
	if err := db.StartBulk(ctx); err != nil {
		t.Fatal(err)
	}
	check("during a bulk load")
	if err := db.FinishBulk(ctx, nil); err != nil {
		t.Fatal(err)
	}
}
