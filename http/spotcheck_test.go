package http_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/translog"
)

// naiveDraw re-derives a draw's result text from its published texts and seed, written
// from package draw's documentation alone: the independent program of the issue.
func naiveDraw(population, roster, seedHex string, k, n int) string {
	seed, _ := hex.DecodeString(seedHex)
	codes := strings.Fields(population)
	hash := func(parts ...[]byte) string {
		h := sha256.New()
		for _, p := range parts {
			h.Write(p)
		}
		return string(h.Sum(nil))
	}
	sort.Slice(codes, func(i, j int) bool {
		a, b := hash(seed, []byte(codes[i])), hash(seed, []byte(codes[j]))
		return a < b || a == b && codes[i] < codes[j]
	})
	conflicts := map[string]map[string]bool{}
	var ids []string
	for _, line := range strings.Split(strings.TrimSuffix(roster, "\n"), "\n") {
		f := strings.Split(line, "\t")
		ids = append(ids, f[0])
		conflicts[f[0]] = map[string]bool{}
		for _, c := range f[1:] {
			conflicts[f[0]][c] = true
		}
	}
	load := map[string]int{}
	var out strings.Builder
	for r, c := range codes[:k] {
		var el []string
		for _, id := range ids {
			if !conflicts[id][c] {
				el = append(el, id)
			}
		}
		key := func(id string) string { return hash(seed, []byte(c), []byte{0}, []byte(id)) }
		sort.Slice(el, func(i, j int) bool {
			if load[el[i]] != load[el[j]] {
				return load[el[i]] < load[el[j]]
			}
			return key(el[i]) < key(el[j]) || key(el[i]) == key(el[j]) && el[i] < el[j]
		})
		fmt.Fprintf(&out, "%d\t%s", r+1, c)
		for _, id := range el[:n] {
			out.WriteString("\t" + id)
			load[id]++
		}
		out.WriteString("\n")
	}
	return out.String()
}

// spotCheckEnv registers n enterprises in Pudong and puts three inspectors on the roster.
func spotCheckEnv(t *testing.T, n int) (*env, []string) {
	e := newEnv(t, ghttp.Options{})
	ctx := context.Background()
	var codes []string
	for i := 0; i < n; i++ {
		c := uscc(t, "310115", uint64(700+i))
		if _, err := e.pudong.Register(ctx, registration(c)); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, c)
	}
	for i := 0; i < 3; i++ {
		id := "pd-inspector-" + strconv.Itoa(i)
		e.account(gongshi.NewAccount{ID: id, Name: "浦东检查员" + strconv.Itoa(i), Role: gongshi.RoleRegulator, Jurisdiction: "310115"})
		if _, err := e.pudong.AddInspector(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	return e, codes
}

func TestSpotCheckDrawOverHTTP(t *testing.T) {
	e, codes := spotCheckEnv(t, 40)
	ctx := context.Background()
	tok := e.pudong.Token
	e.call("POST", "/api/v1/inspectors/pd-inspector-0/conflicts", tok, map[string]any{"enterprise": codes[3], "reason": "曾任财务顾问"}).expect(t, 201)

	e.call("POST", "/api/v1/draws", tok, map[string]any{"title": "浦东抽查", "jurisdiction": "310115", "sample_size": 1}).problem(t, 400, "sample_size")
	e.call("POST", "/api/v1/draws", "", map[string]any{"title": "浦东抽查", "sample_size": 5}).problem(t, 401, "")
	e.call("POST", "/api/v1/draws", tok, map[string]any{"title": "浦东抽查", "sample_size": 5, "colour": "red"}).problem(t, 400, "colour")

	d, err := e.pudong.PlanDraw(ctx, gongshi.DrawPlan{Title: "2026年浦东新区双随机抽查", Jurisdiction: "310115", SampleSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	pub, err := e.public.Draw(ctx, d.Number)
	if err != nil || pub.Seed != "" || pub.SeedSHA256 == "" {
		t.Fatalf("planned draw, publicly: %+v %v", pub, err)
	}
	e.call("GET", "/api/v1/draws/"+d.Number+"/result", "", nil).problem(t, 404, "")
	if _, err := e.public.VerifyDraw(ctx, d.Number, ""); err == nil {
		t.Error("a planned draw verified")
	}
	if _, err := e.pudong.RunDraw(ctx, d.Number); err != nil {
		t.Fatal(err)
	}
	e.call("POST", "/api/v1/draws/"+d.Number+"/run", tok, map[string]any{}).problem(t, 409, "")
	if _, err := translog.NewCheckpointer(e.db, e.signer).Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}

	chk, err := e.public.VerifyDraw(ctx, d.Number, e.signer.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	if !chk.OK() || chk.Selected != 5 || !chk.InLog {
		t.Fatalf("verify: %+v", chk)
	}

	// The independent program agrees.
	d, _ = e.public.Draw(ctx, d.Number)
	pop, _ := e.public.DrawText(ctx, d.Number, "population")
	roster, _ := e.public.DrawText(ctx, d.Number, "roster")
	result, _ := e.public.DrawText(ctx, d.Number, "result")
	if got := naiveDraw(string(pop), string(roster), d.Seed, 5, 2); got != string(result) {
		t.Fatalf("independent program: got\n%s\nserver published\n%s", got, result)
	}
	if got := naiveDraw(string(pop), string(roster), strings.Repeat("0", 64), 5, 2); got == string(result) {
		t.Error("another seed gives the same result")
	}
	if !strings.Contains(string(roster), "pd-inspector-0\t"+codes[3]+"\n") {
		t.Errorf("roster text lacks the declared conflict: %q", roster)
	}

	// Results.
	first := strings.Split(strings.Split(string(result), "\n")[0], "\t")[1]
	e.call("POST", "/api/v1/draws/"+d.Number+"/results", tok, map[string]any{"enterprise": uscc(t, "310115", 9999), "method": "written",
		"checked": "2026-06-01", "findings": "x", "outcome": "normal"}).problem(t, 404, "enterprise")
	r := e.call("POST", "/api/v1/draws/"+d.Number+"/results", tok, map[string]any{"enterprise": first, "method": "on_site",
		"checked": "2026-06-01", "findings": "经实地核查，企业在登记住所无法联系。", "outcome": "unreachable"})
	r.expect(t, 201)
	var res gongshi.SpotCheckResult
	json.Unmarshal(r.body, &res)
	if res.Ground != 4 || res.Version == nil || res.Version.Fields["outcome"] != "unreachable" {
		t.Fatalf("result: %s", r.body)
	}
	var list ghttp.ResultList
	json.Unmarshal(e.call("GET", "/api/v1/draws/"+d.Number+"/results", "", nil).expect(t, 200).body, &list)
	if len(list.Results) != 1 {
		t.Errorf("results: %+v", list)
	}
	var grounds ghttp.GroundList
	json.Unmarshal(e.call("GET", "/api/v1/enterprises/"+first+"/listing-grounds", tok, nil).expect(t, 200).body, &grounds)
	if len(grounds.Grounds) != 1 || grounds.Grounds[0].Ground != 4 {
		t.Errorf("grounds: %+v", grounds)
	}
	e.call("GET", "/api/v1/enterprises/"+first+"/listing-grounds", e.shenzen.Token, nil).problem(t, 403, "")

	// The search across draws: by authority, outcome and date checked.
	second := strings.Split(strings.Split(string(result), "\n")[1], "\t")[1]
	e.call("POST", "/api/v1/draws/"+d.Number+"/results", tok, map[string]any{"enterprise": second, "method": "written",
		"checked": "2026-06-01", "findings": "未发现问题。", "outcome": "normal"}).expect(t, 201)
	search := func(q string) []*gongshi.SpotCheckResult {
		t.Helper()
		var l ghttp.ResultList
		json.Unmarshal(e.call("GET", "/api/v1/spot-check-results"+q, "", nil).expect(t, 200).body, &l)
		return l.Results
	}
	if rs := search(""); len(rs) != 2 || rs[0].Enterprise != second {
		t.Errorf("all results: got %d, want 2, the latest first", len(rs))
	}
	if rs := search("?jurisdiction=310000&outcome=unreachable"); len(rs) != 1 || rs[0].Enterprise != first {
		t.Errorf("unreachable in Shanghai: got %d results", len(rs))
	}
	if rs := search("?jurisdiction=440300"); len(rs) != 0 {
		t.Errorf("Shenzhen: got %d results, want none", len(rs))
	}
	if rs := search("?from=2026-06-02"); len(rs) != 0 {
		t.Errorf("checked from 2 June: got %d results, want none", len(rs))
	}
	if rs := search("?from=2026-06-01&to=2026-06-01&outcome=normal"); len(rs) != 1 || rs[0].Enterprise != second {
		t.Errorf("normal on 1 June: got %d results, want the one", len(rs))
	}
	e.call("GET", "/api/v1/spot-check-results?outcome=bad", "", nil).problem(t, 400, "outcome")
	e.call("GET", "/api/v1/spot-check-results?from=2026-06-02&to=2026-06-01", "", nil).problem(t, 400, "to")
}

func TestCasesOverHTTP(t *testing.T) {
	e, codes := spotCheckEnv(t, 1)
	tok := e.pudong.Token
	person := map[string]any{"name": "孙八", "id_number": secretID, "email": "sun@example.org"}
	form := map[string]any{"kind": "report", "enterprise": codes[0], "subject": "虚假年报", "content": "资产总额明显不实。", "person": person}

	e.call("POST", "/api/v1/cases", "", map[string]any{"kind": "report", "enterprise": codes[0], "subject": "x", "content": "y",
		"person": map[string]any{"name": "孙八", "email": "sun@example.org"}}).problem(t, 400, "person.id_number")
	e.call("POST", "/api/v1/cases", "", map[string]any{"kind": "report", "enterprise": codes[0], "subject": "x", "content": "y",
		"person": map[string]any{"name": "孙八", "id_number": "123", "email": "sun@example.org"}}).problem(t, 400, "person.id_number")

	r := e.call("POST", "/api/v1/cases", "", form)
	r.expect(t, 201)
	var c gongshi.Case
	json.Unmarshal(r.body, &c)
	// Filed on 2026-06-01: 20 working days, the Dragon Boat holiday (19 Jun) excluded.
	if !strings.HasPrefix(c.Number, "J2026-310115-") || c.Due != "2026-06-30" || c.State != "received" {
		t.Fatalf("filed case: %s", r.body)
	}
	if len(c.Check) != 14 || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("filed case: check code %q, Cache-Control %q; want a code, no-store", c.Check, r.header.Get("Cache-Control"))
	}
	// The public lookup needs the number and the check code; without them, or with a wrong
	// code, the case does not exist.
	for _, q := range []string{"", "?check=2222-2222-2222", "?check=" + c.Check[:13]} {
		e.call("GET", "/api/v1/cases/"+c.Number+q, "", nil).problem(t, 404, "check")
	}
	e.call("GET", "/api/v1/cases/J2026-310115-999999?check="+c.Check, "", nil).problem(t, 404, "check")
	pub := e.call("GET", "/api/v1/cases/"+c.Number+"?check="+strings.ToLower(c.Check), "", nil).expect(t, 200)
	if strings.Contains(string(pub.body), secretID) || strings.Contains(string(pub.body), "孙八") || strings.Contains(string(pub.body), "资产总额") ||
		strings.Contains(string(pub.body), c.Check) || !strings.Contains(string(pub.body), "虚假年报") {
		t.Errorf("the filer's case view leaks the reporter, the content or the code, or lacks the subject: %s", pub.body)
	}
	if reg := e.call("GET", "/api/v1/cases/"+c.Number, tok, nil).expect(t, 200); !strings.Contains(string(reg.body), secretID) {
		t.Errorf("the regulator in scope does not see the reporter: %s", reg.body)
	}
	e.call("GET", "/api/v1/cases/"+c.Number, e.shenzen.Token, nil).problem(t, 404, "check")
	var q ghttp.CaseList
	json.Unmarshal(e.call("GET", "/api/v1/cases", tok, nil).expect(t, 200).body, &q)
	if len(q.Cases) != 1 || q.Cases[0].Number != c.Number {
		t.Errorf("queue: %+v", q)
	}
	e.call("GET", "/api/v1/cases", "", nil).problem(t, 401, "")
	e.call("POST", "/api/v1/cases/"+c.Number+"/close", tok, map[string]any{}).problem(t, 409, "")
	e.call("POST", "/api/v1/cases/"+c.Number+"/review", e.shenzen.Token, map[string]any{}).problem(t, 403, "")
	e.call("POST", "/api/v1/cases/"+c.Number+"/review", tok, map[string]any{}).expect(t, 200)
	e.call("POST", "/api/v1/cases/"+c.Number+"/answer", tok, map[string]any{"outcome": "nonsense", "answer": "x"}).problem(t, 400, "outcome")
	a := e.call("POST", "/api/v1/cases/"+c.Number+"/answer", tok, map[string]any{"outcome": "unfounded", "answer": "经核查，举报不实。"}).expect(t, 200)
	var answered gongshi.Case
	json.Unmarshal(a.body, &answered)
	if answered.AnswerVersion == nil {
		t.Fatalf("answer not published: %s", a.body)
	}
	doc := e.call("GET", "/api/v1/documents/"+answered.AnswerVersion.SHA256, "", nil).expect(t, 200)
	if strings.Contains(string(doc.body), "孙八") || strings.Contains(string(doc.body), secretID) {
		t.Error("the published answer names the reporter")
	}
	e.call("POST", "/api/v1/cases/"+c.Number+"/close", tok, map[string]any{}).expect(t, 200)
	e.call("GET", "/api/v1/cases/J2026-310115-999999", "", nil).problem(t, 404, "check")
}

// expect checks the status and returns r.
func (r *response) expect(t *testing.T, status int) *response {
	t.Helper()
	if r.status != status {
		t.Fatalf("status: got %d, want %d; body %s", r.status, status, r.body)
	}
	return r
}
