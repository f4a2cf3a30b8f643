package main

import (
	"context"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/gongshi/gongshi/snapshot"
	"github.com/gongshi/gongshi/storetest"
)

// TestDailySnapshotWaitsForFirstCheckpoint: serve --demo starts its daily snapshots as the
// fill ends, before the log's first checkpoint. The first snapshot is written once the
// checkpoint is there, not an hour later.
func TestDailySnapshotWaitsForFirstCheckpoint(t *testing.T) {
	dir := t.TempDir()
	var df dataFlags
	fs := flag.NewFlagSet("snapshots", flag.ContinueOnError)
	df.add(fs)
	if err := fs.Parse([]string{"--data", dir, "--log-level", "error"}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := df.open(ctx, &Env{Stdout: &syncBuffer{}, Stderr: &syncBuffer{}, Getenv: func(string) string { return "" }}, storetest.NewClock(storetest.At("2026-11-02T09:00:00+08:00")))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	snaps := filepath.Join(dir, "snapshots")
	stop := startDailySnapshots(ctx, a, snaps, 24*time.Hour, 7)
	defer stop()
	time.Sleep(100 * time.Millisecond) // let the first attempt find no checkpoint (it may not have run yet: either way)
	if ms, _ := snapshot.List(snaps); len(ms) != 0 {
		t.Fatalf("a snapshot was written before the log had a checkpoint: %+v", ms)
	}
	if _, err := a.checkpointer().Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	// Bounded only so that a regression fails rather than hangs: the retry comes within
	// firstCheckpointPoll; the old code waited an hour.
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ms, _ := snapshot.List(snaps); len(ms) == 1 {
			return
		}
	}
	t.Fatal("no snapshot a minute after the log's first checkpoint")
}
