package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/gongshi/gongshi"
)

// CopyToPostgres copies the register of the SQLite data folder dir, table by table with
// COPY FROM STDIN, into the PostgreSQL database at url, which must hold an empty register
// (or none: it is made). It is PostgreSQL's bulk load: a load written on SQLite, whose
// writes cost no network round trip, then copied in one transaction — the same rows, so
// the same log, tree hashes and checkpoints. The search table, which SQLite keeps in a
// full-text index that holds no text, is made from the enterprises' names and legal
// representatives as the write path makes it. The indexes only reads use are built after
// the copy. progress, if set, is told of each table copied.
func CopyToPostgres(ctx context.Context, dir, url string, progress func(table string, rows int64)) error {
	// Make (or check) the schema, and drop the read-only indexes for the copy.
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	pg, err := Open(ctx, Config{URL: url, Bulk: true, Logger: quiet})
	if err != nil {
		return err
	}
	if n, _ := pg.TreeSize(ctx); n > 0 {
		pg.Close()
		return fmt.Errorf("the PostgreSQL register already holds %d record versions: copy into an empty database", n)
	}
	if err := pg.StartBulk(ctx); err != nil {
		pg.Close()
		return err
	}
	if err := pg.Close(); err != nil {
		return err
	}

	src, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "gongshi.db")+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer src.Close()
	src.SetMaxOpenConns(1)
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tables, err := pgTables(ctx, conn)
	if err != nil {
		return err
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	// list_days is copied with the rest: the trigger that keeps it would count each entry
	// again as it is copied.
	if _, err := tx.Exec(ctx, `ALTER TABLE list_entries DISABLE TRIGGER list_days_sync`); err != nil {
		return err
	}
	for _, t := range tables {
		switch t.name {
		case "schema_migrations", "sequencer": // the PostgreSQL register's own
			continue
		}
		var n int64
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM `+pgx.Identifier{t.name}.Sanitize()).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("the PostgreSQL table %s holds %d rows: copy into an empty database", t.name, n)
		}
		var rows pgx.CopyFromSource
		if t.name == "search" {
			rows, err = searchRows(ctx, src)
		} else {
			rows, err = sqliteRows(ctx, src, t)
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", t.name, err)
		}
		copied, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, rows)
		if err != nil {
			return fmt.Errorf("copy %s: %w", t.name, err)
		}
		if progress != nil {
			progress(t.name, copied)
		}
	}
	if _, err := tx.Exec(ctx, `ALTER TABLE list_entries ENABLE TRIGGER list_days_sync`); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit the copy: %w", err)
	}
	// Build the indexes (Open does, for a register whose bulk load did not) and plan.
	pg, err = Open(ctx, Config{URL: url, Logger: quiet})
	if err != nil {
		return err
	}
	if err := pg.Close(); err != nil {
		return err
	}
	_, err = conn.Exec(ctx, `ANALYZE`)
	return err
}

// pgTable is a table of the PostgreSQL register: its columns and their types.
type pgTable struct {
	name    string
	cols    []string
	types   []string
	notNull []bool
}

func pgTables(ctx context.Context, conn *pgx.Conn) ([]pgTable, error) {
	rows, err := conn.Query(ctx, `SELECT table_name, column_name, data_type, is_nullable = 'NO' FROM information_schema.columns
		WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pgTable
	for rows.Next() {
		var t, c, typ string
		var notNull bool
		if err := rows.Scan(&t, &c, &typ, &notNull); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].name != t {
			out = append(out, pgTable{name: t})
		}
		last := &out[len(out)-1]
		last.cols, last.types, last.notNull = append(last.cols, c), append(last.types, typ), append(last.notNull, notNull)
	}
	return out, rows.Err()
}

// sqliteRows reads t's columns from the SQLite table of the same name, each value as
// PostgreSQL's column takes it.
func sqliteRows(ctx context.Context, src *sql.DB, t pgTable) (pgx.CopyFromSource, error) {
	q := "SELECT "
	for i, c := range t.cols {
		if i > 0 {
			q += ", "
		}
		q += `"` + c + `"`
	}
	rows, err := src.QueryContext(ctx, q+` FROM "`+t.name+`"`)
	if err != nil {
		return nil, err
	}
	return &rowSource{rows: rows, vals: make([]any, len(t.cols)), types: t.types, notNull: t.notNull}, nil
}

type rowSource struct {
	rows    *sql.Rows
	vals    []any
	types   []string
	notNull []bool
}

func (s *rowSource) Next() bool {
	if s.rows.Next() {
		return true
	}
	s.rows.Close()
	return false
}

func (s *rowSource) Values() ([]any, error) {
	ptrs := make([]any, len(s.vals))
	for i := range s.vals {
		ptrs[i] = &s.vals[i]
	}
	if err := s.rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	out := make([]any, len(s.vals))
	for i, v := range s.vals {
		if b, ok := v.([]byte); ok && b == nil {
			v = nil
		}
		if v == nil && s.notNull[i] {
			// The driver reads an empty blob or text as nil; a NOT NULL column (SQLite
			// holds it so too) cannot have held NULL.
			switch s.types[i] {
			case "bytea":
				v = []byte{}
			case "text":
				v = ""
			}
		}
		out[i] = pgValue(v, s.types[i])
	}
	return out, nil
}

func (s *rowSource) Err() error { return s.rows.Err() }

// pgValue is a SQLite value as a PostgreSQL column of type typ takes it: SQLite keeps
// what it was given, whatever the column's declared type.
func pgValue(v any, typ string) any {
	switch typ {
	case "bytea":
		if s, ok := v.(string); ok {
			return []byte(s)
		}
	case "text", "character varying":
		switch x := v.(type) {
		case []byte:
			return string(x)
		case int64:
			return strconv.FormatInt(x, 10)
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
	case "bigint", "integer", "smallint":
		switch x := v.(type) {
		case string:
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				return n
			}
		case []byte:
			if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
				return n
			}
		}
	}
	return v
}

// searchRows makes the search table's rows from the enterprises, as putSearch does from
// their projection (gongshi.Enterprise's search terms: name, former names, legal
// representative).
func searchRows(ctx context.Context, src *sql.DB) (pgx.CopyFromSource, error) {
	rows, err := src.QueryContext(ctx, `SELECT id, name, former, legal_rep FROM enterprises ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return &searchSource{rows: rows}, nil
}

type searchSource struct {
	rows *sql.Rows
}

func (s *searchSource) Next() bool {
	if s.rows.Next() {
		return true
	}
	s.rows.Close()
	return false
}

func (s *searchSource) Values() ([]any, error) {
	var id int64
	var name, former, rep string
	if err := s.rows.Scan(&id, &name, &former, &rep); err != nil {
		return nil, err
	}
	var fs []string
	if err := json.Unmarshal([]byte(former), &fs); err != nil {
		return nil, fmt.Errorf("enterprise %d: former names %q: %w", id, former, err)
	}
	grams := searchGrams(gongshi.SearchTerms{Names: append([]string{name}, fs...), LegalRep: rep})
	if grams == nil {
		grams = []string{}
	}
	return []any{id, grams}, nil
}

func (s *searchSource) Err() error { return s.rows.Err() }
