package storetest

import (
	"context"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// testCreditRepair: a penalty repaired (SAMR Repair Art. 6) is withdrawn in the same write
// and its display's end recorded as decided, which the audit remakes from the repair's
// document; the sweep at the display's end leaves it alone.
func testCreditRepair(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	code := USCC(760)
	f.Register(t, code, "上海信用修复测试有限公司", "张三")
	pen, err := f.Svc.Publish(ctx, f.Reg, code, Penalty("沪市监处〔2026〕760号"))
	if err != nil {
		t.Fatal(err)
	}
	f.Clock.Set(At("2026-12-10T10:00:00+08:00")) // shown more than 6 months
	v, err := f.Svc.RepairCredit(ctx, f.Reg, code, gongshi.CreditRepairApplication{Penalty: pen.Record,
		ObligationsFulfilled: true, HarmRemoved: true, DocumentNo: "沪市监信修〔2026〕1号"})
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Body["outcome"]; got != gongshi.RepairGranted {
		t.Fatalf("repair: outcome %v, want %s (unmet: %v)", got, gongshi.RepairGranted, v.Body["unmet"])
	}
	if rec, _, err := f.Svc.Record(ctx, gongshi.Anonymous, pen.Record); err != nil || rec.Latest().Withdrawn == nil || rec.Latest().Body != nil {
		t.Errorf("the repaired penalty %s: want it withdrawn from public view (%v)", pen.Record, err)
	}
	f.Clock.Set(At("2029-06-01T10:00:00+08:00")) // past the penalty's 3 years
	sum, err := f.Svc.Sweep(ctx, gongshi.SweepOptions{AsOf: calendar.DateOf(f.Clock.Now())})
	if err != nil {
		t.Fatal(err)
	}
	if n := sum.Counts["withdrawal"]; n != 0 {
		t.Errorf("the sweep withdrew %d displays; the repaired penalty's had ended", n)
	}
	f.Audit(t)
}
