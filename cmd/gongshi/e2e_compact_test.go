package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gongshi/gongshi/sqlstore"
)

// TestE2ECompact: a register grown online in a database of 4 KB pages, as an older gongshi
// made them, is compacted into 16 KB pages, takes less room, has its page rows before the
// versions, records and log hashes, and still verifies; while a server runs on it, compact
// is refused and changes nothing.
func TestE2ECompact(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, sqlstore.DBFile)
	old, err := sql.Open("sqlite", "file:"+file)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{`PRAGMA page_size=4096`, `PRAGMA journal_mode=WAL`} {
		if _, err := old.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	if code, _, errOut := runMain("demo", "--data", dir, "--enterprises", "150", "--seed", "5", "--bulk=false"); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, tail(errOut, 2000))
	}
	pageSize := func() (size int64) {
		db, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.QueryRow(`SELECT page_size FROM pragma_page_size()`).Scan(&size); err != nil {
			t.Fatal(err)
		}
		return size
	}
	size := pageSize()
	unused := unusedShare(t, dir, "versions")
	if len(beforePages(t, dir)) == 0 {
		t.Fatal("the demo grown online has the page rows before the versions, records and log hashes; the test wants them after")
	}
	if size != 4096 {
		t.Fatalf("the demo's database has %d-byte pages, want the 4096 it was made with", size)
	}

	s := startServer(t, dir)
	if code, _, errOut := runMain("compact", "--data", dir); code == 0 || !strings.Contains(errOut, "running") {
		t.Errorf("compact beside a server: exit %d, want an error saying a server is running\n%s", code, errOut)
	}
	s.stop()
	if size := pageSize(); size != 4096 {
		t.Fatalf("a refused compact changed the page size to %d", size)
	}

	code, out, errOut := runMain("compact", "--data", dir)
	if code != 0 || !strings.Contains(out, "compacted") {
		t.Fatalf("compact: exit %d\n%s\n%s", code, out, errOut)
	}
	// Packed: a table's pages full (on a register this small the larger pages take more
	// room, a page at least for each table and index; on the demo of 20,000, 1,125 bytes
	// a version against 1,352).
	if size := pageSize(); size != sqlstore.PageSize {
		t.Errorf("compacted: %d-byte pages, want %d", size, sqlstore.PageSize)
	}
	if after := unusedShare(t, dir, "versions"); after > 0.05 || after >= unused {
		t.Errorf("versions table %.0f%% unused after compact, %.0f%% before; want under 5%%", 100*after, 100*unused)
	}
	if before := beforePages(t, dir); len(before) > 0 {
		t.Errorf("compacted: %v lie before the page rows in the file, want after", before)
	}
	if _, err := os.Stat(file + "-journal"); err == nil {
		t.Errorf("%s-journal left behind", file)
	}
	if code, out, errOut := verifyMain("--data", dir); code != 0 {
		t.Fatalf("verify --data after compact: exit %d\n%s\n%s", code, out, tail(errOut, 2000))
	}
	t.Logf("%s", out)
}
