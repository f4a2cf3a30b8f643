package demo

import (
	"testing"
)

// BenchmarkPlan measures planning alone: what Generate does for every enterprise before
// writing, and again for each event it writes.
func BenchmarkPlan(b *testing.B) {
	g := testGen(1)
	var p plan
	events := 0
	for i := 0; i < b.N; i++ {
		g.w.makePlan(&p, g.seed, uint32(i), g.until)
		events += int(p.n)
	}
	b.ReportMetric(float64(events)/float64(b.N), "events/enterprise")
}

// BenchmarkGenerate measures pure generation, without a store: planning every enterprise,
// then for each of its events regenerating the plan and building the service call, as
// Generate does.
func BenchmarkGenerate(b *testing.B) {
	g := testGen(1)
	var p plan
	var u unit
	events := 0
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		g.w.makePlan(&p, g.seed, uint32(i), g.until)
		n := int(p.n)
		for j := 0; j < n; j++ {
			g.w.makePlan(&p, g.seed, uint32(i), g.until)
			g.build(&p, j, &u)
		}
		events += n
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "enterprises/s")
	b.ReportMetric(float64(events)/float64(b.N), "versions/enterprise")
}
