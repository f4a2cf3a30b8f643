package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// ListEntries implements gongshi.Store: a page of q's list, read as listPlan says.
func (db *DB) ListEntries(ctx context.Context, q gongshi.ListQuery) ([]*gongshi.ListEntry, string, error) {
	plan, err := db.listPlan(ctx, q)
	if err != nil {
		return nil, "", err
	}
	if plan.none {
		return []*gongshi.ListEntry{}, "", nil
	}
	query, args := listPageQuery(q, plan)
	es, err := scanEntries(db.read(ctx, query, args...))
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(es) > q.Limit {
		es = es[:q.Limit]
		next = es[len(es)-1].ID
	}
	return es, next, nil
}

// listRead is how ListEntries reads a page of a list (listPlan, listPageQuery).
type listRead struct {
	none bool // the division prefix holds none of the list on the day: nothing to read
	// byID reads in the entries' order, by no index on list or division, the read
	// stopping at the page's end; from its first id, when not 0: no entry the page can
	// hold has a smaller one.
	byID  bool
	first int64
	// index, if set, is the index SQLite reads the page by: on division, or on a filter
	// that few of the list's entries pass; what it gives is sorted.
	index string
}

// listPlan says how ListEntries reads a page of q's list. SQLite has no statistics to
// choose by, so the plan is chosen here, from list_days and the indexes:
//   - a division prefix that holds none of the list on q.AsOf: nothing to read
//     (PostgreSQL, estimating many, read the whole list by id for them: 3.2 s on 2.9
//     million entries);
//   - a district, or a prefix holding less than a hundredth of the list on q.AsOf: by the
//     index on list and division, its entries sorted (named: by the filters' indexes, a
//     page of a city's list would read every entry of ground 1);
//   - the whole list, or a prefix that holds much of it: in id order (listFilterPlan),
//     unless a filter on the listing date or the ground passes few entries.
//
// PostgreSQL's planner, which has statistics, chooses well among the same indexes
// (checked on 2.9 million generated entries).
func (db *DB) listPlan(ctx context.Context, q gongshi.ListQuery) (listRead, error) {
	if q.Prefix != "" {
		in, err := db.ListSizes(ctx, q.List, q.Prefix, []calendar.Date{q.AsOf})
		if err != nil || in[0] == 0 {
			return listRead{none: err == nil}, err
		}
		if db.dialect.postgres {
			return listRead{}, nil
		}
		byDivision := listRead{index: "list_entries_division"}
		if len(q.Prefix) == 6 {
			return byDivision, nil
		}
		all, err := db.ListSizes(ctx, q.List, "", []calendar.Date{q.AsOf})
		if err != nil || in[0]*100 < all[0] {
			return byDivision, err
		}
	} else if db.dialect.postgres {
		return listRead{}, nil
	}
	return db.listFilterPlan(ctx, q)
}

// fewListEntries is how many entries a filter may pass for listFilterPlan to read them by
// its index: a few milliseconds' read and sort.
const fewListEntries = 5000

// listFilterPlan chooses, for a page of the whole list or of a prefix holding much of it
// on SQLite, between the index on a filter (the listing date, the ground) that passes
// fewer than fewListEntries (db.fewEntries) of the list's entries, counted by the index
// up to that many, and the id order. In id order a rare filter passed over every entry that fails it
// before the page was full: on 2.9 million entries, 2.4 s for a page of those listed in
// the last days (since), which a client polling for new listings asks, and 2.1 s for a
// rare ground. In id order with since, the read begins at the smallest id of an entry
// listed on or after it (firstListedSinceQuery): the entries come in about the order they were
// listed, so the read passes over few of those listed earlier.
func (db *DB) listFilterPlan(ctx context.Context, q gongshi.ListQuery) (listRead, error) {
	for _, f := range []struct {
		on    bool
		index string
		cond  string
		arg   any
	}{
		{q.Since != "", "list_entries_since", "since >= ?", q.Since},
		{q.Ground != 0, "list_entries_ground", "ground = ?", q.Ground},
	} {
		if !f.on {
			continue
		}
		var n int
		if err := db.readRow(ctx, listFilterCountQuery(q.List, f.index, f.cond), f.arg, db.fewEntries).Scan(&n); err != nil {
			return listRead{}, err
		}
		if n < db.fewEntries {
			return listRead{index: f.index}, nil
		}
	}
	plan := listRead{byID: true}
	if q.Since != "" {
		var first sql.NullInt64
		if err := db.readRow(ctx, firstListedSinceQuery(q.List), q.Since).Scan(&first); err != nil {
			return listRead{}, err
		}
		plan.first = first.Int64
	}
	return plan, nil
}

// listFilterCountQuery counts, by index, up to a limit the entries of list that pass
// cond, whatever their state.
func listFilterCountQuery(list, index, cond string) string {
	return `SELECT count(*) FROM (SELECT 1 FROM list_entries INDEXED BY ` + index + ` WHERE ` + listNameIn("list_name", list) + ` AND ` + cond + ` LIMIT ?) c`
}

// firstListedSinceQuery is the smallest id of an entry of list listed on or after a day,
// from list_entries_since alone: for each of the list's names, the days on or after it on
// which an entry was listed, one seek each to the next (a recursive query), and on each
// the smallest id listed that day, one seek more — not a read of every entry listed
// since. (list_days, which has the days too, keeps a day whose changes sum to nothing
// without `gongshi verify` checking it; a page's entries are read from what it checks.)
func firstListedSinceQuery(list string) string {
	var first []string
	for _, name := range listNames(list) {
		first = append(first, `SELECT '`+name+`', (SELECT min(e.since) FROM list_entries e INDEXED BY list_entries_since WHERE e.list_name = '`+name+`' AND e.since >= ?1)`)
	}
	return `WITH RECURSIVE d(name, day) AS (` + strings.Join(first, ` UNION ALL `) + `
		UNION ALL SELECT d.name, (SELECT min(e.since) FROM list_entries e INDEXED BY list_entries_since WHERE e.list_name = d.name AND e.since > d.day) FROM d WHERE d.day IS NOT NULL)
		SELECT min((SELECT e.id FROM list_entries e INDEXED BY list_entries_since WHERE e.list_name = d.name AND e.since = d.day ORDER BY e.id LIMIT 1)) FROM d WHERE d.day IS NOT NULL`
}

// listPageQuery reads a page of q's list after its cursor, as plan says. In id order the
// list and division conditions are written so that SQLite uses no index for them (a
// unary +): by the index on list and division every entry of the list was sorted by id,
// on 2.9 million entries 5.9 s a page, in id order 10 ms; a province's (a sixth of them)
// 0.9 s against 10 ms. A district, or a narrower prefix, is read by that index: its
// entries sorted, not a scan of the list's for its few.
func listPageQuery(q gongshi.ListQuery, plan listRead) (string, []any) {
	where, args := listWhere(q, plan.byID)
	after, _ := strconv.ParseInt(q.Cursor, 10, 64)
	where, args = append(where, "id > ?"), append(args, max(after, plan.first-1), q.Limit+1)
	from := ` FROM list_entries`
	if plan.index != "" {
		from += ` INDEXED BY ` + plan.index
	}
	return `SELECT ` + entryCols + from + whereAll(where) + ` ORDER BY id LIMIT ?`, args
}

// 19: the lists' entries by division (listWhere), and the cases by division and handler
// (caseQueueQuery: by division alone, a regulator's queue, whose cases have no handler,
// was read by the index on handler, every regulator's cases of the register).
const divisionIndexesSchema = `CREATE INDEX list_entries_division ON list_entries(list_name, division, id);
	DROP INDEX cases_queue;
	CREATE INDEX cases_queue ON cases(division, handler, due);`

// 21: the lists' entries by listing date and by ground (listFilterPlan).
const listFilterIndexesSchema = `CREATE INDEX list_entries_since ON list_entries(list_name, since, id);
	CREATE INDEX list_entries_ground ON list_entries(list_name, ground, id);`

// listWhere selects the entries of q's list active on q.AsOf, by division prefix, ground
// and listing date, by the index list_entries_division (divisionIn) — unless byID, when
// the list and division conditions are written so that SQLite uses no index for them
// (a unary +). By division LIKE, a page of a district's list read every entry of the
// list: on 2.9 million entries 0.81 s, by the index 1 ms.
func listWhere(q gongshi.ListQuery, byID bool) ([]string, []any) {
	where := []string{"ended <> 'corrected'", "since <= ?", "(until_day = '' OR until_day > ?)"}
	d := q.AsOf.String()
	args := []any{d, d}
	col := ""
	if byID {
		col = "+"
	}
	if cond, in := divisionIn(col+"division", q.Prefix); cond != "" {
		where, args = append(where, cond), append(args, in...)
	}
	where = append(where, listNameIn(col+"list_name", q.List))
	if q.Ground != 0 {
		where, args = append(where, "ground = ?"), append(args, q.Ground)
	}
	if q.Since != "" {
		where, args = append(where, "since >= ?"), append(args, q.Since)
	}
	return where, args
}

// listNames are the list_name values of list's entries: the abnormal list holds the
// individual businesses' markings too.
func listNames(list string) []string {
	if list == gongshi.ListSerious {
		return []string{gongshi.ListSerious}
	}
	return []string{gongshi.ListAbnormal, gongshi.ListMarked}
}

// listNameIn is the condition that col names an entry of list (listNames).
func listNameIn(col, list string) string {
	return col + ` IN ('` + strings.Join(listNames(list), `', '`) + `')`
}
