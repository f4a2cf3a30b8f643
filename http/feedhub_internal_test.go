package http

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
)

// TestFeedViewSendsSegmentsWhole: a follower of every change is sent the hub's segments as
// they are, from any position inside them, and gets the same lines, moved past the same
// entries, as a follower whose filter selects everything one event at a time.
func TestFeedViewSendsSegmentsWhole(t *testing.T) {
	v := feedView{first: 10}
	index := v.first
	for _, n := range []int{3, 1, 4} {
		seg := &feedSegment{}
		for i := 0; i < n; i, index = i+1, index+1 {
			e := gongshi.FeedEvent{LogIndex: index, Kind: "penalty", Subject: fmt.Sprintf("code-%d", index)}
			seg.lines = fmt.Appendf(seg.lines, "{\"log_index\":%d,\"subject\":%q}\n", index, e.Subject)
			seg.ends = append(seg.ends, len(seg.lines))
			seg.events = append(seg.events, e)
		}
		v.segs = append(v.segs, seg)
	}
	total := index - v.first
	send := func(q gongshi.FeedQuery) (string, int64) {
		t.Helper()
		rec := httptest.NewRecorder()
		f := &feedStream{w: rec, rc: http.NewResponseController(rec), timeout: time.Second}
		if err := v.send(f, &q); err != nil {
			t.Fatal(err)
		}
		if err := f.flush(); err != nil {
			t.Fatal(err)
		}
		return rec.Body.String(), q.After
	}
	for after := v.first - 1; after < v.first+total; after++ {
		whole, wholeAfter := send(gongshi.FeedQuery{After: after})
		each, eachAfter := send(gongshi.FeedQuery{After: after, Kinds: []string{"penalty"}})
		if whole != each || wholeAfter != eachAfter {
			t.Errorf("after=%d: every change gave %q (after %d), one at a time %q (after %d)", after, whole, wholeAfter, each, eachAfter)
		}
		if want := v.first + total - 1; wholeAfter != want {
			t.Errorf("after=%d: moved to %d, want %d", after, wholeAfter, want)
		}
	}
}
