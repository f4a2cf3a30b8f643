package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/draw"
	"github.com/gongshi/gongshi/translog"
)

// The bulk path of gongshi import: a snapshot's versions (package snapshot) appended to
// the log in the order and at the indexes they had, many to a transaction, each batch with
// the current-state rows of the enterprises it touched made again from their documents
// (gongshi.Project) — so the imported register's log is the source's, leaf for leaf, and
// every row is what `gongshi verify` expects of it.

// 18: the entries a store holds only as their leaf (gongshi.StandIn) while the record that
// withdrew them, later in the log, is not in yet: a mirror catching up receives a version
// already withdrawn at its source a batch or many before its withdrawal. The change feed
// ends before the first of them until then (FeedSize): it has no document to give, nor
// yet a withdrawal the store has verified. (A store migrated while it held such an entry
// has no row for it: its feed fails there, as before, until the withdrawal is in. A
// source that never logs the withdrawal stops its mirror's feed there for good, and
// `gongshi verify --data` of the mirror names the entry.)
const awaitingSchema = `CREATE TABLE awaiting_withdrawal (log_index {{id}});`

// ImportLine is one version to import: its log index, the leaf it must have, and its
// document — nil for a version withdrawn from public view, whose leaf's canonical JSON is
// kept in its place (gongshi.StandIn).
type ImportLine struct {
	LogIndex int64
	Leaf     translog.Leaf
	Document []byte
	// Withdrawn says the version's document was withdrawn from public view: its own
	// withdrawal record, later in the log, makes the withdrawals row.
	Withdrawn bool
}

// ImportLineOf is the line to import of a change, as the change feed and a snapshot's
// versions file give it.
func ImportLineOf(ev *gongshi.FeedEvent) ImportLine {
	return ImportLine{LogIndex: ev.LogIndex, Leaf: ev.Leaf(), Document: ev.Document, Withdrawn: ev.Withdrawn != nil}
}

// DrawTexts gives the texts of a draw (population, roster, result) that its documents
// name by their digests; ok is false for one the snapshot did not carry.
type DrawTexts func(number, which string) (text []byte, ok bool)

// ImportVersions appends lines, which must continue the log (the first at its size), in
// one transaction, with the current-state rows of every enterprise they touch. Records
// keep the ids their documents name, with an empty salt: a snapshot holds no hidden
// values (gongshi.OpenVersion). A line whose document does not hash to its leaf's
// sha256, or names another leaf, is an EINVALID error naming its log index.
func (db *DB) ImportVersions(ctx context.Context, lines []ImportLine, texts DrawTexts) error {
	return db.ImportPrepared(ctx, db.PrepareImport(lines), texts)
}

// ImportBatch is lines of an import made ready for ImportPrepared by PrepareImport.
type ImportBatch struct{ lines []preparedLine }

// preparedLine is an ImportLine with the work that needs no transaction done: its
// document checked and parsed, compressed for storage, and for an enterprise's
// registration the enterprise it registers. err is why the line is refused.
type preparedLine struct {
	ImportLine
	v      *gongshi.Version
	rec    int64
	sum    []byte
	leaf   []byte // canonical JSON
	stored []byte
	dictID uint32 // the dictionary stored was compressed with
	reg    *gongshi.Projection
	regErr error
	err    error
}

// PrepareImport does the work of importing lines that needs no transaction — checking,
// parsing and compressing their documents — shared among one worker per core, so that
// ImportPrepared, on the sequencer's one goroutine, only writes rows. It may run while
// another batch is imported: the pipeline of gongshi import prepares the next batch
// meanwhile.
func (db *DB) PrepareImport(lines []ImportLine) *ImportBatch {
	b := &ImportBatch{lines: make([]preparedLine, len(lines))}
	db.eachOnCores(len(lines), func(i int) { b.lines[i] = db.prepareLine(lines[i]) })
	return b
}

// Err is why the first line of b that cannot be imported is refused, or nil: what
// ImportPrepared would return for it.
func (b *ImportBatch) Err() error {
	for i := range b.lines {
		if err := b.lines[i].err; err != nil {
			return err
		}
	}
	return nil
}

// ImportPrepared is ImportVersions of a batch PrepareImport made.
func (db *DB) ImportPrepared(ctx context.Context, b *ImportBatch, texts DrawTexts) error {
	return db.Write(ctx, func(gtx gongshi.Tx) error {
		t := gtx.(*tx)
		touched := map[int64]string{} // enterprise row id → USCC
		for i := range b.lines {
			l := &b.lines[i]
			ent, err := t.importLine(l, texts)
			if err != nil {
				return err
			}
			if ent > 0 {
				touched[ent] = l.Leaf.Subject
			}
		}
		if t.db.bulk.Load() && !t.db.dialect.postgres {
			// A bulk load on SQLite makes every enterprise's rows once, at its end
			// (reprojectAll in FinishBulk), not again in each batch that touches it.
			t.db.bulkReproject.Store(true)
			return nil
		}
		for ent, uscc := range touched {
			if err := t.reproject(ent, uscc); err != nil {
				return fmt.Errorf("enterprise %s: %w", uscc, err)
			}
		}
		return nil
	})
}

func badLine(l ImportLine, format string, args ...any) error {
	return gongshi.Errorf(gongshi.EINVALID, "log index %d: %s", l.LogIndex, fmt.Sprintf(format, args...))
}

// prepareLine checks, parses and compresses a line's document. It is safe for concurrent
// use.
func (db *DB) prepareLine(l ImportLine) preparedLine {
	p := preparedLine{ImportLine: l}
	doc := l.Document
	if doc == nil {
		if !l.Withdrawn {
			p.err = badLine(l, "no document and not withdrawn")
			return p
		}
		doc = l.Leaf.MarshalCanonical()
	} else if got := translog.DocumentHash(doc); got != l.Leaf.SHA256 {
		p.err = badLine(l, "the document hashes to %s, the line says %s", got, l.Leaf.SHA256)
		return p
	}
	v, err := gongshi.ParseDocument(doc)
	if err != nil {
		p.err = badLine(l, "%v", err)
		return p
	}
	p.leaf = v.Leaf().MarshalCanonical()
	if !bytes.Equal(p.leaf, l.Leaf.MarshalCanonical()) {
		p.err = badLine(l, "the document is of record %s version %d (%s about %s), the line names another", v.Record, v.Version, v.Kind, v.Subject)
		return p
	}
	if p.rec, err = parseID(v.Record); err != nil {
		p.err = badLine(l, "record id %q", v.Record)
		return p
	}
	if p.sum, err = hex.DecodeString(v.SHA256); err != nil || len(p.sum) != 32 {
		p.err = badLine(l, "append version: bad sha256 %q", v.SHA256)
		return p
	}
	if v.Version == 1 && v.Kind == gongshi.KindRegistration.Name {
		// What importRecord puts of the enterprise, if the record is new.
		d, err := gongshi.OpenDossier([]gongshi.StoredVersion{{Document: v.Document}}, false)
		if err != nil {
			p.regErr = err
		} else {
			p.reg = gongshi.Project(d, func(string) string { return "" })
		}
	}
	p.v = v
	p.stored, p.dictID = db.docs.compressed(v.Document)
	return p
}

// importLine appends one prepared version and returns its enterprise's row id (0 for a
// draw).
func (t *tx) importLine(l *preparedLine, texts DrawTexts) (int64, error) {
	if next := t.db.appender.Size() + int64(len(t.leaves)); l.LogIndex != next {
		return 0, badLine(l.ImportLine, "the log's next index is %d", next)
	}
	if l.err != nil {
		return 0, l.err
	}
	v := l.v
	ent, err := t.importRecord(l)
	if err != nil {
		return 0, badLine(l.ImportLine, "%v", err)
	}
	if l.dictID != t.db.docs.dictID() {
		// The store trained its dictionary after the line was prepared.
		l.stored, l.dictID = t.db.docs.compressed(v.Document)
	}
	if err := t.appendVersion(v, l.rec, l.sum, l.stored, l.leaf); err != nil {
		return 0, badLine(l.ImportLine, "%v", err)
	}
	if l.Document == nil {
		if _, err := t.exec(`INSERT INTO awaiting_withdrawal (log_index) VALUES (?)`, l.LogIndex); err != nil {
			return 0, err
		}
	}
	switch v.Kind {
	case gongshi.KindDraw:
		return 0, t.importDraw(l.rec, texts)
	case gongshi.KindCheckItem.Name:
		return 0, t.importCheckItem(l.rec)
	}
	return ent, nil
}

// importRecord makes the row of a line's record, with the id its document names, if it
// has none yet, and returns its enterprise's row id; an enterprise's row is made with its
// registration's first version.
func (t *tx) importRecord(l *preparedLine) (int64, error) {
	v, rec := l.v, l.rec
	if ent, ok := t.knownRecord(rec); ok {
		return ent, nil
	}
	var ent int64
	// Records ids at or above nextRecord have no row yet: most lines of an import begin
	// a record, and need not look for it.
	if rec < t.nextRecord || t.db.shared {
		switch err := t.queryRow(`SELECT enterprise FROM records WHERE id = ?`, rec).Scan(&ent); {
		case err == nil:
			t.noteRecord(rec, ent)
			return ent, nil
		case err != sql.ErrNoRows:
			return 0, err
		}
	}
	if v.Version != 1 {
		return 0, fmt.Errorf("version %d of record %d, which has no version 1", v.Version, rec)
	}
	if !gongshi.AboutNoEnterprise(v.Kind) {
		if v.Kind == gongshi.KindRegistration.Name {
			if l.regErr != nil {
				return 0, l.regErr
			}
			if err := t.PutEnterprise(l.reg.Enterprise, l.reg.Terms); err != nil {
				return 0, err
			}
		}
		id, isNew, err := t.entID(v.Subject)
		if err != nil {
			return 0, err
		}
		if isNew {
			return 0, fmt.Errorf("a %s record about %s, which the snapshot has not registered before", v.Kind, v.Subject)
		}
		ent = id
	}
	if _, err := t.exec(`INSERT INTO records (id, kind, enterprise, salt) VALUES (?, ?, ?, ?)`, rec, v.Kind, ent, []byte{}); err != nil {
		return 0, fmt.Errorf("insert record: %w", err)
	}
	t.noteRecord(rec, ent)
	t.nextRecord = max(t.nextRecord, rec+1)
	return ent, nil
}

// importDraw makes a draw's rows from its documents and the texts they name.
func (t *tx) importDraw(rec int64, texts DrawTexts) error {
	vs, err := t.recordVersions(rec)
	if err != nil {
		return err
	}
	d, err := gongshi.DrawOf(vs)
	if err != nil {
		return err
	}
	text := func(which, digest string) ([]byte, error) {
		b, ok := texts(d.Number, which)
		if !ok || draw.Digest(b) != digest {
			return nil, gongshi.Errorf(gongshi.EINVALID, "draw %s: the snapshot holds no %s text with the digest its document names", d.Number, which)
		}
		return b, nil
	}
	if len(vs) == 1 {
		pop, err := text("population", d.PopulationSHA256)
		if err != nil {
			return err
		}
		roster, err := text("roster", d.RosterSHA256)
		if err != nil {
			return err
		}
		return t.CreateDraw(d, pop, roster, []byte{}) // the seed is secret until drawn: a snapshot has it only in the drawn version
	}
	result, err := text("result", d.ResultSHA256)
	if err != nil {
		return err
	}
	as, err := draw.ParseResult(result)
	if err != nil {
		return err
	}
	return t.SaveDrawResult(d, result, as)
}

// reproject makes an enterprise's current-state rows again from its documents: those the
// write path keeps (list entries, annual reports, orders, withdrawals, decisions, listing
// grounds, spot-check results) are deleted and written from its projection.
func (t *tx) reproject(ent int64, uscc string) error {
	rows, err := t.query(`SELECT `+storedColsFor(false)+` FROM versions v WHERE v.id >= ? AND v.id < ? ORDER BY v.log_index`, ent*perEnterprise, (ent+1)*perEnterprise)
	svs, err := t.db.docs.storedVersions(rows, err)
	if err != nil {
		return err
	}
	d, err := gongshi.OpenDossier(svs, false)
	if err != nil {
		return err
	}
	p := gongshi.Project(d, func(number string) string {
		var j string
		t.queryRow(`SELECT jurisdiction FROM draws WHERE number = ?`, number).Scan(&j)
		return j
	})
	return t.putProjection(ent, uscc, d, p)
}

// projectionDeletes remove an enterprise's current-state rows before putProjection writes
// them again: by its USCC, by the range of its versions' ids, or by its row id. Each is
// planned by an index (scanIndexesSchema): a bulk load's finish runs them for every
// enterprise, and a scan in each made the finish quadratic in the register's size (a 20,000
// enterprise import: 44 s of its 76 s scanning enforcement_decisions).
var projectionDeletes = struct {
	byUSCC, byVersions []string
	byEnterprise       string
}{
	byUSCC: []string{
		`DELETE FROM list_entries WHERE uscc = ?`, `DELETE FROM annual_reports WHERE uscc = ?`,
		`DELETE FROM orders WHERE uscc = ?`, `DELETE FROM listing_grounds WHERE enterprise = ?`,
	},
	byVersions: []string{
		`DELETE FROM withdrawals WHERE log_index IN (SELECT log_index FROM versions WHERE id >= ? AND id < ?)`,
		`DELETE FROM spot_check_results WHERE log_index IN (SELECT log_index FROM versions WHERE id >= ? AND id < ?)`,
	},
	byEnterprise: `DELETE FROM enforcement_decisions WHERE record IN (SELECT id FROM records WHERE enterprise = ?)`,
}

// putProjection replaces the current-state rows of enterprise row ent with p, the
// projection of its dossier d.
func (t *tx) putProjection(ent int64, uscc string, d *gongshi.Dossier, p *gongshi.Projection) error {
	lo, hi := ent*perEnterprise, (ent+1)*perEnterprise
	for _, q := range projectionDeletes.byUSCC {
		if _, err := t.exec(q, uscc); err != nil {
			return err
		}
	}
	for _, q := range projectionDeletes.byVersions {
		if _, err := t.exec(q, lo, hi); err != nil {
			return err
		}
	}
	if _, err := t.exec(projectionDeletes.byEnterprise, ent); err != nil {
		return err
	}
	if err := t.PutEnterprise(p.Enterprise, p.Terms); err != nil {
		return err
	}
	for _, e := range p.Entries {
		if err := t.PutListEntry(e); err != nil {
			return err
		}
	}
	for _, f := range p.Filings {
		if err := t.PutAnnualReport(f); err != nil {
			return err
		}
	}
	for _, o := range p.Orders {
		if err := t.PutOrder(o); err != nil {
			return err
		}
	}
	for _, w := range p.Withdrawals {
		if _, err := t.exec(`INSERT INTO withdrawals (log_index, at, reason) VALUES (?, ?, ?)`, w.LogIndex, formatTime(w.At), w.Reason); err != nil {
			return err
		}
		if _, err := t.exec(`DELETE FROM awaiting_withdrawal WHERE log_index = ?`, w.LogIndex); err != nil {
			return err
		}
	}
	for _, k := range p.Decisions {
		on := calendar.Date{}
		if r := d.Record(k.Record); r != nil {
			on = calendar.DateOf(r.Versions[0].PublishedAt)
		}
		if err := t.PutDecided(k.Rule, k.Subject, k.Period, k.Record, on); err != nil {
			return err
		}
	}
	for _, g := range p.Grounds {
		if err := t.AddListingGround(g); err != nil {
			return err
		}
	}
	for _, r := range p.Results {
		if err := t.PutSpotCheckResult(r); err != nil {
			return err
		}
	}
	return nil
}

// EachDrawText calls fn with every text of every draw whose documents are among the
// versions of log index below n: population and roster, and the result once drawn.
func (db *DB) EachDrawText(ctx context.Context, n int64, fn func(number, which string, text []byte) error) error {
	rows, err := db.read(ctx, `SELECT d.number, t.which, t.text FROM draw_texts t JOIN draws d ON d.id = t.draw
		WHERE EXISTS (SELECT 1 FROM versions v WHERE v.record = d.record AND v.log_index < ? AND v.version = (CASE WHEN t.which = 'result' THEN 2 ELSE 1 END))
		ORDER BY d.id, t.which`, n)
	if err != nil {
		return fmt.Errorf("read draw texts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var number, which string
		var text []byte
		if err := rows.Scan(&number, &which, &text); err != nil {
			return err
		}
		if err := fn(number, which, text); err != nil {
			return err
		}
	}
	return rows.Err()
}
