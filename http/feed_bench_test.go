package http_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/storetest"
)

// BenchmarkFeed reads the whole change feed of a SQLite store of 10,000 enterprises (50,000
// log entries: a registration and four penalties each) as one consumer does: pages of
// 10,000 through the real listener, each line read and checked by gongshi.ParseFeedEvent as
// the mirror reads it (its document hashed, its members checked against the document).
// The figure is events/s, and its
// ratio to the same run's baseline: the store's range scan alone (LoggedAfter, the
// documents read and nothing made of them), the bound the HTTP feed can approach; and both
// as events per CPU-second, which a busy machine does not change.
func BenchmarkFeed(b *testing.B) {
	const ents, per = 10_000, 5
	ctx := context.Background()
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
	size, _ := st.DB.TreeSize(ctx)
	if size != ents*per {
		b.Fatalf("log size %d, want %d", size, ents*per)
	}

	readFeed := func() {
		after := int64(-1)
		for after+1 < size {
			u := st.URL + "/api/v1/changes?limit=10000"
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
		for after := int64(-1); after+1 < size; {
			lvs, err := st.DB.LoggedAfter(ctx, after, size, 10_000)
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
