package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/translog"
	"github.com/gongshi/gongshi/web"
)

// DefaultOrigin names the log in its checkpoints unless --origin says otherwise. A log's
// origin never changes once its key is made.
const DefaultOrigin = "gongshi.local/log"

// CalendarFile is the schedule an administrator drops into the data folder to add a year
// the built-in calendar does not cover (format: "gongshi calendar --help").
const CalendarFile = "calendar.txt"

// dataFlags are the flags of every command that opens the register.
type dataFlags struct {
	data, db, dbRead, clock, origin, logLevel string
	dbFile, dbReadFile                        string
	// standby: with PostgreSQL, open beside a server holding the sequencer, to take it
	// over when it dies (gongshi serve; sqlstore.Config.Standby).
	standby bool
	// bulk: open for a bulk load (gongshi demo, gongshi import; sqlstore.Config.Bulk).
	bulk bool
	// staging: open the SQLite database of the data folder whatever --db says (a bulk
	// load into PostgreSQL is written there first: bulkViaSQLite).
	staging bool
	// existing: the command works on a register made before (gongshi sweep, bench):
	// a data folder that is not there is a mistaken --data, not a new register.
	existing bool
}

func (f *dataFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&f.data, "data", "gongshi-data", "data folder: SQLite database, log, cursor and watch keys, calendar.txt")
	fs.StringVar(&f.db, "db", "", "PostgreSQL URL (postgres://…), or from --db-file or $GONGSHI_DB; default is SQLite in the data folder")
	fs.StringVar(&f.dbFile, "db-file", "", "a file holding the PostgreSQL URL (keeps its password out of ps)")
	fs.StringVar(&f.dbRead, "db-read", "", "with a PostgreSQL URL: a read replica to serve reads from, or from --db-read-file or $GONGSHI_DB_READ")
	fs.StringVar(&f.dbReadFile, "db-read-file", "", "a file holding the read replica's URL")
	fs.StringVar(&f.clock, "clock", "", "run on a set clock starting at this instant, e.g. 2027-07-01T09:00:00+08:00 (demos, tests)")
	fs.StringVar(&f.origin, "origin", DefaultOrigin, "the log's origin line; fixed when the log key is made")
	fs.StringVar(&f.logLevel, "log-level", "info", "debug (also every successful read), info, warn or error")
}

// app is an opened register.
type app struct {
	store  *sqlstore.DB
	svc    *gongshi.Service
	signer *translog.Signer
	// published is the latest checkpoint published, kept in the data folder outside the
	// database (translog.Published); nil when opened beside a server.
	published *translog.Published
	fenced    atomic.Pointer[error] // why the log may not grow (the database is behind published)
	clock     gongshi.Clock
	rules     policy.Rules
	logger    *slog.Logger
	simTime   bool // the clock is set
	bulk      bool // opened for a bulk load (dataFlags.bulk)
	shared    bool // opened beside a running server (openShared)
	// calendarFile is calendar.txt in the data folder, loaded at start if it exists and
	// watched by gongshi serve (calendar_watch.go).
	calendarFile string
	// building shows serve --demo's progress while it fills an empty register; nil else.
	building *web.Building
}

// open opens the register the flags name, taking the writer lock (see openShared).
func (f *dataFlags) open(ctx context.Context, env *Env, clock gongshi.Clock) (*app, error) {
	return f.openStore(ctx, env, clock, false)
}

// openShared opens the register beside a running server: accounts and tokens can be
// written, but nothing published (sqlstore.Config.Shared).
func (f *dataFlags) openShared(ctx context.Context, env *Env) (*app, error) {
	return f.openStore(ctx, env, nil, true)
}

func (f *dataFlags) openStore(ctx context.Context, env *Env, clock gongshi.Clock, shared bool) (*app, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", f.logLevel)
	}
	logger := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: level}))
	a := &app{logger: logger, clock: clock, shared: shared, bulk: f.bulk}
	if a.clock == nil {
		a.clock = gongshi.SystemClock{}
		if f.clock != "" {
			t, err := time.Parse(time.RFC3339, f.clock)
			if err != nil {
				return nil, fmt.Errorf("--clock %q: want an instant like 2027-07-01T09:00:00+08:00", f.clock)
			}
			a.clock, a.simTime = gongshi.NewFixedClock(t), true
		}
	}
	if (shared || f.existing) && !fileExists(f.data) {
		// A command beside a server that found no folder would make a new register with
		// its own signing key and cursor key, whose tokens that server never accepts; one
		// on a register made before (existing) would work on a new, empty one.
		abs, _ := filepath.Abs(f.data)
		whose := "the register's"
		if shared {
			whose = "the running server's"
		}
		return nil, fmt.Errorf("data folder %s does not exist: give %s data folder with --data DIR (a new register's folder is made by \"gongshi serve --data DIR\" or \"gongshi demo --data DIR\")", abs, whose)
	}
	if err := os.MkdirAll(f.data, 0o750); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	cal := calendar.Default()
	a.calendarFile = filepath.Join(f.data, CalendarFile)
	if fileExists(a.calendarFile) {
		if err := cal.LoadFile(a.calendarFile); err != nil {
			return nil, err
		}
		logger.Info("loaded working-day schedule", "file", a.calendarFile, "years", cal.Years())
	}
	a.rules = policy.Rules{Table: policy.Default(), Calendar: cal}
	signer, err := translog.LoadOrCreateKey(f.data, f.origin)
	if err != nil {
		return nil, err
	}
	a.signer = signer
	cursorKey, err := loadOrCreateCursorKey(f.data)
	if err != nil {
		return nil, err
	}
	watchKey, err := loadOrCreateKey(f.data, WatchKeyFile, "watch key")
	if err != nil {
		return nil, err
	}
	dbURL, err := secretSource{f.db, f.dbFile, "GONGSHI_DB", "db"}.resolve(env)
	if err != nil {
		return nil, err
	}
	readURL, err := secretSource{f.dbRead, f.dbReadFile, "GONGSHI_DB_READ", "db-read"}.resolve(env)
	if err != nil {
		return nil, err
	}
	if f.staging {
		dbURL, readURL = "", ""
	}
	st, err := sqlstore.Open(ctx, sqlstore.Config{URL: dbURL, ReadURL: readURL, Dir: f.data, Clock: a.clock, Logger: logger, Shared: shared, Standby: f.standby, Bulk: f.bulk})
	if err != nil {
		return nil, err
	}
	a.store = st
	if !shared {
		if err := a.guard(ctx, f.data); err != nil {
			st.Close()
			return nil, err
		}
	}
	a.svc = gongshi.New(gongshi.Config{Store: st, Clock: a.clock, Rules: a.rules, CursorKey: cursorKey, WatchKey: watchKey})
	return a, nil
}

// Close signs a checkpoint of what this command published, so that the log can be
// audited (gongshi verify --data) without a server ever having run, and closes the store.
func (a *app) Close() error {
	var err error
	if !a.shared && a.fenced.Load() == nil && a.store.Holding() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err = a.checkpointer().Checkpoint(ctx)
		cancel()
	}
	return errors.Join(err, a.store.Close())
}

// guard checks the database's tree against the checkpoint last published (the data
// folder's translog.PublishedFile) and fences the store if it is behind.
func (a *app) guard(ctx context.Context, dir string) error {
	p, err := translog.OpenPublished(filepath.Join(dir, translog.PublishedFile), a.signer.Origin())
	if err != nil {
		return err
	}
	a.published = p
	size, err := a.store.TreeSize(ctx)
	if err != nil {
		return err
	}
	err = p.Check(ctx, a.store, size)
	if errors.Is(err, translog.ErrBehind) {
		a.fence(err)
		return nil
	}
	return err
}

// fence stops the log from growing: the database is behind the checkpoint last published.
func (a *app) fence(err error) {
	if !a.fenced.CompareAndSwap(nil, &err) {
		return
	}
	a.logger.Error("REFUSING TO PUBLISH: the database is behind the log's last published checkpoint", "err", err)
	a.store.Fence(&gongshi.Error{Code: gongshi.EUNAVAILABLE,
		Message: "this register does not publish: its database is behind the log's last published checkpoint",
		Fix:     "an operator must restore a newer backup, recover the missing log entries, or accept the fork (see the server's log)"})
}

// checkpointer returns the log's checkpointer, guarded by the published checkpoint.
func (a *app) checkpointer() *translog.Checkpointer {
	return translog.NewCheckpointer(a.store, a.signer).Guard(a.published)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

// observeBuild passes a progress update to the front page of a register being built.
func (a *app) observeBuild(label, unit string, done, total int) {
	if a.building != nil {
		a.building.Update(label, unit, done, total)
	}
}
