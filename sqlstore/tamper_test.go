package sqlstore_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
	"github.com/gongshi/gongshi/translog"
)

// The tamper suite: in a copy of a real store (storetest.Populate, with a signed
// checkpoint), each edit of a stored column that could feed an answer is made behind the
// register's back, and `gongshi verify --data` (the log's audit, then AuditState) must
// find it. A few edits are also read through the service, which must not serve them.

func TestTamperSQLite(t *testing.T)   { testTamper(t, sqliteCopies(t)) }
func TestTamperPostgres(t *testing.T) { testTamper(t, postgresCopies(t)) }

// copies makes a populated store and fresh copies of it.
type copies struct {
	postgres bool
	vkey     string
	parallel bool
	// copy returns a copy's raw database and the function opening it as a store.
	copy func(t *testing.T) (*sql.DB, func() *sqlstore.DB)
}

// tamper is one edit: SQL for both databases, or a pair (SQLite, PostgreSQL).
type tamper struct {
	name   string
	sql    string
	pg     string                                   // PostgreSQL's statement, when it differs
	args   func(t *testing.T, raw *sql.DB) []any    // optional: the statement's arguments
	served func(t *testing.T, svc *gongshi.Service) // optional: the edit is not served either
}

func testTamper(t *testing.T, c copies) {
	for _, tc := range tamperCases() {
		t.Run(tc.name, func(t *testing.T) {
			if c.parallel {
				t.Parallel()
			}
			raw, open := c.copy(t)
			q := tc.sql
			if c.postgres && tc.pg != "" {
				q = tc.pg
			}
			var args []any
			if tc.args != nil {
				args = tc.args(t, raw)
			}
			if c.postgres && tc.args != nil {
				q = strings.ReplaceAll(q, "?", "$1")
			}
			res, err := raw.Exec(q, args...)
			if err != nil {
				t.Fatalf("tamper: %v\n%s", err, q)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				t.Fatalf("tamper changed no row:\n%s", q)
			}
			if !c.postgres {
				raw.Close()
			}
			db := open()
			defer db.Close()
			if problems := verify(t, db, c.vkey); problems == 0 {
				t.Errorf("verify found nothing wrong after: %s", q)
			}
			if tc.served != nil {
				tc.served(t, gongshi.New(gongshi.Config{Store: db, Clock: gongshi.SystemClock{}}))
			}
		})
	}
}

// verify is `gongshi verify --data`: the log's audit, then the current-state rows. It
// returns the number of problems found.
func verify(t *testing.T, db *sqlstore.DB, vkey string) int {
	t.Helper()
	ctx := context.Background()
	docs := func(ctx context.Context, sha string) ([]byte, error) {
		doc, w, err := db.Document(ctx, sha)
		if w != nil {
			return nil, translog.ErrWithdrawn
		}
		if gongshi.ErrorCode(err) == gongshi.ENOTFOUND {
			return nil, translog.ErrNotFound
		}
		return doc, err
	}
	rep, err := translog.AuditStore(ctx, db, vkey, docs, translog.AuditState{}, translog.AuditOptions{})
	if errors.Is(err, translog.ErrAuditFailed) {
		return int(rep.ProblemCount) + 1
	}
	if err != nil {
		return 1 // the log cannot even be read: verify fails
	}
	st, err := db.AuditState(ctx, nil)
	if err != nil {
		return 1
	}
	return st.ProblemN
}

// populate makes the store to copy and signs a checkpoint of its log.
func populate(t *testing.T, open storetest.Opener) (*storetest.Fixture, string) {
	f := storetest.Populate(t, open)
	signer, err := translog.LoadOrCreateKey(t.TempDir(), "gongshi.test/log")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := translog.NewCheckpointer(f.Store, signer).Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := verify(t, f.Store.(*sqlstore.DB), signer.VerifierKey()); n != 0 {
		t.Fatalf("the untouched store has %d problems", n)
	}
	return f, signer.VerifierKey()
}

// populated populates the store cfg opens, signs a checkpoint, closes the store (on SQLite
// its WAL folded into the file: the file is the store) and returns the log's verifier key.
func populated(t *testing.T, cfg sqlstore.Config) string {
	f, vkey := populate(t, func(t *testing.T, clock gongshi.Clock) (storetest.Store, func() storetest.Store) {
		c := cfg
		c.Clock = clock
		db, err := sqlstore.Open(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db, nil
	})
	f.Audit(t)
	if db := f.Store.(*sqlstore.DB); cfg.DictAfter > 0 && cfg.DictAfter < 100 && db.DictID() == 0 {
		t.Fatal("the populated store trained no dictionary")
	}
	f.Store.Close()
	return vkey
}

// tamperDictAfter makes the populated store train its dictionary early, so that the
// documents tampered with are compressed with one (sqlstore/docs.go).
const tamperDictAfter = 20

func sqliteCopies(t *testing.T) copies {
	dir := t.TempDir()
	vkey := populated(t, sqlstore.Config{Dir: dir, DictAfter: tamperDictAfter})
	return copies{vkey: vkey, parallel: true, copy: func(t *testing.T) (*sql.DB, func() *sqlstore.DB) {
		to := t.TempDir()
		copyFile(t, filepath.Join(dir, "gongshi.db"), filepath.Join(to, "gongshi.db"))
		raw, err := sql.Open("sqlite", "file:"+filepath.Join(to, "gongshi.db"))
		if err != nil {
			t.Fatal(err)
		}
		return raw, func() *sqlstore.DB {
			db, err := sqlstore.Open(context.Background(), sqlstore.Config{Dir: to, Shared: true})
			if err != nil {
				t.Fatal(err)
			}
			return db
		}
	}}
}

// postgresCopies keeps a pristine copy of every table in the schema "pristine" of the same
// database, and puts it back after each case: much quicker than a database a case.
func postgresCopies(t *testing.T) copies {
	base := PostgresURL(t)
	vkey := populated(t, sqlstore.Config{URL: base, DictAfter: tamperDictAfter})
	raw, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	var tables []string
	rows, err := raw.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	mustExec(t, raw, `CREATE SCHEMA pristine`)
	for _, tb := range tables {
		mustExec(t, raw, `CREATE TABLE pristine.`+tb+` AS TABLE public.`+tb)
	}
	return copies{postgres: true, vkey: vkey, copy: func(t *testing.T) (*sql.DB, func() *sqlstore.DB) {
		t.Cleanup(func() {
			// Without the triggers (session_replication_role): list_entries' trigger
			// keeps list_days, and the copies are put back in the catalogue's order, in
			// which list_days may come after list_entries (a duplicate key) or before
			// (its counts doubled).
			restore := "BEGIN; SET LOCAL session_replication_role = replica; TRUNCATE public." + strings.Join(tables, ", public.") + ";"
			for _, tb := range tables {
				restore += ` INSERT INTO public.` + tb + ` SELECT * FROM pristine.` + tb + `;`
			}
			mustExec(t, raw, restore+" COMMIT")
		})
		return raw, func() *sqlstore.DB {
			db, err := sqlstore.Open(context.Background(), sqlstore.Config{URL: base, Shared: true})
			if err != nil {
				t.Fatal(err)
			}
			return db
		}
	}}
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func copyFile(t *testing.T, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// first is a WHERE clause choosing one row of a table by its key, the smallest.
// editFirstDocument gives the first version's document with a district renamed, in the
// store's compressed form or plain.
func editFirstDocument(compressed bool) func(t *testing.T, raw *sql.DB) []any {
	return func(t *testing.T, raw *sql.DB) []any {
		open, compress, err := sqlstore.StoredDocuments(raw)
		if err != nil {
			t.Fatal(err)
		}
		var stored []byte
		if err := raw.QueryRow(`SELECT document FROM versions ORDER BY log_index LIMIT 1`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		doc, err := open(stored)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.HasPrefix(stored, doc) {
			t.Fatal("the document is stored uncompressed")
		}
		edited := bytes.ReplaceAll(doc, []byte("浦东新区"), []byte("黄浦区"))
		if bytes.Equal(edited, doc) {
			t.Fatal("the first document names no 浦东新区")
		}
		if compressed {
			return []any{compress(edited)}
		}
		return []any{edited}
	}
}

func first(table, key string) string {
	return fmt.Sprintf("(%s) = (SELECT %s FROM %s ORDER BY %s LIMIT 1)", key, key, table, key)
}

// columns edits each column of one row of a table: text gets a character more, numbers
// 10^8 more (a value no row has).
func columns(table, key, where string, text, numbers []string) []tamper {
	if where == "" {
		where = first(table, key)
	}
	var out []tamper
	for _, c := range text {
		out = append(out, tamper{name: table + "." + c, sql: fmt.Sprintf("UPDATE %s SET %s = %s || 'x' WHERE %s", table, c, c, where)})
	}
	for _, c := range numbers {
		out = append(out, tamper{name: table + "." + c, sql: fmt.Sprintf("UPDATE %s SET %s = %s + 100000000 WHERE %s", table, c, c, where)})
	}
	return append(out, tamper{name: table + " deleted", sql: fmt.Sprintf("DELETE FROM %s WHERE %s", table, where)})
}

func tamperCases() []tamper {
	// An enterprise with a list entry, filings, an order and a withdrawn penalty.
	const someEnt = "(SELECT id FROM enterprises WHERE uscc = (SELECT MIN(uscc) FROM list_entries))"
	cases := []tamper{
		// Documents are stored compressed (docs.go): a tamperer who knows the format opens
		// one, edits it and stores it compressed again, or stored plain, as older stores
		// kept them; one who does not flips a byte of the stored frame.
		{name: "document text", sql: `UPDATE versions SET document = ? WHERE ` + first("versions", "log_index"),
			args: editFirstDocument(true)},
		{name: "document text stored plain", sql: `UPDATE versions SET document = ? WHERE ` + first("versions", "log_index"),
			args: editFirstDocument(false)},
		{name: "document byte", sql: `UPDATE versions SET document = substr(document, 1, 20) || CASE WHEN substr(document, 21, 1) = X'00' THEN X'01' ELSE X'00' END || substr(document, 22) WHERE ` + first("versions", "log_index"),
			pg: `UPDATE versions SET document = set_byte(document, 20, CASE WHEN get_byte(document, 20) = 0 THEN 1 ELSE 0 END) WHERE ` + first("versions", "log_index")},
		{name: "private value", sql: `UPDATE versions SET private = replace(private, '1', '2') WHERE private IS NOT NULL AND ` + first("versions", "log_index"),
			pg: `UPDATE versions SET private = convert_to(replace(convert_from(private, 'UTF8'), '1', '2'), 'UTF8') WHERE private IS NOT NULL AND ` + first("versions", "log_index")},
		{name: "private value dropped", sql: `UPDATE versions SET private = NULL WHERE log_index = (SELECT MIN(log_index) FROM versions WHERE private IS NOT NULL)`},
		{name: "versions swapped", sql: `UPDATE versions SET log_index = -log_index WHERE log_index IN (3, 4);
			UPDATE versions SET log_index = CASE log_index WHEN -3 THEN 4 ELSE 3 END WHERE log_index IN (-3, -4)`},
		{name: "version moved to another enterprise", sql: `UPDATE versions SET id = id + 1048576 * 1000 WHERE id = (SELECT MAX(id) FROM versions)`},
		{name: "records.salt", sql: `UPDATE records SET salt = x'00112233445566778899aabbccddeeff' WHERE id = (SELECT MIN(record) FROM versions WHERE private IS NOT NULL AND id >= 1048576)`,
			pg: `UPDATE records SET salt = '\x00112233445566778899aabbccddeeff'::bytea WHERE id = (SELECT MIN(record) FROM versions WHERE private IS NOT NULL AND id >= 1048576)`},
		{name: "records.kind", sql: `UPDATE records SET kind = 'licence' WHERE kind = 'penalty'`},
		{name: "records.enterprise", sql: `UPDATE records SET enterprise = enterprise + 1 WHERE id = (SELECT MIN(id) FROM records WHERE enterprise > 0)`},
		{name: "checkpoint", sql: `UPDATE checkpoints SET note = replace(note, 'gongshi', 'gongshl')`,
			pg: `UPDATE checkpoints SET note = convert_to(replace(convert_from(note, 'UTF8'), 'gongshi', 'gongshl'), 'UTF8')`},
		{name: "log hash", sql: `UPDATE log_hashes SET hash = zeroblob(32) WHERE idx = 0`, pg: `UPDATE log_hashes SET hash = decode(repeat('00', 32), 'hex') WHERE idx = 0`},
		{name: "search terms", sql: `DELETE FROM search WHERE rowid = (SELECT MIN(id) FROM enterprises)`, pg: `UPDATE search SET terms = '{假冒}' WHERE id = (SELECT MIN(id) FROM enterprises)`},
		{name: "search terms replaced", sql: `DELETE FROM search WHERE rowid = (SELECT MIN(id) FROM enterprises);
			INSERT INTO search (rowid, terms) SELECT MIN(id), '假冒' FROM enterprises`, pg: `UPDATE search SET terms = array_append(terms, '假冒') WHERE id = (SELECT MIN(id) FROM enterprises)`},
		{name: "search row added", sql: `INSERT INTO search (rowid, terms) SELECT MAX(id) + 1000, '假冒' FROM enterprises`,
			pg: `INSERT INTO search (id, terms) SELECT MAX(id) + 1000, '{假冒}' FROM enterprises`},
		{name: "enforcement_decisions deleted", sql: `DELETE FROM enforcement_decisions WHERE rule = 'serious'`},
		{name: "enforcement_decisions added", sql: `INSERT INTO enforcement_decisions (rule, subject, period, record, decided) VALUES ('ground1', '91310115MA1FL0001X', '2030', 1, '2030-07-01')`},
		{name: "entry awaiting its withdrawal added", sql: `INSERT INTO awaiting_withdrawal (log_index) SELECT MAX(log_index) FROM versions`},
		{name: "withdrawal added", sql: `INSERT INTO withdrawals (log_index, at, reason) SELECT MAX(log_index), '2024-01-01T00:00:00Z', 'x' FROM versions`},
		{name: "list_days.delta", sql: `UPDATE list_days SET delta = delta + 1 WHERE prefix = '' AND day = (SELECT MIN(day) FROM list_days)`},
		{name: "list entry added", sql: `INSERT INTO list_entries SELECT id + 100000, uscc, name, division, list_name, ground, period, arose, since, until_day, ended, authority,
			jurisdiction, document_no, end_record, warned, origin, ban_until, banned_person FROM list_entries WHERE ` + first("list_entries", "id")},
		{name: "enterprises.name, not served", sql: `UPDATE enterprises SET name = '假冒科技有限公司' WHERE id = ` + someEnt,
			served: func(t *testing.T, svc *gongshi.Service) {
				ctx := context.Background()
				var uscc string
				if err := rawQueryRow(svc, "假冒科技有限公司", &uscc); err != nil {
					t.Fatal(err)
				}
				e, err := svc.Enterprise(ctx, gongshi.Anonymous, uscc)
				if err != nil || e.Name == "假冒科技有限公司" {
					t.Errorf("page of %s: name %v, %v; want the logged name", uscc, e, err)
				}
				if res, err := svc.Search(ctx, gongshi.SearchQuery{Q: "假冒科技"}); err == nil && len(res.Hits) > 0 {
					t.Errorf("search for the edited name found %s", res.Hits[0].Name)
				}
			}},
		{name: "list_entries.until_day, not served", sql: `UPDATE list_entries SET until_day = '2016-01-01' WHERE ` + first("list_entries", "id"),
			served: func(t *testing.T, svc *gongshi.Service) {
				page, err := svc.List(context.Background(), gongshi.ListInput{List: gongshi.ListAbnormal, AsOf: "2016-07-05"})
				if err == nil {
					for _, e := range page.Entries {
						if e.Until == "2016-01-01" {
							t.Errorf("the list serves the edited entry %s", e.ID)
						}
					}
				}
			}},
	}
	cases = append(cases, columns("enterprises", "id", "id = "+someEnt,
		[]string{"uscc", "name", "former", "legal_rep", "division", "category", "type", "status", "established", "registered_at", "changed_at", "initials"},
		[]string{"registration"})...)
	cases = append(cases, tamper{name: "enterprises.regno", sql: `UPDATE enterprises SET regno = '310115000000000' WHERE id = ` + someEnt})
	cases = append(cases, columns("list_entries", "id", "",
		[]string{"uscc", "name", "division", "list_name", "period", "arose", "since", "until_day", "ended", "authority", "jurisdiction", "document_no",
			"end_record", "warned", "origin", "ban_until", "banned_person"}, []string{"ground"})...)
	cases = append(cases, columns("annual_reports", "uscc, year", "", []string{"kind", "filed", "due"}, []string{"record", "on_time", "paper", "year"})...)
	cases = append(cases, columns("orders", "record", "", []string{"uscc", "division", "item", "issued", "deadline", "policy", "issuer", "fulfilled_by", "fulfilled_on"}, []string{"record"})...)
	cases = append(cases, columns("withdrawals", "log_index", "", []string{"at", "reason"}, []string{"log_index"})...)
	cases = append(cases, columns("listing_grounds", "id", "", []string{"enterprise", "arose", "source", "source_ref", "authority", "created_at"}, []string{"ground", "record"})...)
	cases = append(cases, columns("spot_check_results", "log_index", "", []string{"enterprise", "outcome", "checked"}, []string{"ground", "log_index", "draw"})...)
	cases = append(cases, columns("draws", "id", "", []string{"number", "jurisdiction", "state"}, []string{"record"})...)
	cases = append(cases, columns("draw_selection", "draw, enterprise", "", []string{"enterprise", "inspectors"}, []string{"rank"})...)
	cases = append(cases, tamper{name: "draw_texts.text", sql: `UPDATE draw_texts SET text = text || x'0a' WHERE which = 'population'`,
		pg: `UPDATE draw_texts SET text = text || '\x0a'::bytea WHERE which = 'population'`})
	// The page rows (pages.go) are served as they are: an edit of one must be found.
	cases = append(cases,
		tamper{name: "pages.last_version", sql: `UPDATE pages SET last_version = last_version - 1 WHERE id = ` + someEnt},
		tamper{name: "pages.page", sql: `UPDATE pages SET page = page || x'20' WHERE id = ` + someEnt,
			pg: `UPDATE pages SET page = page || '\x20'::bytea WHERE id = ` + someEnt},
		tamper{name: "pages.listed", sql: `UPDATE pages SET listed = listed || ';2000-01-01/' WHERE id = ` + someEnt},
		tamper{name: "pages.listed_at", sql: `UPDATE pages SET listed_at = listed_at + 1 WHERE id = ` + someEnt},
		// A row that names another code is served for that code if it is at that code's key.
		tamper{name: "pages.uscc", sql: `UPDATE pages SET uscc = (SELECT MAX(uscc) FROM enterprises) WHERE id = ` + someEnt},
		tamper{name: "pages.key", sql: `UPDATE pages SET key = key + 1 WHERE id = ` + someEnt})
	decisions := columns("enforcement_decisions", "rule, subject, period",
		"(rule, subject, period) = (SELECT rule, subject, period FROM enforcement_decisions WHERE rule = 'ground1' ORDER BY subject, period LIMIT 1)",
		[]string{"subject", "period"}, []string{"record"})
	cases = append(cases, decisions[:len(decisions)-1]...) // deleting one is a case above
	return cases
}

// rawQueryRow finds the USCC of the enterprise whose row carries name, through the store's
// search index as the edit left it.
func rawQueryRow(svc *gongshi.Service, name string, uscc *string) error {
	db := svc.Store.(*sqlstore.DB)
	return db.RawQueryRow(`SELECT uscc FROM enterprises WHERE name = ?`, name).Scan(uscc)
}
