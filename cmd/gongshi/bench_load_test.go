package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi/storetest"
	"github.com/gongshi/gongshi/translog"
)

// TestBenchLoad runs "gongshi bench load" briefly on a small demo register: every
// operation of the mix is measured, none fails, and the ratio to the trivial handler is
// printed.
func TestBenchLoad(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runMain("demo", "--data", dir, "--enterprises", "40"); code != 0 {
		t.Fatalf("demo: exit status %d\n%s", code, tail(stderr, 2000))
	}
	// The published checkpoint, read while the load runs: signed as it goes, as gongshi
	// serve signs it, not only once at the end.
	seen := map[string]bool{}
	done := make(chan struct{})
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		for {
			if b, err := os.ReadFile(filepath.Join(dir, translog.PublishedFile)); err == nil {
				seen[string(b)] = true
			}
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	code, stdout, stderr := runMain("bench", "load", "--data", dir, "--duration", "2s", "--clients", "4", "--codes", "40")
	close(done)
	<-polled
	if code != 0 {
		t.Fatalf("bench load: got exit status %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, tail(stderr, 2000))
	}
	if len(seen) < 3 {
		t.Errorf("bench load: %d published checkpoints seen over the run, want the demo's, some made during the load and the last", len(seen))
	}
	for _, op := range append([]string{"trivial", "mix"}, opNames()...) {
		if !regexp.MustCompile(`(?m)^` + op + ` +[1-9][0-9]* +[0-9]+ +\S+ +\S+ +0$`).MatchString(stdout) {
			t.Errorf("bench load: no line of requests without failures for %s in\n%s", op, stdout)
		}
	}
	if !strings.Contains(stdout, "% of throughput") {
		t.Errorf("bench load: no ratio line in\n%s", stdout)
	}
}

func opNames() []string {
	var names []string
	for _, op := range loadMix {
		names = append(names, op.name)
	}
	return names
}

// TestBenchBulk runs "gongshi bench bulk" on a few enterprises, then again importing a
// snapshot of them (--snapshot): each load leaves a register that verify passes, and
// prints the baseline, a figure per step and the ratio.
func TestBenchBulk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	benchBulk := func(dir string, args ...string) {
		t.Helper()
		code, stdout, stderr := runMain(append([]string{"bench", "bulk", "--data", dir, "--step", "20"}, args...)...)
		if code != 0 {
			t.Fatalf("bench bulk %v: got exit status %d, want 0\nstdout:\n%s\nstderr:\n%s", args, code, stdout, tail(stderr, 2000))
		}
		wants := []string{`(?m)^baseline: [1-9][0-9]* rows of [1-9][0-9]* bytes .*: [1-9][0-9]* rows/s`, `(?m)^0–[1-9][0-9]* +[1-9][0-9]* +[1-9][0-9]* +[0-9]+%$`,
			`(?m)^bulk load: [1-9][0-9]* enterprises/s, [0-9]+% of the baseline$`}
		if args[0] == "--snapshot" { // an import's bound, beside the baseline
			wants = append(wants, `(?m)^ceiling: the import's own work alone .*: [1-9][0-9]* versions/s = [1-9][0-9]* enterprises/s$`)
		}
		for _, want := range wants {
			if !regexp.MustCompile(want).MatchString(stdout) {
				t.Errorf("bench bulk %v: no line matching %s in\n%s", args, want, stdout)
			}
		}
		if code, out, errOut := verifyMain("--data", dir, "--state", t.TempDir()+"/state.json"); code != 0 {
			t.Errorf("verify after bench bulk %v: exit %d\n%s\n%s", args, code, tail(out, 2000), tail(errOut, 2000))
		}
	}
	benchBulk(dir, "--enterprises", "60")
	snaps := t.TempDir()
	if code, out, errOut := runMain("snapshot", "--data", dir, "--out", snaps); code != 0 {
		t.Fatalf("snapshot: exit %d\n%s\n%s", code, out, tail(errOut, 2000))
	}
	made, err := filepath.Glob(filepath.Join(snaps, "*", "manifest.json"))
	if err != nil || len(made) != 1 {
		t.Fatalf("snapshot: want one manifest under %s, got %v (%v)", snaps, made, err)
	}
	benchBulk(t.TempDir(), "--snapshot", filepath.Dir(made[0]))
}

// TestBenchLoadServers runs "gongshi bench load --url" against two running servers of one
// register on PostgreSQL, reading from its streaming replica: the holder of the sequencer
// and a second server that passes its writes on. Every operation of the mix succeeds
// through both, the publications included.
func TestBenchLoadServers(t *testing.T) {
	bin := buildGongshi(t)
	db := storetest.PostgresURL(t)
	replica := storetest.PostgresReplicaURL(t, db)
	dir := t.TempDir()
	if code, _, stderr := runMain("demo", "--data", dir, "--db", db, "--enterprises", "40"); code != 0 {
		t.Fatalf("demo: exit status %d\n%s", code, tail(stderr, 2000))
	}
	holder := startChild(t, bin, dir, "--db", db, "--db-read", replica)
	second := spawnServe(t, bin, dir, "--db", db, "--db-read", replica)
	code, stdout, stderr := runMain("bench", "load", "--data", dir, "--db", db, "--url", holder.url+","+second.url,
		"--duration", "3s", "--clients", "4", "--codes", "40")
	if code != 0 {
		t.Fatalf("bench load --url: got exit status %d, want 0\nstdout:\n%s\nstderr:\n%s\nholder:\n%s\nsecond:\n%s", code, stdout, tail(stderr, 2000),
			tail(holder.stderr.String(), 3000), tail(second.stderr.String(), 3000))
	}
	if !strings.Contains(stdout, "on "+strings.TrimSuffix(holder.url, "/")+", "+strings.TrimSuffix(second.url, "/")) {
		t.Errorf("bench load --url: the servers are not named in\n%s", stdout)
	}
	for _, op := range append([]string{"trivial", "mix"}, opNames()...) {
		if !regexp.MustCompile(`(?m)^` + op + ` +[1-9][0-9]* +[0-9]+ +\S+ +\S+ +0$`).MatchString(stdout) {
			t.Errorf("bench load --url: no line of requests without failures for %s in\n%s", op, stdout)
		}
	}
	if code, _, stderr := runMain("bench", "load", "--data", dir, "--url", "localhost:8080"); code == 0 || !strings.Contains(stderr, "want a server's base URL") {
		t.Errorf("bench load --url localhost:8080: got exit status %d and %q, want a refusal naming the form", code, tail(stderr, 300))
	}
}
