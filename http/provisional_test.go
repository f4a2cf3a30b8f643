package http_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
)

// TestProvisionalDates: on 20 December 2027, with the built-in calendar (up to 2027), a
// penalty's publication deadline falls in 2028: the API marks it provisional, as the
// OpenAPI document describes, and /metrics warns that 2028's schedule is missing.
func TestProvisionalDates(t *testing.T) {
	e := newEnvAt(t, ghttp.Options{}, time.Date(2027, 12, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	ctx := context.Background()
	code := uscc(t, "310115", 9)
	if _, err := e.pudong.Register(ctx, registration(code)); err != nil {
		t.Fatal(err)
	}
	v, err := e.pudong.Publish(ctx, code, gongshi.Publication{Kind: "penalty", Arose: "2027-12-20", Fields: map[string]any{
		"decision_no": "浦市监罚〔2027〕7号", "violation": "虚假宣传", "content": "罚款", "fine": "5000",
		"authority": "上海市浦东新区市场监督管理局", "decided": "2027-12-20"}})
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(e.call("GET", "/api/v1/records/"+v.Record, "", nil).body, &rec); err != nil {
		t.Fatal(err)
	}
	ver := rec["versions"].([]any)[0].(map[string]any)
	prov, _ := ver["provisional"].(map[string]any)
	if ver["due"] != "2028-01-17" || prov["year"] != float64(2028) || len(prov["dates"].([]any)) != 1 || prov["dates"].([]any)[0] != "due" {
		t.Errorf("version: due %v provisional %v, want the nominal 2028-01-17 marked provisional awaiting 2028", ver["due"], ver["provisional"])
	}
	var doc openAPIDoc
	json.Unmarshal(e.call("GET", "/api/openapi.json", "", nil).body, &doc)
	schemas := doc.Components["schemas"]
	for name, obj := range map[string]map[string]any{"Version": ver, "ProvisionalDates": prov} {
		props, _ := schemas[name].(map[string]any)["properties"].(map[string]any)
		for k := range obj {
			if props[k] == nil {
				t.Errorf("schema %s lacks property %q, which the server sends", name, k)
			}
		}
	}
	m := string(e.call("GET", "/metrics", "", nil).body)
	for _, want := range []string{"gongshi_calendar_last_year 2027", `gongshi_calendar_schedule_missing{year="2028"} 1`, `gongshi_provisional_subjects{year="2028"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s:\n%s", want, m)
		}
	}
}
