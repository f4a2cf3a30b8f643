package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/ident"
	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/translog"
)

// testNow is the simulated clock's start: a working day in 2026, which the calendar covers.
var testNow = time.Date(2026, 6, 1, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// env is a running server on a real SQLite store, with accounts of every kind.
type env struct {
	t       testing.TB
	url     string
	svc     *gongshi.Service
	db      *sqlstore.DB
	signer  *translog.Signer
	public  *ghttp.Client
	pudong  *ghttp.Client // regulator, jurisdiction 310000 (Shanghai)
	shenzen *ghttp.Client // regulator, jurisdiction 440300 (Shenzhen)
	health  *ghttp.Client // department authorised for licences only
}

func newEnv(t testing.TB, opts ghttp.Options) *env {
	t.Helper()
	return newEnvAt(t, opts, testNow)
}

// newEnvAt is newEnv on a clock starting at now.
func newEnvAt(t testing.TB, opts ghttp.Options, now time.Time) *env {
	t.Helper()
	return newEnvOn(t, opts, now, "")
}

// newEnvOn is newEnvAt on the PostgreSQL database at dbURL, or on SQLite when it is "".
func newEnvOn(t testing.TB, opts ghttp.Options, now time.Time, dbURL string) *env {
	t.Helper()
	st := testserver.Start(t, testserver.Options{Now: now, API: opts, DBURL: dbURL})
	e := &env{t: t, url: st.URL, svc: st.Svc, db: st.DB, signer: st.Signer, public: ghttp.NewClient(st.URL, "")}
	e.pudong = e.account(gongshi.NewAccount{ID: "sh-officer", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"})
	e.shenzen = e.account(gongshi.NewAccount{ID: "sz-officer", Name: "深圳市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "440300"})
	e.health = e.account(gongshi.NewAccount{ID: "sh-health", Name: "上海市卫生健康委员会", Role: gongshi.RoleDepartment, Kinds: []string{"licence"}})
	return e
}

func (e *env) account(in gongshi.NewAccount) *ghttp.Client {
	e.t.Helper()
	_, tok, err := e.svc.CreateAccount(context.Background(), in)
	if err != nil {
		e.t.Fatalf("create account %s: %v", in.ID, err)
	}
	return ghttp.NewClient(e.url, tok)
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// uscc returns a valid USCC of an enterprise in division.
func uscc(t testing.TB, division string, seq uint64) string {
	u, err := ident.GenerateUSCC('9', '1', division, seq)
	if err != nil {
		t.Fatal(err)
	}
	return u.String()
}

const (
	secretID    = "11010519491231002X" // a legal representative's resident ID number: personal
	secretPhone = "021-68881234"       // contact_phone: non-public
)

func registration(code string) gongshi.Registration {
	return gongshi.Registration{USCC: code, Fields: map[string]any{
		"name":                 "上海杰图天下网络科技有限公司",
		"type":                 "有限责任公司",
		"legal_representative": map[string]any{"name": "张伟", "id_number": secretID},
		"registered_capital":   "1000",
		"currency":             "CNY",
		"established":          "2020-03-16",
		"address":              "上海市浦东新区张江路1号",
		"status":               "存续",
		"contact_phone":        secretPhone,
		"shareholders": []any{map[string]any{
			"name": "张伟", "kind": "natural_person", "id_number": secretID, "subscribed": "600"}},
	}}
}

// response is a raw answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// call sends a raw request; body is sent as is when a string, as JSON otherwise.
func (e *env) call(method, path, token string, body any) *response {
	e.t.Helper()
	return e.do(method, path, token, "application/json", body)
}

// callCT sends a body with the given Content-Type.
func (e *env) callCT(method, path, contentType, body string) *response {
	e.t.Helper()
	return e.do(method, path, "", contentType, body)
}

func (e *env) do(method, path, token, contentType string, body any) *response {
	e.t.Helper()
	return e.doAs(e.t, method, path, token, contentType, body)
}

// doAs is do reporting to t: a fuzz target's, which may not use the env's *testing.F.
func (e *env) doAs(t testing.TB, method, path, token, contentType string, body any) *response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: data}
}

// problem checks that r is a problem+json of the given status naming field (when not
// empty), and returns it.
func (r *response) problem(t testing.TB, status int, field string) *ghttp.Problem {
	t.Helper()
	if r.status != status {
		t.Fatalf("status: got %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != ghttp.ProblemContentType {
		t.Fatalf("Content-Type: got %q, want %q; body %s", ct, ghttp.ProblemContentType, r.body)
	}
	var p ghttp.Problem
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("problem body %s: %v", r.body, err)
	}
	if p.Status != status || p.Type == "" || p.Title == "" || p.Detail == "" {
		t.Fatalf("problem %s lacks type, title, status or detail", r.body)
	}
	if field != "" && p.Field != field {
		t.Fatalf("problem field: got %q, want %q; body %s", p.Field, field, r.body)
	}
	if p.Status < 500 && p.Fix == "" {
		t.Errorf("problem %s has no fix", r.body)
	}
	return &p
}
