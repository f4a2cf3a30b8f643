package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/demo"
	gshttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/report"
	"github.com/gongshi/gongshi/translog"
	"github.com/gongshi/gongshi/web"
)

func init() {
	register("serve", "serve the register, its API and its log over HTTP", runServe)
}

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var df dataFlags
	df.add(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address HOST:PORT (port 0 picks a free one)")
	demoFlag := fs.Bool("demo", false, "fill an empty data folder with demo data first")
	demoN := fs.Int("enterprises", 20000, "with --demo: how many demo enterprises")
	snapDir := fs.String("snapshots", "", "the folder of the bulk snapshots served at /api/v1/snapshots (default: the data folder's snapshots)")
	snapEvery := fs.Duration("snapshot-every", 24*time.Hour, "write a bulk snapshot this often (0: never; gongshi snapshot writes one on demand)")
	snapKeep := fs.Int("snapshot-keep", 7, "keep the newest N snapshots, removing older ones")
	advertise := fs.String("advertise", "", "with PostgreSQL: the URL the other servers pass writes to while this one holds the sequencer (default http:// and the listen address)")
	var wf witnessFlags
	wf.add(fs)
	webhookPrivate := fs.Bool("webhook-private", env.Getenv("GONGSHI_WEBHOOK_PRIVATE") == "1", "let the watches' webhooks reach loopback, private and link-local addresses: receivers inside this network (default refused; or GONGSHI_WEBHOOK_PRIVATE=1)")
	noLimit := fs.Bool("no-rate-limit", false, "do not rate-limit clients (tests, benchmarks)")
	reportFont := fs.String("report-font", report.DefaultFont, "the TrueType font (.ttf) with CJK glyphs that PDF documents embed (Debian: fonts-wqy-microhei)")
	publicURL := fs.String("public-url", "", "the register's public address (https://host), for the links and QR codes in PDF documents and the commands on the open-data page (default: the host each request names)")
	if err := parseFlags(env, "serve", fs, args); err != nil {
		return err
	}
	if env.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(gshttp.GCPercent))
	}
	var clock gongshi.Clock
	var dc *demo.Clock
	if *demoFlag {
		c, err := demoClock(df.clock)
		if err != nil {
			return err
		}
		clock, dc = c, c
	}
	df.standby = true // with PostgreSQL: beside other servers, one holding the sequencer
	a, err := df.open(ctx, env, clock)
	if err != nil {
		return err
	}
	defer a.Close()
	// Listen first: while serve --demo fills an empty register, the front page shows how
	// far it is (web.Building) and every other path answers 503; then the register serves.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	var handler swapHandler
	hs := &http.Server{Handler: &handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
	defer ln.Close()
	errc := make(chan error, 1)
	serving := false
	if dc != nil {
		a.simTime = df.clock != ""
		if size, _ := a.store.TreeSize(ctx); size == 0 {
			a.building = web.NewBuilding()
			handler.set(a.building.Handler())
			go func() { errc <- hs.Serve(ln) }()
			serving = true
			fmt.Fprintf(env.Stdout, "gongshi: building the demo register; http://%s shows its progress\n", ln.Addr())
		}
		if err := fillDemo(ctx, env, a, dc, *demoN); err != nil {
			hs.Close()
			return err
		}
		a.building = nil
		if !a.simTime {
			// The history was written up to the moment the demo began; the server goes on
			// in real time, not behind it by however long the writing took.
			dc.RunRealTime()
		}
	}
	a.svc.Webhooks = gongshi.WebhookPolicy{AllowPrivate: *webhookPrivate}
	logHandler, err := translog.NewHandler(a.store, a.signer.VerifierKey())
	if err != nil {
		return err
	}
	opts := gshttp.DefaultOptions()
	if *noLimit {
		opts.RateLimit, opts.AccountRateLimit = gshttp.RateLimit{}, gshttp.RateLimit{}
	}
	if *snapDir == "" {
		*snapDir = filepath.Join(df.data, "snapshots")
	}
	opts.Snapshots = *snapDir
	opts.ReportFont, opts.ReportLabels, opts.PublicURL = *reportFont, web.EnumLabel, *publicURL
	srv := gshttp.NewServer(a.svc, logHandler, a.logger, opts)
	witnessCtx, stopWitnessing := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWitnessing()
	if err := startWitnessing(witnessCtx, a, df.data, &wf, srv, logHandler); err != nil {
		return err
	}
	pages, err := web.New(web.Config{Service: a.svc, Log: a.store, VerifierKey: a.signer.VerifierKey(), Logger: a.logger,
		Limiter: srv.Limiter(), RequestTimeout: opts.RequestTimeout, Snapshots: *snapDir, PublicURL: *publicURL})
	if err != nil {
		return err
	}
	if *advertise == "" {
		*advertise = "http://" + ln.Addr().String()
	}
	if err := a.store.SetAdvertise(ctx, *advertise); err != nil {
		return fmt.Errorf("advertise this server to the others: %w", err)
	}
	handler.set(newForwarder(a, web.Mount(srv.Handler(), pages)))
	hs.RegisterOnShutdown(srv.Shutdown) // ends the live change feeds (they say where to resume)

	ckCtx, stopCk := context.WithCancel(context.WithoutCancel(ctx))
	ckDone := make(chan struct{})
	go func() {
		defer close(ckDone)
		select {
		case <-a.store.Held(): // a standby checkpoints once it takes the sequencer over
		case <-ckCtx.Done():
			return
		}
		a.checkpointer().Run(ckCtx, 500*time.Millisecond, func(err error) {
			if errors.Is(err, translog.ErrBehind) {
				a.fence(err) // the database was replaced behind the server's back
				return
			}
			a.logger.Error("checkpoint failed", "err", err)
		})
	}()
	// The lists' dated rules, each day (sweep.go); a new year's schedule saved into
	// calendar.txt wakes them, and they settle its provisional dates (calendar_watch.go).
	wake := make(chan struct{}, 1)
	defer whenHeld(ckCtx, a, func() func() { return startDailySweeps(ckCtx, a, wake) })()
	defer whenHeld(ckCtx, a, func() func() { return startWatches(ckCtx, a) })() // webhooks (watch.go)
	if *snapEvery > 0 {
		defer whenHeld(ckCtx, a, func() func() { return startDailySnapshots(ckCtx, a, *snapDir, *snapEvery, *snapKeep) })()
	}
	go watchCalendar(ckCtx, a, calendarPoll, func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	})
	if a.simTime {
		a.logger.Warn("running on a SET CLOCK: dates are simulated", "now", a.clock.Now().Format(time.RFC3339))
	}
	fmt.Fprintf(env.Stdout, "gongshi: serving on http://%s (log origin %s, verifier key %s)\n", ln.Addr(), a.signer.Origin(), a.signer.VerifierKey())
	if !serving {
		go func() { errc <- hs.Serve(ln) }()
	}
	select {
	case err := <-errc:
		stopCk()
		<-ckDone
		return err
	case <-ctx.Done():
	}
	a.logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	err = hs.Shutdown(sctx)
	stopCk()
	<-ckDone // the last checkpoint covers every acknowledged write
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// swapHandler serves with the handler last set: the build's progress, then the register.
type swapHandler struct{ h atomic.Pointer[http.Handler] }

func (s *swapHandler) set(h http.Handler) { s.h.Store(&h) }

func (s *swapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.h.Load()).ServeHTTP(w, r)
}
