package main

import (
	"encoding/json"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkMirrorFollow measures whether a mirror keeps up with its source at the source's
// full write rate: 32 clients publish penalties through the source's API as fast as it
// takes them for 10 s, on the same machine as the mirror following it (polling every
// 100 ms). It reports the source's acknowledged writes/s, the mirror's entries/s applied
// over the run until it has verified the source's last checkpoint, the largest lag seen
// (entries written and not yet served by the mirror; the source checkpoints every 0.5 s),
// how long the mirror took to catch up once the writes stopped, and a second mirror's rate
// copying the whole log from nothing.
//
//	go test -run '^$' -bench BenchmarkMirrorFollow -benchtime 1x ./cmd/gongshi
func BenchmarkMirrorFollow(b *testing.B) {
	const writers, runFor = 32, 10 * time.Second
	for range b.N {
		src := b.TempDir()
		if code, _, errOut := runMain("demo", "--data", src, "--enterprises", "20", "--seed", "3"); code != 0 {
			b.Fatalf("demo: exit %d\n%s", code, tail(errOut, 2000))
		}
		s := startServer(b, src)
		m := startMirror(b, b.TempDir(), s.url)
		waitMirrored(b, s.url, m.url)
		reg := adminToken(b, src, "--role", "regulator", "--jurisdiction", "310000")
		var codes []string
		for i := range 64 {
			code := usccFor(b, "310115", uint64(5000+i))
			if r, err := send("POST", s.url+"/api/v1/enterprises", reg, registrationBody(code, "上海速率样本"+strconv.Itoa(i)+"有限公司")); err != nil || r.status != 201 {
				b.Fatalf("register: %v %v", err, r)
			}
			codes = append(codes, code)
		}
		start0 := waitMirrored(b, s.url, m.url)

		var written, head, maxLag atomic.Int64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		began := time.Now()
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					code := codes[(w*7+n)%len(codes)]
					r, err := send("POST", s.url+"/api/v1/enterprises/"+code+"/records", reg, publication("penalty", daysAgo(3), penaltyFields(w*100000+n)))
					if err != nil || r.status != 201 {
						b.Errorf("publish: %v %v", err, r)
						return
					}
					var v struct {
						LogIndex int64 `json:"log_index"`
					}
					json.Unmarshal(r.body, &v)
					written.Add(1)
					for h := head.Load(); v.LogIndex+1 > h && !head.CompareAndSwap(h, v.LogIndex+1); h = head.Load() {
					}
				}
			}()
		}
		sampling := make(chan struct{})
		go func() {
			defer close(sampling)
			for {
				select {
				case <-stop:
					return
				case <-time.After(100 * time.Millisecond):
				}
				if r, err := send("GET", m.url+"/log/checkpoint", "", nil); err == nil {
					if lag := head.Load() - checkpointSize(r.body); lag > maxLag.Load() {
						maxLag.Store(lag)
					}
				}
			}
		}()
		time.Sleep(runFor)
		close(stop)
		wg.Wait()
		<-sampling
		wrote := time.Since(began)
		stopped := time.Now()
		end := waitMirrored(b, s.url, m.url)
		tailTime := time.Since(stopped)
		applied := end - start0

		// A second mirror copies the whole log from nothing.
		t0 := time.Now()
		m2 := startMirror(b, b.TempDir(), s.url)
		waitMirrored(b, s.url, m2.url)
		copyRate := float64(end) / time.Since(t0).Seconds()

		b.ReportMetric(float64(written.Load())/wrote.Seconds(), "source-writes/s")
		b.ReportMetric(float64(applied)/(wrote+tailTime).Seconds(), "mirror-entries/s")
		b.ReportMetric(float64(maxLag.Load()), "max-lag-entries")
		b.ReportMetric(tailTime.Seconds(), "catch-up-s")
		b.ReportMetric(copyRate, "copy-entries/s")
		b.Logf("%d penalties written in %s by %d clients (%d entries with the sweeps'), mirrored in %s more; a new mirror copied %d entries at %.0f/s",
			written.Load(), wrote.Round(time.Millisecond), writers, applied, tailTime.Round(time.Millisecond), end, copyRate)
	}
}
