package http

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

// BenchmarkLimiter measures what the limiter adds to a request: Take for one of 10,000
// addresses (limits too high to refuse), header fields included, beside the same run's
// baseline of setting two constant header fields. It reports both and their ratio.
func BenchmarkLimiter(b *testing.B) {
	addrs := make([]string, 10_000)
	for i := range addrs {
		addrs[i] = "10.0." + strconv.Itoa(i/256) + "." + strconv.Itoa(i%256)
	}
	l := NewLimiter(RateLimit{PerSecond: 1e9, Burst: 1e9}, RateLimit{}, time.Now)
	h := http.Header{}
	start := time.Now()
	for i := range b.N {
		h.Set("RateLimit-Policy", `"address";q=100;w=2`)
		h.Set("RateLimit", addrs[i%len(addrs)])
	}
	base := float64(time.Since(start).Nanoseconds()) / float64(b.N)
	start = time.Now()
	for i := range b.N {
		if l.Take(h, "", addrs[i%len(addrs)]) != 0 {
			b.Fatal("refused")
		}
	}
	took := float64(time.Since(start).Nanoseconds()) / float64(b.N)
	b.ReportMetric(base, "baseline-ns/op")
	b.ReportMetric(took, "take-ns/op")
	b.ReportMetric(took/base, "ratio")
}
