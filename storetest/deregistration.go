package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
)

// RunDeregistration runs the suite of simplified deregistration (简易注销).
func RunDeregistration(t *testing.T, open Opener) {
	t.Run("SimpleDeregistration", func(t *testing.T) { testSimpleDeregistration(t, open) })
}

// A chattel mortgage in force bars the notice; cancelled, the notice runs 20 days (from
// 1 June 2026: to Sunday 21 June, a holiday, rolled to Monday 22 June), and after it the
// enterprise is deregistered.
func testSimpleDeregistration(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	code := USCC(7001)
	ent := f.Register(t, code, "上海简易注销测试有限公司", "李四")
	mort, err := f.Svc.Publish(ctx, f.Reg, code, gongshi.Publication{Kind: "chattel_mortgage", Arose: "2026-05-20", Fields: map[string]any{
		"registration_no": "沪浦抵2026001", "mortgagee": "上海银行", "secured_amount": "50", "collateral": "生产设备一批", "status": "valid"}})
	if err != nil {
		t.Fatal(err)
	}
	app := gongshi.DeregistrationApplication{Commitment: "全体投资人承诺企业无债权债务。"}
	_, err = f.Svc.ApplySimpleDeregistration(ctx, f.Reg, code, app)
	if e := gongshi.AsError(err); e == nil || e.Code != gongshi.ECONFLICT || !strings.Contains(e.Message, "chattel mortgage 沪浦抵2026001") {
		t.Fatalf("apply with a mortgage in force: got %v, want a conflict naming it", err)
	}
	if _, err := f.Svc.Amend(ctx, f.Reg, mort.Record, gongshi.Amendment{Reason: "注销抵押登记", Fields: map[string]any{"status": "cancelled"}}); err != nil {
		t.Fatal(err)
	}
	n, err := f.Svc.ApplySimpleDeregistration(ctx, f.Reg, code, app)
	if err != nil {
		t.Fatal(err)
	}
	if n.Fields["notice_to"] != "2026-06-22" || n.Fields["notice_policy"] != "deregistration.simple.notice@2021-07-30" {
		t.Errorf("notice: until %v under %v, want 2026-06-22 under deregistration.simple.notice@2021-07-30", n.Fields["notice_to"], n.Fields["notice_policy"])
	}
	dec := gongshi.DeregistrationDecision{Outcome: gongshi.DeregistrationGranted, DocumentNo: "（沪）登记企销字〔2026〕第3号"}
	if _, err := f.Svc.DecideSimpleDeregistration(ctx, f.Reg, code, dec); gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		t.Errorf("decide during the notice: got %v, want conflict", err)
	}
	f.Clock.Set(At("2026-06-23T09:00:00+08:00"))
	if _, err := f.Svc.DecideSimpleDeregistration(ctx, f.Reg, code, dec); err != nil {
		t.Fatal(err)
	}
	after, err := f.Svc.Enterprise(ctx, gongshi.Anonymous, code)
	if err != nil || after.Status != "注销" || after.Registration != ent.Registration {
		t.Errorf("after the decision: status %q (%v), want 注销", after.Status, err)
	}
}
