package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"unicode"
)

// SQLite's full-text index (FTS5, contentless) keeps no text, only each term's list of the
// rows that hold it. AuditState checked it with a lookup per enterprise of every term of
// its names, which walked the lists of the common terms ("有限", "公司") and cost more as the
// register grew: ~4–5 ms of CPU an enterprise at 1M, most of a verify that would have taken
// an hour. Now it adds up the (term, enterprise) pairs the logged names make, as it checks
// the enterprises, into a homomorphic hash (ltHash), and the index's own pairs, read once
// in term order (fts5vocab), into another: equal sums say the index holds exactly those
// pairs — none missing, which would hide an enterprise from a search, and none added.
// Counts per term name the terms whose lists differ.
//
// The pairs are the tokens FTS5's unicode61 tokenizer makes of the terms putSearch gives
// the index (distinct, lower-cased bigrams of letters and digits): for all but a few
// letters, the terms themselves (ftsTokens).

// ltHash is LtHash16 (Bellare and Micciancio's additive hash, as Lewi, Kim, Maykov and
// Weis specify it for sets of updates: 1024 sums of 16 bits, ~200 bits of security): a
// set's hash is the sum of its elements', and equal sums mean equal sets. An element's
// hash is 2 KiB of ChaCha8 keyed with its SHA-256.
type ltHash [1024]uint16

func (h *ltHash) add(elem []byte) {
	var out [2048]byte
	rand.NewChaCha8(sha256.Sum256(elem)).Read(out[:])
	for i := range h {
		h[i] += binary.LittleEndian.Uint16(out[2*i:])
	}
}

func (h *ltHash) combine(o *ltHash) {
	for i := range h {
		h[i] += o[i]
	}
}

// searchPair is the element of ltHash a term of an enterprise's row in the index is.
func searchPair(buf []byte, term string, row int64) []byte {
	buf = append(buf[:0], term...)
	buf = append(buf, 0)
	return binary.BigEndian.AppendUint64(buf, uint64(row))
}

// searchAudit is what the audit keeps of the pairs of the enterprises it checked.
type searchAudit struct {
	sum   ltHash
	pairs int64
	terms map[string]int64 // how many enterprises each term should find
}

// addSearchPairs adds the pairs of a batch of enterprises, hashed on every core.
func (a *auditor) addSearchPairs(ps []projection) {
	s := &a.search
	if s.terms == nil {
		s.terms = map[string]int64{}
	}
	grams := make([][]string, len(ps))
	sums := make([]ltHash, runtime.GOMAXPROCS(0))
	a.db.eachOnCores(len(sums), func(w int) {
		var buf []byte
		for i := w; i < len(ps); i += len(sums) {
			grams[i] = indexTokens(searchGrams(ps[i].Terms))
			for _, g := range grams[i] {
				buf = searchPair(buf, g, ps[i].ID)
				sums[w].add(buf)
			}
		}
	})
	for w := range sums {
		s.sum.combine(&sums[w])
	}
	for _, gs := range grams {
		s.pairs += int64(len(gs))
		for _, g := range gs {
			s.terms[g]++
		}
	}
}

// checkSearchIndex reads the index's pairs once, in term order, and compares their sum
// and their counts per term with the enterprises'.
func (a *auditor) checkSearchIndex() error {
	conn, err := a.db.scans.Conn(a.ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// A temporary table, on this connection alone: the scans' connections are read-only
	// for the database, not for their own temporary tables.
	for _, q := range []string{`PRAGMA query_only=0`, `CREATE VIRTUAL TABLE temp.search_pairs USING fts5vocab(main, search, instance)`, `PRAGMA query_only=1`} {
		if _, err := conn.ExecContext(a.ctx, q); err != nil {
			return fmt.Errorf("read the search index's terms: %s: %w", q, err)
		}
	}
	defer func() {
		ctx := context.WithoutCancel(a.ctx)
		for _, q := range []string{`PRAGMA query_only=0`, `DROP TABLE temp.search_pairs`, `PRAGMA query_only=1`} {
			conn.ExecContext(ctx, q)
		}
	}()
	rows, err := conn.QueryContext(a.ctx, `SELECT term, doc FROM temp.search_pairs`)
	if err != nil {
		return fmt.Errorf("read the search index's terms: %w", err)
	}
	defer rows.Close()
	var (
		got    ltHash
		pairs  int64
		term   string
		n      int64
		chunk  []indexPair
		differ []string
	)
	want := a.search.terms
	endTerm := func() {
		if term != "" && n != want[term] {
			differ = append(differ, fmt.Sprintf("%q: %d enterprises, the log's names make %d", term, n, want[term]))
		}
		delete(want, term)
	}
	hash := func() {
		sums := make([]ltHash, runtime.GOMAXPROCS(0))
		a.db.eachOnCores(len(sums), func(w int) {
			var buf []byte
			for i := w; i < len(chunk); i += len(sums) {
				buf = searchPair(buf, chunk[i].term, chunk[i].row)
				sums[w].add(buf)
			}
		})
		for w := range sums {
			got.combine(&sums[w])
		}
		chunk = chunk[:0]
	}
	for rows.Next() {
		var p indexPair
		if err := rows.Scan(&p.term, &p.row); err != nil {
			return err
		}
		if p.term != term {
			endTerm()
			term, n = p.term, 0
		}
		n++
		pairs++
		if chunk = append(chunk, p); len(chunk) == 8192 {
			hash()
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the search index's terms: %w", err)
	}
	endTerm()
	hash()
	for t, n := range want {
		differ = append(differ, fmt.Sprintf("%q: none, the log's names make %d", t, n))
	}
	if got == a.search.sum && len(differ) == 0 {
		return nil
	}
	slices.Sort(differ)
	const shown = 20
	more := ""
	if len(differ) > shown {
		more = fmt.Sprintf(" and %d more", len(differ)-shown)
		differ = differ[:shown]
	}
	a.problem("search: the full-text index does not hold exactly the terms of the enterprises' names: %d (term, enterprise) pairs, the log's names make %d; terms whose enterprises differ: %v%s (rebuild the index from the enterprises' rows once they are sound)",
		pairs, a.search.pairs, differ, more)
	return nil
}

// indexTokens are the distinct tokens the index makes of an enterprise's terms: the terms
// themselves, unless one has a letter ftsTokens changes.
func indexTokens(terms []string) []string {
	if !slices.ContainsFunc(terms, func(t string) bool { return !ftsPlain(t) }) {
		return terms
	}
	seen := map[string]bool{}
	var out []string
	for _, t := range terms {
		for _, k := range ftsTokens(t) {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}

// ftsTokens are the tokens FTS5's unicode61 tokenizer makes of a term, a lower-cased
// string of Go's letters and digits. Its tables are of an older Unicode than Go's, and
// differ on a few letters (TestFTSTokens checks every letter and digit against the real
// tokenizer): it folds µ, ſ, ς, ϐ, ϑ, ϕ, ϖ, ϰ, ϱ, ϵ, ẛ and ι (U+1FBE) as their upper case's
// lower case; and it takes the vowel and tone signs of New Tai Lue (U+19B0–U+19C0,
// U+19C8–U+19C9) and two Vedic signs (U+1CF2–U+1CF3) for marks, which end a token.
func ftsTokens(term string) []string {
	if ftsPlain(term) {
		return []string{term}
	}
	var toks []string
	var cur []rune
	for _, r := range term {
		if ftsMark(r) {
			if len(cur) > 0 {
				toks = append(toks, string(cur))
			}
			cur = cur[:0]
			continue
		}
		cur = append(cur, ftsFold(r))
	}
	if len(cur) > 0 {
		toks = append(toks, string(cur))
	}
	return toks
}

// ftsPlain reports whether term is one token of the tokenizer's, as it is.
func ftsPlain(term string) bool {
	for _, r := range term {
		if ftsMark(r) || ftsFold(r) != r {
			return false
		}
	}
	return term != ""
}

func ftsMark(r rune) bool {
	return r >= 0x19B0 && r <= 0x19C0 || r == 0x19C8 || r == 0x19C9 || r == 0x1CF2 || r == 0x1CF3
}

func ftsFold(r rune) rune {
	switch r {
	case 'µ', 'ſ', 'ς', 'ϐ', 'ϑ', 'ϕ', 'ϖ', 'ϰ', 'ϱ', 'ϵ', 'ẛ', '\u1fbe':
		return unicode.ToLower(unicode.ToUpper(r))
	}
	return r
}

type indexPair struct {
	term string
	row  int64
}
