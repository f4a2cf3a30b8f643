package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/gongshi/gongshi"
)

// Several servers over one PostgreSQL database. Exactly one process holds the sequencer:
// the session-level advisory lock writerLockKey, on a connection kept for it. Others opened
// with Config.Standby serve reads, refuse writes with errNotSequencer (gongshi serve passes
// them to the holder, whose address the sequencer row holds), follow the log as it grows,
// and wait on the lock: when the holder's session ends — the process died, and with it
// its connections — one of them takes the lock and the sequencer over.
//
// Fencing: a new holder bumps the sequencer row's epoch before it reads the log's edge,
// and every batch reads the row FOR SHARE before it commits, failing if the epoch is no
// longer its own. So a batch of an old holder whose lock was lost (a network fault) either
// commits before the new holder reads the edge, or does not commit at all.

const sequencerSchema = `CREATE TABLE sequencer (id INTEGER PRIMARY KEY, epoch BIGINT NOT NULL, addr TEXT NOT NULL, since TEXT NOT NULL);`

var (
	errNotSequencer = &gongshi.Error{Code: gongshi.EUNAVAILABLE,
		Message: "this server does not hold the sequencer: another gongshi server writes to this register",
		Fix:     "send the write to the server that holds it (gongshi serve passes writes on by itself)"}
)

// followEvery is how often a server that does not write reads the log's new leaves.
const followEvery = 100 * time.Millisecond

// Holding reports whether this process runs the register's sequencer.
func (db *DB) Holding() bool { return db.holding.Load() }

// Held is closed when this process starts to run the sequencer (at Open, or on taking it over).
func (db *DB) Held() <-chan struct{} { return db.held }

// Lost is closed if this process loses the sequencer it held: its lock's session ended
// (lock.go's watchLock) or another process claimed it. It refuses writes from then on
// (errLostLock) until restarted, when it takes the lock again or serves as a standby.
func (db *DB) Lost() <-chan struct{} { return db.lost }

// Sequencer returns the address the process holding the sequencer advertised (SetAdvertise),
// and whether that is this process.
func (db *DB) Sequencer(ctx context.Context) (addr string, self bool, err error) {
	if db.holding.Load() {
		return db.advertised(), true, nil
	}
	err = db.w.QueryRowContext(ctx, `SELECT addr FROM sequencer WHERE id = 1`).Scan(&addr)
	if err == sql.ErrNoRows {
		return "", false, nil
	}
	return addr, false, err
}

// SetAdvertise sets the address other servers pass writes to while this process holds the
// sequencer (a base URL such as http://10.0.0.5:8080).
func (db *DB) SetAdvertise(ctx context.Context, addr string) error {
	db.startMu.Lock()
	defer db.startMu.Unlock()
	db.addr = addr
	if !db.holding.Load() || !db.dialect.postgres || db.shared {
		return nil
	}
	_, err := db.w.ExecContext(ctx, `UPDATE sequencer SET addr = $1 WHERE id = 1 AND epoch = $2`, addr, db.epoch)
	return err
}

// Advertised returns the address SetAdvertise set.
func (db *DB) Advertised() string { return db.advertised() }

func (db *DB) advertised() string {
	db.startMu.Lock()
	defer db.startMu.Unlock()
	return db.addr
}

// claim makes this process the sequencer's holder in the sequencer row: a new epoch, and
// its address. It runs once the lock is held and before the log's edge is read.
func (db *DB) claim(ctx context.Context) error {
	err := db.w.QueryRowContext(ctx, `INSERT INTO sequencer (id, epoch, addr, since) VALUES (1, 1, $1, $2)
		ON CONFLICT (id) DO UPDATE SET epoch = sequencer.epoch + 1, addr = excluded.addr, since = excluded.since
		RETURNING epoch`, db.addr, formatTime(time.Now())).Scan(&db.epoch)
	if err != nil {
		return fmt.Errorf("claim the sequencer: %w", err)
	}
	return nil
}

// checkEpoch fails a batch of a holder whose epoch is no longer the row's.
func (t *tx) checkEpoch() error {
	db := t.db
	if !db.dialect.postgres || db.shared {
		return nil
	}
	var epoch int64
	if err := t.tx.QueryRow(`SELECT epoch FROM sequencer WHERE id = 1 FOR SHARE`).Scan(&epoch); err != nil {
		return fmt.Errorf("read the sequencer's epoch: %w", err)
	}
	if epoch != db.epoch {
		db.markLost(fmt.Errorf("the sequencer's epoch is %d, this process holds %d", epoch, db.epoch))
		db.Fence(errLostLock)
		return errLostLock
	}
	return nil
}

// startSequencer runs the sequencer: migrations, the claim, the log's edge, the goroutine.
// The writer lock is held.
func (db *DB) startSequencer(ctx context.Context) error {
	if err := db.migrate(ctx); err != nil {
		return err
	}
	if !db.shared && !db.bulkOpen {
		// A bulk load on PostgreSQL stopped before it built them again (bulk.go).
		if err := db.ensureIndexes(ctx); err != nil {
			return err
		}
	}
	if db.dialect.postgres && !db.shared {
		if err := db.claim(ctx); err != nil {
			return err
		}
	}
	if err := db.loadState(ctx); err != nil {
		return err
	}
	if err := db.docs.reload(ctx); err != nil {
		return err
	}
	if err := db.compactDocs(ctx); err != nil {
		return err
	}
	db.seqStarted = true
	go db.sequence()
	db.holding.Store(true)
	close(db.held)
	if l, ok := db.lock.(pgLock); ok {
		go db.watchLock(l.conn, time.Second) // lock.go
	}
	return nil
}

// await waits on the writer lock with conn and takes the sequencer over when it gets it.
func (db *DB) await(ctx context.Context, conn *sql.Conn) {
	defer db.bg.Done()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, writerLockKey); err != nil {
		conn.Close()
		if ctx.Err() == nil {
			db.log.Error("waiting for the sequencer failed", "err", err)
			db.markLost(err)
		}
		return
	}
	db.startMu.Lock()
	defer db.startMu.Unlock()
	db.lock = pgLock{conn}
	if db.isClosed {
		return // Close releases it
	}
	if err := db.startSequencer(ctx); err != nil {
		db.log.Error("taking over the sequencer failed", "err", err)
		db.markLost(err)
		return
	}
	db.log.Info("took over the sequencer", "epoch", db.epoch, "log_size", db.treeSize)
}

func (db *DB) markLost(err error) {
	db.lostOnce.Do(func() {
		db.holding.Store(false)
		db.log.Error("this server no longer holds the sequencer", "err", err)
		close(db.lost)
	})
}

// follow reads the leaves the log gained, every followEvery, from the readers: on a
// standby they are its log size, and on any server reading a replica they tell the
// OnCommit subscribers (caches, feeds) what changed once the replica shows it.
func (db *DB) follow(next int64) {
	defer db.bg.Done()
	t := time.NewTicker(followEvery)
	defer t.Stop()
	for {
		select {
		case <-db.bgStop:
			return
		case <-t.C:
		}
		n, subjects, err := db.newLeaves(next)
		if err != nil {
			db.log.Warn("follow the log", "err", err)
			continue
		}
		if n == next {
			continue
		}
		next = n
		if !db.holding.Load() {
			db.treeSizeMu.Lock()
			db.treeSize = max(db.treeSize, n)
			db.treeSizeMu.Unlock()
		}
		db.notify(subjects)
	}
}

// newLeaves returns the log size the readers show, if larger than from, and the
// enterprises of the versions from there.
func (db *DB) newLeaves(from int64) (int64, []string, error) {
	rows, err := db.r.Query(db.dialect.rebind(`SELECT v.log_index, COALESCE(e.uscc, '') FROM versions v
		JOIN records r ON r.id = v.record LEFT JOIN enterprises e ON e.id = r.enterprise
		WHERE v.log_index >= ? ORDER BY v.log_index LIMIT 10000`), from)
	if err != nil {
		return from, nil, err
	}
	defer rows.Close()
	var subjects []string
	for rows.Next() {
		var i int64
		var uscc string
		if err := rows.Scan(&i, &uscc); err != nil {
			return from, nil, err
		}
		if uscc != "" {
			subjects = append(subjects, uscc)
		}
		from = i + 1
	}
	return from, subjects, rows.Err()
}
