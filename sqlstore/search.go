package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/initials"
)

// 5: the pinyin initials of each enterprise's name, for search tier 4 ("shjt" finds
// 上海杰图…), filled in for the enterprises already registered. PostgreSQL collates them "C"
// so that their ranges are byte ranges whatever the database's collation (SQLite's is binary).
const initialsSchema = `sqlite: ALTER TABLE enterprises ADD COLUMN initials TEXT NOT NULL DEFAULT '';
	postgres: ALTER TABLE enterprises ADD COLUMN initials TEXT COLLATE "C" NOT NULL DEFAULT '';
	CREATE INDEX enterprises_initials ON enterprises(initials, id);`

// fillInitials sets the initials of every enterprise from its name, a thousand at a time.
func fillInitials(ctx context.Context, tx *sql.Tx, d dialect) error {
	update, err := tx.PrepareContext(ctx, d.rebind(`UPDATE enterprises SET initials = ? WHERE id = ?`))
	if err != nil {
		return err
	}
	defer update.Close()
	for after := int64(0); ; {
		var ids []int64
		var names []string
		rows, err := tx.QueryContext(ctx, d.rebind(`SELECT id, name FROM enterprises WHERE id > ? ORDER BY id LIMIT 1000`), after)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return err
			}
			ids, names = append(ids, id), append(names, name)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i, id := range ids {
			if _, err := update.ExecContext(ctx, initials.Of(names[i]), id); err != nil {
				return fmt.Errorf("fill initials: %w", err)
			}
		}
		if len(ids) < 1000 {
			return nil
		}
		after = ids[len(ids)-1]
	}
}

// Search finds enterprises in five tiers, each in a stable order, and pages through them
// with a cursor (so there is no cap on results and no page counts every match):
//
//  1. USCCs equal to or starting with Q (by code);
//  2. registration numbers equal to or starting with Q, when Q is all digits;
//  3. names starting with Q (by name, then id);
//  4. pinyin initials of the name starting with Q, when Q is two or more ASCII letters of
//     either case: "shjt" finds 上海杰图天下网络科技有限公司 (by initials, then id);
//  5. names, former names or legal representatives containing Q (by id), found through
//     an index of character bigrams (FTS5 on SQLite, a GIN-indexed array on PostgreSQL)
//     and confirmed by a substring test.
//
// Tiers 4 and 5 leave out what an earlier name or initials tier found. A cursor is the tier,
// ':', the tier's sort key of the last hit, NUL, and its row id.
func (db *DB) Search(ctx context.Context, q gongshi.SearchQuery) (*gongshi.SearchResult, error) {
	tier, key, id, err := parseCursor(q.Cursor)
	if err != nil {
		return nil, err
	}
	want := q.Limit + 1
	var hits []*gongshi.Enterprise
	var keys []string // cursor of each hit
	for ; tier <= searchTiers && len(hits) < want; tier, key, id = tier+1, "", 0 {
		hs, ks, err := db.searchTier(ctx, tier, q.Q, key, id, want-len(hits))
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

const searchTiers = 5

func parseCursor(c string) (tier int, key string, id int64, err error) {
	if c == "" {
		return 1, "", 0, nil
	}
	t, rest, ok := strings.Cut(c, ":")
	key, i, ok2 := strings.Cut(rest, "\x00")
	tier, err1 := strconv.Atoi(t)
	id, err2 := strconv.ParseInt(i, 10, 64)
	if !ok || !ok2 || err1 != nil || err2 != nil || tier < 1 || tier > searchTiers {
		return 0, "", 0, gongshi.Invalid("cursor", "is not a cursor this server gave", "use the value of \"next\" from the previous page, or leave it out")
	}
	return tier, key, id, nil
}

const maxRune = "\U0010FFFF"

// searchTier returns up to limit hits of one tier after the hit with sort key key and row
// id id (none for the start of the tier), with the cursor of each.
func (db *DB) searchTier(ctx context.Context, tier int, q, key string, id int64, limit int) ([]*gongshi.Enterprise, []string, error) {
	var where string
	var args []any
	switch tier {
	case 1, 2: // USCC, then (for digits only) registration number, equal or by prefix
		code := strings.ToUpper(q)
		if strings.TrimFunc(code, isCodeRune) != "" || tier == 2 && strings.Trim(code, "0123456789") != "" {
			return nil, nil, nil
		}
		col := map[int]string{1: "uscc", 2: "regno"}[tier]
		where, args = col+` >= ? AND `+col+` < ? AND `+col+` > ? ORDER BY `+col, []any{code, code + "~", key}
	case 3:
		where = `name >= ? AND name < ? AND (name > ? OR (name = ? AND id > ?)) ORDER BY name, id`
		args = []any{q, q + maxRune, key, key, id}
	case 4:
		ini := initialsQuery(q)
		if ini == "" {
			return nil, nil, nil
		}
		// Initials hold only a–z and 0–9 (and are collated "C" on PostgreSQL), so "~" sorts
		// after every initials starting with ini.
		where = `initials >= ? AND initials < ? AND (initials, id) > (?, ?) AND NOT (name >= ? AND name < ?) ORDER BY initials, id`
		args = []any{ini, ini + "~", key, id, q, q + maxRune}
	case 5:
		grams := bigrams(q)
		if len(grams) == 0 {
			return nil, nil, nil
		}
		return db.searchGrams(ctx, q, grams, id, limit)
	}
	sortKey := map[int]string{1: "uscc", 2: "regno", 3: "name", 4: "initials"}[tier]
	return db.scanHits(ctx, tier, `SELECT `+enterpriseCols+`, `+sortKey+` FROM enterprises WHERE `+where+` LIMIT ?`, append(args, limit))
}

// initialsQuery returns q lower-cased when it is two or more ASCII letters, the queries that
// search pinyin initials, and "" for any other.
func initialsQuery(q string) string {
	if len(q) < 2 || strings.TrimFunc(q, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }) != "" {
		return ""
	}
	return strings.ToLower(q)
}

// scanHits runs a query for a tier's enterprises, each row enterpriseCols and then the
// tier's sort key, and returns them with the cursor of each.
func (db *DB) scanHits(ctx context.Context, tier int, query string, args []any) ([]*gongshi.Enterprise, []string, error) {
	rows, err := db.read(ctx, query, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var hits []*gongshi.Enterprise
	var keys []string
	for rows.Next() {
		var key string
		e, id, err := scanEnterprise(keyedRow{rows, &key})
		if err != nil {
			return nil, nil, err
		}
		hits, keys = append(hits, e), append(keys, strconv.Itoa(tier)+":"+key+"\x00"+strconv.FormatInt(id, 10))
	}
	return hits, keys, rows.Err()
}

// keyedRow scans a row of enterpriseCols followed by one more column into key.
type keyedRow struct {
	rows *sql.Rows
	key  *string
}

func (r keyedRow) Scan(dest ...any) error { return r.rows.Scan(append(dest, r.key)...) }

// searchGrams is tier 5: every bigram of q is in the enterprise's terms, q is a substring of
// a name or the legal representative, and neither the name (tier 3) nor, for a query of
// letters, the initials (tier 4) start with q.
func (db *DB) searchGrams(ctx context.Context, q string, grams []string, after int64, limit int) ([]*gongshi.Enterprise, []string, error) {
	var query string
	var match any
	if db.dialect.postgres {
		query = `SELECT ` + entCols("e.") + `, '' FROM search s JOIN enterprises e ON e.id = s.id
			WHERE s.terms @> ? AND s.id > ?`
		match = grams
	} else {
		query = `SELECT ` + entCols("e.") + `, '' FROM search s JOIN enterprises e ON e.id = s.rowid
			WHERE search MATCH ? AND s.rowid > ?`
		quoted := make([]string, len(grams))
		for i, g := range grams {
			quoted[i] = `"` + strings.ReplaceAll(g, `"`, `""`) + `"`
		}
		match = strings.Join(quoted, " ")
	}
	args := []any{match, after, q, q, q, q, q + maxRune}
	// Ordered by the index's own key: FTS5 yields rowids in order and PostgreSQL walks the
	// primary key, so the first page costs a page of matches, not all of them ("有限"
	// matches nearly every name).
	query += ` AND (strpos(e.name, ?) > 0 OR strpos(e.legal_rep, ?) > 0 OR strpos(e.former, ?) > 0)
		AND NOT (e.name >= ? AND e.name < ?)`
	if ini := initialsQuery(q); ini != "" {
		query += ` AND NOT (e.initials >= ? AND e.initials < ?)`
		args = append(args, ini, ini+"~")
	}
	query += ` ORDER BY s.id LIMIT ?`
	if !db.dialect.postgres {
		query = strings.ReplaceAll(strings.ReplaceAll(query, "strpos(", "instr("), "ORDER BY s.id", "ORDER BY s.rowid")
	}
	return db.scanHits(ctx, 5, query, append(args, limit))
}

// putSearch indexes an enterprise's names and legal representative as character bigrams.
func (t *tx) putSearch(id int64, isNew bool, terms gongshi.SearchTerms) error {
	grams := searchGrams(terms)
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

// searchGrams are the distinct bigrams of an enterprise's names and legal representative,
// in order: its terms in the search index.
func searchGrams(terms gongshi.SearchTerms) []string {
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
	return grams
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
