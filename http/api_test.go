package http_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/ident"
	"github.com/gongshi/gongshi/translog"
)

// TestRegisterPublishAmendRead goes through the write path and back: every version is
// kept, each with its log index and hash, and each document hashes to its hash.
func TestRegisterPublishAmendRead(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	ctx := context.Background()
	code := uscc(t, "310115", 1)
	regNo, err := ident.GenerateRegNo("310115", 1)
	if err != nil {
		t.Fatal(err)
	}
	in := registration(code)
	in.RegNo = regNo.String()

	reg, err := e.pudong.Register(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if reg.Enterprise.USCC.String() != code || reg.Version.Version != 1 || reg.Version.SHA256 == "" {
		t.Fatalf("register: got %+v / %+v", reg.Enterprise, reg.Version)
	}
	lic, err := e.health.Publish(ctx, code, gongshi.Publication{Kind: "licence", Arose: "2026-05-20", Fields: map[string]any{
		"licence_no": "沪食许2026-001", "name": "食品经营许可证", "action": "granted", "issuer": "上海市卫生健康委员会", "valid_from": "2026-05-20"}})
	if err != nil {
		t.Fatal(err)
	}
	if !lic.OnTime || lic.Due.IsZero() || lic.Policy == "" {
		t.Errorf("licence published 8 working days after it arose: on_time %v, due %q, policy %q", lic.OnTime, lic.Due, lic.Policy)
	}
	v2, err := e.health.Amend(ctx, lic.Record, gongshi.Amendment{Reason: "有效期更正", Fields: map[string]any{"valid_to": "2031-05-19"}})
	if err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 || v2.Previous != lic.SHA256 || len(v2.Changes) != 1 || v2.Changes[0].Field != "valid_to" {
		t.Errorf("amendment: got version %d, previous %q, changes %+v; want 2, %q, [valid_to]", v2.Version, v2.Previous, v2.Changes, lic.SHA256)
	}
	chg, err := e.pudong.Change(ctx, code, gongshi.Amendment{Arose: "2026-05-28", Fields: map[string]any{"address": "上海市浦东新区张江路2号"}})
	if err != nil {
		t.Fatal(err)
	}
	if chg.Record != reg.Version.Record || chg.Version != 2 {
		t.Errorf("change: got record %s version %d, want record %s version 2", chg.Record, chg.Version, reg.Version.Record)
	}

	page, err := e.public.Enterprise(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if got := page.Enterprise.Profile["address"]; got != "上海市浦东新区张江路2号" {
		t.Errorf("profile address: got %v, want the changed one", got)
	}
	if n := len(page.Sections.Registration); n != 1 {
		t.Fatalf("registration section: got %d records, want 1", n)
	}
	if n := len(page.Sections.Department); n != 1 {
		t.Fatalf("department section: got %d records, want 1", n)
	}
	seen := map[int64]bool{}
	for _, rec := range append(page.Sections.Registration, page.Sections.Department...) {
		if len(rec.Versions) != 2 {
			t.Errorf("record %s (%s): got %d versions, want 2", rec.ID, rec.Kind, len(rec.Versions))
		}
		for _, v := range rec.Versions {
			if seen[v.LogIndex] {
				t.Errorf("log index %d appears twice", v.LogIndex)
			}
			seen[v.LogIndex] = true
			doc, err := e.public.Document(ctx, v.SHA256) // the client checks the hash
			if err != nil {
				t.Fatalf("document of %s v%d: %v", rec.ID, v.Version, err)
			}
			sum := sha256.Sum256(doc)
			if hex.EncodeToString(sum[:]) != v.SHA256 {
				t.Errorf("document of %s v%d does not hash to its sha256", rec.ID, v.Version)
			}
		}
	}

	// Art. 12: a correction shows what changed and links to what it corrects, on read as
	// on write.
	t.Run("read versions show what changed", func(t *testing.T) {
		got := page.Sections.Department[0].Versions[1]
		if got.Previous != lic.SHA256 || len(got.Changes) != 1 {
			t.Errorf("read version 2: previous %q, changes %+v; want %q and [valid_to]", got.Previous, got.Changes, lic.SHA256)
		}
	})

	// The same through the records route, by registration number.
	list, err := e.public.Records(ctx, regNo.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Records) != 2 || list.Enterprise.USCC.String() != code {
		t.Errorf("records by registration number: got %d records of %s, want 2 of %s", len(list.Records), list.Enterprise.USCC, code)
	}
	// Only the records of the kinds asked for; a kind that is not one is named.
	for query, want := range map[string][]string{"licence": {"licence"}, "penalty": nil, "penalty,registration,licence": {"registration", "licence"}} {
		r := e.call("GET", "/api/v1/enterprises/"+code+"/records?kind="+query, "", nil)
		var got ghttp.RecordList
		if err := json.Unmarshal(r.body, &got); r.status != 200 || err != nil {
			t.Fatalf("records of kind %s: %d %v %s", query, r.status, err, r.body)
		}
		var kinds []string
		for _, rec := range got.Records {
			kinds = append(kinds, rec.Kind)
		}
		if !slices.Equal(kinds, want) {
			t.Errorf("records of kind %s: got %v, want %v", query, kinds, want)
		}
	}
	e.call("GET", "/api/v1/enterprises/"+code+"/records?kind=licence,license", "", nil).problem(t, 400, "kind")
	rec, err := e.public.Record(ctx, lic.Record)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Versions) != 2 || rec.Versions[0].SHA256 != lic.SHA256 || rec.Versions[1].SHA256 != v2.SHA256 {
		t.Errorf("record %s: versions do not match what was published", lic.Record)
	}

	hits, err := e.public.Search(ctx, "杰图", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits.Hits) != 1 || hits.Hits[0].USCC.String() != code {
		t.Errorf("search 杰图: got %+v, want %s", hits.Hits, code)
	}

	// Documents are immutable: ETag is the hash and a revalidation is 304.
	r := e.call("GET", "/api/v1/documents/"+lic.SHA256, "", nil)
	if r.status != 200 || r.header.Get("ETag") != `"`+lic.SHA256+`"` || !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Errorf("document: status %d, ETag %q, Cache-Control %q", r.status, r.header.Get("ETag"), r.header.Get("Cache-Control"))
	}
}

// TestPersonalDataNeverPublic: ID numbers and non-public fields reach neither public
// responses nor documents, while the publisher's own answer holds them.
func TestPersonalDataNeverPublic(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	ctx := context.Background()
	code := uscc(t, "310115", 2)
	reg, err := e.pudong.Register(ctx, registration(code))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.pudong.Change(ctx, code, gongshi.Amendment{Fields: map[string]any{"contact_phone": "021-50501234"}}); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(reg)
	if !strings.Contains(string(b), secretID) {
		t.Errorf("the registering regulator's answer lacks the ID number it sent")
	}
	page, err := e.public.Enterprise(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	var sums []string
	for _, rec := range page.Sections.Registration {
		for _, v := range rec.Versions {
			sums = append(sums, v.SHA256)
		}
	}
	paths := []string{"/api/v1/enterprises/" + code, "/api/v1/enterprises/" + code + "/records",
		"/api/v1/records/" + reg.Version.Record, "/api/v1/enterprises?q=" + code[:10], "/api/v1/enterprises?q=张伟"}
	for _, s := range sums {
		paths = append(paths, "/api/v1/documents/"+s)
	}
	for _, p := range paths {
		r := e.call("GET", p, "", nil)
		if r.status != 200 {
			t.Fatalf("GET %s: status %d: %s", p, r.status, r.body)
		}
		for _, secret := range []string{secretID, secretPhone, "021-50501234", "id_number\":\"", "contact_phone\":\""} {
			if strings.Contains(string(r.body), secret) {
				t.Errorf("GET %s shows %q to the public: %s", p, secret, r.body)
			}
		}
	}
	// A regulator in scope sees them; one outside does not.
	r := e.call("GET", "/api/v1/enterprises/"+code, e.pudong.Token, nil)
	if !strings.Contains(string(r.body), secretPhone) && !strings.Contains(string(r.body), "021-50501234") {
		t.Errorf("the regulator in scope does not see contact_phone")
	}
	r = e.call("GET", "/api/v1/enterprises/"+code, e.shenzen.Token, nil)
	if strings.Contains(string(r.body), secretID) {
		t.Errorf("a regulator outside the jurisdiction sees the ID number")
	}
}

// TestProblems: bad input answers 4xx problem+json naming the field and the fix, and
// nothing is stored.
func TestProblems(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	ctx := context.Background()
	code := uscc(t, "310115", 3)
	if _, err := e.pudong.Register(ctx, registration(code)); err != nil {
		t.Fatal(err)
	}
	bad := []byte(code)
	bad[17] = map[bool]byte{true: '1', false: '0'}[bad[17] == '0']
	licence := map[string]any{"licence_no": "X1", "name": "许可", "action": "granted", "issuer": "某局", "valid_from": "2026-05-01"}
	penalty := map[string]any{"decision_no": "沪监罚〔2026〕1号", "violation": "虚假宣传", "content": "罚款", "authority": "上海市市场监督管理局", "decided": "2026-05-01"}
	mortgage := map[string]any{"registration_no": "DY1", "mortgagee": "某银行", "secured_amount": "100", "collateral": "设备", "status": "valid"}

	t.Run("invalid code", func(t *testing.T) {
		p := e.call("GET", "/api/v1/enterprises/"+string(bad), "", nil).problem(t, 400, "code")
		if !strings.Contains(p.Detail, "should be") {
			t.Errorf("detail %q does not say what the check character should be", p.Detail)
		}
	})
	t.Run("unknown enterprise", func(t *testing.T) {
		e.call("GET", "/api/v1/enterprises/"+uscc(t, "310115", 99), "", nil).problem(t, 404, "")
	})
	t.Run("department not authorised for kind", func(t *testing.T) {
		e.call("POST", "/api/v1/enterprises/"+code+"/records", e.health.Token,
			gongshi.Publication{Kind: "penalty", Arose: "2026-05-01", Fields: penalty}).problem(t, 403, "kind")
	})
	t.Run("regulator outside jurisdiction", func(t *testing.T) {
		e.call("POST", "/api/v1/enterprises/"+code+"/records", e.shenzen.Token,
			gongshi.Publication{Kind: "chattel_mortgage", Arose: "2026-05-01", Fields: mortgage}).problem(t, 403, "")
		e.call("POST", "/api/v1/enterprises", e.shenzen.Token, registration(uscc(t, "310115", 4))).problem(t, 403, "uscc")
	})
	t.Run("future date", func(t *testing.T) {
		e.call("POST", "/api/v1/enterprises/"+code+"/records", e.health.Token,
			gongshi.Publication{Kind: "licence", Arose: "2026-12-01", Fields: licence}).problem(t, 400, "arose")
	})
	t.Run("malformed JSON", func(t *testing.T) {
		p := e.call("POST", "/api/v1/enterprises/"+code+"/records", e.health.Token, `{"kind": "licence",`).problem(t, 400, "")
		if !strings.Contains(p.Detail, "JSON") {
			t.Errorf("detail %q does not say the JSON is malformed", p.Detail)
		}
	})
	t.Run("unknown top-level field", func(t *testing.T) {
		e.call("POST", "/api/v1/enterprises/"+code+"/records", e.health.Token,
			`{"kind":"licence","arose":"2026-05-01","fields":{},"colour":"red"}`).problem(t, 400, "colour")
	})
	t.Run("unknown body field", func(t *testing.T) {
		f := map[string]any{"colour": "red"}
		for k, v := range licence {
			f[k] = v
		}
		e.call("POST", "/api/v1/enterprises/"+code+"/records", e.health.Token,
			gongshi.Publication{Kind: "licence", Arose: "2026-05-01", Fields: f}).problem(t, 400, "fields.colour")
	})
	t.Run("wrong JSON type", func(t *testing.T) {
		e.call("POST", "/api/v1/enterprises/"+code+"/records", e.health.Token,
			`{"kind":7,"arose":"2026-05-01","fields":{}}`).problem(t, 400, "kind")
	})
	t.Run("empty body", func(t *testing.T) {
		r := e.call("POST", "/api/v1/login", "", nil)
		r.problem(t, 400, "")
	})
	t.Run("not JSON media type", func(t *testing.T) {
		r := e.callCT("POST", "/api/v1/login", "text/plain", `id=x`)
		r.problem(t, 415, "")
	})
	t.Run("second registration", func(t *testing.T) {
		e.call("POST", "/api/v1/enterprises", e.pudong.Token, registration(code)).problem(t, 409, "uscc")
	})
	t.Run("no route", func(t *testing.T) {
		e.call("GET", "/api/v1/nothing", "", nil).problem(t, 404, "")
		// A path near a route's is answered with that route (or the routes beside it).
		for path, want := range map[string]string{
			"/api/v1/nothing":                          "see /api/openapi.json for every route",
			"/api/v1/credit-check/" + code:             "did you mean GET /api/v1/credit-checks/{code}? see /api/openapi.json for every route",
			"/api/v1/enterprises/" + code + "/recrods": "did you mean GET, POST /api/v1/enterprises/{code}/records? see /api/openapi.json for every route",
			"/api/v1/check_items":                      "did you mean GET, POST /api/v1/check-items? see /api/openapi.json for every route",
			"/api/v1/lists/nosuch":                     "the routes under /api/v1/lists/ are GET /api/v1/lists/abnormal, GET /api/v1/lists/serious; see /api/openapi.json for every route",
			"/api/v2/enterprises/" + code:              "did you mean GET /api/v1/enterprises/{code}? see /api/openapi.json for every route",
			"/api/enterprise/" + code:                  "did you mean GET /api/v1/enterprises/{code}? see /api/openapi.json for every route",
			"/api/opneapi.json":                        "did you mean GET /api/openapi.json? see /api/openapi.json for every route",
			"/log/tiles/0/000":                         "did you mean GET /log/tile/{path}? see /api/openapi.json for every route",
		} {
			if p := e.call("GET", path, "", nil).problem(t, 404, ""); p.Fix != want {
				t.Errorf("GET %s: fix %q, want %q", path, p.Fix, want)
			}
		}
		r := e.call("DELETE", "/api/v1/kinds", "", nil)
		r.problem(t, 405, "")
		if r.header.Get("Allow") == "" {
			t.Errorf("405 without Allow")
		}
		// A path whose only route is a DELETE is there for a GET too (it was 404).
		if r := e.call("GET", "/api/v1/watches/1", "", nil); r.status != 405 || r.header.Get("Allow") != "DELETE" {
			t.Errorf("GET /api/v1/watches/1: %d, Allow %q; want 405, Allow DELETE", r.status, r.header.Get("Allow"))
		}
	})
	t.Run("nothing stored", func(t *testing.T) {
		list, err := e.public.Records(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Records) != 1 {
			t.Errorf("after refused writes: got %d records, want the registration only", len(list.Records))
		}
	})
}

func TestBodyLimit(t *testing.T) {
	e := newEnv(t, ghttp.Options{MaxBodyBytes: 1024})
	big := `{"id":"x","password":"` + strings.Repeat("a", 2048) + `"}`
	p := e.call("POST", "/api/v1/login", "", big).problem(t, 413, "")
	if !strings.Contains(p.Detail, "1024") {
		t.Errorf("413 detail %q does not give the limit", p.Detail)
	}
}

func TestAuthentication(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	for _, h := range []string{"gs_notatoken", "nonsense"} {
		r := e.call("GET", "/api/v1/kinds", h, nil)
		r.problem(t, 401, "")
		if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("401 WWW-Authenticate: got %q", r.header.Get("WWW-Authenticate"))
		}
	}
	e.call("GET", "/api/v1/me", "", nil).problem(t, 401, "")
	e.call("POST", "/api/v1/enterprises", "", registration(uscc(t, "310115", 5))).problem(t, 401, "")
	me, err := e.pudong.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != "sh-officer" || me.Role != gongshi.RoleRegulator {
		t.Errorf("me: got %+v", me)
	}
	if _, _, err := e.svc.CreateAccount(context.Background(), gongshi.NewAccount{ID: "admin", Role: gongshi.RoleAdmin, Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	c := ghttp.NewClient(e.url, "")
	if _, err := c.Login(context.Background(), "admin", "wrong password!"); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
		t.Errorf("login with a wrong password: got %v, want unauthorized", err)
	}
	if _, err := c.Login(context.Background(), "admin", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if me, err := c.Me(context.Background()); err != nil || me.ID != "admin" {
		t.Errorf("me after login: got %+v, %v", me, err)
	}
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, ghttp.Options{RateLimit: ghttp.RateLimit{PerSecond: 0.01, Burst: 3}})
	for i := 0; i < 3; i++ {
		if r := e.call("GET", "/api/v1/kinds", "", nil); r.status != 200 {
			t.Fatalf("request %d: status %d", i, r.status)
		}
	}
	r := e.call("GET", "/api/v1/kinds", "", nil)
	r.problem(t, 429, "")
	if r.header.Get("Retry-After") != "100" || r.header.Get("RateLimit-Policy") != `"address";q=3;w=300` || r.header.Get("RateLimit") != `"address";r=0;t=300` {
		t.Errorf("429: Retry-After %q, RateLimit-Policy %q, RateLimit %q; want 100, \"address\";q=3;w=300, \"address\";r=0;t=300",
			r.header.Get("Retry-After"), r.header.Get("RateLimit-Policy"), r.header.Get("RateLimit"))
	}
	// The OpenAPI document publishes the numbers (it is limited too: read it with a token).
	doc := e.call("GET", "/api/openapi.json", e.pudong.Token, nil)
	for _, want := range []string{"per address, for anonymous callers and bad credentials, 0.01 requests/s in bursts of 3", `"RateLimit-Policy"`, `"Retry-After"`} {
		if !strings.Contains(string(doc.body), want) {
			t.Errorf("the OpenAPI document lacks %q", want)
		}
	}
	// A bad token does not escape the limit.
	e.call("GET", "/api/v1/kinds", "gs_guess", nil).problem(t, 429, "")
	// Authenticated callers are not limited as anonymous ones are.
	if r := e.call("GET", "/api/v1/me", e.pudong.Token, nil); r.status != 200 {
		t.Errorf("authenticated caller: status %d, want 200", r.status)
	}
	// The log, documents and probes are not limited: an auditor reads all of them.
	for _, p := range []string{"/log/key", "/healthz"} {
		if r := e.call("GET", p, "", nil); r.status != 200 {
			t.Errorf("GET %s when limited: status %d, want 200", p, r.status)
		}
	}
}

// TestServerNotices: the simulated clock, metrics and the mounted log.
func TestServerNotices(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	r := e.call("GET", "/healthz", "", nil)
	if got := r.header.Get("Gongshi-Clock"); !strings.HasPrefix(got, "simulated 2026-06-01T10:0") {
		t.Errorf("Gongshi-Clock: got %q, want simulated 2026-06-01T10:0…", got)
	}
	e.call("GET", "/api/v1/enterprises/x", "", nil)
	m := string(e.call("GET", "/metrics", "", nil).body)
	for _, want := range []string{
		`gongshi_http_requests_total{route="GET /healthz",status="200"} 1`,
		`gongshi_http_requests_total{route="GET /api/v1/enterprises/{code}",status="400"} 1`,
		`gongshi_http_request_duration_seconds_bucket{route="GET /healthz",le="+Inf"} 1`,
		"gongshi_http_requests_in_flight 1",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s:\n%s", want, m)
		}
	}

	if _, err := e.pudong.Register(context.Background(), registration(uscc(t, "310115", 6))); err != nil {
		t.Fatal(err)
	}
	if _, err := translog.NewCheckpointer(e.db, e.signer).Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	key := e.call("GET", "/log/key", "", nil)
	if key.status != 200 || strings.TrimSpace(string(key.body)) != e.signer.VerifierKey() {
		t.Errorf("/log/key: status %d, body %q", key.status, key.body)
	}
	cp := e.call("GET", "/log/checkpoint", "", nil)
	if cp.status != 200 || !strings.HasPrefix(string(cp.body), translog.DefaultOrigin+"\n1\n") {
		t.Errorf("/log/checkpoint: status %d, body %q", cp.status, cp.body)
	}
	if r := e.call("GET", "/log/tile/entries/000.p/1", "", nil); r.status != 200 {
		t.Errorf("/log/tile/entries/000.p/1: status %d: %s", r.status, r.body)
	}
}

// TestPublishedByAnEnterprise: a record the enterprise published is corrected only by it,
// and the refusal says so in English ("by an enterprise", not "by a enterprise").
func TestPublishedByAnEnterprise(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	ctx := context.Background()
	code := uscc(t, "310115", 5)
	if _, err := e.pudong.Register(ctx, registration(code)); err != nil {
		t.Fatal(err)
	}
	liaison := e.account(gongshi.NewAccount{ID: "grammar-liaison", Role: gongshi.RoleEnterprise, Enterprise: code})
	v, err := liaison.Publish(ctx, code, gongshi.Publication{Kind: "penalty", Arose: "2026-05-20", Fields: map[string]any{
		"decision_no": "沪市监浦处〔2026〕5号", "violation": "虚假宣传", "content": "警告", "authority": "上海市浦东新区市场监督管理局", "decided": "2026-05-20"}})
	if err != nil {
		t.Fatal(err)
	}
	p := e.call("POST", "/api/v1/records/"+v.Record+"/versions", e.pudong.Token, `{"reason":"更正","fields":{"content":"罚款"}}`).problem(t, 403, "")
	if !strings.Contains(p.Detail, "published by an enterprise") {
		t.Errorf("detail: got %q, want it to say \"published by an enterprise\"", p.Detail)
	}
}

// TestSearchNFC: names are stored in NFC, and a term typed decomposed (e + U+0301) finds
// them as typed composed.
func TestSearchNFC(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	ctx := context.Background()
	in := registration(uscc(t, "310115", 6))
	in.Fields["name"] = "上海Cafe\u0301咖啡有限公司"
	if _, err := e.pudong.Register(ctx, in); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"Café咖啡", "Cafe\u0301咖啡"} {
		res, err := e.public.Search(ctx, q, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 1 || res.Hits[0].Name != "上海Café咖啡有限公司" {
			t.Errorf("search %q: got %+v, want the one enterprise, named in NFC", q, res.Hits)
		}
	}
}
