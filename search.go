package gongshi

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxSearchTerm is the longest search term, in characters: an enterprise name's longest
// (TextEnterpriseName). The cost of a search grows with its term; a cap keeps one request
// from taking seconds.
const MaxSearchTerm = 100

// checkSearchTerm checks a trimmed search term: two to MaxSearchTerm characters, visible
// ones only.
func checkSearchTerm(q string) error {
	n := utf8.RuneCountInString(q)
	switch {
	case n < 2:
		return Invalid("q", "must have at least two characters", "type two or more characters of a name, a code or a legal representative's name")
	case n > MaxSearchTerm:
		return Invalid("q", fmt.Sprintf("is %d characters long; a search term has at most %d", n, MaxSearchTerm),
			"search by a shorter part of the name, or by the code")
	}
	return checkChars("q", q, false)
}

// searchQuery checks a search, puts its term in NFC and opens its cursor: it returns the
// query as the store takes it and the scope to seal the next page's cursor in.
func (s *Registry) searchQuery(q SearchQuery) (SearchQuery, string, error) {
	q.Q = strings.TrimSpace(q.Q)
	if err := checkSearchTerm(q.Q); err != nil {
		return q, "", err
	}
	q.Q = norm.NFC.String(q.Q) // as the names it looks for are (CleanText)
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 20
	}
	scope := "search\x00" + q.Q
	pos, err := s.openCursor(scope, q.Cursor)
	q.Cursor = pos
	return q, scope, err
}
