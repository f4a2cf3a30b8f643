package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// DBFile is the SQLite database's name in the data folder.
const DBFile = "gongshi.db"

// Backup writes a consistent copy of the SQLite database of the data folder dir to file,
// while a server may be writing to it: SQLite's VACUUM INTO copies
// one read transaction's snapshot. The copy is written beside file, synced and renamed to
// it, so file is either absent or whole. An existing file is an error. (PostgreSQL is backed
// up with its own tools, pg_dump; see the README.)
func Backup(ctx context.Context, dir, file string) error {
	src := filepath.Join(dir, DBFile)
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("backup: %s holds no gongshi database: %w", dir, err)
	}
	if _, err := os.Stat(file); !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %s exists; name a new file", file)
	}
	partial := file + ".partial"
	os.Remove(partial)
	defer os.Remove(partial)
	db, err := sql.Open("sqlite", "file:"+src+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, partial); err != nil {
		return fmt.Errorf("backup: copy %s: %w", src, err)
	}
	if err := syncPath(partial); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(partial, file); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return syncPath(filepath.Dir(file))
}

// Restore replaces the SQLite database of the data folder dir by the backup file, which
// check must accept first: Restore takes the writer lock (no server may be running), copies
// file into a staging folder dir/restoring, calls check with that folder (a data folder
// holding only the copied database), and only if check returns nil moves the database it
// replaces aside (gongshi.db.replaced-<UTC time>, with its WAL) and the copy into place.
// It returns the name the replaced database was given ("" if there was none).
func Restore(ctx context.Context, dir, file string, check func(ctx context.Context, staged string) error) (string, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	lock, err := lockFile(filepath.Join(dir, "gongshi.lock"))
	if err != nil {
		return "", err
	}
	defer lock.Close()
	staged := filepath.Join(dir, "restoring")
	if err := os.RemoveAll(staged); err != nil {
		return "", err
	}
	if err := os.Mkdir(staged, 0o750); err != nil {
		return "", err
	}
	defer os.RemoveAll(staged)
	if err := copyFile(file, filepath.Join(staged, DBFile)); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	if err := check(ctx, staged); err != nil {
		return "", fmt.Errorf("restore: the backup %s does not verify, nothing was replaced: %w", file, err)
	}
	// A WAL left beside the staged copy by the check holds nothing: closing the last
	// connection checkpoints it into the database.
	cur := filepath.Join(dir, DBFile)
	var aside string
	if _, err := os.Stat(cur); err == nil {
		aside = cur + ".replaced-" + time.Now().UTC().Format("20060102T150405Z")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(cur+suffix, aside+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("restore: move the current database aside: %w", err)
			}
		}
	}
	if err := os.Rename(filepath.Join(staged, DBFile), cur); err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	return aside, syncPath(dir)
}

// copyFile copies src to a new file dst and syncs it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// syncPath fsyncs a file or folder by name.
func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Compacted says what Compact did.
type Compacted struct {
	BytesBefore, BytesAfter int64
	PageSizeBefore          int64 // the database's page size before; after, PageSize
}

// Compact rewrites the SQLite database of the data folder dir packed, as a bulk load ends
// (compact): every table and index in key order, in full pages of PageSize bytes. A
// database grown online keeps its B-tree pages about three quarters full, and one made by
// an older gongshi has 4 KB pages; compacted, the demo's take 1,125 bytes a version. The
// page rows are put first (placeLast). It takes the writer lock (no server may be running),
// and needs free space of about two and a half times the database's size: the largest
// tables are made again, the copy is made in a temporary file and the rewrite journaled, so
// a crash leaves the database as it was. To change the page size, SQLite wants the database
// out of WAL mode; it is put back in it after.
func Compact(ctx context.Context, dir string) (Compacted, error) {
	var c Compacted
	lock, err := lockFile(filepath.Join(dir, "gongshi.lock"))
	if err != nil {
		return c, err
	}
	defer lock.Close()
	file := filepath.Join(dir, DBFile)
	if _, err := os.Stat(file); err != nil {
		return c, fmt.Errorf("compact: %s holds no gongshi database: %w", dir, err)
	}
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return c, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one connection: the journal mode changes only on a database no one else has open
	size := func() (bytes, page int64, err error) {
		err = db.QueryRowContext(ctx, `SELECT page_count * page_size, page_size FROM pragma_page_count(), pragma_page_size()`).Scan(&bytes, &page)
		return bytes, page, err
	}
	if c.BytesBefore, c.PageSizeBefore, err = size(); err != nil {
		return c, fmt.Errorf("compact: read %s: %w", file, err)
	}
	if err := placeLast(ctx, db); err != nil {
		if isBusy(err) {
			return c, fmt.Errorf("compact %s: another process is writing to the database: stop it first: %w", file, err)
		}
		return c, fmt.Errorf("compact %s (it needs free space of about two and a half times its size): %w", file, err)
	}
	for _, stmt := range []string{
		`PRAGMA wal_checkpoint(TRUNCATE)`,
		`PRAGMA journal_mode=DELETE`,
		fmt.Sprintf(`PRAGMA page_size=%d`, PageSize),
		`PRAGMA temp_store=FILE`,
		`VACUUM`,
		`PRAGMA journal_mode=WAL`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			if isBusy(err) {
				return c, fmt.Errorf("compact %s: another process has the database open (a backup, sqlite3…): close it first: %w", file, err)
			}
			return c, fmt.Errorf("compact %s (%s; it needs free space of about two and a half times its size): %w", file, stmt, err)
		}
	}
	var page int64
	if c.BytesAfter, page, err = size(); err == nil && page != PageSize {
		// SQLite leaves the journal mode as it was, without an error, when it cannot change it.
		err = fmt.Errorf("compact %s: packed, but its pages are still of %d bytes (it did not leave WAL mode)", file, page)
	}
	return c, err
}

// placedLast are the tables a compaction writes at the end of the database file, in this
// order. VACUUM writes the tables in the order they were made, each followed by its
// indexes, and the versions (two thirds of the file) were made before the page rows: on a
// bulk-loaded store of 1M enterprises the page rows began 3.5 GB into its 5.8 GB. SQLite
// reads the first 2 GiB of a file through its memory map (the most mmap_size allows) and
// the rest with a pread into its cache for every page; an uncached enterprise page, whose
// page row lay beyond it, cost 162 µs of the server's CPU there against 95 µs on a store
// that fits (bench read). Made again last, these leave the enterprises, their indexes and
// the page rows at the file's start.
var placedLast = []string{"records", "log_hashes", "versions"}

// placeLast makes each table of placedLast again, with its rows and indexes, so that the
// VACUUM that follows in the same connection writes them at the end of the file. Tables
// made last already (a bulk load into an empty store makes them again, empty, as it
// begins: StartBulk) are left as they are.
func placeLast(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// VACUUM copies the tables in the order of sqlite_schema's rows, which is the order
	// they were made.
	rows, err := tx.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY rowid DESC LIMIT ?`, len(placedLast))
	lastMade, err := collect(rows, err, "the tables", scanText)
	if err != nil {
		return err
	}
	slices.Reverse(lastMade)
	if slices.Equal(lastMade, placedLast) {
		return nil
	}
	for _, table := range placedLast {
		var create string
		if err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?`, table).Scan(&create); err != nil {
			return fmt.Errorf("table %s: %w", table, err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY rowid`, table)
		indexes, err := collect(rows, err, table+"'s indexes", scanText)
		if err != nil {
			return err
		}
		stmts := append([]string{
			`ALTER TABLE ` + table + ` RENAME TO moving_last`,
			create,
			`INSERT INTO ` + table + ` SELECT * FROM moving_last`,
			`DROP TABLE moving_last`,
		}, indexes...)
		for _, s := range stmts {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("make table %s again at the file's end: %w", table, err)
			}
		}
	}
	return tx.Commit()
}
