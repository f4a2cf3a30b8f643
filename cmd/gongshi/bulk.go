package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/sqlstore"
)

// bulkViaSQLite is a bulk load into PostgreSQL: load writes it in bulk into the SQLite
// database of the data folder (no network round trip a statement), which is then copied
// into the PostgreSQL database at url with COPY (sqlstore.CopyToPostgres) and removed. The
// log is the same rows either way; the checkpoint signed at the end of load stands for
// both. With resume (gongshi import), a SQLite database left by a load stopped before its
// copy is carried on; otherwise it is refused.
func bulkViaSQLite(ctx context.Context, env *Env, df dataFlags, url string, clock gongshi.Clock, resume bool, load func(a *app) error) error {
	// An occupied database is refused before the load, not after it.
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	pg, err := sqlstore.Open(ctx, sqlstore.Config{URL: url, Logger: quiet})
	if err != nil {
		return err
	}
	n, _ := pg.TreeSize(ctx)
	pg.Close()
	if n > 0 {
		return fmt.Errorf("the PostgreSQL register already holds %d record versions: a bulk load goes into an empty database", n)
	}
	db := filepath.Join(df.data, "gongshi.db")
	if fileExists(db) && !resume {
		return fmt.Errorf("%s exists: a bulk load into PostgreSQL is written there first; give an empty data folder (it keeps the log's keys)", db)
	}
	staged := df
	staged.staging, staged.bulk = true, true
	a, err := staged.open(ctx, env, clock)
	if err != nil {
		return err
	}
	if err := load(a); err != nil {
		a.Close()
		return err
	}
	if err := a.Close(); err != nil { // signs the checkpoint
		return err
	}
	t0 := time.Now()
	err = sqlstore.CopyToPostgres(ctx, df.data, url, func(table string, rows int64) {
		if rows > 0 {
			fmt.Fprintf(env.Stderr, "gongshi: copied %d rows of %s into PostgreSQL (%v)\n", rows, table, time.Since(t0).Round(time.Millisecond))
		}
	})
	if err != nil {
		return fmt.Errorf("copy the load into PostgreSQL (it is in %s): %w", db, err)
	}
	fmt.Fprintf(env.Stderr, "gongshi: the load is in PostgreSQL, indexes built, in %v\n", time.Since(t0).Round(time.Millisecond))
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		os.Remove(f)
	}
	return nil
}
