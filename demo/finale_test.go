package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/demo"
	"github.com/gongshi/gongshi/draw"
)

// TestFilingsAndFinale generates 4,000 enterprises with one report year and checks the
// reports, orders, draws, results, cases and consents the demo adds (issues 4 and 6).
func TestFilingsAndFinale(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 20,000 record versions")
	}
	ctx := context.Background()
	db, svc, clock, until := openStore(t)
	st, err := demo.Generate(ctx, svc, clock, demo.Options{Enterprises: 4000, Seed: 3, Until: until, ReportYears: 2})
	if err != nil {
		t.Fatal(err)
	}
	f, c := st.Filings, st.Checks
	t.Logf("filings %+v, checks %+v", f, c)
	if f.Reports < 4000 || f.Late == 0 || f.Late > f.Reports/6 || f.Corrected == 0 || f.Missing == 0 || f.Paper == 0 {
		t.Errorf("filings %+v: want about 2 reports per enterprise, some late, corrected, missing, on paper", f)
	}
	if f.Orders == 0 || f.Fulfilled == 0 || f.Fulfilled+f.Lapsed > f.Orders || st.ByKind["order"] != f.Orders {
		t.Errorf("orders %+v, %d order versions", f, st.ByKind["order"])
	}
	// Fulfilled orders are no longer open: past their deadline are the lapsed ones and the
	// order the spot check's "not disclosed" issued six weeks before the clock.
	if lapsed, err := svc.OrdersLapsed(ctx, calendar.DateOf(until)); err != nil || len(lapsed) != f.Lapsed+1 {
		t.Errorf("%d orders lapsed (%v), want %d", len(lapsed), err, f.Lapsed+1)
	}
	if c.Inspectors != 6 || c.Conflicts != 3 || c.Draws != 2 || c.Results < 7 || c.Cases != 4 || c.Consents != 2 || c.Views != 1 {
		t.Fatalf("checks %+v", c)
	}
	// The later rules: two freezes and an unfreezing; two notices, an objection and two
	// decisions; a correction request routed to the department whose licence it is about.
	if c.Judicial != 3 || c.Deregistrations != 5 || c.Routed != 1 || c.Objections != 4 {
		t.Errorf("later rules %+v: want 3 judicial notices, 5 deregistration records, 1 case routed, 4 decisions on objections", c)
	}
	// Decree 777: licences revoked of enterprises unreported two years and unreachable.
	if c.Revocations == 0 {
		t.Errorf("later rules %+v: no licence revoked", c)
	}
	if q, err := svc.EnforcementQueue(ctx, &gongshi.Account{ID: "admin", Role: gongshi.RoleAdmin}); err != nil || len(q) != 1 || q[0].State != gongshi.CaseStateAccepted {
		t.Errorf("enforcement queue: %+v (%v), want the one accepted objection awaiting its answer", q, err)
	} else if r, _, err := svc.Record(ctx, gongshi.Anonymous, q[0].Answer); err != nil || r.Latest().Kind != "objection_acceptance" {
		t.Errorf("the accepted objection's notice %s: %v", q[0].Answer, err)
	}
	ds, err := svc.Draws(ctx, "")
	if err != nil || len(ds) != 2 {
		t.Fatalf("draws: %v %v", ds, err)
	}
	var drawn *gongshi.Draw
	for _, d := range ds {
		pop, _ := svc.DrawText(ctx, d.Number, "population")
		roster, _ := svc.DrawText(ctx, d.Number, "roster")
		if draw.Digest(pop) != d.PopulationSHA256 || draw.Digest(roster) != d.RosterSHA256 {
			t.Errorf("draw %s: digests differ", d.Number)
		}
		if d.State == gongshi.DrawDrawn {
			drawn = d
		} else if !d.Directed || d.Seed != "" {
			t.Errorf("planned draw %+v", d)
		}
	}
	if drawn == nil || drawn.Directed {
		t.Fatalf("no undirected draw drawn: %+v", ds)
	}
	// The lists of check items: three of every provincial regulator, one of each of A's
	// province's departments; the drawn draw names three, the planned one one.
	if c.CheckItems < 3+6 || c.CheckItems%3 != 0 {
		t.Errorf("%d check items, want 3 per regulator and 6 of A's departments", c.CheckItems)
	}
	for _, d := range ds {
		want := map[bool]int{true: 3, false: 1}[d == drawn]
		if len(d.CheckItems) != want {
			t.Errorf("draw %s names %d check items, want %d", d.Number, len(d.CheckItems), want)
		}
		if d != drawn && (d.Stratum == nil || len(d.Stratum.Industries) != 1) {
			t.Errorf("the directed draw %s: stratum %+v, want B's main industry", d.Number, d.Stratum)
		}
		items, err := svc.CheckItems(ctx, gongshi.CheckItemQuery{Division: d.Jurisdiction, State: gongshi.CheckItemInForce})
		if err != nil || len(items) != 3+6 {
			t.Errorf("items in force in %s: %d (%v), want 9", d.Jurisdiction, len(items), err)
		}
	}
	seed, err := draw.ParseSeed(drawn.Seed)
	if err != nil || seed.Commitment() != drawn.SeedSHA256 {
		t.Errorf("seed %q does not match its commitment: %v", drawn.Seed, err)
	}
	result, _ := svc.DrawText(ctx, drawn.Number, "result")
	if draw.Digest(result) != drawn.ResultSHA256 {
		t.Errorf("result digest differs")
	}
	rs, err := svc.SpotCheckResults(ctx, drawn.Number)
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[string]int{}
	for _, r := range rs {
		outcomes[r.Outcome]++
		doc, _, err := db.Document(ctx, r.Version.SHA256)
		if err != nil || strings.Contains(string(doc), "id_number") {
			t.Errorf("result document: %v %s", err, doc)
		}
	}
	if outcomes[gongshi.OutcomeNormal] < 3 || outcomes[gongshi.OutcomeFalse] != 1 || outcomes[gongshi.OutcomeUnreachable] != 1 ||
		outcomes[gongshi.OutcomeNotDisclosed] != 1 || outcomes[gongshi.OutcomeNonCooperation] != 1 {
		t.Errorf("outcomes %v", outcomes)
	}
	admin := &gongshi.Account{ID: "admin", Role: gongshi.RoleAdmin}
	cs, err := svc.CaseQueue(ctx, admin, true)
	if err != nil || len(cs) != 5 {
		t.Fatalf("cases: %d %v", len(cs), err)
	}
	states := map[string]int{}
	for _, cs := range cs {
		states[cs.Kind+"/"+cs.State]++
		if cs.Handler != "" && (cs.Kind != gongshi.CaseCorrection || !strings.HasPrefix(cs.Handler, "department-")) {
			t.Errorf("case %s routed to %q", cs.Number, cs.Handler)
		}
		if cs.Kind == gongshi.CaseInquiry && !cs.Overdue {
			t.Errorf("inquiry %s is not overdue (due %s)", cs.Number, cs.Due)
		}
		if cs.AnswerVersion != nil {
			doc, _, _ := db.Document(ctx, cs.AnswerVersion.SHA256)
			if strings.Contains(string(doc), "id_number") || strings.Contains(string(doc), "phone") {
				t.Errorf("answer document carries personal data: %s", doc)
			}
		}
	}
	want := map[string]int{"report/received": 1, "inquiry/in_review": 1, "report/answered": 1, "correction_request/closed": 1, "correction_request/received": 1}
	for k, n := range want {
		if states[k] != n {
			t.Errorf("cases %v, want %v", states, want)
			break
		}
	}
	// The sweep lists, warns and withdraws penalties past their publicity (withdrawals).
	if _, err := svc.Sweep(ctx, gongshi.SweepOptions{AsOf: calendar.DateOf(until)}); err != nil {
		t.Fatal(err)
	}
	checkFeedFilters(t, svc)
}

// checkFeedFilters: the change feed read by kind and by division — the store passing over
// entries by their records and enterprises (LoggedMatching) — gives, page after page, the
// events of the whole feed that the query wants, judged from their documents: every kind
// of a full register (draws, check items, withdrawals, branches) and divisions of each
// length. So does the feed of a watch's enterprises: a few (found by seeks to their ids),
// the 448 with a withdrawal (by reading the log's keys), a third of the register (entry by
// entry), and one not registered. The store chooses its way itself: the districts' and the
// rare kinds' feeds are read by seeks too.
func checkFeedFilters(t *testing.T, svc *gongshi.Service) {
	ctx := context.Background()
	var all []*gongshi.FeedEvent
	for after := int64(-1); ; {
		p, err := svc.Events(ctx, gongshi.FeedQuery{After: after, Limit: gongshi.MaxFeedLimit})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p.Events...)
		if after = p.Next; after == p.LogSize-1 {
			break
		}
	}
	kinds := map[string]bool{}
	for _, c := range all {
		kinds[c.Kind] = true
	}
	if len(all) < 5000 || !kinds[gongshi.KindWithdrawal.Name] || !kinds[gongshi.KindDraw] {
		t.Fatalf("%d events of kinds %v: want a register with withdrawals and draws", len(all), kinds)
	}
	some := all[len(all)/3].Division()
	var queries []gongshi.FeedQuery
	for k := range kinds {
		queries = append(queries, gongshi.FeedQuery{Kinds: []string{k}})
	}
	for _, d := range []string{some[:1], some[:2], some[:4], some, "31", "990000"} {
		queries = append(queries, gongshi.FeedQuery{Division: d}, gongshi.FeedQuery{Division: d, Kinds: []string{"penalty", gongshi.KindDraw, gongshi.KindWithdrawal.Name}})
	}
	subjects := func(pick func(i int, c *gongshi.FeedEvent) bool) map[string]bool {
		m := map[string]bool{}
		for i, c := range all {
			if c.Kind != gongshi.KindDraw && c.Kind != gongshi.KindCheckItem.Name && pick(i, c) {
				m[c.Subject] = true
			}
		}
		return m
	}
	withdrawn := subjects(func(_ int, c *gongshi.FeedEvent) bool { return c.Kind == gongshi.KindWithdrawal.Name })
	queries = append(queries,
		gongshi.FeedQuery{Subjects: withdrawn},
		gongshi.FeedQuery{Subjects: withdrawn, Kinds: []string{"penalty"}},
		gongshi.FeedQuery{Subjects: subjects(func(i int, _ *gongshi.FeedEvent) bool { return i == len(all)/2 || i == len(all)-1 })},
		gongshi.FeedQuery{Subjects: subjects(func(i int, c *gongshi.FeedEvent) bool { return c.Kind == "registration" && i%3 == 0 })},
		gongshi.FeedQuery{Subjects: map[string]bool{"91310115MA1H000000": true}})
	for _, q := range queries {
		var want, got []int64
		for _, c := range all {
			if q.Wants(c) {
				want = append(want, c.LogIndex)
			}
		}
		for q.After, q.Limit = -1, 700; ; {
			p, err := svc.Events(ctx, q)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			for _, c := range p.Events {
				got = append(got, c.LogIndex)
			}
			if q.After = p.Next; p.Next == p.LogSize-1 {
				break
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("the feed by kinds %v, division %q, %d subjects: %d events, want %d", q.Kinds, q.Division, len(q.Subjects), len(got), len(want))
		}
	}
}
