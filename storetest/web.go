package storetest

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
)

// RunWeb checks what the web pages need of a store beyond the register: annual-report
// filing counts for the regulator's progress chart, and revoking a session's token when
// its holder logs out.
func RunWeb(t *testing.T, open Opener) {
	t.Run("FilingProgress", func(t *testing.T) { testFilingProgress(t, open) })
	t.Run("RevokeToken", func(t *testing.T) { testRevokeToken(t, open) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, open) })
	t.Run("TokenExpiry", func(t *testing.T) { testTokenExpiry(t, open) })
	t.Run("LoginBackoff", func(t *testing.T) { testLoginBackoff(t, open) })
}

const sessionPassword = "correct horse battery"

// testSessions: a web session is apart from bearer tokens (neither works as the other),
// ends on logout and expires by the real clock, whatever the register's clock says.
func testSessions(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	wall := NewClock(At("2026-12-02T10:00:00+08:00"))
	f.Svc.Accounts.Wall = wall
	_, tok, err := f.Svc.CreateAccount(ctx, gongshi.NewAccount{ID: "web-user", Role: gongshi.RoleRegulator, Jurisdiction: "310000", Password: sessionPassword})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.StartSession(ctx, "web-user", "wrong password", ""); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
		t.Errorf("session with a wrong password: got %v, want unauthorized", err)
	}
	ss, err := f.Svc.StartSession(ctx, "web-user", sessionPassword, "")
	if err != nil {
		t.Fatal(err)
	}
	if a, err := f.Svc.SessionAccount(ctx, ss.ID); err != nil || a.ID != "web-user" {
		t.Fatalf("session: got %+v, %v; want web-user", a, err)
	}
	if _, err := f.Svc.Authenticate(ctx, ss.ID); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
		t.Errorf("a session id as a bearer token: got %v, want unauthorized", err)
	}
	if _, err := f.Svc.SessionAccount(ctx, tok); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
		t.Errorf("a bearer token as a session: got %v, want unauthorized", err)
	}
	if _, _, err := f.Store.AccountBySession(ctx, ss.ID); gongshi.ErrorCode(err) != gongshi.ENOTFOUND {
		t.Errorf("the store holds the session id itself: got %v, want only its hash", err)
	}
	// The register's clock moving years on does not end the session; the real one does.
	f.Clock.Set(At("2031-01-01T00:00:00+08:00"))
	if _, err := f.Svc.SessionAccount(ctx, ss.ID); err != nil {
		t.Errorf("session after the register's clock moved: %v", err)
	}
	wall.Set(ss.Expires)
	if _, err := f.Svc.SessionAccount(ctx, ss.ID); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
		t.Errorf("session at its expiry: got %v, want unauthorized", err)
	}
	other, err := f.Svc.StartSession(ctx, "web-user", sessionPassword, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Svc.EndSession(ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.SessionAccount(ctx, other.ID); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
		t.Errorf("session after logout: got %v, want unauthorized", err)
	}
	if _, err := f.Svc.Authenticate(ctx, tok); err != nil {
		t.Errorf("the account's token after its session ended: %v", err)
	}
}

// testTokenExpiry: a token lasts its life, by the real clock; one made to last until
// revoked does.
func testTokenExpiry(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	wall := NewClock(At("2026-12-02T10:00:00+08:00"))
	f.Svc.Accounts.Wall = wall
	_, first, err := f.Svc.CreateAccount(ctx, gongshi.NewAccount{ID: "api-user", Role: gongshi.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	hour, until, err := f.Svc.IssueTokenFor(ctx, "api-user", time.Hour)
	if err != nil || !until.Equal(wall.Now().Add(time.Hour)) {
		t.Fatalf("token for an hour: expires %v, %v", until, err)
	}
	forever, until, err := f.Svc.IssueTokenFor(ctx, "api-user", 0)
	if err != nil || !until.IsZero() {
		t.Fatalf("token until revoked: expires %v, %v", until, err)
	}
	wall.Set(wall.Now().Add(time.Hour))
	if _, err := f.Svc.Authenticate(ctx, hour); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
		t.Errorf("token an hour old: got %v, want unauthorized (expired)", err)
	}
	if _, err := f.Svc.Authenticate(ctx, first); err != nil {
		t.Errorf("the first token, within its %s: %v", gongshi.TokenLife, err)
	}
	wall.Set(wall.Now().Add(gongshi.TokenLife))
	if _, err := f.Svc.Authenticate(ctx, first); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
		t.Errorf("the first token after %s: got %v, want unauthorized", gongshi.TokenLife, err)
	}
	if _, err := f.Svc.Authenticate(ctx, forever); err != nil {
		t.Errorf("the token made to last until revoked: %v", err)
	}
	if err := f.Svc.RevokeToken(ctx, forever); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.Authenticate(ctx, forever); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
		t.Errorf("revoked token: got %v, want unauthorized", err)
	}
}

// testLoginBackoff: after the free wrong passwords, an account, and an address, must wait
// longer after each: a try before then is refused, the right password too, without
// checking it; once the wait is over the right password works.
func testLoginBackoff(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	wall := NewClock(At("2026-12-02T10:00:00+08:00"))
	f.Svc.Accounts.Wall = wall
	for _, id := range []string{"target", "a1", "a2"} {
		if _, _, err := f.Svc.CreateAccount(ctx, gongshi.NewAccount{ID: id, Role: gongshi.RoleAdmin, Password: sessionPassword}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range gongshi.FreeLoginFailures + 1 {
		if _, _, err := f.Svc.Login(ctx, "target", "wrong password", "198.51.100."+strconv.Itoa(i)); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
			t.Fatalf("wrong password %d: got %v, want unauthorized", i+1, err)
		}
	}
	_, _, err := f.Svc.Login(ctx, "target", sessionPassword, "192.0.2.1")
	var wait *gongshi.RetryError
	if !errors.As(err, &wait) || gongshi.ErrorCode(err) != gongshi.ETOOMANY || wait.After != time.Second {
		t.Fatalf("right password during the wait: got %v, want too many, wait 1 s", err)
	}
	wall.Set(wall.Now().Add(time.Second))
	if _, err := f.Svc.StartSession(ctx, "target", "wrong password", "192.0.2.1"); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
		t.Fatalf("after the wait: got %v, want unauthorized", err)
	}
	if _, err := f.Svc.StartSession(ctx, "target", sessionPassword, "192.0.2.1"); !errors.As(err, &wait) || wait.After != 2*time.Second {
		t.Fatalf("after the next wrong password: got %v, want a wait of 2 s", err)
	}
	wall.Set(wall.Now().Add(2 * time.Second))
	if _, err := f.Svc.StartSession(ctx, "target", sessionPassword, "192.0.2.1"); err != nil {
		t.Fatalf("the right password after the wait: %v", err)
	}
	// One address guessing many accounts waits too, whichever account it tries next.
	for i := range gongshi.FreeLoginFailures + 1 {
		f.Svc.Login(ctx, "guess-"+strconv.Itoa(i), "wrong password", "203.0.113.9")
	}
	if _, _, err := f.Svc.Login(ctx, "a1", sessionPassword, "203.0.113.9"); gongshi.ErrorCode(err) != gongshi.ETOOMANY {
		t.Errorf("the guessing address on another account: got %v, want too many", err)
	}
	if _, _, err := f.Svc.Login(ctx, "a1", sessionPassword, "192.0.2.1"); err != nil {
		t.Errorf("another address on that account: %v", err)
	}
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
