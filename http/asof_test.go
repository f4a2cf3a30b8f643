package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/storetest"
	"github.com/gongshi/gongshi/translog"
)

func TestAsOf(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testAsOf(t, "") })
	t.Run("postgres", func(t *testing.T) { testAsOf(t, storetest.PostgresURL(t)) })
}

// testAsOf builds a week of history — registered on Monday, a penalty on Wednesday, a
// change of name on Friday, the penalty withdrawn the next Monday — and reads the page as
// of each day.
func testAsOf(t *testing.T, dbURL string) {
	ctx := context.Background()
	clock := storetest.NewClock(storetest.At("2026-06-01T10:00:00+08:00"))
	st := testserver.Start(t, testserver.Options{Clock: clock, DBURL: dbURL})
	reg := &gongshi.Account{ID: "sh", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"}
	code := uscc(t, "310115", 901)
	ent, _, err := st.Svc.Register(ctx, reg, registration(code))
	if err != nil {
		t.Fatal(err)
	}
	clock.Set(storetest.At("2026-06-03T10:00:00+08:00"))
	pen, err := st.Svc.Publish(ctx, reg, code, storetest.Penalty("沪市监浦处〔2026〕7号"))
	if err != nil {
		t.Fatal(err)
	}
	clock.Set(storetest.At("2026-06-05T23:59:00+08:00"))
	if _, err := st.Svc.Amend(ctx, reg, ent.Registration, gongshi.Amendment{Reason: "更名", Fields: map[string]any{"name": "上海新名字科技有限公司"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := translog.NewCheckpointer(st.DB, st.Signer).Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	clock.Set(storetest.At("2026-06-08T10:00:00+08:00"))
	admin := &gongshi.Account{ID: "admin", Name: "管理员", Role: gongshi.RoleAdmin}
	if _, err := st.Svc.Withdraw(ctx, admin, pen.Record, "court order to redact"); err != nil {
		t.Fatal(err)
	}

	get := func(query string) (int, *ghttp.EnterprisePage, []byte) {
		t.Helper()
		resp, err := http.Get(st.URL + "/api/v1/enterprises/" + code + query)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var p ghttp.EnterprisePage
		var raw json.RawMessage
		json.NewDecoder(resp.Body).Decode(&raw)
		json.Unmarshal(raw, &p)
		return resp.StatusCode, &p, raw
	}
	penalties := func(p *ghttp.EnterprisePage) (n int, shown bool) {
		for _, sec := range [][]*gongshi.Record{p.Sections.Registration, p.Sections.Enterprise, p.Sections.Department, p.Sections.Judicial} {
			for _, r := range sec {
				if r.Kind == "penalty" {
					n++
					shown = r.Versions[0].Withdrawn == nil && r.Versions[0].Fields != nil
				}
			}
		}
		return n, shown
	}

	if status, _, raw := get("?as_of=2026-05-31"); status != 404 {
		t.Errorf("as of the day before registration: got %d, want 404: %s", status, raw)
	}
	for _, c := range []struct {
		day       string
		size      int64
		name      string
		penalties int
	}{
		{"2026-06-01", 1, "上海杰图天下网络科技有限公司", 0},
		{"2026-06-02", 1, "上海杰图天下网络科技有限公司", 0},
		{"2026-06-04", 2, "上海杰图天下网络科技有限公司", 1},
		{"2026-06-05", 3, "上海新名字科技有限公司", 1},
		{"2026-06-08", 4, "上海新名字科技有限公司", 1},
	} {
		status, p, raw := get("?as_of=" + c.day)
		if status != 200 || p.ReadAt == nil || p.ReadAt.LogSize != c.size || p.ReadAt.AsOf != c.day {
			t.Fatalf("as of %s: status %d, read_at %+v; want log size %d: %s", c.day, status, p.ReadAt, c.size, raw)
		}
		if p.Enterprise.Name != c.name {
			t.Errorf("as of %s: name %q, want %q", c.day, p.Enterprise.Name, c.name)
		}
		// The penalty was public on the 4th and 5th, but it has since been withdrawn: it
		// stays withdrawn in every read of the past.
		if n, shown := penalties(p); n != c.penalties || shown {
			t.Errorf("as of %s: %d penalties (shown %v), want %d, withdrawn", c.day, n, shown, c.penalties)
		}
		if c.size <= 3 && !strings.HasPrefix(p.ReadAt.Checkpoint, translog.DefaultOrigin+"\n3\n") {
			t.Errorf("as of %s: checkpoint %q, want the one of size 3", c.day, p.ReadAt.Checkpoint)
		}
		if c.size == 4 && p.ReadAt.Checkpoint != "" {
			t.Errorf("as of %s: checkpoint %q, but none holds 4 entries", c.day, p.ReadAt.Checkpoint)
		}
		// log_size reads the same prefix.
		_, bySize, _ := get(fmt.Sprintf("?log_size=%d", c.size))
		if bySize.ReadAt == nil || bySize.Enterprise.Name != p.Enterprise.Name || bySize.ReadAt.LogSize != c.size {
			t.Errorf("log_size=%d: got %+v, %q; want what as_of=%s read", c.size, bySize.ReadAt, bySize.Enterprise.Name, c.day)
		}
	}
	if _, now, _ := get(""); now.ReadAt != nil || now.Enterprise.Name != "上海新名字科技有限公司" {
		t.Errorf("the present page: read_at %+v, name %q", now.ReadAt, now.Enterprise.Name)
	}
	resp, err := http.Get(st.URL + "/api/v1/enterprises/" + code + "/records?as_of=2026-06-02")
	if err != nil {
		t.Fatal(err)
	}
	var rl ghttp.RecordList
	json.NewDecoder(resp.Body).Decode(&rl)
	resp.Body.Close()
	if len(rl.Records) != 1 || rl.ReadAt == nil || rl.ReadAt.LogSize != 1 {
		t.Errorf("records as of 2026-06-02: %d records, read_at %+v; want the registration at size 1", len(rl.Records), rl.ReadAt)
	}
	// The credit check's as_of reads the same prefixes.
	for _, c := range []struct {
		day, status string
		size        int64
	}{{"2026-05-31", gongshi.CreditNotFound, 0}, {"2026-06-02", gongshi.CreditClear, 1}, {"2026-06-06", gongshi.CreditClear, 3}} {
		body := fmt.Sprintf(`{"as_of":%q,"codes":[%q]}`, c.day, code)
		resp, err := http.Post(st.URL+"/api/v1/credit-checks", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var cc gongshi.CreditCheck
		json.NewDecoder(resp.Body).Decode(&cc)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(cc.Results) != 1 || cc.Results[0].Status != c.status || cc.LogSize != c.size {
			t.Errorf("credit check as of %s: status %d, %+v; want %s at log size %d", c.day, resp.StatusCode, cc, c.status, c.size)
		}
	}
	// The lists read the same prefixes: a listing decided on the 8th was not public on the 5th.
	if _, err := st.Svc.DecideListing(ctx, reg, code, gongshi.ListingDecision{Ground: 4, Verified: "2026-06-05", Facts: "经实地核查，通过登记的住所无法联系", DocumentNo: "浦市监异〔2026〕9号"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query   string
		entries int
		size    int64
	}{{"?as_of=2026-06-05", 0, 3}, {"?as_of=2026-06-08", 1, 5}, {"", 1, 0}} {
		resp, err := http.Get(st.URL + "/api/v1/lists/abnormal" + c.query)
		if err != nil {
			t.Fatal(err)
		}
		var lp gongshi.ListPage
		json.NewDecoder(resp.Body).Decode(&lp)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(lp.Entries) != c.entries || lp.LogSize != c.size {
			t.Errorf("abnormal list%s: status %d, %d entries at log size %d; want %d at %d", c.query, resp.StatusCode, len(lp.Entries), lp.LogSize, c.entries, c.size)
		}
	}
	for _, c := range []struct{ query, field string }{
		{"?as_of=2026-06-09", "as_of"}, {"?as_of=2026-6-1", "as_of"}, {"?log_size=6", "log_size"}, {"?log_size=0", "log_size"},
		{"?as_of=2026-06-02&log_size=1", "log_size"},
	} {
		want400(t, st.URL+"/api/v1/enterprises/"+code+c.query, c.field)
	}
}
