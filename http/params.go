package http

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// Param declares a path or query parameter: its name, what it is, and its JSON Schema.
// The route table declares each route's query parameters (route.Query) and pathParams the
// path parameters; the OpenAPI document lists them from these declarations, and
// checkParams validates every request against the same declarations before the handler
// runs, so the document and the behaviour cannot drift. The schema keywords checked are
// type (string, integer, boolean), minimum and maximum, minLength and maxLength (in
// characters; a string without maxLength has DefaultMaxParam), pattern, enum and format
// date.
type Param struct {
	Name, Description string
	Schema            map[string]any
}

// DefaultMaxParam is the longest value, in characters, of a parameter whose schema sets
// no maxLength: parameters are short, and a long one only costs.
const DefaultMaxParam = 200

// checkParams checks r's path parameters against pathParams and its query against the
// route's declared query parameters.
func checkParams(rt *route, r *http.Request) error {
	for _, p := range rt.pathParams {
		if err := checkValue(p, r.PathValue(p.Name)); err != nil {
			return err
		}
	}
	return CheckQuery(r.URL.RawQuery, rt.Query)
}

// pathParamsOf returns the declarations of the path parameters of a route's path, in
// order: the server resolves them once (build), not with a regexp at every request.
func pathParamsOf(path string) []Param {
	var ps []Param
	for _, m := range wildcardRE.FindAllStringSubmatch(path, -1) {
		p := pathParams[m[1]]
		p.Name = m[1]
		ps = append(ps, p)
	}
	return ps
}

// CheckQuery checks a query string against the parameters declared for it: it is well
// formed, names only declared parameters (an unknown one is an error naming the declared
// ones), each at most once, and every non-empty value passes its schema (an empty value
// counts as absent). Errors are EINVALID naming the parameter. The web pages check their
// queries with it too.
func CheckQuery(raw string, declared []Param) error {
	if raw == "" {
		return nil
	}
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return gongshi.Invalid("", "the query string is malformed: "+strings.TrimPrefix(err.Error(), "invalid URL escape "),
			"separate parameters with &, and write reserved characters as %XX")
	}
	for _, name := range slices.Sorted(maps.Keys(vals)) {
		p, ok := findParam(declared, name)
		if !ok {
			return unknownParam(name, declared)
		}
		if n := len(vals[name]); n > 1 {
			if strings.Contains(p.Description, "comma-separated") { // kind=a&kind=b, as many APIs take lists
				return gongshi.Invalid(name, fmt.Sprintf("is given %d times", n),
					fmt.Sprintf("give %s once, with its values comma-separated: %s=%s", name, name, strings.Join(vals[name], ",")))
			}
			return gongshi.Invalid(name, fmt.Sprintf("is given %d times", n), "give each parameter once")
		}
		if v := vals[name][0]; v != "" {
			if err := checkValue(p, v); err != nil {
				return err
			}
		}
	}
	return nil
}

func findParam(ps []Param, name string) (Param, bool) {
	for _, p := range ps {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

func unknownParam(name string, declared []Param) error {
	field := name
	if _, err := gongshi.CleanText("", name, gongshi.TextLine); err != nil || utf8.RuneCountInString(name) > 64 {
		field = ""
	}
	msg := fmt.Sprintf("%s is not a parameter here", strconv.QuoteToGraphic(clip(name, 64)))
	if len(declared) == 0 {
		return gongshi.Invalid(field, msg, "no query parameters are taken here; leave the query out")
	}
	names := make([]string, len(declared))
	for i, p := range declared {
		names[i] = p.Name
	}
	return gongshi.Invalid(field, msg, "the parameters taken here are "+strings.Join(names, ", "))
}

// checkValue checks one non-empty value against its parameter's schema.
func checkValue(p Param, v string) error {
	s := p.Schema
	n := utf8.RuneCountInString(v)
	if max := intKey(s, "maxLength", DefaultMaxParam); n > max {
		return gongshi.Invalid(p.Name, fmt.Sprintf("is %d characters long; at most %d", n, max), p.Description)
	}
	if min := intKey(s, "minLength", 0); n < min {
		return gongshi.Invalid(p.Name, fmt.Sprintf("is %d characters long; at least %d", n, min), p.Description)
	}
	if _, err := gongshi.CleanText(p.Name, v, gongshi.TextLine); err != nil {
		return err
	}
	bad := func(what string) error {
		return gongshi.Invalid(p.Name, fmt.Sprintf("%s is not %s", strconv.Quote(v), what), p.Description)
	}
	switch s["type"] {
	case "integer":
		lo, hi := intKey(s, "minimum", 0), intKey(s, "maximum", 1<<31)
		if i, err := strconv.Atoi(v); err != nil || i < lo || i > hi || strings.HasPrefix(v, "+") {
			return bad(fmt.Sprintf("a whole number from %d to %d", lo, hi))
		}
	case "boolean":
		if v != "true" && v != "false" {
			return bad("true or false")
		}
	}
	if s["format"] == "date" {
		if _, err := calendar.ParseDate(v); err != nil {
			return bad("a date (YYYY-MM-DD)")
		}
	}
	if e, ok := s["enum"].([]string); ok && !slices.Contains(e, v) {
		return bad("one of " + strings.Join(e, ", "))
	}
	if pat, ok := s["pattern"].(string); ok && !compiled(pat).MatchString(v) {
		return bad("a valid " + p.Name)
	}
	return nil
}

func intKey(s map[string]any, key string, def int) int {
	if n, ok := s[key].(int); ok {
		return n
	}
	return def
}

// patterns caches the compiled patterns of the parameters' schemas.
var patterns sync.Map // string → *regexp.Regexp

func compiled(pat string) *regexp.Regexp {
	if re, ok := patterns.Load(pat); ok {
		return re.(*regexp.Regexp)
	}
	re := regexp.MustCompile(pat) // the patterns are the route table's own
	patterns.Store(pat, re)
	return re
}

// clip shortens s to at most n characters, for a message.
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

// patSchema is a string parameter's schema: a pattern and a maximum length.
func patSchema(pattern string, maxLength int) schema {
	return schema{"type": "string", "pattern": pattern, "maxLength": maxLength}
}
