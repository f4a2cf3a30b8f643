package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"github.com/gongshi/gongshi/translog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gongshi/gongshi"
)

// Bulk loads (gongshi demo, gongshi import) write millions of versions into a register no
// one reads yet. Between StartBulk and FinishBulk the store writes them through the same
// sequencer, rules and log as ever — the same rows, leaves and tree hashes — but without
// what only an online register needs:
//
//   - durability of each batch. On SQLite, synchronous=OFF: a commit reaches the operating
//     system, not the disk, so a process killed midway leaves a sound database, while a
//     machine that stops may leave a damaged one. The marker file gongshi.bulk, written
//     (durably) first and removed last, says which: it holds the boot id of the machine,
//     and a store whose marker names another boot is refused. FinishBulk makes everything
//     durable with one checkpoint and fsync. On PostgreSQL, synchronous_commit=off: a
//     crash loses the last moments' batches, never consistency.
//   - the secondary indexes that no write reads (deferredIndexes): built once at the end,
//     from sorted keys, instead of a random B-tree insert per row.
//   - on SQLite, the enterprises' page rows (pages.go): made once each at the end, not
//     again in every batch that touches the enterprise. No other command opens the marked
//     folder meanwhile, so no row left behind is served. (PostgreSQL, which servers beside
//     may read, keeps making them; its bulk load is a copy of one made on SQLite.)

// BulkFile is the marker of an unfinished bulk load in a SQLite data folder.
const BulkFile = "gongshi.bulk"

// deferredIndexes are the indexes that only reads use: a bulk load drops them and builds
// them again at its end. pg marks those only PostgreSQL has. versions_log stays: the
// documents' compression reads and rewrites versions by log index while the load goes on
// (compactDocs, once the dictionary is trained), and without it each of those statements
// scanned the whole table (two thirds of a 20,000-enterprise load); log indexes grow, so
// keeping it costs an append at the index's right edge a row.
var deferredIndexes = []struct {
	name, create string
	pg           bool
}{
	{"versions_sha", `CREATE INDEX IF NOT EXISTS versions_sha ON versions(sha_key)`, false},
	{"enterprises_name", `CREATE INDEX IF NOT EXISTS enterprises_name ON enterprises(name)`, false},
	{"enterprises_initials", `CREATE INDEX IF NOT EXISTS enterprises_initials ON enterprises(initials, id)`, false},
	{"search_terms", `CREATE INDEX IF NOT EXISTS search_terms ON search USING GIN (terms)`, true},
}

// errBulkUnfinished is why a store with a bulk load's marker is not opened for other use.
func errBulkUnfinished(dir, started string) error {
	return fmt.Errorf("a bulk load into %s began at %s and did not finish (gongshi demo or gongshi import was stopped): "+
		"run the same gongshi import again to carry on, or delete the data folder and load it again", dir, started)
}

// checkBulkMarker refuses a SQLite data folder with an unfinished bulk load unless this
// open carries it on (Config.Bulk) on the boot that began it.
func (db *DB) checkBulkMarker(dir string, resume bool) error {
	b, err := os.ReadFile(filepath.Join(dir, BulkFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", BulkFile, err)
	}
	boot, started, _ := strings.Cut(strings.TrimSpace(string(b)), " ")
	if boot == "" || boot != bootID() {
		return fmt.Errorf("the machine stopped during a bulk load into %s (begun %s): written without waiting for the disk, its database may be damaged; "+
			"delete the data folder and load it again", dir, started)
	}
	if !resume {
		return errBulkUnfinished(dir, started)
	}
	db.bulkMarked, db.bulkResumed = true, true
	return nil
}

// bootID names this boot of the machine (Linux). Where there is none it is empty: a killed
// process and a stopped machine cannot be told apart there, and every marker is refused.
func bootID() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// StartBulk begins a bulk load (see above). The store must have been opened with
// Config.Bulk. Writes go on as usual meanwhile; reads that would use a dropped index are
// slow until FinishBulk.
func (db *DB) StartBulk(ctx context.Context) error {
	if db.shared || !db.bulkOpen {
		return errors.New("sqlstore: StartBulk on a store not opened for a bulk load (Config.Bulk)")
	}
	if !db.dialect.postgres {
		if !db.bulkMarked {
			if err := translog.WriteFileAtomic(db.markerPath(), []byte(bootID()+" "+formatTime(time.Now())+"\n"), 0o640); err != nil {
				return fmt.Errorf("write the bulk load marker: %w", err)
			}
			db.bulkMarked = true
		}
		if _, err := db.w.ExecContext(ctx, `PRAGMA synchronous=OFF`); err != nil {
			return err
		}
		if _, err := db.ck.ExecContext(ctx, `PRAGMA synchronous=OFF`); err != nil {
			return err
		}
		// Into an empty store, the largest tables are made again now, empty, so that the
		// compaction at the end finds them last already and need not copy them (placeLast).
		var empty bool
		if err := db.w.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM versions)`).Scan(&empty); err != nil {
			return err
		}
		if empty {
			if err := placeLast(ctx, db.w); err != nil {
				return fmt.Errorf("begin the bulk load: %w", err)
			}
		}
	}
	db.bulk.Store(true)
	for _, ix := range deferredIndexes {
		if ix.pg && !db.dialect.postgres {
			continue
		}
		if _, err := db.w.ExecContext(ctx, `DROP INDEX IF EXISTS `+ix.name); err != nil {
			return fmt.Errorf("drop index %s for the bulk load: %w", ix.name, err)
		}
	}
	return nil
}

// FinishBulk ends a bulk load: it builds the dropped indexes and makes everything durable,
// then removes the marker. Call it also when the load stopped on an error: what was loaded
// is sound, and an import is carried on from it. progress, if not nil, is told how many
// enterprises have their rows made, of how many: on SQLite, making them is the longest
// part of a large load's finish (minutes at a million).
func (db *DB) FinishBulk(ctx context.Context, progress func(done, total int)) error {
	if !db.bulk.Load() {
		return nil
	}
	if db.dialect.postgres {
		if err := db.ensureIndexes(ctx); err != nil {
			return err
		}
	} else {
		db.pages.release(true) // VACUUM and the last checkpoint below
		if err := db.finishEnterprises(ctx, db.bulkReproject.Load() || db.bulkResumed, progress); err != nil {
			return err
		}
		db.bulkReproject.Store(false)
		if err := db.compact(ctx); err != nil { // the indexes built there
			return err
		}
	}
	db.bulk.Store(false)
	if db.dialect.postgres {
		return nil // the indexes' transactions commit synchronously, and with them every earlier one
	}
	if _, err := db.w.ExecContext(ctx, `PRAGMA synchronous=FULL`); err != nil {
		return err
	}
	if _, err := db.ck.ExecContext(ctx, `PRAGMA synchronous=FULL`); err != nil {
		return err
	}
	// Copy the WAL into the database file and fsync it, on the writer (synchronous=FULL
	// now); readers left idle may keep it busy a moment.
	for try := 0; ; try++ {
		var busy, frames, done int64
		if err := db.w.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil {
			return fmt.Errorf("checkpoint the bulk load: %w", err)
		}
		if busy == 0 {
			break
		}
		if try == 100 {
			return errors.New("checkpoint the bulk load: the database stayed busy; run the load again to finish it")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := syncFile(db.path); err != nil {
		return err
	}
	if err := os.Remove(db.markerPath()); err != nil {
		return fmt.Errorf("remove the bulk load marker: %w", err)
	}
	db.bulkMarked = false
	return syncFile(filepath.Dir(db.path))
}

// PageSize is the page size of a new or compacted (Compact) SQLite database. SQLite's
// default, 4 KB, fits two of the ~1.8 KB compressed page rows (pages.go) in a page with a
// quarter of it left over, and one of those over 2 KB with half; 16 KB pages leave a
// twentieth. Measured on a 20,000-enterprise bulk load (99,759 versions), packed
// (compact): 1,251 bytes a version with 4 KB pages, 1,156 with 8 KB, 1,125 with 16 KB.
const PageSize = 16384

// compact rewrites the database file packed, at the end of a bulk load on SQLite. A
// version's row lies with its enterprise's (versions.go) but is appended in log order, so
// the load inserts into the versions table at random and leaves its B-tree pages about
// three quarters full (117 of a version's 540 bytes unused on the load above); VACUUM
// copies every table and index in key order into full pages: 1,352 bytes a version before,
// 1,125 after, and an enterprise's versions on adjacent pages. The copy is made in a
// temporary file (SQLite's temporary directory: $SQLITE_TMPDIR, $TMPDIR or /var/tmp, not
// memory as the connection's other temporary tables) and written back through the WAL, after
// the largest tables were made again to put the page rows first (placeLast): the load needs
// free space of about two and a half times the database's size until it is done. The
// indexes the load dropped are built between the two, once, on the tables made again.
func (db *DB) compact(ctx context.Context) error {
	t0 := time.Now()
	before, err := db.databaseBytes(ctx)
	if err != nil {
		return err
	}
	// Statements that run long without a word: say so before, with what they cost.
	db.log.Info("compacting the database after the bulk load and building its read-only indexes: a few passes over the file, without progress to show",
		"bytes", before, "free_space_needed", 5*before/2)
	if err := placeLast(ctx, db.w); err != nil {
		return fmt.Errorf("compact the database after the bulk load: %w", err)
	}
	if err := db.ensureIndexes(ctx); err != nil {
		return err
	}
	if _, err := db.w.ExecContext(ctx, `PRAGMA temp_store=FILE`); err != nil {
		return err
	}
	_, err = db.w.ExecContext(ctx, `VACUUM`)
	if _, rerr := db.w.ExecContext(context.WithoutCancel(ctx), `PRAGMA temp_store=MEMORY`); err == nil {
		err = rerr
	}
	if err != nil {
		return fmt.Errorf("compact the database after the bulk load (VACUUM; it needs free space of about two and a half times its size): %w", err)
	}
	after, err := db.databaseBytes(ctx)
	if err != nil {
		return err
	}
	db.log.Info("compacted the database after the bulk load", "bytes_before", before, "bytes_after", after, "duration", time.Since(t0).Round(time.Millisecond))
	return nil
}

// databaseBytes is the size of the SQLite database, its WAL's pages included.
func (db *DB) databaseBytes(ctx context.Context) (int64, error) {
	var pages, size int64
	err := db.w.QueryRowContext(ctx, `SELECT page_count, page_size FROM pragma_page_count(), pragma_page_size()`).Scan(&pages, &size)
	return pages * size, err
}

// finishEnterprises makes every enterprise's page row (pages.go), which a bulk load on
// SQLite leaves to its end, and with reproject its current-state rows again from its
// documents, as ImportVersions does for the enterprises of each batch when not in a bulk
// load. Each enterprise's versions are read and opened once for both; parsing the
// documents and making and compressing the pages — nine tenths of the work — is shared
// among one worker per core, and the rows are written in enterprise order. The rows are
// those putPage and reproject make. progress, if not nil, is told of each few thousand
// enterprises written.
func (db *DB) finishEnterprises(ctx context.Context, reproject bool, progress func(done, total int)) error {
	written := func(int) {}
	if progress != nil {
		var total int
		if err := db.w.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprises`).Scan(&total); err != nil {
			return fmt.Errorf("count the enterprises: %w", err)
		}
		progress(0, total)
		written = func(done int) { progress(done, total) }
	}
	draws := map[string]string{}
	if reproject {
		rows, err := db.w.QueryContext(ctx, `SELECT number, jurisdiction FROM draws`)
		if err != nil {
			return fmt.Errorf("read the draws: %w", err)
		}
		for rows.Next() {
			var n, j string
			if err := rows.Scan(&n, &j); err != nil {
				rows.Close()
				return err
			}
			draws[n] = j
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return err
		}
	}
	type finished struct {
		d    *gongshi.Dossier
		p    *gongshi.Projection
		page builtPage
		err  error
	}
	err := db.forEnterprises(ctx, func(ents []enterpriseVersions) func(t *tx) error {
		out := make([]finished, len(ents))
		db.eachOnCores(len(ents), func(i int) {
			vs := ents[i].versions
			if len(vs) == 0 {
				return // no projection; an empty page row (none)
			}
			svs, err := db.openStored(vs)
			if err != nil {
				out[i].err = err
				return
			}
			last := vs[len(vs)-1].id
			if !reproject {
				out[i].page = storedPage(svs, last, (*gongshi.PageRow).CompressSmall)
				return
			}
			// Each document is parsed once, for the projection and the page.
			opened, err := gongshi.OpenVersions(svs, false)
			if err == nil {
				out[i].d, err = gongshi.DossierOf(opened)
			}
			if out[i].err = err; err != nil {
				return
			}
			out[i].p = gongshi.Project(out[i].d, func(number string) string { return draws[number] })
			out[i].page = buildPage(opened, last, (*gongshi.PageRow).CompressSmall)
		})
		return func(t *tx) error {
			for i, e := range ents {
				err := out[i].err
				if err == nil && out[i].d != nil {
					err = t.putProjection(e.id, e.uscc, out[i].d, out[i].p)
				}
				if err == nil {
					err = out[i].page.put(ctx, t, e.id)
				}
				if err != nil {
					return fmt.Errorf("enterprise %s (row %d): %w", e.uscc, e.id, err)
				}
			}
			return nil
		}
	}, written)
	if err != nil {
		return fmt.Errorf("make the enterprises' rows and pages: %w", err)
	}
	return nil
}

// enterpriseVersions is an enterprise's row id and USCC with its versions' rows.
type enterpriseVersions struct {
	id       int64
	uscc     string
	versions []storedVersion
}

// forEnterprises calls prepare for every enterprise, a few thousand at a time, and runs
// the write it returns in a write transaction. prepare runs on this goroutine while the
// sequencer writes the few thousand before: the work is shared between the two, as the
// enterprises are read outside the transactions (committed: the writes leave their ids,
// USCCs and versions alone). An enterprise's versions lie together in id order
// (versions.go), so each time their rows are read with one range scan rather than a query
// an enterprise. written is told, after each write, how many enterprises are written.
func (db *DB) forEnterprises(ctx context.Context, prepare func(ents []enterpriseVersions) func(t *tx) error, written func(done int)) error {
	type write struct {
		fn   func(t *tx) error
		ents int
	}
	writes := make(chan write, 1)
	failed := make(chan struct{})
	finished := make(chan error, 1)
	go func() {
		var err error
		done := 0
		for w := range writes {
			if err == nil {
				if err = db.Write(ctx, func(gtx gongshi.Tx) error { return w.fn(gtx.(*tx)) }); err != nil {
					close(failed)
				} else {
					done += w.ents
					written(done)
				}
			}
		}
		finished <- err
	}()
	const per = 2000
	var err error
	for after := int64(-1); ; {
		var ents []enterpriseVersions
		if ents, err = db.enterprisesAfter(ctx, after, per); err != nil || len(ents) == 0 {
			break
		}
		after = ents[len(ents)-1].id
		select {
		case writes <- write{prepare(ents), len(ents)}:
		case <-failed:
		}
		if len(ents) < per {
			break
		}
	}
	close(writes)
	return errors.Join(err, <-finished)
}

// enterprisesAfter reads up to n enterprises of row id above after, in id order, with
// their versions.
func (db *DB) enterprisesAfter(ctx context.Context, after int64, n int) ([]enterpriseVersions, error) {
	rows, err := db.read(ctx, `SELECT id, uscc FROM enterprises WHERE id > ? ORDER BY id LIMIT ?`, after, n)
	if err != nil {
		return nil, fmt.Errorf("read the enterprises: %w", err)
	}
	var ents []enterpriseVersions
	for rows.Next() {
		var e enterpriseVersions
		if err := rows.Scan(&e.id, &e.uscc); err != nil {
			rows.Close()
			return nil, err
		}
		ents = append(ents, e)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil || len(ents) == 0 {
		return nil, err
	}
	stored, err := db.storedVersionsOf(ctx, ents[0].id, ents[len(ents)-1].id)
	if err != nil {
		return nil, err
	}
	for i := range ents {
		ents[i].versions = stored[ents[i].id]
	}
	return ents, nil
}

// eachOnCores calls f(0) … f(n-1), shared among one goroutine per core.
func (db *DB) eachOnCores(n int, f func(i int)) {
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// openStored opens the documents of an enterprise's versions as putAllPages reads them.
func (db *DB) openStored(vs []storedVersion) ([]gongshi.StoredVersion, error) {
	svs := make([]gongshi.StoredVersion, len(vs))
	for i, v := range vs {
		doc, err := db.docs.open(v.document)
		if err != nil {
			return nil, fmt.Errorf("version %d: %w", v.logIndex, err)
		}
		svs[i] = gongshi.StoredVersion{LogIndex: v.logIndex, Document: doc}
	}
	return svs, nil
}

// storedVersion is a version's row as putAllPages reads it: the document still compressed.
type storedVersion struct {
	id, logIndex int64
	document     []byte
}

// storedVersionsOf reads the versions of enterprise rows first … last, by enterprise.
func (db *DB) storedVersionsOf(ctx context.Context, first, last int64) (map[int64][]storedVersion, error) {
	rows, err := db.read(ctx, `SELECT id, log_index, document FROM versions WHERE id >= ? AND id < ? ORDER BY id`,
		first*perEnterprise, (last+1)*perEnterprise)
	if err != nil {
		return nil, fmt.Errorf("read the versions of enterprise rows %d…%d: %w", first, last, err)
	}
	defer rows.Close()
	out := map[int64][]storedVersion{}
	for rows.Next() {
		var v storedVersion
		if err := rows.Scan(&v.id, &v.logIndex, &v.document); err != nil {
			return nil, err
		}
		out[v.id/perEnterprise] = append(out[v.id/perEnterprise], v)
	}
	return out, rows.Err()
}

// builtPage is an enterprise's page row made by buildPage: a nil row is none.
type builtPage struct {
	last int64
	row  *gongshi.PageRow
	page []byte // compressed
}

// ensureIndexes builds the deferred indexes a bulk load dropped, if they are missing (a
// load on PostgreSQL that was stopped).
func (db *DB) ensureIndexes(ctx context.Context) error {
	q := `SELECT name FROM sqlite_master WHERE type = 'index'`
	if db.dialect.postgres {
		q = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()`
	}
	rows, err := db.w.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("list indexes: %w", err)
	}
	have := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		have[n] = true
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	for _, ix := range deferredIndexes {
		if (ix.pg && !db.dialect.postgres) || have[ix.name] {
			continue
		}
		if _, err := db.w.ExecContext(ctx, ix.create); err != nil {
			return fmt.Errorf("build index %s: %w", ix.name, err)
		}
	}
	return nil
}

func (db *DB) markerPath() string { return filepath.Join(filepath.Dir(db.path), BulkFile) }

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", path, err)
	}
	return nil
}

// VersionBytes returns how many versions the store holds and the bytes of their rows'
// documents and private values (gongshi bench bulk sizes its baseline's rows by it).
func (db *DB) VersionBytes(ctx context.Context) (n, bytes int64, err error) {
	err = db.w.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(LENGTH(document) + COALESCE(LENGTH(private), 0)), 0) FROM versions`).Scan(&n, &bytes)
	return n, bytes, err
}
