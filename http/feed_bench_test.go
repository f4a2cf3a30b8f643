package http_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
)

// BenchmarkFeed reads the whole change feed of a SQLite store as one consumer does: pages of
// 10,000 through the real listener, each line read and checked by gongshi.ParseFeedEvent as
// the mirror reads it (its document hashed, its members checked against the document).
// The store is the data folder $GONGSHI_BENCH_DATA if set (one made by gongshi demo; the
// benchmark takes its writer lock and may checkpoint its WAL: give it a copy), or else one
// of 10,000 enterprises (50,000 log entries: a registration and four penalties each);
// $GONGSHI_BENCH_FEED_ENTRIES, if set, reads only that many entries from the log's middle.
// The figure is events/s, and its ratio to the same run's baseline: the store's range scan
// alone (LoggedAfter, the documents read and nothing made of them), the bound the HTTP feed
// can approach; and both as events per CPU-second, which a busy machine does not change.
//
//	cp -r data /tmp/data-copy && GONGSHI_BENCH_DATA=/tmp/data-copy go test ./http -run '^$' -bench 'Feed$' -benchtime 1x
func BenchmarkFeed(b *testing.B) {
	ctx := context.Background()
	url, db := feedBenchStore(b)
	end, _ := db.TreeSize(ctx)
	first := int64(-1) // the feed is read after first, up to end
	if n, err := strconv.ParseInt(os.Getenv("GONGSHI_BENCH_FEED_ENTRIES"), 10, 64); err == nil && n > 0 && n < end {
		first = (end-n)/2 - 1
		end = first + 1 + n
	}
	size := end - first - 1
	readFeed := func() {
		after := first
		for after+1 < end {
			u := url + "/api/v1/changes?limit=" + strconv.FormatInt(min(10_000, end-after-1), 10)
			if after >= 0 { // after=-1 is refused (400); leaving it out reads from the first entry
				u += "&after=" + strconv.FormatInt(after, 10)
			}
			resp, err := http.Get(u)
			if err != nil {
				b.Fatal(err)
			}
			sc := bufio.NewScanner(resp.Body)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				ev, err := gongshi.ParseFeedEvent(sc.Bytes())
				if err != nil {
					b.Fatal(err)
				}
				if ev.LogIndex != after+1 {
					b.Fatalf("got event %d after %d", ev.LogIndex, after)
				}
				after = ev.LogIndex
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("GET %s: %s", u, resp.Status)
			}
		}
	}
	readStore := func() {
		for after := first; after+1 < end; {
			lvs, err := db.LoggedAfter(ctx, after, end, 10_000)
			if err != nil {
				b.Fatal(err)
			}
			after = lvs[len(lvs)-1].LogIndex
		}
	}
	readFeed() // warm the page cache and the prepared statements
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		readFeed()
	}
	b.StopTimer()
	feedCPU := cpuTime() - cpu0
	feed := float64(b.N) * float64(size) / b.Elapsed().Seconds()
	start, cpu0 := time.Now(), cpuTime()
	for i := 0; i < b.N; i++ {
		readStore()
	}
	baseCPU := cpuTime() - cpu0
	base := float64(b.N) * float64(size) / time.Since(start).Seconds()
	b.ReportMetric(feed, "events/s")
	b.ReportMetric(base, "baseline-events/s")
	b.ReportMetric(feed/base, "ratio")
	// On a machine shared with other work the wall clock says how much CPU the process
	// was given more than what the feed costs; the CPU time spent (server and client
	// both, in this process) does not depend on it.
	n := float64(b.N) * float64(size)
	b.ReportMetric(n/feedCPU.Seconds(), "events/cpu-s")
	b.ReportMetric(n/baseCPU.Seconds(), "baseline-events/cpu-s")
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// feedBenchStore serves BenchmarkFeed's store (see there) on a real listener.
func feedBenchStore(b *testing.B) (string, *sqlstore.DB) {
	ctx := context.Background()
	if dir := os.Getenv("GONGSHI_BENCH_DATA"); dir != "" {
		db, err := sqlstore.Open(ctx, sqlstore.Config{Dir: dir, Logger: quietLogger()})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		svc := gongshi.New(gongshi.Config{Store: db, Rules: policy.DefaultRules()})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		hs := &http.Server{Handler: ghttp.NewServer(svc, nil, quietLogger(), ghttp.Options{}).Handler()}
		go hs.Serve(ln)
		b.Cleanup(func() { hs.Close() })
		return "http://" + ln.Addr().String(), db
	}
	const ents, per = 10_000, 5
	st := testserver.Start(b, testserver.Options{Clock: storetest.NewClock(storetest.At("2026-06-24T10:00:00+08:00"))})
	reg := &gongshi.Account{ID: "bench-reg", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"}
	for i := 0; i < ents; i += 500 {
		err := st.DB.Write(ctx, func(tx gongshi.Tx) error {
			for j := i; j < i+500; j++ {
				code := storetest.USCC(j)
				if _, _, err := st.Svc.RegisterTx(tx, reg, storetest.Registration(code, fmt.Sprintf("上海杰图%d网络科技有限公司", j), "张三")); err != nil {
					return err
				}
				for k := 0; k < per-1; k++ {
					if _, err := st.Svc.PublishTx(tx, reg, code, storetest.Penalty(fmt.Sprintf("沪〔2026〕%d-%d号", j, k))); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if size, _ := st.DB.TreeSize(ctx); size != ents*per {
		b.Fatalf("log size %d, want %d", size, ents*per)
	}
	return st.URL, st.DB
}
