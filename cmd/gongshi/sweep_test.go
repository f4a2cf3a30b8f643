package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
)

// sweepWorld writes n limited companies established in 2015, none of which files its
// 2015 annual report, into a new data folder.
func sweepWorld(t *testing.T, n int) string { return sweepWorldOf(t, n, 2015) }

// sweepWorldOf writes n limited companies established on 1 March of year, none of which
// files an annual report, into a new data folder.
func sweepWorldOf(t *testing.T, n, year int) string {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	clock := storetest.NewClock(storetest.At(fmt.Sprintf("%d-04-01T10:00:00+08:00", year)))
	db, err := sqlstore.Open(ctx, sqlstore.Config{Dir: dir, Clock: clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := gongshi.New(gongshi.Config{Store: db, Clock: clock, Rules: policy.DefaultRules()})
	reg := &gongshi.Account{ID: "reg", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"}
	for i := 0; i < n; i += 500 {
		err := db.Write(ctx, func(tx gongshi.Tx) error {
			for j := i; j < min(i+500, n); j++ {
				in := storetest.Registration(storetest.USCC(j), fmt.Sprintf("上海扫描%d有限公司", j), "张三")
				in.Fields["established"] = fmt.Sprintf("%d-03-01", year)
				if _, _, err := svc.RegisterTx(tx, reg, in); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// entryCounts returns the number of list entries and of enterprises with one.
func entryCounts(t *testing.T, dir string) (entries, enterprises int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "gongshi.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT uscc) FROM list_entries`).Scan(&entries, &enterprises); err != nil && !strings.Contains(err.Error(), "no such table") {
		t.Fatal(err)
	}
	return entries, enterprises
}

// TestSweepCommand: a dry run changes nothing; a sweep killed with SIGKILL part-way and
// run again lists every non-filer exactly once; a third run decides nothing.
func TestSweepCommand(t *testing.T) {
	const n = 2000
	dir := sweepWorld(t, n)
	code, out, errOut := runMain("sweep", "--data", dir, "--as-of", "2016-07-05", "--dry-run")
	if code != 0 || !strings.Contains(out, fmt.Sprintf("ground1              %8d", n)) || !strings.Contains(out, "would decide") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, tail(errOut, 10))
	}
	if e, _ := entryCounts(t, dir); e != 0 {
		t.Fatalf("the dry run left %d entries", e)
	}
	if code, _, _ := runMain("sweep", "--data", dir, "--as-of", "2099-01-01"); code == 0 {
		t.Errorf("a sweep as of a future date succeeded")
	}

	bin := buildGongshi(t)
	cmd := exec.Command(bin, "sweep", "--data", dir, "--as-of", "2016-07-05", "--batch", "20")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := waitFor(time.Minute, func() bool { e, _ := entryCounts(t, dir); return e > 0 })
	cmd.Process.Kill()
	cmd.Wait()
	before, _ := entryCounts(t, dir)
	t.Logf("the sweep was killed after %d of %d listings (caught mid-way: %v)", before, n, killed && before < n)

	code, out, errOut = runMain("sweep", "--data", dir, "--as-of", "2016-07-05")
	if code != 0 || !strings.Contains(out, fmt.Sprintf("ground1              %8d", n-before)) {
		t.Fatalf("re-run after kill -9 (%d listed before): exit %d\n%s\n%s", before, code, out, tail(errOut, 10))
	}
	if e, ents := entryCounts(t, dir); e != n || ents != n {
		t.Errorf("after the re-run: %d entries of %d enterprises, want %d of %d", e, ents, n, n)
	}
	code, out, _ = runMain("sweep", "--data", dir, "--as-of", "2016-07-05")
	if code != 0 || !strings.Contains(out, "decided 0 in") {
		t.Errorf("third run: exit %d\n%s", code, out)
	}
}

// TestSweepDryRunBesideServer: "gongshi sweep --dry-run" works beside a running server, as
// it commits nothing, and says what a sweep would decide; a sweep that is not dry is
// refused there, saying why.
func TestSweepDryRunBesideServer(t *testing.T) {
	const n = 5
	dir := sweepWorld(t, n)
	startServer(t, dir, "--clock", "2016-06-01T09:00:00+08:00") // nothing to list yet
	code, out, errOut := runMain("sweep", "--data", dir, "--clock", "2016-07-05T10:00:00+08:00", "--as-of", "2016-07-05", "--dry-run")
	if code != 0 || !strings.Contains(out, fmt.Sprintf("ground1              %8d", n)) || !strings.Contains(out, "would decide") {
		t.Fatalf("dry run beside the server: exit %d\n%s\n%s", code, out, tail(errOut, 10))
	}
	if e, _ := entryCounts(t, dir); e != 0 {
		t.Errorf("the dry run left %d entries", e)
	}
	code, _, errOut = runMain("sweep", "--data", dir, "--clock", "2016-07-05T10:00:00+08:00", "--as-of", "2016-07-05")
	if code != 1 || !strings.Contains(errOut, "another gongshi process") {
		t.Errorf("sweep beside the server: got exit %d, stderr %q; want 1 and the writer lock's error", code, tail(errOut, 300))
	}
}
