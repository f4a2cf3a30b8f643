// Package sqlstore implements gongshi's storage on SQLite (the embedded default,
// modernc.org/sqlite in WAL mode) and PostgreSQL (pgx), with one set of queries and a
// small dialect. Every change goes through one sequencer goroutine that batches waiting
// writes into one transaction (group commit) and appends their log leaves and tlog stored
// hashes in that same transaction, so the register and its log can never disagree.
package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/mod/sumdb/tlog"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/translog"
)

// Config says where the data lives.
type Config struct {
	// URL is a postgres:// URL; empty means SQLite in Dir.
	URL string
	// ReadURL, with a PostgreSQL URL, is a read replica that serves reads; the sequencer
	// reads and writes the primary. A replica may lag the primary by its replication delay:
	// a read that asks for a log size it has not reached (gongshi.WithMinLogSize) waits up
	// to ReplicaWait for it, then reads the primary.
	ReadURL string
	// ReplicaWait is how long a read waits for the replica; 0 means DefaultReplicaWait.
	ReplicaWait time.Duration
	// ReadOwnWrites, with ReadURL, makes every read see every write this process has
	// acknowledged, as if it had asked for their log size (the conformance suite runs so).
	ReadOwnWrites bool
	// Dir is the data folder; the SQLite database is Dir/gongshi.db.
	Dir string
	// Clock stamps publication times; nil means the system clock.
	Clock gongshi.Clock
	// Logger receives operational messages; nil means slog.Default().
	Logger *slog.Logger
	// DictAfter is how many versions the store holds when it trains the dictionary its
	// documents are compressed with (docs.go); 0 means DefaultDictAfter.
	DictAfter int
	// MaxBatch caps the units of work in one write transaction (default 1024).
	MaxBatch int
	// Standby, with PostgreSQL, opens the store beside another process that holds the
	// sequencer (holder.go): it serves reads, refuses writes (gongshi serve passes them to
	// the holder), and takes the sequencer over when the holder's session ends.
	Standby bool
	// Shared opens the store beside a process that holds the writer lock (a running
	// server): it may write accounts and tokens, but a batch that would append to the log
	// is refused. By default Open takes the writer lock and fails if another process has it:
	// two sequencers appending to one log would corrupt it.
	Shared bool
	// Bulk opens the store for a bulk load (StartBulk): a SQLite data folder holding an
	// unfinished one (BulkFile) is carried on instead of refused.
	Bulk bool
}

// DB is the store. It implements gongshi.Store and translog.Store.
type DB struct {
	dialect dialect
	w       *sql.DB  // the writer: one connection on SQLite
	r       *sql.DB  // readers
	replica *replica // with Config.ReadURL: r is a replica
	// primaryReads, with a replica, reads the primary for reads the replica has not reached.
	primaryReads *sql.DB
	ck           *sql.DB // SQLite WAL checkpoints
	scans        *sql.DB // SQLite: reads of the whole log (scan)
	clock        gongshi.Clock
	log          *slog.Logger
	path         string // SQLite file

	reqs     chan *writeReq
	maxBatch int
	done     chan struct{}
	closing  chan struct{}
	closeMu  sync.Once

	// Sequencer state, owned by the sequencer goroutine.
	appender     *translog.Appender
	nextRecord   int64
	nextEnt      int64
	treeSize     int64 // committed leaves, readable by others
	treeSizeMu   sync.RWMutex
	ents         entCache // committed enterprises, by USCC
	ids          idCache  // committed records' enterprises and enterprises' next version ids
	walCheckStop chan struct{}
	walCheckDone chan struct{} // closed when checkpointWAL has returned
	walFrames    atomic.Int64  // WAL length at the last background checkpoint
	shared       bool
	fence        atomic.Pointer[error] // why batches that append to the log are refused
	lock         io.Closer             // the writer lock, held until Close
	standby      *sql.Conn             // with Config.Standby: the connection waiting for the lock
	holding      atomic.Bool
	held, lost   chan struct{} // closed when this process takes, and loses, the sequencer
	lostOnce     sync.Once
	epoch        int64 // the sequencer row's epoch this process claimed
	startMu      sync.Mutex
	addr         string // advertised to the other servers (SetAdvertise)
	seqStarted   bool   // the sequencer goroutine runs (it closes done)
	isClosed     bool
	bg           sync.WaitGroup // follow, await
	bgStop       chan struct{}
	stopAwait    context.CancelFunc
	subsMu       sync.Mutex
	subs         []func(subjects []string)
	stmts        stmtCache
	rstmts       sync.Map      // query → *sql.Stmt prepared on the readers
	pages        *pageReader   // SQLite: the page rows' lookups (pageread.go)
	commits      atomic.Uint64 // the sequencer's commits: page connections' held transactions end at the next
	nstmts       atomic.Int64  // how many rstmts holds
	docs         *docCodec     // compresses and opens the versions' documents (docs.go)
	dictAfter    int
	dictFailed   bool // training a dictionary failed once: not tried again until restart
	// A bulk load (bulk.go): bulkOpen is Config.Bulk, bulkMarked that the SQLite folder
	// holds the marker, bulk that StartBulk has run and FinishBulk not yet.
	bulkOpen, bulkMarked bool
	bulk                 atomic.Bool
	// bulkResumed: the SQLite folder held the marker when opened (a load carried on);
	// bulkReproject: ImportVersions left the current-state rows to FinishBulk. Either way
	// FinishBulk makes every enterprise's rows (reprojectAll).
	bulkResumed   bool
	bulkReproject atomic.Bool
	// fewEntries is listFilterPlan's bound: fewListEntries (tests set it lower).
	fewEntries int
	// seekRatio and seekBatch are loggedOfSubjects' choice and how many enterprises a
	// statement of its seeks names: seekRatio and subjectBatch (tests set them).
	seekRatio int64
	seekBatch int
}

// Open opens (creating if need be) the store, applies migrations and starts the sequencer.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	db := &DB{clock: cfg.Clock, log: cfg.Logger, maxBatch: cfg.MaxBatch, shared: cfg.Shared, bulkOpen: cfg.Bulk, fewEntries: fewListEntries, seekRatio: seekRatio, seekBatch: subjectBatch,
		reqs: make(chan *writeReq, 4096), done: make(chan struct{}), closing: make(chan struct{}),
		held: make(chan struct{}), lost: make(chan struct{}), bgStop: make(chan struct{})}
	if db.clock == nil {
		db.clock = gongshi.SystemClock{}
	}
	if db.log == nil {
		db.log = slog.Default()
	}
	if db.maxBatch <= 0 {
		db.maxBatch = 1024
	}
	db.dictAfter = cfg.DictAfter
	if db.dictAfter <= 0 {
		db.dictAfter = DefaultDictAfter
	}
	db.docs = newDocCodec(func(ctx context.Context) (map[uint32][]byte, error) {
		if db.primaryReads != nil { // the replica may lag: the primary has every dictionary
			return loadDicts(ctx, db.primaryReads)
		}
		return loadDicts(ctx, db.r)
	})
	var err error
	if cfg.URL != "" {
		err = db.openPostgres(ctx, cfg)
	} else {
		err = db.openSQLite(ctx, cfg.Dir)
	}
	if err != nil {
		return nil, err
	}
	db.stmts = stmtCache{db: db.w, d: db.dialect}
	if db.standby != nil {
		// Another process holds the sequencer (and migrated): read, follow, and wait.
		if err := db.w.QueryRowContext(ctx, `SELECT COALESCE(MAX(log_index)+1, 0) FROM versions`).Scan(&db.treeSize); err != nil {
			db.closeConns()
			return nil, fmt.Errorf("read tree size: %w", err)
		}
		actx, cancel := context.WithCancel(context.Background())
		db.stopAwait = cancel
		db.bg.Add(2)
		go db.await(actx, db.standby)
		go db.follow(db.treeSize)
		return db, nil
	}
	if err := db.startSequencer(ctx); err != nil {
		db.closeConns()
		return nil, err
	}
	if db.replica != nil {
		db.bg.Add(1)
		go db.follow(db.treeSize)
	}
	if !db.dialect.postgres {
		db.walCheckStop, db.walCheckDone = make(chan struct{}), make(chan struct{})
		go db.checkpointWAL()
	}
	return db, nil
}

func (db *DB) openSQLite(ctx context.Context, dir string) error {
	db.dialect = dialect{name: "sqlite"}
	if dir == "" {
		return errors.New("sqlstore: no data folder given")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	db.path = filepath.Join(dir, "gongshi.db")
	if !db.shared {
		l, err := lockFile(filepath.Join(dir, "gongshi.lock"))
		if err != nil {
			return err
		}
		db.lock = l
	}
	if err := db.checkBulkMarker(dir, db.bulkOpen && !db.shared); err != nil {
		db.closeConns()
		return err
	}
	// synchronous=FULL: a write is durable when acknowledged. wal_autocheckpoint=0: WAL
	// checkpoints run beside the writer (checkpointWAL), not inside its commits, where they
	// caused the p99 spikes of the prototype. mmap_size: connections read the database file
	// through one shared mapping instead of a pread and a private page-cache copy per page
	// (5× the cold enterprise-page throughput); SQLite caps it at 2 GiB, the first 2 GiB.
	// The writer keeps 256 MiB of pages: the index pages it updates at random. (It was
	// meant to keep 1 GiB, but the driver runs the _pragma list sorted by its text, and of
	// the two cache sizes its DSN gave the 256 MiB came last: every figure measured so far
	// is of 256 MiB.) A reader keeps 32 MiB (readerCache). page_size is for new files
	// only (PageSize); journal_mode, which writes a new file's header, is given by its own
	// key, applied after the list.
	common := "_pragma=busy_timeout(10000)&_pragma=page_size(" + strconv.Itoa(PageSize) + ")&_journal_mode=WAL&_pragma=synchronous(FULL)&_pragma=temp_store(MEMORY)&_pragma=mmap_size(2147418112)"
	var err error
	db.w, err = sql.Open("sqlite", "file:"+db.path+"?"+common+"&_pragma=wal_autocheckpoint(0)&_pragma=cache_size("+strconv.Itoa(writerCache)+")&_txlock=immediate")
	if err != nil {
		return err
	}
	db.w.SetMaxOpenConns(1)
	db.w.SetMaxIdleConns(1)
	db.w.SetConnMaxLifetime(0)
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("open %s: %w", db.path, err)
	}
	readDSN := "file:" + db.path + "?" + common + "&_pragma=query_only(1)&_pragma=cache_size(" + strconv.Itoa(readerCache) + ")"
	db.r, err = sql.Open("sqlite", readDSN)
	if err != nil {
		return err
	}
	db.r.SetMaxOpenConns(16)
	db.r.SetMaxIdleConns(16)
	drv := db.r.Driver()
	var commits *atomic.Uint64 // beside the writer, its commits are not seen here
	if !db.shared {
		commits = &db.commits
	}
	// Two page connections a core: a lookup holds one for microseconds, and each maps the
	// file anew, so that every connection more faults the same pages into the process
	// again. On a 1M store (5.7 GB, 2 cores), server CPU a page: 142–156 µs with 16
	// connections, 136 with 8, 115 with 4, 108 with 2; on the 20k demo ~95 µs with 2 to 16.
	db.pages = newPageReader(func() (driver.Conn, error) { return drv.Open(readDSN) }, 2*runtime.GOMAXPROCS(0), commits)
	db.ck, err = sql.Open("sqlite", "file:"+db.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	db.ck.SetMaxOpenConns(1)
	// Scans of the whole log (snapshot.go) read each page once, or at random: a page cache
	// would hold pages they do not read again, and the readers' mapping would make every
	// page of the file resident in this process, once per connection. Their connections
	// read through a small cache alone. gongshi snapshot of a 350 MB store (20,000
	// enterprises) peaked at 145 MiB resident with a 2 MiB cache (123 MiB anonymous), 235
	// MiB with 8 MiB, 473 MiB with 32 MiB, and 998 MiB through the mapping, which took 20%
	// less CPU (11–13 against 14–16 CPU-s).
	db.scans, err = sql.Open("sqlite", "file:"+db.path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)&_pragma=cache_size(-2048)&_pragma=mmap_size(0)")
	if err != nil {
		return err
	}
	db.scans.SetMaxOpenConns(2 * runtime.GOMAXPROCS(0)) // the snapshot's two files, made on every core
	db.scans.SetMaxIdleConns(2 * runtime.GOMAXPROCS(0))
	return nil
}

// writerCache is the writer's page cache, 256 MiB (cache_size: negative, in KiB).
const writerCache = -256 << 10

// readerCache is a reading connection's page cache (cache_size: negative, in KiB), for the
// pages past the memory map's 2 GiB; each of the 16 readers and 4 page readers of a
// 2-core server has its own. An uncached enterprise page on a 1M-enterprise store (5.9
// GB), gongshi bench read --codes 100000: 27–28% of the trivial handler's throughput
// (server CPU 108 µs a page) with 256 MiB a reader, as before; 28% with 64 MiB; 36–38%
// (84–95 µs) with 32 MiB; 35% with 8 MiB. Pages read at random past the map hit hardly
// more often in a large cache; why the large one cost more CPU was not found. The page's
// p99 rose from 14–15 ms to 19–20 ms. The 20k demo, all in the map: 41–42% either way.
const readerCache = -32 << 10

// openPG opens a pool on a PostgreSQL server with JIT compilation off: the store's queries
// are short lookups whose row estimates over an enterprise's id range (versions.go) look
// costly enough to the planner to compile, which took 117 of 157 ms of a search page.
func openPG(url string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	cfg.RuntimeParams["jit"] = "off"
	return stdlib.OpenDB(*cfg), nil
}

func (db *DB) openPostgres(ctx context.Context, cfg Config) error {
	url, readURL := cfg.URL, cfg.ReadURL
	db.dialect = dialect{name: "postgres", postgres: true}
	var err error
	db.w, err = openPG(url)
	if err != nil {
		return err
	}
	db.w.SetMaxOpenConns(4)
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	// One process holds the sequencer; others must not append to the log (DESIGN.md). The
	// advisory lock belongs to a session, so a connection is kept for it until Close.
	if !db.shared {
		conn, err := db.w.Conn(ctx)
		if err != nil {
			return err
		}
		var ok bool
		if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, writerLockKey).Scan(&ok); err != nil {
			conn.Close()
			return fmt.Errorf("take the writer lock: %w", err)
		}
		switch {
		case ok:
			db.lock = pgLock{conn}
		case cfg.Standby:
			db.standby = conn
		default:
			conn.Close()
			return errWriterLocked
		}
	}
	db.r, err = openPG(url)
	if err != nil {
		return err
	}
	db.r.SetMaxOpenConns(32)
	db.r.SetMaxIdleConns(32)
	if readURL == "" {
		return nil
	}
	// The replica serves the reads; the primary's pool takes those it has not reached.
	rep := &replica{primary: db.r, wait: cfg.ReplicaWait, own: cfg.ReadOwnWrites}
	if rep.wait <= 0 {
		rep.wait = DefaultReplicaWait
	}
	db.primaryReads = db.r
	db.primaryReads.SetMaxOpenConns(8)
	db.r, err = openPG(readURL)
	if err != nil {
		return err
	}
	if err := db.r.PingContext(ctx); err != nil {
		return fmt.Errorf("connect to the PostgreSQL read replica: %w", err)
	}
	db.r.SetMaxOpenConns(32)
	db.r.SetMaxIdleConns(32)
	rep.db = db.r
	db.replica = rep
	return nil
}

// loadState reads what the sequencer keeps in memory: the tree's right edge and the next ids.
func (db *DB) loadState(ctx context.Context) error {
	var n int64
	if err := db.w.QueryRowContext(ctx, `SELECT COALESCE(MAX(log_index)+1, 0) FROM versions`).Scan(&n); err != nil {
		return fmt.Errorf("read tree size: %w", err)
	}
	db.treeSize = n
	a, err := translog.NewAppender(n, translog.HashReader(onPrimary(ctx), db))
	if err != nil {
		return fmt.Errorf("read the log's right edge: %w", err)
	}
	db.appender = a
	if err := db.w.QueryRowContext(ctx, `SELECT COALESCE(MAX(id)+1, 1) FROM records`).Scan(&db.nextRecord); err != nil {
		return err
	}
	return db.w.QueryRowContext(ctx, `SELECT COALESCE(MAX(id)+1, 1) FROM enterprises`).Scan(&db.nextEnt)
}

// Close stops the sequencer after the writes already queued and closes the database.
func (db *DB) Close() error {
	db.closeMu.Do(func() {
		close(db.closing)
		db.startMu.Lock()
		db.isClosed = true
		started := db.seqStarted
		db.startMu.Unlock()
		if db.stopAwait != nil {
			db.stopAwait()
		}
		close(db.bgStop)
		db.bg.Wait()
		if started {
			<-db.done
		}
		if db.walCheckStop != nil {
			close(db.walCheckStop)
			<-db.walCheckDone
		}
		if db.walCheckStop != nil && !db.shared {
			// Leave the folder compact: everything in the database file, an empty WAL. (Not
			// beside a running server: TRUNCATE waits for its writer.)
			db.pages.release(true)
			if _, err := db.ck.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
				db.log.Warn("WAL checkpoint at close failed", "err", err)
			}
		}
	})
	return db.closeConns()
}

func (db *DB) closeConns() error {
	db.stmts.close()
	db.rstmts.Range(func(_, st any) bool { st.(*sql.Stmt).Close(); return true })
	if db.pages != nil {
		db.pages.close()
	}
	var errs []error
	if db.lock != nil {
		errs = append(errs, db.lock.Close())
	}
	if db.r != nil {
		errs = append(errs, db.r.Close())
	}
	if db.primaryReads != nil {
		errs = append(errs, db.primaryReads.Close())
	}
	if db.ck != nil {
		errs = append(errs, db.ck.Close())
	}
	if db.scans != nil {
		errs = append(errs, db.scans.Close())
	}
	if db.w != nil {
		errs = append(errs, db.w.Close())
	}
	return errors.Join(errs...)
}

// Dialect names the database: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name }

// checkpointWAL copies the WAL into the database file beside the writer (PASSIVE: it never
// blocks the writer), four times a second, and tells the sequencer how long the WAL is.
func (db *DB) checkpointWAL() {
	defer close(db.walCheckDone)
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-db.walCheckStop:
			return
		case <-t.C:
		}
		db.pages.release(false)
		var busy, frames, done int64
		err := db.ck.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &done)
		if err != nil && !strings.Contains(err.Error(), "closed") {
			db.log.Warn("WAL checkpoint failed", "err", err)
		}
		db.walFrames.Store(frames)
		// While the WAL is long, page connections do not hold their transactions, so that
		// the sequencer can begin it again (restartWAL).
		db.pages.setHolding(frames < walRestartFrames)
	}
}

// walRestartFrames is the WAL length (1 GiB of 16 KiB pages, PageSize) past which the
// sequencer finishes the checkpoint itself between batches, so that its next transaction
// writes the WAL from its start again. Beside a writer that never pauses, the background checkpoints
// never catch up with the end of the WAL, and it grew to gigabytes: reads from it go
// through pread, not the mapping.
var walRestartFrames int64 = 65536 // a variable for the tests (SetWALRestartFrames)

// restartWAL runs on the sequencer between batches: the background checkpoints have copied
// all but the last moments of the WAL, so finishing the copy is short.
func (db *DB) restartWAL() {
	if db.walCheckStop == nil || db.walFrames.Load() < walRestartFrames {
		return
	}
	db.pages.setHolding(false) // until the WAL is short again (checkpointWAL)
	var busy, frames, done int64
	if err := db.w.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &done); err != nil {
		if !isBusy(err) { // the background checkpoint is running: after the next batch
			db.log.Warn("WAL checkpoint failed", "err", err)
		}
		return
	}
	db.walFrames.Store(0)
}

func isBusy(err error) bool {
	s := err.Error()
	return strings.Contains(s, "SQLITE_BUSY") || strings.Contains(s, "database is locked")
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

var _ gongshi.Store = (*DB)(nil)
var _ translog.Store = (*DB)(nil)
var _ tlog.HashReader = tlog.HashReaderFunc(nil)
