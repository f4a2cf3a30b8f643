package http_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/gongshi/gongshi"
)

// TestDrawStrataOverHTTP: a plan's stratum by industry and size is checked value by value,
// each error naming its input; a valid one selects by the registrations and is published.
func TestDrawStrataOverHTTP(t *testing.T) {
	e, codes := spotCheckEnv(t, 3)
	tok := e.pudong.Token
	ctx := context.Background()
	// The first is in manufacturing (C); the others name no industry. All have 1000万元: medium.
	reg, err := e.public.Enterprise(ctx, codes[0])
	if err != nil {
		t.Fatal(err)
	}
	e.call("POST", "/api/v1/records/"+reg.Enterprise.Registration+"/versions", tok, map[string]any{"fields": map[string]any{"industry": "C"}}).expect(t, 201)

	plan := func(st map[string]any) *response {
		return e.call("POST", "/api/v1/draws", tok, map[string]any{"title": "按行业和规模定向抽查", "jurisdiction": "310115", "sample_size": 1, "stratum": st})
	}
	plan(map[string]any{"industries": []string{"C", "manufacturing"}}).problem(t, 400, "stratum.industries[1]")
	plan(map[string]any{"sizes": []string{"SME"}}).problem(t, 400, "stratum.sizes[0]")
	plan(map[string]any{"industries": "C"}).problem(t, 400, "stratum.industries")
	plan(map[string]any{"industries": []string{"A"}}).problem(t, 400, "stratum") // no enterprise
	plan(map[string]any{"sizes": []string{gongshi.SizeLarge}}).problem(t, 400, "stratum")

	var d gongshi.Draw
	json.Unmarshal(plan(map[string]any{"industries": []string{"C"}, "sizes": []string{gongshi.SizeMedium}}).expect(t, 201).body, &d)
	if d.PopulationCount != 1 || d.Stratum == nil || len(d.Stratum.Industries) != 1 || d.Stratum.Sizes[0] != gongshi.SizeMedium {
		t.Errorf("plan: %+v", d)
	}
	json.Unmarshal(plan(map[string]any{"sizes": []string{gongshi.SizeMedium}}).expect(t, 201).body, &d)
	if d.PopulationCount != 3 {
		t.Errorf("medium: a population of %d, want 3", d.PopulationCount)
	}
}
