package main

import (
	"context"
	crand "crypto/rand"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/snapshot"
	"github.com/gongshi/gongshi/sqlstore"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, for the baseline
)

// benchBulk loads a demo of n enterprises with five versions each (no annual reports) in
// bulk into an empty register — or, with --snapshot, imports a snapshot (gongshi import's
// path, which makes no document: the bulk load of an existing register) — then measures
// the baseline on the same database: the same number of rows of the same size inserted
// bare into a plain table, durably, in transactions of a demo batch. It prints
// enterprises/s for each step enterprises and its ratio to the baseline, so that figures
// compare across machines. An import also prints its ceiling on this machine: the rate of
// its own work alone (importOwnWork), with no row written.
func benchBulk(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("bench bulk", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var df dataFlags
	df.add(fs)
	n := fs.Int("enterprises", 100000, "how many enterprises to load")
	step := fs.Int("step", 100000, "print a figure for every this many enterprises")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the load to this file")
	snap := fs.String("snapshot", "", "import this snapshot folder (gongshi snapshot) instead of making demo enterprises")
	if err := parseFlags(env, "bench bulk", fs, args); err != nil {
		return err
	}
	if *n < 1 || *step < 1 {
		fmt.Fprintln(env.Stderr, "usage: gongshi bench bulk --data EMPTY_DIR [--db URL] (--enterprises N | --snapshot DIR) [--step N]")
		return exitStatus(2)
	}
	var m *snapshot.Manifest
	if *snap != "" {
		var err error
		if m, err = snapshot.ReadManifest(*snap); err != nil {
			return fmt.Errorf("--snapshot %s is not a snapshot folder: %w", *snap, err)
		}
	}
	df.bulk = true
	df.logLevel = "warn"
	url, err := secretSource{df.db, df.dbFile, "GONGSHI_DB", "db"}.resolve(env)
	if err != nil {
		return err
	}
	clock, err := demoClock(df.clock)
	if err != nil {
		return err
	}
	stop, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	type mark struct {
		at         time.Time
		ents, vers int
	}
	start := time.Now()
	marks := []mark{{at: start}}
	opts := defaultDemoOptions()
	opts.bulk, opts.reportYears = true, -1
	var latest mark
	opts.loaded = func(ents, vers int) {
		latest = mark{time.Now(), ents, vers}
		if ents >= (marks[len(marks)-1].ents / *step + 1)**step {
			marks = append(marks, latest)
		}
	}
	// On PostgreSQL the load is written on SQLite and copied (bulkViaSQLite): the figures
	// per step are the SQLite part's, the total has the copy.
	var loaded time.Duration
	load := func(a *app) error {
		err := generateDemo(ctx, env, a, clock, *n, opts)
		loaded = time.Since(start)
		return err
	}
	var openClock gongshi.Clock = clock
	if m != nil {
		openClock = nil // an import keeps the snapshot's instants, as gongshi import
		load = func(a *app) error {
			err := importSnapshot(ctx, env, a, *snap, m, defaultImportBatch, filepath.Join(df.data, "import-report.txt"), start, opts.loaded)
			loaded = time.Since(start)
			return err
		}
	}
	if url != "" {
		err = bulkViaSQLite(ctx, env, df, url, openClock, false, load)
	} else {
		var a *app
		if a, err = df.open(ctx, env, openClock); err == nil {
			err = load(a)
			a.Close()
		}
	}
	stop()
	if err != nil {
		return err
	}
	total := time.Since(start) // with the indexes built and the load made durable
	if latest.ents > marks[len(marks)-1].ents {
		marks = append(marks, latest)
	}
	a, err := df.openShared(ctx, env)
	if err != nil {
		return err
	}
	rows, bytes, err := a.store.VersionBytes(ctx)
	var ownWork float64 // versions/s of an import's own work, without its writes
	if err == nil && m != nil {
		ownWork, err = importOwnWork(ctx, a.store, *snap)
	}
	a.Close()
	if err != nil {
		return err
	}
	size := int(bytes / max(rows, 1))
	// The baseline, on the same disk or server.
	var base float64
	if url == "" {
		file := filepath.Join(df.data, "baseline.db")
		base, err = baselineInsert(ctx, "sqlite", "file:"+file+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=cache_size(-262144)&_txlock=immediate", int(rows), size)
		for _, f := range []string{file, file + "-wal", file + "-shm"} {
			os.Remove(f)
		}
	} else {
		base, err = baselineInsert(ctx, "pgx", url, int(rows), size)
	}
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	last := marks[len(marks)-1]
	ents := last.ents
	perEnt := float64(rows) / float64(max(ents, 1))
	baseEnts := base / perEnt
	w := env.Stdout
	fmt.Fprintf(w, "baseline: %d rows of %d bytes (the versions' average) inserted bare into a plain table, %d a transaction, durably: %.0f rows/s = %.0f enterprises/s at %.2f versions each\n",
		rows, size, baselineBatch, base, baseEnts, perEnt)
	if ownWork > 0 {
		fmt.Fprintf(w, "ceiling: the import's own work alone (each line read, checked against its leaf, parsed and compressed on every core, GOMAXPROCS=%d; no row written): %.0f versions/s = %.0f enterprises/s\n",
			runtime.GOMAXPROCS(0), ownWork, ownWork/perEnt)
	}
	fmt.Fprintf(w, "%-22s %14s %12s %12s\n", "enterprises", "enterprises/s", "versions/s", "of baseline")
	// The demo publishes in date order: its first enterprises come with few versions
	// (their later ones are published later), so the first step's enterprises/s is high and
	// versions/s low; both are compared.
	var first, final, firstV, finalV float64
	for i := 1; i < len(marks); i++ {
		m, p := marks[i], marks[i-1]
		d := m.at.Sub(p.at).Seconds()
		r := float64(m.ents-p.ents) / d
		if i == 1 {
			first, firstV = r, float64(m.vers-p.vers)/d
		}
		final, finalV = r, float64(m.vers-p.vers)/d
		fmt.Fprintf(w, "%-22s %14.0f %12.0f %11.0f%%\n", fmt.Sprintf("%d–%d", p.ents, m.ents), r, float64(m.vers-p.vers)/d, 100*r/baseEnts)
	}
	r := float64(ents) / total.Seconds()
	fmt.Fprintf(w, "%-22s %14.0f %12.0f %11.0f%%   (%v, indexes and the final flush included)\n", fmt.Sprintf("all %d", ents), r, float64(rows)/total.Seconds(), 100*r/baseEnts, total.Round(time.Millisecond))
	if url != "" {
		fmt.Fprintf(w, "of which the copy into PostgreSQL (COPY, indexes, ANALYZE): %v\n", (total - loaded).Round(time.Millisecond))
	}
	if len(marks) > 2 {
		fmt.Fprintf(w, "last step against the first: enterprises/s %+.0f%%, versions/s %+.0f%%\n", 100*(final-first)/first, 100*(finalV-firstV)/firstV)
	}
	fmt.Fprintf(w, "bulk load: %.0f enterprises/s, %.0f%% of the baseline\n", r, 100*r/baseEnts)
	return nil
}

// baselineBatch is the rows of a baseline transaction: about the versions of a demo batch.
const baselineBatch = 8000

// baselineInsert inserts rows rows of size random bytes into a new plain table, one
// prepared INSERT a row and baselineBatch rows a transaction, and returns rows/s. The
// table is dropped after.
func baselineInsert(ctx context.Context, driver, dsn string, rows, size int) (float64, error) {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	const table = "gongshi_bench_baseline"
	blob := "BLOB"
	if driver == "pgx" {
		blob = "BYTEA"
	}
	if _, err := db.ExecContext(ctx, `DROP TABLE IF EXISTS `+table); err != nil {
		return 0, err
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE `+table+` (id BIGINT PRIMARY KEY, body `+blob+` NOT NULL)`); err != nil {
		return 0, err
	}
	defer db.ExecContext(context.WithoutCancel(ctx), `DROP TABLE `+table)
	q := `INSERT INTO ` + table + ` (id, body) VALUES (?, ?)`
	if driver == "pgx" {
		q = `INSERT INTO ` + table + ` (id, body) VALUES ($1, $2)`
	}
	// Bodies made beforehand: the baseline times the database, not the random numbers.
	bodies := make([][]byte, 64)
	for i := range bodies {
		bodies[i] = make([]byte, size)
		crand.Read(bodies[i])
	}
	start := time.Now()
	for i := 0; i < rows; {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			tx.Rollback()
			return 0, err
		}
		for k := 0; k < baselineBatch && i < rows; k, i = k+1, i+1 {
			if _, err := st.ExecContext(ctx, i, bodies[i%len(bodies)]); err != nil {
				tx.Rollback()
				return 0, err
			}
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	return float64(rows) / time.Since(start).Seconds(), nil
}

// importOwnWork does what gongshi import does with a snapshot's versions before it writes
// them — reads each line and prepares it (sqlstore.PrepareImport: checked against its leaf,
// parsed, compressed with the store's dictionary) on every core, a batch at a time, the
// next batch read meanwhile — and writes nothing. Its versions/s bound any import of these
// documents on this machine, however cheap its writes.
func importOwnWork(ctx context.Context, db *sqlstore.DB, dir string) (float64, error) {
	batches := make(chan []sqlstore.ImportLine, 1)
	prepared := make(chan error, 1)
	go func() {
		var err error
		for b := range batches {
			if err == nil {
				err = db.PrepareImport(b).Err()
			}
		}
		prepared <- err
	}()
	start := time.Now()
	var batch []sqlstore.ImportLine
	n := 0
	err := snapshot.EachLine(filepath.Join(dir, snapshot.VersionsFile), func(_ int64, ev *gongshi.FeedEvent) error {
		n++
		if batch = append(batch, sqlstore.ImportLineOf(ev)); len(batch) == defaultImportBatch {
			batches <- batch
			batch = nil
		}
		return ctx.Err()
	})
	batches <- batch
	close(batches)
	if err = errors.Join(err, <-prepared); err != nil {
		return 0, fmt.Errorf("the import's own work, again: %w", err)
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
