package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/translog"
)

// LogEntries makes leaves for the translog conformance suite from real record documents:
// the store makes each leaf from its document, so it can hold no other leaves. It
// remembers every document it made, for AppendDocuments.
type LogEntries struct {
	mu   sync.Mutex
	docs map[string][]byte
}

// Make returns n leaves numbered from first and their documents.
func (e *LogEntries) Make(first, n int) ([][]byte, map[string][]byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.docs == nil {
		e.docs = map[string][]byte{}
	}
	base := time.Date(2026, 5, 1, 1, 2, 3, 456789000, time.UTC)
	leaves, docs := make([][]byte, 0, n), make(map[string][]byte, n)
	for i := first; i < first+n; i++ {
		v := &gongshi.Version{Record: fmt.Sprint(i/3 + 1), Kind: "penalty", Subject: "91310000MA1FL0001X", SubjectName: "上海杰图天下网络科技有限公司",
			Version: 1, Arose: calendar.MustDate(2026, 5, 1), PublishedAt: base.Add(time.Duration(i) * time.Second), OnTime: true,
			Publisher: gongshi.Authority{Account: "reg", Role: gongshi.RoleRegulator, Name: "市场监督管理局"},
			Body: map[string]any{"decision_no": fmt.Sprint("沪市监〔2026〕", i, "号"), "violation": "虚假宣传", "content": "警告",
				"authority": "上海市市场监督管理局", "decided": "2026-05-01"}}
		if err := v.Seal(gongshi.KindPenalty, []byte("salt"), nil); err != nil {
			panic(err)
		}
		leaves, docs[v.SHA256], e.docs[v.SHA256] = append(leaves, v.Leaf().MarshalCanonical()), v.Document, v.Document
	}
	return leaves, docs
}

// AppendDocuments appends the leaves of documents Make made, as versions outside every
// enterprise's id range, so that the translog conformance suite drives the store's log
// through the real sequencer.
func (e *LogEntries) AppendDocuments(ctx context.Context, db *DB, leaves [][]byte) error {
	return db.Write(ctx, func(gtx gongshi.Tx) error {
		t := gtx.(*tx)
		for _, l := range leaves {
			pl, err := translog.ParseLeaf(l)
			if err != nil {
				return err
			}
			e.mu.Lock()
			doc := e.docs[pl.SHA256]
			e.mu.Unlock()
			idx := t.db.appender.Size() + int64(len(t.leaves))
			sum := sha256.Sum256(doc)
			if _, err := t.exec(`INSERT INTO versions (id, log_index, record, version, sha_key, document) VALUES (?, ?, ?, 1, ?, ?)`,
				-idx-1, idx, -idx-1, shaKey(sum[:]), doc); err != nil {
				return err
			}
			t.leaves = append(t.leaves, l)
		}
		return nil
	})
}

// RawQueryRow runs a query on the readers, as a test looks behind the store's back.
func (db *DB) RawQueryRow(query string, args ...any) *sql.Row {
	return db.r.QueryRow(db.dialect.rebind(query), args...)
}

// MigrateSQLiteTo creates the SQLite database of dir at schema version n (migrations 1 … n),
// as an earlier gongshi left it.
func MigrateSQLiteTo(ctx context.Context, dir string, n int) (*sql.DB, error) {
	raw, err := sql.Open("sqlite", "file:"+dir+"/gongshi.db")
	if err != nil {
		return nil, err
	}
	d := dialect{name: "sqlite"}
	if _, err := raw.ExecContext(ctx, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return nil, err
	}
	for i := 1; i <= n; i++ {
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			return nil, err
		}
		for _, st := range d.statements(migrations[i-1].sql) {
			if _, err := tx.ExecContext(ctx, st); err != nil {
				tx.Rollback()
				return nil, fmt.Errorf("migration %d: %w", i, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, '2026-01-01T00:00:00Z')`, i); err != nil {
			tx.Rollback()
			return nil, err
		}
		if err := tx.Commit(); err != nil {
			return nil, err
		}
	}
	return raw, nil
}

// MigrationNumber is the schema version a migration makes, by its description.
func MigrationNumber(what string) int {
	for i, m := range migrations {
		if m.what == what {
			return i + 1
		}
	}
	panic("no migration " + what)
}

// SearchGrams are the search index's terms of an enterprise.
var SearchGrams = searchGrams

// StoredDocuments opens and makes the stored form of documents in a database behind the
// store's back (raw), with its dictionaries, as a tamperer who knows the format would.
func StoredDocuments(raw *sql.DB) (open func([]byte) ([]byte, error), compress func([]byte) []byte, err error) {
	c := newDocCodec(func(ctx context.Context) (map[uint32][]byte, error) { return loadDicts(ctx, raw) })
	if err := c.reload(context.Background()); err != nil {
		return nil, nil, err
	}
	return c.open, c.compress, nil
}

// DictID is the dictionary new documents are compressed with (0: none yet).
func (db *DB) DictID() uint32 { return db.docs.dictID() }

// ProjectionDeletes are the statements that remove an enterprise's current-state rows
// before its projection is written again.
func ProjectionDeletes() []string {
	d := projectionDeletes
	return slices.Concat(d.byUSCC, d.byVersions, []string{d.byEnterprise})
}

// FilingCountsQuery is FilingCounts' statement.
const FilingCountsQuery = filingCountsQuery

// ResultsQuery is SearchSpotCheckResults' statement with the conditions where.
func ResultsQuery(where string) string { return resultsQuery(where) }

// SetWALRestartFrames sets the WAL length past which the sequencer begins it again, until
// the returned func restores it.
func SetWALRestartFrames(n int64) (restore func()) {
	old := walRestartFrames
	walRestartFrames = n
	return func() { walRestartFrames = old }
}

// PopulationQuery is PopulationCodes' statement for a prefix, with no stratum.
func PopulationQuery(prefix string) string {
	q, _ := (&tx{}).populationQuery(prefix, nil)
	return q
}

// ListSizesQuery and ListPageQuery are ListSizes' and ListEntries' statements for the
// abnormal list of a division prefix.
func ListSizesQuery(prefix string) string {
	q, _ := listSizesQuery(gongshi.ListAbnormal, prefix, calendar.MustDate(2026, 12, 4))
	return q
}

// ListPageQuery is ListEntries' statement for a page of the abnormal list in a prefix,
// listed since a day, read in id order (index "") or by the index named.
func ListPageQuery(prefix, since, index string) string {
	q, _ := listPageQuery(gongshi.ListQuery{List: gongshi.ListAbnormal, Prefix: prefix, Since: since, Limit: 50}, listRead{byID: index == "", index: index})
	return q
}

// ListFilterCountQuery and FirstListedSinceQuery are listFilterPlan's statements for the
// abnormal list listed since a day.
var (
	ListFilterCountQuery  = listFilterCountQuery(gongshi.ListAbnormal, "list_entries_since", "since >= ?")
	FirstListedSinceQuery = firstListedSinceQuery(gongshi.ListAbnormal)
)

// SubjectSeeksQuery is the statement that finds the most enterprises' entries by their ids.
func SubjectSeeksQuery() string { return subjectSeeksQuery(subjectBatch) }

// DivisionEnterprisesQueries are the statements that count and list a division's
// enterprises.
func DivisionEnterprisesQueries(division string) (count, list string) {
	count, list, _ = divisionEnterprisesQueries(division)
	return count, list
}

// KindRecordsQueries are the statements that count and list the records of two kinds.
func KindRecordsQueries() (count, list string) {
	count, list, _ = kindRecordsQueries([]string{"penalty", "licence"})
	return count, list
}

// RecordSeeksQuery is the statement that finds the most records' entries.
func RecordSeeksQuery() string { return recordSeeksQuery(subjectBatch) }

// SubjectScanQuery is the statement that reads the log's keys in order.
const SubjectScanQuery = subjectScanQuery

// SetSubjectSeeks makes LoggedMatching find a watch's entries always by seeks to its
// enterprises, batch of them a statement (seek), or always by reading the log's keys, and
// returns a function that restores the choice.
func (db *DB) SetSubjectSeeks(seek bool, batch int) (restore func()) {
	ratio, size := db.seekRatio, db.seekBatch
	db.seekRatio, db.seekBatch = map[bool]int64{true: 0, false: 1 << 62}[seek], batch
	return func() { db.seekRatio, db.seekBatch = ratio, size }
}

// LoggedMatchingQuery is LoggedMatching's statement for a kind and a division prefix.
func LoggedMatchingQuery() string {
	q, _ := loggedMatchingQuery(0, 1000, 100, []string{"penalty", "licence"}, "3101")
	return q
}

// SetFewListEntries sets how many entries a list's filter may pass to be read by its
// index (fewListEntries), so that a small store's pages are read both ways, and returns
// what it was.
func (db *DB) SetFewListEntries(n int) int {
	was := db.fewEntries
	db.fewEntries = n
	return was
}

// CaseQueueQuery is CaseQueue's statement for a regulator's open cases.
func CaseQueueQuery(prefix string) string {
	q, _ := caseQueueQuery(gongshi.CaseQueueQuery{Prefix: prefix, Open: true, Limit: 1000})
	return q
}

// NextNumberQuery is NextNumber's statement on SQLite for a table and prefix, the pattern
// written in it (SQLite plans a GLOB by its pattern's value).
func NextNumberQuery(table, prefix string) string {
	q, pattern := nextNumberQuery(table, prefix, dialect{name: "sqlite"})
	return strings.Replace(q, "?", "'"+pattern.(string)+"'", 1)
}

// SamePageKeys makes every code's page row key the same (pageKey), until the function it
// returns is called; for a test that does not run in parallel.
func SamePageKeys() (restore func()) {
	was := pageKey
	pageKey = func(string) int64 { return 7 }
	return func() { pageKey = was }
}

// SmallKeyPagesBatches makes migration 22 read the page rows a few at a time, until the
// function it returns is called.
func SmallKeyPagesBatches() (restore func()) {
	was := keyPagesBatch
	keyPagesBatch = 3
	return func() { keyPagesBatch = was }
}
