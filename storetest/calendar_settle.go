package storetest

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// testYearWithoutNextSchedule sweeps every day of 2027 and the first days of 2028 with only
// the built-in calendar (up to 2027): no sweep fails, the decisions and publications whose
// dates need 2028 are made with provisional dates, and nothing waits on a guess. Then 2028's
// schedule is loaded, and the next sweep settles every provisional date once.
func testYearWithoutNextSchedule(t *testing.T, open Opener) {
	y := newCalYear(t, open)
	f, ctx := y.f, context.Background()
	if w := f.Svc.MissingSchedule(); w != nil {
		t.Errorf("on %s: got a warning for %d, want none before 1 October 2027", y.f.Clock.Now().Format(time.DateOnly), w.Year)
	}
	y.run(calendar.MustDate(2027, 1, 1), calendar.MustDate(2027, 9, 30))
	if w := f.Svc.MissingSchedule(); w != nil {
		t.Errorf("on 2027-09-30: got a warning for %d, want none", w.Year)
	}
	y.run(calendar.MustDate(2027, 10, 1), calendar.MustDate(2028, 1, 3))
	st, err := f.Svc.ScheduleStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Missing == nil || st.Missing.Year != 2028 || st.Missing.Since != "2027-10-01" || st.LastYear != 2027 {
		t.Errorf("status on 2028-01-03: got %+v (missing %+v), want 2028 missing since 2027-10-01", st, st.Missing)
	}

	before := y.provisional()
	y.checkProvisional(before)
	cases := 3 // the report case, C's removal application and G's objection
	if st.Awaiting[2028] != len(before)+cases {
		t.Errorf("awaiting 2028: got %d subjects, want %d records and %d cases", st.Awaiting[2028], len(before), cases)
	}
	// G's order lapsed on a known date (27 December); E's deadline (1 January, a Saturday)
	// is provisional: E is not listed while it may not have passed.
	if es, _ := f.Svc.EnterpriseListings(ctx, y.code["E"]); len(es) != 0 {
		t.Errorf("E listed on a provisional deadline: %+v", es)
	}

	if err := f.Svc.Rules.Calendar.Load(strings.NewReader(Schedule2028)); err != nil {
		t.Fatal(err)
	}
	y.at("2028-01-04T09:00:00+08:00")
	size0, _ := f.Store.TreeSize(ctx)
	dry, err := f.Svc.Sweep(ctx, gongshi.SweepOptions{AsOf: calendar.MustDate(2028, 1, 4), DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := f.Svc.Sweep(ctx, gongshi.SweepOptions{AsOf: calendar.MustDate(2028, 1, 4), Batch: 4})
	if err != nil {
		t.Fatal(err)
	}
	want := len(before) + cases
	if dry.Counts["settlements"] != want || sum.Counts["settlements"] != want || sum.Counts["ground2"] != 0 {
		t.Errorf("sweep of 2028-01-04: got %d settlements (dry run %d), %d ground-2 listings; want %d settlements, E not yet listed on its deadline day",
			sum.Counts["settlements"], dry.Counts["settlements"], sum.Counts["ground2"], want)
	}
	size1, _ := f.Store.TreeSize(ctx)
	if size1 != size0+int64(len(before)) {
		t.Errorf("settlement grew the log by %d versions, want %d", size1-size0, len(before))
	}
	y.checkSettled(before)
	y.checkSettledDates()

	again, err := f.Svc.Sweep(ctx, gongshi.SweepOptions{AsOf: calendar.MustDate(2028, 1, 4)})
	if size2, _ := f.Store.TreeSize(ctx); err != nil || again.Counts["settlements"] != 0 || size2 != size1 {
		t.Errorf("second sweep: got %d settlements, log %d → %d (%v); want none", again.Counts["settlements"], size1, size2, err)
	}
	if st, _ := f.Svc.ScheduleStatus(ctx); st.Missing != nil || len(st.Awaiting) != 0 {
		t.Errorf("status after settlement: got missing %+v awaiting %v, want none", st.Missing, st.Awaiting)
	}
	y.at("2028-01-05T09:00:00+08:00")
	if s, err := f.Svc.Sweep(ctx, gongshi.SweepOptions{AsOf: calendar.MustDate(2028, 1, 5)}); err != nil || s.Counts["ground2"] != 1 {
		t.Errorf("sweep of 2028-01-05: got %v ground-2 listings (%v), want E listed the day after its settled deadline", s.Counts, err)
	}
	size3, _ := f.Store.TreeSize(ctx)
	checkLog(t, f.Store, size3)
}

// checkProvisional checks the records the year left with provisional dates: the July
// decisions (litigation by 1 January 2028), the December publications, and their documents.
func (y *calYear) checkProvisional(prov map[string]*gongshi.Version) {
	t := y.t
	wantDates := map[string][]string{
		y.listing(y.code["A"], 1).Record: {"fields.litigation_by", "fields.remedies"},
		y.listing(y.code["D"], 1).Record: {"fields.litigation_by", "fields.remedies"},
		y.listing(y.code["H"], 4).Record: {"due", "fields.litigation_by", "fields.objection_by", "fields.remedies", "fields.review_by"},
		y.penalty.Record:                 {"due"},
	}
	for rec, dates := range wantDates {
		v := prov[rec]
		if v == nil || v.Provisional.Year != 2028 || !slices.Equal(v.Provisional.Dates, dates) {
			t.Errorf("record %s: got provisional %+v, want %v awaiting 2028", rec, v, dates)
			continue
		}
		doc := documentOf(t, y.f, v.SHA256)
		p, _ := doc["provisional"].(map[string]any)
		if p["year"] != float64(2028) || len(p["dates"].([]any)) != len(dates) {
			t.Errorf("document of record %s: provisional %v, want year 2028 and %v", rec, doc["provisional"], dates)
		}
	}
	if a := prov[y.listing(y.code["A"], 1).Record]; a != nil && (a.Body["litigation_by"] != "2028-01-01" || !strings.Contains(a.Body["remedies"].(string), "2028-01-01（暂定）")) {
		t.Errorf("A's listing: litigation by %v, remedies %q; want the nominal 2028-01-01 marked 暂定", a.Body["litigation_by"], a.Body["remedies"])
	}
	if v := prov[y.penalty.Record]; v != nil && (v.Due.String() != "2028-01-17" || !v.OnTime) {
		t.Errorf("penalty: due %s on time %v, want the nominal 2028-01-17, on time", v.Due, v.OnTime)
	}
	for _, o := range y.orders("E") {
		if o.Deadline != "2028-01-01" || o.Provisional.Awaits() != 2028 || o.Status != gongshi.OrderOpen {
			t.Errorf("E's order on 2028-01-03: deadline %s provisional %+v status %s, want the nominal 2028-01-01, open", o.Deadline, o.Provisional, o.Status)
		}
	}
}

// checkSettled checks that each record with provisional dates got exactly one settlement
// version: the next version, by the register, exact, with the reason, changing dates only.
func (y *calYear) checkSettled(before map[string]*gongshi.Version) {
	t := y.t
	for rec, old := range before {
		r, _, err := y.f.Svc.Record(context.Background(), y.f.Reg, rec)
		if err != nil {
			t.Fatal(err)
		}
		v, n := r.Latest(), 0
		for _, x := range r.Versions {
			if x.Publisher.Account == gongshi.SettlementAccount {
				n++
			}
		}
		if n != 1 || v.Version != old.Version+1 || v.Publisher.Account != gongshi.SettlementAccount || v.Provisional != nil ||
			!strings.HasPrefix(v.Reason, "2028年节假日安排已公布，期限确定为") || v.Arose != old.Arose || v.OnTime != old.OnTime {
			t.Errorf("record %s: got %d settlement versions, latest v%d by %s provisional %+v reason %q on time %v; want one, v%d by the register, exact, on time %v",
				rec, n, v.Version, v.Publisher.Account, v.Provisional, v.Reason, v.OnTime, old.Version+1, old.OnTime)
		}
		for _, c := range v.Changes {
			if !slices.Contains(old.Provisional.Dates, "fields."+c.Field) {
				t.Errorf("record %s: settlement changed %s, which was not provisional", rec, c.Field)
			}
		}
	}
}

// checkSettledDates checks the settled dates against the 2028 schedule: each moved past
// the holidays to the working day the law gives.
func (y *calYear) checkSettledDates() {
	t, ctx := y.t, context.Background()
	latest := func(rec string) *gongshi.Version {
		r, _, err := y.f.Svc.Record(ctx, y.f.Reg, rec)
		if err != nil {
			t.Fatal(err)
		}
		return r.Latest()
	}
	a := latest(y.listing(y.code["A"], 1).Record)
	if a.Body["litigation_by"] != "2028-01-04" || strings.Contains(a.Body["remedies"].(string), "暂定") {
		t.Errorf("A: litigation by %v, remedies %q; want 2028-01-04, no longer provisional", a.Body["litigation_by"], a.Body["remedies"])
	}
	h := latest(y.listing(y.code["H"], 4).Record)
	if h.Due.String() != "2028-01-10" || h.Body["objection_by"] != "2028-02-02" || h.Body["review_by"] != "2028-02-28" {
		t.Errorf("H: due %s, objection by %v, review by %v; want 2028-01-10, 2028-02-02 (after Spring Festival), 2028-02-28", h.Due, h.Body["objection_by"], h.Body["review_by"])
	}
	if p := latest(y.penalty.Record); p.Due.String() != "2028-01-18" || !p.OnTime {
		t.Errorf("penalty: due %s on time %v, want 2028-01-18, on time", p.Due, p.OnTime)
	}
	for _, o := range y.orders("E") {
		if o.Deadline != "2028-01-04" || o.Provisional != nil {
			t.Errorf("E's order: deadline %s provisional %+v, want 2028-01-04 exact", o.Deadline, o.Provisional)
		}
	}
	c, err := y.f.Svc.Case(ctx, y.f.Reg, y.caseNo, "")
	if err != nil || c.Due != "2028-01-10" || c.Provisional != nil || c.AnswerVersion == nil {
		t.Fatalf("case %s: due %s provisional %+v (%v), want 2028-01-10 exact", y.caseNo, c.Due, c.Provisional, err)
	}
	if ans := latest(c.AnswerVersion.Record); ans.Body["due"] != "2028-01-10" {
		t.Errorf("case answer: due %v, want 2028-01-10", ans.Body["due"])
	}
	for id, want := range map[string]string{y.removal: "2028-01-05", y.objected: "2028-01-06"} {
		ec, err := y.f.Store.EnforcementCase(ctx, id)
		if err != nil || ec.Due != want || ec.Provisional != nil {
			t.Errorf("enforcement case %s: due %s provisional %+v (%v), want %s exact", id, ec.Due, ec.Provisional, err, want)
		}
	}
}

func (y *calYear) orders(letter string) []*gongshi.OrderView {
	y.t.Helper()
	os, err := y.f.Svc.Orders(context.Background(), y.code[letter])
	if err != nil || len(os) != 1 {
		y.t.Fatalf("orders of %s: got %d (%v), want 1", letter, len(os), err)
	}
	return os
}

// documentOf decodes a record version's document.
func documentOf(t *testing.T, f *Fixture, sha string) map[string]any {
	t.Helper()
	b, err := f.Svc.Document(context.Background(), sha)
	if err != nil {
		t.Fatalf("document %s: %v", sha, err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
