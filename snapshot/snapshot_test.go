package snapshot_test

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/snapshot"
	"github.com/gongshi/gongshi/snapshot/snapshottest"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
	"github.com/gongshi/gongshi/translog"
)

// populated returns a store holding the conformance suite's register (every kind of
// record, lists, a draw, withdrawals) with a signed checkpoint, and the log's signer.
func populated(t *testing.T, url string) (*sqlstore.DB, *translog.Signer) {
	f := storetest.Populate(t, func(t *testing.T, clock gongshi.Clock) (storetest.Store, func() storetest.Store) {
		db, err := sqlstore.Open(context.Background(), sqlstore.Config{URL: url, Dir: t.TempDir(), Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db, nil
	})
	signer, err := translog.LoadOrCreateKey(t.TempDir(), "gongshi.test/log")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := translog.NewCheckpointer(f.Store, signer).Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	return f.Store.(*sqlstore.DB), signer
}

func TestSnapshotSQLite(t *testing.T) { testSnapshot(t, "") }

func TestSnapshotPostgres(t *testing.T) { testSnapshot(t, storetest.PostgresURL(t)) }

func testSnapshot(t *testing.T, url string) {
	ctx := context.Background()
	db, signer := populated(t, url)
	snapshot.SmallChunks(t) // many gzip members, made on every core, written in order
	root := t.TempDir()
	now := time.Date(2024, 7, 26, 1, 0, 0, 0, time.UTC)
	m, err := snapshot.Write(ctx, db, root, snapshot.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	size, _ := db.TreeSize(ctx)
	if m.Size != size || m.File(snapshot.VersionsFile).Rows != size {
		t.Fatalf("snapshot of size %d with %d lines, want the log's %d", m.Size, m.File(snapshot.VersionsFile).Rows, size)
	}
	dir := filepath.Join(root, m.Name)
	rep, err := snapshot.Verify(dir, signer.Verifiers(), nil)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if rep.Lines != size || rep.Withdrawn == 0 || rep.Documents+rep.Withdrawn != size {
		t.Errorf("verified %d lines, %d documents, %d withdrawn; want %d lines, some withdrawn", rep.Lines, rep.Documents, rep.Withdrawn, size)
	}

	// Every document line is the document the register serves.
	err = snapshot.EachLine(filepath.Join(dir, snapshot.VersionsFile), func(n int64, l *gongshi.FeedEvent) error {
		doc, w, err := db.Document(ctx, l.SHA256)
		if err != nil {
			return err
		}
		if (w != nil) != (l.Document == nil) || (w == nil && string(doc) != string(l.Document)) {
			t.Errorf("line %d: document %q withdrawn %v; the register's %q, withdrawn %v", n, l.Document, l.Withdrawn, doc, w)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The CSV: as many enterprises as the register, its header in Chinese, list rows.
	ents := readCSV(t, filepath.Join(dir, snapshot.EnterprisesFile))
	var count int64 // registrations: one for each enterprise
	snapshot.EachLine(filepath.Join(dir, snapshot.VersionsFile), func(n int64, l *gongshi.FeedEvent) error {
		if l.Kind == "registration" && l.Version == 1 {
			count++
		}
		return nil
	})
	if got := int64(len(ents) - 1); got != count || got != m.File(snapshot.EnterprisesFile).Rows {
		t.Errorf("enterprises.csv has %d rows, manifest %d, want the register's %d", got, m.File(snapshot.EnterprisesFile).Rows, count)
	}
	if strings.Join(ents[0], ",") != "\ufeff"+strings.Join(snapshot.EnterpriseHeader, ",") {
		t.Errorf("header %q", ents[0])
	}
	lists := readCSV(t, filepath.Join(dir, snapshot.ListsFile))
	if len(lists) < 2 || int64(len(lists)-1) != m.File(snapshot.ListsFile).Rows {
		t.Errorf("lists.csv has %d rows, manifest %d; want some", len(lists)-1, m.File(snapshot.ListsFile).Rows)
	}

	// Each row says what the enterprise's whole file says, though made from the versions
	// of gongshi.SummaryKinds alone.
	var wantLists [][]string
	for _, row := range ents[1:] {
		svs, err := db.File(ctx, gongshi.FileQuery{Code: row[0]})
		if err != nil {
			t.Fatal(err)
		}
		d, err := gongshi.OpenDossier(svs, false)
		if err != nil {
			t.Fatal(err)
		}
		e := snapshot.EnterpriseRowOf(d, calendar.DateOf(now))
		if got, want := strings.Join(row, ","), strings.Join(e.CSV(), ","); got != want {
			t.Errorf("enterprises.csv row\n%s\nwant, from the whole file,\n%s", got, want)
		}
		for _, le := range d.Entries {
			l := snapshot.ListRowOf(le)
			wantLists = append(wantLists, l.CSV())
		}
	}
	if got, want := fmt.Sprint(lists[1:]), fmt.Sprint(wantLists); got != want {
		t.Errorf("lists.csv rows\n%s\nwant, from the whole files,\n%s", got, want)
	}

	// The Parquet files: the same rows, typed.
	pents := readParquet[snapshot.EnterpriseRow](t, filepath.Join(dir, snapshot.EnterprisesParquetFile))
	if int64(len(pents)) != m.File(snapshot.EnterprisesParquetFile).Rows || len(pents) != len(ents)-1 {
		t.Errorf("enterprises.parquet has %d rows, manifest %d, the CSV %d", len(pents), m.File(snapshot.EnterprisesParquetFile).Rows, len(ents)-1)
	}
	for i := range min(len(pents), len(ents)-1) {
		if got, want := strings.Join(pents[i].CSV(), ","), strings.Join(ents[i+1], ","); got != want {
			t.Errorf("enterprises.parquet row %d\n%s\nwant the CSV's\n%s", i, got, want)
		}
	}
	plists := readParquet[snapshot.ListRow](t, filepath.Join(dir, snapshot.ListsParquetFile))
	var gotLists [][]string
	for _, l := range plists {
		gotLists = append(gotLists, l.CSV())
	}
	if got, want := fmt.Sprint(gotLists), fmt.Sprint(wantLists); got != want || int64(len(plists)) != m.File(snapshot.ListsParquetFile).Rows {
		t.Errorf("lists.parquet rows (%d)\n%s\nwant the CSV's (manifest %d)\n%s", len(plists), got, m.File(snapshot.ListsParquetFile).Rows, want)
	}
	if len(plists) == 0 || plists[0].Since == nil || *plists[0].Since < 16071 /* 2014-01-01 */ {
		t.Errorf("lists.parquet: first entry %+v, want one with its date", plists)
	}

	// The same checkpoint is not written twice; a listed snapshot is complete.
	again, err := snapshot.Write(ctx, db, root, snapshot.Options{Now: now.Add(time.Hour)})
	if err != nil || again.Name != m.Name {
		t.Errorf("second snapshot of one checkpoint: %v, %v; want %s again", again, err, m.Name)
	}
	if ms, _ := snapshot.List(root); len(ms) != 1 {
		t.Errorf("listed %d snapshots, want 1", len(ms))
	}
}

func readCSV(t *testing.T, path string) [][]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bufio.NewReader(zr)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func readParquet[T any](t *testing.T, path string) []T {
	rows, err := parquet.ReadFile[T](path)
	if err != nil {
		t.Fatalf("read %s: %v", filepath.Base(path), err)
	}
	return rows
}

// A snapshot changed after it was written does not verify, and says where.
func TestVerifyFindsChanges(t *testing.T) {
	ctx := context.Background()
	db, signer := populated(t, "")
	root := t.TempDir()
	m, err := snapshot.Write(ctx, db, root, snapshot.Options{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, m.Name)
	other, err := translog.LoadOrCreateKey(t.TempDir(), "gongshi.test/log")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snapshot.Verify(dir, other.Verifiers(), nil); !errors.Is(err, snapshot.ErrInvalid) || !strings.Contains(err.Error(), "checkpoint") {
		t.Errorf("verified with another key: %v", err)
	}

	// A document edited and the manifest's hash made to match: the line's hash is wrong.
	lines := snapshottest.Lines(t, dir)
	snapshottest.Forge(t, dir, snapshottest.EditFirst(lines))
	if _, err := snapshot.Verify(dir, signer.Verifiers(), nil); !errors.Is(err, snapshot.ErrInvalid) || !strings.Contains(err.Error(), "hashes to") {
		t.Errorf("verified an edited document: %v", err)
	}
	// A line left out: the tree has another root.
	snapshottest.Forge(t, dir, append(lines[:3:3], lines[4:]...))
	if _, err := snapshot.Verify(dir, signer.Verifiers(), nil); !errors.Is(err, snapshot.ErrInvalid) || !strings.Contains(err.Error(), "line 4") {
		t.Errorf("verified with a line left out: %v", err)
	}
}
