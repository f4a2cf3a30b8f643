package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/gongshi/gongshi"
)

var (
	errWriterLocked = &gongshi.Error{Code: gongshi.EUNAVAILABLE,
		Message: "another gongshi process (a server, a demo or a sweep) is writing to this register",
		Fix:     "stop it first, or do this through the running server (it sweeps by itself every day)"}
	errSharedAppend = &gongshi.Error{Code: gongshi.EUNAVAILABLE,
		Message: "this command opened the register beside a running server and cannot publish",
		Fix:     "publish through the server's API, or stop the server first"}
)

// lockFile takes an exclusive lock on path (created if need be) for as long as the
// returned file stays open. The lock is the operating system's, so a process killed with
// -9 releases it.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("writer lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errWriterLocked
		}
		return nil, fmt.Errorf("writer lock %s: %w", path, err)
	}
	return f, nil
}

// writerLockKey is the PostgreSQL advisory lock the writer holds (advisory locks are per
// database, so registers in different databases do not contend).
const writerLockKey = 7349001

// pgLock is the writer's advisory lock, held by a session kept out of the pool. Close
// unlocks it explicitly: closing the connection alone leaves the server to notice the
// session's end, and a process reopening the register at once could find it still held.
type pgLock struct{ conn *sql.Conn }

func (l pgLock) Close() error {
	_, err := l.conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, writerLockKey)
	return errors.Join(err, l.conn.Close())
}

// errLostLock fences a store whose PostgreSQL writer lock went with its session.
var errLostLock = &gongshi.Error{Code: gongshi.EUNAVAILABLE,
	Message: "this server lost its PostgreSQL writer lock (the session holding it ended) and no longer publishes: another process may now hold the sequencer",
	Fix:     "restart the server; it takes the lock again if no other process holds it"}

// watchLock checks every interval that the session holding the writer lock is alive. An
// ended session (a terminated backend, a restarted PostgreSQL, a network cut) released
// the lock, so another process may have become the sequencer: the store is fenced
// (nothing more is appended) and the reason logged, until a restart takes the lock again.
func (db *DB) watchLock(conn *sql.Conn, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-db.closing:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := conn.PingContext(ctx)
		cancel()
		select {
		case <-db.closing:
			return
		default:
		}
		if err != nil {
			db.markLost(err) // holder.go
			db.Fence(errLostLock)
			db.log.Error("LOST THE WRITER LOCK: this server no longer publishes; restart it", "err", err)
			return
		}
	}
}

// sharedBase is where a batch beside a running server numbers the records, enterprises
// and leaves it would add: far above any the server will reach (an enterprise's versions
// are numbered from its id times 2^20, which stays below 2^63).
const sharedBase = 1 << 40

// besideServer readies a batch of a store opened beside a running server (Config.Shared).
// The store's counters and its cache of enterprises are as they were when it opened; the
// server has gone on writing since. Such a batch can never commit a leaf (finish refuses
// it), so what it would add is numbered from sharedBase, where no row of the server's is
// or will be, and it reads every enterprise from the transaction. A dry run (a sweep's)
// then works beside the server, and neither waits on nor collides with the other's rows.
func (t *tx) besideServer() {
	t.nextRecord, t.nextEnt, t.logSize = sharedBase, sharedBase, sharedBase
	t.unsure = true
}
