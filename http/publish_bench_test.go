package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
)

// BenchmarkPublishAPI publishes records through the HTTP API with 32 concurrent clients on
// SQLite. A request is answered 201 only once its version and log leaf have committed with
// synchronous=FULL. The figures are records/s and the 99th percentile latency.
func BenchmarkPublishAPI(b *testing.B) {
	const clients, ents = 32, 200
	ctx := context.Background()
	svc, url, reg := benchAPI(b, "2026-06-01T10:00:00+08:00")
	for i := 0; i < ents; i++ {
		if _, _, err := svc.Register(ctx, reg, storetest.Registration(storetest.USCC(i), fmt.Sprintf("上海基准%d有限公司", i), "王五")); err != nil {
			b.Fatal(err)
		}
	}
	_, token, err := svc.CreateAccount(ctx, gongshi.NewAccount{ID: "bench-officer", Role: gongshi.RoleRegulator, Jurisdiction: "310000"})
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}}
	lat := make([][]time.Duration, clients)
	var next atomic.Int64
	var failed atomic.Value
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				body, _ := json.Marshal(storetest.Penalty(fmt.Sprintf("沪市监处〔2026〕%d号", i)))
				req, _ := http.NewRequest("POST", url+"/api/v1/enterprises/"+storetest.USCC(i%ents)+"/records", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+token)
				t0 := time.Now()
				resp, err := hc.Do(req)
				if err != nil {
					failed.Store(err)
					return
				}
				msg, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					failed.Store(fmt.Errorf("status %d: %s", resp.StatusCode, msg))
					return
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	b.StopTimer()
	if err := failed.Load(); err != nil {
		b.Fatal(err)
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	b.ReportMetric(float64(b.N)/el.Seconds(), "records/s")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	if size, _ := svc.Store.(*sqlstore.DB).TreeSize(ctx); size < int64(ents+b.N) {
		b.Fatalf("tree size %d after %d acknowledged writes", size, ents+b.N)
	}
}

// benchAPI serves a SQLite store in a temporary folder through the API, as gongshi serve
// does (its GC target too), its clock at the given instant; everything stops when b ends.
func benchAPI(b *testing.B, at string) (*gongshi.Service, string, *gongshi.Account) {
	return benchAPIWith(b, at, ghttp.Options{})
}

// benchAPIWith is benchAPI with the API's options.
func benchAPIWith(b *testing.B, at string, api ghttp.Options) (*gongshi.Service, string, *gongshi.Account) {
	old := debug.SetGCPercent(ghttp.GCPercent)
	b.Cleanup(func() { debug.SetGCPercent(old) })
	st := testserver.Start(b, testserver.Options{Clock: storetest.NewClock(storetest.At(at)), API: api})
	reg := &gongshi.Account{ID: "bench-reg", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"}
	return st.Svc, st.URL, reg
}
