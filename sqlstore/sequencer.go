package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/translog"
)

// writeReq is one unit of work waiting for the sequencer.
type writeReq struct {
	ctx  context.Context
	fn   func(gongshi.Tx) error
	done chan error
}

// Write implements gongshi.Store: fn runs in the sequencer's next batch transaction.
func (db *DB) Write(ctx context.Context, fn func(gongshi.Tx) error) error {
	if !db.holding.Load() {
		select {
		case <-db.lost:
			return errLostLock
		default:
			return errNotSequencer
		}
	}
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case db.reqs <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-db.closing:
		return gongshi.Errorf(gongshi.EUNAVAILABLE, "the store is shutting down")
	}
	// Once queued, the write may commit; wait for its outcome even if ctx ends.
	return <-req.done
}

// sequence is the sequencer: it takes whatever writes are waiting (no timer: a wait timer
// cost the prototype a third of its throughput), runs them in one transaction and
// acknowledges each once the batch has committed.
func (db *DB) sequence() {
	defer close(db.done)
	batch := make([]*writeReq, 0, db.maxBatch)
	for {
		var first *writeReq
		select {
		case first = <-db.reqs:
		case <-db.closing:
			// Drain what was queued before Close.
			select {
			case first = <-db.reqs:
			default:
				return
			}
		}
		batch = append(batch[:0], first)
	fill:
		for len(batch) < db.maxBatch {
			select {
			case r := <-db.reqs:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		db.runBatch(batch)
		if db.docs.dictID() == 0 && db.treeSize >= int64(db.dictAfter) && !db.dictFailed && !db.shared {
			if err := db.compactDocs(context.Background()); err != nil {
				db.log.Error("compressing documents with a dictionary failed; they stay compressed without one", "err", err)
				db.dictFailed = true
			}
		}
		db.restartWAL()
		if err := db.stmts.prepareWanted(); err != nil {
			db.log.Warn("prepare statements", "err", err)
		}
	}
}

// runBatch runs a batch in one transaction. Each unit of work runs inside a savepoint, so
// one that fails is undone alone (a unit alone in its batch undoes the transaction); the log
// leaves of the others are appended at the end.
func (db *DB) runBatch(batch []*writeReq) {
	began := time.Now()
	errs := make([]error, len(batch))
	t, err := db.begin()
	if err != nil {
		for _, r := range batch {
			r.done <- fmt.Errorf("begin write transaction: %w", err)
		}
		return
	}
	now := t.now
	// A unit alone in its batch needs no savepoint: if it fails, the whole transaction is
	// rolled back. The savepoint's journal of every page the unit changed was 9% of a bulk
	// load, whose units are batches of thousands of versions.
	alone := len(batch) == 1
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		t.now = now // a unit may have moved it (SetNow)
		if alone {
			errs[i] = t.run(r.fn)
		} else {
			errs[i] = t.unit(r.fn)
		}
	}
	if alone && errs[0] != nil {
		t.tx.Rollback()
		batch[0].done <- errs[0]
		return
	}
	err = t.finish()
	for i, r := range batch {
		if errs[i] == nil && err != nil {
			errs[i] = err
		}
		r.done <- errs[i]
	}
	if err != nil {
		db.log.Error("write batch failed", "units", len(batch), "err", err)
	} else if d := time.Since(began); d > slowBatch+time.Duration(len(t.leaves))*slowPerLeaf {
		db.log.Warn("slow write batch", "units", len(batch), "leaves", len(t.leaves), "duration", d)
	}
}

// A batch is slow, and logged, when it takes longer than slowBatch plus slowPerLeaf for each
// leaf: a stall (disk, checkpoint) rather than a bulk load's big batch.
const slowBatch, slowPerLeaf = 500 * time.Millisecond, 250 * time.Microsecond

// begin starts a batch transaction.
func (db *DB) begin() (*tx, error) {
	sqlTx, err := db.w.BeginTx(context.Background(), nil)
	if err != nil {
		return nil, err
	}
	t := &tx{db: db, tx: sqlTx, now: publicationTime(db.clock.Now()), nextRecord: db.nextRecord, nextEnt: db.nextEnt, logSize: db.appender.Size()}
	if db.bulk.Load() && db.dialect.postgres {
		if _, err := sqlTx.Exec(`SET LOCAL synchronous_commit TO off`); err != nil {
			sqlTx.Rollback()
			return nil, err
		}
	}
	if db.shared {
		t.besideServer()
	}
	return t, nil
}

// unit runs one unit of work in a savepoint, undoing it alone if it fails.
func (t *tx) unit(fn func(gongshi.Tx) error) (err error) {
	if _, err := t.exec("SAVEPOINT unit"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	mark := *t
	defer func() {
		if err != nil {
			*t = mark // drops the unit's leaves and ids
			t.ents, t.recordEnt, t.entNext = nil, nil, nil
			t.unsure = true
			if _, rerr := t.exec("ROLLBACK TO SAVEPOINT unit"); rerr != nil {
				t.broken = fmt.Errorf("rollback to savepoint: %w", rerr)
			}
		}
		if _, rerr := t.exec("RELEASE SAVEPOINT unit"); rerr != nil && t.broken == nil {
			t.broken = fmt.Errorf("release savepoint: %w", rerr)
		}
	}()
	return t.run(fn)
}

// run runs one unit of work, turning a panic into an error.
func (t *tx) run(fn func(gongshi.Tx) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = gongshi.Errorf(gongshi.EINTERNAL, "panic in write: %v", p)
		}
	}()
	return fn(t)
}

// finish appends the batch's leaves to the log and commits.
func (t *tx) finish() error {
	db := t.db
	if t.broken != nil {
		t.tx.Rollback()
		return t.broken
	}
	var b *translog.Batch
	if len(t.leaves) > 0 && db.shared {
		t.tx.Rollback()
		return errSharedAppend
	}
	if err := t.putPages(); err != nil {
		t.tx.Rollback()
		return err
	}
	if len(t.leaves) > 0 {
		if fence := db.fence.Load(); fence != nil {
			t.tx.Rollback()
			return *fence
		}
		var err error
		b, err = db.appender.Append(t.leaves)
		if err != nil {
			t.tx.Rollback()
			return err
		}
		if err := insertHashes(t.tx, db.dialect, b); err != nil {
			t.tx.Rollback()
			return fmt.Errorf("append log hashes: %w", err)
		}
	}
	if err := t.checkEpoch(); err != nil {
		t.tx.Rollback()
		return err
	}
	if err := t.tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	db.commits.Add(1) // before any caller is answered: its next page read sees the batch
	db.nextRecord, db.nextEnt = t.nextRecord, t.nextEnt
	if db.replica != nil {
		if err := db.replica.committed(db.w); err != nil {
			db.log.Warn("read-own-writes position", "err", err)
		}
	}
	db.ents.commit(t.ents, t.unsure)
	db.ids.commit(t.recordEnt, t.entNext, t.unsure || db.shared)
	if b != nil {
		if err := db.appender.Commit(b); err != nil {
			return err // cannot happen: only the sequencer appends
		}
		db.treeSizeMu.Lock()
		db.treeSize = b.End()
		db.treeSizeMu.Unlock()
	}
	// After the size: a subscriber woken by the batch (a live feed) reads up to TreeSize,
	// which must include the batch, or it would wait for the next commit to see it.
	db.notify(t.touched)
	return nil
}

// Fence makes every later batch that would append to the log fail with err, and nothing of
// it commit: a log whose store is behind its published checkpoint must not grow (signing
// its tree would fork the log). Writes that append nothing (accounts, sessions) go on.
// Reads are unaffected. A nil err lifts the fence.
func (db *DB) Fence(err error) {
	if err == nil {
		db.fence.Store(nil)
		return
	}
	db.fence.Store(&err)
}

// OnCommit registers fn to be called, on the sequencer's goroutine and in commit order,
// with the enterprises (USCCs, possibly repeated) whose public view each committed batch
// changed, once TreeSize counts the batch's leaves. fn must be quick; caches use it to drop
// stale entries, live feeds to read the new ones.
func (db *DB) OnCommit(fn func(subjects []string)) {
	db.subsMu.Lock()
	db.subs = append(db.subs, fn)
	db.subsMu.Unlock()
}

func (db *DB) notify(subjects []string) {
	db.subsMu.Lock()
	subs := db.subs
	db.subsMu.Unlock()
	for _, fn := range subs {
		fn(subjects)
	}
}

// insertHashes writes a batch's stored hashes, many rows per statement.
func insertHashes(q *sql.Tx, d dialect, b *translog.Batch) error {
	const per = 200
	for i := 0; i < len(b.Hashes); i += per {
		end := min(i+per, len(b.Hashes))
		query := "INSERT INTO log_hashes (idx, hash) VALUES " + placeholders(end-i, 2)
		args := make([]any, 0, 2*(end-i))
		for j := i; j < end; j++ {
			args = append(args, b.FirstIndex+int64(j), b.Hashes[j][:])
		}
		if _, err := q.Exec(d.rebind(query), args...); err != nil {
			return err
		}
	}
	return nil
}

// placeholders returns "(?,?),(?,?)…" for rows rows of cols columns.
func placeholders(rows, cols int) string {
	one := "(?" + repeat(",?", cols-1) + ")"
	return one + repeat(","+one, rows-1)
}

func repeat(s string, n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, 0, len(s)*n)
	for i := 0; i < n; i++ {
		b = append(b, s...)
	}
	return string(b)
}
