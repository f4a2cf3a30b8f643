package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/demo"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/sqlstore"
)

// TestSQLite generates 2,000 enterprises into a fresh SQLite store and reads them back.
func TestSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 10,000 record versions")
	}
	ctx := context.Background()
	db, svc, clock, until := openStore(t)
	start := time.Now()
	progress := 0
	st, err := demo.Generate(ctx, svc, clock, demo.Options{Enterprises: 2000, Seed: 5, Until: until,
		Progress: func(done, total int) {
			if done <= progress || done > total {
				t.Errorf("progress %d of %d after %d", done, total, progress)
			}
			progress = done
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v in %v", st, time.Since(start))
	if st.Enterprises < 2000 || st.Enterprises != 2000+st.Branches || st.Branches == 0 {
		t.Errorf("got %d enterprises with %d branches, want 2000 and their branches", st.Enterprises, st.Branches)
	}
	if st.Late == 0 || st.Late > st.Versions/5 || st.Corrected == 0 || st.Versions < 4*st.Enterprises {
		t.Errorf("got %+v, want some late, some corrected, 4+ versions per enterprise", st)
	}
	if progress != st.Versions {
		t.Errorf("progress ended at %d, want %d", progress, st.Versions)
	}
	if !clock.Now().Equal(until) {
		t.Errorf("clock reads %v after Generate, want %v", clock.Now(), until)
	}
	for _, k := range demo.Kinds() {
		if st.ByKind[k] == 0 {
			t.Errorf("no %s versions", k)
		}
	}

	// Generating again with the same seed finds the accounts and refuses the enterprises.
	if _, err := demo.Generate(ctx, svc, clock, demo.Options{Enterprises: 1, Seed: 5, Until: until}); gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		t.Errorf("second run: got %v, want a conflict", err)
	}

	var late, corrected, versions, former int
	for i, e := range demo.Preview(5, 2000, until) {
		got, err := db.EnterpriseByCode(ctx, e.USCC)
		if err != nil {
			t.Fatalf("%s %s: %v", e.USCC, e.Name, err)
		}
		former += len(got.Former)
		if e.RegNo != "" {
			if byRegNo, err := db.EnterpriseByCode(ctx, e.RegNo); err != nil || byRegNo.USCC.String() != e.USCC {
				t.Errorf("by registration number %s: got %v, %v", e.RegNo, byRegNo, err)
			}
		}
		svs, err := db.File(ctx, gongshi.FileQuery{Code: got.USCC.String()})
		if err != nil {
			t.Fatalf("file of %s: %v", got.USCC, err)
		}
		d, err := gongshi.OpenDossier(svs, false)
		rs := d.Records
		if err != nil || len(rs) == 0 {
			t.Fatalf("records of %s: %d, %v", got.USCC, len(rs), err)
		}
		for _, r := range rs {
			for j, v := range r.Versions {
				versions++
				if !v.OnTime {
					late++
				}
				if v.Reason != "" {
					corrected++
				}
				if j > 0 && !v.PublishedAt.After(r.Versions[j-1].PublishedAt) {
					t.Errorf("record %s: version %d published %v, not after %v", r.ID, v.Version, v.PublishedAt, r.Versions[j-1].PublishedAt)
				}
				if v.PublishedAt.Before(demo.Launch.Start()) || v.PublishedAt.After(until) {
					t.Errorf("record %s: version %d published %v", r.ID, v.Version, v.PublishedAt)
				}
				doc, _, err := db.Document(ctx, v.SHA256)
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(string(doc), `"id_number":"`) || strings.Contains(string(doc), `"contact_phone":"`) {
					t.Fatalf("record %s: a personal or non-public field in clear: %s", r.ID, doc)
				}
			}
		}
		if i < 20 {
			res, err := db.Search(ctx, gongshi.SearchQuery{Q: got.Name, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, h := range res.Hits {
				found = found || h.USCC == got.USCC
			}
			if !found {
				t.Errorf("search for %q does not find %s", got.Name, got.USCC)
			}
		}
	}
	t.Logf("principal enterprises: %d versions, %d late, %d corrected, %d former names", versions, late, corrected, former)
	if late == 0 || corrected == 0 || former == 0 {
		t.Errorf("got %d late, %d corrected, %d former names; want some of each", late, corrected, former)
	}
}

// openStore opens an empty SQLite store on a demo clock reading 2026-11-27 12:00 CST.
func openStore(t *testing.T) (*sqlstore.DB, *gongshi.Service, *demo.Clock, time.Time) {
	t.Helper()
	until := time.Date(2026, 11, 27, 12, 0, 0, 0, calendar.CST())
	clock := demo.NewClock(until)
	db, err := sqlstore.Open(context.Background(), sqlstore.Config{Dir: t.TempDir(), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, gongshi.New(gongshi.Config{Store: db, Clock: clock, Rules: policy.DefaultRules()}), clock, until
}
