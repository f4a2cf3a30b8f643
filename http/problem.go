package http

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gongshi/gongshi"
)

// ProblemContentType is the media type of every error response (RFC 9457).
const ProblemContentType = "application/problem+json"

// ProblemTypePrefix starts the "type" URI of every problem; the rest is the gongshi error
// code ("urn:gongshi:problem:invalid") or a transport problem ("…:too_large").
const ProblemTypePrefix = "urn:gongshi:problem:"

// Problem is an RFC 9457 problem details object with gongshi's extension members.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Field     string `json:"field,omitempty"`
	Fix       string `json:"fix,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// Code returns the gongshi error code the problem stands for; transport problems map to
// the nearest code (a body too large is EINVALID, a rate limit ETOOMANY).
func (p *Problem) Code() string {
	c := p.Type[min(len(p.Type), len(ProblemTypePrefix)):]
	switch c {
	case gongshi.EINVALID, gongshi.ENOTFOUND, gongshi.ECONFLICT, gongshi.EUNAUTHORIZED,
		gongshi.EFORBIDDEN, gongshi.EGONE, gongshi.EUNAVAILABLE, gongshi.ETOOMANY, gongshi.EINTERNAL:
		return c
	case probTooLarge, probMediaType, probMethod, probRange:
		return gongshi.EINVALID
	case probNoRoute:
		return gongshi.ENOTFOUND
	case probRateLimited:
		return gongshi.ETOOMANY
	}
	return gongshi.EINTERNAL
}

// Err returns the problem as a *gongshi.Error, so that callers of the client can use
// gongshi.ErrorCode on it.
func (p *Problem) Err() *gongshi.Error {
	return &gongshi.Error{Code: p.Code(), Field: p.Field, Message: p.Detail, Fix: p.Fix}
}

// Transport problems: found by this package, not by the domain.
const (
	probNoRoute     = "no_route"
	probMethod      = "method_not_allowed"
	probTooLarge    = "too_large"
	probMediaType   = "unsupported_media_type"
	probRateLimited = "rate_limited"
	probRange       = "range_not_satisfiable"
)

// codeStatus maps gongshi error codes to HTTP statuses: the one place they are translated.
var codeStatus = map[string]int{
	gongshi.EINVALID:      http.StatusBadRequest,
	gongshi.ENOTFOUND:     http.StatusNotFound,
	gongshi.ECONFLICT:     http.StatusConflict,
	gongshi.EUNAUTHORIZED: http.StatusUnauthorized,
	gongshi.EFORBIDDEN:    http.StatusForbidden,
	gongshi.EGONE:         http.StatusGone,
	gongshi.EUNAVAILABLE:  http.StatusServiceUnavailable,
	gongshi.ETOOMANY:      http.StatusTooManyRequests,
}

// StatusOf is the HTTP status of a gongshi error code: 500 for EINTERNAL and codes it does
// not know. The web pages answer with the same statuses as the API.
func StatusOf(code string) int {
	if st, ok := codeStatus[code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// httpError is a transport problem raised by this package.
type httpError struct {
	status int
	kind   string // one of the prob… constants
	detail string
	fix    string
	header http.Header // extra response headers (Allow, Retry-After)
}

func (e *httpError) Error() string { return e.detail }

// problemFor turns any error into the problem to send. Internal errors get a generic
// detail; the caller logs the real one.
func problemFor(err error) *Problem {
	var he *httpError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &he):
		return &Problem{Type: ProblemTypePrefix + he.kind, Title: http.StatusText(he.status),
			Status: he.status, Detail: he.detail, Fix: he.fix}
	case errors.As(err, &mbe):
		return &Problem{Type: ProblemTypePrefix + probTooLarge, Title: http.StatusText(http.StatusRequestEntityTooLarge),
			Status: http.StatusRequestEntityTooLarge,
			Detail: fmt.Sprintf("the request body is larger than %d bytes", mbe.Limit),
			Fix:    "send a smaller body; bulk changes go in several requests"}
	}
	code := gongshi.ErrorCode(err)
	status, ok := codeStatus[code]
	if !ok {
		return &Problem{Type: ProblemTypePrefix + gongshi.EINTERNAL, Title: http.StatusText(http.StatusInternalServerError),
			Status: http.StatusInternalServerError,
			Detail: "an internal error occurred; it has been logged",
			Fix:    "try again later; if it persists, report the request_id"}
	}
	e := gongshi.AsError(err)
	fix := e.Fix
	if fix == "" {
		fix = defaultFix[code]
	}
	return &Problem{Type: ProblemTypePrefix + code, Title: http.StatusText(status), Status: status,
		Detail: e.Message, Field: e.Field, Fix: fix}
}

// defaultFix says what to do about a domain error that did not say it itself.
var defaultFix = map[string]string{
	gongshi.EINVALID:      "correct the input and send it again",
	gongshi.ENOTFOUND:     "check the identifier; search enterprises with GET /api/v1/enterprises?q=",
	gongshi.ECONFLICT:     "read the current state and send a change against it",
	gongshi.EUNAUTHORIZED: "send \"Authorization: Bearer gs_…\" with a token from gongshi admin token or POST /api/v1/login",
	gongshi.EFORBIDDEN:    "use an account whose role and jurisdiction cover this",
	gongshi.EGONE:         "the log entry stays; regulators can still read it",
	gongshi.EUNAVAILABLE:  "try again shortly",
}

// writeError answers with err as a problem. Internal errors are logged with the request's
// id, which the problem repeats so that an operator can find the log line.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		// The client went away before the answer was ready: nothing to answer, nothing
		// wrong with the server.
		s.logger().DebugContext(r.Context(), "client gone", "request_id", infoFrom(r.Context()).id, "path", r.URL.Path)
		return
	}
	p := problemFor(err)
	info := infoFrom(r.Context())
	if p.Status >= 500 && p.Status != http.StatusServiceUnavailable {
		p.RequestID = info.id
		s.logger().ErrorContext(r.Context(), "request failed", "request_id", info.id,
			"method", r.Method, "path", r.URL.Path, "err", err)
	}
	h := w.Header()
	var he *httpError
	if errors.As(err, &he) {
		for k, vs := range he.header {
			h[k] = vs
		}
	}
	var re *gongshi.RetryError
	if errors.As(err, &re) {
		h.Set("Retry-After", strconv.Itoa(int(re.After.Seconds())))
	}
	if p.Status == http.StatusUnauthorized {
		// RFC 6750 §3: say which scheme, and whether a token was sent and refused.
		v := `Bearer realm="gongshi"`
		if r.Header.Get("Authorization") != "" {
			v += `, error="invalid_token"`
		}
		h.Set("WWW-Authenticate", v)
	}
	writeProblem(w, p)
}

// WriteProblem answers err as a problem, for handlers outside the route table (a web
// page's JSON endpoint). An internal error is answered without its detail; logging it is
// the caller's business.
func WriteProblem(w http.ResponseWriter, err error) { writeProblem(w, problemFor(err)) }

func writeProblem(w http.ResponseWriter, p *Problem) {
	h := w.Header()
	h.Set("Content-Type", ProblemContentType)
	h.Set("Cache-Control", "no-store")
	h.Del("ETag")
	b, _ := json.Marshal(p)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(p.Status)
	w.Write(b)
}
