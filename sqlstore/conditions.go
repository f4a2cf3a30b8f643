package sqlstore

import "strings"

// divisionIn is the condition that col, a six-digit division code, starts with prefix, as
// an equality or a range an index on col serves; LIKE, which none serves here (SQLite's
// LIKE ignores case, the indexes do not), read every row of the table. The codes are
// digits, so those that start with a shorter prefix lie from prefix up to, not including,
// prefix with its last digit one more. No prefix: no condition ("").
func divisionIn(col, prefix string) (string, []any) {
	switch {
	case prefix == "":
		return "", nil
	case len(prefix) == 6:
		return col + ` = ?`, []any{prefix}
	}
	end := prefix[:len(prefix)-1] + string(prefix[len(prefix)-1]+1)
	return col + ` >= ? AND ` + col + ` < ?`, []any{prefix, end}
}

// whereAll is the WHERE clause of the conditions conds, all of them, with a space before
// it; "" for none.
func whereAll(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return ` WHERE ` + strings.Join(conds, " AND ")
}
