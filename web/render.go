package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	gshttp "github.com/gongshi/gongshi/http"
)

// page is one request's rendering context: language, session, title, and the data of the
// template it renders. Templates reach it as $.
type page struct {
	h *Handler
	w http.ResponseWriter
	r *http.Request

	Lang    string           // "zh-CN" or "en"
	Account *gongshi.Account // nil for the public
	Title   string
	Query   string // the search box's text
	Data    any
	Err     *gongshi.Error // for the error page
	Missing *missingPage   // for the error page of a path no page has

	token  string // the session's bearer token: never rendered
	pre    string // a pre-session secret created during this request
	name   string // template to render
	status int
	done   bool // a redirect was written
	// private pages carry personal data or a secret (a case, its check code): like every
	// page for a logged-in visitor, they are sent with Cache-Control: no-store.
	private bool
}

// serve runs a page handler and writes what it produced.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, fn func(*page) error) {
	p := &page{h: h, w: w, r: r, Lang: language(w, r, h)}
	p.Account, p.token = h.session(w, r)
	r, done, err := h.limit(w, r, p.Account)
	defer done()
	p.r = r
	if err == nil {
		err = fn(p)
	}
	if err != nil {
		p.fail(err)
	}
	if p.done {
		return
	}
	var buf bytes.Buffer
	if err := h.tmpl.execute(&buf, p.name, p); err != nil {
		h.cfg.Logger.Error("render page", "page", p.name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if p.Account != nil || p.private {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	w.Header().Set("Content-Language", p.Lang)
	if p.status != 0 {
		w.WriteHeader(p.status)
	}
	w.Write(buf.Bytes())
}

// fail turns an error into the error page, or a redirect to the login page for a visitor
// who must log in first.
func (p *page) fail(err error) {
	e := p.localError(err)
	if e == nil {
		p.h.cfg.Logger.Error("page failed", "path", p.r.URL.Path, "err", err)
		e = &gongshi.Error{Code: gongshi.EINTERNAL, Message: p.T("error.internal")}
	}
	if e.Code == gongshi.EUNAUTHORIZED && p.Account == nil && p.r.Method == http.MethodGet {
		p.redirect("/login?next=" + url.QueryEscape(p.r.URL.RequestURI()))
		return
	}
	p.done = false
	p.Err, p.name, p.Title = e, "error", p.T("error.title")
	p.status = gshttp.StatusOf(e.Code)
	var re *requestError
	if errors.As(err, &re) {
		p.Err, p.status = re.shown(p), re.status
	}
}

// render chooses the template and its data.
func (p *page) render(name string, data any) error {
	p.name, p.Data = name, data
	return nil
}

// redirect answers 303 See Other to a local path.
func (p *page) redirect(to string) error {
	http.Redirect(p.w, p.r, to, http.StatusSeeOther)
	p.done = true
	return nil
}

// requireRole returns EUNAUTHORIZED for the public and EFORBIDDEN for other roles.
func (p *page) requireRole(roles ...gongshi.Role) error {
	if p.Account == nil {
		return gongshi.Errorf(gongshi.EUNAUTHORIZED, "log in first")
	}
	for _, r := range roles {
		if p.Account.Role == r {
			return nil
		}
	}
	return gongshi.Errorf(gongshi.EFORBIDDEN, "this page is for %s accounts", roles[0])
}

// SimulatedNow is the service's date and time when it runs on a set clock, else "".
func (p *page) SimulatedNow() string {
	if !p.h.cfg.SimulatedClock {
		return ""
	}
	return p.h.now().Format("2006-01-02 15:04")
}

// Today is the legal date today.
func (p *page) Today() string { return calendar.DateOf(p.h.now()).String() }

// LangURL is the current page in the other language.
func (p *page) LangURL() string {
	q := p.r.URL.Query()
	if p.Lang == "en" {
		q.Set("lang", "zh")
	} else {
		q.Set("lang", "en")
	}
	return p.r.URL.Path + "?" + q.Encode()
}

// Path is the request's path with its query, for "next" after logging in.
func (p *page) Path() string { return p.r.URL.RequestURI() }

// Is reports whether the visitor is logged in with the given role.
func (p *page) Is(role string) bool { return p.Account != nil && string(p.Account.Role) == role }

// formArgs is what the "form" template renders: the page (for T and the CSRF token) and the form.
type formArgs struct {
	P *page
	F *formView
}

// templates are the parsed page templates, each a clone of the layout.
type templates struct{ pages map[string]*template.Template }

func parseTemplates() (*templates, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, n := range names {
		b := path.Base(n)
		if b == "layout.html" || strings.HasPrefix(b, "_") {
			continue
		}
		c, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, err
		}
		t.pages[strings.TrimSuffix(b, ".html")] = c
	}
	return t, nil
}

func (t *templates) execute(buf *bytes.Buffer, name string, p *page) error {
	tp := t.pages[name]
	if tp == nil {
		return errors.New("no template " + name)
	}
	return tp.ExecuteTemplate(buf, "layout.html", p)
}

var funcs = template.FuncMap{
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(calendar.CST()).Format("2006-01-02 15:04:05")
	},
	"value":    displayValue,
	"add":      func(a, b int) int { return a + b },
	"firstOf":  func(page int) int { return (page-1)*20 + 1 },
	"formArgs": func(p *page, f formView) formArgs { f.localize(p); return formArgs{P: p, F: &f} },
	"tableArgs": func(p *page, t table) any {
		return struct {
			P *page
			T table
		}{p, t}
	},
	"groupArgs": func(p *page, g kindGroup) any {
		return struct {
			P *page
			G kindGroup
		}{p, g}
	},
	"bytes":   byteSize,
	"grouped": grouped,
	"short": func(s string) string {
		if len(s) > 16 {
			return s[:16] + "…"
		}
		return s
	},
}

// displayValue shows a field value as text: hidden values as the hash that stands for them.
func displayValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		return x
	case bool:
		if x {
			return "✓"
		}
		return "✗"
	case map[string]any:
		if h, ok := x["salted_sha256"].(string); ok {
			return "（不公示 · hidden " + h[:12] + "…）"
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, k+": "+displayValue(x[k]))
		}
		return strings.Join(parts, "; ")
	case []any:
		var parts []string
		for _, it := range x {
			parts = append(parts, displayValue(it))
		}
		return strings.Join(parts, " | ")
	}
	return fmt.Sprint(v)
}

// Published is whether the page follows a successful submission.
func (p *page) Published() bool { return p.r.URL.Query().Get("published") == "1" }
