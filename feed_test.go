package gongshi_test

import (
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
