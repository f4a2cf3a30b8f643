package http_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gongshi/gongshi/demo"
	ghttp "github.com/gongshi/gongshi/http"
)

// TestLaterKindsDescribed: every record kind of the rules after 2014 (issue 16) is listed by
// GET /api/v1/kinds, with its label and article, and has its fields' schema in the OpenAPI
// document.
func TestLaterKindsDescribed(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	var list struct {
		Kinds []struct{ Name, Label, Article string }
	}
	if err := json.Unmarshal(e.call("GET", "/api/v1/kinds", "", nil).expect(t, 200).body, &list); err != nil {
		t.Fatal(err)
	}
	byName := map[string]bool{}
	for _, k := range list.Kinds {
		byName[k.Name] = k.Label != "" && k.Article != ""
	}
	doc := string(e.call("GET", "/api/openapi.json", "", nil).expect(t, 200).body)
	for _, k := range demo.LaterKinds() {
		if !byName[k] {
			t.Errorf("%s: not in /api/v1/kinds with a label and an article", k)
		}
		if !strings.Contains(doc, `"Fields.`+k+`"`) {
			t.Errorf("%s: no Fields.%s schema in the OpenAPI document", k, k)
		}
	}
}
