package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/gongshi/gongshi/snapshot"
	"github.com/gongshi/gongshi/translog"
)

// firstCheckpointPoll is how often the daily snapshots look for the log's first checkpoint
// while there is none (the checkpointer signs one every half second).
const firstCheckpointPoll = time.Second

func init() {
	register("snapshot", "write a bulk snapshot of the public register as of its latest checkpoint", runSnapshot)
}

const snapshotUsage = `usage: gongshi snapshot [--data DIR | --db URL] [--out DIR] [--keep N]

Writes the whole public register as of the log's latest signed checkpoint into a new folder
under --out (default DIR/snapshots, which gongshi serve lists at /api/v1/snapshots): every
version as JSON Lines and the enterprises and the list entries as CSV with Chinese headers,
gzip-compressed; the same two tables as Parquet (typed columns, zstd); and manifest.json (the
checkpoint, each file's SHA-256, length and rows).
It reads the log up to that checkpoint's size, so it runs beside a serving server without
holding up its writes. If a snapshot of that checkpoint is there already, it says so and
writes nothing. Check a snapshot with "gongshi verify --snapshot FOLDER".

flags:
`

func runSnapshot(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("snapshot", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var df dataFlags
	df.add(fs)
	out := fs.String("out", "", "the folder of snapshots (default: the data folder's snapshots)")
	keep := fs.Int("keep", 0, "then remove all but the newest N snapshots there (0: remove none)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the snapshot to this file")
	fs.Usage = func() { fmt.Fprint(env.Stderr, snapshotUsage); fs.PrintDefaults() }
	if err := parseFlags(env, "snapshot", fs, args); err != nil {
		return err
	}
	stop, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stop()
	if *out == "" {
		*out = filepath.Join(df.data, "snapshots")
	}
	a, err := df.openShared(ctx, env)
	if err != nil {
		return err
	}
	defer a.Close()
	start, now := time.Now(), a.clock.Now()
	var bar *progress
	m, err := snapshot.Write(ctx, a.store, *out, snapshot.Options{Now: now, Progress: func(done, total int64) {
		if bar == nil {
			bar = newProgress(env.Stderr, "snapshot", "versions")
		}
		bar.update(int(done), int(total))
	}})
	if err != nil {
		return err
	}
	if !m.CreatedAt.Equal(now.UTC()) {
		fmt.Fprintf(env.Stdout, "the snapshot of checkpoint %d was written before: %s\n", m.Size, filepath.Join(*out, m.Name))
	}
	fmt.Fprintf(env.Stdout, "snapshot %s: %d versions as of checkpoint %d of %s (%s)\n", filepath.Join(*out, m.Name), m.Size, m.Size, m.Origin, time.Since(start).Round(time.Millisecond))
	for _, f := range m.Files {
		fmt.Fprintf(env.Stdout, "  %-20s %10d rows %12d bytes  sha256 %s\n", f.Name, f.Rows, f.Bytes, f.SHA256)
	}
	if *keep > 0 {
		removed, err := snapshot.Prune(*out, *keep)
		for _, n := range removed {
			fmt.Fprintf(env.Stdout, "removed %s\n", n)
		}
		return err
	}
	return nil
}

// startDailySnapshots writes a snapshot into dir every interval (the first once the newest
// there is that old) and keeps the newest keep. The returned function stops it.
func startDailySnapshots(ctx context.Context, a *app, dir string, every time.Duration, keep int) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			wait := time.Duration(0)
			if ms, _ := snapshot.List(dir); len(ms) > 0 {
				wait = ms[0].CreatedAt.Add(every).Sub(a.clock.Now())
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(max(wait, 0)):
			}
			t0 := time.Now()
			m, err := snapshot.Write(ctx, a.store, dir, snapshot.Options{Now: a.clock.Now()})
			switch {
			case ctx.Err() != nil:
				return
			case errors.Is(err, translog.ErrNotFound):
				// No checkpoint yet: serve --demo starts this as its fill ends, a moment
				// before the checkpointer signs the first. Look again soon, not in an hour.
				a.logger.Info("snapshot waits for the log's first checkpoint")
				select {
				case <-ctx.Done():
					return
				case <-time.After(firstCheckpointPoll):
				}
				continue
			case err != nil:
				a.logger.Error("snapshot failed; retrying in an hour", "err", err)
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Hour):
				}
				continue
			}
			a.logger.Info("snapshot", "name", m.Name, "size", m.Size, "took", time.Since(t0).Round(time.Millisecond))
			if removed, err := snapshot.Prune(dir, keep); err != nil {
				a.logger.Error("pruning snapshots failed", "err", err)
			} else if len(removed) > 0 {
				a.logger.Info("snapshots pruned", "removed", removed)
			}
			if m.CreatedAt.Add(every).Before(a.clock.Now()) {
				// Nothing new since the newest snapshot: look again after an interval.
				select {
				case <-ctx.Done():
					return
				case <-time.After(every):
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}
