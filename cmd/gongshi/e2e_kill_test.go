package main

// kill -9 durability (issue 3, "Bad input and faults"): the real binary, killed with
// SIGKILL in the middle of a stream of concurrent writes, loses no acknowledged write, and
// after a restart the register, the log and "gongshi verify" agree.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
)

// buildGongshi builds the gongshi binary from this package's source into a temporary
// folder, with the module root as the working directory.
func buildGongshi(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(wd, "..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root %s: %v", root, err)
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build the binary with: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "gongshi")
	cmd := exec.Command(goCmd, "build", "-o", bin, "./cmd/gongshi")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/gongshi: %v\n%s", err, out)
	}
	return bin
}

// child is "gongshi serve" running as a child process.
type child struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
	exited chan struct{} // closed once Wait returned
	err    error         // Wait's result, once exited is closed
}

func startChild(t *testing.T, bin, dir string, extra ...string) *child {
	t.Helper()
	c := spawnServe(t, bin, dir, extra...)
	waitStartSweep(t, c.stderr)
	return c
}

// spawnServe runs "gongshi serve --data dir --addr 127.0.0.1:0 --no-rate-limit EXTRA…" and
// waits for the address it prints.
func spawnServe(t *testing.T, bin, dir string, extra ...string) *child {
	t.Helper()
	c := &child{stderr: &syncBuffer{}, exited: make(chan struct{})}
	c.cmd = exec.Command(bin, append([]string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--no-rate-limit"}, extra...)...)
	c.cmd.Stderr = c.stderr
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case urls <- m[1]:
				default:
				}
			}
		}
	}()
	go func() {
		c.err = c.cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() { c.cmd.Process.Kill(); <-c.exited })
	select {
	case c.url = <-urls:
	case <-c.exited:
		t.Fatalf("serve exited before listening: %v; stderr:\n%s", c.err, tail(c.stderr.String(), 4000))
	case <-time.After(30 * time.Second):
		t.Fatalf("serve printed no address within 30 s; stderr:\n%s", tail(c.stderr.String(), 4000))
	}
	return c
}

// stop sends SIGTERM and waits for a clean exit.
func (c *child) stop(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.exited:
		if c.err != nil {
			t.Fatalf("serve after SIGTERM: got %v, want exit status 0; stderr:\n%s", c.err, tail(c.stderr.String(), 2000))
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not stop within 20 s of SIGTERM")
	}
}

// kill sends SIGKILL (unless sent already) and waits until the process is gone.
func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("kill -9: %v", err)
	}
	<-c.exited
	if ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("serve: got exit %v, want death by SIGKILL", c.cmd.ProcessState)
	}
}

// TestE2EKill9 streams writes from 16 clients into the real binary, kills it with SIGKILL
// after 500 acknowledged writes, restarts it on the same data folder and checks that every
// acknowledged write is there at its log index with its hash, that the log covers exactly
// the register's versions, that "gongshi verify" passes on the folder and on the server,
// and that the next write gets the next log index. Three times (once with -short).
func TestE2EKill9(t *testing.T) {
	t.Parallel()
	bin := buildGongshi(t)
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tok := exec.CommandContext(ctx, bin, "admin", "token", "--data", dir, "--role", "regulator", "--jurisdiction", "310000")
	tok.Stdout, tok.Stderr = &out, &errOut
	if err := tok.Run(); err != nil {
		t.Fatalf("gongshi admin token: %v\n%s", err, errOut.String())
	}
	reg := checkToken(t, out.String())

	srv := startChild(t, bin, dir)
	const writers, perRound = 16, 500
	codes := make([]string, writers)
	var acks []ack
	for i := range codes {
		codes[i] = usccFor(t, "310115", uint64(3000+i))
		var rg registered
		call(t, "POST", srv.url+"/api/v1/enterprises", reg, registrationBody(codes[i], fmt.Sprintf("上海断电样本%d号科技有限公司", i))).want(t, 201, &rg)
		acks = append(acks, ackOf(&rg.Version))
	}
	dataState := filepath.Join(t.TempDir(), "verify-data.json")
	urlState := filepath.Join(t.TempDir(), "verify-url.json")
	rounds := 3
	if testing.Short() {
		rounds = 1
	}
	for round := 1; round <= rounds; round++ {
		got := streamAndKill(t, srv, reg, codes, perRound, round)
		acks = append(acks, got...)
		srv = startChild(t, bin, dir)
		size := checkDurable(t, srv.url, codes, acks)
		t.Logf("round %d: %d writes acknowledged before kill -9; %d in all; log size %d after restart", round, len(got), len(acks), size)

		for _, args := range [][]string{{"--data", dir, "--state", dataState}, {"--url", srv.url, "--state", urlState}} {
			code, stdout, stderr := verifyMain(args...)
			if code != 0 || !bytes.Contains([]byte(stdout), fmt.Appendf(nil, "verified at size %d", size)) {
				t.Fatalf("round %d: verify %s: got exit status %d, want 0 at size %d\nstdout:\n%s\nstderr:\n%s", round, args[0], code, size, stdout, tail(stderr, 2000))
			}
			if round > 1 && args[0] == "--data" && !bytes.Contains([]byte(stdout), []byte("consistent with the checkpoint of size")) {
				t.Errorf("round %d: verify --data: got no consistency proof with the checkpoint verified before the kill\nstdout:\n%s", round, stdout)
			}
		}

		// Writes go on: the next one is the next leaf.
		a, err := publishPenalty(srv.url, reg, codes[round%writers], 100000+round)
		if err != nil {
			t.Fatalf("round %d: first write after restart: %v", round, err)
		}
		if a.logIndex != size {
			t.Errorf("round %d: first write after restart: got log_index %d, want %d", round, a.logIndex, size)
		}
		acks = append(acks, a)
	}

	// A clean stop after all that: SIGTERM, exit status 0, and the data still verifies.
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-srv.exited:
		if srv.err != nil {
			t.Errorf("serve after SIGTERM: got %v, want exit status 0; stderr:\n%s", srv.err, tail(srv.stderr.String(), 2000))
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not stop within 20 s of SIGTERM")
	}
	if code, stdout, stderr := verifyMain("--data", dir, "--state", dataState); code != 0 {
		t.Errorf("verify --data after a clean stop: got exit status %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, tail(stderr, 2000))
	}
}

// streamAndKill has one writer per enterprise publish penalties until n writes have been
// acknowledged, then kills the server with SIGKILL while the writers go on, and returns
// every acknowledged write.
func streamAndKill(t *testing.T, srv *child, token string, codes []string, n, round int) []ack {
	t.Helper()
	var (
		mu      sync.Mutex
		acks    []ack
		early   []error // failures before the kill
		count   atomic.Int64
		killed  = make(chan struct{})
		killOne sync.Once
		wg      sync.WaitGroup
	)
	for w, code := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				a, err := publishPenalty(srv.url, token, code, round*1000000+w*10000+i)
				if err != nil {
					select {
					case <-killed:
					default:
						mu.Lock()
						early = append(early, err)
						mu.Unlock()
					}
					return
				}
				mu.Lock()
				acks = append(acks, a)
				mu.Unlock()
				if count.Add(1) == int64(n) {
					killOne.Do(func() {
						srv.cmd.Process.Signal(syscall.SIGKILL)
						close(killed)
					})
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatalf("round %d: writers still running 60 s after the start", round)
	}
	select {
	case <-killed:
	default:
		t.Fatalf("round %d: got %d acknowledged writes and %d failures before the kill, want %d writes; first failure: %v; stderr:\n%s",
			round, count.Load(), len(early), n, early, tail(srv.stderr.String(), 2000))
	}
	srv.kill(t)
	if len(early) > 0 {
		// A writer that was refused before the kill is a bug, not a crash artefact.
		t.Fatalf("round %d: %d writes failed before the kill; first: %v", round, len(early), early[0])
	}
	if len(acks) < n {
		t.Fatalf("round %d: got %d acknowledged writes, want ≥ %d", round, len(acks), n)
	}
	return acks
}

// checkDurable checks that every acknowledged write is in the restarted server's register
// with its log index and hash, that the signed checkpoint covers them, and that the log
// holds exactly the register's versions (every leaf index is claimed by one version). It
// returns the log's size once it is stable.
func checkDurable(t *testing.T, url string, codes []string, acks []ack) int64 {
	t.Helper()
	a, err := newLogAuditor(url)
	if err != nil {
		t.Fatal(err)
	}
	var maxIndex int64 = -1
	for _, k := range acks {
		maxIndex = max(maxIndex, k.logIndex)
	}
	// Writes in flight at the kill may have committed without an answer. Until the new
	// process signs its first checkpoint, the one served is the old process's last, which
	// may not cover them; on a loaded machine that took longer than the wait below, which
	// then settled on it. The checkpoint must reach every version the register shows.
	api := url + "/api/v1"
	for _, code := range codes {
		for _, rec := range readRecords(t, api, code) {
			for _, v := range rec.Versions {
				maxIndex = max(maxIndex, v.LogIndex)
			}
		}
	}
	a.waitTree(t, max(maxIndex+1, int64(len(acks))))
	// Nothing writes now; the checkpointer's first checkpoint after start covers every
	// leaf. Wait until two checkpoints a checkpoint interval apart agree.
	var size int64
	if !waitFor(10*time.Second, func() bool {
		t1, err1 := a.checkpoint()
		time.Sleep(600 * time.Millisecond)
		t2, err2 := a.checkpoint()
		size = t2.N
		return err1 == nil && err2 == nil && t1 == t2
	}) {
		t.Fatalf("checkpoint did not settle within 10 s")
	}
	if size < int64(len(acks)) {
		t.Fatalf("log size after restart: got %d, want ≥ %d acknowledged writes", size, len(acks))
	}

	versions := map[string]map[int]*gongshi.Version{}
	claimed := make([]int, size)
	for _, code := range codes {
		for _, rec := range readRecords(t, api, code) {
			versions[rec.ID] = map[int]*gongshi.Version{}
			for _, v := range rec.Versions {
				versions[rec.ID][v.Version] = v
				if v.LogIndex < 0 || v.LogIndex >= size {
					t.Errorf("record %s v%d: got log_index %d, want one in [0, %d)", rec.ID, v.Version, v.LogIndex, size)
					continue
				}
				claimed[v.LogIndex]++
			}
		}
	}
	lost := 0
	for _, k := range acks {
		v := versions[k.record][k.version]
		switch {
		case v == nil:
			lost++
			if lost <= 5 {
				t.Errorf("acknowledged write %s v%d (log_index %d) of %s: lost after kill -9", k.record, k.version, k.logIndex, k.subject)
			}
		case v.LogIndex != k.logIndex || v.SHA256 != k.sha256:
			t.Errorf("acknowledged write %s v%d: got log_index %d sha256 %s after restart, want %d %s", k.record, k.version, v.LogIndex, v.SHA256, k.logIndex, k.sha256)
		}
	}
	if lost > 0 {
		t.Fatalf("%d of %d acknowledged writes lost", lost, len(acks))
	}
	for n, c := range claimed {
		if c != 1 {
			t.Errorf("leaf %d: got %d versions in the register with this log_index, want 1", n, c)
		}
	}
	return size
}
