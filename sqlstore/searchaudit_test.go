package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/storetest"
)

// TestFTSTokens: for every letter and digit Go knows, ftsTokens makes of the terms that
// putSearch can give the index with it (the letter before another letter, and twice) the
// tokens FTS5's unicode61 tokenizer makes, as the search table is declared: the audit of
// the index (checkSearchIndex) would otherwise report the names holding it.
func TestFTSTokens(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	decl := registerSchema[strings.Index(registerSchema, "CREATE VIRTUAL TABLE search"):]
	decl = decl[:strings.Index(decl, ";")]
	for _, q := range []string{decl, `CREATE VIRTUAL TABLE temp.pairs USING fts5vocab(main, search, instance)`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64][]string{}
	row := int64(0)
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !isWordRune(r) {
			continue
		}
		l := strings.ToLower(string(r))
		for _, term := range []string{l + "a", l + l} {
			row++
			if _, err := tx.Exec(`INSERT INTO search (rowid, terms) VALUES (?, ?)`, row, term); err != nil {
				t.Fatal(err)
			}
			want[row] = indexTokens(ftsTokens(term))
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`SELECT term, doc FROM temp.pairs`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64][]string{}
	for rows.Next() {
		var term string
		var doc int64
		if err := rows.Scan(&term, &doc); err != nil {
			t.Fatal(err)
		}
		got[doc] = append(got[doc], term)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	bad := 0
	for row, w := range want {
		g := got[row]
		slices.Sort(g)
		slices.Sort(w)
		if !slices.Equal(g, w) {
			if bad++; bad <= 20 {
				t.Errorf("row %d: the tokenizer makes %q, ftsTokens %q", row, g, w)
			}
		}
	}
	if bad > 0 || len(want) < 200_000 {
		t.Errorf("%d of %d terms differ", bad, len(want))
	}
}

// TestAuditNamesFTSFolds: names with letters FTS5 folds or splits otherwise than Go
// (ftsTokens) are found by a search and pass the audit of the index.
func TestAuditNamesFTSFolds(t *testing.T) {
	ctx := context.Background()
	clock := storetest.NewClock(storetest.At("2026-06-01T09:00:00+08:00"))
	db, err := Open(ctx, Config{Dir: t.TempDir(), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := gongshi.New(gongshi.Config{Store: db, Clock: clock, Rules: policy.DefaultRules()})
	reg := &gongshi.Account{ID: "reg", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"}
	for i, name := range []string{"西双版纳ᦵᦰ傣文µ科技有限公司", "上海ςϐ希腊ſ贸易有限公司"} {
		if _, _, err := svc.Register(ctx, reg, storetest.Registration(storetest.USCC(i), name, "李四")); err != nil {
			t.Fatalf("register %s: %v", name, err)
		}
	}
	for _, q := range []string{"µ科技", "傣文", "ᦵᦰ傣", "纳ᦵ"} {
		if res, err := svc.Search(ctx, gongshi.SearchQuery{Q: q, Limit: 20}); err != nil || len(res.Hits) != 1 {
			t.Errorf("search %q: %v, %v; want the enterprise", q, res, err)
		}
	}
	st, err := db.AuditState(ctx, nil)
	if err != nil || st.ProblemN != 0 {
		t.Fatalf("audit: %v, %+v", err, st)
	}
}
