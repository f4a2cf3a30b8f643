package web

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	gshttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/ident"
	"github.com/gongshi/gongshi/translog"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is what the pages need.
type Config struct {
	Service *gongshi.Service
	// Log is the transparency log's storage, for inclusion proofs on the verify page.
	Log translog.Store
	// VerifierKey is the checkpoint verifier key; when set, checkpoints are verified before
	// proofs are shown against them.
	VerifierKey string
	Logger      *slog.Logger
	// SecureCookies marks cookies Secure even on plain HTTP requests: set it behind a
	// TLS-terminating proxy. Requests that arrive over TLS always get Secure cookies.
	SecureCookies bool
	// SimulatedClock says the service runs on a set clock (SPEC §12): every page says so.
	SimulatedClock bool
	// ClientIP returns the address to count a visitor's requests and login tries by; nil
	// means the host part of RemoteAddr (as the API's Options.ClientIP).
	ClientIP func(*http.Request) string
	// Limiter is the rate limiter the pages share with the API (gshttp.Server.Limiter):
	// a visitor is counted by its account when logged in, else by its address. nil: none.
	Limiter *gshttp.Limiter
	// RequestTimeout bounds the time a page may take (its context's deadline); 0 is none.
	RequestTimeout time.Duration
	// Snapshots is the folder of the bulk snapshots the open-data page lists.
	Snapshots string
	// PublicURL is the register's address (https://host) for the commands the open-data
	// page shows; "" means the scheme and host each request names.
	PublicURL string
}

// Handler serves the pages.
type Handler struct {
	cfg  Config
	svc  *gongshi.Service
	mux  *http.ServeMux
	tmpl *templates
}

// New returns the pages' handler.
func New(cfg Config) (*Handler, error) {
	t, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if _, ok := cfg.Service.Clock.(*gongshi.FixedClock); ok {
		cfg.SimulatedClock = true
	}
	h := &Handler{cfg: cfg, svc: cfg.Service, mux: http.NewServeMux(), tmpl: t}
	h.routes()
	return h, nil
}

// routes is the table of pages. Issue 5 (lists, credit checks) and issue 6 (draws, cases)
// add theirs here, each from a function in its own file.
func (h *Handler) routes() {
	static, _ := fs.Sub(staticFS, "static")
	h.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))

	// Public (SPEC §12).
	h.page("GET /{$}", h.home)
	h.page("GET /search", h.search, qSearch, qCursor, qPage)
	h.mux.HandleFunc("GET /suggest", h.limited(h.suggest))
	h.page("GET /e/{code}", h.enterprise, qApplied, qListed, qAsOf, qLogSize)
	h.page("GET /r/{id}", h.record, qPublished)
	h.page("GET /r/{id}/v/{n}/verify", h.verify)
	h.page("GET /lists/{list}", h.lists, qDivision, qAsOf, qGround, qSince, qCursor)
	h.page("GET /credit-check", h.creditForm)
	h.page("POST /credit-check", h.creditCheck)
	h.page("GET /draws", h.draws, qJuris)
	h.page("GET /data", h.openData)
	h.page("GET /draws/{number}", h.draw)
	h.page("GET /check-items", h.checkItems, qItemDivision, qItemState, qAuthority)
	h.page("GET /case", h.caseLookup, qCase, qCheck)
	h.page("GET /case/{number}", h.casePage, qCheck)
	h.page("POST /case/{number}", h.caseAction)

	// Sessions.
	h.page("GET /login", h.loginForm, qNext)
	h.page("POST /login", h.login)
	h.page("POST /logout", h.logout)

	// Enterprises (Art. 8–12) and every publisher.
	h.page("GET /my", h.myEnterprise)
	h.page("GET /e/{code}/publish/{kind}", h.publishForm)
	h.page("POST /e/{code}/publish/{kind}", h.publish)
	h.page("GET /my/annual/{year}", h.annualForm, qStep)
	h.page("POST /my/annual/{year}", h.annualSave)
	h.page("GET /my/consent", h.consents)
	h.page("POST /my/consent", h.grantConsent)
	h.page("POST /my/consent/{id}/revoke", h.revokeConsent)
	h.page("GET /r/{id}/amend", h.amendForm)
	h.page("POST /r/{id}/amend", h.amend)

	// Regulators (Art. 6, 13–18).
	h.page("GET /reg", h.workQueue)
	h.page("GET /reg/register", h.registerForm)
	h.page("POST /reg/register", h.register)
	h.page("GET /reg/progress", h.progress, qYear)
	h.page("GET /reg/enforcement/{id}", h.decideForm)
	h.page("POST /reg/enforcement/{id}", h.decide)
	h.page("GET /e/{code}/order", h.orderForm)
	h.page("POST /e/{code}/order", h.order)
	h.page("POST /e/{code}/lists/{entry}", h.listingCase)
	h.regulatorRoutes() // listing decisions, the draw desk, the public case form
}

// ServeHTTP serves a page, answering unknown paths with the not-found page.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	if _, pattern := h.mux.Handler(r); pattern == "" {
		if allow := gshttp.Allowed(h.mux, r); allow != nil {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			h.serve(w, r, func(p *page) error {
				return &requestError{status: http.StatusMethodNotAllowed, err: gongshi.Invalid("",
					fmt.Sprintf("the page %s does not take a %s request", r.URL.Path, r.Method), "open it from its link or form")}
			})
			return
		}
		h.serve(w, r, func(p *page) error {
			p.Missing = &missingPage{}
			if code := codeIn(r.URL.Path); code != "" {
				if ent, err := h.svc.Enterprise(r.Context(), p.Account, code); err == nil {
					p.Missing.Code, p.Missing.Name = ent.USCC.String(), ent.Name
				}
			}
			return gongshi.Errorf(gongshi.ENOTFOUND, "no page %s", r.URL.Path)
		})
		return
	}
	gshttp.LimitBody(MaxFormBytes, h.tooLarge, h.mux).ServeHTTP(w, r)
}

// missingPage is what the page for a path no page has offers: the search box, and the
// page of the registered enterprise whose code the path holds (a link of another
// register's, or an address typed from memory: /enterprise/91310000…).
type missingPage struct {
	Code, Name string // the enterprise's USCC and name; "" for none
}

// codeIn returns the first segment of path that is a valid USCC or registration number.
func codeIn(path string) string {
	for seg := range strings.SplitSeq(path, "/") {
		if c, err := ident.ParseCode(seg); err == nil {
			return c.String()
		}
	}
	return ""
}

// MaxFormBytes caps a form's body; a larger one is answered 413 (gshttp.LimitBody).
const MaxFormBytes = 1 << 20

var errTooLarge = &requestError{status: http.StatusRequestEntityTooLarge,
	err: &gongshi.Error{Code: gongshi.EINVALID, Message: fmt.Sprintf("the form is larger than %d bytes", MaxFormBytes), Fix: "send less data"}}

func (h *Handler) tooLarge(w http.ResponseWriter, r *http.Request) {
	h.serve(w, r, func(*page) error { return errTooLarge })
}

// page registers a page handler: it gets the request's page context (language, session,
// CSRF token) and returns an error to be shown as an error page. query declares the query
// parameters the page reads (params.go); a POST's form is checked before fn runs.
func (h *Handler) page(pattern string, fn func(*page) error, query ...gshttp.Param) {
	post := strings.HasPrefix(pattern, "POST ")
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		err := checkQuery(r, query)
		if err == nil && post {
			err = h.checkCSRF(w, r)
		}
		if err != nil {
			h.serve(w, r, func(*page) error { return err })
			return
		}
		h.serve(w, r, fn)
	})
}

// Mount returns a handler that sends the API's paths (/api/, /log/, /healthz, /metrics) to
// api and every other path to pages.
func Mount(api, pages http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/log/") || p == "/healthz" || p == "/metrics" {
			api.ServeHTTP(w, r)
			return
		}
		pages.ServeHTTP(w, r)
	})
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// now is the service's instant in China Standard Time.
func (h *Handler) now() time.Time { return h.svc.Clock.Now().In(calendar.CST()) }

// limit takes the visitor's request from the shared limiter (by account when logged in,
// else by address) and bounds the time the page may take; it returns ETOOMANY when the
// visitor must wait, and the request to go on with.
func (h *Handler) limit(w http.ResponseWriter, r *http.Request, acct *gongshi.Account) (*http.Request, func(), error) {
	id := ""
	if acct != nil {
		id = acct.ID
	}
	if wait := h.cfg.Limiter.Take(w.Header(), id, h.clientIP(r)); wait > 0 {
		secs := w.Header().Get("Retry-After")
		return r, func() {}, &gongshi.RetryError{After: wait, Err: &gongshi.Error{Code: gongshi.ETOOMANY,
			Message: "too many requests", Fix: "wait " + secs + " s before trying again"}}
	}
	if h.cfg.RequestTimeout <= 0 {
		return r, func() {}, nil
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.RequestTimeout)
	return r.WithContext(ctx), cancel, nil
}

// limited is limit for a handler outside the pages (the search box's suggestions).
func (h *Handler) limited(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r, done, err := h.limit(w, r, nil)
		defer done()
		if err != nil {
			gshttp.WriteProblem(w, err)
			return
		}
		next(w, r)
	}
}
