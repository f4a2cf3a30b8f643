package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/draw"
)

// testDrawStrata: a stratum by industry (GB/T 4754-2017 section) and by size (band of
// registered capital) selects exactly the enterprises whose latest registration matches,
// and the draw's document publishes the stratum as it was asked for.
func testDrawStrata(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	world := SpotCheckWorld(t, f, 1, 2) // the roster, and three medium enterprises of no industry
	type ent struct {
		industry, capital, currency string
	}
	ents := []ent{
		{"I", "50", "CNY"},     // micro
		{"I", "500", "CNY"},    // small
		{"C", "5000", "CNY"},   // medium
		{"C", "10000", "CNY"},  // large: the bound belongs to the band above
		{"", "100", "USD"},     // unstated: not in yuan
		{"F", "99.999999", ""}, // micro: no currency is yuan
		{"F", "", ""},          // unstated: no capital
		{"I", "999.5", "CNY"},  // small, until amended below
	}
	codes := make([]string, len(ents))
	regs := make([]string, len(ents))
	for i, e := range ents {
		codes[i] = USCC(300 + i)
		reg := Registration(codes[i], fmt.Sprintf("上海分层测试%02d有限公司", i), "李四")
		delete(reg.Fields, "registered_capital")
		delete(reg.Fields, "currency")
		if e.industry != "" {
			reg.Fields["industry"] = e.industry
		}
		if e.capital != "" {
			reg.Fields["registered_capital"] = json.Number(e.capital)
		}
		if e.currency != "" {
			reg.Fields["currency"] = e.currency
		}
		got, _, err := f.Svc.Register(ctx, f.Reg, reg)
		if err != nil {
			t.Fatalf("register %d: %v", i, err)
		}
		regs[i] = got.Registration
	}
	// A change of registration moves the last from I/small to M/medium.
	if _, err := f.Svc.Amend(ctx, f.Reg, regs[7], gongshi.Amendment{Fields: map[string]any{"industry": "M", "registered_capital": json.Number("1000")}}); err != nil {
		t.Fatal(err)
	}
	population := func(st *gongshi.Stratum) []string {
		t.Helper()
		d, err := f.Svc.PlanDraw(ctx, f.Reg, gongshi.DrawPlan{Title: "按行业和规模定向抽查", SampleSize: 1, Stratum: st})
		if gongshi.ErrorCode(err) == gongshi.EINVALID && gongshi.AsError(err).Field == "stratum" {
			return nil // an empty population
		}
		if err != nil {
			t.Fatal(err)
		}
		text, err := f.Svc.DrawText(ctx, d.Number, "population")
		if err != nil {
			t.Fatal(err)
		}
		got, err := draw.ParsePopulation(text)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	want := func(idx ...int) []string {
		out := []string{}
		for _, i := range idx {
			out = append(out, codes[i])
		}
		slices.Sort(out)
		return out
	}
	for _, c := range []struct {
		st   gongshi.Stratum
		want []string
	}{
		{gongshi.Stratum{Industries: []string{"I"}}, want(0, 1)},
		{gongshi.Stratum{Industries: []string{"C", "F"}}, want(2, 3, 5, 6)},
		{gongshi.Stratum{Industries: []string{"M"}}, want(7)},
		{gongshi.Stratum{Industries: []string{"A"}}, nil},
		{gongshi.Stratum{Sizes: []string{gongshi.SizeMicro}}, want(0, 5)},
		{gongshi.Stratum{Sizes: []string{gongshi.SizeSmall}}, want(1)},
		{gongshi.Stratum{Sizes: []string{gongshi.SizeMedium}, Divisions: []string{"310115"}}, slices.Sorted(slices.Values(append(want(2, 7), world[0])))},
		{gongshi.Stratum{Sizes: []string{gongshi.SizeLarge}}, want(3)},
		{gongshi.Stratum{Sizes: []string{gongshi.SizeUnstated}, Divisions: []string{"310115"}}, want(4, 6)},
		{gongshi.Stratum{Industries: []string{"I", "C"}, Sizes: []string{gongshi.SizeSmall, gongshi.SizeLarge}}, want(1, 3)},
	} {
		if got := population(&c.st); !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("stratum %+v: population %v, want %v", c.st, got, c.want)
		}
	}

	// The plan's document publishes the stratum; the draw read back from it has it.
	d, err := f.Svc.PlanDraw(ctx, f.Reg, gongshi.DrawPlan{Title: "按行业和规模定向抽查", SampleSize: 1,
		Stratum: &gongshi.Stratum{Industries: []string{"C"}, Sizes: []string{gongshi.SizeLarge}}})
	if err != nil {
		t.Fatal(err)
	}
	doc := document(t, f, d.Versions[0].SHA256)
	st, _ := doc["stratum"].(map[string]any)
	if fmt.Sprint(st["industries"]) != "[C]" || fmt.Sprint(st["sizes"]) != "[large]" {
		t.Errorf("the plan's document publishes the stratum %v", doc["stratum"])
	}
	back, err := f.Svc.Draw(ctx, d.Number)
	if err != nil || back.Stratum == nil || !slices.Equal(back.Stratum.Industries, []string{"C"}) || !slices.Equal(back.Stratum.Sizes, []string{gongshi.SizeLarge}) {
		t.Errorf("the draw read back: %+v, %v", back, err)
	}

	// Unknown values name the input and what to give.
	_, err = f.Svc.PlanDraw(ctx, f.Reg, gongshi.DrawPlan{Title: "x", SampleSize: 1, Stratum: &gongshi.Stratum{Industries: []string{"I", "Z"}}})
	wantCode(t, err, gongshi.EINVALID, "stratum.industries[1]")
	_, err = f.Svc.PlanDraw(ctx, f.Reg, gongshi.DrawPlan{Title: "x", SampleSize: 1, Stratum: &gongshi.Stratum{Sizes: []string{"huge"}}})
	wantCode(t, err, gongshi.EINVALID, "stratum.sizes[0]")
	// A registration naming no section of GB/T 4754-2017 is refused.
	bad := Registration(USCC(399), "上海门类错误有限公司", "李四")
	bad.Fields["industry"] = "X"
	_, _, err = f.Svc.Register(ctx, f.Reg, bad)
	wantCode(t, err, gongshi.EINVALID, "fields.industry")
}
