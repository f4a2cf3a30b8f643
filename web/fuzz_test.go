package web_test

import (
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/ident"
	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
	"github.com/gongshi/gongshi/web"
)

// FuzzWebForms sends random forms to every web form that writes (every POST route the web
// package registers), with a valid session of the role the form is for and its CSRF
// token: no answer is a 5xx, the log grows only when the answer is the success redirect
// (303), and whatever is published holds clean text only (gongshi.CleanText leaves every
// string of its document as it is). It mirrors http.FuzzWriteRoutes. The seed corpus — a
// valid form of each route, then the same form with a hostile value, a random field and
// raw bytes — runs with go test; TestWebFormsPostgres runs it on PostgreSQL.
//
// Each input is a form (index into webForms), a mode and some bytes: mode 0 appends the
// bytes, raw, to the encoded valid form (random field names, broken escapes, anything);
// mode 1 sets one field of the valid form (chosen by the first byte) to the rest of the
// bytes; mode 2 adds a field named by the first half of the bytes with the second half;
// mode 3 is mode 1 with the value repeated to 64 kB << (first byte % 5), up to a form
// larger than web.MaxFormBytes (huge values come from small inputs, which keeps fuzzing
// quick).
func FuzzWebForms(f *testing.F) {
	fz := newWebFuzz(f, "")
	for _, sd := range fz.seeds() {
		f.Add(sd.form, sd.mode, sd.data)
	}
	f.Fuzz(fz.try)
}

// TestWebFormsPostgres sends FuzzWebForms's seed corpus on PostgreSQL.
func TestWebFormsPostgres(t *testing.T) {
	fz := newWebFuzz(t, storetest.PostgresURL(t))
	for _, sd := range fz.seeds() {
		fz.try(t, sd.form, sd.mode, sd.data)
	}
}

// webForm is a form that writes: its route pattern, the path it is posted to, who posts
// it ("" anonymous, "login" a fresh visitor, "logout" a fresh liaison's session, else a
// seeded account id) and its valid fields.
type webForm struct {
	pattern, path, as string
	fields            url.Values
}

type webFuzz struct {
	url     string
	svc     *gongshi.Service
	db      *sqlstore.DB
	seed    *web.Seeded
	forms   []webForm
	clients map[string]*http.Client // by account id; "" anonymous
	tokens  map[string]string       // their CSRF tokens
	// strict: the valid forms must be accepted. So they are when the seed corpus runs in
	// order (go test); fuzzing workers run inputs in any order, after others changed the
	// register.
	strict bool
}

func newWebFuzz(tb testing.TB, dbURL string) *webFuzz {
	ctx := context.Background()
	clock := &settableClock{c: gongshi.NewFixedClock(seriousSince)}
	st := testserver.Start(tb, testserver.Options{Clock: clock, DBURL: dbURL, Pages: true})
	serious, seriousEntry := seriousListing(tb, st.Svc, clock)
	clock.set(testNow)
	seed, err := web.Seed(ctx, st.Svc)
	if err != nil {
		tb.Fatal(err)
	}
	fz := &webFuzz{url: st.URL, svc: st.Svc, db: st.DB, seed: seed,
		clients: map[string]*http.Client{}, tokens: map[string]string{}, strict: flag.Lookup("test.fuzz").Value.String() == ""}
	code := seed.Enterprise
	_, recs, err := st.Svc.Records(ctx, gongshi.Anonymous, code)
	if err != nil {
		tb.Fatal(err)
	}
	penalty := ""
	for _, r := range recs {
		if r.Kind == "penalty" {
			penalty = r.ID
		}
	}
	c, err := st.Svc.FileCase(ctx, gongshi.CaseForm{Kind: gongshi.CaseInquiry, Division: "310115", Subject: "询问", Content: "询问内容",
		Person: map[string]any{"name": "王五", "phone": "021-68881234"}})
	if err != nil {
		tb.Fatal(err)
	}
	u, _ := ident.GenerateUSCC('9', '1', "310115", 4343)
	// A listing of the enterprise, an objection to it pending, and a draw planned, for the
	// forms that act on them.
	regAcct, _, err := st.Svc.Login(ctx, seed.Regulator, seed.Password, "")
	if err != nil {
		tb.Fatal(err)
	}
	liaisonAcct, _, err := st.Svc.Login(ctx, seed.Liaison, seed.Password, "")
	if err != nil {
		tb.Fatal(err)
	}
	listed, err := st.Svc.DecideListing(ctx, regAcct, code, gongshi.ListingDecision{Ground: 4, Verified: "2026-05-29",
		Facts: "通过登记的住所无法联系", DocumentNo: "浦市监异〔2026〕8号"})
	if err != nil {
		tb.Fatal(err)
	}
	entry := listed.Entry.ID
	objection, err := st.Svc.Object(ctx, liaisonAcct, code, gongshi.CaseInput{Entry: entry, Reason: "列入有误"})
	if err != nil {
		tb.Fatal(err)
	}
	consent, err := st.Svc.GrantConsent(ctx, liaisonAcct, gongshi.ConsentGrant{Grantee: seed.Regulator, Items: []string{"total_assets"}, Until: "2026-12-31"})
	if err != nil {
		tb.Fatal(err)
	}
	for _, id := range []string{"fuzz-inspector-1", "fuzz-inspector-2", "fuzz-inspector-3"} {
		if _, _, err := st.Svc.CreateAccount(ctx, gongshi.NewAccount{ID: id, Name: "检查员", Role: gongshi.RoleRegulator, Jurisdiction: "310115"}); err != nil {
			tb.Fatal(err)
		}
		if _, err := st.Svc.AddInspector(ctx, regAcct, id); err != nil {
			tb.Fatal(err)
		}
	}
	draw, err := st.Svc.PlanDraw(ctx, regAcct, gongshi.DrawPlan{Title: "2026年度浦东新区双随机抽查", Jurisdiction: "310115", SampleSize: 1, InspectorsPerEnterprise: 2})
	if err != nil {
		tb.Fatal(err)
	}
	// A draw of every enterprise of 310115, drawn, to record results of.
	all := gongshi.DrawPlan{Title: "2026年度浦东新区全面抽查", Jurisdiction: "310115", InspectorsPerEnterprise: 2}
	pop, err := st.Svc.PreviewDraw(ctx, regAcct, all)
	if err != nil {
		tb.Fatal(err)
	}
	all.SampleSize = pop.Count
	drawn, err := st.Svc.PlanDraw(ctx, regAcct, all)
	if err == nil {
		_, err = st.Svc.RunDraw(ctx, regAcct, drawn.Number)
	}
	if err != nil {
		tb.Fatal(err)
	}
	v := func(kv ...string) url.Values {
		out := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	reg, liaison, dept := seed.Regulator, seed.Liaison, seed.Department
	fz.forms = []webForm{
		{"POST /credit-check", "/credit-check", "", v("codes", code+"\nabc", "as_of", "2026-05-31")},
		{"POST /case/new", "/case/new", "", v("kind", "inquiry", "division", "310115", "subject", "询问", "content", "询问内容",
			"person.name", "王五", "person.phone", "021-68881234")},
		{"POST /case/{number}", "/case/" + c.Number, reg, v("action", "answer", "outcome", "answered", "answer", "经核查，答复如下。")},
		{"POST /login", "/login", "login", v("id", liaison, "password", seed.Password)},
		{"POST /logout", "/logout", "logout", v()},
		{"POST /e/{code}/publish/{kind}", "/e/" + code + "/publish/penalty", reg, v("arose", "2026-05-20", "decision_no", "沪市监浦处〔2026〕8号",
			"violation", "虚假宣传", "content", "警告", "authority", "上海市浦东新区市场监督管理局", "decided", "2026-05-20")},
		{"POST /e/{code}/publish/{kind}", "/e/" + code + "/publish/licence", dept, v("arose", "2026-05-20", "licence_no", "沪卫食证字〔2026〕第0001号",
			"name", "食品经营许可证", "action", "granted", "issuer", "上海市卫生健康委员会", "valid_from", "2026-05-20", "valid_to", "2031-05-19")},
		{"POST /my/annual/{year}", "/my/annual/2025", liaison, v("step", "1", "mailing_address", "上海市浦东新区张江路88号", "postal_code", "201203",
			"phone", "021-58880000", "email", "office@example.cn", "operating_status", "operating", "employees", "25")},
		{"POST /my/annual/{year}", "/my/annual/2025", liaison, v("step", "4")},
		{"POST /my/consent", "/my/consent", liaison, v("grantee", reg, "items", "total_assets", "until", "2026-12-31")},
		{"POST /my/consent/{id}/revoke", "/my/consent/" + consent.ID + "/revoke", liaison, v()},
		{"POST /r/{id}/amend", "/r/" + penalty + "/amend", reg, v("arose", "2025-03-12", "reason", "罚款金额有误",
			"decision_no", "沪市监浦处〔2025〕152号", "violation", "虚假宣传", "content", "警告，罚款人民币一万元", "fine", "10000",
			"authority", "上海市浦东新区市场监督管理局", "decided", "2025-03-12")},
		{"POST /reg/register", "/reg/register", reg, v("uscc", u.String(), "name", "上海模糊表单有限公司", "type", "有限责任公司", "status", "存续",
			"established", "2020-03-16", "address", "上海市浦东新区张江路1号", "legal_representative.name", "张伟", "scope", "技术开发\r\n技术咨询")},
		{"POST /e/{code}/lists/{entry}", "/e/" + code + "/lists/" + entry, liaison, v("kind", "removal", "reason", "列入有误")},
		{"POST /reg/enforcement/{id}", "/reg/enforcement/" + objection.ID, reg, v("outcome", "accepted", "document_no", "浦市监异受〔2026〕1号", "answer", "予以受理")},
		{"POST /e/{code}/order", "/e/" + code + "/order", reg, v("item", "licence", "content", "公示食品经营许可证", "document_no", "沪市监责〔2026〕1号")},
		{"POST /e/{code}/listing", "/e/" + seed.Others[0] + "/listing", reg, v("ground", "4", "verified", "2026-05-29", "facts", "通过登记的住所无法联系",
			"document_no", "浦市监异〔2026〕9号")},
		{"POST /e/{code}/licence-revocation", "/e/" + code + "/licence-revocation", reg, v("document_no", "浦市监吊〔2026〕1号")},
		{"POST /e/{code}/credit-repair", "/e/" + code + "/credit-repair", reg, v("penalty", penalty, "obligations_fulfilled", "on",
			"harm_removed", "on", "document_no", "浦市监信修〔2026〕1号")},
		{"POST /e/{code}/early-removal", "/e/" + serious + "/early-removal", reg, v("entry", seriousEntry, "obligations_fulfilled", "on",
			"harm_removed", "on", "document_no", "浦市监信修〔2026〕2号")},
		{"POST /reg/draws", "/reg/draws", reg, v("title", "2026年度浦东新区双随机抽查", "jurisdiction", "310115", "sample_size", "1",
			"inspectors_per_enterprise", "2")},
		{"POST /reg/draws/{number}/run", "/reg/draws/" + draw.Number + "/run", reg, v()},
		{"POST /reg/draws/{number}/results", "/reg/draws/" + drawn.Number + "/results", reg, v("enterprise", code, "method", "on_site",
			"checked", "2026-06-01", "findings", "未发现问题", "outcome", "normal")},
	}
	fz.coverEveryRoute(tb)
	if _, _, err := st.Svc.CreateAccount(ctx, gongshi.NewAccount{ID: logoutAccount, Role: gongshi.RoleEnterprise, Enterprise: code, Password: seed.Password}); err != nil {
		tb.Fatal(err)
	}
	for _, id := range []string{"", reg, liaison, dept} {
		fz.clients[id], fz.tokens[id] = fz.session(tb, id)
	}
	return fz
}

// seriousSince is the day seriousListing lists its enterprise as unreachable: three years
// and more before testNow, so that a sweep has put it on the serious list by then.
var seriousSince = time.Date(2023, 1, 4, 10, 0, 0, 0, testNow.Location())

// seriousListing registers an enterprise on seriousSince, lists it as unreachable and,
// sweeping on 2026-01-06, on the serious list, for the early-removal form (refused: not yet
// a year). It runs before Seed, on the register's clock set back, as a register's history
// would have been made; it returns the enterprise's code and its serious entry's id.
func seriousListing(tb testing.TB, svc *gongshi.Service, clock *settableClock) (string, string) {
	ctx := context.Background()
	reg, _, err := svc.CreateAccount(ctx, gongshi.NewAccount{ID: "fuzz-serious", Name: "上海市浦东新区市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310115"})
	if err != nil {
		tb.Fatal(err)
	}
	u, _ := ident.GenerateUSCC('9', '1', "310115", 4344)
	if _, _, err := svc.Register(ctx, reg, gongshi.Registration{USCC: u.String(), Fields: map[string]any{"name": "上海浦东失信示例有限公司",
		"type": "有限责任公司", "status": "存续", "established": "2022-03-01", "address": "上海市浦东新区张江路9号",
		"legal_representative": map[string]any{"name": "赵六"}, "scope": "技术开发"}}); err != nil {
		tb.Fatal(err)
	}
	if _, err := svc.DecideListing(ctx, reg, u.String(), gongshi.ListingDecision{Ground: gongshi.GroundUnreachable, Verified: "2023-01-03",
		Facts: "通过登记的住所无法联系", DocumentNo: "浦市监异〔2023〕1号"}); err != nil {
		tb.Fatal(err)
	}
	clock.set(time.Date(2026, 1, 6, 10, 0, 0, 0, testNow.Location()))
	if _, err := svc.Sweep(ctx, gongshi.SweepOptions{AsOf: calendar.DateOf(clock.Now())}); err != nil {
		tb.Fatal(err)
	}
	pg, err := svc.Page(ctx, reg, u.String())
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range pg.Enterprise.ListStatus.Entries {
		if e.List == gongshi.ListSerious {
			return u.String(), e.ID
		}
	}
	tb.Fatalf("no serious listing of %s after the sweep: %v", u, pg.Enterprise.ListStatus.Entries)
	return "", ""
}

// settableClock is a running clock the fuzz setup sets back and forth while it makes the
// register's history.
type settableClock struct {
	mu sync.Mutex
	c  *gongshi.FixedClock
}

func (s *settableClock) Now() time.Time { s.mu.Lock(); defer s.mu.Unlock(); return s.c.Now() }

func (s *settableClock) set(t time.Time) { s.mu.Lock(); s.c = gongshi.NewFixedClock(t); s.mu.Unlock() }

var postRoute = regexp.MustCompile(`h\.page\("(POST [^"]+)"`)

// coverEveryRoute fails unless every POST route the web package registers has a form.
func (fz *webFuzz) coverEveryRoute(tb testing.TB) {
	files, _ := filepath.Glob("*.go")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, m := range postRoute.FindAllStringSubmatch(string(b), -1) {
			n++
			if !slices.ContainsFunc(fz.forms, func(w webForm) bool { return w.pattern == m[1] }) {
				tb.Errorf("%s (%s) has no form in FuzzWebForms", m[1], f)
			}
		}
	}
	if n < 15 {
		tb.Fatalf("found %d POST routes in the web package, want more", n)
	}
}

// logoutAccount is the account each logout input starts a session of: an account of its
// own, so that the wrong passwords the login inputs send never make it wait.
const logoutAccount = "fuzz-logout"

// sessionOf is a client with a new session of account id, started by the service (not by
// the login form, whose backoff would slow the fuzzing down), and its form token.
func (fz *webFuzz) sessionOf(tb testing.TB, id string) (*http.Client, string) {
	ss, err := fz.svc.StartSession(context.Background(), id, fz.seed.Password, "")
	if err != nil {
		tb.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(fz.url)
	jar.SetCookies(u, []*http.Cookie{{Name: "gs_session", Value: ss.ID, Path: "/"}})
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	_, body := fz.do(tb, c, "GET", "/", "")
	return c, csrf(tb, body)
}

// session is a client with a session of account id ("" a visitor's pre-session) and the
// form token that goes with it.
func (fz *webFuzz) session(tb testing.TB, id string) (*http.Client, string) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	status, body := fz.do(tb, c, "GET", "/login", "")
	if status != http.StatusOK {
		tb.Fatalf("GET /login: %d", status)
	}
	tok := csrf(tb, body)
	if id == "" {
		return c, tok
	}
	form := url.Values{"csrf": {tok}, "id": {id}, "password": {fz.seed.Password}}
	if status, body := fz.do(tb, c, "POST", "/login", form.Encode()); status != http.StatusSeeOther {
		tb.Fatalf("login %s: %d %.500s", id, status, body)
	}
	_, body = fz.do(tb, c, "GET", "/", "")
	return c, csrf(tb, body)
}

func (fz *webFuzz) do(tb testing.TB, c *http.Client, method, path, body string) (int, string) {
	req, err := http.NewRequest(method, fz.url+path, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

type webSeed struct {
	form, mode uint8
	data       []byte
}

// seeds: each form as it is, then a hostile value in it, a random field, raw bytes and a
// value too large for the form.
func (fz *webFuzz) seeds() []webSeed {
	var out []webSeed
	for i := range fz.forms {
		f := uint8(i)
		out = append(out, webSeed{f, 1, nil},
			webSeed{f, 1, []byte("\x00上海\x00\u202e\xff\x1b[31m")},
			webSeed{f, 1, []byte("\x01上海杰图天下网络科技有限公司")},
			webSeed{f, 1, []byte("\x02\xed\xa0\x80\ufeff\ue000")},
			webSeed{f, 2, []byte("csrfcsrf")},
			webSeed{f, 2, []byte("name\xffvalue\r\n")},
			webSeed{f, 0, []byte("%zz&=&&x=%ff%00&csrf=1")},
			webSeed{f, 3, []byte("\x01上海")},
			webSeed{f, 3, []byte("\x04\x00")},
		)
	}
	return out
}

// body makes the form of a fuzz input (see FuzzWebForms), with the token.
func webFuzzBody(valid url.Values, token string, mode uint8, data []byte) string {
	f := url.Values{}
	for k, v := range valid {
		f[k] = slices.Clone(v)
	}
	f.Set("csrf", token)
	switch mode % 4 {
	case 0:
		return f.Encode() + "&" + string(data)
	case 1, 3:
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range valid {
				if !yield(k) {
					return
				}
			}
		})
		if len(keys) > 0 && len(data) > 0 {
			value := string(data[1:])
			if mode%4 == 3 && value != "" {
				value = strings.Repeat(value, (64<<10<<(data[0]%5))/len(value)+1)
			}
			f.Set(keys[int(data[0])%len(keys)], value)
		}
	case 2:
		f.Add(string(data[:len(data)/2]), string(data[len(data)/2:]))
	}
	return f.Encode()
}

// try sends one input and checks the answer and the log.
func (fz *webFuzz) try(t *testing.T, form, mode uint8, data []byte) {
	wf := fz.forms[int(form)%len(fz.forms)]
	c, token := fz.clients[wf.as], fz.tokens[wf.as]
	switch wf.as {
	case "login":
		c, token = fz.session(t, "")
	case "logout":
		c, token = fz.sessionOf(t, logoutAccount)
	}
	body := webFuzzBody(wf.fields, token, mode, data)
	before := fz.logSize(t)
	status, page := fz.do(t, c, "POST", wf.path, body)
	if status >= 500 {
		t.Fatalf("POST %s with %.300q: got %d: %.800s", wf.path, body, status, page)
	}
	after := fz.logSize(t)
	if fz.strict && mode%4 == 1 && len(data) == 0 && status != http.StatusOK && status != http.StatusSeeOther {
		t.Errorf("POST %s: the valid form got %d, want 200 or 303: %s", wf.path, status, errText(page))
	}
	if status != http.StatusSeeOther && after != before {
		t.Fatalf("POST %s with %.300q: answered %d, but the log grew from %d to %d", wf.path, body, status, before, after)
	}
	storetest.CheckPublishedClean(t, fz.db, fz.svc, before, after)
}

func (fz *webFuzz) logSize(t testing.TB) int64 {
	n, err := fz.db.TreeSize(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// errText is the error a page shows, for a failure's message.
func errText(p string) string {
	for _, m := range regexp.MustCompile(`(?s)class="[^"]*(error|err)[^"]*"[^>]*>(.{0,300})`).FindAllStringSubmatch(p, 3) {
		return regexp.MustCompile(`<[^>]+>|\s+`).ReplaceAllString(m[2], " ")
	}
	return ""
}
