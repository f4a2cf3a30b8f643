package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/storetest"
)

// FuzzWriteRoutes sends random bytes and random JSON to every write route of the API, as
// the role it is for: no answer is a 5xx, nothing is published by a refused request, and
// whatever is published holds clean text only (gongshi.CleanText leaves every string of
// its document as it is). The seed corpus — a valid body of each route, then the same body
// with a hostile string or a hostile value in it, and bytes that are no JSON — runs with
// go test.
//
// Each input is a route (index into the write routes), a mode and some bytes: mode 0 sends
// the bytes as the body; mode 1 puts them, raw, into one string of the route's valid body
// (chosen by the first byte); mode 2 puts them there as a JSON value.
func FuzzWriteRoutes(f *testing.F) {
	fz := newFuzzEnv(f, "")
	for _, sd := range fz.seeds() {
		f.Add(sd.route, sd.mode, sd.data)
	}
	f.Fuzz(fz.try)
}

// TestWriteRoutesPostgres sends FuzzWriteRoutes's seed corpus on PostgreSQL.
func TestWriteRoutesPostgres(t *testing.T) {
	fz := newFuzzEnv(t, storetest.PostgresURL(t))
	for _, sd := range fz.seeds() {
		fz.try(t, sd.route, sd.mode, sd.data)
	}
}

// fuzzSeed is an input of FuzzWriteRoutes.
type fuzzSeed struct {
	route, mode uint8
	data        []byte
}

// seeds is the seed corpus: each route's valid body, then hostile strings and values in
// it, and bytes that are no JSON.
func (fz *fuzzEnv) seeds() []fuzzSeed {
	var out []fuzzSeed
	for i, rt := range fz.routes {
		out = append(out, fuzzSeed{uint8(i), 0, []byte(fz.body(rt))})
		for mode, data := range [][]byte{[]byte(`{"`), []byte("上海\x00\u202e\xff"), []byte(`{"a":[1e999,"\ud800"],"a":null}`)} {
			out = append(out, fuzzSeed{uint8(i), uint8(mode), data})
		}
		out = append(out, fuzzSeed{uint8(i), 1, []byte("上海杰图天下网络科技有限公司")})
	}
	return out
}

// try sends one input and checks the answer and the log.
func (fz *fuzzEnv) try(t *testing.T, route, mode uint8, data []byte) {
	rt := fz.routes[int(route)%len(fz.routes)]
	body := fuzzBody(fz.body(rt), mode, data)
	before := fz.logSize(t)
	r := fz.doAs(t, rt.Method, fz.path(rt.Pattern), fz.tokenFor(rt), "application/json", string(body))
	if r.status >= 500 {
		t.Fatalf("%s %s with %q: got %d: %s", rt.Method, rt.Pattern, body, r.status, r.body)
	}
	after := fz.logSize(t)
	if r.status >= 300 && after != before {
		t.Fatalf("%s %s with %q: refused with %d, but the log grew from %d to %d", rt.Method, rt.Pattern, body, r.status, before, after)
	}
	storetest.CheckPublishedClean(t, fz.db, fz.svc, before, after)
}

// fuzzEnv is a server with an enterprise, its liaison, a department and a case, and a
// valid body for each write route.
type fuzzEnv struct {
	*env
	routes  []ghttp.RouteInfo
	bodies  map[string]string // by "METHOD pattern"
	tokens  map[gongshi.Role]string
	code    string // the enterprise
	record  string // its registration record
	caseNo  string // an inquiry
	account string // an inspector's account
}

// newFuzzEnv makes the env on the PostgreSQL database at dbURL, or on SQLite when it is "".
func newFuzzEnv(tb testing.TB, dbURL string) *fuzzEnv {
	e := newEnvOn(tb, ghttp.Options{}, testNow, dbURL)
	ctx := context.Background()
	fz := &fuzzEnv{env: e, code: uscc(tb, "310115", 77), account: "sh-officer"}
	reg, err := e.pudong.Register(ctx, registration(fz.code))
	if err != nil {
		tb.Fatal(err)
	}
	fz.record = reg.Version.Record
	c, err := e.public.FileCase(ctx, gongshi.CaseForm{Kind: gongshi.CaseInquiry, Division: "310115", Subject: "询问", Content: "询问内容",
		Person: map[string]any{"name": "王五", "phone": "021-68881234"}})
	if err != nil {
		tb.Fatal(err)
	}
	fz.caseNo = c.Number
	fz.tokens = map[gongshi.Role]string{
		gongshi.RoleRegulator:  e.pudong.Token,
		gongshi.RoleDepartment: e.account(gongshi.NewAccount{ID: "fuzz-dept", Role: gongshi.RoleDepartment, Kinds: []string{"licence", "penalty"}}).Token,
		gongshi.RoleEnterprise: e.account(gongshi.NewAccount{ID: "fuzz-liaison", Role: gongshi.RoleEnterprise, Enterprise: fz.code}).Token,
		gongshi.RoleAdmin:      e.account(gongshi.NewAccount{ID: "fuzz-admin", Role: gongshi.RoleAdmin}).Token,
	}
	for _, rt := range ghttp.NewServer(e.svc, nil, nil, ghttp.Options{}).Routes() {
		if rt.Method != "GET" {
			fz.routes = append(fz.routes, rt)
		}
	}
	fz.bodies = validBodies(fz.code, uscc(tb, "310115", 78))
	return fz
}

// validBodies are a valid body of each write route (about the enterprise code, at the
// test's clock, 2026-06-01).
func validBodies(code, fresh string) map[string]string {
	penalty := `{"decision_no":"沪市监浦处〔2026〕7号","violation":"虚假宣传","content":"警告","authority":"上海市浦东新区市场监督管理局","decided":"2026-05-20"}`
	report, _ := json.Marshal(map[string]any{"year": 2025, "fields": storetest.ReportFields()})
	return map[string]string{
		"POST /api/v1/enterprises": `{"uscc":"` + fresh + `","fields":{"name":"上海模糊测试有限公司","type":"有限责任公司","status":"存续",` +
			`"established":"2020-03-16","address":"上海市浦东新区张江路1号","scope":"技术开发\n技术咨询","legal_representative":{"name":"张伟"}}}`,
		"POST /api/v1/enterprises/{code}/records":                           `{"kind":"penalty","arose":"2026-05-20","fields":` + penalty + `}`,
		"POST /api/v1/enterprises/{code}/changes":                           `{"arose":"2026-05-28","reason":"住所变更","fields":{"address":"上海市浦东新区张江路2号"}}`,
		"POST /api/v1/records/{id}/versions":                                `{"reason":"经营范围变更","fields":{"scope":"软件开发"}}`,
		"POST /api/v1/login":                                                `{"id":"sh-officer","password":"wrong"}`,
		"POST /api/v1/enterprises/{code}/annual-reports":                    string(report),
		"POST /api/v1/enterprises/{code}/annual-reports/{year}/corrections": `{"reason":"更正","fields":{"phone":"021-58880001"}}`,
		"POST /api/v1/enterprises/{code}/orders":                            `{"item":"penalty","content":"请公示行政处罚信息","document_no":"沪市监浦责〔2026〕3号"}`,
		"POST /api/v1/consents":                                             `{"grantee":"sh-officer","items":["total_assets"],"until":"2026-12-31"}`,
		"POST /api/v1/inspectors":                                           `{"account":"sh-officer"}`,
		"POST /api/v1/inspectors/{account}/conflicts":                       `{"enterprise":"` + code + `","reason":"亲属任职"}`,
		"POST /api/v1/draws":                                                `{"title":"2026年度浦东新区双随机抽查","jurisdiction":"310115","sample_size":1}`,
		"POST /api/v1/draws/{draw}/results":                                 `{"enterprise":"` + code + `","method":"on_site","checked":"2026-05-30","findings":"未发现问题","outcome":"normal"}`,
		"POST /api/v1/cases": `{"kind":"report","enterprise":"` + code + `","subject":"举报","content":"年报信息虚假",` +
			`"person":{"name":"王五","id_number":"11010519491231002X","phone":"021-68881234"}}`,
		"POST /api/v1/cases/{number}/answer":                   `{"outcome":"answered","answer":"经核查，答复如下。"}`,
		"POST /api/v1/credit-checks":                           `{"codes":["` + code + `","abc"]}`,
		"POST /api/v1/enterprises/{code}/removal-applications": `{"entry":"1","reason":"已补报年度报告"}`,
		"POST /api/v1/enterprises/{code}/objections":           `{"entry":"1","reason":"列入有误"}`,
		"POST /api/v1/enforcement-cases/{id}/decision":         `{"outcome":"removed","document_no":"浦市监移出〔2026〕1号","answer":"准予移出"}`,
		"POST /api/v1/enterprises/{code}/listings":             `{"ground":4,"verified":"2026-05-29","facts":"通过登记的住所无法联系","document_no":"浦市监异〔2026〕9号"}`,
	}
}

// body is the route's valid body: {} for an action that takes none.
func (fz *fuzzEnv) body(rt ghttp.RouteInfo) string {
	if b, ok := fz.bodies[rt.Method+" "+rt.Pattern]; ok {
		return b
	}
	return "{}"
}

var wildcard = regexp.MustCompile(`\{[a-z0-9_]+\}`)

// path fills a pattern's wildcards with values that exist where they can.
func (fz *fuzzEnv) path(pattern string) string {
	values := map[string]string{"{code}": fz.code, "{id}": fz.record, "{year}": "2025", "{consent}": "c_000000000000000000",
		"{account}": fz.account, "{draw}": "D2026-310115-0001", "{number}": fz.caseNo}
	return wildcard.ReplaceAllStringFunc(pattern, func(w string) string { return values[w] })
}

func (fz *fuzzEnv) tokenFor(rt ghttp.RouteInfo) string {
	if !rt.Auth || len(rt.Roles) == 0 {
		return ""
	}
	return fz.tokens[rt.Roles[0]]
}

var stringValue = regexp.MustCompile(`:"[^"\\]*"`)

// fuzzBody makes the body of a fuzz input (see FuzzWriteRoutes).
func fuzzBody(valid string, mode uint8, data []byte) []byte {
	spots := stringValue.FindAllStringIndex(valid, -1)
	if mode%3 == 0 || len(spots) == 0 || len(data) == 0 {
		return data
	}
	s := spots[int(data[0])%len(spots)]
	var value []byte
	if mode%3 == 1 {
		esc := bytes.ReplaceAll(bytes.ReplaceAll(data, []byte(`\`), []byte(`\\`)), []byte(`"`), []byte(`\"`))
		value = append(append([]byte(`"`), esc...), '"')
	} else {
		value = data
	}
	out := append([]byte(valid[:s[0]+1]), value...)
	return append(out, valid[s[1]:]...)
}

func (fz *fuzzEnv) logSize(t testing.TB) int64 {
	n, err := fz.db.TreeSize(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
