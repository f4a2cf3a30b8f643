package main

// Helpers of the end-to-end tests (e2e_*_test.go): a gongshi server started through Main
// (or as a child process, e2e_kill_test.go), tokens from "gongshi admin token", and plain
// net/http calls with the request bodies of the API.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/ident"
)

// syncBuffer is a bytes.Buffer safe for a writer and a concurrent reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// tail returns the last n bytes of s, for failure messages.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// servingLine is what "gongshi serve" prints on stdout once it listens.
var servingLine = regexp.MustCompile(`gongshi: serving on (http://[0-9.]+:[0-9]+) \(`)

// e2eServer is "gongshi serve" running through Main in this process.
type e2eServer struct {
	dir, url string
	stderr   *syncBuffer
	stop     func() // stops the server and checks it exited with 0; idempotent
}

// startServer runs Main(serve --data dir --addr 127.0.0.1:0 --no-rate-limit ARGS…) and
// waits for the address it prints. The server is stopped at the end of the test.
func startServer(t testing.TB, dir string, args ...string) *e2eServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, append([]string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--no-rate-limit"}, args...),
			&Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: errOut})
	}()
	s := &e2eServer{dir: dir, stderr: errOut}
	deadline := time.Now().Add(30 * time.Second)
	for s.url == "" {
		if m := servingLine.FindStringSubmatch(out.String()); m != nil {
			s.url = m[1]
			break
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("serve exited with status %d before listening; stderr:\n%s", code, tail(errOut.String(), 4000))
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve printed no %q line within 30 s; stdout %q", "gongshi: serving on", out.String())
		}
	}
	s.stop = sync.OnceFunc(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve: got exit status %d, want 0; stderr:\n%s", code, tail(errOut.String(), 4000))
			}
		case <-time.After(20 * time.Second):
			t.Errorf("serve did not stop within 20 s of its context being cancelled")
		}
	})
	t.Cleanup(s.stop)
	waitStartSweep(t, errOut)
	return s
}

// waitStartSweep waits until the server has logged its start-up sweep (the lists' dated
// rules): tests that count leaves must not race with the decisions it may publish about
// enterprises they register.
func waitStartSweep(t testing.TB, stderr *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stderr.String(), `msg="daily sweep"`) && !strings.Contains(stderr.String(), `msg="daily sweep skipped`) {
		if time.Now().After(deadline) {
			t.Fatalf("serve logged no daily sweep within 30 s; stderr:\n%s", tail(stderr.String(), 4000))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// adminToken runs "gongshi admin token --data dir ARGS…" through Main and returns the token.
func adminToken(t testing.TB, dir string, args ...string) string {
	t.Helper()
	code, out, errOut := runMain(append([]string{"admin", "token", "--data", dir}, args...)...)
	if code != 0 {
		t.Fatalf("admin token %v: got exit status %d, want 0; stderr:\n%s", args, code, errOut)
	}
	return checkToken(t, out)
}

// runMain runs Main with args. A command still running after five minutes is abandoned with
// exit status -1, so that a hang fails the test rather than stalling the whole run.
func runMain(args ...string) (code int, stdout, stderr string) {
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Main(context.Background(), args, &Env{Stdout: out, Stderr: errOut, Getenv: func(string) string { return "" }})
	}()
	select {
	case code = <-done:
	case <-time.After(5 * time.Minute): // a bound against a hang, not a speed test
		code = -1
		errOut.Write([]byte("\n(abandoned: still running after five minutes)\n"))
	}
	return code, out.String(), errOut.String()
}

func checkToken(t testing.TB, out string) string {
	t.Helper()
	tok := strings.TrimSpace(out)
	if !strings.HasPrefix(tok, "gs_") || strings.ContainsAny(tok, " \n") {
		t.Fatalf("admin token: got stdout %q, want one gs_… token", out)
	}
	return tok
}

// verifyMain runs "gongshi verify ARGS…" through Main.
func verifyMain(args ...string) (code int, stdout, stderr string) {
	return runMain(append([]string{"verify"}, args...)...)
}

var e2eClient = &http.Client{
	Timeout:   30 * time.Second,
	Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true},
}

// apiResp is an HTTP answer read in full.
type apiResp struct {
	method, path string
	status       int
	header       http.Header
	body         []byte
}

// send makes a request. body is sent as is when a string, as JSON otherwise; a nil body
// sends none. It does not touch t, so that writer goroutines can use it.
func send(method, url, token string, body any) (*apiResp, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return nil, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e2eClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &apiResp{method: method, path: req.URL.Path, status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// call is send that fails the test on a transport error.
func call(t *testing.T, method, url, token string, body any) *apiResp {
	t.Helper()
	r, err := send(method, url, token, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return r
}

// want checks the status and decodes the JSON body into v (if not nil).
func (r *apiResp) want(t *testing.T, status int, v any) *apiResp {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s %s: got status %d, want %d; body %s", r.method, r.path, r.status, status, r.body)
	}
	if v != nil {
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("%s %s: got Content-Type %q, want application/json", r.method, r.path, ct)
		}
		if err := json.Unmarshal(r.body, v); err != nil {
			t.Fatalf("%s %s: body is not the JSON expected: %v; body %s", r.method, r.path, err, r.body)
		}
	}
	return r
}

// problem is an RFC 9457 problem details body as gongshi sends it.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Field  string `json:"field"`
	Fix    string `json:"fix"`
}

// problem checks that r is an application/problem+json answer with status, naming field,
// with a detail and a fix.
func (r *apiResp) problem(t *testing.T, status int, field string) problem {
	t.Helper()
	var p problem
	mt, _, _ := mime.ParseMediaType(r.header.Get("Content-Type"))
	if r.status != status || mt != "application/problem+json" {
		t.Fatalf("%s %s: got %d %q, want %d application/problem+json; body %s", r.method, r.path, r.status, mt, status, r.body)
	}
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("%s %s: problem body: %v; body %s", r.method, r.path, err, r.body)
	}
	if p.Status != status || !strings.HasPrefix(p.Type, "urn:gongshi:problem:") || p.Title == "" {
		t.Errorf("%s %s: got problem status %d type %q title %q, want %d urn:gongshi:problem:… and a title", r.method, r.path, p.Status, p.Type, p.Title, status)
	}
	if p.Field != field {
		t.Errorf("%s %s: got problem field %q, want %q; body %s", r.method, r.path, p.Field, field, r.body)
	}
	if p.Detail == "" || p.Fix == "" {
		t.Errorf("%s %s: got detail %q and fix %q, want both said; body %s", r.method, r.path, p.Detail, p.Fix, r.body)
	}
	return p
}

// registered is the answer to POST /api/v1/enterprises.
type registered struct {
	Enterprise gongshi.Enterprise `json:"enterprise"`
	Version    gongshi.Version    `json:"version"`
}

// recordList is the answer to GET /api/v1/enterprises/{code}/records.
type recordList struct {
	Enterprise gongshi.Enterprise `json:"enterprise"`
	Records    []gongshi.Record   `json:"records"`
}

// usccFor returns a valid USCC of an enterprise registered in division.
func usccFor(t testing.TB, division string, seq uint64) string {
	t.Helper()
	u, err := ident.GenerateUSCC('9', '1', division, seq)
	if err != nil {
		t.Fatal(err)
	}
	return u.String()
}

// cst is the register's time zone; dates of the API are civil dates there.
var cst = time.FixedZone("CST", 8*3600)

// daysAgo returns the date n days before today in China (n < 0: in the future).
func daysAgo(n int) string { return time.Now().In(cst).AddDate(0, 0, -n).Format("2006-01-02") }

const (
	established = "2020-03-16"
	secretID    = "11010519491231002X" // the legal representative's ID number: personal data
)

func registrationBody(code, name string) map[string]any {
	return map[string]any{"uscc": code, "fields": map[string]any{
		"name":                 name,
		"type":                 "有限责任公司",
		"legal_representative": map[string]any{"name": "张伟", "id_number": secretID},
		"registered_capital":   "1000",
		"currency":             "CNY",
		"established":          established,
		"address":              "上海市浦东新区张江路1号",
		"status":               "存续",
		"contact_phone":        "021-68881234",
	}}
}

func publication(kind, arose string, fields map[string]any) map[string]any {
	return map[string]any{"kind": kind, "arose": arose, "fields": fields}
}

func penaltyFields(n int) map[string]any {
	return map[string]any{"decision_no": fmt.Sprintf("沪市监罚〔2026〕%d号", n), "violation": "虚假宣传",
		"content": "罚款", "fine": "5000", "authority": "上海市市场监督管理局", "decided": daysAgo(3)}
}

func licenceFields() map[string]any {
	return map[string]any{"licence_no": "沪环许2026-001", "name": "排污许可证", "action": "granted",
		"issuer": "上海市生态环境局", "valid_from": daysAgo(5)}
}

func mortgageFields() map[string]any {
	return map[string]any{"registration_no": "DY310115-2026-001", "mortgagee": "中国工商银行上海分行",
		"secured_amount": "800", "collateral": "数控机床十台", "status": "valid"}
}

func capitalFields() map[string]any {
	return map[string]any{"shareholder": "张伟", "subscribed": "600", "subscribed_date": established,
		"subscribed_form": "currency", "paid": "300", "paid_date": daysAgo(10), "paid_form": "currency"}
}

func equityTransferFields() map[string]any {
	return map[string]any{"shareholder": "李娜", "before_percent": "40", "after_percent": "25", "transferred": daysAgo(6)}
}

func ipPledgeFields() map[string]any {
	return map[string]any{"ip_type": "trademark", "ip_no": "第12345678号", "ip_name": "杰图", "pledgee": "上海银行",
		"term_from": daysAgo(8), "status": "valid"}
}

// ack is an acknowledged (201) write.
type ack struct {
	subject, record string
	version         int
	sha256          string
	logIndex        int64
}

func ackOf(v *gongshi.Version) ack {
	return ack{subject: v.Subject, record: v.Record, version: v.Version, sha256: v.SHA256, logIndex: v.LogIndex}
}

// waitFor polls cond every 25 ms until it is true or timeout passes.
func waitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(25 * time.Millisecond)
	}
	return true
}
