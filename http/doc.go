// Package http serves gongshi over HTTP: the JSON API under /api/v1/, its OpenAPI
// document, the transparency log under /log/, health and metrics, and a Go client for the
// CLI and tests.
//
// Every route is declared once, in the route table (routes.go); the ServeMux, the OpenAPI
// document and the metrics' route labels are all built from it.
//
// # Errors
//
// Every error is an RFC 9457 problem (application/problem+json) with "type", "title",
// "status" and "detail", plus "field" (the JSON path of the offending input, e.g.
// "fields.legal_representative.name") and "fix" (what to do about it) where known. Domain
// errors are mapped from gongshi.ErrorCode in one place (problem.go):
//
//	EINVALID      400 Bad Request. One status for every input the caller must change —
//	              a malformed body, an unknown field, a bad code in the path, a date in the
//	              future — because "field" and "fix" already say what is wrong; 422 would
//	              split one kind of mistake over two statuses by where it was found.
//	ENOTFOUND     404    ECONFLICT 409    EUNAUTHORIZED 401 (with WWW-Authenticate: Bearer)
//	EFORBIDDEN    403    EGONE     410    EUNAVAILABLE  503
//	anything else 500, logged with the request id; the detail never leaks internals.
//
// Transport errors use the same writer: 404/405 for no route, 413 for a body over the
// limit, 415 for a body that is not JSON, 429 (with Retry-After) for a rate-limited client.
//
// # Authentication
//
// "Authorization: Bearer gs_…" names an account (gongshi.Service.Authenticate). No header
// is the anonymous public; a header with a bad or unknown token is 401 on every route, so
// that a client never silently reads as the public by mistake. Tokens expire (90 days for
// an administrator's, 24 hours for a login's) and can be revoked.
//
// # Limits
//
// One Limiter, shared with the pages, counts authenticated callers per account and
// anonymous ones (and callers with a bad token) per client address, except on the log, the
// documents and the probes, which are immutable or cheap and which an auditor reads in full.
// Limited answers carry RateLimit-Policy and RateLimit (draft-ietf-httpapi-ratelimit-
// headers); a refused request is 429 with Retry-After. A limited request's context has a
// deadline (Options.RequestTimeout). Bodies over Options.MaxBodyBytes are 413, refused
// before they are read when Content-Length says so (LimitBody).
//
// Answers to an authenticated caller, and answers carrying personal data (Private routes),
// are Cache-Control: no-store; every answer is X-Content-Type-Options: nosniff.
//
// # Simulated clocks
//
// A server whose service runs on a set clock (gongshi.FixedClock) says so on every
// response: "Gongshi-Clock: simulated 2027-07-01T09:00:03+08:00" (SPEC §12).
package http
