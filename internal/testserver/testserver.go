// Package testserver wires a register for tests as gongshi serve wires it: a store (SQLite
// in a temporary folder, or a PostgreSQL database), the log's signer, the service, the JSON
// API with the log's handler and, if asked, the web pages and the checkpointer, on a real
// listener. Everything stops when the test ends.
package testserver

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/translog"
	"github.com/gongshi/gongshi/web"
)

// Options say what to start.
type Options struct {
	// Clock is the register's clock; nil means a clock starting at Now and running on.
	Clock gongshi.Clock
	Now   time.Time
	// DBURL is a PostgreSQL database to use; "" means SQLite in a temporary folder.
	DBURL string
	// ReadURL, with DBURL, is a replica of it to read from (sqlstore.Config.ReadURL).
	ReadURL string
	// API are the JSON API's options.
	API ghttp.Options
	// Pages mounts the web pages beside the API and runs the checkpointer, as serve does.
	Pages bool
	// WriteTimeout is the HTTP server's (gongshi serve's is 5 minutes); 0 for none.
	WriteTimeout time.Duration
}

// Stack is the running register.
type Stack struct {
	URL    string // http://127.0.0.1:port
	Dir    string // the data folder
	DB     *sqlstore.DB
	Svc    *gongshi.Service
	Signer *translog.Signer
	Clock  gongshi.Clock
	Logger *slog.Logger // discards
}

// Start starts a register; it fails the test if it cannot.
func Start(t testing.TB, o Options) *Stack {
	t.Helper()
	ctx := context.Background()
	s := &Stack{Dir: t.TempDir(), Clock: o.Clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if s.Clock == nil {
		s.Clock = gongshi.NewFixedClock(o.Now)
	}
	var err error
	s.DB, err = sqlstore.Open(ctx, sqlstore.Config{URL: o.DBURL, ReadURL: o.ReadURL, Dir: s.Dir, Clock: s.Clock, Logger: s.Logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.DB.Close() })
	if s.Signer, err = translog.LoadOrCreateKey(s.Dir, translog.DefaultOrigin); err != nil {
		t.Fatal(err)
	}
	logh, err := translog.NewHandler(s.DB, s.Signer.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	s.Svc = gongshi.New(gongshi.Config{Store: s.DB, Clock: s.Clock, Rules: policy.DefaultRules()})
	if o.API.Snapshots == "" {
		o.API.Snapshots = filepath.Join(s.Dir, "snapshots") // as gongshi serve has them
	}
	srv := ghttp.NewServer(s.Svc, logh, s.Logger, o.API)
	h := srv.Handler()
	if o.Pages {
		pages, err := web.New(web.Config{Service: s.Svc, Log: s.DB, VerifierKey: s.Signer.VerifierKey(), Logger: s.Logger,
			Limiter: srv.Limiter(), RequestTimeout: o.API.RequestTimeout, Snapshots: o.API.Snapshots})
		if err != nil {
			t.Fatal(err)
		}
		h = web.Mount(h, pages)
		ckCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			translog.RunCheckpointer(ckCtx, s.DB, s.Signer, 100*time.Millisecond, func(error) {})
		}()
		t.Cleanup(func() { stop(); <-done })
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: h, WriteTimeout: o.WriteTimeout}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	s.URL = "http://" + ln.Addr().String()
	return s
}
