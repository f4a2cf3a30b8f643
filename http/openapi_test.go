package http_test

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
)

type openAPIDoc struct {
	OpenAPI    string                                 `json:"openapi"`
	Paths      map[string]map[string]openAPIOperation `json:"paths"`
	Components map[string]map[string]any              `json:"components"`
}

type openAPIOperation struct {
	Parameters []struct {
		Name string `json:"name"`
		In   string `json:"in"`
	} `json:"parameters"`
	RequestBody any              `json:"requestBody"`
	Responses   map[string]any   `json:"responses"`
	Security    []map[string]any `json:"security"`
}

// TestOpenAPIMatchesRoutes: the document and the route table describe the same routes,
// with the same path parameters; every reference resolves; and the server, probed on
// every operation, answers only statuses the document lists for it.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	r := e.call("GET", "/api/openapi.json", "", nil)
	if r.status != 200 {
		t.Fatalf("GET /api/openapi.json: %d", r.status)
	}
	var doc openAPIDoc
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi: got %q, want 3.1.0", doc.OpenAPI)
	}
	routes := ghttp.NewServer(e.svc, nil, nil, ghttp.Options{}).Routes()
	inTable := map[string]ghttp.RouteInfo{}
	wild := regexp.MustCompile(`\{([a-z0-9_]+)(\.\.\.)?\}`)
	for _, rt := range routes {
		p := strings.ReplaceAll(rt.Pattern, "...}", "}")
		inTable[rt.Method+" "+p] = rt
		op, ok := doc.Paths[p][strings.ToLower(rt.Method)]
		if !ok {
			t.Errorf("route %s %s is not in openapi.json", rt.Method, rt.Pattern)
			continue
		}
		var want, got []string
		for _, m := range wild.FindAllStringSubmatch(rt.Pattern, -1) {
			want = append(want, m[1])
		}
		for _, prm := range op.Parameters {
			if prm.In == "path" {
				got = append(got, prm.Name)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s %s: path parameters %v, want %v", rt.Method, p, got, want)
		}
		if rt.Auth && (len(op.Security) != 1 || op.Responses["401"] == nil) {
			t.Errorf("%s %s needs a token but the document does not say so", rt.Method, p)
		}
		if (rt.Method == "POST") != (op.RequestBody != nil) && rt.Pattern != "/api/v1/login" {
			t.Errorf("%s %s: request body documented: %v", rt.Method, p, op.RequestBody != nil)
		}
	}
	for p, item := range doc.Paths {
		for m := range item {
			if _, ok := inTable[strings.ToUpper(m)+" "+p]; !ok {
				t.Errorf("openapi.json has %s %s, which is not in the route table", strings.ToUpper(m), p)
			}
		}
	}

	// Every $ref resolves.
	for _, ref := range regexp.MustCompile(`"\$ref":\s*"#/components/([a-zA-Z]+)/([^"]+)"`).FindAllStringSubmatch(string(r.body), -1) {
		if doc.Components[ref[1]][ref[2]] == nil {
			t.Errorf("unresolved $ref #/components/%s/%s", ref[1], ref[2])
		}
	}

	// Probe every operation anonymously with placeholder parameters: the status must be
	// one the document lists, and never the mux's own 404/405.
	for p, item := range doc.Paths {
		for m, op := range item {
			path := wild.ReplaceAllString(p, "x")
			var body any
			if op.RequestBody != nil {
				body = "{}"
			}
			res := e.call(strings.ToUpper(m), path, "", body)
			if op.Responses[strconv.Itoa(res.status)] == nil {
				t.Errorf("%s %s answered %d, which the document does not list (%v): %.200s", strings.ToUpper(m), path, res.status, keys(op.Responses), res.body)
			}
			if (res.status == 404 || res.status == 405) && strings.Contains(string(res.body), "no_route") {
				t.Errorf("%s %s is documented but not routed", strings.ToUpper(m), path)
			}
		}
	}
}

// TestOpenAPISchemasMatchResponses: every member the server actually sends in an
// enterprise page is a property of the schema the document gives for it, so that a field
// added to a domain type cannot go undocumented.
func TestOpenAPISchemasMatchResponses(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	code := uscc(t, "310115", 7)
	if _, err := e.pudong.Register(context.Background(), registration(code)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pudong.Change(context.Background(), code, gongshi.Amendment{Reason: "迁址", Fields: map[string]any{"address": "上海市浦东新区世纪大道1号"}}); err != nil {
		t.Fatal(err)
	}
	var doc openAPIDoc
	json.Unmarshal(e.call("GET", "/api/openapi.json", "", nil).body, &doc)
	var page map[string]any
	json.Unmarshal(e.call("GET", "/api/v1/enterprises/"+code, e.pudong.Token, nil).body, &page)
	ent := page["enterprise"].(map[string]any)
	rec := page["sections"].(map[string]any)["registration"].([]any)[0].(map[string]any)
	ver := rec["versions"].([]any)[1].(map[string]any)
	objs := map[string]map[string]any{"Enterprise": ent, "Record": rec, "Version": ver, "Authority": ver["publisher"].(map[string]any)}
	if cs, ok := ver["changes"].([]any); ok && len(cs) > 0 {
		objs["Change"] = cs[0].(map[string]any)
	}
	for name, obj := range objs {
		props, _ := doc.Components["schemas"][name].(map[string]any)["properties"].(map[string]any)
		for k := range obj {
			if props[k] == nil {
				t.Errorf("schema %s lacks property %q, which the server sends", name, k)
			}
		}
	}
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
