package http_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/sqlstore"
)

// TestFeedBeforeAwaitedWithdrawal: a register that holds an entry only as its leaf — a
// mirror that read it already withdrawn at its source — while the record withdrawing it is
// not in yet answers its feed up to that entry, a page, a filtered page and a live
// follower alike, none an error; once the withdrawal is in, the follower is sent it.
func TestFeedBeforeAwaitedWithdrawal(t *testing.T) {
	ctx := context.Background()
	src := newFeedEnv(t, "", ghttp.Options{})
	all, err := src.st.Svc.Events(ctx, gongshi.FeedQuery{After: -1, Limit: gongshi.MaxFeedLimit})
	if err != nil {
		t.Fatal(err)
	}
	var lines []sqlstore.ImportLine
	first := -1
	for i, ev := range all.Events {
		lines = append(lines, sqlstore.ImportLineOf(ev))
		if ev.Withdrawn != nil && first < 0 {
			first = i
		}
	}
	if first < 0 || first == len(lines)-1 {
		t.Fatalf("the source's feed has no withdrawn entry before its last: %d entries, first withdrawn %d", len(lines), first)
	}
	noDraws := func(string, string) ([]byte, bool) { return nil, false }
	dst := testserver.Start(t, testserver.Options{Now: testNow})
	if err := dst.DB.ImportVersions(ctx, lines[:first+1], noDraws); err != nil {
		t.Fatal(err)
	}
	mirror := &feedEnv{t: t, st: dst, url: dst.URL}
	at := lines[first].LogIndex

	for _, c := range []struct {
		q     string
		whole bool // every entry before it
	}{{"limit=1000", true}, {"limit=1000&division=31", false}, {"limit=1000&kind=penalty,registration", false}} {
		evs, h := mirror.read(c.q) // fails the test on a status other than 200 or a bad line
		last := int64(-1)
		if len(evs) > 0 {
			last = evs[len(evs)-1].LogIndex
		}
		size, next := h.Get("Gongshi-Log-Size"), h.Get("Gongshi-Next-After")
		if size != strconv.FormatInt(at, 10) || next != strconv.FormatInt(at-1, 10) || last >= at || c.whole && len(evs) != int(at) {
			t.Errorf("%s: %d events up to %d, Gongshi-Log-Size %s, Gongshi-Next-After %s; want the entries before %d", c.q, len(evs), last, size, next, at)
		}
	}

	f := mirror.follow("follow=1&after="+strconv.FormatInt(at-1, 10), nil)
	if err := dst.DB.ImportVersions(ctx, lines[first+1:], noDraws); err != nil {
		t.Fatal(err)
	}
	// nextEvent fails the test on a control line that ends the stream.
	if ev := f.nextEvent(); ev.LogIndex != at || ev.Withdrawn == nil {
		t.Fatalf("the follower's first event: %d (withdrawn %v); want %d, withdrawn", ev.LogIndex, ev.Withdrawn, at)
	}
}
