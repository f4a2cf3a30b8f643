package gongshi_test

import (
	"bytes"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// A page row's answer is listed on the days one of its periods covers (ListEntry.Active:
// from since, until the day before until), and not listed otherwise; a row whose offset
// does not point at the false it made is not served.
func TestPageRowOn(t *testing.T) {
	page := []byte(`{"enterprise":{"name":"甲","list_status":{"listed":false,"entries":[]}},"sections":{}}` + "\n")
	at := bytes.Index(page, []byte("false"))
	row := &gongshi.PageRow{Page: page, ListedAt: at, Listed: "2024-01-02/2025-01-01;2026-03-01/"}
	for day, listed := range map[string]bool{
		"2024-01-01": false, "2024-01-02": true, "2024-12-31": true, "2025-01-01": false,
		"2026-02-28": false, "2026-03-01": true, "2040-01-01": true,
	} {
		d, err := calendar.ParseDate(day)
		if err != nil {
			t.Fatal(err)
		}
		got := row.On(d)
		want := page
		if listed {
			want = bytes.Replace(page, []byte(`"listed":false`), []byte(`"listed":true`), 1)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("on %s: %s, want %s", day, got, want)
		}
	}
	if !bytes.Equal(page, row.Page) {
		t.Errorf("On changed the row's page: %s", row.Page)
	}
	none := &gongshi.PageRow{Page: page, ListedAt: at + 1}
	if got := none.On(calendar.Date{}); got != nil {
		t.Errorf("a row whose listed_at is off serves %s", got)
	}
	if got := (&gongshi.PageRow{Page: page, ListedAt: len(page) - 2}).On(calendar.Date{}); got != nil {
		t.Errorf("a row whose listed_at is past its end serves %s", got)
	}
}
