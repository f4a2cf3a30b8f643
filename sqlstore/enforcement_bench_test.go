package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
)

// benchPopulation is the number of enterprises of the sweep benchmark:
// GONGSHI_BENCH_ENTERPRISES, default 1,000,000.
func benchPopulation() int {
	if n, err := strconv.Atoi(os.Getenv("GONGSHI_BENCH_ENTERPRISES")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// sweptRegister opens a SQLite register with n enterprises of which one in seven did not
// file their 2025 report (85% filed, as in 2015), on a clock at 2026-07-01. The
// enterprises are registered through the service (the sweep publishes decisions from their
// registrations); the filers' reports are rows alone (sqlstore.FiledReports).
func sweptRegister(b *testing.B, n int) (*gongshi.Service, []string) {
	ctx := context.Background()
	clock := storetest.NewClock(storetest.At("2026-07-01T09:00:00+08:00"))
	db, err := sqlstore.Open(ctx, sqlstore.Config{Dir: b.TempDir(), Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	svc := gongshi.New(gongshi.Config{Store: db, Clock: clock, Rules: policy.DefaultRules()})
	reg := &gongshi.Account{ID: "bench-regulator", Role: gongshi.RoleRegulator, Jurisdiction: "310000"}
	t0 := time.Now()
	codes := make([]string, n)
	var filers []string
	const per = 1000
	for i := 0; i < n; i += per {
		err := db.Write(ctx, func(tx gongshi.Tx) error {
			for j := i; j < min(i+per, n); j++ {
				codes[j] = storetest.USCC(100000 + j)
				if _, _, err := svc.RegisterTx(tx, reg, storetest.Registration(codes[j], fmt.Sprintf("上海批量%d有限公司", j), "张三")); err != nil {
					return err
				}
				if j%7 != 0 {
					filers = append(filers, codes[j])
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := sqlstore.FiledReports(ctx, db, filers, 2025); err != nil {
		b.Fatal(err)
	}
	b.Logf("population of %d built in %v", n, time.Since(t0).Round(time.Millisecond))
	return svc, codes
}

// BenchmarkSweepJune30 times the sweep of 1 July 2026 over the population: every
// non-filer of 2025 listed, each a published decision with its log leaf. Run it with
// -benchtime=1x: a second sweep of the same register has nothing left to do.
func BenchmarkSweepJune30(b *testing.B) {
	n := benchPopulation()
	svc, _ := sweptRegister(b, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		s, err := svc.Sweep(context.Background(), gongshi.SweepOptions{AsOf: calendar.MustDate(2026, 7, 1), Batch: 2000})
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			el := time.Since(t0)
			b.ReportMetric(el.Seconds(), "s/sweep")
			b.ReportMetric(float64(s.Counts["ground1"]), "listed")
			b.ReportMetric(float64(n)/el.Seconds(), "enterprises/s")
		}
	}
}

// BenchmarkCreditCheck10000 times a credit check of 10,000 codes (one in seven listed, a
// few malformed) against a register of 200,000 swept enterprises.
func BenchmarkCreditCheck10000(b *testing.B) {
	svc, codes := sweptRegister(b, 200_000)
	if _, err := svc.Sweep(context.Background(), gongshi.SweepOptions{AsOf: calendar.MustDate(2026, 7, 1), Batch: 2000}); err != nil {
		b.Fatal(err)
	}
	in := gongshi.CreditCheckRequest{AsOf: "2026-07-01", Codes: make([]string, 10000)}
	for i := range in.Codes {
		in.Codes[i] = codes[i*17%len(codes)]
	}
	in.Codes[5], in.Codes[6] = "91310115MA1K4ABCDX", "not a code"
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cc, err := svc.CreditCheck(context.Background(), in)
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			listed := 0
			for _, r := range cc.Results {
				if r.Status == gongshi.CreditListed {
					listed++
				}
			}
			b.ReportMetric(float64(listed), "listed")
		}
	}
}
