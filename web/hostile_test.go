package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/ident"
	"github.com/gongshi/gongshi/storetest"
)

// The hostile-input suite (issue 12): what a hostile client sends, through the real
// listener, to the API and to the web forms, on SQLite and on PostgreSQL. Each case is
// refused with its status, its problem type and the field it names, and the log does not
// grow: nothing malformed or false enters the permanent log.

func TestHostileInputSQLite(t *testing.T) { testHostileInput(t, newEnv(t)) }

func TestHostileInputPostgres(t *testing.T) {
	testHostileInput(t, newEnvOn(t, storetest.PostgresURL(t)))
}

// hostile is a request and how it must be refused.
type hostile struct {
	name   string
	method string
	path   string
	token  string // API bearer token
	ctype  string // Content-Type; "" for application/json when there is a body
	body   string
	status int
	prob   string // the problem type's code: invalid, unsupported_media_type …
	field  string // the field the problem names
	page   string // for a page: what it says; "" for the query error naming field
}

func testHostileInput(t *testing.T, e *env) {
	h := newHostileEnv(t, e)
	for _, c := range h.apiCases() {
		t.Run("api/"+c.name, func(t *testing.T) { h.check(t, c) })
	}
	for _, c := range h.pageCases() {
		t.Run("web/"+c.name, func(t *testing.T) { h.checkPage(t, c) })
	}
	t.Run("web forms", h.formCases)
	t.Run("a valid write is published", h.control)
}

// hostileEnv is an env with API tokens of every publisher and a valid body of each route
// tried, which the cases spoil one way each.
type hostileEnv struct {
	*env
	reg, liaison, dept string // API tokens
	code               string // an enterprise of Shanghai that the regulator covers
	licence            string // the record id of its licence, published by another department
	penalty            string // the record id of its penalty, decided 2025-03-12 by a regulator
	fresh              string // a USCC not registered
}

func newHostileEnv(t *testing.T, e *env) *hostileEnv {
	ctx := context.Background()
	h := &hostileEnv{env: e, code: e.seed.Enterprise}
	for _, a := range []struct {
		tok *string
		in  gongshi.NewAccount
	}{
		{&h.reg, gongshi.NewAccount{ID: "hostile-reg", Role: gongshi.RoleRegulator, Jurisdiction: "310000"}},
		{&h.liaison, gongshi.NewAccount{ID: "hostile-liaison", Role: gongshi.RoleEnterprise, Enterprise: e.seed.Enterprise}},
		{&h.dept, gongshi.NewAccount{ID: "hostile-dept", Role: gongshi.RoleDepartment, Kinds: []string{"licence", "penalty"}}},
	} {
		_, tok, err := e.svc.CreateAccount(ctx, a.in)
		if err != nil {
			t.Fatal(err)
		}
		*a.tok = tok
	}
	u, _ := ident.GenerateUSCC('9', '1', "310115", 4242)
	h.fresh = u.String()
	_, recs, err := e.svc.Records(ctx, gongshi.Anonymous, h.code)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		switch r.Kind {
		case "licence":
			h.licence = r.ID
		case "penalty":
			h.penalty = r.ID
		}
	}
	return h
}

// registration is a valid registration's JSON with the name given, as raw JSON text.
func (h *hostileEnv) registration(rawName string) string {
	return `{"uscc":"` + h.fresh + `","fields":{"name":` + rawName + `,"type":"有限责任公司","status":"存续",` +
		`"established":"2020-03-16","address":"上海市浦东新区张江路1号","legal_representative":{"name":"张伟"}}}`
}

func (h *hostileEnv) apiCases() []hostile {
	reg := func(name, body string, status int, prob, field string) hostile {
		return hostile{name: name, method: "POST", path: "/api/v1/enterprises", token: h.reg, body: body, status: status, prob: prob, field: field}
	}
	penalty := func(name, field, rawValue string) hostile {
		fields := []string{"decision_no", `"沪市监浦处〔2026〕7号"`, "violation", `"虚假宣传"`, "content", `"警告"`,
			"authority", `"上海市浦东新区市场监督管理局"`, "decided", `"2026-05-20"`}
		var members []string
		for i := 0; i < len(fields); i += 2 {
			v := fields[i+1]
			if fields[i] == field {
				v = rawValue
			}
			members = append(members, `"`+fields[i]+`":`+v)
		}
		body := `{"kind":"penalty","arose":"2026-05-20","fields":{` + strings.Join(members, ",") + `}}`
		return hostile{name: name, method: "POST", path: "/api/v1/enterprises/" + h.code + "/records", token: h.reg, body: body,
			status: 400, prob: "invalid", field: "fields." + field}
	}
	get := func(name, path string, status int, prob, field string) hostile {
		return hostile{name: name, method: "GET", path: path, status: status, prob: prob, field: field}
	}
	long := strings.Repeat("上海", 5000)
	return []hostile{
		reg("name with NUL", h.registration(`"上海\u0000恶意有限公司"`), 400, "invalid", "fields.name"),
		reg("name with BEL", h.registration(`"上海\u0007恶意有限公司"`), 400, "invalid", "fields.name"),
		reg("name with an ESC sequence", h.registration(`"\u001b[31m上海恶意有限公司"`), 400, "invalid", "fields.name"),
		reg("name with a right-to-left override", h.registration(`"上海\u202e恶意有限公司"`), 400, "invalid", "fields.name"),
		reg("name with a zero-width space", h.registration("\"上海\u200b恶意有限公司\""), 400, "invalid", "fields.name"),
		reg("name with a newline", h.registration(`"上海\n恶意有限公司"`), 400, "invalid", "fields.name"),
		reg("name with a private-use character", h.registration("\"上海\ue000恶意有限公司\""), 400, "invalid", "fields.name"),
		reg("name of invalid UTF-8", h.registration("\"上海\xff\xfe恶意有限公司\""), 400, "invalid", "fields.name"),
		reg("name with a lone surrogate", h.registration(`"上海\ud800恶意有限公司"`), 400, "invalid", "fields.name"),
		reg("name with a lone low surrogate", h.registration(`"上海\udc00恶意有限公司"`), 400, "invalid", "fields.name"),
		reg("name a number", h.registration(`12345`), 400, "invalid", "fields.name"),
		reg("one-character name", h.registration(`"甲"`), 400, "invalid", "fields.name"),
		reg("name of markup", h.registration(`"<script>上海公司</script>"`), 400, "invalid", "fields.name"),
		reg("duplicate key", h.registration(`"上海真实有限公司","name":"上海恶意测试有限公司"`), 400, "invalid", "fields.name"),
		reg("duplicate key at the top", strings.Replace(h.registration(`"上海恶意测试有限公司"`), `{"uscc":`, `{"uscc":"91310115MA1K00000X","uscc":`, 1), 400, "invalid", "uscc"),
		reg("key in another case", strings.Replace(h.registration(`"上海恶意测试有限公司"`), `{"uscc":`, `{"USCC":`, 1), 400, "invalid", "USCC"),
		reg("byte-order mark", "\ufeff"+h.registration(`"上海恶意测试有限公司"`), 400, "invalid", ""),
		reg("person name with a control character", strings.Replace(h.registration(`"上海恶意测试有限公司"`), `"张伟"`, `"张\u0008伟"`, 1), 400, "invalid", "fields.legal_representative.name"),
		reg("address with a bidi isolate", strings.Replace(h.registration(`"上海恶意测试有限公司"`), `张江路1号`, "张江路\u20661号", 1), 400, "invalid", "fields.address"),
		reg("established in the future", strings.Replace(h.registration(`"上海恶意测试有限公司"`), `2020-03-16`, `2099-01-01`, 1), 400, "invalid", "fields.established"),
		{name: "charset gbk", method: "POST", path: "/api/v1/enterprises", token: h.reg, ctype: "application/json; charset=gbk",
			body: h.registration(`"上海恶意测试有限公司"`), status: 415, prob: "unsupported_media_type"},
		{name: "UTF-16", method: "POST", path: "/api/v1/enterprises", token: h.reg, body: "\xff\xfe{\x00}\x00", status: 415, prob: "unsupported_media_type"},
		{name: "year not a whole number", method: "POST", path: "/api/v1/enterprises/" + h.code + "/annual-reports", token: h.liaison,
			body: `{"year": 2025.5, "fields": {}}`, status: 400, prob: "invalid", field: "year"},
		penalty("penalty decided in the future", "decided", `"2099-01-01"`),
		penalty("penalty without a document number", "decision_no", `"x"`),
		penalty("penalty content with ESC", "content", `"警告\u001b[2J"`),
		penalty("penalty violation on two lines", "violation", `"虚假\n宣传"`),
		penalty("penalty authority a number", "authority", `310115`),
		// Dates that can lie: a penalty said to arise after its decision would count as on
		// time, and so would a correction said to arise long after it.
		{name: "penalty said to arise after its decision", method: "POST", path: "/api/v1/enterprises/" + h.code + "/records", token: h.reg,
			body: strings.Replace(penalty("", "decided", `"2026-05-20"`).body, `"arose":"2026-05-20"`, `"arose":"2026-05-30"`, 1), status: 400, prob: "invalid", field: "arose"},
		{name: "correction said to arise after the decision", method: "POST", path: "/api/v1/records/" + h.penalty + "/versions", token: h.reg,
			body: `{"arose":"2026-05-30","reason":"罚款金额有误","fields":{"fine":"10000"}}`, status: 400, prob: "invalid", field: "arose"},
		// The correction is another department's to make, but its reason is refused first.
		{name: "correction reason with an override", method: "POST", path: "/api/v1/records/" + h.licence + "/versions", token: h.dept,
			body: `{"reason":"更正\u202e","fields":{"valid_to":"2029-08-31"}}`, status: 400, prob: "invalid", field: "reason"},
		{name: "case content with NUL", method: "POST", path: "/api/v1/cases",
			body: `{"kind":"inquiry","division":"310115","subject":"询问","content":"内容\u0000","person":{"name":"王五","phone":"021-68881234"}}`, status: 400, prob: "invalid", field: "content"},
		get("unknown parameter", "/api/v1/lists/abnormal?jurisdiction=310120", 400, "invalid", "jurisdiction"),
		get("parameter given twice", "/api/v1/enterprises?q=上海&q=北京", 400, "invalid", "q"),
		get("search term of 10,000 characters", "/api/v1/enterprises?q="+url.QueryEscape(long), 400, "invalid", "q"),
		get("made-up cursor with NUL", "/api/v1/enterprises?q=上海&cursor=5:%00-1", 400, "invalid", "cursor"),
		get("made-up cursor 1e30", "/api/v1/enterprises?q=上海&cursor=1e30", 400, "invalid", "cursor"),
		get("made-up list cursor", "/api/v1/lists/abnormal?cursor=AQ12345678901234567890", 400, "invalid", "cursor"),
		get("limit not a number", "/api/v1/enterprises?q=上海&limit=1e3", 400, "invalid", "limit"),
		get("record id not digits", "/api/v1/records/abc", 400, "invalid", "id"),
		get("credit check of no code", "/api/v1/credit-checks/abc", 400, "invalid", "code"),
		get("malformed tile path", "/log/tile/x/y", 400, "invalid", "path"),
		get("tile beyond the log", "/log/tile/0/x999/999", 404, "not_found", ""),
		get("document hash not hex", "/api/v1/documents/xyz", 400, "invalid", "sha256"),
	}
}

// check sends an API case and checks its problem, and that the log did not grow.
func (h *hostileEnv) check(t *testing.T, c hostile) {
	before := h.logSize(t)
	start := time.Now()
	resp := h.send(t, c)
	defer resp.Body.Close()
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %v, want a quick refusal", took)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != c.status {
		t.Fatalf("status: got %d, want %d; body %s", resp.StatusCode, c.status, b)
	}
	if ct := resp.Header.Get("Content-Type"); ct != ghttp.ProblemContentType {
		t.Fatalf("Content-Type: got %q, want %q; body %s", ct, ghttp.ProblemContentType, b)
	}
	var p ghttp.Problem
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("problem %s: %v", b, err)
	}
	if p.Type != ghttp.ProblemTypePrefix+c.prob || p.Field != c.field || p.Detail == "" || p.Fix == "" {
		t.Errorf("problem: got type %q, field %q; want %q, %q, with a detail and a fix; body %s", p.Type, p.Field, ghttp.ProblemTypePrefix+c.prob, c.field, b)
	}
	if after := h.logSize(t); after != before {
		t.Errorf("log size: got %d after the request, want %d: something was published", after, before)
	}
}

func (h *hostileEnv) send(t *testing.T, c hostile) *http.Response {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, h.url+c.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.ctype != "" {
		req.Header.Set("Content-Type", c.ctype)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func (h *hostileEnv) logSize(t *testing.T) int64 {
	t.Helper()
	n, err := h.db.TreeSize(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// pageCases are the query strings the pages refuse: an error page of status 400 naming the
// parameter in Chinese.
func (h *hostileEnv) pageCases() []hostile {
	return []hostile{
		{name: "unknown parameter on a list", path: "/lists/abnormal?jurisdiction=310120", field: "jurisdiction"},
		{name: "search term of 10,000 characters", path: "/search?q=" + url.QueryEscape(strings.Repeat("上海", 5000)), field: "q"},
		{name: "made-up search cursor", path: "/search?q=上海&cursor=5:%00-1", field: "cursor"},
		{name: "made-up list cursor", path: "/lists/abnormal?cursor=1e30", field: "cursor", page: "不是本服务器为此查询给出的翻页标记"},
		{name: "page given twice", path: "/search?q=上海&page=2&page=3", field: "page"},
		{name: "unknown parameter on the front page", path: "/?debug=1", field: "debug"},
		{name: "suggestions for 10,000 characters", path: "/suggest?q=" + url.QueryEscape(strings.Repeat("上海", 5000)), field: "q"},
	}
}

func (h *hostileEnv) checkPage(t *testing.T, c hostile) {
	start := time.Now()
	p := h.get(h.client(), c.path)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %v, want a quick refusal", took)
	}
	if p.status != http.StatusBadRequest {
		t.Fatalf("status: got %d, want 400; body %.500s", p.status, p.body)
	}
	if strings.HasPrefix(c.path, "/suggest") {
		if !strings.Contains(p.body, `"field":"`+c.field+`"`) {
			t.Errorf("suggest: got %s, want a problem naming %s", p.body, c.field)
		}
		return
	}
	want := c.page
	if want == "" {
		want = "查询参数“" + c.field + "”"
	}
	if !strings.Contains(p.body, want) {
		t.Errorf("page does not say %q: %.800s", want, p.body)
	}
}

// formCases post hostile forms as a logged-in regulator: the register form re-renders
// with the error on the field (422), a form in another charset is 415, a field sent twice
// 400, and the log does not grow.
func (h *hostileEnv) formCases(t *testing.T) {
	c := h.client()
	h.login(c, h.seed.Regulator)
	token := csrf(t, h.get(c, "/reg/register").body)
	valid := url.Values{"csrf": {token}, "uscc": {h.fresh}, "name": {"上海恶意测试有限公司"}, "type": {"有限责任公司"},
		"status": {"存续"}, "established": {"2020-03-16"}, "address": {"上海市浦东新区张江路1号"}, "legal_representative.name": {"张伟"}}
	with := func(field string, values ...string) url.Values {
		f := url.Values{}
		for k, v := range valid {
			f[k] = v
		}
		f[field] = values
		return f
	}
	for _, fc := range []struct {
		name   string
		form   url.Values
		ctype  string
		status int
		want   string // in the page
	}{
		{"name with NUL", with("name", "上海\x00恶意有限公司"), "", 422, `href="#f-name"`},
		{"name with an ESC sequence", with("name", "\x1b[31m上海恶意有限公司"), "", 422, `href="#f-name"`},
		{"name with a right-to-left override", with("name", "上海\u202e恶意有限公司"), "", 422, `href="#f-name"`},
		{"name of invalid UTF-8", with("name", "上海\xff恶意有限公司"), "", 422, `href="#f-name"`},
		{"name with a CESU-8 surrogate", with("name", "上海\xed\xa0\x80有限公司"), "", 422, `href="#f-name"`},
		{"name with a byte-order mark", with("name", "\ufeff上海恶意有限公司"), "", 422, `href="#f-name"`},
		{"one-character name", with("name", "甲"), "", 422, `href="#f-name"`},
		{"established in the future", with("established", "2099-01-01"), "", 422, `href="#f-established"`},
		{"scope with a private-use character", with("scope", "技术开发\ue000"), "", 422, `href="#f-scope"`},
		{"name sent twice", with("name", "上海甲有限公司", "上海乙有限公司"), "", 400, "name"},
		{"charset gbk", valid, "application/x-www-form-urlencoded; charset=gbk", 415, "gbk"},
		{"not a form", valid, "application/json", 415, "application/json"},
	} {
		t.Run(fc.name, func(t *testing.T) {
			before := h.logSize(t)
			var hdr map[string]string
			if fc.ctype != "" {
				hdr = map[string]string{"Content-Type": fc.ctype}
			}
			p := h.post(c, "/reg/register", fc.form, hdr)
			if p.status != fc.status || !strings.Contains(p.body, fc.want) {
				t.Errorf("got status %d, want %d with %q in the page: %.800s", p.status, fc.status, fc.want, p.body)
			}
			if after := h.logSize(t); after != before {
				t.Errorf("log size: got %d after the form, want %d: something was published", after, before)
			}
		})
	}
	t.Run("penalty form said to arise after its decision", func(t *testing.T) {
		path := "/e/" + h.code + "/publish/penalty"
		tok := csrf(t, h.get(c, path).body)
		before := h.logSize(t)
		p := h.post(c, path, url.Values{"csrf": {tok}, "arose": {"2026-05-30"}, "decision_no": {"沪市监浦处〔2026〕8号"}, "violation": {"虚假宣传"},
			"content": {"警告"}, "authority": {"上海市浦东新区市场监督管理局"}, "decided": {"2026-05-20"}}, nil)
		if p.status != 422 || !strings.Contains(p.body, `href="#f-arose"`) {
			t.Errorf("got status %d, want 422 naming arose: %.800s", p.status, p.body)
		}
		if after := h.logSize(t); after != before {
			t.Errorf("log size: got %d, want %d", after, before)
		}
	})
	t.Run("case form with an ESC sequence", func(t *testing.T) {
		anon := h.client()
		tok := csrf(t, h.get(anon, "/case/new").body)
		before := h.logSize(t)
		p := h.post(anon, "/case/new", url.Values{"csrf": {tok}, "kind": {"inquiry"}, "division": {"310115"}, "subject": {"询问"},
			"content": {"内容\x1b[2J"}, "person.name": {"王五"}, "person.phone": {"021-68881234"}}, nil)
		if p.status != 422 || !strings.Contains(p.body, "content") {
			t.Errorf("got status %d, want 422 naming content: %.800s", p.status, p.body)
		}
		if after := h.logSize(t); after != before {
			t.Errorf("log size: got %d, want %d", after, before)
		}
	})
}

// control: the same checks see a valid registration, through the API and through the
// form, published — the log grows by one each.
func (h *hostileEnv) control(t *testing.T) {
	before := h.logSize(t)
	resp := h.send(t, hostile{method: "POST", path: "/api/v1/enterprises", token: h.reg, body: h.registration(`"上海善意测试有限公司"`)})
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("valid registration: got %d, want 201", resp.StatusCode)
	}
	if after := h.logSize(t); after != before+1 {
		t.Errorf("log size: got %d, want %d", after, before+1)
	}
	c := h.client()
	h.login(c, h.seed.Regulator)
	u, _ := ident.GenerateUSCC('9', '1', "310115", 4243)
	form := url.Values{"csrf": {csrf(t, h.get(c, "/reg/register").body)}, "uscc": {u.String()}, "name": {"上海善意表单有限公司"},
		"type": {"有限责任公司"}, "status": {"存续"}, "established": {"2020-03-16"}, "address": {"上海市浦东新区张江路1号"},
		"legal_representative.name": {"张伟"}, "scope": {"技术开发；\r\n技术咨询。"}}
	if p := h.post(c, "/reg/register", form, nil); p.status != http.StatusSeeOther {
		t.Fatalf("valid form: got %d, want 303: %.800s", p.status, p.body)
	}
	if after := h.logSize(t); after != before+2 {
		t.Errorf("log size: got %d, want %d", after, before+2)
	}
}
