package gongshi_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/translog"
)

// FuzzFeedEventOf checks that the feed's scan of a document's top level names the same
// leaf as the full decode (LeafOf) on canonical documents of any content, nested members
// of the same names included.
func FuzzFeedEventOf(f *testing.F) {
	f.Add("penalty", "7091", 1, "2026-06-01T02:00:00.123456Z", "91310115MA1FL0001X", "沪\"市\\监\n")
	f.Add("draw", "r", 3, "2026-06-01T02:00:00Z", "", "}")
	f.Fuzz(func(t *testing.T, kind, record string, version int, published, subject, nested string) {
		doc := map[string]any{"type": gongshi.DocumentType, "kind": kind, "record": record, "version": version,
			"published_at": published, "fields": map[string]any{"kind": nested, "record": []any{nested, map[string]any{"version": nested}}},
			"subject": map[string]any{"name": nested, "uscc": subject}, "reason": nested}
		if subject == "" {
			doc["type"], doc["jurisdiction"] = gongshi.SpotCheckDocumentType, nested
			delete(doc, "subject")
		}
		b, err := translog.CanonicalJSON(doc)
		if err != nil {
			t.Skip()
		}
		want, err := gongshi.LeafOf(b)
		ev, err2 := gongshi.FeedEventOf(gongshi.LoggedVersion{LogIndex: 7, Document: b})
		if err != nil {
			return // not a document the register writes; the feed may refuse it or not
		}
		if err2 != nil {
			t.Fatalf("%s: the full decode reads it, the feed's scan says %v", b, err2)
		}
		want.PublishedAt = want.PublishedAt.UTC().Truncate(time.Microsecond)
		got := ev.Leaf()
		if string(got.MarshalCanonical()) != string(want.MarshalCanonical()) {
			t.Fatalf("%s: the scan names %s, the full decode %s", b, got.MarshalCanonical(), want.MarshalCanonical())
		}
		again, err := gongshi.ParseFeedEvent(ev.AppendJSON(nil))
		if err != nil || string(again.Document) != string(b) {
			t.Fatalf("%s: the line does not read back: %v", b, err)
		}
	})
}

// FuzzParseFeedEvent checks that the scan of a feed line accepts no line that JSON
// decoding, strict about members, refuses, and that it reads what that decoding reads.
func FuzzParseFeedEvent(f *testing.F) {
	doc := `{"kind":"penalty","published_at":"2026-06-01T02:00:00.123456Z","record":"r1","subject":{"uscc":"91310115MA1FL0001X"},"type":"` + gongshi.DocumentType + `","version":1}`
	ev, err := gongshi.FeedEventOf(gongshi.LoggedVersion{LogIndex: 7, Document: []byte(doc)})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ev.AppendJSON(nil))
	ev.Document, ev.Withdrawn = nil, &gongshi.Withdrawal{At: time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC), Reason: "依法撤回\n"}
	f.Add(ev.AppendJSON(nil))
	f.Add([]byte(`{"log_index":07,"kind":"x"}`))
	f.Add([]byte(`{"log_index":1,"kind":"\u0070enalty","extra":1}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		got, err := gongshi.ParseFeedEvent(line)
		if err != nil {
			return
		}
		var want gongshi.FeedEvent
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&want); err != nil {
			t.Fatalf("%q: the scan reads it, JSON decoding says %v", line, err)
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(&want)
		if !bytes.Equal(g, w) {
			t.Fatalf("%q: the scan reads %s, JSON decoding %s", line, g, w)
		}
	})
}

// TestPublishedAtOfStandIn: an as-of read's search of the log reads when an entry held only
// as its leaf was published from the leaf, withdrawal or not (a mirror holds such entries
// before their withdrawal reaches it), where the feed has no event of it yet.
func TestPublishedAtOfStandIn(t *testing.T) {
	at := time.Date(2026, 3, 2, 1, 2, 3, 456000, time.UTC)
	l := translog.Leaf{Kind: "penalty", Subject: "91310115MA1FL0001X", Record: "7", Version: 1, PublishedAt: at, SHA256: strings.Repeat("ab", 32)}
	lv := gongshi.LoggedVersion{LogIndex: 9, Document: l.MarshalCanonical()}
	if _, err := gongshi.FeedEventOf(lv); err == nil {
		t.Fatal("FeedEventOf made an event of a stand-in not withdrawn")
	}
	if got, err := gongshi.PublishedAt(lv); err != nil || !got.Equal(at) {
		t.Errorf("PublishedAt of a stand-in: %v, %v; want %v", got, err, at)
	}
}
