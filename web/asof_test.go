package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gongshi/gongshi/storetest"
)

// TestEnterprisePageAsOf reads the seeded enterprise's page at the log size of its
// registration: its first name, none of its later records, and a notice naming the size.
func TestEnterprisePageAsOf(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testEnterprisePageAsOf(t, "") })
	t.Run("postgres", func(t *testing.T) { testEnterprisePageAsOf(t, storetest.PostgresURL(t)) })
}

func testEnterprisePageAsOf(t *testing.T, dbURL string) {
	e := newEnvOn(t, dbURL)
	ctx := context.Background()
	p, err := e.svc.Page(ctx, nil, e.seed.Enterprise)
	if err != nil {
		t.Fatal(err)
	}
	reg := p.Enterprise.Registration
	var first int64 = -1
	later := 0
	for _, r := range p.Records {
		if r.ID == reg {
			first = r.Versions[0].LogIndex
		} else {
			later++
		}
	}
	if first < 0 || later == 0 {
		t.Fatalf("the seeded enterprise has registration at %d and %d other records", first, later)
	}
	c := e.client()
	now := e.get(c, "/e/"+e.seed.Enterprise)
	past := e.get(c, fmt.Sprintf("/e/%s?log_size=%d", e.seed.Enterprise, first+1))
	if past.status != 200 || !strings.Contains(past.body, `id="as-of-notice"`) || !strings.Contains(past.body, fmt.Sprint(first+1)) {
		t.Fatalf("the page at log size %d: status %d, no notice naming the size", first+1, past.status)
	}
	if strings.Contains(now.body, `id="as-of-notice"`) {
		t.Errorf("the present page has an as-of notice")
	}
	// The credit report to print is read where the page is.
	if want := fmt.Sprintf(`/api/v1/enterprises/%s/report.pdf?log_size=%d"`, e.seed.Enterprise, first+1); !strings.Contains(past.body, want) {
		t.Errorf("the page at log size %d does not link to the report at that size (%s)", first+1, want)
	}
	if want := `/api/v1/enterprises/` + e.seed.Enterprise + `/report.pdf"`; !strings.Contains(now.body, want) {
		t.Errorf("the present page does not link to the credit report (%s)", want)
	}
	if len(past.body) >= len(now.body) {
		t.Errorf("the page at the registration (%d bytes) is not shorter than today's (%d): later records shown?", len(past.body), len(now.body))
	}
	// A regulator in scope sees the buttons that write on today's page, none on a past one.
	officer := e.client()
	e.login(officer, e.seed.Regulator)
	if today := e.get(officer, "/e/"+e.seed.Enterprise); !strings.Contains(today.body, `id="list-action"`) {
		t.Errorf("the regulator's page of today has no listing button")
	}
	pastReg := e.get(officer, fmt.Sprintf("/e/%s?log_size=%d", e.seed.Enterprise, first+1))
	for _, action := range []string{`id="list-action"`, `id="revoke-action"`, `/publish/`, `/amend"`, `/order"`} {
		if strings.Contains(pastReg.body, action) {
			t.Errorf("the regulator's page at log size %d offers %s: a past day's page acts on what it does not show", first+1, action)
		}
	}
	if r := e.get(c, "/e/"+e.seed.Enterprise+"?as_of=2014-01-01"); r.status != 404 {
		t.Errorf("as of 2014-01-01, before the registration: got %d, want 404", r.status)
	}
	if r := e.get(c, "/e/"+e.seed.Enterprise+"?as_of=01-01-2026"); r.status != 400 {
		t.Errorf("as_of=01-01-2026: got %d, want 400", r.status)
	}
	if r := e.get(c, "/e/"+e.seed.Enterprise+"?as_of="+testNow.Format("2006-01-02")); r.status != 200 || !strings.Contains(r.body, testNow.Format("2006-01-02")) {
		t.Errorf("as of today: got %d, want 200 naming the day", r.status)
	}
}
