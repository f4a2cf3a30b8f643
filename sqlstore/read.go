package sqlstore

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gongshi/gongshi"
)

// entCols lists the enterprise columns scanEnterprise reads, of table alias p ("" or "e.").
func entCols(p string) string {
	return p + `id, ` + p + `uscc, COALESCE(` + p + `regno, ''), ` + prefixCols(p, `name, former, legal_rep, division, category, type, status, established, registration, registered_at, changed_at`)
}

var enterpriseCols = entCols("")

func scanEnterprise(row interface{ Scan(...any) error }) (*gongshi.Enterprise, int64, error) {
	var e gongshi.Enterprise
	var id, reg int64
	var former, category, regAt, chAt string
	if err := row.Scan(&id, &e.USCC, &e.RegNo, &e.Name, &former, &e.LegalRep, &e.Division, &category, &e.Type, &e.Status, &e.Established, &reg, &regAt, &chAt); err != nil {
		return nil, 0, err
	}
	json.Unmarshal([]byte(former), &e.Former)
	e.Category = gongshi.Category(category)
	e.Registration = strconv.FormatInt(reg, 10)
	e.RegisteredAt, e.LatestChangeAt = parseTime(regAt), parseTime(chAt)
	return &e, id, nil
}

// enterpriseByCode finds an enterprise by USCC (18 characters) or registration number (15).
func enterpriseByCode(ctx context.Context, r reads, code string) (*gongshi.Enterprise, int64, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	col := "uscc"
	switch len(code) {
	case 18:
	case 15:
		col = "regno"
	default:
		return nil, 0, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "code", Message: fmt.Sprintf("%q is neither an 18-character USCC nor a 15-digit registration number", code), Fix: "check the code"}
	}
	e, id, err := scanEnterprise(r.readRow(ctx, `SELECT `+enterpriseCols+` FROM enterprises WHERE `+col+` = ?`, code))
	if err == sql.ErrNoRows {
		return nil, 0, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "code", Message: fmt.Sprintf("no enterprise %s is registered", code), Fix: "check the code, or search by name"}
	}
	return e, id, err
}

func (db *DB) EnterpriseByCode(ctx context.Context, code string) (*gongshi.Enterprise, error) {
	e, _, err := enterpriseByCode(ctx, db, code)
	return e, err
}

// The one way the store reads. Queries are written once with ? placeholders (rebound for
// PostgreSQL). On the readers they honour the caller's ctx and run as statements prepared
// once per query (a pool's statement is prepared on each connection as it is used and kept:
// SQLite spent a tenth of a page read parsing the same few queries); inside a batch they run
// on its transaction (stmt.go), whose reads see its writes. Helpers shared by both take a
// reads.

// reads is what the read helpers run on: the readers (*DB) or a batch transaction (*tx).
type reads interface {
	read(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	readRow(ctx context.Context, query string, args ...any) *sql.Row
}

func (db *DB) read(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if db.replica != nil && db.replica.pool(ctx) != db.r {
		return db.primaryReads.QueryContext(ctx, db.dialect.rebind(query), args...)
	}
	if st := db.readStmt(query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.r.QueryContext(ctx, db.dialect.rebind(query), args...)
}

// scan is read for a query that reads much of the log once (snapshot.go): on SQLite, on
// connections of their own.
func (db *DB) scan(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if db.scans == nil {
		return db.read(ctx, query, args...)
	}
	return db.scans.QueryContext(ctx, query, args...)
}

func (db *DB) readRow(ctx context.Context, query string, args ...any) *sql.Row {
	if db.replica != nil && db.replica.pool(ctx) != db.r {
		return db.primaryReads.QueryRowContext(ctx, db.dialect.rebind(query), args...)
	}
	if st := db.readStmt(query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.r.QueryRowContext(ctx, db.dialect.rebind(query), args...)
}

// readPrimaryRow is readRow on the primary, replica or not.
func (db *DB) readPrimaryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if db.replica != nil {
		return db.primaryReads.QueryRowContext(ctx, db.dialect.rebind(query), args...)
	}
	return db.readRow(ctx, query, args...)
}

// maxReadStmts bounds the prepared statements of the readers: queries with lists of
// placeholders of every length beyond it run unprepared.
const maxReadStmts = 512

// readStmt returns query prepared on the readers, or nil when it cannot or should not be.
func (db *DB) readStmt(query string) *sql.Stmt {
	if st, ok := db.rstmts.Load(query); ok {
		return st.(*sql.Stmt)
	}
	if db.nstmts.Load() >= maxReadStmts {
		return nil
	}
	st, err := db.r.Prepare(db.dialect.rebind(query))
	if err != nil {
		return nil
	}
	if prev, loaded := db.rstmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt)
	}
	db.nstmts.Add(1)
	return st
}

// fileQuery is the one statement behind Store.File: the stored versions in an enterprise's
// id range (versions.go), in order, the enterprise found by %s = ?.
func fileQuery(by string, private bool, kinds int) string {
	ent := `(SELECT id FROM enterprises WHERE ` + by + ` = ?)`
	q := `SELECT ` + storedColsFor(private) + ` FROM versions v`
	if private {
		q += ` JOIN records r ON r.id = v.record`
	}
	q += ` WHERE v.id >= ` + ent + ` * ` + perEnterpriseSQL + ` AND v.id < (` + ent + ` + 1) * ` + perEnterpriseSQL
	if kinds > 0 { // tested per version, not joined: see Files
		q += ` AND (SELECT kind FROM records WHERE id = v.record) IN (?` + repeat(",?", kinds-1) + `)`
	}
	return q + ` ORDER BY v.id`
}

const perEnterpriseSQL = "1048576" // perEnterprise

// File implements gongshi.Store: one statement over the enterprise's id range.
func (db *DB) File(ctx context.Context, q gongshi.FileQuery) ([]gongshi.StoredVersion, error) {
	by, key := "uscc", strings.ToUpper(strings.TrimSpace(q.Code))
	if q.Record != "" {
		rec, err := parseID(q.Record)
		if err != nil {
			return nil, err
		}
		by, key = "id", strconv.FormatInt(rec, 10)
	} else if len(key) == 15 {
		by = "regno"
	}
	args := []any{key, key}
	for _, k := range q.Kinds {
		args = append(args, k)
	}
	query := fileQuery(by, q.Private, len(q.Kinds))
	if by == "id" { // a record: its enterprise's range
		query = strings.ReplaceAll(query, `(SELECT id FROM enterprises WHERE id = ?)`, `(SELECT enterprise FROM records WHERE id = ? AND enterprise > 0)`)
	}
	svs, err := db.docs.storedVersions(db.read(ctx, query, args...))
	if err != nil {
		return nil, err
	}
	if len(svs) == 0 {
		if q.Record != "" {
			return nil, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "id", Message: fmt.Sprintf("no record %s", q.Record), Fix: "take the id from a record of GET /api/v1/enterprises/{code}/records"}
		}
		return nil, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "code", Message: fmt.Sprintf("no enterprise %s is registered", key), Fix: "check the code, or search by name"}
	}
	return svs, nil
}

// versionOfKinds tests that the version v is of a record of one of kinds (the catalogue's
// names, not input), by a lookup on the record's primary key (see Files).
func versionOfKinds(kinds []string) string {
	return `(SELECT kind FROM records WHERE id = v.record) IN ('` + strings.Join(kinds, `', '`) + `')`
}

// Files implements gongshi.Store: the files of many enterprises, 500 a statement.
//
// Each enterprise's versions are read by its id range (versions.go), the kind tested per
// version by a lookup on the record's primary key: joined to records by kind instead,
// SQLite walked every record of the kind for each enterprise (14 s for a page of 100
// search hits on a 20,000-enterprise store, against 0.2 s). PostgreSQL misjudges how many
// versions a range join yields and scans every version instead, so there the range is a
// LATERAL subquery, kept whole by OFFSET 0 (638 → 82 ms for 500 enterprises of 2,000).
// Neither orders the rows: each file is sorted here, by log index.
func (db *DB) Files(ctx context.Context, usccs []string, kinds []string) (map[string][]gongshi.StoredVersion, error) {
	kindTest := ""
	if len(kinds) > 0 {
		kindTest = versionOfKinds(kinds) + ` AND `
	}
	inRange := `v.id >= e.id * ` + perEnterpriseSQL + ` AND v.id < (e.id + 1) * ` + perEnterpriseSQL
	from := `enterprises e JOIN versions v ON ` + inRange
	if db.dialect.postgres {
		from = `enterprises e CROSS JOIN LATERAL (SELECT * FROM versions v WHERE ` + inRange + ` OFFSET 0) v`
	}
	out := make(map[string][]gongshi.StoredVersion, len(usccs))
	err := db.inChunks(ctx, `SELECT e.uscc, `+storedColsFor(false)+` FROM `+from+` WHERE `+kindTest+`e.uscc IN (%s)`, usccs, func(rows *sql.Rows) error {
		var uscc string
		var sv gongshi.StoredVersion
		if err := rows.Scan(&uscc, &sv.LogIndex, db.docs.into(&sv.Document), &sv.Private, &sv.Salt); err != nil {
			return err
		}
		out[uscc] = append(out[uscc], sv)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read files: %w", err)
	}
	for _, svs := range out {
		slices.SortFunc(svs, func(a, b gongshi.StoredVersion) int { return cmp.Compare(a.LogIndex, b.LogIndex) })
	}
	return out, nil
}

func scanInt64(row scanner) (int64, error) {
	var n int64
	err := row.Scan(&n)
	return n, err
}

func (c *docCodec) storedVersions(rows *sql.Rows, err error) ([]gongshi.StoredVersion, error) {
	return collect(rows, err, "versions", c.scanStored)
}

// versionsAt opens the versions at the given log indexes, public fields only.
func versionsAt(ctx context.Context, r *DB, idx ...int64) ([]*gongshi.Version, error) {
	if len(idx) == 0 {
		return nil, nil
	}
	args := make([]any, len(idx))
	for i, x := range idx {
		args[i] = x
	}
	svs, err := r.docs.storedVersions(r.read(ctx, `SELECT `+storedColsFor(false)+` FROM versions v WHERE v.log_index IN (?`+repeat(",?", len(idx)-1)+`) ORDER BY v.log_index`, args...))
	if err != nil {
		return nil, err
	}
	out := make([]*gongshi.Version, len(svs))
	for i, sv := range svs {
		if out[i], err = gongshi.OpenVersion(sv, false); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// recordVersions opens every version of a record with its hidden values, oldest first.
func (t *tx) recordVersions(id int64) ([]*gongshi.Version, error) {
	svs, err := t.db.docs.storedVersions(t.query(`SELECT `+storedColsFor(true)+` FROM versions v JOIN records r ON r.id = v.record WHERE v.record = ? ORDER BY v.version`, id))
	if err != nil {
		return nil, err
	}
	if len(svs) == 0 {
		return nil, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "id", Message: fmt.Sprintf("no record %d", id), Fix: "take the id from a record of GET /api/v1/enterprises/{code}/records"}
	}
	vs := make([]*gongshi.Version, len(svs))
	for i, sv := range svs {
		if vs[i], err = gongshi.OpenVersion(sv, true); err != nil {
			return nil, err
		}
	}
	return vs, nil
}

func (db *DB) Document(ctx context.Context, sha string) ([]byte, *gongshi.Withdrawal, error) {
	sum, err := hex.DecodeString(sha)
	if err != nil || len(sum) != 32 {
		return nil, nil, gongshi.Invalid("sha256", "must be 64 hexadecimal characters", "take it from a version's sha256")
	}
	rows, err := db.read(ctx, `SELECT v.document, w.at, w.reason FROM versions v LEFT JOIN withdrawals w ON w.log_index = v.log_index WHERE v.sha_key = ?`, shaKey(sum))
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var doc []byte
		var at, reason sql.NullString
		if err := rows.Scan(db.docs.into(&doc), &at, &reason); err != nil {
			return nil, nil, err
		}
		standIn := false
		if s := sha256.Sum256(doc); hex.EncodeToString(s[:]) != strings.ToLower(sha) {
			if l, ok := gongshi.StandIn(doc); !ok || l.SHA256 != strings.ToLower(sha) {
				continue // another document sharing the 8-byte key
			}
			standIn = true
		}
		if at.Valid {
			return doc, &gongshi.Withdrawal{At: parseTime(at.String), Reason: reason.String}, nil
		}
		if standIn {
			// Only the leaf is held (an import or a mirror received the version already
			// withdrawn) and its withdrawal record is not in yet: the leaf is not the document.
			return nil, nil, gongshi.Errorf(gongshi.ENOTFOUND, "document %s was withdrawn from public view before this register received it: only its leaf is held", sha)
		}
		return doc, nil, nil
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	return nil, nil, gongshi.Errorf(gongshi.ENOTFOUND, "no document with SHA-256 %s", sha)
}

const accountCols = `id, name, role, jurisdiction, enterprise, kinds, created_at`

// scanAccount reads accountCols, then extra columns into extra.
func scanAccount(row *sql.Row, extra ...any) (*gongshi.Account, error) {
	var a gongshi.Account
	var role, kinds, created string
	if err := row.Scan(append([]any{&a.ID, &a.Name, &role, &a.Jurisdiction, &a.Enterprise, &kinds, &created}, extra...)...); err != nil {
		if err == sql.ErrNoRows {
			return nil, gongshi.Errorf(gongshi.ENOTFOUND, "no such account")
		}
		return nil, err
	}
	a.Role = gongshi.Role(role)
	json.Unmarshal([]byte(kinds), &a.Kinds)
	a.CreatedAt = parseTime(created)
	return &a, nil
}

// Accounts and tokens are read from the primary even beside a replica: a token works as
// soon as it is issued, and stops working as soon as it is revoked.

func (db *DB) Account(ctx context.Context, id string) (*gongshi.Account, error) {
	if !isText(id) {
		return nil, gongshi.Errorf(gongshi.ENOTFOUND, "no such account")
	}
	return scanAccount(db.readPrimaryRow(ctx, `SELECT `+accountCols+` FROM accounts WHERE id = ?`, id))
}

func (db *DB) PasswordHash(ctx context.Context, id string) (string, error) {
	if !isText(id) {
		return "", gongshi.Errorf(gongshi.ENOTFOUND, "no such account")
	}
	var h string
	err := db.readPrimaryRow(ctx, `SELECT password_hash FROM accounts WHERE id = ?`, id).Scan(&h)
	if err == sql.ErrNoRows {
		return "", gongshi.Errorf(gongshi.ENOTFOUND, "no such account")
	}
	return h, err
}

// isText says whether s can be a key the store holds: a key looked up from a request may
// be anything, but no stored text holds invalid UTF-8 or NUL, and PostgreSQL refuses
// such a parameter with an error rather than finding nothing.
func isText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

func prefixCols(p, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// collect scans every row of a query with scan; what names the rows in errors. It takes
// the query's error too, so that a query can be passed to it directly.
func collect[T any](rows *sql.Rows, err error, what string, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SampleCodes returns the USCCs of up to n enterprises spread evenly over all of them
// (every k-th by row id), for the benchmarks' reads: what a register's readers ask for is
// spread over every enterprise, not a kind of name.
func (db *DB) SampleCodes(ctx context.Context, n int) ([]string, error) {
	var total int64
	if err := db.readRow(ctx, `SELECT COUNT(*) FROM enterprises`).Scan(&total); err != nil {
		return nil, fmt.Errorf("count enterprises: %w", err)
	}
	step := max(1, total/int64(max(n, 1)))
	rows, err := db.read(ctx, `SELECT uscc FROM enterprises WHERE (id - 1) % ? = 0 ORDER BY id LIMIT ?`, step, n)
	return collect(rows, err, "enterprises", scanText)
}

// scanText scans a row of one text column (collect).
func scanText(r scanner) (s string, err error) { return s, r.Scan(&s) }
