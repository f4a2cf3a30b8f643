package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	gshttp "github.com/gongshi/gongshi/http"
)

// gongshi bench load: a realistic mix of requests for a while, through the real API on a
// real listener, beside a trivial handler loaded the same way in the same run, so that its
// figures compare across machines.

// loadOp is one kind of request of the mix, with its share of the requests.
type loadOp struct {
	name   string
	weight int
	do     func(c *loadClient) (status int, err error)
}

// loadClient is one simulated client: a connection and its own random numbers.
type loadClient struct {
	l     *loadRun
	base  string // the server this client sends to
	rng   *rand.Rand
	after int64 // the feed reader's position
}

type loadRun struct {
	bases  []string // the servers, spread over the clients
	hc     *http.Client
	codes  []string
	tokens map[string]string // province prefix → a regulator's token
	seq    sync.Mutex
	n      int
}

func (c *loadClient) code() string { return c.l.codes[c.rng.IntN(len(c.l.codes))] }

func (c *loadClient) get(path string, hdr ...string) (int, http.Header, error) {
	req, _ := http.NewRequest("GET", c.base+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.l.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header, nil
}

func (c *loadClient) post(path, token string, body any) (int, error) {
	j, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", c.base+path, bytes.NewReader(j))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.l.hc.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// loadMix is the mix: mostly enterprise pages spread over every enterprise, then their
// records, name searches, the change feed read page by page, and publications.
var loadMix = []loadOp{
	{"page", 60, func(c *loadClient) (int, error) {
		st, _, err := c.get("/api/v1/enterprises/" + c.code())
		return st, err
	}},
	{"records", 10, func(c *loadClient) (int, error) {
		st, _, err := c.get("/api/v1/enterprises/" + c.code() + "/records")
		return st, err
	}},
	{"search", 12, func(c *loadClient) (int, error) {
		q := searchQueries[c.rng.IntN(len(searchQueries))]
		st, _, err := c.get("/api/v1/enterprises?limit=20&q=" + url.QueryEscape(q))
		return st, err
	}},
	{"feed", 8, func(c *loadClient) (int, error) {
		st, h, err := c.get("/api/v1/changes?limit=100&after=" + strconv.FormatInt(c.after, 10))
		if n, perr := strconv.ParseInt(h.Get("Gongshi-Next-After"), 10, 64); perr == nil && n > c.after {
			c.after = n
		}
		return st, err
	}},
	{"publish", 10, func(c *loadClient) (int, error) {
		code := c.code()
		day := time.Now().In(calendar.CST()).AddDate(0, 0, -3).Format("2006-01-02")
		c.l.seq.Lock()
		c.l.n++
		n := c.l.n
		c.l.seq.Unlock()
		return c.post("/api/v1/enterprises/"+code+"/records", c.l.tokens[code[2:4]], map[string]any{
			"kind": "penalty", "arose": day,
			"fields": map[string]any{"decision_no": fmt.Sprintf("压测处〔%d〕%d号", time.Now().Year(), n), "violation": "虚假宣传",
				"content": "警告", "fine": "1000", "authority": "市场监督管理局", "decided": day}})
	}},
}

// loadStats are one operation's latencies and failures.
type loadStats struct {
	lat  []time.Duration
	fail int
	last string
}

// runLoad runs clients against one op set for d and returns each op's stats.
func runLoad(ctx context.Context, l *loadRun, clients int, d time.Duration, ops []loadOp, feedFrom int64) map[string]*loadStats {
	total := 0
	for _, op := range ops {
		total += op.weight
	}
	var mu sync.Mutex
	stats := map[string]*loadStats{}
	for _, op := range ops {
		stats[op.name] = &loadStats{}
	}
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &loadClient{l: l, base: l.bases[i%len(l.bases)], rng: rand.New(rand.NewPCG(uint64(i), uint64(time.Now().UnixNano()))), after: feedFrom}
			local := map[string]*loadStats{}
			for _, op := range ops {
				local[op.name] = &loadStats{}
			}
			for time.Now().Before(deadline) && ctx.Err() == nil {
				k := c.rng.IntN(total)
				op := ops[0]
				for _, o := range ops {
					if k < o.weight {
						op = o
						break
					}
					k -= o.weight
				}
				t0 := time.Now()
				st, err := op.do(c)
				s := local[op.name]
				if err != nil || st >= 300 {
					s.fail++
					s.last = fmt.Sprintf("status %d %v", st, err)
					continue
				}
				s.lat = append(s.lat, time.Since(t0))
			}
			mu.Lock()
			for name, s := range local {
				stats[name].lat = append(stats[name].lat, s.lat...)
				stats[name].fail += s.fail
				if s.last != "" {
					stats[name].last = s.last
				}
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return stats
}

// serverURLs parses --url: comma-separated http(s) base URLs.
func serverURLs(list string) ([]string, error) {
	var urls []string
	for _, u := range strings.Split(list, ",") {
		if u = strings.TrimSpace(u); u == "" {
			continue
		}
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return nil, fmt.Errorf("--url %q: want a server's base URL such as http://127.0.0.1:8080", u)
		}
		urls = append(urls, strings.TrimSuffix(u, "/"))
	}
	return urls, nil
}

// benchLoad runs the mix against the register served here, or against the running servers
// at urls when given.
func benchLoad(ctx context.Context, env *Env, a *app, clients int, d time.Duration, sample int, urls []string) error {
	if env.Getenv("GOGC") == "" { // as gongshi serve runs
		defer debug.SetGCPercent(debug.SetGCPercent(gshttp.GCPercent))
	}
	codes, err := sampleCodes(ctx, a, sample)
	if err != nil {
		return err
	}
	l := &loadRun{codes: codes, tokens: map[string]string{},
		hc: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: time.Minute}}
	for _, c := range codes {
		p := c[2:4]
		if l.tokens[p] != "" {
			continue
		}
		_, tok, err := a.svc.CreateAccount(ctx, gongshi.NewAccount{ID: fmt.Sprintf("bench-load-%s-%d", p, time.Now().UnixNano()),
			Name: "压测 " + p, Role: gongshi.RoleRegulator, Jurisdiction: p + "0000"})
		if err != nil {
			return fmt.Errorf("a regulator for the publications: %w", err)
		}
		l.tokens[p] = tok
	}
	regURL, trivURL, stop, err := serveSideBySide(a, gshttp.Options{})
	if err != nil {
		return err
	}
	defer stop()
	size, _ := a.store.TreeSize(ctx)
	trivD := max(5*time.Second, d/10)
	where := "served here"
	if len(urls) > 0 {
		where = "on " + strings.Join(urls, ", ")
	}
	fmt.Fprintf(env.Stdout, "%d clients; the mix for %v over %d enterprises (log size %d) %s; the trivial 1 KiB handler for %v first\n", clients, d, len(codes), size, where, trivD)
	l.bases = []string{strings.TrimSuffix(trivURL, "/")}
	triv := runLoad(ctx, l, clients, trivD, []loadOp{{"trivial", 1, func(c *loadClient) (int, error) {
		st, _, err := c.get("/")
		return st, err
	}}}, 0)["trivial"]
	l.bases = urls
	if len(urls) == 0 {
		l.bases = []string{strings.TrimSuffix(regURL, "/")}
		// Served here, the mix's publications are checkpointed as gongshi serve does
		// (every 500 ms): feed readers and snapshots taken meanwhile see them, and the
		// checkpointer's work is in the figures.
		ckCtx, stopCk := context.WithCancel(ctx)
		ckDone := make(chan struct{})
		go func() {
			defer close(ckDone)
			a.checkpointer().Run(ckCtx, 500*time.Millisecond, func(err error) { a.logger.Error("checkpoint failed", "err", err) })
		}()
		defer func() { stopCk(); <-ckDone }()
	}
	stats := runLoad(ctx, l, clients, d, loadMix, max(0, size-1000))

	slices.Sort(triv.lat)
	trivRPS := float64(len(triv.lat)) / trivD.Seconds()
	fmt.Fprintf(env.Stdout, "%-10s %9s %10s %10s %10s %7s\n", "operation", "requests", "req/s", "p50", "p99", "failed")
	line := func(name string, s *loadStats, secs float64) {
		if len(s.lat) == 0 {
			fmt.Fprintf(env.Stdout, "%-10s %9d %10s %10s %10s %7d\n", name, 0, "-", "-", "-", s.fail)
			return
		}
		slices.Sort(s.lat)
		fmt.Fprintf(env.Stdout, "%-10s %9d %10.0f %10v %10v %7d\n", name, len(s.lat), float64(len(s.lat))/secs, pct(s.lat, 50), pct(s.lat, 99), s.fail)
	}
	line("trivial", triv, trivD.Seconds())
	all := &loadStats{}
	for _, op := range loadMix {
		s := stats[op.name]
		line(op.name, s, d.Seconds())
		all.lat = append(all.lat, s.lat...)
		all.fail += s.fail
		if s.fail > 0 {
			fmt.Fprintf(env.Stdout, "           last failure of %s: %s\n", op.name, s.last)
		}
	}
	line("mix", all, d.Seconds())
	mixRPS := float64(len(all.lat)) / d.Seconds()
	fmt.Fprintf(env.Stdout, "ratio      %9.0f%% of throughput, p99 %.1f× the trivial handler's\n", 100*mixRPS/trivRPS, float64(pct(all.lat, 99))/float64(pct(triv.lat, 99)))
	if all.fail > 0 {
		return fmt.Errorf("%d requests of the mix failed", all.fail)
	}
	return nil
}
