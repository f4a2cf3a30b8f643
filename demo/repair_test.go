package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/demo"
)

// TestRepairsOnASweptRegister: 300 enterprises with every report year since 2014, swept
// each July and November as gongshi demo sweeps them; then Repairs: penalties repaired and
// refused, serious listings of 2021 and later removed early and refused. A repaired
// penalty leaves public view; an entry removed early ends on the day.
func TestRepairsOnASweptRegister(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 4,000 record versions")
	}
	ctx := context.Background()
	_, svc, clock, until := openStore(t)
	if _, err := demo.Generate(ctx, svc, clock, demo.Options{Enterprises: 300, Seed: 7, Until: until, ReportYears: until.Year() - demo.Launch.Year()}); err != nil {
		t.Fatal(err)
	}
	end := calendar.DateOf(until)
	for y := demo.Launch.Year() + 1; y <= end.Year(); y++ {
		for _, d := range []calendar.Date{calendar.MustDate(y, time.July, 5), calendar.MustDate(y, time.November, 1), end} {
			if d.After(end) || d == end && y < end.Year() {
				continue
			}
			if _, err := svc.Sweep(ctx, gongshi.SweepOptions{AsOf: d, Backdate: true}); err != nil {
				t.Fatalf("sweep as of %s: %v", d, err)
			}
		}
	}
	st, err := demo.Repairs(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", st)
	if st.CreditRepaired == 0 || st.CreditRefused == 0 || st.EarlyRemoved == 0 || st.EarlyRefused == 0 {
		t.Fatalf("repairs %+v: want some of each", st)
	}
	removed := 0
	for _, k := range []string{gongshi.KindCreditRepair.Name, gongshi.KindEarlyRemoval.Name} {
		page, err := svc.Events(ctx, gongshi.FeedQuery{After: -1, Limit: 100, Kinds: []string{k}})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range page.Events {
			rec, _, err := svc.Record(ctx, gongshi.Anonymous, ev.Record)
			if err != nil {
				t.Fatal(err)
			}
			f := rec.Latest().Fields
			switch {
			case k == gongshi.KindCreditRepair.Name && f["outcome"] == gongshi.RepairGranted:
				if p, _, err := svc.Record(ctx, gongshi.Anonymous, f["penalty"].(string)); err != nil || p.Latest().Withdrawn == nil {
					t.Errorf("penalty %s repaired by %s is still shown (%v)", f["penalty"], ev.Record, err)
				}
			case k == gongshi.KindEarlyRemoval.Name && f["outcome"] == gongshi.OutcomeRemoved:
				es, err := svc.EnterpriseListings(ctx, ev.Subject)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range es {
					if e.ID == f["listing"] && (e.Until != end.String() || e.Ended != gongshi.EndCured) {
						t.Errorf("entry %s removed early by %s: until %s, %s", e.ID, ev.Record, e.Until, e.Ended)
					} else if e.ID == f["listing"] {
						removed++
					}
				}
			}
		}
	}
	if removed != st.EarlyRemoved {
		t.Errorf("%d entries ended early, want %d", removed, st.EarlyRemoved)
	}
}
