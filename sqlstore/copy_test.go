package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/translog"
)

// TestCopyToPostgres: a SQLite register (storetest.Populate: every kind of row) copied into
// an empty PostgreSQL database with COPY passes the audit there (the log, every stored hash
// and every current-state row, the search terms made from the enterprises included), has
// the same tree root, and answers every enterprise's page and records, searches and the
// lists as the SQLite one does. A second copy into it is refused.
func TestCopyToPostgres(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	vkey := populated(t, sqlstore.Config{Dir: dir, DictAfter: tamperDictAfter}) // the copy carries the dictionaries
	url := PostgresURL(t)
	if err := sqlstore.CopyToPostgres(ctx, dir, url, nil); err != nil {
		t.Fatal(err)
	}
	lite, err := sqlstore.Open(ctx, sqlstore.Config{Dir: dir, Shared: true})
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg, err := sqlstore.Open(ctx, sqlstore.Config{URL: url, Shared: true})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if n := verify(t, pg, vkey); n != 0 {
		t.Errorf("the copy has %d problems", n)
	}
	root := func(db *sqlstore.DB) string {
		n, _ := db.TreeSize(ctx)
		h, err := translog.TreeHash(n, translog.HashReader(ctx, db))
		if err != nil {
			t.Fatal(err)
		}
		return h.String()
	}
	if a, b := root(lite), root(pg); a != b {
		t.Errorf("tree root: SQLite %s, the copy %s", a, b)
	}

	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "gongshi.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var codes []string
	rows, err := raw.Query(`SELECT uscc FROM enterprises ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		rows.Scan(&c)
		codes = append(codes, c)
	}
	rows.Close()
	if len(codes) == 0 {
		t.Fatal("no enterprises to compare")
	}
	key := []byte("one cursor key for both services")
	svcs := []*gongshi.Service{gongshi.New(gongshi.Config{Store: lite, Clock: gongshi.SystemClock{}, CursorKey: key}),
		gongshi.New(gongshi.Config{Store: pg, Clock: gongshi.SystemClock{}, CursorKey: key})}
	same := func(what string, read func(s *gongshi.Service) (any, error)) {
		t.Helper()
		var got [2]string
		for i, s := range svcs {
			v, err := read(s)
			b, _ := json.Marshal(v)
			got[i] = string(b) + "; error: " + gongshi.ErrorCode(err)
		}
		if got[0] != got[1] {
			i := 0
			for i < len(got[0]) && i < len(got[1]) && got[0][i] == got[1][i] {
				i++
			}
			from := max(i-200, 0)
			t.Errorf("%s: from byte %d, SQLite answers …%.400s\nthe copy …%.400s", what, i, got[0][from:], got[1][from:])
		}
	}
	for _, c := range codes {
		same("page "+c, func(s *gongshi.Service) (any, error) { return s.Page(ctx, nil, c) })
		same("records "+c, func(s *gongshi.Service) (any, error) {
			e, rs, err := s.Records(ctx, nil, c)
			return []any{e, rs}, err
		})
	}
	for _, q := range []string{"有限", "公司", "科技", "上海", codes[0][:8]} {
		same("search "+q, func(s *gongshi.Service) (any, error) { return s.Search(ctx, gongshi.SearchQuery{Q: q, Limit: 50}) })
	}
	for _, l := range []string{gongshi.ListAbnormal, gongshi.ListSerious} {
		same("list "+l, func(s *gongshi.Service) (any, error) { return s.List(ctx, gongshi.ListInput{List: l}) })
	}
	if err := sqlstore.CopyToPostgres(ctx, dir, url, nil); err == nil {
		t.Error("a second copy into the same database: no error")
	}
}
