package http

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/gongshi/gongshi"
)

// route is one entry of the route table: the mux, the OpenAPI document and the metrics are
// built from these, so a route cannot be served without being documented or the reverse.
type route struct {
	Method string
	Path   string // ServeMux pattern path: "/api/v1/enterprises/{code}"
	serve  func(http.ResponseWriter, *http.Request) error

	Auth  bool           // a bearer token is required (401 without one)
	Roles []gongshi.Role // who may call it, for the document; the domain checks

	Tag         string
	Summary     string
	Description string
	Query       []Param // query parameters; path parameters come from Path
	Request     string  // component schema of the JSON body, if any
	RequestType string  // the media type of a body that is not JSON (documented as text)
	Status      int     // success status
	Response    string  // component schema of the success body
	ContentType string  // of the success body; "" is application/json
	Errors      []int   // statuses besides those every route of its shape can answer
	Quiet       bool    // logged at debug level when successful (probes, scrapes)
	// Unlimited routes are not rate-limited: the log and documents are immutable and
	// cacheable, and an auditor must read all of them (SPEC §9); probes must get through.
	Unlimited bool
	// Private answers carry personal data or secrets (a case and its filer, a token): they
	// are sent with Cache-Control: no-store, as every answer to an authenticated caller is.
	Private bool

	pathParams []Param // the declarations of Path's parameters (pathParamsOf), set by build
}

// cursorParam is the cursor of a paged route (gongshi's cursor.go: opaque, printable and
// tamper-evident; a cursor this server did not give is 400).
var cursorParam = Param{"cursor", "The `next` of the previous page, as given: an opaque cursor, valid only with the same other parameters.",
	patSchema("^[A-Za-z0-9_-]+$", gongshi.MaxCursorLength)}

// routeTable is the route table. Order is the order of the OpenAPI document.
func (s *Server) routeTable() []*route {
	reg := []gongshi.Role{gongshi.RoleRegulator}
	publishers := []gongshi.Role{gongshi.RoleRegulator, gongshi.RoleDepartment, gongshi.RoleEnterprise}
	routes := []*route{
		{Method: "GET", Path: "/api/v1/enterprises", serve: s.search, Tag: "register",
			Summary:     "Search enterprises",
			Description: "By any substring of two or more characters of a current or former name, by USCC or registration number (exact or prefix), by legal representative, or by the start of the pinyin initials of the name in two or more letters of either case (`shjt` finds 上海杰图天下网络科技有限公司). Exact and prefix matches come first. Follow `next` for the next page.",
			Query: []Param{
				{"q", fmt.Sprintf("What to look for: %d to %d characters.", 2, gongshi.MaxSearchTerm), schema{"type": "string", "minLength": 2, "maxLength": gongshi.MaxSearchTerm}},
				cursorParam,
				{"limit", "Hits per page, 1–100 (default 20).", intSchema(1, 100)},
			},
			Status: 200, Response: "SearchResult"},
		{Method: "POST", Path: "/api/v1/enterprises", serve: s.register, Auth: true, Roles: reg, Tag: "register",
			Summary:     "Register an enterprise",
			Description: "Art. 6: a market regulator registers an enterprise in its jurisdiction. Publishes the first version of the enterprise's registration record.",
			Request:     "Registration", Status: 201, Response: "Registered", Errors: []int{409}},
		{Method: "GET", Path: "/api/v1/enterprises/{code}", serve: s.enterprisePage, Tag: "register",
			Summary:     "The enterprise page as data",
			Description: "The registration profile and every record grouped by section (registration, enterprise, department), each with every version, its `log_index` and `sha256`. Fields are shown as the caller may see them. A client that sends `Accept-Encoding: zstd` may get the answer with `Content-Encoding: zstd` (the stored page sent as it is). " + asOfNote,
			Query:       asOfParams, Status: 200, Response: "EnterprisePage"},
		{Method: "GET", Path: "/api/v1/enterprises/{code}/records", serve: s.enterpriseRecords, Tag: "register",
			Summary: "Every record of an enterprise with every version", Description: asOfNote,
			Query:  append(slices.Clone(asOfParams), Param{"kind", "Only records of these kinds (comma-separated; see GET /api/v1/kinds).", patSchema("^[a-z_]+(,[a-z_]+)*$", 400)}),
			Status: 200, Response: "RecordList"},
		{Method: "POST", Path: "/api/v1/enterprises/{code}/records", serve: s.publish, Auth: true, Roles: publishers, Tag: "register",
			Summary:     "Publish a record",
			Description: "Art. 6, 7, 10: a regulator, an authorised department or the enterprise publishes a record of a kind it may publish (see GET /api/v1/kinds). The version says whether it was published on time.",
			Request:     "Publication", Status: 201, Response: "Version"},
		{Method: "POST", Path: "/api/v1/enterprises/{code}/changes", serve: s.change, Auth: true, Roles: reg, Tag: "register",
			Summary:     "Record a registration change",
			Description: "A change (变更登记) is a new version of the enterprise's registration record. Fields given replace the old values; a field given as null is removed.",
			Request:     "Amendment", Status: 201, Response: "Version", Errors: []int{409}},
		{Method: "GET", Path: "/api/v1/records/{id}", serve: s.record, Tag: "register",
			Summary: "One record with every version",
			Status:  200, Response: "Record"},
		{Method: "POST", Path: "/api/v1/records/{id}/versions", serve: s.amend, Auth: true, Roles: publishers, Tag: "register",
			Summary: "Correct or amend a record",
			Description: "Art. 12: the publisher's side publishes a new version; the earlier versions stay published and the new one lists what changed. " +
				"Records with a flow of their own are refused (400, field `id`, with the route to use): enforcement decisions change only through objections and removal applications; annual reports are corrected by POST /api/v1/enterprises/{code}/annual-reports/{year}/corrections.",
			Request: "Amendment", Status: 201, Response: "Version", Errors: []int{409}},
		{Method: "GET", Path: "/api/v1/documents/{sha256}", serve: s.document, Tag: "log",
			Summary:     "A record version's canonical document",
			Description: "The exact bytes whose SHA-256 a log leaf names. Immutable. 410 when withdrawn from public view (its leaf stays).",
			Status:      200, Response: "Document", Errors: []int{304, 410}, Unlimited: true},
		{Method: "GET", Path: "/api/v1/kinds", serve: s.kinds, Tag: "register",
			Summary:     "The record kinds",
			Description: "Every record kind with its fields, their types, whether they are required and who may see them.",
			Status:      200, Response: "KindList"},
		{Method: "GET", Path: "/api/v1/me", serve: s.me, Auth: true, Tag: "accounts",
			Summary: "The authenticated account",
			Status:  200, Response: "Account"},
		{Method: "POST", Path: "/api/v1/login", serve: s.login, Tag: "accounts",
			Summary:     "Log in with a password",
			Description: "Exchanges an account's id and password for a new bearer token.",
			Request:     "LoginRequest", Status: 200, Response: "LoginResponse", Private: true},
		{Method: "GET", Path: "/api/openapi.json", serve: s.openAPI, Tag: "meta",
			Summary: "This document", Status: 200, Response: "OpenAPI", Quiet: true},
		{Method: "GET", Path: "/healthz", serve: s.health, Tag: "meta",
			Summary: "Liveness", Status: 200, Response: "Health", Quiet: true, Unlimited: true},
		{Method: "GET", Path: "/metrics", serve: s.serveMetrics, Tag: "meta",
			Summary: "Prometheus metrics", Status: 200, ContentType: "text/plain; version=0.0.4", Quiet: true, Unlimited: true},
		{Method: "GET", Path: "/log/checkpoint", serve: s.logRoute, Tag: "log",
			Summary:     "The latest signed checkpoint",
			Description: "A C2SP signed-note checkpoint (tlog-checkpoint) signed with Ed25519; 404 before the first.",
			Status:      200, ContentType: "text/plain; charset=utf-8", Errors: []int{404, 503}, Unlimited: true},
		{Method: "GET", Path: "/log/key", serve: s.logRoute, Tag: "log",
			Summary: "The checkpoint verifier key", Description: "A golang.org/x/mod/sumdb/note verifier key whose name is the checkpoint origin.",
			Status: 200, ContentType: "text/plain; charset=utf-8", Errors: []int{503}, Unlimited: true},
		{Method: "GET", Path: "/log/tile/{path...}", serve: s.logRoute, Tag: "log",
			Summary:     "Merkle tiles and entry bundles",
			Description: "C2SP tlog-tiles: `<L>/<N>[.p/<W>]` for hash tiles, `entries/<N>[.p/<W>]` for entry bundles (N in the tlog-tiles x-prefixed form).",
			Status:      200, ContentType: "application/octet-stream", Errors: []int{503}, Unlimited: true},
		{Method: "POST", Path: "/log/witness/add-checkpoint", serve: s.witnessRoute, Tag: "log",
			Summary:     "Cosign another log's checkpoint (C2SP tlog-witness)",
			Description: "The body is `old <size>`, the base64 lines of a consistency proof from that size, an empty line and a signed checkpoint of a log this node witnesses. The answer is this node's cosignature line (C2SP tlog-cosignature, cosignature/v1). 409 with a `text/x.tlog.size` body names the size last cosigned; 422: the proof does not verify, the checkpoint is not consistent with the one cosigned before.",
			RequestType: "text/plain",
			Status:      200, ContentType: "text/plain; charset=utf-8", Errors: []int{403, 404, 409, 422}, Unlimited: true},
	}
	return slices.Concat(routes, s.disclosureRoutes(), s.spotCheckRoutes(), s.checkItemRoutes(), s.enforcementRoutes(), s.listingRoutes(), s.feedRoutes(), s.snapshotRoutes(), s.deregistrationRoutes(), s.watchRoutes(), s.reportRoutes())
}

// witnessRoute hands add-checkpoint to the witness, whose answers (plain text, and the
// text/x.tlog.size of a 409) are the protocol's, not problems.
func (s *Server) witnessRoute(w http.ResponseWriter, r *http.Request) error {
	if s.Witness == nil {
		return gongshi.Errorf(gongshi.ENOTFOUND, "this server witnesses no log")
	}
	s.Witness.ServeHTTP(w, r)
	return nil
}

// logRoute hands /log/ requests to the transparency log's handler. The handler speaks
// plain text (package translog knows nothing of problems); an error it answers is turned
// into a problem like any other (logproblem.go).
func (s *Server) logRoute(w http.ResponseWriter, r *http.Request) error {
	if s.Log == nil {
		return gongshi.Errorf(gongshi.EUNAVAILABLE, "this server does not serve its log")
	}
	pw := &problemWriter{ResponseWriter: w}
	s.Log.ServeHTTP(pw, r)
	return pw.err()
}
