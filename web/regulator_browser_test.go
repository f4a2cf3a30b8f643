package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/storetest"
)

// TestBrowserListing: a regulator opens an enterprise, lists it on ground 4 after fixing
// one validation error (the missing document number), and — logged out — the public
// enterprise page shows the listing in its list status and the abnormal list shows the
// enterprise (issue 7: "a regulator lists an enterprise and the public page shows it").
func TestBrowserListing(t *testing.T) {
	e := newEnv(t)
	ctx := newBrowser(t)
	code := e.seed.Others[0]
	login(t, ctx, e, e.seed.Regulator)
	do(t, ctx, "open the enterprise and the listing form",
		chromedp.Navigate(e.url+"/e/"+code),
		chromedp.WaitVisible(chromedp.ID("list-action")),
		chromedp.Click(chromedp.ID("list-action")),
		chromedp.WaitVisible(chromedp.ID("f-facts")),
		chromedp.SetValue(chromedp.ID("f-ground"), "4"),
		chromedp.SendKeys(chromedp.ID("f-facts"), "2026年5月28日实地核查，登记住所已无该企业，电话无法接通"),
		submit("form.record-form button.primary"),
		chromedp.WaitVisible(chromedp.ID("f-document_no-err")),
	)
	if msg := text(t, ctx, "#f-document_no-err"); !strings.Contains(msg, "为必填项") || !strings.Contains(msg, "决定书文号") {
		t.Errorf("field error %q, want the document number required", msg)
	}
	do(t, ctx, "fix and decide",
		chromedp.SendKeys(chromedp.ID("f-document_no"), "徐市监异〔2026〕17号"),
		submit("form.record-form button.primary"),
		chromedp.WaitVisible(chromedp.ID("list-status")),
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href^="/login"]`)),
		chromedp.Navigate(e.url+"/e/"+code),
		chromedp.WaitVisible(chromedp.ID("list-status")),
	)
	if n := read(t, ctx, "logged out", chromedp.Evaluate[int](`document.querySelectorAll('form[action="/logout"]').length`)); n != 0 {
		t.Fatalf("still logged in")
	}
	if st := text(t, ctx, "#list-status"); !strings.Contains(st, "通过登记的住所无法联系") || !strings.Contains(st, "徐市监异〔2026〕17号") || !strings.Contains(st, "在列") {
		t.Errorf("public list status:\n%s", st)
	}
	do(t, ctx, "the public list", chromedp.Navigate(e.url+"/lists/abnormal"), chromedp.WaitVisible(chromedp.ID("list-entries")))
	if l := text(t, ctx, "#list-entries"); !strings.Contains(l, code) || !strings.Contains(l, "上海徐汇明德餐饮管理有限公司") {
		t.Errorf("abnormal list:\n%s", l)
	}
}

// TestBrowserDrawDesk: a regulator plans a draw with the minimum shown, runs it and
// records one result; the public draw page shows the selection, the seed and the result.
func TestBrowserDrawDesk(t *testing.T) {
	e := newEnv(t)
	bg := context.Background()
	reg, err := e.db.Account(bg, e.seed.Regulator)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.CreateAccount(bg, gongshi.NewAccount{ID: "pd-inspector", Name: "浦东新区市场监督管理局检查员", Role: gongshi.RoleRegulator, Jurisdiction: "310115", Password: e.seed.Password}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{e.seed.Regulator, "pd-inspector"} {
		if _, err := e.svc.AddInspector(bg, reg, id); err != nil {
			t.Fatal(err)
		}
	}
	ctx := newBrowser(t)
	login(t, ctx, e, e.seed.Regulator)
	do(t, ctx, "plan",
		chromedp.Click(chromedp.CSS(`a[href="/reg/draws"]`)),
		chromedp.WaitVisible(chromedp.ID("minimum")),
	)
	if m := text(t, ctx, "#minimum"); m != "1" {
		t.Errorf("minimum sample of 4 enterprises: %q, want 1", m)
	}
	do(t, ctx, "publish the plan and run it",
		chromedp.SendKeys(chromedp.ID("f-title"), "2026年上海市双随机抽查（测试）"),
		chromedp.SendKeys(chromedp.ID("f-sample_size"), "2"),
		chromedp.Click(chromedp.ID("plan")),
		chromedp.WaitVisible(chromedp.ID("run-draw")),
		chromedp.Click(chromedp.ID("run-draw")),
		chromedp.WaitVisible(chromedp.ID("seed")),
		chromedp.WaitVisible(chromedp.ID("f-findings")),
	)
	seed := text(t, ctx, "#seed")
	first := read(t, ctx, "first selected", chromedp.Evaluate[string](`document.querySelector("#f-enterprise").value`))
	do(t, ctx, "record a result",
		chromedp.SetValue(chromedp.ID("f-method"), "on_site"),
		chromedp.SendKeys(chromedp.ID("f-findings"), "经营场所与登记一致，公示信息属实"),
		chromedp.SetValue(chromedp.ID("f-outcome"), "normal"),
		chromedp.Click(chromedp.ID("record-result")),
		chromedp.WaitVisible(chromedp.CSS("p.ok")),
		chromedp.Click(chromedp.ID("public-link")),
		chromedp.WaitVisible(chromedp.ID("selection")),
	)
	if len(seed) < 32 || text(t, ctx, "#seed") != seed {
		t.Errorf("public seed %q, desk seed %q", text(t, ctx, "#seed"), seed)
	}
	if sel := text(t, ctx, "#selection"); first == "" || !strings.Contains(sel, first) || strings.Count(strings.TrimSpace(sel), "\n") != 1 {
		t.Errorf("public selection %q, want 2 lines with %s", sel, first)
	}
	if body := text(t, ctx, "main"); !strings.Contains(body, "未发现问题") {
		t.Errorf("public draw page has no result:\n%s", body)
	}
}

// TestBrowserLicenceRevocation: a regulator revokes the licence of an enterprise with no
// report for 2023 and 2024 and listed as unreachable (Decree 777): refused on the form, naming
// the rule, for one not listed; for the listed one, after fixing the missing document number,
// published: the public page shows the status 吊销 and the decision.
func TestBrowserLicenceRevocation(t *testing.T) {
	e := newEnv(t)
	bg := context.Background()
	reg, err := e.db.Account(bg, e.seed.Regulator)
	if err != nil {
		t.Fatal(err)
	}
	code, unlisted := e.seed.Others[0], e.seed.Others[1]
	if _, err := e.svc.DecideListing(bg, reg, code, gongshi.ListingDecision{Ground: gongshi.GroundUnreachable, Verified: "2026-05-29",
		Facts: "经实地核查，通过登记的住所无法联系", DocumentNo: "徐市监异〔2026〕21号"}); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	login(t, ctx, e, e.seed.Regulator)
	do(t, ctx, "try an enterprise not listed as unreachable",
		chromedp.Navigate(e.url+"/e/"+unlisted),
		chromedp.WaitVisible(chromedp.ID("revoke-action")),
		chromedp.Click(chromedp.ID("revoke-action")),
		chromedp.WaitVisible(chromedp.ID("f-document_no")),
		chromedp.SendKeys(chromedp.ID("f-document_no"), "长市监吊〔2026〕1号"),
		submit("form.record-form button.primary"),
		chromedp.WaitVisible(chromedp.ID("error-summary")),
	)
	if msg := text(t, ctx, "#error-summary"); !strings.Contains(msg, "licence.revocation.unreported@2024-05-01") {
		t.Errorf("refusal %q, want the rule named", msg)
	}
	do(t, ctx, "revoke the listed one",
		chromedp.Navigate(e.url+"/e/"+code),
		chromedp.WaitVisible(chromedp.ID("revoke-action")),
		chromedp.Click(chromedp.ID("revoke-action")),
		chromedp.WaitVisible(chromedp.ID("f-document_no")),
		submit("form.record-form button.primary"),
		chromedp.WaitVisible(chromedp.ID("f-document_no-err")),
		chromedp.SendKeys(chromedp.ID("f-document_no"), "徐市监吊〔2026〕3号"),
		submit("form.record-form button.primary"),
		chromedp.WaitVisible(chromedp.ID("reg")),
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href^="/login"]`)),
		chromedp.Navigate(e.url+"/e/"+code),
		chromedp.WaitVisible(chromedp.ID("reg")),
	)
	if st := text(t, ctx, "p.codes .status"); st != "吊销" {
		t.Errorf("public status %q, want 吊销", st)
	}
	if reg := text(t, ctx, "#reg"); !strings.Contains(reg, "吊销营业执照决定") || !strings.Contains(reg, "连续2年未按规定报送年度报告（2023、2024年度）") {
		t.Errorf("the public registration section does not show the decision:\n%s", reg)
	}
}

// TestBrowserRepairForms: a regulator decides applications for credit repair of a penalty
// and for early removal from the serious list on their forms. The seed's penalty, shown since
// 2026-06-01, is refused on that day, naming the 6 months and the condition left unticked;
// on 2026-12-02, every condition ticked, it is repaired and leaves public view. An
// enterprise listed as unreachable on 2026-06-01 and put on the serious list by the sweep of
// 2029-06-04 is refused, a year not yet passed, then removed early on 2030-06-10: the public
// page shows the removal and the entry's end.
func TestBrowserRepairForms(t *testing.T) {
	clock := storetest.NewClock(testNow)
	e := newEnvClock(t, clock)
	bg := context.Background()
	reg, err := e.db.Account(bg, e.seed.Regulator)
	if err != nil {
		t.Fatal(err)
	}
	fined, listed := e.seed.Enterprise, e.seed.Others[0]
	if _, err := e.svc.DecideListing(bg, reg, listed, gongshi.ListingDecision{Ground: gongshi.GroundUnreachable, Verified: "2026-05-29",
		Facts: "经实地核查，通过登记的住所无法联系", DocumentNo: "徐市监异〔2026〕21号"}); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	login(t, ctx, e, e.seed.Regulator)
	apply := func(step, code, action, choice string, tick bool, docNo string) string {
		t.Helper()
		steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(e.url + "/e/" + code), chromedp.WaitVisible(chromedp.ID(action)),
			chromedp.Click(chromedp.ID(action)), chromedp.WaitVisible(chromedp.ID(choice)), chromedp.Click(chromedp.ID("f-obligations_fulfilled"))}
		if tick {
			steps = append(steps, chromedp.Click(chromedp.ID("f-harm_removed")))
		}
		steps = append(steps, chromedp.SendKeys(chromedp.ID("f-document_no"), docNo), submit("form.record-form button.primary"),
			chromedp.WaitVisible(chromedp.CSS("article.version")))
		do(t, ctx, step, steps...)
		return text(t, ctx, "article.version")
	}
	if got := apply("repair too soon, harm not verified", fined, "repair-action", "f-penalty", false, "浦市监信修〔2026〕1号"); strings.Contains(got, "准予") || !strings.Contains(got, "不予信用修复") ||
		!strings.Contains(got, "2026-12-01起方可申请信用修复") || !strings.Contains(got, "未消除危害后果和不良影响") || strings.Contains(got, "未履行") {
		t.Errorf("the refusal does not name the unmet conditions:\n%s", got)
	}
	clock.Set(time.Date(2026, 12, 2, 10, 0, 0, 0, testNow.Location()))
	if got := apply("repair granted", fined, "repair-action", "f-penalty", true, "浦市监信修〔2026〕2号"); !strings.Contains(got, "准予信用修复") || strings.Contains(got, "不符合") {
		t.Errorf("the grant:\n%s", got)
	}

	clock.Set(time.Date(2029, 6, 4, 10, 0, 0, 0, testNow.Location()))
	if _, err := e.svc.Sweep(bg, gongshi.SweepOptions{AsOf: calendar.DateOf(clock.Now())}); err != nil {
		t.Fatal(err)
	}
	if got := apply("early removal before a year", listed, "early-action", "f-entry", true, "徐市监信修〔2029〕1号"); strings.Contains(got, "准予") || !strings.Contains(got, "不予提前移出") ||
		!strings.Contains(got, "2029-06-04列入，2030-06-04起方可申请提前移出") {
		t.Errorf("the refusal does not name the year:\n%s", got)
	}
	clock.Set(time.Date(2030, 6, 10, 10, 0, 0, 0, testNow.Location()))
	if got := apply("early removal granted", listed, "early-action", "f-entry", true, "徐市监信修〔2030〕1号"); !strings.Contains(got, "准予移出") {
		t.Errorf("the grant:\n%s", got)
	}

	do(t, ctx, "log out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`a[href^="/login"]`)),
		chromedp.Navigate(e.url+"/e/"+fined), chromedp.WaitVisible(chromedp.ID("reg")))
	if body := text(t, ctx, "main"); !strings.Contains(body, "信用修复，提前停止公示（浦市监信修〔2026〕2号）") || strings.Contains(body, "警告，罚款人民币二万元") {
		t.Errorf("the public page still shows the repaired penalty:\n%s", body)
	}
	do(t, ctx, "the listed one", chromedp.Navigate(e.url+"/e/"+listed), chromedp.WaitVisible(chromedp.ID("lists")))
	if body := text(t, ctx, "#lists"); !strings.Contains(body, "2030-06-10 (履行义务后移出)") ||
		!strings.Contains(body, "信用修复，提前移出严重违法失信名单（徐市监信修〔2030〕1号）") {
		t.Errorf("the public lists do not show the early removal:\n%s", body)
	}
}
