package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/gongshi/gongshi/calendar"
)

// 20: the lists' sizes by day. The first page of a public list shows the list's size at
// each year's end since 2014 and on the day asked (gongshi.ListSizes). Counted from the
// entries, that was a count of every entry of the list in the jurisdiction for each of
// those 13 days: on 2.9 million entries (a provincial register's list) a first page of
// 26 s, or none (the request's 30 s ran out). list_days keeps, per list, division prefix
// (the empty prefix for all, and the 2-, 4- and 6-digit prefixes of each entry's
// division) and day, how many entries began (+1) and ended (-1) that day, so that the
// size on a day is the sum of the changes up to it: a read of the days on which the
// jurisdiction's list changed. Triggers on list_entries keep it, whatever statement
// writes an entry (PutListEntry, an enterprise's projection made again, a mirror's or an
// import's), and `gongshi verify --data` checks it against the entries (checkListDays).
//
// An entry is on its list on day d when it is not a corrected entry, since <= d, and its
// until_day is empty or after d: +1 on since, -1 on until_day, or on since when it ends
// before it begins, so that it never counts, as the entries' own condition says.
const listDaysSchema = `CREATE TABLE list_days (
		list_name TEXT NOT NULL,
		prefix TEXT NOT NULL,
		day TEXT NOT NULL,
		delta BIGINT NOT NULL,
		PRIMARY KEY (list_name, prefix, day)
	){{without rowid}}`

// listDayChanges selects, from list_entries aliased e (from = " FROM list_entries e") or
// from a trigger's row (e NEW or OLD, from = ""), each change an entry makes to its
// list's size: the list, the prefix of length n of the entry's division, the day and the
// change.
func listDayChanges(e, from string, n int) string {
	prefix := fmt.Sprintf("substr(%s.division, 1, %d)", e, n)
	return fmt.Sprintf(`SELECT %[1]s.list_name AS list_name, %[2]s AS prefix, %[1]s.since AS day, 1 AS delta%[3]s WHERE %[1]s.ended <> 'corrected'
		UNION ALL SELECT %[1]s.list_name, %[2]s, CASE WHEN %[1]s.until_day > %[1]s.since THEN %[1]s.until_day ELSE %[1]s.since END, -1%[3]s
		WHERE %[1]s.ended <> 'corrected' AND %[1]s.until_day <> ''`, e, prefix, from)
}

// listDayPrefixes are the lengths of the division prefixes list_days keeps.
var listDayPrefixes = []int{0, 2, 4, 6}

// listDaysSum is the changes of the entries of list_entries (from = " FROM list_entries
// e") or of a trigger's row (e NEW or OLD, from = ""), summed by list, prefix and day,
// times sign.
func listDaysSum(e, from, sign string) string {
	var parts []string
	for _, n := range listDayPrefixes {
		parts = append(parts, listDayChanges(e, from, n))
	}
	return `SELECT list_name, prefix, day, ` + sign + ` * SUM(delta) FROM (` + strings.Join(parts, " UNION ALL ") + `) c
		GROUP BY list_name, prefix, day`
}

// listDaysAdd adds listDaysSum's changes to list_days.
func listDaysAdd(e, from, sign string) string {
	return `INSERT INTO list_days (list_name, prefix, day, delta) ` + listDaysSum(e, from, sign) + `
		ON CONFLICT (list_name, prefix, day) DO UPDATE SET delta = list_days.delta + excluded.delta`
}

// fillListDays makes list_days from the entries there are, and the triggers that keep it.
func fillListDays(ctx context.Context, tx *sql.Tx, d dialect) error {
	stmts := []string{listDaysAdd("e", " FROM list_entries e", "1")}
	const cols = `list_name, division, since, until_day, ended`
	if d.postgres {
		stmts = append(stmts, `CREATE FUNCTION list_days_sync() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				IF TG_OP <> 'INSERT' THEN `+listDaysAdd("OLD", "", "-1")+`; END IF;
				IF TG_OP <> 'DELETE' THEN `+listDaysAdd("NEW", "", "1")+`; END IF;
				RETURN NULL;
			END $$`,
			`CREATE TRIGGER list_days_sync AFTER INSERT OR DELETE OR UPDATE OF `+cols+` ON list_entries
			FOR EACH ROW EXECUTE FUNCTION list_days_sync()`)
	} else {
		stmts = append(stmts,
			`CREATE TRIGGER list_days_insert AFTER INSERT ON list_entries BEGIN `+listDaysAdd("NEW", "", "1")+`; END`,
			`CREATE TRIGGER list_days_delete AFTER DELETE ON list_entries BEGIN `+listDaysAdd("OLD", "", "-1")+`; END`,
			`CREATE TRIGGER list_days_update AFTER UPDATE OF `+cols+` ON list_entries BEGIN `+
				listDaysAdd("OLD", "", "-1")+`; `+listDaysAdd("NEW", "", "1")+`; END`)
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%w\n%s", err, s)
		}
	}
	return nil
}

// ListSizes counts the entries of list (gongshi.ListAbnormal, with its markings, or
// gongshi.ListSerious) in the divisions starting with prefix on each of days, from
// list_days.
func (db *DB) ListSizes(ctx context.Context, list, prefix string, days []calendar.Date) ([]int, error) {
	if len(days) == 0 {
		return nil, nil
	}
	query, args := listSizesQuery(list, prefix, slices.MaxFunc(days, calendar.Date.Compare))
	rows, err := db.read(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	order := make([]int, len(days)) // days' indexes, earliest first
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return days[a].Compare(days[b]) })
	sizes := make([]int, len(days))
	size, next := 0, 0
	for rows.Next() {
		var day string
		var delta int
		if err := rows.Scan(&day, &delta); err != nil {
			return nil, err
		}
		for ; next < len(order) && days[order[next]].String() < day; next++ {
			sizes[order[next]] = size
		}
		size += delta
	}
	for ; next < len(order); next++ {
		sizes[order[next]] = size
	}
	return sizes, rows.Err()
}

// listSizesQuery reads the changes of list in the divisions starting with prefix up to
// last, by day. A prefix list_days keeps is one key; another (of 1, 3 or 5 digits) is
// the range of the next longer prefixes it holds.
func listSizesQuery(list, prefix string, last calendar.Date) (string, []any) {
	where, args := []string{"day <= ?", listNameIn("list_name", list)}, []any{last.String()}
	if slices.Contains(listDayPrefixes, len(prefix)) {
		where, args = append(where, "prefix = ?"), append(args, prefix)
	} else {
		cond, in := divisionIn("prefix", prefix)
		where, args = append(where, cond, "length(prefix) = ?"), append(append(args, in...), len(prefix)+1)
	}
	return `SELECT day, SUM(delta) FROM list_days` + whereAll(where) + ` GROUP BY day ORDER BY day`, args
}

// checkListDays checks list_days against the entries (which checkEntries checked against
// the log): every day's change for every list and prefix, none missing or extra.
func (a *auditor) checkListDays() error {
	want, err := a.query(3, listDaysSum("e", " FROM list_entries e", "1")+` HAVING SUM(delta) <> 0`)
	if err != nil {
		return fmt.Errorf("sum the list entries' changes by day: %w", err)
	}
	got, err := a.query(3, `SELECT list_name, prefix, day, delta FROM list_days WHERE delta <> 0`)
	if err != nil {
		return fmt.Errorf("read list_days: %w", err)
	}
	a.compare("list_days", []string{"delta"}, want, got)
	return nil
}
