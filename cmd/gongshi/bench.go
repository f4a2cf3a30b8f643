package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gongshi/gongshi"
	gshttp "github.com/gongshi/gongshi/http"
)

func init() {
	register("bench", "measure a data folder: \"bench read\" (wrk against the enterprise page), \"bench search\", \"bench load\" (a realistic mix) and \"bench bulk\" (a bulk load against a bare-insert baseline)", runBench)
}

func runBench(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && args[0] == "bulk" {
		return benchBulk(ctx, env, args[1:])
	}
	if len(args) == 0 || (args[0] != "read" && args[0] != "search" && args[0] != "load") {
		fmt.Fprintln(env.Stderr, `usage: gongshi bench read|search|load|bulk --data DIR [flags]

  read    serves DIR and a trivial handler answering a fixed 1 KiB JSON side by side, and
          loads them with wrk in turns, --runs runs each (apt-get install wrk), the ratios
          the median of the runs': GET /api/v1/enterprises/{code} for
          codes sampled from the register, against the trivial handler's throughput and p99;
          each page is made, not taken from the response cache (--cache to use it); it
          holds DIR's writer lock, as gongshi serve does (stop a server of DIR first); then
          again accepting zstd as browsers do (the page row's frames sent as they are);
          then a trivial handler answering as many bytes as the mean plain page (what the
          answer's size alone costs: the ceiling of the page's ratio); prints the CPU each
          request cost the servers and wrk
  search  times the first page of name searches (2–4 characters, common ones included)
  load    serves DIR and runs a realistic mix through the API for --duration with --clients
          clients: enterprise pages and their records spread over --codes enterprises,
          name searches, readers of the change feed, publications; prints each operation's
          throughput, p50 and p99 beside the trivial handler's, loaded the same way first;
          with --url, against running servers of the same register (comma-separated: the
          clients are spread over them) instead of one served in this process
  bulk    loads --enterprises demo enterprises (five versions each) in bulk into the empty
          DIR (or --db), then inserts as many rows of the same size bare into a plain table
          in the same database (the baseline); prints enterprises/s per --step enterprises
          and each figure's ratio to the baseline; with --snapshot SNAPSHOT, imports it
          instead (gongshi import's bulk path)`)
		return exitStatus(2)
	}
	fs := flag.NewFlagSet("bench "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var df dataFlags
	df.add(fs)
	conns := fs.Int("connections", 64, "read: wrk connections")
	dur := fs.Duration("duration", 10*time.Second, "read: how long each handler is loaded, in all its runs; load: how long the mix runs")
	runs := fs.Int("runs", 5, "read: the runs of each handler, taken in turns (at least 2 s each); each ratio is the median of the runs'")
	clients := fs.Int("clients", 32, "load: concurrent clients")
	sample := fs.Int("codes", 1000, "read: how many enterprises to spread the requests over")
	cached := fs.Bool("cache", false, "read: answer through the response cache, which keeps the pages read in the last minutes (off: every request makes its page)")
	rounds := fs.Int("rounds", 50, "search: how many times each query runs")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the benchmark to this file")
	servers := fs.String("url", "", "load: base URLs of running servers of the register given by --data/--db, comma-separated (e.g. a primary's and a second server's)")
	if err := parseFlags(env, "bench "+args[0], fs, args[1:]); err != nil {
		return err
	}
	df.existing = true // a register to measure
	stop, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stop()
	df.logLevel = "warn"
	if args[0] == "load" {
		urls, err := serverURLs(*servers)
		if err != nil {
			return err
		}
		// Served here, it publishes: it takes the writer lock, as a server does. Beside
		// running servers it only writes the regulators' accounts, as "gongshi account" does.
		open := df.openShared
		if len(urls) == 0 {
			open = func(ctx context.Context, env *Env) (*app, error) { return df.open(ctx, env, nil) }
		}
		a, err := open(ctx, env)
		if err != nil {
			return err
		}
		defer a.Close()
		return benchLoad(ctx, env, a, *clients, *dur, *sample, urls)
	}
	// read serves DIR as gongshi serve does, holding the writer lock: only then do its page
	// connections keep their read transactions between lookups (sqlstore's pageReader).
	// search reads beside a running server.
	open := df.openShared
	if args[0] == "read" {
		open = func(ctx context.Context, env *Env) (*app, error) { return df.open(ctx, env, nil) }
	}
	a, err := open(ctx, env)
	if err != nil {
		return err
	}
	defer a.Close()
	if args[0] == "search" {
		return benchSearch(ctx, env, a, *rounds)
	}
	return benchRead(ctx, env, a, *conns, *dur, *runs, *sample, *cached)
}

// searchQueries are 2–4 character name searches, from the most common to rarer ones, and
// two searches by pinyin initials.
var searchQueries = []string{"有限", "科技", "公司", "上海", "贸易", "网络科技", "建筑工程", "餐饮", "杰图", "华为技术", "深圳", "合作社", "物流有限", "生物", "shjt", "bjkj"}

func benchSearch(ctx context.Context, env *Env, a *app, rounds int) error {
	var all []time.Duration
	fmt.Fprintf(env.Stdout, "%-10s %6s %10s %10s %10s\n", "query", "hits", "p50", "p99", "max")
	for _, q := range searchQueries {
		var ds []time.Duration
		hits := 0
		for i := 0; i < rounds; i++ {
			t0 := time.Now()
			res, err := a.svc.Search(ctx, gongshi.SearchQuery{Q: q, Limit: 20})
			if err != nil {
				return err
			}
			ds = append(ds, time.Since(t0))
			hits = len(res.Hits)
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		all = append(all, ds...)
		fmt.Fprintf(env.Stdout, "%-10s %6d %10v %10v %10v\n", q, hits, pct(ds, 50), pct(ds, 99), ds[len(ds)-1])
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	fmt.Fprintf(env.Stdout, "%-10s %6s %10v %10v %10v\n", "all", "", pct(all, 50), pct(all, 99), all[len(all)-1])
	return nil
}

func pct(ds []time.Duration, p int) time.Duration {
	return ds[(len(ds)-1)*p/100].Round(10 * time.Microsecond)
}

func benchRead(ctx context.Context, env *Env, a *app, conns int, dur time.Duration, runs, sample int, cached bool) error {
	if _, err := exec.LookPath("wrk"); err != nil {
		return errors.New("wrk is not installed: apt-get install wrk")
	}
	if env.Getenv("GOGC") == "" { // as gongshi serve runs
		defer debug.SetGCPercent(debug.SetGCPercent(gshttp.GCPercent))
	}
	codes, err := sampleCodes(ctx, a, sample)
	if err != nil {
		return err
	}
	// Without the cache, each request makes its page: what a code not read in the last
	// minutes costs, which is most codes of a register of millions.
	cache := gshttp.Options{}
	if !cached {
		cache.CachedPages = -1
	}
	regURL, trivURL, stop, err := serveSideBySide(a, cache)
	if err != nil {
		return err
	}
	defer stop()
	dir, err := os.MkdirTemp("", "gongshi-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "codes.lua")
	var lua strings.Builder
	lua.WriteString("codes = {")
	for _, c := range codes {
		fmt.Fprintf(&lua, "%q,", c)
	}
	lua.WriteString("}\nrequest = function() return wrk.format(nil, \"/api/v1/enterprises/\" .. codes[math.random(#codes)]) end\n")
	if err := os.WriteFile(script, []byte(lua.String()), 0o600); err != nil {
		return err
	}
	// The handlers are loaded in turns, runs runs each, so that a change in what the machine
	// gives this process (other tenants of a shared host) falls on all of them alike: each
	// ratio is the median of the runs' ratios, each run's against the trivial handler's of
	// its turn.
	runs = max(1, min(runs, int(dur/(2*time.Second))))
	per := (dur / time.Duration(runs)).Truncate(time.Second)
	fmt.Fprintf(env.Stdout, "wrk -t2 -c%d over %d enterprises, response cache %s; each handler in %d runs of %v, in turns\n",
		conns, len(codes), map[bool]string{true: "on", false: "off"}[cached], runs, per)
	warm := func(url string, extra ...string) {
		exec.CommandContext(ctx, "wrk", append([]string{"-t2", "-c" + strconv.Itoa(conns), "-d2s"}, append(extra, url)...)...).Run()
	}
	warm(regURL, "-s", script)
	// A trivial handler answering as many bytes as the mean plain page: what the answer's
	// size alone costs the server and wrk, the ceiling of the page's ratio.
	size, err := meanAnswer(ctx, regURL+"api/v1/enterprises/", codes)
	if err != nil {
		return err
	}
	sizedURL, stopSized, err := serveOn(trivialHandler(size))
	if err != nil {
		return err
	}
	defer stopSized()
	// The trivial handlers are sent the same requests, made by the same script (which
	// costs wrk several times what a fixed request does): only the handler differs. A
	// browser accepts zstd, and is sent the page row's stored frame as it is.
	handlers := []struct {
		name string
		args []string
	}{
		{"trivial 1 KiB handler", []string{trivURL, "-s", script}},
		{"enterprise page", []string{regURL, "-s", script}},
		{"page, accepting zstd", []string{regURL, "-s", script, "-H", "Accept-Encoding: " + browserEncodings}},
		{fmt.Sprintf("trivial %.0f KiB handler", float64(size)/1024), []string{sizedURL, "-s", script}},
	}
	results := make([][]wrkResult, len(handlers)) // by handler, by run
	for run := range runs {
		for k := range handlers {
			i := (run + k) % len(handlers) // each turn begins with the next handler
			r, err := runWrk(ctx, conns, per, handlers[i].args[0], handlers[i].args[1:]...)
			if err != nil {
				return fmt.Errorf("%s: %w", handlers[i].name, err)
			}
			results[i] = append(results[i], r)
		}
	}
	for i, h := range handlers {
		r := combined(results[i])
		fmt.Fprintf(env.Stdout, "%-22s %10.0f req/s  p99 %-9v  CPU per request: server %v, wrk %v\n", h.name, r.rps, r.p99, r.serverCPU.Round(100*time.Nanosecond), r.wrkCPU.Round(100*time.Nanosecond))
	}
	fmt.Fprintf(env.Stdout, "(accepting zstd: Accept-Encoding: %s, as browsers send; req/s is the runs' mean, p99 their median)\n", browserEncodings)
	triv := results[0]
	page, pageP99 := ratios(results[1], triv)
	fmt.Fprintf(env.Stdout, "ratio                  %9.0f%% of throughput (target ≥ 40%%), p99 %.1f× (target ≤ 2×)  runs: %s\n",
		100*median(page), median(pageP99), percents(page))
	z, zP99 := ratios(results[2], triv)
	fmt.Fprintf(env.Stdout, "ratio, accepting zstd  %9.0f%% of throughput, p99 %.1f×  runs: %s\n", 100*median(z), median(zP99), percents(z))
	sized, sizedP99 := ratios(results[3], triv)
	fmt.Fprintf(env.Stdout, "ratio, page-sized      %9.0f%% of throughput, p99 %.1f× (the ceiling of a page's plain answer: its bytes alone, %d on average)  runs: %s\n",
		100*median(sized), median(sizedP99), size, percents(sized))
	return nil
}

// ratios are each run's throughput and p99 against base's run of the same turn.
func ratios(rs, base []wrkResult) (rps, p99 []float64) {
	for i, r := range rs {
		rps = append(rps, r.rps/base[i].rps)
		p99 = append(p99, float64(r.p99)/float64(base[i].p99))
	}
	return rps, p99
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// percents lists ratios as whole percents, in the runs' order.
func percents(xs []float64) string {
	ps := make([]string, len(xs))
	for i, x := range xs {
		ps[i] = fmt.Sprintf("%.0f%%", 100*x)
	}
	return strings.Join(ps, " ")
}

// combined is one handler's runs taken together: the mean throughput, the median p99, and
// the CPU a request over all of them.
func combined(rs []wrkResult) wrkResult {
	var c wrkResult
	var p99s []float64
	var server, wrk float64 // CPU over all the requests, runs being of one length
	for _, r := range rs {
		c.rps += r.rps
		server += float64(r.serverCPU) * r.rps
		wrk += float64(r.wrkCPU) * r.rps
		p99s = append(p99s, float64(r.p99))
	}
	c.serverCPU, c.wrkCPU = time.Duration(server/c.rps), time.Duration(wrk/c.rps)
	c.rps /= float64(len(rs))
	c.p99 = time.Duration(median(p99s))
	return c
}

// meanAnswer is the mean size of the plain answers of url+code over up to 1,000 of codes,
// spread over them (they are in the order enterprises were registered).
func meanAnswer(ctx context.Context, url string, codes []string) (int, error) {
	step := max(1, len(codes)/1000)
	total, n := 0, 0
	for i := 0; i < len(codes); i += step {
		c := codes[i]
		req, err := http.NewRequestWithContext(ctx, "GET", url+c, nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Accept-Encoding", "identity")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		size, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("GET %s: %s %v", req.URL, resp.Status, err)
		}
		total += int(size)
		n++
	}
	return total / n, nil
}

// browserEncodings is the Accept-Encoding browsers send (Chrome, Firefox).
const browserEncodings = "gzip, deflate, br, zstd"

func sampleCodes(ctx context.Context, a *app, n int) ([]string, error) {
	codes, err := a.store.SampleCodes(ctx, n)
	if err == nil && len(codes) == 0 {
		err = errors.New("the register holds no enterprises to read: run gongshi demo first")
	}
	return codes, err
}

// serveSideBySide serves the register's API and a trivial handler answering a fixed 1 KiB
// JSON, each on its own listener: every read benchmark compares the two in one run.
func serveSideBySide(a *app, opts gshttp.Options) (regURL, trivURL string, stop func(), err error) {
	srv := gshttp.NewServer(a.svc, nil, a.logger, opts)
	regURL, stopReg, err := serveOn(srv.Handler())
	if err != nil {
		return "", "", nil, err
	}
	trivURL, stopTriv, err := serveOn(trivialHandler(1 << 10))
	if err != nil {
		stopReg()
		return "", "", nil, err
	}
	return regURL, trivURL, func() { stopTriv(); stopReg() }, nil
}

// trivialHandler answers a fixed JSON object of size bytes.
func trivialHandler(size int) http.Handler {
	body := []byte(`{"data":"` + strings.Repeat("x", max(size-len(`{"data":""}`), 0)) + `"}`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
}

func serveOn(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	s := &http.Server{Handler: h}
	go s.Serve(ln)
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx) // let requests in flight finish before the store closes
	}
	return "http://" + ln.Addr().String() + "/", stop, nil
}

type wrkResult struct {
	rps float64
	p99 time.Duration
	// serverCPU and wrkCPU are the CPU time this process (the servers) and wrk used per
	// request: on a machine shared with other work the throughput says how much of it the
	// two were given, and these what a request costs.
	serverCPU, wrkCPU time.Duration
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var (
	wrkRPS = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkP99 = regexp.MustCompile(`99%\s+([0-9.]+)(us|ms|s)`)
)

func runWrk(ctx context.Context, conns int, dur time.Duration, url string, extra ...string) (wrkResult, error) {
	args := append([]string{"-t2", "-c" + strconv.Itoa(conns), "-d" + strconv.Itoa(int(dur.Seconds())) + "s", "--latency"}, extra...)
	cmd := exec.CommandContext(ctx, "wrk", append(args, url)...)
	cpu0 := cpuTime()
	out, err := cmd.CombinedOutput()
	serverCPU := cpuTime() - cpu0
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "Non-2xx") {
		return wrkResult{}, fmt.Errorf("some answers were not 2xx:\n%s", out)
	}
	m, l := wrkRPS.FindSubmatch(out), wrkP99.FindSubmatch(out)
	if m == nil || l == nil {
		return wrkResult{}, fmt.Errorf("cannot read wrk's output:\n%s", out)
	}
	rps, _ := strconv.ParseFloat(string(m[1]), 64)
	v, _ := strconv.ParseFloat(string(l[1]), 64)
	unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[string(l[2])]
	n := rps * dur.Seconds() // wrk's own count is rounded in its output
	return wrkResult{rps: rps, p99: time.Duration(v * float64(unit)),
		serverCPU: time.Duration(float64(serverCPU) / n), wrkCPU: time.Duration(float64(cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime()) / n)}, nil
}
