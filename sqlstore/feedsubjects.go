package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/gongshi/gongshi"
)

// A watch's feed (GET /api/v1/watches/{id}/changes, and its webhooks catching up) wants
// the entries of up to 100,000 enterprises. Every entry about an enterprise lies in the
// enterprise's range of version ids (versions.go), and its subject is the enterprise's
// code (entID, on every write path; `gongshi verify --data` checks it): the store finds
// the entries by their ids, without reading any other entry's document. Records about no
// enterprise (draws, check items: enterprise 0) have a jurisdiction or a draw for subject,
// never an enterprise's code, and are never a watch's. A district's or a city's feed is
// read the same way when its enterprises are few enough (loggedOfDivision), with enterprise
// 0's entries, whose division is their jurisdiction.

// seekRatio is about what a seek to an enterprise's versions costs over what reading one
// key of the log in order does (on SQLite ~50–140×). Seeks to n enterprises (seekIndexes)
// find all their entries in the range asked for; the log's keys read in order
// (subjectScan) find as many as the page holds, or stop after maxMatchScan. The seeks are
// chosen when they cost less an entry found: when the range holds at least seekRatio × n
// entries, and when n × n × seekRatio is at most the page's limit times the enterprises
// registered (beyond, the seeks, made again for every page of a long history, cost more
// than reading the log: a watch of 100,000 enterprises on a register of 188 million is
// read by seeks with pages of 10,000, one of 2,000 on a register of 20,000 by the log's
// keys).
const seekRatio = 64

// manySubjects: a watch of at least a manySubjects-th of the register's enterprises is
// read entry by entry.
const manySubjects = 4

// subjectBatch is how many enterprises or log indexes one statement names: the seeks'
// ranges are ORed, and SQLite parses no expression deeper than 1,000.
const subjectBatch = 250

// loggedOfSubjects is LoggedMatching for a watch's enterprises: the entries of those
// registered, in log order, at most limit, and the last index it looked at.
func (db *DB) loggedOfSubjects(ctx context.Context, after, end int64, limit int, subjects map[string]bool) ([]gongshi.LoggedVersion, int64, error) {
	registered, err := db.population(ctx, "enterprises")
	if err != nil {
		return nil, after, err
	}
	if int64(len(subjects))*manySubjects >= registered {
		// Most entries are the watch's: they are read as they come, for the feed to test,
		// rather than the codes looked up first (20,000 of them took ~30 ms a read).
		out, err := db.LoggedAfter(ctx, after, end, limit)
		if err != nil || len(out) < limit {
			return out, end - 1, err
		}
		return out, out[len(out)-1].LogIndex, nil
	}
	ents, err := db.enterpriseIDs(ctx, slices.Sorted(maps.Keys(subjects)))
	if err != nil {
		return nil, after, err
	}
	var idx []int64
	var last int64
	if db.seeksPay(int64(len(ents)), after, end, limit, registered) {
		idx, last, err = db.seekEntries(ctx, ents, after, end, limit, subjectSeeksQuery, enterpriseRange)
	} else {
		idx, last, err = db.subjectScan(ctx, ents, after, min(end, after+1+maxMatchScan), limit)
	}
	if err != nil {
		return nil, after, fmt.Errorf("find the watched enterprises' entries: %w", err)
	}
	out, err := db.loggedAtAll(ctx, after, idx)
	return out, last, err
}

// loggedOfDivision is LoggedMatching for a division prefix whose enterprises are few enough
// for seeks to pay (seeksPay): their entries and those about no enterprise (draws and check
// items, filed under their jurisdiction), which the feed tests from their documents with
// the kinds asked for. ok is false when the division has more enterprises than that: the
// log is read in order instead. Every enterprise's division is its code's characters 3–8
// (gongshi.Dossier; `gongshi verify --data` checks the column).
func (db *DB) loggedOfDivision(ctx context.Context, after, end int64, limit int, division string) (out []gongshi.LoggedVersion, last int64, ok bool, err error) {
	count, list, args := divisionEnterprisesQueries(division)
	ents, ok, err := db.fewKeys(ctx, after, end, limit, "enterprises", count, list, args, "the division's enterprises")
	if !ok || err != nil {
		return nil, after, false, err
	}
	idx, last, err := db.seekEntries(ctx, append([]int64{0}, ents...), after, end, limit, subjectSeeksQuery, enterpriseRange)
	if err != nil {
		return nil, after, false, fmt.Errorf("find the division's entries: %w", err)
	}
	out, err = db.loggedAtAll(ctx, after, idx)
	return out, last, true, err
}

// loggedOfKinds is LoggedMatching for kinds with few records for the range asked for (a
// department following a rare kind on a large register): their records' versions, found
// by record (versions_record), which the feed tests with the division asked for. ok is
// false when the kinds have more records than that: the log is read in order instead.
func (db *DB) loggedOfKinds(ctx context.Context, after, end int64, limit int, kinds []string) (out []gongshi.LoggedVersion, last int64, ok bool, err error) {
	count, list, args := kindRecordsQueries(kinds)
	recs, ok, err := db.fewKeys(ctx, after, end, limit, "records", count, list, args, "the kinds' records")
	if !ok || err != nil {
		return nil, after, false, err
	}
	idx, last, err := db.seekEntries(ctx, recs, after, end, limit, recordSeeksQuery, func(r int64) []any { return []any{r} })
	if err != nil {
		return nil, after, false, fmt.Errorf("find the kinds' entries: %w", err)
	}
	out, err = db.loggedAtAll(ctx, after, idx)
	return out, last, true, err
}

// kindRecordsQueries count the records of kinds up to a bound and list their ids, by the
// index records_kind.
func kindRecordsQueries(kinds []string) (count, list string, args []any) {
	in := `kind IN ` + placeholders(1, len(kinds))
	for _, k := range kinds {
		args = append(args, k)
	}
	return `SELECT COUNT(*) FROM (SELECT 1 FROM records WHERE ` + in + ` LIMIT ?) r`, `SELECT id FROM records WHERE ` + in + ` ORDER BY id`, args
}

// recordSeeksQuery finds the log indexes in (after, end) of n records' versions, by the
// index versions_record (+log_index: not by the log's index, as subjectSeeksQuery).
func recordSeeksQuery(n int) string {
	return `SELECT log_index FROM versions WHERE record IN ` + placeholders(1, n) + ` AND +log_index > ? AND +log_index < ?`
}

// divisionEnterprisesQueries count a division's enterprises up to a bound and list their
// row ids, by the index enterprises_division.
func divisionEnterprisesQueries(division string) (count, list string, args []any) {
	cond, args := divisionIn("division", division)
	return `SELECT COUNT(*) FROM (SELECT 1 FROM enterprises WHERE ` + cond + ` LIMIT ?) e`, `SELECT id FROM enterprises WHERE ` + cond + ` ORDER BY id`, args
}

// population is the largest row id of table (enterprises, records): about how many rows
// it has.
func (db *DB) population(ctx context.Context, table string) (int64, error) {
	var n int64
	if err := db.readRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&n); err != nil {
		return 0, fmt.Errorf("count the %s: %w", table, err)
	}
	return n, nil
}

// seekBound is the most keys (enterprises, records) out of population for which seeks
// pay (seeksPay).
func (db *DB) seekBound(after, end int64, limit int, population int64) int64 {
	if db.seekRatio == 0 {
		return population
	}
	return min(population, (end-after-1)/db.seekRatio, int64(math.Sqrt(float64(limit)*float64(population)/float64(db.seekRatio))))
}

// seeksPay reports whether seeks to n of population keys (enterprises, records) find
// their entries after after for a page of limit at less cost than reading the log's keys
// (seekRatio).
func (db *DB) seeksPay(n, after, end int64, limit int, population int64) bool {
	return n*db.seekRatio <= end-after-1 && n*n*db.seekRatio <= int64(limit)*population
}

// fewKeys returns the row ids of table that list selects, when count (bound by its last
// argument) finds them few enough out of the table's rows for seeks to pay (seeksPay); ok
// is false otherwise. what names them in errors.
func (db *DB) fewKeys(ctx context.Context, after, end int64, limit int, table, count, list string, args []any, what string) (keys []int64, ok bool, err error) {
	population, err := db.population(ctx, table)
	if err != nil {
		return nil, false, err
	}
	var n int64
	if err := db.readRow(ctx, count, append(args, db.seekBound(after, end, limit, population)+1)...).Scan(&n); err != nil {
		return nil, false, fmt.Errorf("count %s: %w", what, err)
	}
	if !db.seeksPay(n, after, end, limit, population) {
		return nil, false, nil
	}
	rows, err := db.read(ctx, list, args...)
	keys, err = collect(rows, err, what, func(r scanner) (id int64, err error) { return id, r.Scan(&id) })
	return keys, err == nil, err
}

// seekEntries returns the first limit log indexes in (after, end) that seeks by keys find
// (seekIndexes), and the last index looked at.
func (db *DB) seekEntries(ctx context.Context, keys []int64, after, end int64, limit int, query func(n int) string, bind func(int64) []any) ([]int64, int64, error) {
	idx, more, err := db.seekIndexes(ctx, keys, after, end, limit, query, bind)
	if err != nil || !more {
		return idx, end - 1, err
	}
	return idx, idx[limit-1], nil
}

// enterpriseRange binds an enterprise's range of version ids (subjectSeeksQuery).
func enterpriseRange(e int64) []any { return []any{e * perEnterprise, (e + 1) * perEnterprise} }

// loggedAtAll reads the entries at the log indexes idx, in order, all after after.
func (db *DB) loggedAtAll(ctx context.Context, after int64, idx []int64) ([]gongshi.LoggedVersion, error) {
	out := make([]gongshi.LoggedVersion, 0, len(idx))
	for from := after; len(idx) > 0; {
		n := min(len(idx), subjectBatch)
		lvs, err := db.loggedAt(ctx, from, idx[:n])
		if err != nil {
			return nil, err
		}
		if len(lvs) != n {
			return nil, gongshi.Errorf(gongshi.EINTERNAL, "%d of the log entries %d–%d are missing from the store", n-len(lvs), idx[0], idx[n-1])
		}
		out, from, idx = append(out, lvs...), idx[n-1], idx[n:]
	}
	return out, nil
}

// loggedAt reads the entries at the log indexes idx, in order, all after after: by their
// indexes where they are sparse, or by reading the range they span, opening only their
// documents, where they fill at least half of it (a watch of much of the register).
func (db *DB) loggedAt(ctx context.Context, after int64, idx []int64) ([]gongshi.LoggedVersion, error) {
	last := idx[len(idx)-1]
	if last-after <= 2*int64(len(idx)) {
		want := make(map[int64]bool, len(idx))
		for _, i := range idx {
			want[i] = true
		}
		return db.loggedKept(ctx, func(i int64) bool { return want[i] }, `SELECT log_index, document FROM versions
			WHERE log_index > ? AND log_index <= ? ORDER BY log_index`, after, after, last)
	}
	args := make([]any, len(idx))
	for i, x := range idx {
		args[i] = x
	}
	return db.logged(ctx, `SELECT log_index, document FROM versions WHERE log_index IN `+placeholders(1, len(idx))+` ORDER BY log_index`, after, args...)
}

// enterpriseIDs returns the row ids of the enterprises with the codes given that are
// registered, sorted.
func (db *DB) enterpriseIDs(ctx context.Context, codes []string) ([]int64, error) {
	var ids []int64
	err := db.inChunks(ctx, `SELECT id FROM enterprises WHERE uscc IN (%s)`, codes, func(rows *sql.Rows) error {
		var id int64
		err := rows.Scan(&id)
		ids = append(ids, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read the watched enterprises: %w", err)
	}
	slices.Sort(ids)
	return ids, nil
}

// subjectSeeksQuery finds the log indexes in (after, end) of n enterprises' versions, by a
// range of ids each: on SQLite a "MULTI-INDEX OR" of the ranges, on PostgreSQL a BitmapOr
// (a join of the enterprises with the versions, whose ranges PostgreSQL could not
// estimate, was read by a scan of every version). +log_index: by the log's index, SQLite
// read the whole range asked for.
func subjectSeeksQuery(n int) string {
	return `SELECT log_index FROM versions WHERE ((id >= ? AND id < ?)` + repeat(` OR (id >= ? AND id < ?)`, n-1) + `)
		AND +log_index > ? AND +log_index < ?`
}

// seekIndexes returns the first limit log indexes in (after, end) that the statements
// query(n) find for keys, db.seekBatch of them a statement (each bound by bind), and
// whether there were more. It keeps no more than limit between statements: an enterprise
// may have thousands of versions.
func (db *DB) seekIndexes(ctx context.Context, keys []int64, after, end int64, limit int, query func(n int) string, bind func(int64) []any) (idx []int64, more bool, err error) {
	for len(keys) > 0 {
		n := min(len(keys), db.seekBatch)
		args := make([]any, 0, 2*n+2)
		for _, k := range keys[:n] {
			args = append(args, bind(k)...)
		}
		keys = keys[n:]
		rows, err := db.read(ctx, query(n), append(args, after, end)...)
		got, err := collect(rows, err, "log indexes", func(r scanner) (i int64, err error) { return i, r.Scan(&i) })
		if err != nil {
			return nil, false, err
		}
		if idx = append(idx, got...); len(idx) > limit {
			slices.Sort(idx)
			idx, more = idx[:limit], true
		}
	}
	slices.Sort(idx)
	return idx, more, nil
}

// scanChunk is how many of the log's keys one statement of subjectScan reads.
const scanChunk = 20_000

// subjectScanQuery reads scanChunk of the log's keys after a log index.
const subjectScanQuery = `SELECT log_index, id FROM versions WHERE log_index > ? AND log_index < ? ORDER BY log_index LIMIT ?`

// subjectScan reads the log's keys (log index, version id) in (after, end) in order and
// returns the indexes of the versions of the enterprises ents, at most limit, and the last
// index it looked at.
func (db *DB) subjectScan(ctx context.Context, ents []int64, after, end int64, limit int) ([]int64, int64, error) {
	watched := make(map[int64]bool, len(ents))
	for _, e := range ents {
		watched[e] = true
	}
	var idx []int64
	for next := after; next < end-1; {
		rows, err := db.read(ctx, subjectScanQuery, next, end, scanChunk)
		if err != nil {
			return nil, next, err
		}
		read := 0
		for rows.Next() {
			var i, id int64
			if err := rows.Scan(&i, &id); err != nil {
				rows.Close()
				return nil, next, err
			}
			read, next = read+1, i
			if watched[id/perEnterprise] {
				if idx = append(idx, i); len(idx) == limit {
					rows.Close()
					return idx, i, nil
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, next, err
		}
		if read < scanChunk {
			break
		}
	}
	return idx, end - 1, nil
}
