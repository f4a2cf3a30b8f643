// Package storetest is the conformance suite every gongshi store passes: the same tests
// run on SQLite and on PostgreSQL (like litestream's one suite for every backend).
package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/ident"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/translog"
)

// Store is what the suite tests: the register's store that also keeps the log, and checks
// its current-state rows against the logged documents.
type Store interface {
	gongshi.Store
	translog.Store
	AuditState(ctx context.Context, progress func(done, total int64)) (*gongshi.StateReport, error)
}

// Opener returns an empty store on the given clock; reopen, if not nil, closes it and
// opens the same data again.
type Opener func(t *testing.T, clock gongshi.Clock) (s Store, reopen func() Store)

// Clock is a settable clock for tests.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

func NewClock(t time.Time) *Clock    { return &Clock{t: t} }
func (c *Clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *Clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *Clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func At(s string) time.Time          { t, _ := time.Parse(time.RFC3339, s); return t }
func regulator(j string) *gongshi.Account {
	return &gongshi.Account{ID: "reg-" + j, Name: "市场监督管理局 " + j, Role: gongshi.RoleRegulator, Jurisdiction: j}
}

// Run runs the suite.
func Run(t *testing.T, open Opener) {
	t.Run("RegisterAndRead", func(t *testing.T) { testRegisterAndRead(t, open) })
	t.Run("PublishAmendVersions", func(t *testing.T) { testPublishAmend(t, open) })
	t.Run("TruthfulDates", func(t *testing.T) { testTruthfulDates(t, open) })
	t.Run("FailedUnitAlone", func(t *testing.T) { testFailedUnit(t, open) })
	t.Run("ConcurrentWritesLog", func(t *testing.T) { testConcurrent(t, open) })
	t.Run("Search", func(t *testing.T) { testSearch(t, open) })
	t.Run("SearchInitials", func(t *testing.T) { testSearchInitials(t, open) })
	t.Run("Accounts", func(t *testing.T) { testAccounts(t, open) })
	t.Run("Reopen", func(t *testing.T) { testReopen(t, open) })
}

// Fixture is a store with a service on a settable clock.
type Fixture struct {
	Store Store
	Svc   *gongshi.Service
	Clock *Clock
	Reg   *gongshi.Account // a regulator for all of Shanghai (310000)

	audited bool // Audit ran: the cleanup need not
}

// NewFixture opens a store at 2026-06-01 09:00 CST. When the test ends, every current-state
// row of the store must agree with its logged documents (Store.AuditState): whatever a
// scenario did, the rows the register answers from are what the log says.
func NewFixture(t *testing.T, open Opener) (*Fixture, func() Store) {
	c := NewClock(At("2026-06-01T09:00:00+08:00"))
	s, reopen := open(t, c)
	f := &Fixture{Store: s, Svc: gongshi.New(gongshi.Config{Store: s, Clock: c, Rules: policy.DefaultRules()}), Clock: c, Reg: regulator("310000")}
	t.Cleanup(func() {
		if !f.audited {
			f.Audit(t)
		}
	})
	return f, reopen
}

// Audit fails the test if a current-state row of the store disagrees with the log.
func (f *Fixture) Audit(t *testing.T) {
	t.Helper()
	f.audited = true
	// Audit what the writer has written: a replica behind it (a store reading from one) is
	// waited for or passed over, or its rows would be compared at different points of its
	// replay.
	ctx := context.Background()
	if size, err := f.Store.TreeSize(ctx); err == nil {
		ctx = gongshi.WithMinLogSize(ctx, size)
	}
	rep, err := f.Store.AuditState(ctx, nil)
	if err != nil {
		t.Errorf("audit of the current state: %v", err)
		return
	}
	for _, p := range rep.Problems {
		t.Errorf("audit: %s", p)
	}
	f.auditPages(t)
}

// auditPages checks that each enterprise's page row (gongshi.PageRows) serves, today, the
// public page made from its documents, byte for byte.
func (f *Fixture) auditPages(t *testing.T) {
	t.Helper()
	if _, ok := f.Store.(gongshi.PageRows); !ok {
		return
	}
	ctx := context.Background()
	size, err := f.Store.TreeSize(ctx)
	if err != nil || size == 0 {
		return
	}
	// Read what the writer has written: a replica behind it is waited for or passed over,
	// as for any reader that asks for its own writes.
	ctx = gongshi.WithMinLogSize(ctx, size)
	leaves, err := f.Store.ReadLeaves(ctx, 0, size)
	if err != nil {
		t.Errorf("page rows: read the log: %v", err)
		return
	}
	seen := map[string]bool{}
	for _, b := range leaves {
		l, err := translog.ParseLeaf(b)
		if err != nil || gongshi.AboutNoEnterprise(l.Kind) || seen[l.Subject] {
			continue
		}
		seen[l.Subject] = true
		got, _, err := f.Svc.PublicPageAnswer(ctx, l.Subject, false, nil)
		if err != nil || got == nil {
			t.Errorf("page row of %s: none served (%v)", l.Subject, err)
			continue
		}
		// To a client that accepts zstd, the stored frame when it is today's answer:
		// the same bytes once decompressed.
		frame, z, err := f.Svc.PublicPageAnswer(ctx, l.Subject, true, nil)
		if err == nil && z {
			frame, err = gongshi.DecompressPage(frame)
		}
		if err != nil || string(frame) != string(got) {
			t.Errorf("page row of %s: compressed, it serves another answer (%v)", l.Subject, err)
		}
		p, err := f.Svc.Page(ctx, nil, l.Subject)
		if err != nil {
			t.Errorf("page of %s: %v", l.Subject, err)
			continue
		}
		want, err := gongshi.EncodeAnswer(gongshi.PageOf(p))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("page row of %s serves\n%s\nthe documents make\n%s", l.Subject, got, want)
		}
	}
}

// USCC returns the i-th valid test code in Pudong (310115).
func USCC(i int) string {
	c, err := ident.GenerateUSCC('9', '1', "310115", uint64(1000+i))
	if err != nil {
		panic(err)
	}
	return c.String()
}

// Registration returns a registration of a limited company named name.
func Registration(code, name, rep string) gongshi.Registration {
	return gongshi.Registration{USCC: code, Fields: map[string]any{
		"name": name, "type": "有限责任公司", "status": "存续", "established": "2020-03-15",
		"address":              "上海市浦东新区张江路88号",
		"legal_representative": map[string]any{"name": rep, "id_number": "110101199003074514"},
		"registered_capital":   json.Number("1000"), "currency": "CNY",
		"contact_phone": "021-68881234",
	}}
}

// Register registers an enterprise or fails the test.
func (f *Fixture) Register(t *testing.T, code, name, rep string) *gongshi.Enterprise {
	t.Helper()
	e, _, err := f.Svc.Register(context.Background(), f.Reg, Registration(code, name, rep))
	if err != nil {
		t.Fatalf("register %s: %v", name, err)
	}
	return e
}

// Penalty returns a publication of a penalty decided on 2026-05-20.
func Penalty(no string) gongshi.Publication {
	return gongshi.Publication{Kind: "penalty", Arose: "2026-05-20", Fields: map[string]any{
		"decision_no": no, "violation": "虚假宣传", "content": "警告，罚款", "fine": "5000",
		"authority": "上海市浦东新区市场监督管理局", "decided": "2026-05-20"}}
}

func testRegisterAndRead(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	code := USCC(1)
	f.Register(t, code, "上海杰图天下网络科技有限公司", "张三")
	e, err := f.Svc.Enterprise(ctx, gongshi.Anonymous, code)
	if err != nil {
		t.Fatal(err)
	}
	if e.Name != "上海杰图天下网络科技有限公司" || e.LegalRep != "张三" || e.Division != "310115" {
		t.Errorf("got %+v", e)
	}
	if _, ok := e.Profile["contact_phone"]; ok {
		t.Errorf("public profile shows the non-public contact phone: %v", e.Profile)
	}
	if rep := e.Profile["legal_representative"].(map[string]any); rep["id_number"] != nil {
		t.Errorf("public profile shows the ID number: %v", rep)
	}
	full, _ := f.Svc.Enterprise(ctx, f.Reg, code)
	if full.Profile["contact_phone"] != "021-68881234" {
		t.Errorf("regulator in scope: got phone %v, want it", full.Profile["contact_phone"])
	}
	_, _, err = f.Svc.Register(ctx, f.Reg, Registration(code, "另一家公司", "李四"))
	if gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		t.Errorf("second registration: got %v, want conflict", err)
	}
	other := regulator("320000")
	_, _, err = f.Svc.Register(ctx, other, Registration(USCC(2), "某公司", "王五"))
	if gongshi.ErrorCode(err) != gongshi.EFORBIDDEN {
		t.Errorf("registration outside jurisdiction: got %v, want forbidden", err)
	}
	if _, err := f.Store.EnterpriseByCode(ctx, USCC(2)); gongshi.ErrorCode(err) != gongshi.ENOTFOUND {
		t.Errorf("refused registration left something: %v", err)
	}
}

func testPublishAmend(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	code := USCC(3)
	f.Register(t, code, "上海某某贸易有限公司", "李四")
	v1, err := f.Svc.Publish(ctx, f.Reg, code, Penalty("沪市监浦处〔2026〕1号"))
	if err != nil {
		t.Fatal(err)
	}
	if !v1.OnTime || v1.Due.String() != "2026-06-17" || !strings.HasPrefix(v1.Policy, "disclosure.regulator@") {
		t.Errorf("v1: on_time %v due %s policy %s; want on time, due 2026-06-17 (20 working days after 20 May 2026)", v1.OnTime, v1.Due, v1.Policy)
	}
	f.Clock.Add(30 * 24 * time.Hour)
	v2, err := f.Svc.Amend(ctx, f.Reg, v1.Record, gongshi.Amendment{Reason: "罚款金额有误", Fields: map[string]any{"fine": "3000"}})
	if err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 || v2.Previous != v1.SHA256 || len(v2.Changes) != 1 || v2.Changes[0].Field != "fine" || v2.Changes[0].Before != "5000" || v2.Changes[0].After != "3000" {
		t.Errorf("v2: %+v", v2)
	}
	rec, _, err := f.Svc.Record(ctx, gongshi.Anonymous, v1.Record)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Versions) != 2 || rec.Versions[0].Fields["fine"] != "5000" || rec.Versions[1].Fields["fine"] != "3000" {
		t.Fatalf("record versions: %+v", rec.Versions)
	}
	for _, v := range rec.Versions {
		doc, err := f.Svc.Document(ctx, v.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(doc); hex.EncodeToString(sum[:]) != v.SHA256 {
			t.Errorf("document of version %d does not hash to its sha256", v.Version)
		}
		leaves, err := f.Store.ReadLeaves(ctx, v.LogIndex, v.LogIndex+1)
		if err != nil {
			t.Fatal(err)
		}
		l, err := translog.ParseLeaf(leaves[0])
		if err != nil || l.SHA256 != v.SHA256 || l.Record != v.Record || l.Version != v.Version {
			t.Errorf("leaf %d = %s (%v), want version %d of record %s", v.LogIndex, leaves[0], err, v.Version, v.Record)
		}
	}
	_, err = f.Svc.Amend(ctx, f.Reg, v1.Record, gongshi.Amendment{Fields: map[string]any{"fine": "3000"}})
	if gongshi.ErrorCode(err) != gongshi.EINVALID {
		t.Errorf("amend changing nothing: got %v, want invalid", err)
	}
	// The registration record: a change keeps the former name.
	e, _ := f.Svc.Enterprise(ctx, f.Reg, code)
	if _, err := f.Svc.Amend(ctx, f.Reg, e.Registration, gongshi.Amendment{Arose: "2026-06-30", Fields: map[string]any{"name": "上海新名字贸易有限公司"}}); err != nil {
		t.Fatal(err)
	}
	e, _ = f.Svc.Enterprise(ctx, gongshi.Anonymous, code)
	if e.Name != "上海新名字贸易有限公司" || len(e.Former) != 1 || e.Former[0] != "上海某某贸易有限公司" {
		t.Errorf("after name change: name %s former %v", e.Name, e.Former)
	}
	// Documents hold hidden fields only as salted hashes.
	_, recs, _ := f.Svc.Records(ctx, gongshi.Anonymous, code)
	for _, r := range recs {
		for _, v := range r.Versions {
			doc, _ := f.Svc.Document(ctx, v.SHA256)
			if strings.Contains(string(doc), "110101199003074514") || strings.Contains(string(doc), "021-68881234") {
				t.Errorf("document %s leaks a hidden field: %s", v.SHA256, doc)
			}
		}
	}
}

func testFailedUnit(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("上海第%d号科技有限公司", i)
			if i%4 == 0 { // every fourth fails inside the write, after sealing a version
				errs[i] = f.Store.Write(ctx, func(tx gongshi.Tx) error {
					if _, _, err := f.Svc.RegisterTx(tx, f.Reg, Registration(USCC(100+i), name, "赵六")); err != nil {
						return err
					}
					return gongshi.Errorf(gongshi.EINVALID, "deliberate failure")
				})
				return
			}
			_, _, errs[i] = f.Svc.Register(ctx, f.Reg, Registration(USCC(100+i), name, "赵六"))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		_, lookErr := f.Store.EnterpriseByCode(ctx, USCC(100+i))
		if i%4 == 0 {
			if err == nil || lookErr == nil {
				t.Errorf("unit %d should have failed alone: write %v, lookup %v", i, err, lookErr)
			}
		} else if err != nil || lookErr != nil {
			t.Errorf("unit %d: write %v, lookup %v", i, err, lookErr)
		}
	}
	checkLog(t, f.Store, 30)

	// Alone in its batch (nothing else is queued), a failing unit undoes the whole
	// transaction, and the next write takes its place in the log.
	err := f.Store.Write(ctx, func(tx gongshi.Tx) error {
		if _, _, err := f.Svc.RegisterTx(tx, f.Reg, Registration(USCC(200), "上海独行科技有限公司", "赵六")); err != nil {
			return err
		}
		return gongshi.Errorf(gongshi.EINVALID, "deliberate failure")
	})
	if _, lookErr := f.Store.EnterpriseByCode(ctx, USCC(200)); gongshi.ErrorCode(err) != gongshi.EINVALID || lookErr == nil {
		t.Errorf("a failing unit alone: write %v, lookup %v; want the unit's error and no enterprise", err, lookErr)
	}
	if _, _, err := f.Svc.Register(ctx, f.Reg, Registration(USCC(201), "上海随后科技有限公司", "赵六")); err != nil {
		t.Fatal(err)
	}
	checkLog(t, f.Store, 31)
}

// checkLog checks the log holds n leaves, each a version whose document matches, and that
// the stored hashes agree with tlog computing them one leaf at a time.
func checkLog(t *testing.T, s Store, n int64) {
	t.Helper()
	ctx := context.Background()
	size, _ := s.TreeSize(ctx)
	if size != n {
		t.Fatalf("tree size %d, want %d", size, n)
	}
	leaves, err := s.ReadLeaves(ctx, 0, n)
	if err != nil {
		t.Fatal(err)
	}
	var hashes []tlog.Hash
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = hashes[x]
		}
		return out, nil
	})
	for i, l := range leaves {
		h, err := tlog.StoredHashes(int64(i), l, r)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h...)
		leaf, err := translog.ParseLeaf(l)
		if err != nil {
			t.Fatalf("leaf %d: %v", i, err)
		}
		doc, _, err := s.Document(ctx, leaf.SHA256)
		if err != nil || translog.DocumentHash(doc) != leaf.SHA256 {
			t.Fatalf("leaf %d: document %v", i, err)
		}
	}
	want, _ := tlog.TreeHash(n, r)
	got, err := translog.TreeHash(n, translog.HashReader(ctx, s))
	if err != nil || got != want {
		t.Fatalf("tree hash %v (%v), want %v", got, err, want)
	}
}

func testConcurrent(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	const ents, workers, each = 8, 32, 6
	for i := 0; i < ents; i++ {
		f.Register(t, USCC(200+i), fmt.Sprintf("上海并发%d有限公司", i), "钱七")
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[int64]bool{}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < each; j++ {
				v, err := f.Svc.Publish(ctx, f.Reg, USCC(200+(w+j)%ents), Penalty(fmt.Sprintf("沪〔2026〕%d-%d号", w, j)))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if seen[v.LogIndex] {
					t.Errorf("log index %d given twice", v.LogIndex)
				}
				seen[v.LogIndex] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	checkLog(t, f.Store, ents+workers*each)
}

func testSearch(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	names := []string{"上海杰图天下网络科技有限公司", "杰图软件有限公司", "北京杰图文化传媒有限公司", "上海浦东发展有限公司", "深圳华为技术有限公司"}
	for i, n := range names {
		f.Register(t, USCC(300+i), n, []string{"王小明", "李杰", "张三", "王大锤", "任正非"}[i])
	}
	find := func(q string) []string {
		t.Helper()
		return searchPages(t, f.Svc.Search, q, 2)
	}
	if got := find("杰图"); len(got) != 3 || got[0] != "杰图软件有限公司" {
		t.Errorf("杰图: got %v, want 3 hits with the prefix match first", got)
	}
	if got := find("有限"); len(got) != 5 {
		t.Errorf("有限: got %v, want all 5 across pages", got)
	}
	if got := find("网络科技"); len(got) != 1 || got[0] != names[0] {
		t.Errorf("网络科技: got %v", got)
	}
	if got := find("任正非"); len(got) != 1 || got[0] != names[4] {
		t.Errorf("legal representative: got %v", got)
	}
	if got := find(USCC(302)); len(got) != 1 || got[0] != names[2] {
		t.Errorf("USCC: got %v", got)
	}
	if got := find(USCC(302)[:8]); len(got) != 5 {
		t.Errorf("USCC prefix %s: got %v, want all 5", USCC(302)[:8], got)
	}
	if got := find("技有杰"); len(got) != 0 {
		t.Errorf("bigrams present but not as a substring: got %v", got)
	}
	if _, err := f.Svc.Search(ctx, gongshi.SearchQuery{Q: "杰"}); gongshi.ErrorCode(err) != gongshi.EINVALID {
		t.Errorf("one-character query: got %v, want invalid", err)
	}
}

// searchPages follows the cursor of a search through its pages (ten at the most) and
// returns the names of the hits.
func searchPages(t *testing.T, search func(context.Context, gongshi.SearchQuery) (*gongshi.SearchResult, error), q string, limit int) []string {
	t.Helper()
	var got []string
	cursor := ""
	for page := 0; page < 10; page++ {
		res, err := search(context.Background(), gongshi.SearchQuery{Q: q, Limit: limit, Cursor: cursor})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		for _, h := range res.Hits {
			got = append(got, h.Name)
		}
		if cursor = res.Next; cursor == "" {
			break
		}
	}
	return got
}

// testSearchInitials checks the pinyin-initials tier: between the name-prefix tier and the
// substring tier, in either case, for two or more letters, with every hit once across pages.
func testSearchInitials(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	// Initials shjttxwlkjyxgs, shjtmyyxgs, shshjtzxyxgs and szhwjsyxgs.
	jietu := "上海杰图天下网络科技有限公司"
	names := []string{jietu, "SHJT贸易有限公司", "上海SHJT咨询有限公司", "深圳华为技术有限公司"}
	for i, n := range names {
		f.Register(t, USCC(400+i), n, "王小明")
	}
	search := func(q string, limit int) []string {
		t.Helper()
		return searchPages(t, f.Store.Search, q, limit)
	}
	res, err := f.Svc.Search(ctx, gongshi.SearchQuery{Q: "shjt", Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := namesOf(res.Hits); !slices.Contains(got, jietu) {
		t.Errorf("shjt, page 1: got %v, want %s among them", got, jietu)
	}
	// Initials ordered by themselves: shjtmyyxgs before shjttxwlkjyxgs.
	if got, want := search("shjt", 1), []string{"SHJT贸易有限公司", jietu}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("shjt by pages of 1: got %v, want %v", got, want)
	}
	if got, want := search("ShJtTx", 1), []string{jietu}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ShJtTx: got %v, want %v", got, want)
	}
	// Across all three tiers: the name prefix, then the initials (less the name already
	// found), then the substring (less both).
	want := []string{"SHJT贸易有限公司", jietu, "上海SHJT咨询有限公司"}
	for limit := 1; limit <= 4; limit++ {
		if got := search("SHJT", limit); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("SHJT by pages of %d: got %v, want %v", limit, got, want)
		}
	}
	if got := search("sz", 2); fmt.Sprint(got) != fmt.Sprint([]string{"深圳华为技术有限公司"}) {
		t.Errorf("sz: got %v, want only 深圳华为技术有限公司", got)
	}
	// One letter does not search initials (the service refuses it; the store finds nothing).
	if got := search("s", 10); len(got) != 0 {
		t.Errorf("s: got %v, want nothing", got)
	}
	// Initials follow a change of name.
	e, _ := f.Svc.Enterprise(ctx, f.Reg, USCC(403))
	if _, err := f.Svc.Amend(ctx, f.Reg, e.Registration, gongshi.Amendment{Fields: map[string]any{"name": "重庆华为技术有限公司"}}); err != nil {
		t.Fatal(err)
	}
	if got := search("sz", 2); len(got) != 0 {
		t.Errorf("sz after the name change: got %v, want nothing", got)
	}
	if got := search("cqhw", 2); fmt.Sprint(got) != fmt.Sprint([]string{"重庆华为技术有限公司"}) {
		t.Errorf("cqhw: got %v, want 重庆华为技术有限公司", got)
	}
}

func namesOf(es []*gongshi.Enterprise) []string {
	var names []string
	for _, e := range es {
		names = append(names, e.Name)
	}
	return names
}

func testAccounts(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	a, tok, err := f.Svc.CreateAccount(ctx, gongshi.NewAccount{ID: "pudong-1", Name: "浦东新区市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310115", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Svc.Authenticate(ctx, tok)
	if err != nil || got.ID != a.ID || got.Jurisdiction != "310115" {
		t.Fatalf("authenticate: %+v %v", got, err)
	}
	if _, err := f.Svc.Authenticate(ctx, tok+"x"); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
		t.Errorf("bad token: %v", err)
	}
	if _, _, err := f.Svc.Login(ctx, "pudong-1", "wrong password", ""); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
		t.Errorf("bad password: %v", err)
	}
	if _, tok2, err := f.Svc.Login(ctx, "pudong-1", "correct horse battery", ""); err != nil || tok2 == tok {
		t.Errorf("login: %v", err)
	}
	if _, _, err := f.Svc.CreateAccount(ctx, gongshi.NewAccount{ID: "pudong-1", Role: gongshi.RoleAdmin}); gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		t.Errorf("duplicate account: %v", err)
	}
	if _, _, err := f.Svc.CreateAccount(ctx, gongshi.NewAccount{ID: "ent", Role: gongshi.RoleEnterprise, Enterprise: USCC(999)}); gongshi.ErrorCode(err) != gongshi.ENOTFOUND {
		t.Errorf("liaison of unknown enterprise: %v", err)
	}
}

func testReopen(t *testing.T, open Opener) {
	f, reopen := NewFixture(t, open)
	if reopen == nil {
		t.Skip("store cannot be reopened")
	}
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		f.Register(t, USCC(400+i), fmt.Sprintf("上海重开%d有限公司", i), "孙八")
	}
	s := reopen()
	*f = Fixture{Store: s, Svc: gongshi.New(gongshi.Config{Store: s, Clock: f.Clock, Rules: policy.DefaultRules()}), Clock: f.Clock, Reg: f.Reg}
	f.Register(t, USCC(405), "上海重开5有限公司", "孙八")
	checkLog(t, s, 6)
	if _, err := s.EnterpriseByCode(ctx, USCC(402)); err != nil {
		t.Error(err)
	}
	f.Audit(t) // before the reopened store closes
}
