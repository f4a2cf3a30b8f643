package main

import (
	"testing"
	"time"
)

// TestBenchReadRuns checks how bench read takes a handler's runs together: the mean
// throughput, the CPU a request over all the requests (a run of more requests weighs
// more), the median p99, and each ratio as the median of the runs' own.
func TestBenchReadRuns(t *testing.T) {
	runs := []wrkResult{
		{rps: 100, p99: 4 * time.Millisecond, serverCPU: 10 * time.Microsecond, wrkCPU: 4 * time.Microsecond},
		{rps: 300, p99: 2 * time.Millisecond, serverCPU: 20 * time.Microsecond, wrkCPU: 8 * time.Microsecond},
		{rps: 200, p99: 9 * time.Millisecond, serverCPU: 15 * time.Microsecond, wrkCPU: 6 * time.Microsecond},
	}
	c := combined(runs)
	want := wrkResult{rps: 200, p99: 4 * time.Millisecond, serverCPU: (10*100 + 20*300 + 15*200) * time.Microsecond / 600,
		wrkCPU: (4*100 + 8*300 + 6*200) * time.Microsecond / 600}
	if c != want {
		t.Errorf("combined = %+v, want %+v", c, want)
	}
	base := []wrkResult{{rps: 400, p99: 2 * time.Millisecond}, {rps: 600, p99: 1 * time.Millisecond}, {rps: 1000, p99: 3 * time.Millisecond}}
	rps, p99 := ratios(runs, base)
	if m := median(rps); m != 0.25 { // 0.25, 0.5, 0.2
		t.Errorf("median throughput ratio %v, want 0.25 (of %v)", m, rps)
	}
	if m := median(p99); m != 2 { // 2, 2, 3
		t.Errorf("median p99 ratio %v, want 2 (of %v)", m, p99)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median of an even count %v, want 2.5", m)
	}
	if got := percents(rps); got != "25% 50% 20%" {
		t.Errorf("percents %q", got)
	}
}
