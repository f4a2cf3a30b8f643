package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	gshttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/translog"
	"github.com/gongshi/gongshi/web"
)

func init() {
	register("mirror", "follow another server's log into a verified, read-only copy and serve it", runMirror)
}

const mirrorUsage = `usage: gongshi mirror --from URL [--data DIR | --db URL] [--addr ADDR] [--key VKEY]

Follows the gongshi server at URL: reads its change feed (GET /api/v1/changes) into the
register of the data folder (SQLite, or PostgreSQL with --db), proving every entry against
the source's signed checkpoints before storing it — each entry's leaf hash against the
hashes the checkpoint commits to, each new checkpoint consistent with the last one verified,
and the mirror's own tree root equal to the checkpoint's — and serves the same public API
and pages, read-only, on ADDR, with the source's latest verified checkpoint at /log/ (so
"gongshi verify --url" of the mirror checks it against the source's key).

The source's key is given with --key, or read from URL/log/key the first time (trust on
first use: compare it with one obtained another way) and pinned in the data folder's
mirror.json, beside the last checkpoint verified. Stopped and started again, the mirror
carries on where it was; a source that is down is waited for.

If the source ever shows a view of its log that contradicts one the mirror verified — a
checkpoint not consistent with the last (a rewritten entry, a fork), a smaller tree, an entry
that is not the one its checkpoint commits to, a checkpoint not signed by the pinned key —
the mirror stops with exit status 3, saying what and where, and keeps the evidence (the
checkpoints, the proof or the feed line) in a mirror-evidence-….txt file in the data folder.

flags:
`

// mirrorExitInconsistent is the exit status of a mirror that found its source inconsistent.
const mirrorExitInconsistent = 3

func runMirror(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("mirror", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var df dataFlags
	df.add(fs)
	from := fs.String("from", "", "the URL of the gongshi server to follow, e.g. https://gsxt.example.gov.cn")
	key := fs.String("key", "", "the source's note verifier key (or key list); default: the one pinned in the data folder, else the source's /log/key")
	addr := fs.String("addr", "127.0.0.1:8081", "listen address HOST:PORT (port 0 picks a free one)")
	poll := fs.Duration("poll", time.Second, "how often to ask the source for a new checkpoint")
	noLimit := fs.Bool("no-rate-limit", false, "do not rate-limit clients (tests, benchmarks)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, mirrorUsage)
		fs.PrintDefaults()
	}
	if err := parseFlags(env, "mirror", fs, args); err != nil {
		return err
	}
	if *poll <= 0 {
		fs.Usage()
		return exitStatus(2)
	}
	base := strings.TrimRight(*from, "/")
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		fmt.Fprintf(env.Stderr, "gongshi mirror: --from %q is not an http(s) URL; give the source's URL, e.g. --from http://127.0.0.1:8080\n", *from)
		return exitStatus(2)
	}
	stopProfile, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stopProfile()
	var level slog.Level
	if err := level.UnmarshalText([]byte(df.logLevel)); err != nil {
		return fmt.Errorf("--log-level %q: want debug, info, warn or error", df.logLevel)
	}
	logger := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: level}))
	if err := os.MkdirAll(df.data, 0o750); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	hc := &http.Client{Timeout: 2 * time.Minute}
	client := translog.NewClient(base, hc)
	state, err := pinSource(ctx, env, df.data, base, *key, client)
	if err != nil {
		return err
	}
	keys, err := translog.ParseKeyList(state.Key)
	if err != nil {
		return fmt.Errorf("the source's key %q: %w", state.Key, err)
	}

	// The register: the same store and read model as gongshi serve, with no signing key,
	// no sequencer work of its own (sweeps, checkpoints, watches) and no writes but the
	// source's entries.
	dbURL, err := secretSource{df.db, df.dbFile, "GONGSHI_DB", "db"}.resolve(env)
	if err != nil {
		return err
	}
	cal := calendar.Default()
	if f := filepath.Join(df.data, CalendarFile); fileExists(f) {
		if err := cal.LoadFile(f); err != nil {
			return err
		}
	}
	cursorKey, err := loadOrCreateCursorKey(df.data)
	if err != nil {
		return err
	}
	st, err := sqlstore.Open(ctx, sqlstore.Config{URL: dbURL, Dir: df.data, Logger: logger})
	if err != nil {
		return err
	}
	defer st.Close()
	svc := gongshi.New(gongshi.Config{Store: st, Clock: gongshi.SystemClock{}, Rules: policy.Rules{Table: policy.Default(), Calendar: cal}, CursorKey: cursorKey})

	f := &follower{base: base, hc: hc, client: client, store: st, dir: df.data, state: state,
		verifiers: translog.Verifiers(keys), logger: logger, poll: *poll}
	if err := f.start(ctx); err != nil {
		return err
	}

	logHandler, err := translog.NewHandler(st, state.Key)
	if err != nil {
		return err
	}
	opts := gshttp.DefaultOptions()
	if *noLimit {
		opts.RateLimit, opts.AccountRateLimit = gshttp.RateLimit{}, gshttp.RateLimit{}
	}
	srv := gshttp.NewServer(svc, logHandler, logger, opts)
	pages, err := web.New(web.Config{Service: svc, Log: st, VerifierKey: state.Key, Logger: logger,
		Limiter: srv.Limiter(), RequestTimeout: opts.RequestTimeout})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	hs := &http.Server{Handler: gshttp.ReadOnly(web.Mount(srv.Handler(), pages), base),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
	hs.RegisterOnShutdown(srv.Shutdown)
	errc := make(chan error, 2)
	go func() { errc <- hs.Serve(ln) }()
	fmt.Fprintf(env.Stdout, "gongshi: mirroring %s, serving read-only on http://%s (source key %s)\n", base, ln.Addr(), strings.Fields(state.Key)[0])

	fctx, stopFollowing := context.WithCancel(ctx)
	defer stopFollowing()
	start, reported := time.Now(), time.Now()
	f.onVerified = func(size int64) {
		if n := f.applied.Load(); n > 0 && time.Since(reported) >= 10*time.Second {
			reported = time.Now()
			logger.Info("mirror: verified", "log_size", size, "applied", n, "per_second", int(float64(n)/time.Since(start).Seconds()))
		}
	}
	go func() { errc <- f.run(fctx) }()

	var runErr error
	select {
	case runErr = <-errc:
	case <-ctx.Done():
	}
	stopFollowing()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Warn("mirror: shutdown", "err", err)
	}
	var inc *errInconsistent
	if errors.As(runErr, &inc) {
		fmt.Fprintf(env.Stderr, "gongshi mirror: %v\n", inc)
		return exitStatus(mirrorExitInconsistent)
	}
	if errors.Is(runErr, http.ErrServerClosed) {
		runErr = nil
	}
	if runErr == nil {
		fmt.Fprintf(env.Stdout, "gongshi: mirror stopped; %d entries applied in this run\n", f.applied.Load())
	}
	return runErr
}

// pinSource returns the mirror's state: the key pinned on an earlier run (which --key, if
// given, must equal), else --key or, trusted on first use, the key the source serves.
func pinSource(ctx context.Context, env *Env, dir, base, key string, client *translog.Client) (*mirrorState, error) {
	state, err := readMirrorState(dir)
	if err != nil {
		return nil, err
	}
	key = strings.TrimSpace(key)
	if state != nil {
		if key != "" && key != strings.TrimSpace(state.Key) {
			return nil, fmt.Errorf("--key %q is not the key pinned in %s (%q): this data folder mirrors another log; use a new data folder for it",
				key, filepath.Join(dir, MirrorStateFile), state.Key)
		}
		if state.From != base {
			fmt.Fprintf(env.Stderr, "gongshi mirror: the source moved from %s to %s; its pinned key still decides\n", state.From, base)
			state.From = base
			if err := state.save(dir); err != nil {
				return nil, err
			}
		}
		return state, nil
	}
	if key == "" {
		for tries := 0; ; tries++ {
			if key, err = client.Key(ctx); err == nil {
				break
			}
			if tries == 10 || ctx.Err() != nil {
				return nil, fmt.Errorf("read the source's key (give it with --key): %w", err)
			}
			time.Sleep(time.Second)
		}
		fmt.Fprintf(env.Stderr, "gongshi mirror: trusting %s's key on first use: %s (compare it with one obtained another way)\n", base, key)
	}
	if _, err := translog.ParseKeyList(key); err != nil {
		return nil, fmt.Errorf("the source's key %q: %w", key, err)
	}
	state = &mirrorState{From: base, Key: key}
	return state, state.save(dir)
}
