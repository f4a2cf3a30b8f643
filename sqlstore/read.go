package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

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
func enterpriseByCode(queryRow func(query string, args ...any) *sql.Row, code string) (*gongshi.Enterprise, int64, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	col := "uscc"
	switch len(code) {
	case 18:
	case 15:
		col = "regno"
	default:
		return nil, 0, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "code", Message: fmt.Sprintf("%q is neither an 18-character USCC nor a 15-digit registration number", code), Fix: "check the code"}
	}
	e, id, err := scanEnterprise(queryRow(`SELECT `+enterpriseCols+` FROM enterprises WHERE `+col+` = ?`, code))
	if err == sql.ErrNoRows {
		return nil, 0, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "code", Message: fmt.Sprintf("no enterprise %s is registered", code), Fix: "check the code, or search by name"}
	}
	return e, id, err
}

func (db *DB) EnterpriseByCode(ctx context.Context, code string) (*gongshi.Enterprise, error) {
	e, _, err := enterpriseByCode(db.queryRow, code)
	return e, err
}

// queryRow runs a query (with ? placeholders) on the readers, prepared once.
func (db *DB) queryRow(query string, args ...any) *sql.Row {
	st, err := db.readStmt(query)
	if err != nil {
		return db.r.QueryRow(db.dialect.rebind(query), args...)
	}
	return st.QueryRow(args...)
}

// readStmt returns query prepared on the readers. A prepared *sql.Stmt of the pool is
// prepared on each connection as it is used and kept: SQLite spent a tenth of a page
// read parsing the same few queries.
func (db *DB) readStmt(query string) (*sql.Stmt, error) {
	if st, ok := db.rstmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.r.Prepare(db.dialect.rebind(query))
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.rstmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// reader runs the queries of shared helpers (readRecords) as prepared statements of the
// readers.
type reader struct{ db *DB }

func (r reader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := r.db.readStmt(query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}
func (r reader) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return r.db.queryRow(query, args...)
}
func (r reader) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return nil, fmt.Errorf("sqlstore: the readers do not write")
}

const versionCols = `v.log_index, v.record, v.version, v.arose, v.due, v.on_time, v.policy, v.published_at, v.publisher, v.reason, v.body, v.document, r.kind, e.uscc, e.name, w.at, w.reason`
const versionFrom = ` FROM versions v JOIN records r ON r.id = v.record JOIN enterprises e ON e.id = r.enterprise LEFT JOIN withdrawals w ON w.log_index = v.log_index`

func scanVersion(rows *sql.Rows) (v *gongshi.Version, err error) {
	v = new(gongshi.Version)
	var rec int64
	var onTime int
	var published, publisher, body string
	var wAt, wReason sql.NullString
	if err := rows.Scan(&v.LogIndex, &rec, &v.Version, &v.Arose, &v.Due, &onTime, &v.Policy, &published, &publisher, &v.Reason, &body, &v.Document, &v.Kind, &v.Subject, &v.SubjectName, &wAt, &wReason); err != nil {
		return nil, err
	}
	v.Record = strconv.FormatInt(rec, 10)
	v.OnTime = onTime == 1
	v.PublishedAt = parseTime(published)
	if err := json.Unmarshal([]byte(publisher), &v.Publisher); err != nil {
		return nil, fmt.Errorf("version %d: publisher: %w", v.LogIndex, err)
	}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v.Body); err != nil {
		return nil, fmt.Errorf("version %d: body: %w", v.LogIndex, err)
	}
	normalizeNumbers(v.Body)
	sum := sha256.Sum256(v.Document)
	v.SHA256 = hex.EncodeToString(sum[:])
	if v.Version > 1 {
		// What changed is part of the published document (the previous version's hash too:
		// readRecords takes it from the chain).
		if err := documentMember(v.Document, "changes", &v.Changes); err != nil {
			return nil, fmt.Errorf("version %d: document: %w", v.LogIndex, err)
		}
	}
	if bytes.Contains(v.Document, provisionalMember) {
		if err := documentMember(v.Document, "provisional", &v.Provisional); err != nil {
			return nil, fmt.Errorf("version %d: document: %w", v.LogIndex, err)
		}
	}
	if wAt.Valid {
		v.Withdrawn = &gongshi.Withdrawal{At: parseTime(wAt.String), Reason: wReason.String}
	}
	return v, nil
}

// documentMember decodes the member key of a sealed document into v; a document without
// it leaves v as it was. Documents are canonical JSON, their keys in order, so it stops
// there instead of decoding the members after it.
func documentMember(doc []byte, key string, v any) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("not a JSON object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch k, _ := t.(string); {
		case k == key:
			return dec.Decode(v)
		case k > key:
			return nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	return nil
}

// provisionalMember marks a document's member "provisional", as its bytes hold it.
var provisionalMember = []byte(`"provisional":{`)

// normalizeNumbers turns the json.Numbers of a stored body back into the int64 values
// Kind.Normalize produced (bodies hold no other numbers).
func normalizeNumbers(m map[string]any) {
	for k, v := range m {
		switch x := v.(type) {
		case json.Number:
			if n, err := x.Int64(); err == nil {
				m[k] = n
			}
		case map[string]any:
			normalizeNumbers(x)
		case []any:
			for _, it := range x {
				if o, ok := it.(map[string]any); ok {
					normalizeNumbers(o)
				}
			}
		}
	}
}

// readRecords reads the records matching where (on records r) with all their versions.
func readRecords(q queryer, d dialect, where string, args ...any) ([]*gongshi.Record, error) {
	query := `SELECT ` + versionCols + versionFrom + ` WHERE ` + where + ` ORDER BY v.record, v.version`
	var rows *sql.Rows
	var err error
	switch q := q.(type) {
	case *tx:
		rows, err = q.query(query, args...)
	case reader:
		rows, err = q.QueryContext(context.Background(), query, args...)
	default:
		rows, err = q.QueryContext(context.Background(), d.rebind(query), args...)
	}
	if err != nil {
		return nil, fmt.Errorf("read records: %w", err)
	}
	defer rows.Close()
	var recs []*gongshi.Record
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		if n := len(recs); n == 0 || recs[n-1].ID != v.Record {
			recs = append(recs, &gongshi.Record{ID: v.Record, Kind: v.Kind, Subject: v.Subject})
		}
		r := recs[len(recs)-1]
		if n := len(r.Versions); n > 0 {
			v.Previous = r.Versions[n-1].SHA256
		}
		r.Versions = append(r.Versions, v)
	}
	return recs, rows.Err()
}

func readRecord(q queryer, d dialect, id int64) (*gongshi.Record, error) {
	recs, err := readRecords(q, d, `v.record = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "id", Message: fmt.Sprintf("no record %d", id), Fix: "take the id from a record of GET /api/v1/enterprises/{code}/records"}
	}
	return recs[0], nil
}

func (db *DB) RecordsOf(ctx context.Context, code string) ([]*gongshi.Record, error) {
	if len(code) != 18 { // a registration number: find its USCC
		e, _, err := enterpriseByCode(db.queryRow, code)
		if err != nil {
			return nil, err
		}
		code = e.USCC
	}
	// One query from the code (every enterprise has its registration record); the lookup
	// only tells "no such enterprise" apart.
	recs, err := readRecords(reader{db}, db.dialect, `e.uscc = ?`, code)
	if err == nil && len(recs) == 0 {
		if _, _, err := enterpriseByCode(db.queryRow, code); err != nil {
			return nil, err
		}
	}
	return recs, err
}

func (db *DB) Record(ctx context.Context, id string) (*gongshi.Record, error) {
	n, err := parseID(id)
	if err != nil {
		return nil, err
	}
	return readRecord(db.r, db.dialect, n)
}

func (db *DB) Document(ctx context.Context, sha string) ([]byte, *gongshi.Withdrawal, error) {
	sum, err := hex.DecodeString(sha)
	if err != nil || len(sum) != 32 {
		return nil, nil, gongshi.Invalid("sha256", "must be 64 hexadecimal characters", "take it from a version's sha256")
	}
	rows, err := db.r.QueryContext(ctx, db.dialect.rebind(`SELECT v.document, w.at, w.reason FROM versions v LEFT JOIN withdrawals w ON w.log_index = v.log_index WHERE v.sha_key = ?`), shaKey(sum))
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var doc []byte
		var at, reason sql.NullString
		if err := rows.Scan(&doc, &at, &reason); err != nil {
			return nil, nil, err
		}
		if s := sha256.Sum256(doc); hex.EncodeToString(s[:]) != strings.ToLower(sha) {
			continue // another document sharing the 8-byte key
		}
		if at.Valid {
			return doc, &gongshi.Withdrawal{At: parseTime(at.String), Reason: reason.String}, nil
		}
		return doc, nil, nil
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	return nil, nil, gongshi.Errorf(gongshi.ENOTFOUND, "no document with SHA-256 %s", sha)
}

const accountCols = `id, name, role, jurisdiction, enterprise, kinds, created_at`

func scanAccount(row *sql.Row) (*gongshi.Account, error) {
	var a gongshi.Account
	var role, kinds, created string
	if err := row.Scan(&a.ID, &a.Name, &role, &a.Jurisdiction, &a.Enterprise, &kinds, &created); err != nil {
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

func (db *DB) Account(ctx context.Context, id string) (*gongshi.Account, error) {
	return scanAccount(db.queryRow(`SELECT `+accountCols+` FROM accounts WHERE id = ?`, id))
}

func (db *DB) AccountByToken(ctx context.Context, tokenHash string) (*gongshi.Account, error) {
	return scanAccount(db.queryRow(`SELECT `+prefixCols("a.", accountCols)+` FROM tokens t JOIN accounts a ON a.id = t.account WHERE t.hash = ?`, tokenHash))
}

func (db *DB) PasswordHash(ctx context.Context, id string) (string, error) {
	var h string
	err := db.r.QueryRowContext(ctx, db.dialect.rebind(`SELECT password_hash FROM accounts WHERE id = ?`), id).Scan(&h)
	if err == sql.ErrNoRows {
		return "", gongshi.Errorf(gongshi.ENOTFOUND, "no such account")
	}
	return h, err
}

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
