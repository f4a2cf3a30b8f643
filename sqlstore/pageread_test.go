package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestPageReader reads page rows from more goroutines than the reader has connections: each
// gets its row, or none for a code not registered, and none waits for ever for a connection
// (a connection given back wakes a waiter). Once closed, it reads no more. It runs with
// each lookup in a transaction of its own and with transactions held (commits counted).
func TestPageReader(t *testing.T) {
	for _, held := range []bool{false, true} {
		t.Run(fmt.Sprintf("held=%v", held), func(t *testing.T) {
			var commits *atomic.Uint64
			if held {
				commits = new(atomic.Uint64)
			}
			testPageReader(t, commits)
		})
	}
}

func testPageReader(t *testing.T, commits *atomic.Uint64) {
	dsn := "file:" + filepath.Join(t.TempDir(), "pages.db")
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const ents = 50
	if _, err := db.Exec(`CREATE TABLE enterprises (id INTEGER PRIMARY KEY, uscc TEXT UNIQUE, regno TEXT UNIQUE);
		` + testPagesTable + ``); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= ents; i++ {
		if _, err := db.Exec(`INSERT INTO enterprises VALUES (?, ?, ?)`, i, rowUSCC(i), fmt.Sprintf("%015d", i)); err != nil {
			t.Fatal(err)
		}
		// Most rows at their code's key; some at their own (-id), as a second code of the
		// same key is; and row 7 at row 8's code's key, as if 7's code and 8's had the same.
		key := pageKey(rowUSCC(i))
		switch {
		case i == 7:
			key = pageKey(rowUSCC(8))
		case i == 8 || i%5 == 0:
			key = int64(-i)
		}
		if _, err := db.Exec(`INSERT INTO pages VALUES (?, ?, ?, 0, ?, ?, ?)`, key, i, rowUSCC(i), i, "", rowPage(i)); err != nil {
			t.Fatal(err)
		}
	}
	p := newPageReader(func() (driver.Conn, error) { return db.Driver().Open(dsn) }, 2, commits)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Go(func() {
			for i := range 200 {
				n := 1 + (g*200+i)%(ents+1) // ents+1 is not registered
				row, err := p.row(ctx, (g+i)%2, []string{rowUSCC(n), fmt.Sprintf("%015d", n)}[(g+i)%2])
				switch {
				case err != nil:
					errs <- err
					return
				case n > ents && row != nil:
					errs <- fmt.Errorf("code %d: got a row, want none", n)
					return
				case n <= ents && (row == nil || !bytes.Equal(row.Frame, rowPage(n)) || row.ListedAt != n):
					errs <- fmt.Errorf("code %d: got %+v, want page %q at %d", n, row, rowPage(n), n)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	p.close()
	if _, err := p.row(ctx, 0, rowUSCC(1)); err == nil {
		t.Error("a closed reader read a row, want an error")
	}
	if n := len(p.slots); n != 0 {
		t.Errorf("got %d connections open after close, want 0", n)
	}
}

// TestPageReaderHeld checks the transactions a page connection holds: a commit counted is
// seen by the next lookup (one not counted is not, which shows the transaction held), and
// release lets a checkpoint copy the whole WAL and begin it again, which an idle
// connection's stale transaction prevented.
func TestPageReaderHeld(t *testing.T) {
	dsn := "file:" + filepath.Join(t.TempDir(), "pages.db") + "?_pragma=journal_mode(WAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE enterprises (id INTEGER PRIMARY KEY, uscc TEXT UNIQUE, regno TEXT UNIQUE);
		` + testPagesTable + `;
		INSERT INTO enterprises VALUES (1, '` + rowUSCC(1) + `', NULL);
		INSERT INTO pages VALUES (` + strconv.FormatInt(pageKey(rowUSCC(1)), 10) + `, 1, '` + rowUSCC(1) + `', 0, 1, '', CAST('one' AS BLOB))`); err != nil {
		t.Fatal(err)
	}
	var commits atomic.Uint64
	p := newPageReader(func() (driver.Conn, error) { return db.Driver().Open(dsn) }, 1, &commits)
	defer p.close()
	ctx := context.Background()
	read := func(want string) {
		t.Helper()
		row, err := p.row(ctx, 0, rowUSCC(1))
		if err != nil {
			t.Fatal(err)
		}
		if row == nil || string(row.Frame) != want {
			t.Fatalf("got page row %+v, want %q", row, want)
		}
	}
	write := func(page string) {
		t.Helper()
		if _, err := db.Exec(`UPDATE pages SET page = ? WHERE id = 1`, []byte(page)); err != nil {
			t.Fatal(err)
		}
	}
	checkpoint := func() (busy int) {
		t.Helper()
		var frames, done int
		if err := db.QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil {
			t.Fatal(err)
		}
		return busy
	}
	read("one")
	write("two")
	read("one") // the commit was not counted: the transaction held sees the row as it was
	commits.Add(1)
	read("two")
	write("three")
	commits.Add(1)
	if checkpoint() == 0 {
		t.Fatal("a checkpoint copied the whole WAL beside an idle connection's stale transaction; the test shows nothing")
	}
	p.release(false)
	if busy := checkpoint(); busy != 0 {
		t.Fatal("after release, a checkpoint could not copy the whole WAL")
	}
	read("three")
	p.release(false) // not stale: kept
	c := <-p.idle
	if !c.held {
		t.Fatal("release(false) ended a transaction begun after the last commit")
	}
	p.put(c)
	p.setHolding(false) // a long WAL: each lookup in a transaction of its own
	write("four")
	read("four")
	if checkpoint() != 0 {
		t.Fatal("a connection kept a transaction while not holding")
	}
	p.setHolding(true)
	read("four")
	write("five")
	read("four")
}

func rowUSCC(i int) string { return fmt.Sprintf("91310000%010d", i) }

func rowPage(i int) []byte { return []byte(fmt.Sprintf(`{"page":%d}`, i)) }

// BenchmarkPageReader reads page rows of 3.5 KB (the 20k demo's mean) at random from 20,000,
// in turns through pageReader, each lookup in a transaction of its own and in held ones,
// and, the baseline, through database/sql as the other reads do (a statement prepared on
// the pool, a request's cancellable context), and reports each one's time per lookup and
// their ratios to the baseline.
func BenchmarkPageReader(b *testing.B) {
	dir := b.TempDir()
	dsn := "file:" + filepath.Join(dir, "pages.db") + "?_pragma=journal_mode(WAL)&_pragma=mmap_size(2147418112)&_pragma=query_only(0)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(16)
	const ents = 20_000
	if _, err := db.Exec(`CREATE TABLE enterprises (id INTEGER PRIMARY KEY, uscc TEXT UNIQUE, regno TEXT UNIQUE);
		` + testPagesTable + ``); err != nil {
		b.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	blob := make([]byte, 3560)
	for i := 1; i <= ents; i++ {
		blob[i%len(blob)]++
		tx.Exec(`INSERT INTO enterprises VALUES (?, ?, NULL)`, i, rowUSCC(i))
		tx.Exec(`INSERT INTO pages VALUES (?, ?, ?, 0, 100, '', ?)`, pageKey(rowUSCC(i)), i, rowUSCC(i), blob)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	st, err := db.Prepare(pageQueries[0])
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	p := newPageReader(func() (driver.Conn, error) { return db.Driver().Open(dsn) }, 16, nil)
	defer p.close()
	held := newPageReader(func() (driver.Conn, error) { return db.Driver().Open(dsn) }, 16, new(atomic.Uint64))
	defer held.close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	viaSQL := func(code string) error {
		var frame []byte
		var at int
		var listed, uscc string
		return st.QueryRowContext(ctx, code).Scan(&frame, &at, &listed, &uscc)
	}
	viaReader := func(code string) error {
		_, err := p.row(ctx, 0, code)
		return err
	}
	viaHeld := func(code string) error {
		_, err := held.row(ctx, 0, code)
		return err
	}
	var took [3]time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i += 1000 {
		for k, read := range []func(string) error{viaSQL, viaReader, viaHeld} {
			t0 := time.Now()
			for j := range 1000 {
				if err := read(rowUSCC(1 + (i+j)*7919%ents)); err != nil {
					b.Fatal(err)
				}
			}
			took[k] += time.Since(t0)
		}
	}
	n := float64((b.N + 999) / 1000 * 1000)
	b.ReportMetric(float64(took[0].Microseconds())/n, "µs/lookup(database/sql)")
	b.ReportMetric(float64(took[1].Microseconds())/n, "µs/lookup(pageReader)")
	b.ReportMetric(float64(took[2].Microseconds())/n, "µs/lookup(held)")
	b.ReportMetric(float64(took[1])/float64(took[0]), "ratio")
	b.ReportMetric(float64(took[2])/float64(took[0]), "ratio(held)")
}

// testPagesTable is the page rows' table as the migrations leave it on SQLite.
const testPagesTable = `CREATE TABLE pages (key INTEGER PRIMARY KEY, id BIGINT NOT NULL UNIQUE, uscc TEXT NOT NULL,
	last_version BIGINT NOT NULL, listed_at INTEGER NOT NULL, listed TEXT NOT NULL, page BLOB NOT NULL)`
