//go:build dev

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	gshttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/translog"
	"github.com/gongshi/gongshi/web"
)

func init() {
	register("screenshots", screenshotsHelp, runScreenshots)
}

// runScreenshots starts a server on a throw-away register filled by web.Seed (plus annual
// reports filed through the window and a case), drives headless Chromium through the
// public, enterprise and regulator pages, and writes one full-page PNG per page.
func runScreenshots(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("screenshots", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	out := fs.String("out", "screenshots", "folder to write the PNG files to")
	chromium := fs.String("chromium", "/usr/bin/chromium", "the Chromium binary")
	width := fs.Int("width", 1280, "window width in pixels")
	if err := parseFlags(env, "screenshots", fs, args); err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "gongshi-screenshots-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	url, seed, record, caseNo, stop, err := screenshotServer(ctx, dir)
	if err != nil {
		return err
	}
	defer stop()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(*chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(*width, 900))
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	bctx, cancelT := context.WithTimeout(bctx, 5*time.Minute)
	defer cancelT()
	if err := chromedp.Do(bctx); err != nil { // start the browser on the long-lived context
		return fmt.Errorf("start %s: %w", *chromium, err)
	}

	suffix := ""
	shot := func(name, path string, steps ...chromedp.Action[chromedp.Void]) error {
		all := append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(url + path), chromedp.WaitReady(chromedp.CSS("footer"))}, steps...)
		sctx, cancel := context.WithTimeout(bctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, all...); err != nil {
			loc, _ := chromedp.Run(bctx, chromedp.Location())
			return fmt.Errorf("%s: %w (at %s)", name, err, loc)
		}
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		file := filepath.Join(*out, name+suffix+".png")
		fmt.Fprintln(env.Stdout, file)
		return os.WriteFile(file, png, 0o644)
	}
	login := func(id string) error {
		return chromedp.Do(bctx, chromedp.Navigate(url+"/login"), chromedp.SendKeys(chromedp.ID("id"), id),
			chromedp.SendKeys(chromedp.ID("password"), seed.Password), chromedp.Submit(chromedp.ID("password")),
			chromedp.WaitReady(chromedp.CSS(`form[action="/logout"]`)))
	}
	logout := func() error {
		return chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.ID("q")))
	}
	ent := "/e/" + seed.Enterprise
	steps := []func() error{
		func() error { return shot("public-01-home", "/?lang=zh") },
		func() error { return shot("public-02-search", "/search?q=%E4%B8%8A%E6%B5%B7") },
		func() error { return shot("public-03-enterprise", ent) },
		func() error { return shot("public-04-record-history", "/r/"+record) },
		func() error { return shot("public-05-verify", "/r/"+record+"/v/2/verify") },
		func() error { return shot("public-06-case", "/case/"+caseNo) }, // caseNo is number?check=code
		func() error { return shot("public-07-enterprise-en", ent+"?lang=en") },
		func() error { return shot("public-08-login", "/login?lang=zh") },
		func() error { return shot("public-09-abnormal-list", "/lists/abnormal") },
		func() error { return shot("public-10-serious-list", "/lists/serious") },
		func() error {
			return shot("public-11-credit-check", "/credit-check",
				chromedp.SendKeys(chromedp.ID("codes"), seed.Enterprise+"\n"+seed.Others[0]+"\n91310000XXXXXXXXXX"),
				chromedp.Click(chromedp.CSS(`button[value="html"]`)), chromedp.WaitVisible(chromedp.ID("credit-results")))
		},
		func() error { return shot("public-12-draws", "/draws") },
		func() error { return shot("public-13-case-lookup", "/case") },
		func() error { return shot("public-14-not-found", "/no-such-page") },
		func() error { return shot("public-15-home-en", "/?lang=en") },
		// Chinese again after the English pages: the language is remembered in a cookie.
		func() error { return shot("public-16-open-data", "/data?lang=zh") },
		func() error { return shot("public-17-new-case", "/case/new") },
		func() error { return login(seed.Liaison) },
		func() error { return shot("enterprise-01-my", "/my") },
		func() error {
			return shot("enterprise-02-annual-error", "/my/annual/2025?step=1",
				chromedp.SendKeys(chromedp.ID("f-mailing_address"), "上海市浦东新区祖冲之路2277号"),
				chromedp.SendKeys(chromedp.ID("f-postal_code"), "2012"),
				chromedp.Click(chromedp.CSS("form.record-form button.primary")),
				chromedp.WaitVisible(chromedp.ID("f-postal_code-err")))
		},
		func() error { return shot("enterprise-03-annual-assets", "/my/annual/2025?step=3") },
		func() error { return shot("enterprise-04-disclose", ent+"/publish/equity_transfer") },
		func() error { return shot("enterprise-05-consent", "/my/consent") },
		func() error { return shot("enterprise-06-own-page", ent) },
		logout,
		func() error { return login(seed.Regulator) },
		func() error { return shot("regulator-01-queue", "/reg") },
		func() error { return shot("regulator-02-register", "/reg/register") },
		func() error { return shot("regulator-03-progress", "/reg/progress?year=2025") },
		func() error { return shot("regulator-04-case", "/case/"+caseNo) },
		func() error { return shot("regulator-05-change", "/r/"+seed.Registration+"/amend") },
		func() error { return shot("regulator-06-order", ent+"/order") },
		func() error { return shot("regulator-07-listing", ent+"/listing") },
		func() error { return shot("regulator-08-enterprise", ent) },
		func() error { return shot("regulator-09-draw-desk", "/reg/draws") },
		logout,
	}
	for _, w := range []int{360, *width} {
		suffix = fmt.Sprintf("-%d", w)
		if err := chromedp.Do(bctx, chromedp.EmulateViewport(int64(w), 800)); err != nil {
			return err
		}
		for _, s := range steps {
			if err := s(); err != nil {
				return err
			}
		}
	}
	return nil
}

// screenshotSeed is what the screenshots show.
type screenshotSeed struct {
	*web.Seeded
	Registration string
}

func screenshotServer(ctx context.Context, dir string) (url string, seed *screenshotSeed, record, caseNo string, stop func(), err error) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	clock := &shotClock{t: time.Date(2026, 1, 2, 9, 0, 0, 0, calendar.CST())}
	db, err := sqlstore.Open(ctx, sqlstore.Config{Dir: dir, Clock: clock, Logger: quiet})
	if err != nil {
		return "", nil, "", "", nil, err
	}
	fail := func(err error) (string, *screenshotSeed, string, string, func(), error) {
		db.Close()
		return "", nil, "", "", nil, err
	}
	signer, err := translog.LoadOrCreateKey(dir, translog.DefaultOrigin)
	if err != nil {
		return fail(err)
	}
	svc := gongshi.New(gongshi.Config{Store: db, Clock: clock, Rules: policy.DefaultRules()})
	s, err := web.Seed(ctx, svc)
	if err != nil {
		return fail(err)
	}
	seed = &screenshotSeed{Seeded: s}
	// Annual reports for 2025 of the other enterprises, filed on days through the window.
	for i, code := range s.Others {
		liaison, _, err := svc.CreateAccount(ctx, gongshi.NewAccount{ID: fmt.Sprintf("liaison-%d", i), Role: gongshi.RoleEnterprise, Enterprise: code})
		if err != nil {
			return fail(err)
		}
		clock.Set(time.Date(2026, time.Month(2+i), 3+5*i, 10, 0, 0, 0, calendar.CST()))
		if _, _, err := svc.FileAnnualReport(ctx, liaison, code, gongshi.AnnualReportFiling{Year: 2025, Fields: map[string]any{
			"mailing_address": "上海市浦东新区世纪大道100号", "postal_code": "200120", "phone": "021-50801234", "operating_status": "operating"}}); err != nil {
			return fail(fmt.Errorf("annual report: %w", err))
		}
	}
	clock.Set(time.Date(2026, 6, 1, 10, 0, 0, 0, calendar.CST()))
	// The lists: the sweep lists the seeded enterprises that did not report for 2024.
	if _, err := svc.Sweep(ctx, gongshi.SweepOptions{AsOf: calendar.DateOf(clock.Now())}); err != nil {
		return fail(fmt.Errorf("sweep: %w", err))
	}
	c, err := svc.FileCase(ctx, gongshi.CaseForm{Kind: gongshi.CaseReport, Enterprise: s.Enterprise, Subject: "年报所填从业人数与实际不符",
		Content: "该企业2025年度报告填报的从业人数明显少于实际。", Person: map[string]any{"name": "王先生", "id_number": "11010519491231002X", "phone": "13800138000"}})
	if err != nil {
		return fail(fmt.Errorf("case: %w", err))
	}
	clock.Run()
	ent, recs, err := svc.Records(ctx, nil, s.Enterprise)
	if err != nil {
		return fail(err)
	}
	seed.Registration = ent.Registration
	for _, r := range recs {
		if r.Kind == "capital_contribution" {
			record = r.ID
		}
	}
	logh, err := translog.NewHandler(db, signer.VerifierKey())
	if err != nil {
		return fail(err)
	}
	pages, err := web.New(web.Config{Service: svc, Log: db, VerifierKey: signer.VerifierKey(), Logger: quiet, SimulatedClock: true})
	if err != nil {
		return fail(err)
	}
	api := gshttp.NewServer(svc, logh, quiet, gshttp.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(err)
	}
	hs := &http.Server{Handler: web.Mount(api.Handler(), pages)}
	go hs.Serve(ln)
	ck := translog.NewCheckpointer(db, signer)
	if _, err := ck.Checkpoint(ctx); err != nil {
		hs.Close()
		return fail(err)
	}
	stop = func() {
		if err := hs.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, err)
		}
		db.Close()
	}
	return "http://" + ln.Addr().String(), seed, record, c.Number + "?check=" + c.Check, stop, nil
}

// shotClock is a clock the screenshots set to days through the annual-report window, then
// let run from the day they show.
type shotClock struct {
	mu      sync.Mutex
	t       time.Time
	started time.Time // zero while the clock stands still
}

func (c *shotClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t, c.started = t, time.Time{}
}

func (c *shotClock) Run() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.started = time.Now()
}

func (c *shotClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.started.IsZero() {
		return c.t
	}
	return c.t.Add(time.Since(c.started))
}
