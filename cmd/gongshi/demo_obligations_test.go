package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/sqlstore"
)

// TestDemoObligationsAgreeWithLists: in the demo "gongshi serve --demo" builds, every
// annual report an operating enterprise's obligations call overdue was listed for
// (ground 1, that report year). The demo used to file and sweep only the last four
// report years, so an enterprise owed every earlier one that no list had heard of, its
// credit check clear; and a deregistered enterprise owed every report after it closed.
// (An enterprise that has ceased is left out: the demo sweeps its history after the
// fact, when the sweep no longer lists it, so a report it missed while operating stays
// unlisted.)
func TestDemoObligationsAgreeWithLists(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if code, _, errOut := runMain("demo", "--data", dir, "--enterprises", "250"); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, tail(errOut, 2000))
	}
	ctx := context.Background()
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "gongshi.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var codes []string
	rows, err := raw.Query(`SELECT uscc FROM enterprises WHERE status IN ('存续', '在业') ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		rows.Scan(&c)
		codes = append(codes, c)
	}
	rows.Close()
	db, err := sqlstore.Open(ctx, sqlstore.Config{Dir: dir, Shared: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := gongshi.New(gongshi.Config{Store: db, Clock: gongshi.SystemClock{}, Rules: policy.DefaultRules()})
	today := calendar.DateOf(time.Now())
	overdue, bad := 0, 0
	for _, c := range codes {
		ob, err := svc.Obligations(ctx, c, today)
		if err != nil {
			t.Fatal(err)
		}
		es, err := svc.EnterpriseListings(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		listed := map[string]bool{}
		for _, e := range es {
			if e.Ground == 1 {
				listed[e.Period] = true
			}
		}
		for _, r := range ob.AnnualReports {
			if r.Status != gongshi.ReportOverdue {
				continue
			}
			overdue++
			if !listed[itoa(r.Year)] {
				if bad++; bad <= 5 {
					t.Errorf("%s: its %d report is overdue (due %s) but it was never listed for it", c, r.Year, r.Due)
				}
			}
		}
	}
	if bad > 5 {
		t.Errorf("… %d overdue reports never listed in all", bad)
	}
	if overdue == 0 {
		t.Errorf("no overdue report among %d demo enterprises: the test checks nothing", len(codes))
	}
	t.Logf("%d enterprises, %d overdue reports", len(codes), overdue)
}
