package sqlstore_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
)

// benchService opens a store in a temporary folder (closed when b ends) with a service and
// a Shanghai regulator, its clock on 1 June 2026.
func benchService(b *testing.B) (*sqlstore.DB, *gongshi.Service, *gongshi.Account) {
	clock := storetest.NewClock(storetest.At("2026-06-01T09:00:00+08:00"))
	db, err := sqlstore.Open(context.Background(), sqlstore.Config{Dir: b.TempDir(), Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	svc := gongshi.New(gongshi.Config{Store: db, Clock: clock, Rules: policy.DefaultRules()})
	reg := &gongshi.Account{ID: "reg", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"}
	return db, svc, reg
}

// BenchmarkBulkRegister measures the write path as the demo loader uses it: enterprises
// registered with four records each, 500 enterprises per unit of work, durable on SQLite.
func BenchmarkBulkRegister(b *testing.B) {
	ctx := context.Background()
	db, svc, reg := benchService(b)
	const per = 500
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i += per {
		err := db.Write(ctx, func(tx gongshi.Tx) error {
			for j := i; j < min(i+per, b.N); j++ {
				code := storetest.USCC(j)
				if _, _, err := svc.RegisterTx(tx, reg, storetest.Registration(code, fmt.Sprintf("上海杰图%d网络科技有限公司", j), "张三")); err != nil {
					return err
				}
				for k := 0; k < 4; k++ {
					if _, err := svc.PublishTx(tx, reg, code, storetest.Penalty(fmt.Sprintf("沪〔2026〕%d-%d号", j, k))); err != nil {
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
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "enterprises/s")
	b.ReportMetric(5*float64(b.N)/time.Since(start).Seconds(), "leaves/s")
}

// BenchmarkPublishConcurrent measures durable publications by 32 concurrent writers, each
// acknowledged only once committed with its log leaf.
func BenchmarkPublishConcurrent(b *testing.B) {
	ctx := context.Background()
	_, svc, reg := benchService(b)
	const ents = 100
	for i := 0; i < ents; i++ {
		if _, _, err := svc.Register(ctx, reg, storetest.Registration(storetest.USCC(i), fmt.Sprintf("上海并发%d有限公司", i), "李四")); err != nil {
			b.Fatal(err)
		}
	}
	const clients = 32
	lat := make([][]time.Duration, clients)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := c; j < b.N; j += clients {
				t0 := time.Now()
				if _, err := svc.Publish(ctx, reg, storetest.USCC(j%ents), storetest.Penalty(fmt.Sprintf("沪〔2026〕%d号", j))); err != nil {
					b.Error(err)
					return
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	b.ReportMetric(float64(b.N)/el.Seconds(), "records/s")
	if len(all) > 0 {
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	}
}
