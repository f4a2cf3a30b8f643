package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/gongshi/gongshi/storetest"

	"github.com/gongshi/gongshi/translog"
)

// runBin runs the gongshi binary with args and returns its exit status and output.
func runBin(t *testing.T, bin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errOut.String()
	}
	if err != nil {
		t.Fatalf("gongshi %v: %v", args, err)
	}
	return 0, out.String(), errOut.String()
}

// waitCheckpoint waits until the server's checkpoint covers size leaves and returns it.
func waitCheckpoint(t *testing.T, url string, size int64) ([]byte, tlog.Tree) {
	t.Helper()
	c := translog.NewClient(url, nil)
	deadline := time.Now().Add(20 * time.Second)
	for {
		cp, err := c.Checkpoint(context.Background())
		if err == nil {
			_, tree, err := translog.ParseCheckpointText(cp[:bytes.Index(cp, []byte("\n\n"))+1])
			if err != nil {
				t.Fatalf("checkpoint: %v", err)
			}
			if tree.N >= size {
				return cp, tree
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint of %d leaves within 20 s (last error %v, last %q)", size, err, cp)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// servedCheckpoint returns the checkpoint the server serves now.
func servedCheckpoint(t *testing.T, url string) []byte {
	t.Helper()
	cp, err := translog.NewClient(url, nil).Checkpoint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

// TestE2EBackupRestoreNeverForks: a backup taken while the server publishes, then more
// writes, then a restore of that backup. The restored server must serve but not publish —
// no checkpoint it serves or records differs from the one the backup held — until an
// operator accepts the fork explicitly. A tampered backup is not restored at all.
func TestE2EBackupRestoreNeverForks(t *testing.T) {
	t.Parallel()
	bin := buildGongshi(t)
	dir := t.TempDir()
	backup := filepath.Join(t.TempDir(), "backup.db")
	reg := adminToken(t, dir, "--role", "regulator", "--jurisdiction", "310000")

	srv := startChild(t, bin, dir)
	uscc := usccFor(t, "310115", 4100)
	var rg registered
	call(t, "POST", srv.url+"/api/v1/enterprises", reg, registrationBody(uscc, "上海备份样本科技有限公司")).want(t, 201, &rg)
	var last ack
	for i := range 3 {
		a, err := publishPenalty(srv.url, reg, uscc, 500+i)
		if err != nil {
			t.Fatal(err)
		}
		last = a
	}
	atBackup, _ := waitCheckpoint(t, srv.url, last.logIndex+1)
	if code, out, errOut := runBin(t, bin, "backup", "--data", dir, backup); code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("backup while serving: exit %d\n%s%s", code, out, errOut)
	}
	for i := range 3 {
		a, err := publishPenalty(srv.url, reg, uscc, 600+i)
		if err != nil {
			t.Fatal(err)
		}
		last = a
	}
	published, pubTree := waitCheckpoint(t, srv.url, last.logIndex+1)
	srv.stop(t)
	if got, _ := os.ReadFile(filepath.Join(dir, translog.PublishedFile)); !bytes.Equal(got, published) {
		t.Fatalf("%s: got %q, want the last checkpoint served %q", translog.PublishedFile, got, published)
	}

	// A backup that does not verify is refused and nothing is replaced.
	tampered := filepath.Join(t.TempDir(), "tampered.db")
	copyTestFile(t, backup, tampered)
	tamperDocument(t, tampered)
	code, out, errOut := runBin(t, bin, "restore", "--data", dir, tampered)
	if code == 0 || !strings.Contains(errOut, "nothing was replaced") {
		t.Fatalf("restore of a tampered backup: got exit %d, want a refusal saying nothing was replaced\n%s%s", code, out, errOut)
	}

	code, out, errOut = runBin(t, bin, "restore", "--data", dir, backup)
	if code != 0 || !strings.Contains(out, "WARNING: the server will serve this register but not publish") {
		t.Fatalf("restore: got exit %d, want 0 and a warning that the backup is behind\n%s%s", code, out, errOut)
	}

	srv = startChild(t, bin, dir)
	if !strings.Contains(srv.stderr.String(), "REFUSING TO PUBLISH") || !strings.Contains(srv.stderr.String(), "accept-fork") {
		t.Errorf("restored server: got no log line refusing to publish and naming the way out; stderr:\n%s", tail(srv.stderr.String(), 3000))
	}
	r := call(t, "POST", srv.url+"/api/v1/enterprises/"+uscc+"/records", reg, publication("penalty", daysAgo(3), penaltyFields(700)))
	p := r.problem(t, 503, "")
	if !strings.Contains(p.Detail, "behind the log's last published checkpoint") {
		t.Errorf("write to the restored server: got detail %q, want it to say the database is behind", p.Detail)
	}
	call(t, "GET", srv.url+"/api/v1/enterprises/"+uscc, "", nil).want(t, 200, nil)
	time.Sleep(700 * time.Millisecond) // a checkpointer tick or more
	if got := servedCheckpoint(t, srv.url); !bytes.Equal(got, atBackup) {
		t.Errorf("restored server serves checkpoint %q, want the backup's own %q", got, atBackup)
	}
	srv.stop(t)
	checkNoFork(t, filepath.Join(dir, "gongshi.db"), pubTree)

	// The way out of last resort: an explicit, recorded decision.
	if code, _, errOut := runBin(t, bin, "admin", "accept-fork", "--data", dir); code != 2 || !strings.Contains(errOut, "--reason is required") {
		t.Errorf("accept-fork without --reason: got exit %d, want 2 asking for a reason\n%s", code, errOut)
	}
	code, out, errOut = runBin(t, bin, "admin", "accept-fork", "--data", dir, "--reason", "entries 4–6 lost with the disk; approved by the duty officer")
	if code != 0 || !strings.Contains(out, "fork accepted") {
		t.Fatalf("accept-fork: exit %d\n%s%s", code, out, errOut)
	}
	forks, err := os.ReadFile(filepath.Join(dir, ForksFile))
	if err != nil || !bytes.Contains(forks, []byte("approved by the duty officer")) || !bytes.Contains(forks, []byte(fmt.Sprintf(`"database_size":%d`, pubTree.N-3))) {
		t.Errorf("%s: got %q (%v), want the reason and the database's size", ForksFile, forks, err)
	}
	srv = startChild(t, bin, dir)
	a, err := publishPenalty(srv.url, reg, uscc, 800)
	if err != nil {
		t.Fatalf("write after accept-fork: %v", err)
	}
	if a.logIndex < pubTree.N-3 { // the day's sweep may have published first
		t.Errorf("write after accept-fork: got log_index %d, want %d or more", a.logIndex, pubTree.N-3)
	}
	waitCheckpoint(t, srv.url, a.logIndex+1)
	if code, stdout, stderr := verifyMain("--url", srv.url, "--state", filepath.Join(t.TempDir(), "v.json")); code != 0 {
		t.Errorf("verify after accept-fork: exit %d\n%s%s", code, stdout, tail(stderr, 2000))
	}
}

// checkNoFork checks that every checkpoint recorded in the SQLite database at path is of a
// tree no larger than pub, so none can contradict it.
func checkNoFork(t *testing.T, path string, pub tlog.Tree) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var max int64
	if err := db.QueryRow(`SELECT COALESCE(MAX(size), 0) FROM checkpoints`).Scan(&max); err != nil {
		t.Fatal(err)
	}
	if max >= pub.N {
		t.Errorf("the restored database holds a checkpoint of %d leaves, want none of %d or more (a fork)", max, pub.N)
	}
}

func copyTestFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// tamperDocument appends a byte to the stored form of one logged document in the SQLite
// database at path (a compressed frame, sqlstore/docs.go, then no longer opens).
func tamperDocument(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec(`UPDATE versions SET document = CAST(CAST(document AS TEXT) || ' ' AS BLOB) WHERE log_index = (SELECT MAX(log_index) FROM versions)`)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("tamper: %d rows changed, want 1", n)
	}
}

// TestE2EPostgresDumpRestoreNeverForks: the README's PostgreSQL backup (pg_dump -Fc) and
// restore (pg_restore into a new database) of a register that went on publishing after
// the dump. The server on the restored database refuses to publish, as on SQLite.
func TestE2EPostgresDumpRestoreNeverForks(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresURL(t)
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed: CI must run the PostgreSQL backup test", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
	bin := buildGongshi(t)
	dir := t.TempDir()
	reg := adminToken(t, dir, "--db", url, "--role", "regulator", "--jurisdiction", "310000")
	srv := startChild(t, bin, dir, "--db", url)
	uscc := usccFor(t, "310115", 4200)
	call(t, "POST", srv.url+"/api/v1/enterprises", reg, registrationBody(uscc, "上海转储样本科技有限公司")).want(t, 201, nil)
	a, err := publishPenalty(srv.url, reg, uscc, 1)
	if err != nil {
		t.Fatal(err)
	}
	atDump, _ := waitCheckpoint(t, srv.url, a.logIndex+1)
	dump := filepath.Join(t.TempDir(), "gongshi.dump")
	if b, err := exec.Command("pg_dump", "--format=custom", "--file", dump, url).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump while serving: %v\n%s", err, b)
	}
	for i := range 2 {
		if a, err = publishPenalty(srv.url, reg, uscc, 10+i); err != nil {
			t.Fatal(err)
		}
	}
	_, pubTree := waitCheckpoint(t, srv.url, a.logIndex+1)
	srv.stop(t)

	restored := storetest.PostgresURL(t)
	if b, err := exec.Command("pg_restore", "--no-owner", "--dbname", restored, dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, b)
	}
	srv = startChild(t, bin, dir, "--db", restored)
	if !strings.Contains(srv.stderr.String(), "REFUSING TO PUBLISH") {
		t.Errorf("server on the restored database: got no log line refusing to publish; stderr:\n%s", tail(srv.stderr.String(), 3000))
	}
	call(t, "POST", srv.url+"/api/v1/enterprises/"+uscc+"/records", reg, publication("penalty", daysAgo(3), penaltyFields(99))).problem(t, 503, "")
	time.Sleep(700 * time.Millisecond)
	if got := servedCheckpoint(t, srv.url); !bytes.Equal(got, atDump) {
		t.Errorf("restored server serves checkpoint %q, want the dump's own %q", got, atDump)
	}
	srv.stop(t)
	db, err := sql.Open("pgx", restored)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var max int64
	if err := db.QueryRow(`SELECT COALESCE(MAX(size), 0) FROM checkpoints`).Scan(&max); err != nil {
		t.Fatal(err)
	}
	if max >= pubTree.N {
		t.Errorf("the restored database holds a checkpoint of %d leaves, want none of %d or more (a fork)", max, pubTree.N)
	}
}
