package http

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi"
)

// pathParams describes the path parameters routes use.
var pathParams = map[string]Param{
	"code":    {"code", "The enterprise's USCC (18 characters) or registration number (15 digits).", patSchema("^[0-9A-Za-z]+$", 18)},
	"id":      {"id", "The id of the record (a version's `record`) or of the enforcement case: digits, e.g. 1234.", patSchema("^[1-9][0-9]*$", 18)},
	"consent": {"consent", "A consent's id, e.g. c_0123456789abcdef01.", patSchema("^c_[0-9a-f]{18}$", 20)},
	"watch":   {"watch", "A watch's id, e.g. w0123456789abcdef0123456789abcdef.", patSchema("^w[0-9a-f]{32}$", 33)},
	"sha256":  {"sha256", "Lowercase hex SHA-256 of a document, from a version or a log leaf.", patSchema("^[0-9a-f]{64}$", 64)},
	"path":    {"path", "The tile path after /log/tile/, which may hold slashes.", patSchema("^[0-9a-z./]+$", 64)},
	"year":    {"year", "An annual report's report year.", intSchema(1, 9999)},
	"name":    {"name", "A snapshot's name, as GET /api/v1/snapshots lists it, e.g. 20261202T020000Z-153861.", patSchema(`^[0-9]{8}T[0-9]{6}Z-[0-9]+$`, 40)},
	"file":    {"file", "A file of the snapshot, as its manifest lists it, or manifest.json.", patSchema(`^[a-z][a-z0-9_.-]*$`, 64)},
}

var wildcardRE = regexp.MustCompile(`\{([a-z0-9_]+)(\.\.\.)?\}`)

// openAPIPath turns a ServeMux pattern path into an OpenAPI path: "{path...}" → "{path}".
func openAPIPath(p string) string { return strings.ReplaceAll(p, "...}", "}") }

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	s.openAPIOnce.Do(func() {
		o := s.Options
		o.Limiter = s.limiter
		b, err := json.MarshalIndent(openAPIDocument(s.routes, o), "", "  ")
		if err != nil {
			panic(err) // the document is made of maps and strings of our own
		}
		s.openAPIBytes = b
	})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(s.openAPIBytes)
	return nil
}

// openAPIDocument builds the OpenAPI 3.1 document from the route table, with the limits of
// opts.
func openAPIDocument(routes []*route, opts Options) schema {
	paths := schema{}
	for _, rt := range routes {
		p := openAPIPath(rt.Path)
		item, _ := paths[p].(schema)
		if item == nil {
			item = schema{}
			paths[p] = item
		}
		item[strings.ToLower(rt.Method)] = operation(rt)
	}
	responses := schema{}
	for _, st := range []int{400, 401, 403, 404, 409, 410, 413, 415, 429, 500, 503} {
		responses[strconv.Itoa(st)] = schema{"description": http.StatusText(st),
			"content": schema{ProblemContentType: schema{"schema": ref("Problem")}}}
	}
	responses["429"].(schema)["headers"] = schema{"Retry-After": ref2("headers", "Retry-After"),
		"RateLimit": ref2("headers", "RateLimit"), "RateLimit-Policy": ref2("headers", "RateLimit-Policy")}
	return schema{
		"openapi": "3.1.0",
		"info": schema{
			"title":   "gongshi — Enterprise Credit Information Publicity System (企业信用信息公示系统)",
			"version": "1",
			"description": "The public register of enterprises and their published records under the Interim Regulations on Enterprise Information Disclosure (Decree 654). " +
				"Every record version is a leaf of a tamper-evident Merkle log served under /log/ (C2SP tlog-tiles). " +
				"Errors are RFC 9457 problems naming the field and the fix; invalid input is 400. " +
				"Input is strict: a body is one UTF-8 JSON value without a byte-order mark or a member given twice (another charset is 415); " +
				"published text is NFC without control, format or private-use characters; a query parameter a route does not list here is 400; " +
				"cursors are opaque and only the server's own are accepted. " +
				limitsDoc(opts),
		},
		"servers": []schema{{"url": "/"}},
		"tags": []schema{
			{"name": "register", "description": "Enterprises and their published records."},
			{"name": "log", "description": "The transparency log and its documents (SPEC §9)."},
			{"name": "accounts", "description": "Accounts and tokens."},
			{"name": "meta", "description": "This document, health and metrics."},
			{"name": "disclosure", "description": "The enterprise's own disclosures: annual reports, corrections, orders, obligations, consent (Art. 8–12)."},
			{"name": "spot checks", "description": "Spot checks by verifiable lottery and their results (Art. 14, 15); the algorithm is package draw's."},
			{"name": "cases", "description": "Reports, inquiries and correction requests (Art. 12, 13)."},
			{"name": "deregistration", "description": "Simplified deregistration (简易注销): notice, objections, decision; credit repair of a penalty (信用修复)."},
		},
		"paths": paths,
		"components": schema{
			"schemas":   componentSchemas(),
			"responses": responses,
			"headers":   rateLimitHeaders,
			"securitySchemes": schema{"bearer": schema{"type": "http", "scheme": "bearer", "bearerFormat": "gs_…",
				"description": "A token printed by `gongshi admin token` or returned by POST /api/v1/login."}},
		},
	}
}

func operation(rt *route) schema {
	op := schema{
		"operationId": operationID(rt),
		"summary":     rt.Summary,
		"tags":        []string{rt.Tag},
	}
	desc := rt.Description
	if len(rt.Roles) > 0 {
		desc = strings.TrimSpace(desc + " Callers: " + joinRoles(rt.Roles) + ".")
	}
	if rt.Unlimited {
		desc = strings.TrimSpace(desc + " Not rate-limited.")
	}
	if desc != "" {
		op["description"] = desc
	}
	var params []schema
	for _, m := range wildcardRE.FindAllStringSubmatch(rt.Path, -1) {
		p := pathParams[m[1]]
		params = append(params, schema{"name": m[1], "in": "path", "required": true, "description": p.Description, "schema": p.Schema})
	}
	for _, q := range rt.Query {
		params = append(params, schema{"name": q.Name, "in": "query", "description": q.Description, "schema": q.Schema})
	}
	if rt.Method == http.MethodGet {
		params = append(params, schema{"name": MinLogSizeHeader, "in": "header", "description": minLogSizeDoc, "schema": intSchema(0, maxLogSize)})
	}
	if params != nil {
		op["parameters"] = params
	}
	if rt.Request != "" {
		op["requestBody"] = schema{"required": true,
			"content": schema{"application/json": schema{"schema": ref(rt.Request)}}}
	}
	if rt.RequestType != "" {
		op["requestBody"] = schema{"required": true,
			"content": schema{rt.RequestType: schema{"schema": strSchema("")}}}
	}
	if rt.Auth {
		op["security"] = []schema{{"bearer": []string{}}}
	} else {
		op["security"] = []schema{{}, {"bearer": []string{}}} // optional: a token may see more
	}
	success := schema{"description": http.StatusText(rt.Status)}
	ct := rt.ContentType
	if ct == "" {
		ct = "application/json"
	}
	if rt.Response != "" {
		success["content"] = schema{ct: schema{"schema": ref(rt.Response)}}
	} else if ct == "application/pdf" {
		success["content"] = schema{ct: schema{"schema": schema{"type": "string", "format": "binary"}}}
	} else {
		success["content"] = schema{ct: schema{"schema": strSchema("")}}
	}
	headers := schema{}
	if rt.Status == 201 {
		headers["Location"] = schema{"description": "Where the new resource is read.", "schema": strSchema("")}
	}
	if rt.Method != http.MethodGet {
		headers[LogSizeHeader] = schema{"description": "The log's size (leaves) once this request's changes committed: send it as `min_log_size` or `" + MinLogSizeHeader + "` with a read that must see them.",
			"schema": intSchema(0, maxLogSize)}
	}
	if !rt.Unlimited {
		headers["RateLimit"] = ref2("headers", "RateLimit")
		headers["RateLimit-Policy"] = ref2("headers", "RateLimit-Policy")
	}
	if len(headers) > 0 {
		success["headers"] = headers
	}
	responses := schema{strconv.Itoa(rt.Status): success}
	for _, st := range errorStatuses(rt) {
		switch st {
		case http.StatusNotModified:
			responses["304"] = schema{"description": "Not Modified (If-None-Match matched the ETag)."}
			continue
		case http.StatusPartialContent:
			responses["206"] = schema{"description": "Partial Content: the byte ranges the Range header asked for.",
				"content": schema{ct: schema{"schema": strSchema("")}}}
			continue
		case http.StatusUnprocessableEntity:
			responses["422"] = schema{"description": "Unprocessable Entity: the consistency proof does not verify."}
			continue
		case http.StatusRequestedRangeNotSatisfiable:
			responses["416"] = schema{"description": "Range Not Satisfiable: the Range header asked for bytes past the end, or is malformed; Content-Range gives the size (bytes */size).",
				"content": schema{ProblemContentType: schema{"schema": ref("Problem")}}}
			continue
		}
		responses[strconv.Itoa(st)] = ref2("responses", strconv.Itoa(st))
	}
	op["responses"] = responses
	return op
}

func ref2(section, name string) schema { return schema{"$ref": "#/components/" + section + "/" + name} }

// errorStatuses are the statuses a route can answer besides success: those of its shape
// (any route: a bad token, a query parameter it does not declare or an invalid one, a
// rate limit, a fault; a body: malformed, too large, not JSON, store unavailable; a path
// parameter: not found; a token: wrong role) and the route's own.
func errorStatuses(rt *route) []int {
	sts := []int{400, 401, 500}
	if !rt.Unlimited {
		sts = append(sts, 429)
	}
	if strings.Contains(rt.Path, "{") {
		sts = append(sts, 404)
	}
	if rt.Request != "" {
		sts = append(sts, 400, 413, 415, 503)
	}
	if rt.Auth {
		sts = append(sts, 403)
	}
	sts = append(sts, rt.Errors...)
	slices.Sort(sts)
	return slices.Compact(sts)
}

// operationID is the route's method and path in camel case: "getApiV1EnterprisesCode".
func operationID(rt *route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.Method))
	for _, part := range strings.FieldsFunc(openAPIPath(rt.Path), func(r rune) bool {
		return r == '/' || r == '{' || r == '}' || r == '.' || r == '-' || r == '_'
	}) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// limitsDoc states the limits of opts for the document's description.
func limitsDoc(opts Options) string {
	rl := func(l RateLimit) string {
		return fmt.Sprintf("%g requests/s in bursts of %d", l.PerSecond, max(l.Burst, 1))
	}
	var b strings.Builder
	b.WriteString("Limits (the README's Limits section): ")
	addr, acct := opts.RateLimit, opts.AccountRateLimit
	if opts.Limiter != nil {
		addr, acct = opts.Limiter.Address, opts.Limiter.Account
	}
	switch {
	case addr.PerSecond > 0 || acct.PerSecond > 0:
		b.WriteString("one limiter for the API and the pages: ")
		if addr.PerSecond > 0 {
			b.WriteString("per address, for anonymous callers and bad credentials, " + rl(addr) + "; ")
		}
		if acct.PerSecond > 0 {
			b.WriteString("per account, for authenticated callers, " + rl(acct) + "; ")
		}
		b.WriteString("each limited answer carries RateLimit-Policy (q requests per w seconds) and RateLimit (r left, full again in t seconds) as draft-ietf-httpapi-ratelimit-headers defines them; a refused request is 429 with Retry-After")
	default:
		b.WriteString("this server is not rate-limited")
	}
	fmt.Fprintf(&b, ". Bodies are at most %d bytes (413 otherwise, before a 100 Continue when Content-Length says so)", opts.MaxBodyBytes)
	if opts.RequestTimeout > 0 {
		fmt.Fprintf(&b, "; a request may take %s at most", opts.RequestTimeout)
	}
	b.WriteString("; a page holds at most 100 search hits or 500 list entries; search terms at most " + strconv.Itoa(gongshi.MaxSearchTerm) + " characters. The log, documents, the change feed, the bulk snapshots and probes are not rate-limited (each such route says so).")
	return b.String()
}

// rateLimitHeaders are the header fields of limited answers.
var rateLimitHeaders = schema{
	"RateLimit": schema{"description": "draft-ietf-httpapi-ratelimit-headers: the policy that counted this request, the requests left (r) and the seconds until its quota is full again (t), e.g. `\"address\";r=99;t=1`.",
		"schema": strSchema("")},
	"RateLimit-Policy": schema{"description": "draft-ietf-httpapi-ratelimit-headers: the policy that counted this request: `address` (anonymous callers and bad credentials, by client address) or `account` (by account); q requests per w seconds, e.g. `\"address\";q=100;w=2`.",
		"schema": strSchema("")},
	"Retry-After": schema{"description": "Seconds to wait before the next request.", "schema": intSchema(0, 86400)},
}
