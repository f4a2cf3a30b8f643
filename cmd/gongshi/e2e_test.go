package main

// End-to-end tests of "gongshi serve" through Main over real HTTP: the write and read
// paths of the API, its refusals of bad input, and "gongshi verify". The independent
// auditor is in e2e_auditor_test.go, kill -9 durability in e2e_kill_test.go.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	"golang.org/x/mod/sumdb/note"
)

// TestE2EServeAPI registers enterprises, publishes records of several kinds as a
// regulator, a department and an enterprise, records a registration change and corrects a
// record, reads everything back, and checks that bad input is refused with a problem
// naming the field while nothing is stored.
func TestE2EServeAPI(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	api := s.url + "/api/v1"
	reg := adminToken(t, s.dir, "--role", "regulator", "--jurisdiction", "310000")
	shenzhen := adminToken(t, s.dir, "--role", "regulator", "--jurisdiction", "440300")
	dept := adminToken(t, s.dir, "--role", "department", "--kinds", "licence", "--name", "生态环境局")
	if again := adminToken(t, s.dir, "--role", "regulator", "--jurisdiction", "310000"); again == reg {
		t.Errorf("admin token for an existing account: got the same token twice, want a new one")
	}

	code, other := usccFor(t, "310115", 1), usccFor(t, "310104", 2)
	var acks []ack // every acknowledged version, in order
	check := func(r *apiResp, kind string, version int) *gongshi.Version {
		t.Helper()
		var v gongshi.Version
		r.want(t, 201, &v)
		if v.Kind != kind || v.Version != version || len(v.SHA256) != 64 || v.Record == "" {
			t.Fatalf("%s %s: got %s version %d sha256 %q record %q, want %s version %d with a sha256 and a record id", r.method, r.path, v.Kind, v.Version, v.SHA256, v.Record, kind, version)
		}
		if want := "/api/v1/records/" + v.Record; r.header.Get("Location") != want {
			t.Errorf("%s %s: got Location %q, want %q", r.method, r.path, r.header.Get("Location"), want)
		}
		if got, want := v.LogIndex, int64(len(acks)); got != want {
			t.Errorf("%s %s: got log_index %d, want %d (the next leaf)", r.method, r.path, got, want)
		}
		acks = append(acks, ackOf(&v))
		return &v
	}

	// Writes: two registrations, records of six kinds by three roles, a change, a correction.
	var rg registered
	r := call(t, "POST", api+"/enterprises", reg, registrationBody(code, "上海杰图天下网络科技有限公司")).want(t, 201, &rg)
	if rg.Enterprise.USCC.String() != code || rg.Enterprise.Division != "310115" || rg.Version.Kind != "registration" || rg.Version.Version != 1 || rg.Version.LogIndex != 0 {
		t.Fatalf("register: got enterprise %s division %s, version %s v%d log_index %d; want %s 310115 registration v1 at 0",
			rg.Enterprise.USCC, rg.Enterprise.Division, rg.Version.Kind, rg.Version.Version, rg.Version.LogIndex, code)
	}
	if want := "/api/v1/enterprises/" + code; r.header.Get("Location") != want {
		t.Errorf("register: got Location %q, want %q", r.header.Get("Location"), want)
	}
	acks = append(acks, ackOf(&rg.Version))
	call(t, "POST", api+"/enterprises", reg, registrationBody(other, "上海徐汇样本贸易有限公司")).want(t, 201, &rg)
	acks = append(acks, ackOf(&rg.Version))
	liaison := adminToken(t, s.dir, "--role", "enterprise", "--enterprise", code)

	post := func(token string, body map[string]any) *apiResp {
		return call(t, "POST", api+"/enterprises/"+code+"/records", token, body)
	}
	check(post(reg, publication("chattel_mortgage", daysAgo(4), mortgageFields())), "chattel_mortgage", 1)
	check(post(reg, publication("penalty", daysAgo(3), penaltyFields(1))), "penalty", 1)
	lic := check(post(dept, publication("licence", daysAgo(5), licenceFields())), "licence", 1)
	if lic.Publisher.Role != gongshi.RoleDepartment || lic.Publisher.Name != "生态环境局" {
		t.Errorf("licence publisher: got %+v, want the department 生态环境局", lic.Publisher)
	}
	check(post(liaison, publication("capital_contribution", daysAgo(10), capitalFields())), "capital_contribution", 1)
	check(post(liaison, publication("equity_transfer", daysAgo(6), equityTransferFields())), "equity_transfer", 1)
	check(post(liaison, publication("ip_pledge", daysAgo(8), ipPledgeFields())), "ip_pledge", 1)
	chg := check(call(t, "POST", api+"/enterprises/"+code+"/changes", reg, map[string]any{
		"arose": daysAgo(2), "fields": map[string]any{"address": "上海市浦东新区张江路2号", "name": "上海杰图网络科技有限公司"}}), "registration", 2)
	if chg.Record != acks[0].record || chg.Previous != acks[0].sha256 {
		t.Errorf("change: got record %s previous %s, want record %s previous %s", chg.Record, chg.Previous, acks[0].record, acks[0].sha256)
	}
	fix := check(call(t, "POST", api+"/records/"+lic.Record+"/versions", dept, map[string]any{
		"reason": "有效期更正", "fields": map[string]any{"valid_to": "2031-05-19"}}), "licence", 2)
	if fix.Previous != lic.SHA256 || fix.Reason != "有效期更正" || len(fix.Changes) != 1 || fix.Changes[0].Field != "valid_to" {
		t.Errorf("correction: got previous %s reason %q changes %+v, want previous %s, the reason and one change of valid_to", fix.Previous, fix.Reason, fix.Changes, lic.SHA256)
	}

	// Read back: every version with its log index, hash and document.
	a, err := newLogAuditor(s.url)
	if err != nil {
		t.Fatal(err)
	}
	tree := a.waitTree(t, int64(len(acks)))
	if tree.N != int64(len(acks)) {
		t.Fatalf("checkpoint: got size %d, want %d acknowledged writes", tree.N, len(acks))
	}
	records := readRecords(t, api, code)
	if got, want := len(records), 7; got != want {
		t.Fatalf("records of %s: got %d, want %d (registration and six kinds)", code, got, want)
	}
	for _, k := range acks {
		if k.subject != code {
			continue
		}
		v := versionOf(records, k.record, k.version)
		if v == nil {
			t.Errorf("record %s v%d: not in GET /enterprises/%s/records", k.record, k.version, code)
			continue
		}
		if v.LogIndex != k.logIndex || v.SHA256 != k.sha256 {
			t.Errorf("record %s v%d: got log_index %d sha256 %s, want %d %s as acknowledged", k.record, k.version, v.LogIndex, v.SHA256, k.logIndex, k.sha256)
		}
		doc := call(t, "GET", api+"/documents/"+k.sha256, "", nil).want(t, 200, nil)
		if sum := sha256.Sum256(doc.body); hex.EncodeToString(sum[:]) != k.sha256 {
			t.Errorf("document %s: got bytes hashing to %x", k.sha256, sum)
		}
		if strings.Contains(string(doc.body), secretID) || strings.Contains(string(doc.body), "68881234") {
			t.Errorf("document %s: got personal or non-public data in clear: %s", k.sha256, doc.body)
		}
	}
	var one gongshi.Record
	call(t, "GET", api+"/records/"+lic.Record, "", nil).want(t, 200, &one)
	if len(one.Versions) != 2 || one.Versions[0].SHA256 != lic.SHA256 || one.Versions[1].SHA256 != fix.SHA256 {
		t.Errorf("GET /records/%s: got %d versions, want the licence and its correction", lic.Record, len(one.Versions))
	}
	var page struct {
		Enterprise gongshi.Enterprise `json:"enterprise"`
	}
	call(t, "GET", api+"/enterprises/"+code, "", nil).want(t, 200, &page)
	if page.Enterprise.Name != "上海杰图网络科技有限公司" || !slices.Contains(page.Enterprise.Former, "上海杰图天下网络科技有限公司") || page.Enterprise.Profile["address"] != "上海市浦东新区张江路2号" {
		t.Errorf("enterprise page after the change: got name %q former %v address %v, want the new name and address, the old name former",
			page.Enterprise.Name, page.Enterprise.Former, page.Enterprise.Profile["address"])
	}
	if _, ok := page.Enterprise.Profile["contact_phone"]; ok {
		t.Errorf("public enterprise page: got the non-public contact_phone")
	}

	t.Run("bad input", func(t *testing.T) { badInput(t, s, reg, shenzhen, dept, liaison, code, records, len(acks)) })
}

// badInput sends bad requests; each must be a 4xx problem naming the field, and none may
// store anything: afterwards the enterprise's records are unchanged and the next good write
// gets the next log index.
func badInput(t *testing.T, s *e2eServer, reg, shenzhen, dept, liaison, code string, records []gongshi.Record, leaves int) {
	api := s.url + "/api/v1"
	wrong := []byte(code)
	right := wrong[17]
	wrong[17] = map[bool]byte{true: '1', false: '0'}[right == '0']
	unknown := usccFor(t, "310115", 99)
	recs := api + "/enterprises/" + code + "/records"
	withField := func(f map[string]any, k string, v any) map[string]any {
		f[k] = v
		return f
	}
	without := func(f map[string]any, k string) map[string]any {
		delete(f, k)
		return f
	}
	for _, c := range []struct {
		name, method, url, token string
		body                     any
		status                   int
		field, detail            string // detail: a part the problem's detail must hold
	}{
		{"invalid code in the path", "GET", api + "/enterprises/" + string(wrong), "", nil, 400, "code", fmt.Sprintf("should be '%c'", right)},
		{"invalid code published to", "POST", api + "/enterprises/" + string(wrong) + "/records", reg, publication("penalty", daysAgo(3), penaltyFields(2)), 400, "code", fmt.Sprintf("should be '%c'", right)},
		{"invalid code registered", "POST", api + "/enterprises", reg, registrationBody(string(wrong), "上海错码科技有限公司"), 400, "uscc", fmt.Sprintf("should be '%c'", right)},
		{"unknown enterprise", "GET", api + "/enterprises/" + unknown, "", nil, 404, "code", unknown},
		{"unknown enterprise published to", "POST", api + "/enterprises/" + unknown + "/records", reg, publication("penalty", daysAgo(3), penaltyFields(3)), 404, "code", unknown},
		{"department not authorised for the kind", "POST", recs, dept, publication("penalty", daysAgo(3), penaltyFields(4)), 403, "kind", "penalty"},
		{"enterprise publishing a regulator's kind", "POST", recs, liaison, publication("chattel_mortgage", daysAgo(3), mortgageFields()), 403, "kind", "chattel_mortgage"},
		{"regulator outside its jurisdiction registers", "POST", api + "/enterprises", shenzhen, registrationBody(usccFor(t, "310115", 5), "上海越权科技有限公司"), 403, "uscc", "440300"},
		{"regulator outside its jurisdiction publishes", "POST", recs, shenzhen, publication("chattel_mortgage", daysAgo(3), mortgageFields()), 403, "code", "440300"},
		{"regulator outside its jurisdiction changes", "POST", api + "/enterprises/" + code + "/changes", shenzhen, map[string]any{"fields": map[string]any{"address": "深圳"}}, 403, "code", "440300"},
		{"date in the future", "POST", recs, reg, publication("penalty", daysAgo(-30), penaltyFields(5)), 400, "arose", "future"},
		{"date before establishment", "POST", recs, dept, publication("licence", "2019-12-31", licenceFields()), 400, "arose", established},
		{"change dated before establishment", "POST", api + "/enterprises/" + code + "/changes", reg, map[string]any{"arose": "2001-01-01", "fields": map[string]any{"address": "上海"}}, 400, "arose", established},
		{"not a date", "POST", recs, reg, publication("penalty", "2026-13-01", penaltyFields(6)), 400, "arose", "2026-13-01"},
		{"malformed body", "POST", recs, reg, `{"kind": "penalty", "arose": `, 400, "", "JSON"},
		{"body not an object", "POST", recs, reg, `["penalty"]`, 400, "", "object"},
		{"wrong JSON type", "POST", recs, reg, `{"kind": 7, "arose": "2026-01-01", "fields": {}}`, 400, "kind", "string"},
		{"unknown top-level field", "POST", recs, reg, `{"kind":"penalty","arose":"` + daysAgo(3) + `","fields":{},"colour":"red"}`, 400, "colour", "unknown"},
		{"unknown record field", "POST", recs, reg, publication("penalty", daysAgo(3), withField(penaltyFields(7), "colour", "red")), 400, "fields.colour", ""},
		{"missing required field", "POST", recs, reg, publication("penalty", daysAgo(3), without(penaltyFields(8), "decision_no")), 400, "fields.decision_no", ""},
		{"unknown kind", "POST", recs, reg, publication("horoscope", daysAgo(3), map[string]any{}), 400, "kind", "horoscope"},
		{"correction of an unknown record", "POST", api + "/records/999999/versions", dept, map[string]any{"fields": map[string]any{"valid_to": "2031-05-19"}}, 404, "id", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := call(t, c.method, c.url, c.token, c.body).problem(t, c.status, c.field)
			if !strings.Contains(p.Detail, c.detail) {
				t.Errorf("got detail %q, want it to say %q", p.Detail, c.detail)
			}
		})
	}

	// Nothing was stored: the records are as before, and the checkpoint has not grown.
	after := readRecords(t, api, code)
	if len(after) != len(records) {
		t.Errorf("records after bad input: got %d, want %d", len(after), len(records))
	}
	for _, rec := range records {
		for _, v := range rec.Versions {
			if w := versionOf(after, rec.ID, v.Version); w == nil || w.SHA256 != v.SHA256 || len(versionsOf(after, rec.ID)) != len(rec.Versions) {
				t.Errorf("record %s after bad input: versions changed", rec.ID)
			}
		}
	}
	a, err := newLogAuditor(s.url)
	if err != nil {
		t.Fatal(err)
	}
	if tree, err := a.checkpoint(); err != nil || tree.N != int64(leaves) {
		t.Errorf("checkpoint after bad input: got size %d (err %v), want %d", tree.N, err, leaves)
	}
	var v gongshi.Version
	call(t, "POST", recs, reg, publication("penalty", daysAgo(3), penaltyFields(9))).want(t, 201, &v)
	if v.LogIndex != int64(leaves) {
		t.Errorf("first good write after bad input: got log_index %d, want %d (no leaf in between)", v.LogIndex, leaves)
	}
	if tree := a.waitTree(t, int64(leaves)+1); tree.N != int64(leaves)+1 {
		t.Errorf("checkpoint after one more write: got size %d, want %d", tree.N, leaves+1)
	}
}

func readRecords(t *testing.T, api, code string) []gongshi.Record {
	t.Helper()
	var list recordList
	call(t, "GET", api+"/enterprises/"+code+"/records", "", nil).want(t, 200, &list)
	if list.Enterprise.USCC.String() != code {
		t.Fatalf("GET /enterprises/%s/records: got enterprise %q", code, list.Enterprise.USCC)
	}
	return list.Records
}

func versionsOf(recs []gongshi.Record, id string) []*gongshi.Version {
	for _, r := range recs {
		if r.ID == id {
			return r.Versions
		}
	}
	return nil
}

func versionOf(recs []gongshi.Record, id string, version int) *gongshi.Version {
	for _, v := range versionsOf(recs, id) {
		if v.Version == version {
			return v
		}
	}
	return nil
}

// TestE2EVerify runs "gongshi verify --url" before and after a burst of writes (the second
// run proves consistency with the first) and "gongshi verify --data" once the server has
// stopped.
func TestE2EVerify(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startServer(t, dir)
	reg := adminToken(t, dir, "--role", "regulator", "--jurisdiction", "310000")
	codes := make([]string, 8)
	for i := range codes {
		codes[i] = usccFor(t, "310101", uint64(2000+i))
		call(t, "POST", s.url+"/api/v1/enterprises", reg, registrationBody(codes[i], fmt.Sprintf("上海核验样本%d号有限公司", i))).want(t, 201, nil)
	}
	a, err := newLogAuditor(s.url)
	if err != nil {
		t.Fatal(err)
	}
	a.waitTree(t, int64(len(codes)))
	state := filepath.Join(t.TempDir(), "verify.json")

	code, out, errOut := verifyMain("--url", s.url, "--state", state)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("verified at size %d", len(codes))) {
		t.Fatalf("verify --url: got exit status %d, want 0 at size %d\nstdout:\n%s\nstderr:\n%s", code, len(codes), out, errOut)
	}
	publishBurst(t, s.url, reg, codes, 120)
	want := int64(len(codes) + 120)
	a.waitTree(t, want)
	code, out, errOut = verifyMain("--url", s.url, "--state", state)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("verified at size %d", want)) ||
		!strings.Contains(out, fmt.Sprintf("consistent with the checkpoint of size %d", len(codes))) {
		t.Fatalf("verify --url after the burst: got exit status %d, want 0, size %d and consistency with size %d\nstdout:\n%s\nstderr:\n%s", code, want, len(codes), out, errOut)
	}
	// The exit status means something: a key that is not the log's fails.
	_, otherKey, err := note.GenerateKey(nil, a.verifier.Name())
	if err != nil {
		t.Fatal(err)
	}
	if code, out, _ := verifyMain("--url", s.url, "--state", filepath.Join(t.TempDir(), "v.json"), "--key", otherKey); code != 1 {
		t.Errorf("verify --url with another log's key: got exit status %d, want 1\nstdout:\n%s", code, out)
	}

	s.stop()
	code, out, errOut = verifyMain("--data", dir, "--state", filepath.Join(t.TempDir(), "verify-data.json"))
	if code != 0 || !strings.Contains(out, fmt.Sprintf("verified at size %d", want)) || !strings.Contains(out, fmt.Sprintf("documents  %d matched", want)) {
		t.Fatalf("verify --data: got exit status %d, want 0 at size %d with %d documents\nstdout:\n%s\nstderr:\n%s", code, want, want, out, errOut)
	}
}
