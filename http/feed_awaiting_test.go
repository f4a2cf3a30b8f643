package http_test

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

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
		lines = append(lines, sqlstore.ImportLine{LogIndex: ev.LogIndex, Leaf: ev.Leaf(), Document: ev.Document, Withdrawn: ev.Withdrawn != nil})
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
	at := lines[first].LogIndex

	for _, c := range []struct {
		q     string
		whole bool // every entry before it
	}{{"limit=1000", true}, {"limit=1000&division=31", false}, {"limit=1000&kind=penalty,registration", false}} {
		q := c.q
		resp, err := http.Get(dst.URL + "/api/v1/changes?" + q)
		if err != nil {
			t.Fatal(err)
		}
		n, last := 0, int64(-1)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			ev, err := gongshi.ParseFeedEvent(sc.Bytes())
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			n, last = n+1, ev.LogIndex
		}
		resp.Body.Close()
		if err := sc.Err(); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %d, %v", q, resp.StatusCode, err)
		}
		size, next := resp.Header.Get("Gongshi-Log-Size"), resp.Header.Get("Gongshi-Next-After")
		if size != strconv.FormatInt(at, 10) || next != strconv.FormatInt(at-1, 10) || last >= at || c.whole && n != int(at) {
			t.Errorf("%s: %d events up to %d, Gongshi-Log-Size %s, Gongshi-Next-After %s; want the entries before %d", q, n, last, size, next, at)
		}
	}

	fctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(fctx, "GET", dst.URL+"/api/v1/changes?follow=1&after="+strconv.FormatInt(at-1, 10), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("follow: %v, %v", resp, err)
	}
	defer resp.Body.Close()
	if err := dst.DB.ImportVersions(ctx, lines[first+1:], noDraws); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"control":"end"`) {
			t.Fatalf("the follower was ended: %s", sc.Text())
		}
		ev, err := gongshi.ParseFeedEvent(sc.Bytes())
		if err != nil {
			continue // a heartbeat
		}
		if ev.LogIndex != at || ev.Withdrawn == nil {
			t.Fatalf("the follower's first event: %d (withdrawn %v); want %d, withdrawn", ev.LogIndex, ev.Withdrawn, at)
		}
		return
	}
	t.Fatalf("the follower got no event: %v", sc.Err())
}
