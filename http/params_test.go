package http_test

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
)

// pathValues are values of the right form for every path parameter.
var pathValues = map[string]string{"code": "91310115MA1K4LX60U", "id": "1", "sha256": strings.Repeat("0", 64), "path": "0/000",
	"year": "2025", "consent": "c_000000000000000000", "draw": "D2026-310115-0001", "number": "J2026-310115-000001", "account": "sh-officer",
	"name": "20261202T140500Z-1", "file": "versions.jsonl.gz", "watch": "w" + strings.Repeat("0", 32), "item": "1"}

var wildcardRE = regexp.MustCompile(`\{([a-z0-9_]+)(\.\.\.)?\}`)

// fillPath fills a route pattern's wildcards with pathValues, or with bad (escaped) for
// the parameter named badName.
func fillPath(pattern, badName, bad string) string {
	return wildcardRE.ReplaceAllStringFunc(pattern, func(w string) string {
		name := wildcardRE.FindStringSubmatch(w)[1]
		if name == badName {
			return url.PathEscape(bad)
		}
		return pathValues[name]
	})
}

func writeAndReadRoutes(e *env) []ghttp.RouteInfo {
	return ghttp.NewServer(e.svc, nil, nil, ghttp.Options{}).Routes()
}

// TestUnknownParameters: every route, asked with a query parameter it does not declare,
// answers 400 naming it and the parameters it takes, before doing anything else.
func TestUnknownParameters(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	admin := e.account(gongshi.NewAccount{ID: "params-admin", Role: gongshi.RoleAdmin})
	for _, rt := range writeAndReadRoutes(e) {
		p := e.call(rt.Method, fillPath(rt.Pattern, "", "")+"?colour=red", admin.Token, "{}").problem(t, 400, "colour")
		if !strings.Contains(p.Fix, "the parameters taken here are") && !strings.Contains(p.Fix, "no query parameters") {
			t.Errorf("%s %s: fix %q does not name the parameters taken", rt.Method, rt.Pattern, p.Fix)
		}
	}
}

// TestDeclaredParameters: for every query and path parameter /api/openapi.json declares, a
// value its schema refuses is refused by the server with 400 naming the parameter — the
// document and the behaviour are one declaration.
func TestDeclaredParameters(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	admin := e.account(gongshi.NewAccount{ID: "params-admin", Role: gongshi.RoleAdmin})
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name, In string
				Schema   map[string]any
			}
		}
	}
	if err := json.Unmarshal(e.call("GET", "/api/openapi.json", "", nil).body, &doc); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, rt := range writeAndReadRoutes(e) {
		op := doc.Paths[strings.ReplaceAll(rt.Pattern, "...}", "}")][strings.ToLower(rt.Method)]
		for _, p := range op.Parameters {
			bad, ok := refusedBy(p.Schema)
			if !ok {
				continue
			}
			target := fillPath(rt.Pattern, "", "") + "?" + url.Values{p.Name: {bad}}.Encode()
			if p.In == "path" {
				target = fillPath(rt.Pattern, p.Name, bad)
			}
			t.Run(rt.Method+" "+rt.Pattern+" "+p.Name, func(t *testing.T) {
				e.call(rt.Method, target, admin.Token, "{}").problem(t, 400, p.Name)
			})
			checked++
		}
	}
	if checked < 20 {
		t.Errorf("checked %d parameters, want every declared one (more than 20)", checked)
	}
}

// refusedBy returns a value the schema refuses, if it says enough to tell one.
func refusedBy(s map[string]any) (string, bool) {
	switch {
	case s["type"] == "integer":
		return "1.5", true
	case s["type"] == "boolean":
		return "maybe", true
	case s["format"] == "date":
		return "2026-02-30", true
	case s["pattern"] != nil:
		return "é!", true
	case s["minLength"] != nil:
		return "a", true
	case s["maxLength"] != nil:
		return strings.Repeat("a", int(s["maxLength"].(float64))+1), true
	}
	return "", false
}

// TestCursors: next is printable and continues the search it came from; an altered
// cursor, or one of another search, is 400.
func TestCursors(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	ctx := context.Background()
	for i, name := range []string{"上海游标甲科技有限公司", "上海游标乙科技有限公司", "上海游标丙科技有限公司"} {
		in := registration(uscc(t, "310115", uint64(100+i)))
		in.Fields["name"] = name
		if _, err := e.pudong.Register(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	first, err := e.public.Search(ctx, "游标", "", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Hits) != 2 || !regexp.MustCompile(`^[A-Za-z0-9_-]+$`).MatchString(first.Next) {
		t.Fatalf("first page: got %d hits, next %q; want 2 hits and a base64url cursor", len(first.Hits), first.Next)
	}
	second, err := e.public.Search(ctx, "游标", first.Next, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Hits) != 1 || second.Next != "" || second.Hits[0].USCC == first.Hits[0].USCC || second.Hits[0].USCC == first.Hits[1].USCC {
		t.Fatalf("second page: got %+v, next %q; want the third enterprise and no next", second.Hits, second.Next)
	}
	altered := []byte(first.Next)
	if i := len(altered) / 2; altered[i] == 'A' { // another base64url character, so the URL stays valid
		altered[i] = 'B'
	} else {
		altered[i] = 'A'
	}
	for name, q := range map[string]string{
		"altered":        "q=游标&cursor=" + string(altered),
		"another search": "q=科技&cursor=" + first.Next,
	} {
		t.Run(name, func(t *testing.T) {
			e.call("GET", "/api/v1/enterprises?"+strings.ReplaceAll(q, "游标", url.QueryEscape("游标")), "", nil).problem(t, 400, "cursor")
		})
	}
}

// TestRepeatedParameters: a parameter given twice is refused naming it; one that takes a
// list says how to give it (as many APIs take lists: kind=a&kind=b), and that works.
func TestRepeatedParameters(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	p := e.call("GET", "/api/v1/changes?kind=penalty&kind=licence", "", nil).problem(t, 400, "kind")
	if !strings.Contains(p.Fix, "kind=penalty,licence") {
		t.Errorf("fix %q does not say kind=penalty,licence", p.Fix)
	}
	if r := e.call("GET", "/api/v1/changes?kind=penalty,licence", "", nil); r.status != 200 {
		t.Errorf("GET /api/v1/changes?kind=penalty,licence: %d %s", r.status, r.body)
	}
	if p := e.call("GET", "/api/v1/changes?after=1&after=2", "", nil).problem(t, 400, "after"); p.Fix != "give each parameter once" {
		t.Errorf("after given twice: fix %q", p.Fix)
	}
}
