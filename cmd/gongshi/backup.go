package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/translog"
)

func init() {
	register("backup", "copy the register's database, consistently, while it serves", runBackup)
	register("restore", "replace the register's database by a backup that verifies", runRestore)
	register("compact", "rewrite the SQLite database packed, in full 16 KB pages (no server running)", runCompact)
}

const backupUsage = `usage: gongshi backup --data DIR FILE

Writes a consistent copy of the SQLite database of the data folder DIR to FILE (a new
file), while a server may be serving and publishing (SQLite's VACUUM INTO). The copy holds
the register and its log; keep the data folder's keys (log-signing.key, cursor.key, watch.key) safe
apart. On PostgreSQL use pg_dump (see the README).
`

const restoreUsage = `usage: gongshi restore --data DIR FILE

Replaces the SQLite database of the data folder DIR by the backup FILE. No server may be
running on DIR. The backup is first audited as "gongshi verify --data" would (every leaf
against its document and the tree, the checkpoint's signature, every current-state row);
if anything fails, nothing is replaced. The replaced database is kept beside it.

A backup older than the log's last published checkpoint (log-published.checkpoint) is
restored, but the server will serve it read-only and refuse to publish until the missing
entries are recovered or an operator accepts the fork (gongshi admin accept-fork).
`

func runBackup(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, backupUsage) }
	data := fs.String("data", "gongshi-data", "data folder")
	db := fs.String("db", "", "PostgreSQL URL: refused, use pg_dump")
	if err := fs.Parse(args); err != nil {
		return exitStatus(2) // the flag package has shown the usage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitStatus(2)
	}
	if *db != "" {
		return errors.New("a PostgreSQL register is backed up with pg_dump (see the README's \"Backup and restore\"); gongshi backup copies the SQLite database")
	}
	file := fs.Arg(0)
	if err := sqlstore.Backup(ctx, *data, file); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "backed up %s to %s\n", filepath.Join(*data, sqlstore.DBFile), file)
	return nil
}

func runRestore(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, restoreUsage) }
	data := fs.String("data", "gongshi-data", "data folder")
	origin := fs.String("origin", DefaultOrigin, "the log's origin line")
	if err := fs.Parse(args); err != nil {
		return exitStatus(2) // the flag package has shown the usage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitStatus(2)
	}
	file := fs.Arg(0)
	if _, err := os.Stat(file); err != nil {
		return err
	}
	vkey, err := publishedKeys(ctx, "", *data)
	if err != nil {
		return fmt.Errorf("the data folder must hold the log's keys (restore them first): %w", err)
	}
	pub, err := translog.OpenPublished(filepath.Join(*data, translog.PublishedFile), *origin)
	if err != nil {
		return err
	}
	var behind error
	check := func(ctx context.Context, staged string) error {
		d, err := openDataLog(ctx, staged)
		if err != nil {
			return err
		}
		defer d.Close()
		rep, err := translog.AuditStore(ctx, d, vkey, d.Document, translog.AuditState{}, translog.AuditOptions{Progress: progressBar(env.Stderr, "leaves")})
		printVerifyReport(env.Stdout, rep, translog.AuditState{})
		if err != nil {
			return err
		}
		st, err := d.AuditState(ctx, progressBar(env.Stderr, "enterprises"))
		printStateReport(env.Stdout, st)
		if err != nil {
			return err
		}
		if st.ProblemN > 0 {
			return fmt.Errorf("%w: %d current-state rows disagree with the logged documents", translog.ErrAuditFailed, st.ProblemN)
		}
		size, err := d.TreeSize(ctx)
		if err != nil {
			return err
		}
		behind = pub.Check(ctx, d, size)
		if behind != nil && !errors.Is(behind, translog.ErrBehind) {
			return behind
		}
		return nil
	}
	aside, err := sqlstore.Restore(ctx, *data, file, check)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "restored %s from %s", filepath.Join(*data, sqlstore.DBFile), file)
	if aside != "" {
		fmt.Fprintf(env.Stdout, "; the database it replaced is %s", aside)
	}
	fmt.Fprintln(env.Stdout)
	if behind != nil {
		fmt.Fprintf(env.Stdout, "WARNING: the server will serve this register but not publish: %v\n", behind)
	}
	return nil
}

const compactUsage = `usage: gongshi compact --data DIR

Rewrites the SQLite database of the data folder DIR packed: every table and index in key
order, in full 16 KB pages, as a bulk load (demo, import) ends. A database grown by a
serving server keeps its pages about three quarters full, and one made by an older gongshi
has 4 KB pages; compacted, the demo's database takes about 1,125 bytes a logged version.
The enterprises' page rows are written first, where reads find them in SQLite's memory map.
No server may be running on DIR: it takes minutes on millions of versions (VACUUM), and
needs free space of about two and a half times the database's size; a crash leaves the
database as it was.
On PostgreSQL, autovacuum keeps tables from bloating (VACUUM FULL or pg_repack rewrite one).
`

func runCompact(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("compact", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, compactUsage) }
	data := fs.String("data", "gongshi-data", "data folder")
	db := fs.String("db", "", "PostgreSQL URL: refused, PostgreSQL's autovacuum does this")
	if err := parseFlags(env, "compact", fs, args); err != nil {
		return err
	}
	if *db != "" {
		return errors.New("gongshi compact rewrites the SQLite database; on PostgreSQL keep autovacuum on (VACUUM FULL or pg_repack rewrite a bloated table)")
	}
	t0 := time.Now()
	c, err := sqlstore.Compact(ctx, *data)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "compacted %s in %v: %d bytes (%d KB pages) → %d bytes (%d KB pages), %.0f%% of before\n",
		filepath.Join(*data, sqlstore.DBFile), time.Since(t0).Round(time.Millisecond), c.BytesBefore, c.PageSizeBefore>>10,
		c.BytesAfter, sqlstore.PageSize>>10, 100*float64(c.BytesAfter)/float64(max(c.BytesBefore, 1)))
	return nil
}
