package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
)

func TestDryRunBesideWriterSQLite(t *testing.T) {
	testDryRunBesideWriter(t, sqlstore.Config{Dir: t.TempDir()})
}

func TestDryRunBesideWriterPostgres(t *testing.T) {
	testDryRunBesideWriter(t, sqlstore.Config{URL: PostgresURL(t)})
}

// testDryRunBesideWriter runs a dry sweep on a store opened beside the writer (as
// "gongshi sweep --dry-run" beside a running server) after the writer has registered
// enterprises the shared store did not see at open: it says what the writer's sweep then
// does, writes nothing, and a sweep that is not dry is refused there.
func testDryRunBesideWriter(t *testing.T, cfg sqlstore.Config) {
	ctx := context.Background()
	clock := storetest.NewClock(storetest.At("2026-07-10T10:00:00+08:00"))
	cfg.Clock = clock
	w, err := sqlstore.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	writer := gongshi.New(gongshi.Config{Store: w, Clock: clock, Rules: policy.DefaultRules()})
	reg := &gongshi.Account{ID: "reg", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"}
	register := func(from, to int) {
		t.Helper()
		for i := from; i < to; i++ { // none files its 2025 report: each is listed
			in := storetest.Registration(storetest.USCC(i), fmt.Sprintf("上海旁观%d有限公司", i), "张三")
			if _, _, err := writer.Register(ctx, reg, in); err != nil {
				t.Fatal(err)
			}
		}
	}
	register(0, 3)
	shared := cfg
	shared.Shared = true
	s, err := sqlstore.Open(ctx, shared)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	beside := gongshi.New(gongshi.Config{Store: s, Clock: clock, Rules: policy.DefaultRules()})
	register(3, 7) // after the shared store opened: its counters are behind

	asOf := calendar.DateOf(clock.Now())
	size, _ := w.TreeSize(ctx)
	dry, err := beside.Sweep(ctx, gongshi.SweepOptions{AsOf: asOf, DryRun: true, Batch: 2})
	if err != nil {
		t.Fatalf("dry run beside the writer: %v", err)
	}
	if after, _ := w.TreeSize(ctx); after != size {
		t.Errorf("the dry run grew the log from %d to %d", size, after)
	}
	if _, err := beside.Sweep(ctx, gongshi.SweepOptions{AsOf: asOf}); gongshi.ErrorCode(err) != gongshi.EUNAVAILABLE {
		t.Errorf("sweep beside the writer: got %v, want %s", err, gongshi.EUNAVAILABLE)
	}
	real, err := writer.Sweep(ctx, gongshi.SweepOptions{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if real.Counts["ground1"] != 7 {
		t.Errorf("sweep: got %d ground-1 listings, want 7", real.Counts["ground1"])
	}
	for r, n := range real.Counts {
		if dry.Counts[r] != n {
			t.Errorf("%s: the dry run beside the writer said %d, the writer's sweep did %d", r, dry.Counts[r], n)
		}
	}
}
