package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/gongshi/gongshi"
)

// Search finds enterprises in four tiers, each in a stable order, and pages through them
// with a cursor (so there is no cap on results and no page counts every match):
//
//  1. USCCs equal to or starting with Q (by code);
//  2. registration numbers equal to or starting with Q, when Q is all digits;
//  3. names starting with Q (by name, then id);
//  4. names, former names or legal representatives containing Q (by id), found through
//     an index of character bigrams (FTS5 on SQLite, a GIN-indexed array on PostgreSQL)
//     and confirmed by a substring test.
func (db *DB) Search(ctx context.Context, q gongshi.SearchQuery) (*gongshi.SearchResult, error) {
	tier, key, err := parseCursor(q.Cursor)
	if err != nil {
		return nil, err
	}
	want := q.Limit + 1
	var hits []*gongshi.Enterprise
	var keys []string // cursor of each hit
	for ; tier <= 4 && len(hits) < want; tier, key = tier+1, "" {
		hs, ks, err := db.searchTier(ctx, tier, q.Q, key, want-len(hits))
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		hits, keys = append(hits, hs...), append(keys, ks...)
	}
	res := &gongshi.SearchResult{Hits: hits}
	if len(hits) > q.Limit {
		res.Hits = hits[:q.Limit]
		res.Next = keys[q.Limit-1]
	}
	if res.Hits == nil {
		res.Hits = []*gongshi.Enterprise{}
	}
	return res, nil
}

func parseCursor(c string) (int, string, error) {
	if c == "" {
		return 1, "", nil
	}
	t, k, ok := strings.Cut(c, ":")
	n, err := strconv.Atoi(t)
	if !ok || err != nil || n < 1 || n > 4 {
		return 0, "", gongshi.Invalid("cursor", "is not a cursor this server gave", "use the value of \"next\" from the previous page, or leave it out")
	}
	return n, k, nil
}

const maxRune = "\U0010FFFF"

func (db *DB) searchTier(ctx context.Context, tier int, q, after string, limit int) ([]*gongshi.Enterprise, []string, error) {
	var where string
	var args []any
	cursor := func(e *gongshi.Enterprise, id int64) string { return "" }
	switch tier {
	case 1, 2: // USCC, then (for digits only) registration number, equal or by prefix
		code := strings.ToUpper(q)
		if strings.TrimFunc(code, isCodeRune) != "" || tier == 2 && strings.Trim(code, "0123456789") != "" {
			return nil, nil, nil
		}
		col := map[int]string{1: "uscc", 2: "regno"}[tier]
		where, args = col+` >= ? AND `+col+` < ? AND `+col+` > ? ORDER BY `+col, []any{code, code + "~", after}
		cursor = func(e *gongshi.Enterprise, id int64) string {
			if tier == 1 {
				return "1:" + e.USCC
			}
			return "2:" + e.RegNo
		}
	case 3:
		name, id := q, int64(0)
		if after != "" {
			n, i, _ := strings.Cut(after, "\x00")
			name, id = n, atoi(i)
		}
		where = `name >= ? AND name < ? AND (name > ? OR (name = ? AND id > ?)) ORDER BY name, id`
		args = []any{q, q + maxRune, name, name, id}
		cursor = func(e *gongshi.Enterprise, id int64) string {
			return "3:" + e.Name + "\x00" + strconv.FormatInt(id, 10)
		}
	case 4:
		grams := bigrams(q)
		if len(grams) == 0 {
			return nil, nil, nil
		}
		return db.searchGrams(ctx, q, grams, atoi(after), limit)
	}
	return db.scanHits(ctx, `SELECT `+enterpriseCols+` FROM enterprises WHERE `+where+` LIMIT ?`, append(args, limit), cursor)
}

// scanHits runs a query for enterprises and returns them with the cursor of each.
func (db *DB) scanHits(ctx context.Context, query string, args []any, cursor func(*gongshi.Enterprise, int64) string) ([]*gongshi.Enterprise, []string, error) {
	rows, err := db.r.QueryContext(ctx, db.dialect.rebind(query), args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var hits []*gongshi.Enterprise
	var keys []string
	for rows.Next() {
		e, id, err := scanEnterprise(rows)
		if err != nil {
			return nil, nil, err
		}
		hits, keys = append(hits, e), append(keys, cursor(e, id))
	}
	return hits, keys, rows.Err()
}

// searchGrams is tier 4: every bigram of q is in the enterprise's terms, q is a substring of
// a name or the legal representative, and the name does not start with q (tier 3 had those).
func (db *DB) searchGrams(ctx context.Context, q string, grams []string, after int64, limit int) ([]*gongshi.Enterprise, []string, error) {
	var query string
	var match any
	if db.dialect.postgres {
		query = `SELECT ` + entCols("e.") + ` FROM search s JOIN enterprises e ON e.id = s.id
			WHERE s.terms @> ? AND s.id > ?`
		match = grams
	} else {
		query = `SELECT ` + entCols("e.") + ` FROM search s JOIN enterprises e ON e.id = s.rowid
			WHERE search MATCH ? AND s.rowid > ?`
		quoted := make([]string, len(grams))
		for i, g := range grams {
			quoted[i] = `"` + strings.ReplaceAll(g, `"`, `""`) + `"`
		}
		match = strings.Join(quoted, " ")
	}
	// Ordered by the index's own key: FTS5 yields rowids in order and PostgreSQL walks the
	// primary key, so the first page costs a page of matches, not all of them ("有限"
	// matches nearly every name).
	query += ` AND (strpos(e.name, ?) > 0 OR strpos(e.legal_rep, ?) > 0 OR strpos(e.former, ?) > 0)
		AND NOT (e.name >= ? AND e.name < ?) ORDER BY s.id LIMIT ?`
	if !db.dialect.postgres {
		query = strings.ReplaceAll(strings.ReplaceAll(query, "strpos(", "instr("), "ORDER BY s.id", "ORDER BY s.rowid")
	}
	return db.scanHits(ctx, query, []any{match, after, q, q, q, q, q + maxRune, limit},
		func(_ *gongshi.Enterprise, id int64) string { return "4:" + strconv.FormatInt(id, 10) })
}

// putSearch indexes an enterprise's names and legal representative as character bigrams.
func (t *tx) putSearch(id int64, isNew bool, terms gongshi.SearchTerms) error {
	seen := map[string]bool{}
	var grams []string
	for _, s := range append(terms.Names, terms.LegalRep) {
		for _, g := range bigrams(s) {
			if !seen[g] {
				seen[g] = true
				grams = append(grams, g)
			}
		}
	}
	if t.db.dialect.postgres {
		_, err := t.exec(`INSERT INTO search (id, terms) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET terms = excluded.terms`, id, grams)
		return err
	}
	if !isNew {
		if _, err := t.exec(`DELETE FROM search WHERE rowid = ?`, id); err != nil {
			return err
		}
	}
	_, err := t.exec(`INSERT INTO search (rowid, terms) VALUES (?, ?)`, id, strings.Join(grams, " "))
	return err
}

// bigrams returns the overlapping two-character pieces of s, lower-cased, skipping
// pieces with spaces or punctuation (which the FTS tokenizer would split anyway).
func bigrams(s string) []string {
	rs := []rune(strings.ToLower(s))
	var out []string
	for i := 0; i+1 < len(rs); i++ {
		if isWordRune(rs[i]) && isWordRune(rs[i+1]) {
			out = append(out, string(rs[i:i+2]))
		}
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isCodeRune(r rune) bool { return r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' }

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
