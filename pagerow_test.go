package gongshi_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

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
		own := *row
		own.Page = bytes.Clone(page)
		if got := own.OnInPlace(d); !bytes.Equal(got, want) {
			t.Errorf("on %s, in place: %s, want %s", day, got, want)
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

// Compressed, a row's answer on any day is its stored frames, with the middle one swapped
// on a day the enterprise is listed: they decode to what On answers. A page stored in one
// frame (by an older gongshi) has no compressed answer on such a day, and CheckFrames
// finds frames split anywhere but at the listed value.
func TestPageRowFrameOn(t *testing.T) {
	page := []byte(`{"enterprise":{"name":"甲","list_status":{"listed":false,"entries":[]}},"sections":{"registration":[` +
		strings.Repeat(`{"kind":"registration","fields":{"name":"上海杰图网络科技有限公司"}},`, 50) + `{}]}}` + "\n")
	at := bytes.Index(page, []byte("false"))
	row := &gongshi.PageRow{Page: page, ListedAt: at, Listed: "2026-03-01/"}
	row.Frame = row.Compress()
	if len(row.Frame) > len(page)/4 {
		t.Errorf("the page is kept in %d bytes of %d", len(row.Frame), len(page))
	}
	if err := row.CheckFrames(); err != nil {
		t.Error(err)
	}
	never := &gongshi.PageRow{Page: page, ListedAt: at}
	never.Frame = never.Compress()
	if len(never.Frame) >= len(row.Frame) {
		t.Errorf("never listed, the page is kept in %d bytes; split, in %d", len(never.Frame), len(row.Frame))
	}
	// Its literals are kept as they are, not Huffman-coded: a plain read decompresses the
	// page, and reading the coding table and decoding the literals made that 2–3 times
	// slower (pageEncoder).
	var h zstd.Header
	if err := h.Decode(never.Frame); err != nil || !h.FirstBlock.Compressed {
		t.Fatalf("the frame's first block: %+v, %v", h.FirstBlock, err)
	}
	if lit := never.Frame[h.HeaderSize+3] & 3; lit != 0 && lit != 1 { // RFC 8878 §3.1.1.3.1.1: raw, RLE
		t.Errorf("the literals are of type %d (2: Huffman-coded, 3: with the last table)", lit)
	}
	whole := &gongshi.PageRow{Page: page, ListedAt: at, Listed: row.Listed, Frame: never.Frame}
	for _, day := range []string{"2026-02-28", "2026-03-01"} {
		d, _ := calendar.ParseDate(day)
		f := row.FrameOn(d)
		got, err := gongshi.DecompressPage(f)
		if err != nil || !bytes.Equal(got, row.On(d)) {
			t.Errorf("on %s: the frames decode to %s (%v), not %s", day, got, err, row.On(d))
		}
		if f := whole.FrameOn(d); (f == nil) != (day == "2026-03-01") {
			t.Errorf("on %s: a page kept in one frame answers %d bytes", day, len(f))
		}
	}
	if err := whole.CheckFrames(); err != nil {
		t.Errorf("a page kept in one frame: %v", err)
	}
	off := &gongshi.PageRow{Page: page, ListedAt: at - 1, Listed: row.Listed}
	off.Frame = off.Compress()
	off.ListedAt = at
	if off.CheckFrames() == nil {
		t.Error("frames split before the listed value pass CheckFrames")
	}
}
