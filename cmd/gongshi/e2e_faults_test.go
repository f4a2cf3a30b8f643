package main

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gongshi/gongshi/storetest"
)

// writeStream is writers publishing penalties, one per enterprise, until stopped.
type writeStream struct {
	mu       sync.Mutex
	acks     []ack
	failures []error
	stop     chan struct{}
	wg       sync.WaitGroup
}

func startWrites(url, token string, codes []string, base int) *writeStream {
	s := &writeStream{stop: make(chan struct{})}
	for w, code := range codes {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-s.stop:
					return
				default:
				}
				a, err := publishPenalty(url, token, code, base+w*100000+i)
				s.mu.Lock()
				if err != nil {
					s.failures = append(s.failures, err)
				} else {
					s.acks = append(s.acks, a)
				}
				s.mu.Unlock()
				if err != nil {
					time.Sleep(20 * time.Millisecond)
				}
			}
		}()
	}
	return s
}

func (s *writeStream) counts() (acks, failures int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.acks), len(s.failures)
}

func (s *writeStream) end() ([]ack, []error) {
	close(s.stop)
	s.wg.Wait()
	return s.acks, s.failures
}

// registerWriters registers n enterprises to publish about and returns their codes and
// their registrations' acknowledgements.
func registerWriters(t *testing.T, url, token string, n int, seq uint64) ([]string, []ack) {
	t.Helper()
	var codes []string
	var acks []ack
	for i := range n {
		code := usccFor(t, "310115", seq+uint64(i))
		var rg registered
		call(t, "POST", url+"/api/v1/enterprises", token, registrationBody(code, fmt.Sprintf("上海故障样本%d号科技有限公司", i))).want(t, 201, &rg)
		codes, acks = append(codes, code), append(acks, ackOf(&rg.Version))
	}
	return codes, acks
}

// TestE2EDiskFull fills the disk of the data folder (a small tmpfs) while writers stream
// into the real binary: writes fail with an error and are not acknowledged; once space is
// freed the server goes on by itself; after a restart every acknowledged write is there
// and verify passes. It needs root to mount the tmpfs.
func TestE2EDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root (CI runs as root)")
	}
	t.Parallel()
	bin := buildGongshi(t)
	mnt := filepath.Join(t.TempDir(), "fs")
	os.Mkdir(mnt, 0o755)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })
	dir := filepath.Join(mnt, "data")
	os.Mkdir(dir, 0o750)
	reg := adminToken(t, dir, "--role", "regulator", "--jurisdiction", "310000")
	srv := startChild(t, bin, dir)
	codes, acks := registerWriters(t, srv.url, reg, 4, 5000)

	// Fill the disk, leaving a little room.
	filler := filepath.Join(mnt, "filler")
	fillDisk(t, filler, 256<<10)
	ws := startWrites(srv.url, reg, codes, 0)
	if !waitFor(60*time.Second, func() bool { _, f := ws.counts(); return f >= 20 }) {
		n, f := ws.counts()
		ws.end()
		t.Fatalf("the disk did not fill: %d writes acknowledged, %d failed in 60 s", n, f)
	}
	os.Remove(filler) // space again: the server must go on by itself
	before, _ := ws.counts()
	if !waitFor(30*time.Second, func() bool { n, _ := ws.counts(); return n >= before+50 }) {
		t.Errorf("no recovery after space was freed: %d writes acknowledged since; stderr:\n%s", func() int { n, _ := ws.counts(); return n - before }(), tail(srv.stderr.String(), 2000))
	}
	got, failures := ws.end()
	acks = append(acks, got...)
	for _, err := range failures {
		if !strings.Contains(err.Error(), "status 5") {
			t.Errorf("a write on a full disk: got %v, want a 5xx", err)
			break
		}
	}
	t.Logf("disk full: %d writes acknowledged, %d refused", len(got), len(failures))
	srv.stop(t)
	srv = startChild(t, bin, dir)
	checkDurable(t, srv.url, codes, acks)
	if code, stdout, stderr := verifyMain("--url", srv.url, "--state", filepath.Join(t.TempDir(), "v.json")); code != 0 {
		t.Errorf("verify after the disk filled: exit %d\n%s%s", code, stdout, tail(stderr, 2000))
	}
}

// fillDisk writes the file path until the file system has no more than room bytes free.
func fillDisk(t *testing.T, path string, room int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		var st syscall.Statfs_t
		if err := syscall.Statfs(filepath.Dir(path), &st); err != nil {
			t.Fatal(err)
		}
		free := int64(st.Bavail) * st.Bsize
		if free <= room {
			return
		}
		n := min(int64(len(buf)), free-room)
		if _, err := f.Write(buf[:n]); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return
			}
			t.Fatal(err)
		}
	}
}

// TestE2EPostgresConnectionDropped terminates the server's PostgreSQL connections in the
// middle of write batches (pg_terminate_backend) while writers stream: the batches that
// lose their connection fail and are not acknowledged, the server reconnects by itself,
// and every acknowledged write is there, with verify passing.
func TestE2EPostgresConnectionDropped(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresURL(t)
	bin := buildGongshi(t)
	dir := t.TempDir()
	reg := adminToken(t, dir, "--db", url, "--role", "regulator", "--jurisdiction", "310000")
	srv := startChild(t, bin, dir, "--db", url)
	codes, acks := registerWriters(t, srv.url, reg, 8, 6000)
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	admin.SetMaxOpenConns(1)

	ws := startWrites(srv.url, reg, codes, 0)
	killed := 0
	deadline := time.Now().Add(30 * time.Second)
	for killed < 5 && time.Now().Before(deadline) {
		// The writer inside a batch: a connection of this database in a transaction.
		// The session holding the sequencer's advisory lock is left alone.
		var n int
		err := admin.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()
			AND state IN ('active', 'idle in transaction')
			AND pid NOT IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory')`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		killed += n
		time.Sleep(30 * time.Millisecond)
	}
	if killed == 0 {
		t.Fatalf("no connection was caught in a batch to terminate")
	}
	before, _ := ws.counts()
	if !waitFor(30*time.Second, func() bool { n, _ := ws.counts(); return n >= before+100 }) {
		t.Errorf("no recovery after the connections were dropped; stderr:\n%s", tail(srv.stderr.String(), 2000))
	}
	got, failures := ws.end()
	acks = append(acks, got...)
	t.Logf("%d connections terminated; %d writes acknowledged, %d failed", killed, len(got), len(failures))
	srv.stop(t)
	srv = startChild(t, bin, dir, "--db", url)
	checkDurable(t, srv.url, codes, acks)
	if code, stdout, stderr := verifyMain("--url", srv.url, "--state", filepath.Join(t.TempDir(), "v.json")); code != 0 {
		t.Errorf("verify after the dropped connections: exit %d\n%s%s", code, stdout, tail(stderr, 2000))
	}
}

// TestE2EFsyncFails puts the data folder on an ext4 file system whose block device (a
// loop device) is backed by a sparse file on a small tmpfs, then fills the tmpfs: the file
// system still has room, writes succeed into the page cache, and fsync fails (the device
// cannot write them back) — the failure of thin-provisioned storage. Writes must not be
// acknowledged; the server recovers or stops with a clear message; after a restart with
// space again every acknowledged write is there and verify passes. Root only.
func TestE2EFsyncFails(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("loop devices and mounts need root (CI runs as root)")
	}
	t.Parallel()
	bin := buildGongshi(t)
	back := filepath.Join(t.TempDir(), "back")
	mnt := filepath.Join(t.TempDir(), "ext4")
	os.Mkdir(back, 0o755)
	os.Mkdir(mnt, 0o755)
	sh := func(name string, args ...string) string {
		out, err := exec.Command(name, args...).CombinedOutput()
		if err != nil {
			t.Skipf("%s %v: %v %s", name, args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	sh("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", back)
	t.Cleanup(func() { exec.Command("umount", "-l", back).Run() })
	img := filepath.Join(back, "disk.img")
	sh("truncate", "-s", "256M", img)
	loop := sh("losetup", "-f", "--show", img)
	t.Cleanup(func() { exec.Command("losetup", "-d", loop).Run() })
	sh("mkfs.ext4", "-q", "-E", "lazy_itable_init=0,lazy_journal_init=0", loop)
	sh("mount", loop, mnt)
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })

	dir := filepath.Join(mnt, "data")
	os.Mkdir(dir, 0o750)
	reg := adminToken(t, dir, "--role", "regulator", "--jurisdiction", "310000")
	srv := startChild(t, bin, dir)
	codes, acks := registerWriters(t, srv.url, reg, 4, 7000)

	filler := filepath.Join(back, "filler")
	fillDisk(t, filler, 0)
	ws := startWrites(srv.url, reg, codes, 0)
	stopped := false
	if !waitFor(60*time.Second, func() bool {
		select {
		case <-srv.exited:
			stopped = true
			return true
		default:
		}
		_, f := ws.counts()
		return f >= 20
	}) {
		n, f := ws.counts()
		ws.end()
		t.Fatalf("fsync did not fail: %d writes acknowledged, %d failed in 60 s", n, f)
	}
	os.Remove(filler) // the device can write again
	if !stopped {
		// The server goes on by itself.
		before, _ := ws.counts()
		if !waitFor(30*time.Second, func() bool { n, _ := ws.counts(); return n >= before+50 }) {
			t.Errorf("no recovery once the device could write again; stderr:\n%s", tail(srv.stderr.String(), 2000))
		}
	}
	got, failures := ws.end()
	acks = append(acks, got...)
	for _, err := range failures {
		if !strings.Contains(err.Error(), "status 5") && !stopped {
			t.Errorf("a write whose fsync failed: got %v, want a 5xx", err)
			break
		}
	}
	t.Logf("fsync failing: %d writes acknowledged, %d refused; server stopped: %v", len(got), len(failures), stopped)
	if !stopped {
		srv.stop(t)
	}
	srv = startChild(t, bin, dir)
	checkDurable(t, srv.url, codes, acks)
	if code, stdout, stderr := verifyMain("--url", srv.url, "--state", filepath.Join(t.TempDir(), "v.json")); code != 0 {
		t.Errorf("verify after fsync failed: exit %d\n%s%s", code, stdout, tail(stderr, 2000))
	}
}

// TestE2EPostgresWriterLockLost terminates the session holding the sequencer's advisory
// lock: with the lock gone another process could become the sequencer, so the server stops
// publishing, saying why, and a restart takes the lock again and publishes.
func TestE2EPostgresWriterLockLost(t *testing.T) {
	t.Parallel()
	url := storetest.PostgresURL(t)
	bin := buildGongshi(t)
	dir := t.TempDir()
	reg := adminToken(t, dir, "--db", url, "--role", "regulator", "--jurisdiction", "310000")
	srv := startChild(t, bin, dir, "--db", url)
	codes, acks := registerWriters(t, srv.url, reg, 1, 8000)
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var n int
	if err := admin.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("terminate the lock's session: %d terminated, %v; want 1", n, err)
	}
	if !waitFor(10*time.Second, func() bool { return strings.Contains(srv.stderr.String(), "LOST THE WRITER LOCK") }) {
		t.Fatalf("the server did not notice it lost the writer lock; stderr:\n%s", tail(srv.stderr.String(), 2000))
	}
	r := call(t, "POST", srv.url+"/api/v1/enterprises/"+codes[0]+"/records", reg, publication("penalty", daysAgo(3), penaltyFields(1)))
	if p := r.problem(t, 503, ""); !strings.Contains(p.Detail, "lost its PostgreSQL writer lock") {
		t.Errorf("a write without the lock: got %q, want it to say the lock was lost", p.Detail)
	}
	srv.stop(t)
	srv = startChild(t, bin, dir, "--db", url)
	a, err := publishPenalty(srv.url, reg, codes[0], 2)
	if err != nil {
		t.Fatalf("a write after the restart: %v", err)
	}
	checkDurable(t, srv.url, codes, append(acks, a))
}
