package http

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gongshi/gongshi"
)

// latencyBuckets are the upper bounds, in seconds, of the request latency histogram.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics counts requests by route and status, and their latency by route, for GET
// /metrics in the Prometheus text exposition format (version 0.0.4), written by hand to
// keep the dependency list short. Labels come from the route table, never from the path,
// so their number is bounded.
type metrics struct {
	inFlight atomic.Int64

	mu     sync.Mutex
	counts map[countKey]uint64
	hists  map[string]*histogram
}

type countKey struct {
	route  string
	status int
}

type histogram struct {
	buckets []uint64 // cumulative counts are computed when written
	sum     float64
	count   uint64
}

func newMetrics(routes []*route) *metrics {
	m := &metrics{counts: map[countKey]uint64{}, hists: map[string]*histogram{}}
	for _, rt := range routes {
		m.hists[rt.Method+" "+rt.Path] = &histogram{buckets: make([]uint64, len(latencyBuckets))}
	}
	m.hists["unmatched"] = &histogram{buckets: make([]uint64, len(latencyBuckets))}
	return m
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	sec := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.counts[countKey{route, status}]++
	h := m.hists[route]
	if i, _ := slices.BinarySearch(latencyBuckets, sec); i < len(h.buckets) {
		h.buckets[i]++
	}
	h.sum += sec
	h.count++
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	m := s.metrics
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// Written to a buffer so that a slow reader does not hold the lock.
	bw := new(bytes.Buffer)
	st, err := s.Service.ScheduleStatus(r.Context())
	if err != nil {
		return err
	}
	defer func() { w.Write(bw.Bytes()) }()
	writeCalendarMetrics(bw, st)

	m.mu.Lock()
	defer m.mu.Unlock()
	keys := make([]countKey, 0, len(m.counts))
	for k := range m.counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b countKey) int {
		if c := strings.Compare(a.route, b.route); c != 0 {
			return c
		}
		return a.status - b.status
	})
	fmt.Fprintln(bw, "# HELP gongshi_http_requests_total HTTP requests answered, by route and status.")
	fmt.Fprintln(bw, "# TYPE gongshi_http_requests_total counter")
	for _, k := range keys {
		fmt.Fprintf(bw, "gongshi_http_requests_total{route=%s,status=\"%d\"} %d\n", labelValue(k.route), k.status, m.counts[k])
	}

	fmt.Fprintln(bw, "# HELP gongshi_http_request_duration_seconds Time to answer HTTP requests, by route.")
	fmt.Fprintln(bw, "# TYPE gongshi_http_request_duration_seconds histogram")
	routes := make([]string, 0, len(m.hists))
	for r := range m.hists {
		routes = append(routes, r)
	}
	slices.Sort(routes)
	for _, rt := range routes {
		h := m.hists[rt]
		if h.count == 0 {
			continue
		}
		lv := labelValue(rt)
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.buckets[i]
			fmt.Fprintf(bw, "gongshi_http_request_duration_seconds_bucket{route=%s,le=\"%s\"} %d\n", lv, strconv.FormatFloat(le, 'g', -1, 64), cum)
		}
		fmt.Fprintf(bw, "gongshi_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", lv, h.count)
		fmt.Fprintf(bw, "gongshi_http_request_duration_seconds_sum{route=%s} %s\n", lv, strconv.FormatFloat(h.sum, 'g', -1, 64))
		fmt.Fprintf(bw, "gongshi_http_request_duration_seconds_count{route=%s} %d\n", lv, h.count)
	}

	fmt.Fprintln(bw, "# HELP gongshi_http_requests_in_flight HTTP requests being answered now.")
	fmt.Fprintln(bw, "# TYPE gongshi_http_requests_in_flight gauge")
	fmt.Fprintf(bw, "gongshi_http_requests_in_flight %d\n", m.inFlight.Load())
	return nil
}

// labelValue quotes a label value as the exposition format wants: backslash, double quote
// and newline escaped.
func labelValue(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// writeCalendarMetrics writes the gauges of the working-day calendar (SPEC §10): the last
// year it covers, the warning that a year's schedule is missing (1 from the start of the
// policy's warning period until it is loaded), and the subjects whose dates await one.
func writeCalendarMetrics(bw *bytes.Buffer, st *gongshi.ScheduleStatus) {
	fmt.Fprintln(bw, "# HELP gongshi_calendar_last_year The last year whose working-day schedule the calendar holds.")
	fmt.Fprintln(bw, "# TYPE gongshi_calendar_last_year gauge")
	fmt.Fprintf(bw, "gongshi_calendar_last_year %d\n", st.LastYear)
	fmt.Fprintln(bw, "# HELP gongshi_calendar_schedule_missing 1 while a year's working-day schedule is missing and the warning is due (policy calendar.schedule.warning), by year.")
	fmt.Fprintln(bw, "# TYPE gongshi_calendar_schedule_missing gauge")
	if m := st.Missing; m != nil {
		fmt.Fprintf(bw, "gongshi_calendar_schedule_missing{year=\"%d\"} 1\n", m.Year)
	} else {
		fmt.Fprintf(bw, "gongshi_calendar_schedule_missing{year=\"%d\"} 0\n", st.LastYear+1)
	}
	fmt.Fprintln(bw, "# HELP gongshi_provisional_subjects Records, cases and enforcement cases whose dates await a year's working-day schedule, by year.")
	fmt.Fprintln(bw, "# TYPE gongshi_provisional_subjects gauge")
	for _, y := range slices.Sorted(maps.Keys(st.Awaiting)) {
		fmt.Fprintf(bw, "gongshi_provisional_subjects{year=\"%d\"} %d\n", y, st.Awaiting[y])
	}
}
