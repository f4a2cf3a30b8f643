package web

import (
	"fmt"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/catalogue"
	gshttp "github.com/gongshi/gongshi/http"
)

// Query parameters. Each page declares the ones it reads (Handler.page), as the API's
// routes do, and the API's one validator checks them (gshttp.CheckQuery): a parameter a
// page does not take, or one given twice, or a value that is not what it should be is a
// 400 on the error page, which names the parameter and the ones the page takes. Every page
// takes lang.

func param(name, desc string, schema map[string]any) gshttp.Param {
	return gshttp.Param{Name: name, Description: desc, Schema: schema}
}

func text(maxLength int) map[string]any {
	return map[string]any{"type": "string", "maxLength": maxLength}
}

func pattern(p string, maxLength int) map[string]any {
	return map[string]any{"type": "string", "pattern": p, "maxLength": maxLength}
}

func integer(min, max int) map[string]any {
	return map[string]any{"type": "integer", "minimum": min, "maximum": max}
}

// marker is a parameter a page redirects to after a submission, to say it succeeded.
func marker(name string) gshttp.Param {
	return param(name, "1 after a submission", map[string]any{"type": "string", "enum": []string{"1"}})
}

var (
	qLang      = param("lang", "zh or en: the language of the pages", pattern(`^(zh|en)(-[A-Za-z]{2,4})?$`, 8))
	qSearch    = param("q", fmt.Sprintf("what to look for, 2 to %d characters", gongshi.MaxSearchTerm), text(gongshi.MaxSearchTerm))
	qCursor    = param("cursor", `the "next" link of the previous page, as given`, pattern("^[A-Za-z0-9_-]+$", gongshi.MaxCursorLength))
	qPage      = param("page", "the page number the next link gives", integer(1, 1_000_000))
	qDivision  = param("division", "a division code or its prefix, e.g. 310115 or 31", pattern("^[0-9]{1,6}$", 6))
	qAsOf      = param("as_of", "a date, YYYY-MM-DD", map[string]any{"type": "string", "format": "date"})
	qGround    = param("ground", "a listing ground: 1 annual report not filed, 2 ordered disclosure not made, 3 false information, 4 unreachable", integer(1, 4))
	qSince     = param("since", "listed on or after this date, YYYY-MM-DD", map[string]any{"type": "string", "format": "date"})
	qLogSize   = param("log_size", "a size of the log: the page as its first entries say", integer(1, 1<<53-1))
	qJuris     = param("jurisdiction", "a 6-digit division code, e.g. 310115", pattern("^[0-9]{6}$", 6))
	qCase      = param("number", "a case number, e.g. J2026-310115-000123", text(40))
	qCheck     = param("check", "the check code given with the case number, e.g. 7KQ3-M9XD-4HTW", text(32))
	qNext      = param("next", "the page to go to after logging in", text(2048))
	qStep      = param("step", "the step of the form", integer(1, 20))
	qYear      = param("year", "a report year, e.g. 2025", integer(2000, 2999))
	qPublished = marker("published")
	qRecorded  = marker("recorded")
	qApplied   = marker("applied")
	qListed    = marker("listed")
	qKind      = param("kind", "report, inquiry or correction_request", text(40))
	qEnt       = param("enterprise", "an enterprise's code", text(18))
	qRecord    = param("record", "a record id", text(20))
)

// checkQuery checks a page's query against the parameters it declares and lang.
func checkQuery(r *http.Request, declared []gshttp.Param) error {
	err := gshttp.CheckQuery(r.URL.RawQuery, append(slices.Clip(declared), qLang))
	if e := gongshi.AsError(err); e != nil {
		return &requestError{err: e, status: http.StatusBadRequest, query: true}
	}
	return err
}

// checkForm refuses a form that is not in UTF-8 (415) and a field sent more than once
// (400), as the API refuses a JSON body in another charset or with a member twice. Only a
// group of checkboxes (multiValued) sends one name several times. r's form is parsed.
func checkForm(r *http.Request) error {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch cs, ok := params["charset"]; {
	case err != nil || (mt != "application/x-www-form-urlencoded" && mt != "multipart/form-data"):
		return &requestError{err: gongshi.Invalid("", fmt.Sprintf("the form is sent as %q", r.Header.Get("Content-Type")),
			"send it from the page, as application/x-www-form-urlencoded"), status: http.StatusUnsupportedMediaType}
	case ok && !strings.EqualFold(cs, "utf-8"):
		return &requestError{err: gongshi.Invalid("", fmt.Sprintf("the form is in charset %q; this site reads UTF-8 only", cs),
			"send it from the page, in UTF-8"), status: http.StatusUnsupportedMediaType}
	}
	for _, name := range slices.Sorted(maps.Keys(r.PostForm)) {
		if n := len(r.PostForm[name]); n > 1 && !multiValued[name] {
			return gongshi.Invalid(name, fmt.Sprintf("is sent %d times", n), "send each field of the form once")
		}
	}
	return nil
}

// multiValued are the form fields sent once per checked box.
var multiValued = map[string]bool{"items": true}

// requestError is an error in how a request came, rather than in what it asks: a query
// parameter, a form's encoding. It is answered with its own status.
type requestError struct {
	err    *gongshi.Error
	status int
	query  bool   // a query parameter's error: the page names the parameter in its language
	key    string // the catalogue's message for the error, if it has one (its fix is key+".fix")
}

func (e *requestError) Error() string { return e.err.Error() }
func (e *requestError) Unwrap() error { return e.err }

// shown is the error as the error page shows it: a query parameter's names the parameter
// in the page's language, with the validator's detail and fix after it.
func (e *requestError) shown(p *page) *gongshi.Error {
	if e.key != "" {
		return &gongshi.Error{Code: e.err.Code, Field: e.err.Field, Message: p.T(e.key), Fix: p.T(e.key + ".fix")}
	}
	local := p.localError(e.err)
	if !e.query {
		return local
	}
	name := e.err.Field
	if name == "" {
		name = "?"
	}
	if l, ok := catalogue.Entry("query.param." + name); ok { // as_of reads 截止日期
		name = l[p.lang()]
	}
	return &gongshi.Error{Code: gongshi.EINVALID, Field: e.err.Field,
		Message: fmt.Sprintf(p.T("query.invalid"), name), Fix: local.Message + " — " + local.Fix}
}
