package storetest

import (
	"context"
	"testing"

	"github.com/gongshi/gongshi"
)

// RunWeb checks what the web pages need of a store beyond the register: annual-report
// filing counts for the regulator's progress chart, and revoking a session's token when
// its holder logs out.
func RunWeb(t *testing.T, open Opener) {
	t.Run("FilingProgress", func(t *testing.T) { testFilingProgress(t, open) })
	t.Run("RevokeToken", func(t *testing.T) { testRevokeToken(t, open) })
}

func testFilingProgress(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	days := []string{"2026-02-03T10:00:00+08:00", "2026-02-03T11:00:00+08:00", "2026-03-09T10:00:00+08:00"}
	for i, day := range days {
		code := USCC(900 + i)
		f.RegisterTyped(t, code, "上海进度测试有限公司"+string(rune('甲'+i)), "有限责任公司", "2020-03-15")
		liaison := f.Liaison(t, "progress-liaison-"+code, code)
		f.Clock.Set(At(day))
		if _, _, err := f.Svc.FileAnnualReport(ctx, liaison, code, gongshi.AnnualReportFiling{Year: 2025, Fields: ReportFields()}); err != nil {
			t.Fatalf("file report %d: %v", i, err)
		}
	}
	got, err := f.Svc.FilingProgress(ctx, f.Reg, 2025)
	if err != nil {
		t.Fatal(err)
	}
	want := []gongshi.FilingCount{{Filed: "2026-02-03", Division: "310115", Count: 2}, {Filed: "2026-03-09", Division: "310115", Count: 1}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("filing counts: got %+v, want %+v", got, want)
	}
	if got, err := f.Svc.FilingProgress(ctx, regulator("440300"), 2025); err != nil || len(got) != 0 {
		t.Errorf("another jurisdiction's counts: got %+v, %v; want none", got, err)
	}
	if got, _ := f.Svc.FilingProgress(ctx, f.Reg, 2024); len(got) != 0 {
		t.Errorf("another year's counts: got %+v, want none", got)
	}
	if _, err := f.Svc.FilingProgress(ctx, gongshi.Anonymous, 2025); gongshi.ErrorCode(err) != gongshi.EFORBIDDEN {
		t.Errorf("the public asking: got %v, want forbidden", err)
	}
}

func testRevokeToken(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	_, tok, err := f.Svc.CreateAccount(ctx, gongshi.NewAccount{ID: "session-holder", Role: gongshi.RoleRegulator, Jurisdiction: "310000"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.Svc.IssueToken(ctx, "session-holder")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Svc.RevokeToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.Authenticate(ctx, tok); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
		t.Errorf("revoked token: got %v, want unauthorized", err)
	}
	if _, err := f.Svc.Authenticate(ctx, other); err != nil {
		t.Errorf("the account's other token: got %v, want it still valid", err)
	}
}
