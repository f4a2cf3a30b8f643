package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"slices"

	"github.com/gongshi/gongshi"
)

// 13: one row per enterprise with its public page (gongshi.PageRow), made from its
// documents by the sequencer in the transaction that appends any of its versions (a
// withdrawal, which changes what the public sees, is a version too): every version is
// appended by AppendVersion, which notes its enterprise for finish. A read serves the row as
// it is — checking that it still was made from the enterprise's last version cost a second
// B-tree walk and halved the throughput — so AuditState checks every row against a fresh
// projection, last_version (the id of the version it was made from) included. The page is
// kept compressed (gongshi.PageRow.Compress: a page is JSON of ~15 KB that compresses to ~4 KB), in
// frames that a client accepting zstd is sent as they are, not decompressed.
//
// The frames have no trained dictionary, unlike the documents (docs.go), because a client
// could not decode them. Measured on a 20k demo, when pages were entropy-coded: a 110 KB
// dictionary trained on the page rows would keep 2,230 bytes a row against 3,560 (191
// bytes per version against 306; the packed store 1,203 against 1,324), but a client
// accepting zstd would then be sent the page either uncompressed (the server's CPU per
// request 9–10 times the trivial handler's against 4.7 then; throughput beside it 15–17%
// against 30%) or compressed again (15 times; 11%).
const pagesSchema = `CREATE TABLE pages (
		id {{id}},
		last_version BIGINT NOT NULL,
		listed_at INTEGER NOT NULL,
		listed TEXT NOT NULL,
		page {{blob}} NOT NULL
	);`

// 22: page rows found by their enterprise's USCC in one B-tree descent. The read of a row
// by USCC went through the enterprises' index on uscc to the row's id, then down the page
// rows' B-tree: two descents, a third of the page's SQLite time. A row's key (its rowid on
// SQLite) is now made from the USCC (pageKey), and the row names its USCC, so that a read
// finds the row at its code's key and checks it is that code's. Two codes whose keys are
// the same are told apart so: the first row written keeps the key, any other is kept at
// the negative of its enterprise's id, and a read that does not find its code at its key
// looks the enterprise up by its id, as before (readers of codes not registered do so
// too). A lookup, BenchmarkPageReader (20,000 rows): 7.5–7.7 µs before, 6.5–6.7 after. An
// uncached page of a 1M-enterprise store (bench bulk, compacted; bench read --codes
// 100000): 42% and 42% of the trivial handler's throughput before, 46% and 46% after; at
// 20,000 (the demo) the runs' spread, 41–44% both ways, hides it. The key, the USCC and
// the index by id take 50 bytes an enterprise at 1M, 11 a version (1,184 → 1,194). The
// migration took 1 min 37 s at 1M. PostgreSQL reads through the enterprises' index as
// before, to the row by its id (pages_id).
//
// The rows are copied into the new table in the migration; on a large SQLite store they
// then lie at the file's end, past the memory map's 2 GiB, until gongshi compact.
const pageKeysSchema = `CREATE TABLE pages_keyed (
		key {{id}},
		id BIGINT NOT NULL,
		uscc TEXT NOT NULL,
		last_version BIGINT NOT NULL,
		listed_at INTEGER NOT NULL,
		listed TEXT NOT NULL,
		page {{blob}} NOT NULL
	);`

// keyPages copies the page rows into the keyed table (pageKeysSchema) and puts it in their
// table's place. The rows are read in batches of keyPagesBatch, so that a province's 20M
// enterprises are not held in memory at once; a key taken already is found in the table.
func keyPages(ctx context.Context, sqlTx *sql.Tx, d dialect) error {
	next := d.rebind(`SELECT p.id, e.uscc FROM pages p JOIN enterprises e ON e.id = p.id WHERE p.id > ? ORDER BY p.id LIMIT ?`)
	copyRow := d.rebind(`INSERT INTO pages_keyed (key, id, uscc, last_version, listed_at, listed, page)
		SELECT ` + keptAt("pages_keyed") + `, id, ?, last_version, listed_at, listed, page FROM pages WHERE id = ?`)
	type entKey struct {
		id   int64
		uscc string
	}
	for after := int64(-1); ; { // enterprise row ids are positive
		rows, err := sqlTx.QueryContext(ctx, next, after, keyPagesBatch)
		ents, err := collect(rows, err, "page rows", func(r scanner) (entKey, error) {
			var e entKey
			return e, r.Scan(&e.id, &e.uscc)
		})
		if err != nil {
			return err
		}
		for _, e := range ents {
			if _, err := sqlTx.ExecContext(ctx, copyRow, append(keptAtArgs(e.uscc, e.id), e.uscc, e.id)...); err != nil {
				return fmt.Errorf("copy the page row of enterprise row %d: %w", e.id, err)
			}
			after = e.id
		}
		if len(ents) < keyPagesBatch {
			break
		}
	}
	for _, s := range []string{`DROP TABLE pages`, `ALTER TABLE pages_keyed RENAME TO pages`, `CREATE UNIQUE INDEX pages_id ON pages(id)`} {
		if _, err := sqlTx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return fillPages(ctx, sqlTx, d)
}

// keyPagesBatch is how many page rows keyPages reads at a time (a variable for a test).
var keyPagesBatch = 10_000

// pageKey is the key of the page row of the enterprise with the given USCC (see
// pageKeysSchema): the first 63 bits of its FNV-1a hash. A variable for the tests, which
// make every code's key the same.
var pageKey = func(uscc string) int64 {
	h := fnv.New64a()
	h.Write([]byte(uscc))
	return int64(h.Sum64() >> 1)
}

// keptAt is the SQL of the key a page row of table is kept at (pageKeysSchema): its USCC's,
// or the negative of its enterprise's id when another enterprise's row has that key. Its
// arguments are keptAtArgs.
func keptAt(table string) string {
	return `CASE WHEN EXISTS (SELECT 1 FROM ` + table + ` WHERE key = ? AND id <> ?) THEN -CAST(? AS BIGINT) ELSE ? END`
}

// keptAtArgs are keptAt's arguments for the row of enterprise ent, of the given USCC.
func keptAtArgs(uscc string, ent int64) []any {
	key := pageKey(uscc)
	return []any{key, ent, ent, key}
}

// fillPages makes the page rows of the enterprises registered that have none: those of a
// store made before migration 13, whose step made them before the rows had keys (it now
// makes none, as it would write the table of today into the table of then).
func fillPages(ctx context.Context, sqlTx *sql.Tx, d dialect) error {
	return eachEnterprise(ctx, sqlTx, d, `SELECT id FROM enterprises WHERE id NOT IN (SELECT id FROM pages) ORDER BY id`, putPage)
}

// eachEnterprise calls fn with each enterprise row id that query selects, in a migration's
// transaction.
func eachEnterprise(ctx context.Context, sqlTx *sql.Tx, d dialect, query string, fn func(context.Context, pageWriter, int64) error) error {
	rows, err := sqlTx.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	ents, err := collect(rows, nil, "enterprises", scanInt64)
	if err != nil {
		return err
	}
	// The documents may be those an older gongshi stored as they are: they open without
	// the dictionaries, which come with a later migration (docs.go).
	r := txReads{sqlTx, d, newDocCodec(func(ctx context.Context) (map[uint32][]byte, error) { return loadDicts(ctx, sqlTx) })}
	// Where they exist, the dictionaries are read first: a frame naming one would make the
	// codec read them on this transaction's connection in the middle of a read of the
	// versions, which PostgreSQL refuses ("bad connection").
	if ok, err := hasTable(ctx, sqlTx, d, "dicts"); err != nil {
		return err
	} else if ok {
		if err := r.docs.reload(ctx); err != nil {
			return err
		}
	}
	for _, ent := range ents {
		if err := fn(ctx, r, ent); err != nil {
			return err
		}
	}
	return nil
}

// hasTable reports whether the schema has the table name.
func hasTable(ctx context.Context, sqlTx *sql.Tx, d dialect, name string) (bool, error) {
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	if d.postgres {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`
	}
	var n int
	if err := sqlTx.QueryRowContext(ctx, d.rebind(q), name).Scan(&n); err != nil {
		return false, fmt.Errorf("look for table %s: %w", name, err)
	}
	return n > 0, nil
}

// txReads reads in a migration's transaction.
type txReads struct {
	tx   *sql.Tx
	d    dialect
	docs *docCodec
}

func (r txReads) codec() *docCodec { return r.docs }

func (r txReads) read(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return r.tx.QueryContext(ctx, r.d.rebind(query), args...)
}

func (r txReads) readRow(ctx context.Context, query string, args ...any) *sql.Row {
	return r.tx.QueryRowContext(ctx, r.d.rebind(query), args...)
}

func (r txReads) write(ctx context.Context, query string, args ...any) error {
	_, err := r.tx.ExecContext(ctx, r.d.rebind(query), args...)
	return err
}

// pageWriter is where putPage reads the documents and writes the row: the batch
// transaction or a migration's.
type pageWriter interface {
	reads
	write(ctx context.Context, query string, args ...any) error
	codec() *docCodec // opens the stored documents (docs.go)
}

func (t *tx) codec() *docCodec { return t.db.docs }

func (t *tx) write(_ context.Context, query string, args ...any) error {
	_, err := t.exec(query, args...)
	return err
}

// putPage makes enterprise ent's page row again from its documents. An enterprise whose
// page cannot be made (its versions do not open, it has no registration) has no row: its
// page is made from the documents at each read, which answers the same error.
func putPage(ctx context.Context, w pageWriter, ent int64) error {
	last, svs, err := entVersions(ctx, w, ent)
	if err != nil {
		return err
	}
	return storedPage(svs, last, (*gongshi.PageRow).Compress).put(ctx, w, ent)
}

// storedPage is buildPage of stored versions: no row when they do not open.
func storedPage(svs []gongshi.StoredVersion, last int64, compress func(*gongshi.PageRow) []byte) builtPage {
	vs, err := gongshi.OpenVersions(svs, false)
	if err != nil {
		return builtPage{last: last} // AuditState names what is wrong with the versions
	}
	return buildPage(vs, last, compress)
}

// put writes enterprise ent's page row, or deletes it if there is none. The row is kept at
// its USCC's key, or at -ent if another enterprise's row is there (pageKeysSchema).
func (b builtPage) put(ctx context.Context, w pageWriter, ent int64) error {
	if b.row == nil {
		return w.write(ctx, `DELETE FROM pages WHERE id = ?`, ent)
	}
	return w.write(ctx, `INSERT INTO pages (key, id, uscc, last_version, listed_at, listed, page)
		VALUES (`+keptAt("pages")+`, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET key = excluded.key, uscc = excluded.uscc, last_version = excluded.last_version,
			listed_at = excluded.listed_at, listed = excluded.listed, page = excluded.page`,
		append(keptAtArgs(b.row.USCC, ent), ent, b.row.USCC, b.last, b.row.ListedAt, b.row.Listed, b.page)...)
}

// buildPage makes the page row of an enterprise's opened versions, the last of id last.
// The row is nil when there are none or they do not make a page. It is safe for
// concurrent use (a bulk load's finish builds pages on every core) and leaves vs as they
// were. compress is PageRow.Compress where the sequencer makes the page again at each write
// to its enterprise, or CompressSmall (smaller, slower) where a bulk load's finish makes it
// once.
func buildPage(vs []*gongshi.Version, last int64, compress func(*gongshi.PageRow) []byte) builtPage {
	if len(vs) == 0 {
		return builtPage{}
	}
	b := builtPage{last: last}
	row, err := gongshi.PublicPageRow(vs)
	if err != nil {
		return b // AuditState names what is wrong with the versions
	}
	b.row, b.page = row, compress(row)
	return b
}

// entVersions reads the stored versions of enterprise row ent, in log order, and the id of
// its last.
func entVersions(ctx context.Context, r pageWriter, ent int64) (int64, []gongshi.StoredVersion, error) {
	rows, err := r.read(ctx, `SELECT v.id, `+storedColsFor(false)+` FROM versions v WHERE v.id >= ? AND v.id < ? ORDER BY v.id`,
		ent*perEnterprise, (ent+1)*perEnterprise)
	if err != nil {
		return 0, nil, fmt.Errorf("read the versions of enterprise row %d: %w", ent, err)
	}
	defer rows.Close()
	var last int64
	var svs []gongshi.StoredVersion
	for rows.Next() {
		var sv gongshi.StoredVersion
		if err := rows.Scan(&last, &sv.LogIndex, r.codec().into(&sv.Document), &sv.Private, &sv.Salt); err != nil {
			return 0, nil, err
		}
		svs = append(svs, sv)
	}
	return last, svs, rows.Err()
}

// notePage records that the batch appended a version of enterprise row ent: finish makes
// its page row again. (A unit that fails may leave its enterprises here: their rows are
// made again from what the transaction holds, which is harmless.)
func (t *tx) notePage(ent int64) {
	if ent <= 0 {
		return // draws are about no enterprise
	}
	if t.pages == nil {
		t.pages = map[int64]bool{}
	}
	t.pages[ent] = true
}

// putPages makes the page rows of the enterprises the batch appended versions of.
func (t *tx) putPages() error {
	if t.db.bulk.Load() && !t.db.dialect.postgres {
		// A bulk load on SQLite makes each enterprise's row once, at its end
		// (putAllPages in FinishBulk), not once a batch. Meanwhile no other command
		// opens the marked folder, so no row left behind is served.
		return nil
	}
	ents := make([]int64, 0, len(t.pages))
	for ent := range t.pages {
		ents = append(ents, ent)
	}
	slices.Sort(ents)
	for _, ent := range ents {
		if err := putPage(context.Background(), t, ent); err != nil {
			return fmt.Errorf("page row of enterprise row %d: %w", ent, err)
		}
	}
	return nil
}

// PageRow implements gongshi.PageRows.
func (db *DB) PageRow(ctx context.Context, code string) (*gongshi.PageRow, error) {
	by := byUSCC
	if len(code) == 15 {
		by = byRegno
	}
	if db.pages != nil {
		row, err := db.pages.row(ctx, by, code)
		if err != nil {
			return nil, fmt.Errorf("read page row: %w", err)
		}
		return row, nil // its frame opened only if it must be (gongshi.PageRow.Open)
	}
	var row gongshi.PageRow
	err := db.readRow(ctx, pageQueries[by], code).Scan(&row.Frame, &row.ListedAt, &row.Listed, &row.USCC)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read page row: %w", err)
	}
	return &row, nil
}
