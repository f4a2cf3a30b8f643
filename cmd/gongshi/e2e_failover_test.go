package main

// Several servers, one sequencer (issue 14): two "gongshi serve" over one PostgreSQL
// database; the one holding the sequencer is killed with SIGKILL under a stream of writes
// sent to both. The other takes the sequencer over within seconds; no write sent to it is
// refused; no acknowledged write is lost; every leaf is claimed by exactly one version; and
// every checkpoint it serves is consistent with the one before.

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/gongshi/gongshi/storetest"
)

func TestE2EFailover(t *testing.T) {
	bin := buildGongshi(t)
	db := storetest.PostgresURL(t)
	dir := t.TempDir() // the servers of one register share its keys
	var out, errOut bytes.Buffer
	tok := exec.Command(bin, "admin", "token", "--data", dir, "--db", db, "--role", "regulator", "--jurisdiction", "310000")
	tok.Stdout, tok.Stderr = &out, &errOut
	if err := tok.Run(); err != nil {
		t.Fatalf("gongshi admin token: %v\n%s", err, errOut.String())
	}
	reg := checkToken(t, out.String())

	holder := startChild(t, bin, dir, "--db", db)
	standby := spawnServe(t, bin, dir, "--db", db)

	// Writes sent to the standby are passed to the holder.
	const viaStandby, viaHolder = 8, 4
	codes := make([]string, viaStandby+viaHolder)
	var acks []ack
	for i := range codes {
		codes[i] = usccFor(t, "310115", uint64(7000+i))
		var rg registered
		call(t, "POST", standby.url+"/api/v1/enterprises", reg, registrationBody(codes[i], fmt.Sprintf("上海接管样本%d号科技有限公司", i))).want(t, 201, &rg)
		acks = append(acks, ackOf(&rg.Version))
	}

	checkpoints := watchCheckpoints(t, standby.url)

	var (
		mu        sync.Mutex
		killedAt  time.Time
		firstNew  time.Time // the first write sent after the kill acknowledged
		refused   []error   // writes to the standby that failed
		count     atomic.Int64
		afterKill atomic.Int64
		killed    = make(chan struct{})
		stop      = make(chan struct{})
		wg        sync.WaitGroup
	)
	const beforeKill, afterWanted = 300, 300
	for w, code := range codes {
		url := standby.url
		if w >= viaStandby {
			url = holder.url
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				sent := time.Now()
				a, err := publishPenalty(url, reg, code, w*100000+i)
				mu.Lock()
				switch {
				case err != nil && url == holder.url:
					mu.Unlock()
					select {
					case <-killed: // the holder is gone: its clients are cut off
					default:
						t.Errorf("write to the holder before the kill: %v", err)
					}
					return
				case err != nil:
					// Only a write in the dead holder's hands may fail, as a 502.
					refused = append(refused, err)
				default:
					acks = append(acks, a)
					select {
					case <-killed:
						// The first write sent after the kill is the new holder's.
						if firstNew.IsZero() && sent.After(killedAt) {
							firstNew = time.Now()
						}
						afterKill.Add(1)
					default:
					}
				}
				mu.Unlock()
				if count.Add(1) == beforeKill {
					mu.Lock()
					killedAt = time.Now()
					mu.Unlock()
					holder.cmd.Process.Signal(syscall.SIGKILL)
					close(killed)
				}
			}
		}()
	}
	if !waitFor(90*time.Second, func() bool { return afterKill.Load() >= afterWanted }) {
		close(stop)
		wg.Wait()
		t.Fatalf("got %d writes acknowledged after the kill within 90 s, want %d; standby's stderr:\n%s", afterKill.Load(), afterWanted, tail(standby.stderr.String(), 3000))
	}
	close(stop)
	wg.Wait()
	holder.kill(t)
	takeover := firstNew.Sub(killedAt)
	t.Logf("%d writes acknowledged, %d of them after the kill; the first write sent after the kill was acknowledged %v after it", len(acks), afterKill.Load(), takeover.Round(time.Millisecond))
	if takeover > 10*time.Second {
		t.Errorf("takeover took %v, want a few seconds", takeover)
	}
	for _, err := range refused {
		if !bytes.Contains([]byte(err.Error()), []byte("got status 502")) {
			t.Errorf("a write to the standby was refused: %v", err)
		}
	}
	// A write in flight to the holder when it died, or sent on a connection to it that the
	// standby had not yet seen closed, is answered 502: it may or may not have been made.
	if len(refused) > 2*viaStandby {
		t.Errorf("%d writes to the standby failed, want at most two per writer (%d)", len(refused), 2*viaStandby)
	}
	t.Logf("%d writes in the dead holder's hands answered 502", len(refused))

	size := checkDurable(t, standby.url, codes, acks)
	n := checkpoints()
	t.Logf("log size %d; %d checkpoints seen, each consistent with the one before", size, n)
	if code, stdout, stderr := verifyMain("--url", standby.url, "--state", t.TempDir()+"/state.json"); code != 0 {
		t.Fatalf("verify --url: got exit status %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, tail(stderr, 2000))
	}

	// The killed server, started again, is now the standby: it passes writes on.
	again := spawnServe(t, bin, dir, "--db", db)
	a, err := publishPenalty(again.url, reg, codes[0], 999999)
	if err != nil {
		t.Fatalf("write to the restarted server: %v", err)
	}
	if a.logIndex != size {
		t.Errorf("write through the restarted server: got log_index %d, want %d", a.logIndex, size)
	}
}

// watchCheckpoints polls url's checkpoint until the test ends, failing it if one is not
// consistent with the one before; the returned function stops it and says how many
// distinct checkpoints it saw.
func watchCheckpoints(t *testing.T, url string) func() int {
	a, err := newLogAuditor(url)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		var prev tlog.Tree
		seen, retries := 0, 0
		for ctx.Err() == nil {
			time.Sleep(100 * time.Millisecond)
			tree, err := a.checkpoint()
			if err != nil || tree == prev {
				continue
			}
			if tree.N < prev.N {
				t.Errorf("checkpoint went back from size %d to %d", prev.N, tree.N)
			} else if prev.N > 0 {
				p, err := tlog.ProveTree(tree.N, prev.N, tlog.TileHashReader(tree, a))
				if err != nil && retries < 3 {
					// The proof's tiles could not be read (seen once in CI during the
					// takeover: a 404 for a tile of the checkpoint just served). A reader
					// retries; three readings in a row without the tiles fail, and a
					// proof that does not check fails at once.
					t.Logf("proof of checkpoint %d from %d not readable, trying again: %v", tree.N, prev.N, err)
					retries++
					continue
				}
				if err == nil {
					err = tlog.CheckTree(p, tree.N, tree.Hash, prev.N, prev.Hash)
				}
				if err != nil {
					t.Errorf("checkpoint of size %d is not consistent with the one of size %d before it: %v", tree.N, prev.N, err)
				}
			}
			prev = tree
			seen++
			retries = 0
		}
		done <- seen
	}()
	stop := sync.OnceValue(func() int { cancel(); return <-done })
	t.Cleanup(func() { stop() })
	return stop
}
