package calendar

import (
	"database/sql/driver"
	"encoding/json"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	good := []string{"2026-01-05", "2024-02-29", "0001-01-01", "9999-12-31", "2000-02-29"}
	for _, s := range good {
		d, err := ParseDate(s)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", s, err)
			continue
		}
		if got := d.String(); got != s {
			t.Errorf("ParseDate(%q).String() = %q, want %q", s, got, s)
		}
	}
	bad := []string{"", "2026-1-5", "2026-01-5", "2026/01/05", " 2026-01-05", "2026-01-05 ",
		"2025-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "0000-01-01", "+026-01-05", "２026-01-05"}
	for _, s := range bad {
		if d, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) = %v, want error", s, d)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	d := MustDate(2024, time.February, 29)
	tests := []struct {
		got, want Date
	}{
		{d.AddYears(1), MustDate(2025, time.February, 28)},
		{d.AddYears(4), MustDate(2028, time.February, 29)},
		{d.AddDays(1), MustDate(2024, time.March, 1)},
		{MustDate(2026, time.January, 31).AddMonths(1), MustDate(2026, time.February, 28)},
		{MustDate(2026, time.March, 31).AddMonths(-1), MustDate(2026, time.February, 28)},
		{MustDate(2026, time.December, 31).AddMonths(6), MustDate(2027, time.June, 30)},
		{MustDate(2026, time.December, 31).AddDays(1), MustDate(2027, time.January, 1)},
		{MustDate(2026, time.May, 10).AddMonths(-17), MustDate(2024, time.December, 10)},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: got %v, want %v", i, tt.got, tt.want)
		}
	}
	if got := MustDate(2025, time.January, 1).Sub(MustDate(2024, time.January, 1)); got != 366 {
		t.Errorf("days in 2024: got %d, want 366", got)
	}
	if !d.Before(d.AddDays(1)) || !d.After(d.AddDays(-1)) || d.Compare(d) != 0 {
		t.Error("ordering is wrong")
	}
	if (Date{}).String() != "" || !(Date{}).IsZero() || d.IsZero() {
		t.Error("zero Date is wrong")
	}
}

// TestAgainstTime checks Date against package time for every day of 1900–2100.
func TestAgainstTime(t *testing.T) {
	tm := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	d := MustDate(1900, time.January, 1)
	for tm.Year() <= 2100 {
		y, m, dd := d.Civil()
		if y != tm.Year() || m != tm.Month() || dd != tm.Day() || d.Weekday() != tm.Weekday() || d.YearDay() != tm.YearDay() {
			t.Fatalf("%v: got %d-%d-%d %v day %d, want %v", tm, y, m, dd, d.Weekday(), d.YearDay(), tm.Format("2006-01-02 Monday"))
		}
		tm = tm.AddDate(0, 0, 1)
		d = d.AddDays(1)
	}
}

func TestDateOf(t *testing.T) {
	// 16:30 UTC on 31 Dec 2026 is already 1 Jan 2027 in Beijing.
	tm := time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC)
	if got, want := DateOf(tm), MustDate(2027, time.January, 1); got != want {
		t.Errorf("DateOf(%v) = %v, want %v", tm, got, want)
	}
	if got, want := Today(tm.Add(-time.Hour)), MustDate(2026, time.December, 31); got != want {
		t.Errorf("Today = %v, want %v", got, want)
	}
	start := MustDate(2027, time.January, 1).Start()
	if got := start.UTC(); !got.Equal(time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("Start() = %v, want 2026-12-31 16:00 UTC", got)
	}
}

func TestDateEncoding(t *testing.T) {
	type doc struct {
		Arose Date `json:"arose"`
		None  Date `json:"none"`
	}
	b, err := json.Marshal(doc{Arose: MustDate(2026, time.October, 8)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"arose":"2026-10-08","none":""}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	var back doc
	if err := json.Unmarshal(b, &back); err != nil || back.Arose != MustDate(2026, time.October, 8) || !back.None.IsZero() {
		t.Errorf("round trip: got %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"arose":"2026-10-8"}`), &back); err == nil {
		t.Error("non-canonical date accepted in JSON")
	}

	var d Date
	for _, src := range []any{"2026-10-08", []byte("2026-10-08"), time.Date(2026, 10, 7, 20, 0, 0, 0, time.UTC)} {
		if err := d.Scan(src); err != nil || d != MustDate(2026, time.October, 8) {
			t.Errorf("Scan(%#v) = %v, %v; want 2026-10-08", src, d, err)
		}
	}
	if err := d.Scan(nil); err != nil || !d.IsZero() {
		t.Errorf("Scan(nil) = %v, %v; want zero", d, err)
	}
	if err := d.Scan(42); err == nil {
		t.Error("Scan(42) succeeded")
	}
	v, err := MustDate(2026, time.October, 8).Value()
	if err != nil || v != driver.Value("2026-10-08") {
		t.Errorf("Value() = %#v, %v", v, err)
	}
	if v, _ := (Date{}).Value(); v != nil {
		t.Errorf("zero Value() = %#v, want nil", v)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-01-05", "2024-02-29", "2026-1-5", "", "9999-12-31", "0000-00-00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q) accepted a non-canonical form of %v", s, d)
		}
		tm, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatalf("ParseDate(%q) accepted what time.Parse rejects: %v", s, err)
		}
		if y, m, dd := d.Civil(); y != tm.Year() || m != tm.Month() || dd != tm.Day() {
			t.Fatalf("ParseDate(%q) = %v, time says %v", s, d, tm)
		}
	})
}
