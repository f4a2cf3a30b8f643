package http

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gongshi/gongshi"
)

// reqInfo is what the middleware learns about a request as it passes through: filled by
// inner layers, read by observe once the response is written.
type reqInfo struct {
	id      string
	route   *route // nil when no route matched
	account *gongshi.Account
}

type ctxKey struct{}

func infoFrom(ctx context.Context) *reqInfo {
	if i, ok := ctx.Value(ctxKey{}).(*reqInfo); ok {
		return i
	}
	return &reqInfo{}
}

// accountFrom returns the authenticated caller, or nil for the anonymous public.
func accountFrom(ctx context.Context) *gongshi.Account { return infoFrom(ctx).account }

// statusWriter remembers the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer (flush, deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe gives the request an id, counts it in the metrics and logs one line for it.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &reqInfo{id: newRequestID()}
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, info))
		sw := &statusWriter{ResponseWriter: w}
		sw.Header().Set("Gongshi-Request-Id", info.id)
		sw.Header().Set("X-Content-Type-Options", "nosniff")
		s.metrics.inFlight.Add(1)
		defer func() {
			s.metrics.inFlight.Add(-1)
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			d := time.Since(start)
			label := "unmatched"
			if info.route != nil {
				label = info.route.Method + " " + info.route.Path
			}
			s.metrics.observe(label, sw.status, d)
			// Successful reads are counted in the metrics and logged at debug level: a line
			// per read would cost a busy register more than the read. Writes and errors are
			// always logged.
			level := slog.LevelInfo
			if sw.status < 400 && (r.Method == http.MethodGet || r.Method == http.MethodHead || info.route != nil && info.route.Quiet) {
				level = slog.LevelDebug
			}
			if !s.logger().Enabled(r.Context(), level) {
				return
			}
			account := ""
			if info.account != nil {
				account = info.account.ID
			}
			s.logger().LogAttrs(r.Context(), level, "request",
				slog.String("request_id", info.id), slog.String("method", r.Method),
				slog.String("route", label), slog.String("path", r.URL.Path),
				slog.Int("status", sw.status), slog.Duration("duration", d),
				slog.Int64("bytes", sw.bytes), slog.String("account", account))
		}()
		next.ServeHTTP(sw, r)
	})
}

// recoverPanic turns a panic into a logged 500 problem. http.ErrAbortHandler is the
// standard way to abort a response and is passed on.
func (s *Server) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.logger().ErrorContext(r.Context(), "panic", "request_id", infoFrom(r.Context()).id,
				"method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if sw, ok := w.(*statusWriter); ok && sw.status != 0 {
				return // too late for a problem; the client sees a truncated response
			}
			s.writeError(w, r, fmt.Errorf("panic: %v", v))
		}()
		next.ServeHTTP(w, r)
	})
}

// clockNotice adds the Gongshi-Clock header on a server whose clock is set.
func (s *Server) clockNotice(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if now, ok := s.simulatedNow(); ok {
			w.Header().Set("Gongshi-Clock", "simulated "+now.Format(time.RFC3339))
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate resolves the request's bearer token: nil and no error for the anonymous
// public (no Authorization header); an EUNAUTHORIZED error for a header that is not a
// valid token.
func (s *Server) authenticate(r *http.Request) (*gongshi.Account, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, nil
	}
	scheme, token, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return nil, gongshi.Errorf(gongshi.EUNAUTHORIZED, "the Authorization header must be \"Bearer gs_…\"")
	}
	a, err := s.Service.Authenticate(r.Context(), strings.TrimSpace(token))
	if err != nil {
		return nil, err
	}
	return a, nil
}

// rateLimited answers 429 and returns true when the caller of r, by its account or else
// its address, has used its allowance (Limiter).
func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request, acct *gongshi.Account) bool {
	id, who := "", "address"
	if acct != nil {
		id, who = acct.ID, "account"
	}
	if s.limiter.Take(w.Header(), id, s.clientIP(r)) == 0 {
		return false
	}
	s.writeError(w, r, &httpError{status: http.StatusTooManyRequests, kind: probRateLimited,
		detail: "too many requests from this " + who,
		fix:    "retry after " + w.Header().Get("Retry-After") + " s (see RateLimit and RateLimit-Policy), or use the bulk data"})
	return true
}

// privateWriter keeps an answer out of every cache: whatever the handler set, it goes out
// with Cache-Control: no-store.
type privateWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *privateWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		w.Header().Set("Cache-Control", "no-store")
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *privateWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *privateWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
