package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"github.com/gongshi/gongshi/translog"
	"os"
	"path/filepath"
	"strings"
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
// them again at its end. pg marks those only PostgreSQL has.
var deferredIndexes = []struct {
	name, create string
	pg           bool
}{
	{"versions_log", `CREATE UNIQUE INDEX IF NOT EXISTS versions_log ON versions(log_index)`, false},
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
	db.bulkMarked = true
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
// is sound, and an import is carried on from it.
func (db *DB) FinishBulk(ctx context.Context) error {
	if !db.bulk.Load() {
		return nil
	}
	if err := db.ensureIndexes(ctx); err != nil {
		return err
	}
	if !db.dialect.postgres {
		if err := db.putAllPages(ctx); err != nil {
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

// putAllPages makes every enterprise's page row (pages.go), which a bulk load leaves to
// its end, a few thousand enterprises a batch.
func (db *DB) putAllPages(ctx context.Context) error {
	const per = 2000
	for after, n := int64(-1), per; n == per; {
		err := db.Write(ctx, func(gtx gongshi.Tx) error {
			t := gtx.(*tx)
			rows, err := t.query(`SELECT id FROM enterprises WHERE id > ? ORDER BY id LIMIT ?`, after, per)
			ents, err := collect(rows, err, "enterprises", scanInt64)
			if err != nil {
				return err
			}
			for _, ent := range ents {
				if err := putPage(ctx, t, ent); err != nil {
					return fmt.Errorf("page row of enterprise row %d: %w", ent, err)
				}
			}
			if n = len(ents); n > 0 {
				after = ents[n-1]
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("make the enterprises' page rows: %w", err)
		}
	}
	return nil
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
