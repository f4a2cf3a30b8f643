package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"strings"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/translog"
)

// 6: versions hold only what the log proves — each version's document, exactly as hashed —
// and the values that document holds as salted hashes (private); nothing is stored twice.
// The body, the leaf and the version's dates, publisher and reason were copies of what the
// document says: they are gone, and every answer is read from the document (gongshi.OpenVersion).
//
// A version's id is its enterprise's id × 2^20 plus its number among that enterprise's
// versions, so an enterprise's versions lie together in the table's B-tree (SQLite keeps a
// table in its rowid's order): the enterprise page reads a few adjacent pages instead of one
// page per version scattered in log order. log_index is unique and indexed for the log;
// (record, version) for a record's versions and concurrent amendments; sha_key for documents.
// Records about no enterprise (draws) are enterprise 0's.
const versionsSchema = `ALTER TABLE versions RENAME TO versions_v1;
	DROP INDEX versions_record;
	DROP INDEX versions_sha;
	CREATE TABLE versions (
		id {{id}},
		log_index BIGINT NOT NULL,
		record BIGINT NOT NULL,
		version INTEGER NOT NULL,
		sha_key BIGINT NOT NULL,
		document {{blob}} NOT NULL,
		private {{blob}}
	);`

// perEnterprise is how many versions an enterprise's id range holds (2^20).
const perEnterprise = 1 << 20

// convertVersions moves the versions of the first layout into the new one: the document as
// it was, the private values taken from the old body (the values its document holds as
// salted hashes), the id from the record's enterprise. Withdrawals of that layout were not
// logged: they are dropped, and the next sweep withdraws the same penalties again with a
// logged withdrawal (gongshi.KindWithdrawal).
func convertVersions(ctx context.Context, tx *sql.Tx, d dialect) error {
	insert, err := tx.PrepareContext(ctx, d.rebind(`INSERT INTO versions (id, log_index, record, version, sha_key, document, private) VALUES (?, ?, ?, ?, ?, ?, ?)`))
	if err != nil {
		return err
	}
	defer insert.Close()
	next := map[int64]int64{} // enterprise → its next version number
	for after := int64(-1); ; {
		rows, err := tx.QueryContext(ctx, d.rebind(`SELECT v.log_index, v.record, v.version, v.body, v.document, r.kind, r.enterprise
			FROM versions_v1 v JOIN records r ON r.id = v.record WHERE v.log_index > ? ORDER BY v.log_index LIMIT 2000`), after)
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			var idx, rec, ent int64
			var ver int
			var body string
			var doc []byte
			var kind string
			if err := rows.Scan(&idx, &rec, &ver, &body, &doc, &kind, &ent); err != nil {
				rows.Close()
				return err
			}
			private, err := oldPrivate(kind, body)
			if err != nil {
				rows.Close()
				return fmt.Errorf("version %d: %w", idx, err)
			}
			sum := sha256.Sum256(doc)
			if _, err := insert.ExecContext(ctx, ent*perEnterprise+next[ent], idx, rec, ver, shaKey(sum[:]), doc, private); err != nil {
				rows.Close()
				return fmt.Errorf("version %d: %w", idx, err)
			}
			next[ent]++
			after, n = idx, n+1
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if n < 2000 {
			break
		}
	}
	for _, s := range []string{
		`CREATE UNIQUE INDEX versions_log ON versions(log_index)`,
		`CREATE UNIQUE INDEX versions_record ON versions(record, version)`,
		`CREATE INDEX versions_sha ON versions(sha_key)`,
		`DROP TABLE versions_v1`,
		`DELETE FROM withdrawals`,
	} {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// oldPrivate is the private values of a version of the first layout, from its body.
func oldPrivate(kind, body string) ([]byte, error) {
	if kind == gongshi.KindDraw {
		return nil, nil
	}
	k, err := gongshi.LookupKind(kind)
	if err != nil {
		return nil, err
	}
	var b map[string]any
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&b); err != nil {
		return nil, err
	}
	return k.PrivateValues(b), nil
}

// AppendVersion stores a sealed version: its document and private values, in its
// enterprise's id range, and notes its leaf for the log and its enterprise for its page row
// (pages.go). Every version is stored here: a version stored otherwise would leave its
// enterprise's page row serving an older page.
func (t *tx) AppendVersion(v *gongshi.Version) error {
	rec, err := parseID(v.Record)
	if err != nil {
		return err
	}
	sum, err := hex.DecodeString(v.SHA256)
	if err != nil || len(sum) != 32 {
		return fmt.Errorf("append version: bad sha256 %q", v.SHA256)
	}
	return t.appendVersion(v, rec, sum, t.db.docs.compress(v.Document), v.Leaf().MarshalCanonical())
}

// appendVersion is AppendVersion with the work that needs no transaction done: v's record
// id, the sha256 its SHA256 names, its document's stored form and its leaf's canonical
// JSON.
func (t *tx) appendVersion(v *gongshi.Version, rec int64, sum, stored, leaf []byte) error {
	id, err := t.versionID(rec)
	if err != nil {
		return err
	}
	idx := t.logSize + int64(len(t.leaves))
	_, err = t.exec(`INSERT INTO versions (id, log_index, record, version, sha_key, document, private) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, idx, rec, v.Version, shaKey(sum), stored, nullBytes(v.Private))
	if isUniqueViolation(err) {
		return gongshi.Errorf(gongshi.ECONFLICT, "record %s already has a version %d: someone amended it at the same time; read it again and retry", v.Record, v.Version)
	}
	if err != nil {
		return fmt.Errorf("insert version: %w", err)
	}
	t.leaves = append(t.leaves, leaf)
	t.notePage(id / perEnterprise)
	if !gongshi.AboutNoEnterprise(v.Kind) {
		t.Touch(v.Subject)
	}
	v.LogIndex = idx
	return nil
}

// versionID returns the id of the next version of record rec: the next number in its
// enterprise's range.
func (t *tx) versionID(rec int64) (int64, error) {
	ent, ok := t.knownRecord(rec)
	if !ok {
		if err := t.queryRow(`SELECT enterprise FROM records WHERE id = ?`, rec).Scan(&ent); err != nil {
			if err == sql.ErrNoRows {
				return 0, gongshi.Errorf(gongshi.ENOTFOUND, "no record %d", rec)
			}
			return 0, fmt.Errorf("read record %d: %w", rec, err)
		}
		t.noteRecord(rec, ent)
	}
	n, ok := t.entNext[ent]
	if !ok && !t.unsure {
		n, ok = t.db.ids.entNext[ent]
	}
	if !ok {
		lo := ent * perEnterprise
		if err := t.queryRow(`SELECT COALESCE(MAX(id) + 1, ?) FROM versions WHERE id >= ? AND id < ?`, lo, lo, lo+perEnterprise).Scan(&n); err != nil {
			return 0, fmt.Errorf("next version id: %w", err)
		}
	}
	if n >= (ent+1)*perEnterprise {
		return 0, gongshi.Errorf(gongshi.EINTERNAL, "enterprise row %d has %d versions, the most one enterprise can have", ent, perEnterprise)
	}
	if t.entNext == nil {
		t.entNext = map[int64]int64{}
	}
	t.entNext[ent] = n + 1
	return n, nil
}

// knownRecord returns the enterprise row id of record rec if the batch, or else the
// sequencer's cache of committed batches, knows it.
func (t *tx) knownRecord(rec int64) (int64, bool) {
	if ent, ok := t.recordEnt[rec]; ok {
		return ent, true
	}
	if t.unsure {
		return 0, false
	}
	ent, ok := t.db.ids.recordEnt[rec]
	return ent, ok
}

// idCache keeps what committed batches learnt of records' enterprises and of enterprises'
// next version ids (versionID), for the sequencer's batches: each looked them up with a
// query a record and an enterprise, a fifth of an import's writing. Only the sequencer
// goroutine uses it, and only the sequencer adds records and versions, so it is exact.
type idCache struct{ recordEnt, entNext map[int64]int64 }

// idCacheMax is how many records or enterprises the cache keeps before it forgets all of
// them (about 100 MB).
const idCacheMax = 2_000_000

// commit takes in what a committed batch learnt. A batch in which a unit failed dropped
// what it learnt before, and the cache may be stale: it starts again.
func (c *idCache) commit(recordEnt, entNext map[int64]int64, unsure bool) {
	if c.recordEnt == nil || unsure || len(c.recordEnt)+len(recordEnt) > idCacheMax || len(c.entNext)+len(entNext) > idCacheMax {
		c.recordEnt, c.entNext = map[int64]int64{}, map[int64]int64{}
	}
	if unsure {
		return
	}
	maps.Copy(c.recordEnt, recordEnt)
	maps.Copy(c.entNext, entNext)
}

func (t *tx) noteRecord(rec, ent int64) {
	if t.recordEnt == nil {
		t.recordEnt = map[int64]int64{}
	}
	t.recordEnt[rec] = ent
}

func nullBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

// storedCols are the columns scanStored reads (versions v; records r for the salt).
const storedCols = `v.log_index, v.document`

func storedColsFor(private bool) string {
	if private {
		return storedCols + `, v.private, r.salt`
	}
	return storedCols + `, NULL, NULL`
}

func (c *docCodec) scanStored(row scanner) (gongshi.StoredVersion, error) {
	var sv gongshi.StoredVersion
	err := row.Scan(&sv.LogIndex, c.into(&sv.Document), &sv.Private, &sv.Salt)
	return sv, err
}

// ReadLeaves returns the leaves start … end-1, each made from its document (gongshi.LeafOf).
func (db *DB) ReadLeaves(ctx context.Context, start, end int64) ([][]byte, error) {
	size, _ := db.TreeSize(ctx)
	if start < 0 || start > end {
		return nil, fmt.Errorf("read leaves [%d, %d): bad range", start, end)
	}
	if end > size {
		return nil, fmt.Errorf("read leaves [%d, %d) of %d: %w", start, end, size, translog.ErrNotFound)
	}
	// A replica that lags the sequencer's size would miss the last leaves: the read waits
	// for it to reach end, or runs on the primary.
	ctx = atLeast(ctx, end)
	rows, err := db.read(ctx, `SELECT log_index, document FROM versions WHERE log_index >= ? AND log_index < ? ORDER BY log_index`, start, end)
	if err != nil {
		return nil, fmt.Errorf("read leaves: %w", err)
	}
	defer rows.Close()
	out := make([][]byte, 0, end-start)
	for rows.Next() {
		var idx int64
		var doc []byte
		if err := rows.Scan(&idx, db.docs.into(&doc)); err != nil {
			return nil, err
		}
		if idx != start+int64(len(out)) {
			break
		}
		l, err := gongshi.LeafOf(doc)
		if err != nil {
			return nil, fmt.Errorf("leaf %d: %w", idx, err)
		}
		out = append(out, l.MarshalCanonical())
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if int64(len(out)) != end-start {
		return nil, fmt.Errorf("read leaves [%d, %d): %d found: %w", start, end, len(out), translog.ErrNotFound)
	}
	return out, nil
}
