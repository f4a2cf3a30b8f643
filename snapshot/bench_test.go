package snapshot_test

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/demo"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/snapshot"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/translog"
)

// benchStore opens the data folder $GONGSHI_BENCH_DATA (made by "gongshi demo", e.g. with
// --enterprises 1000000; its log's origin in $GONGSHI_BENCH_ORIGIN, gongshi.local/log for
// gongshi demo's) or else a demo register of 2,000 enterprises, with a checkpoint.
func benchStore(b *testing.B) *sqlstore.DB {
	ctx := context.Background()
	dir := os.Getenv("GONGSHI_BENCH_DATA")
	fresh := dir == ""
	if fresh {
		dir = b.TempDir()
	}
	db, err := sqlstore.Open(ctx, sqlstore.Config{Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if fresh {
		clock := demo.NewClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
		svc := gongshi.New(gongshi.Config{Store: db, Clock: clock, Rules: policy.DefaultRules()})
		if _, err := demo.Generate(ctx, svc, clock, demo.Options{Enterprises: 2000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	origin := translog.DefaultOrigin
	if o := os.Getenv("GONGSHI_BENCH_ORIGIN"); o != "" {
		origin = o // gongshi demo's folders are of gongshi.local/log
	}
	signer, err := translog.LoadOrCreateKey(dir, origin)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := translog.NewCheckpointer(db, signer).Checkpoint(ctx); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkSnapshot writes a whole snapshot (versions/s, enterprises/s, the CPU it took,
// the peak Go heap and memory) beside the baseline of two bare reads — every version in
// log order and every enterprise's whole file, nothing done with them, one after the
// other on one core — measured in the same run: the ratio is the cost of opening the
// documents, writing JSON Lines and CSV and compressing them, less what the snapshot
// saves by reading its CSV's kinds only and by working on every core.
//
//	go test ./snapshot -run '^$' -bench Snapshot -benchtime 1x
func BenchmarkSnapshot(b *testing.B) {
	db := benchStore(b)
	ctx := context.Background()
	n, err := db.TreeSize(ctx)
	if err != nil {
		b.Fatal(err)
	}
	files, err := db.FileCount(ctx, n)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var bare, full, cpu time.Duration
	var ents int64
	var peak atomic.Uint64
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := db.EachVersion(ctx, 0, n, func(gongshi.LoggedVersion) error { return nil }); err != nil {
			b.Fatal(err)
		}
		if err := db.EachFile(ctx, n, 1, files+1, nil, func([]gongshi.StoredVersion) error { return nil }); err != nil {
			b.Fatal(err)
		}
		bare += time.Since(t0)

		stop := samplePeak(&peak)
		t0, c0 := time.Now(), cpuTime()
		m, err := snapshot.Write(ctx, db, b.TempDir(), snapshot.Options{Now: time.Now()})
		if err != nil {
			b.Fatal(err)
		}
		full += time.Since(t0)
		cpu += cpuTime() - c0
		ents += m.File(snapshot.EnterprisesFile).Rows
		stop()
	}
	rows := float64(n) * float64(b.N)
	b.ReportMetric(rows/full.Seconds(), "versions/s")
	b.ReportMetric(float64(ents)/full.Seconds(), "enterprises/s")
	// On a machine shared with other work the wall clock measures the CPU the process
	// was given; the CPU it took is the snapshot's cost.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(rows/bare.Seconds(), "baseline-versions/s")
	b.ReportMetric(full.Seconds()/bare.Seconds(), "x-baseline")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(peakAnon.Load())/(1<<20), "peak-anon-rss-MiB")
	b.ReportMetric(float64(procStatus("VmHWM"))/(1<<20), "peak-rss-MiB")
}

// peakAnon is the largest anonymous resident memory of the process samplePeak saw: the Go
// heap, SQLite's page caches, the compressors' windows; not the database file's pages,
// which SQLite maps (mmap_size) and the kernel may drop, yet VmHWM counts.
var peakAnon atomic.Uint64

// procStatus is a line of /proc/self/status in bytes (VmHWM, RssAnon); 0 where there is
// none.
func procStatus(name string) uint64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// cpuTime is the CPU time the process has taken, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// samplePeak records the largest Go heap in use, sampled every 50 ms, until stop.
func samplePeak(peak *atomic.Uint64) (stop func()) {
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			if a := procStatus("RssAnon"); a > peakAnon.Load() {
				peakAnon.Store(a)
			}
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	return func() { close(done) }
}
