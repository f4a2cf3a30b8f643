package http

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/report"
)

// Server serves the register. Set its fields, then call Handler once.
type Server struct {
	Service *gongshi.Service
	// Log serves the transparency log (translog.Handler) under /log/; nil answers 503.
	Log http.Handler
	// Witness serves C2SP tlog-witness add-checkpoint (translog.Witness) at
	// /log/witness/add-checkpoint; nil answers 404.
	Witness http.Handler
	// Logger receives a line per request and every internal error; nil means slog.Default().
	Logger  *slog.Logger
	Options Options

	once    sync.Once
	handler http.Handler
	routes  []*route
	mux     *http.ServeMux
	metrics *metrics
	limiter *Limiter
	cache   *publicCache
	sizer   treeSizer // the store's log size, for the answers to writes (logsize.go)
	feed    *feedHub

	openAPIOnce  sync.Once
	openAPIBytes []byte

	reportOnce sync.Once
	reports    *report.Renderer // PDF documents (report.go)
	pdfs       pdfCache
	rendering  chan struct{} // a slot per core: the documents being rendered
}

// Options tune the server. The zero value has no rate limit, as tests want;
// DefaultOptions is what a public server runs with.
type Options struct {
	// MaxBodyBytes caps request bodies; 0 means 1 MiB.
	MaxBodyBytes int64
	// RateLimit limits anonymous callers (and bad credentials) per client address, and
	// AccountRateLimit authenticated callers per account; the zero value is no limit.
	// Limiter, when set, is used instead of one made of these: the pages share it.
	RateLimit        RateLimit
	AccountRateLimit RateLimit
	Limiter          *Limiter
	// RequestTimeout bounds the time a rate-limited route may take (its context's
	// deadline); 0 is none.
	RequestTimeout time.Duration
	// ClientIP returns the address to rate-limit a request by; nil means the host part of
	// RemoteAddr. Behind a reverse proxy, set it to read the proxy's header.
	ClientIP func(*http.Request) string
	// CachedPages is how many anonymous enterprise-page answers to keep (see publicCache),
	// within 256 MiB of them (publicCacheBytes); 0 means 100,000, negative turns the cache
	// off.
	CachedPages int
	// FeedHeartbeat, FeedMaxLag and FeedWriteTimeout tune the live change feed (feed.go);
	// zero means DefaultFeedHeartbeat, DefaultFeedMaxLag, DefaultFeedWriteTimeout.
	FeedHeartbeat    time.Duration
	FeedMaxLag       int
	FeedWriteTimeout time.Duration
	// FeedSpread is how long live followers spread their writes over after a read of the
	// hub (feedhub.go); zero means feedSpread, negative not at all.
	FeedSpread time.Duration
	// Snapshots is the folder of the bulk snapshots (package snapshot) that GET
	// /api/v1/snapshots lists; "" serves none.
	Snapshots string
	// ReportFont is the TrueType font with CJK glyphs the PDF documents embed; "" is
	// report.DefaultFont (Debian's fonts-wqy-microhei). ReportLabels names enum codes in
	// Chinese in them (web.EnumLabel); nil prints the codes.
	ReportFont   string
	ReportLabels func(code string) string
	// PublicURL is the register's public address ("https://gongshi.example"), for the links
	// and QR codes printed in documents; "" uses the scheme and host of each request.
	PublicURL string
}

// GCPercent is the garbage-collection target gongshi serve runs with (unless GOGC is set).
// The register's Go heap is small — the data lives in the database — and most of it is
// short-lived request and document garbage, so collecting a third as often costs little
// memory and gives the write path about a fifth more throughput (measured with
// BenchmarkFileAnnualReports). The API benchmarks run with it too.
const GCPercent = 300

// DefaultOptions are generous limits for a public server, published in the README
// (Limits) and the OpenAPI document: 50 requests/s per anonymous client address, bursts
// of 100; 100 requests/s per account, bursts of 200; a body of 1 MiB; 30 s per request.
// Bulk readers are expected to use the open data (SPEC §9).
func DefaultOptions() Options {
	return Options{MaxBodyBytes: 1 << 20, RateLimit: RateLimit{PerSecond: 50, Burst: 100},
		AccountRateLimit: RateLimit{PerSecond: 100, Burst: 200}, RequestTimeout: 30 * time.Second}
}

// NewServer returns a server for svc with the given log handler (may be nil) and options.
func NewServer(svc *gongshi.Service, log http.Handler, logger *slog.Logger, opts Options) *Server {
	return &Server{Service: svc, Log: log, Logger: logger, Options: opts}
}

// Handler returns the server's handler: every route of the route table behind the
// middleware (request log and metrics, panic recovery, clock notice, body limit); each
// route authenticates and rate-limits its callers (serveRoute).
func (s *Server) Handler() http.Handler {
	s.once.Do(s.build)
	return s.handler
}

// RouteInfo describes a route of the table, for documentation and tests.
type RouteInfo struct {
	Method, Pattern, Summary string
	Auth                     bool           // a bearer token is required
	Roles                    []gongshi.Role // who may call it
	Request                  string         // the component schema of its JSON body, if any
}

// Limiter returns the server's rate limiter, for the pages to share.
func (s *Server) Limiter() *Limiter {
	s.once.Do(s.build)
	return s.limiter
}

// Routes lists the route table.
func (s *Server) Routes() []RouteInfo {
	s.once.Do(s.build)
	out := make([]RouteInfo, len(s.routes))
	for i, rt := range s.routes {
		out[i] = RouteInfo{Method: rt.Method, Pattern: rt.Path, Summary: rt.Summary, Auth: rt.Auth, Roles: rt.Roles, Request: rt.Request}
	}
	return out
}

func (s *Server) build() {
	if s.Options.MaxBodyBytes <= 0 {
		s.Options.MaxBodyBytes = 1 << 20
	}
	s.limiter = s.Options.Limiter
	if s.limiter == nil {
		s.limiter = NewLimiter(s.Options.RateLimit, s.Options.AccountRateLimit, time.Now)
	}
	if s.Options.CachedPages >= 0 && s.Service != nil && s.Service.Store != nil {
		n := s.Options.CachedPages
		if n == 0 {
			n = 100_000
		}
		// Every write that changes a public page goes through this process's sequencer
		// (the writer lock keeps other processes from publishing), so OnCommit invalidates
		// precisely; the TTL only bounds the damage of a change that forgot to Touch.
		s.cache = newPublicCache(n, publicCacheBytes, 10*time.Minute)
		s.Service.Store.OnCommit(s.cache.invalidate)
	}
	var feed *gongshi.Feed
	if s.Service != nil {
		feed = s.Service.Feed
	}
	s.feed = newFeedHub(feed, s.logger)
	if s.Options.FeedSpread != 0 {
		s.feed.spreadOver = s.Options.FeedSpread
	}
	if s.Service != nil && s.Service.Store != nil {
		s.Service.Store.OnCommit(s.feed.commit)
		s.sizer, _ = s.Service.Store.(treeSizer)
	}
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		if rt.Method == http.MethodGet {
			rt.Query = append(rt.Query, minLogSizeParam)
		}
		rt.pathParams = pathParamsOf(rt.Path)
	}
	s.metrics = newMetrics(s.routes)
	s.mux = http.NewServeMux()
	for _, rt := range s.routes {
		s.mux.Handle(rt.Method+" "+rt.Path, s.serveRoute(rt))
	}
	var h http.Handler = http.HandlerFunc(s.dispatch)
	h = s.limitBodies(h)
	h = s.clockNotice(h)
	h = s.recoverPanic(h)
	s.handler = s.observe(h)
}

// dispatch hands the request to the mux, answering unknown paths and methods with a problem
// rather than the mux's plain text.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	if _, pattern := s.mux.Handler(r); pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	if allow := Allowed(s.mux, r); allow != nil {
		s.writeError(w, r, &httpError{status: http.StatusMethodNotAllowed, kind: probMethod,
			detail: r.Method + " is not allowed on " + r.URL.Path, fix: "use one of the methods in the Allow header",
			header: http.Header{"Allow": {strings.Join(allow, ", ")}}})
		return
	}
	s.writeError(w, r, &httpError{status: http.StatusNotFound, kind: probNoRoute,
		detail: "no route " + r.URL.Path, fix: s.noRouteFix(r.URL.Path)})
}

// Allowed returns the methods mux has a handler for at r's path, nil when it has none:
// for a 405's Allow header.
func Allowed(mux *http.ServeMux, r *http.Request) []string {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := mux.Handler(probe); p != "" {
			allow = append(allow, m)
		}
	}
	if slices.Contains(allow, http.MethodGet) {
		allow = append(allow, http.MethodHead)
	}
	return allow
}

// serveRoute wraps a route's handler: it records the route for the log and metrics,
// authenticates the caller, rate-limits it by account or, anonymous or with a bad token
// (so that guessing tokens is as limited as reading), by address, and bounds its time,
// unless the route is Unlimited; requires a
// token where the route does, checks the parameters against the route's declaration, and
// answers a returned error as a problem.
func (s *Server) serveRoute(rt *route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := infoFrom(r.Context())
		info.route = rt
		acct, authErr := s.authenticate(r)
		info.account = acct
		if rt.Private || r.Header.Get("Authorization") != "" {
			w = &privateWriter{ResponseWriter: w}
		}
		if !rt.Unlimited {
			if s.rateLimited(w, r, acct) {
				return
			}
			if s.Options.RequestTimeout > 0 {
				ctx, cancel := context.WithTimeout(r.Context(), s.Options.RequestTimeout)
				defer cancel()
				r = r.WithContext(ctx)
			}
		}
		switch {
		case authErr != nil:
			s.writeError(w, r, authErr)
		case rt.Auth && acct == nil:
			s.writeError(w, r, gongshi.Errorf(gongshi.EUNAUTHORIZED, "%s needs a bearer token", strings.ToLower(rt.Summary)))
		default:
			err := checkParams(rt, r) // params.go
			if err == nil && rt.Method == http.MethodGet {
				r, err = withMinLogSize(r) // logsize.go
			} else if s.sizer != nil && err == nil {
				w = &logSizeWriter{ResponseWriter: w, size: s.sizer.TreeSize, ctx: r.Context()}
			}
			if err == nil {
				err = rt.serve(w, r)
			}
			if err != nil {
				s.writeError(w, r, err)
			}
		}
	})
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func (s *Server) clientIP(r *http.Request) string {
	if s.Options.ClientIP != nil {
		return s.Options.ClientIP(r)
	}
	return RemoteHost(r)
}

// RemoteHost is the host part of r.RemoteAddr: the client's address when no proxy stands
// between.
func RemoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// simulatedNow returns the service clock's reading when it is a set clock (SPEC §12: a
// server running on a set clock says so), and false on the system clock.
func (s *Server) simulatedNow() (time.Time, bool) {
	if c, ok := s.Service.Clock.(*gongshi.FixedClock); ok {
		return c.Now().In(calendar.CST()), true
	}
	return time.Time{}, false
}
