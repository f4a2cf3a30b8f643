package policy

import (
	"errors"
	"testing"

	"github.com/gongshi/gongshi/calendar"
)

// TestLaterEntryAppliesOnlyAfterItsDate changes the enterprise disclosure
// period from 1 July 2026 and checks that facts before keep the old rule.
func TestLaterEntryAppliesOnlyAfterItsDate(t *testing.T) {
	entries := append(Default().Entries(), Entry{
		ID: "disclosure.enterprise", Name: "企业即时信息公示", NameEN: "enterprise instant disclosure",
		Amount: 15, Unit: WorkingDays, Source: "a later amendment", From: d("2026-07-01"),
	})
	table, err := NewTable(entries)
	if err != nil {
		t.Fatal(err)
	}
	r := Rules{Table: table, Calendar: calendar.Default()}
	before, err := r.DisclosureDue(Enterprise, d("2026-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	if before.Entry.Amount != 20 || before.Date != d("2026-07-28") {
		t.Errorf("fact of 30 Jun: got %v by %s, want 2026-07-28 by the 20-day entry", before.Date, before.Entry)
	}
	after, err := r.DisclosureDue(Enterprise, d("2026-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	if after.Entry.Amount != 15 || after.Date != d("2026-07-22") || after.Entry.Ref() != "disclosure.enterprise@2026-07-01" {
		t.Errorf("fact of 1 Jul: got %v by %s, want 2026-07-22 by the 15-day entry", after.Date, after.Entry)
	}
}

func TestLookup(t *testing.T) {
	tab := Default()
	if _, err := tab.Lookup("disclosure.enterprise", d("2014-09-30")); !errors.Is(err, ErrNoEntry) {
		t.Errorf("before Decree 654: got %v, want ErrNoEntry", err)
	}
	if _, err := tab.Lookup("no.such.rule", d("2026-01-01")); !errors.Is(err, ErrNoEntry) {
		t.Errorf("unknown id: got %v, want ErrNoEntry", err)
	}
	if _, err := tab.Lookup("licence.revocation.unreported", d("2024-04-30")); !errors.Is(err, ErrNoEntry) {
		t.Errorf("Decree 777 before 1 May 2024: got %v, want ErrNoEntry", err)
	}
	e, err := tab.Lookup("licence.revocation.unreported", d("2024-05-01"))
	if err != nil || e.Amount != 2 || e.Unit != Years {
		t.Errorf("Decree 777: got %v, %v", e, err)
	}
}

func TestNewTableRejects(t *testing.T) {
	good := Entry{ID: "x", Name: "x", NameEN: "x", Amount: 1, Unit: Years, Source: "s", From: d("2014-10-01")}
	mut := []func(*Entry){
		func(e *Entry) { e.ID = "" },
		func(e *Entry) { e.ID = "a b" },
		func(e *Entry) { e.Name = "" },
		func(e *Entry) { e.Amount = 0 },
		func(e *Entry) { e.Unit = 0 },
		func(e *Entry) { e.Source = "" },
		func(e *Entry) { e.From = calendar.Date{} },
	}
	for i, m := range mut {
		e := good
		m(&e)
		if _, err := NewTable([]Entry{e}); err == nil {
			t.Errorf("mutation %d accepted: %+v", i, e)
		}
	}
	if _, err := NewTable([]Entry{good, good}); err == nil {
		t.Error("duplicate ID and From accepted")
	}
}

// TestDefaultTableComplete checks that every ID the rules use is in the table.
func TestDefaultTableComplete(t *testing.T) {
	ids := map[string]bool{}
	for _, e := range Default().Entries() {
		ids[e.ID] = true
	}
	for _, id := range []string{"disclosure.regulator", "disclosure.department", "disclosure.enterprise", "order.disclose",
		"annual.window", "annual.correction", "case.report", "case.inquiry", "case.correction", "spotcheck.minimum",
		"list.abnormal.decision.report", "list.abnormal.decision.order", "list.abnormal.decision.falsified",
		"list.abnormal.decision.unreachable", "list.abnormal.removal", "list.abnormal.objection",
		"list.abnormal.objection.accept", "list.abnormal.objection.verify", "list.abnormal.correction",
		"list.abnormal.warning", "list.serious.after", "list.serious.decision", "list.serious.removal",
		"list.serious.term", "ban.legal-representative", "individual.restoration", "penalty.display",
		"penalty.display.minor", "remedy.review", "remedy.litigation", "licence.revocation.unreported"} {
		if !ids[id] {
			t.Errorf("default table lacks %s", id)
		}
	}
}
