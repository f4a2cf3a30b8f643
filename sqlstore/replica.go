package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gongshi/gongshi"
)

// replica is a PostgreSQL read replica (Config.ReadURL), streaming from the primary and
// lagging it by its replication delay. A read runs on it when it has reached what the read
// asks for — a log size (gongshi.WithMinLogSize), and with Config.ReadOwnWrites this
// process's last commit — waiting up to wait for it, and on the primary otherwise.
type replica struct {
	db      *sql.DB // the replica (DB.r)
	primary *sql.DB // a pool of the primary's connections for reads the replica cannot take
	wait    time.Duration
	own     bool // wait for this process's own commits

	size   atomic.Int64  // the log size last seen on the replica
	lsn    atomic.Uint64 // the WAL position last seen replayed on the replica
	ownLSN atomic.Uint64 // the WAL position of this process's last commit (with own)
	onRepl atomic.Int64  // reads served by the replica
	onPrim atomic.Int64  // reads served by the primary
}

// replicaPoll is how often a waiting read looks at the replica's progress.
const replicaPoll = 2 * time.Millisecond

// DefaultReplicaWait is how long a read waits for the replica before reading the primary.
const DefaultReplicaWait = 250 * time.Millisecond

// onPrimary returns ctx whose reads run on the primary: the sequencer's, which must see
// every commit.
func onPrimary(ctx context.Context) context.Context {
	return context.WithValue(ctx, primaryKey{}, true)
}

type primaryKey struct{}

// pool returns the pool a read with ctx runs on.
func (r *replica) pool(ctx context.Context) *sql.DB {
	if ctx.Value(primaryKey{}) != nil {
		return r.primary
	}
	if r.reached(ctx) {
		r.onRepl.Add(1)
		return r.db
	}
	deadline := time.Now().Add(r.wait)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		// An error (the replica restarting, or not yet having replayed the tables) is
		// waited out like a lag.
		if err := r.poll(ctx); err == nil && r.reached(ctx) {
			r.onRepl.Add(1)
			return r.db
		}
		time.Sleep(replicaPoll)
	}
	r.onPrim.Add(1)
	return r.primary
}

func (r *replica) reached(ctx context.Context) bool {
	if r.size.Load() < gongshi.MinLogSize(ctx) {
		return false
	}
	return !r.own || r.lsn.Load() >= r.ownLSN.Load()
}

// poll reads the replica's log size and replay position.
func (r *replica) poll(ctx context.Context) error {
	var size int64
	var lsn string
	err := r.db.QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(log_index)+1, 0) FROM versions),
		(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text`).Scan(&size, &lsn)
	if err != nil {
		return fmt.Errorf("read the replica's position: %w", err)
	}
	pos, err := parseLSN(lsn)
	if err != nil {
		return err
	}
	raise(&r.size, size)
	raiseU(&r.lsn, pos)
	return nil
}

// committed notes, with own, the WAL position of a commit of this process.
func (r *replica) committed(w *sql.DB) error {
	if !r.own {
		return nil
	}
	var lsn string
	if err := w.QueryRow(`SELECT pg_current_wal_lsn()::text`).Scan(&lsn); err != nil {
		return fmt.Errorf("read the primary's WAL position: %w", err)
	}
	pos, err := parseLSN(lsn)
	if err != nil {
		return err
	}
	raiseU(&r.ownLSN, pos)
	return nil
}

// atLeast returns ctx asking its reads to see a log of at least n leaves, or more if ctx
// already asks for more: a range read up to the sequencer's size, which a lagging replica
// would answer short.
func atLeast(ctx context.Context, n int64) context.Context {
	if n <= gongshi.MinLogSize(ctx) {
		return ctx
	}
	return gongshi.WithMinLogSize(ctx, n)
}

// parseLSN parses a PostgreSQL WAL position, "16/B374D848".
func parseLSN(s string) (uint64, error) {
	hi, lo, ok := strings.Cut(s, "/")
	h, err1 := strconv.ParseUint(hi, 16, 32)
	l, err2 := strconv.ParseUint(lo, 16, 32)
	if !ok || err1 != nil || err2 != nil {
		return 0, fmt.Errorf("WAL position %q: want HI/LO in hexadecimal", s)
	}
	return h<<32 | l, nil
}

func raise(a *atomic.Int64, v int64) {
	for old := a.Load(); v > old && !a.CompareAndSwap(old, v); old = a.Load() {
	}
}

func raiseU(a *atomic.Uint64, v uint64) {
	for old := a.Load(); v > old && !a.CompareAndSwap(old, v); old = a.Load() {
	}
}

// ReplicaReads returns how many reads the replica served and how many went to the primary
// because the replica had not reached what they asked for in time. Without a replica both
// are 0.
func (db *DB) ReplicaReads() (replica, primary int64) {
	if db.replica == nil {
		return 0, 0
	}
	return db.replica.onRepl.Load(), db.replica.onPrim.Load()
}
