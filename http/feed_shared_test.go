package http_test

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
)

// countingFeed counts the store's reads of the log after one index.
type countingFeed struct {
	gongshi.FeedStore
	after int64
	n     atomic.Int32
}

func (c *countingFeed) LoggedAfter(ctx context.Context, after, end int64, limit int) ([]gongshi.LoggedVersion, error) {
	if after == c.after {
		c.n.Add(1)
	}
	return c.FeedStore.LoggedAfter(ctx, after, end, limit)
}

// TestFollowersShareReads: live followers woken by one commit each get its event, from
// fewer reads of the store than there are followers (they share the read of the same
// entries); and a withdrawal committed afterwards is what a later read shows.
func TestFollowersShareReads(t *testing.T) {
	const followers = 20
	e := newFeedEnv(t, "", ghttp.Options{})
	ctx := context.Background()
	size, _ := e.st.DB.TreeSize(ctx)
	counting := &countingFeed{FeedStore: e.st.Svc.Feed.Store, after: size - 1}
	e.st.Svc.Feed.Store = counting

	got := make(chan *gongshi.FeedEvent, followers)
	var wg sync.WaitGroup
	for f := 0; f < followers; f++ {
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		req, _ := http.NewRequestWithContext(cctx, "GET", e.url+"/api/v1/changes?follow=1&after="+strconv.FormatInt(size-1, 10), nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("follower %d: %v %v", f, resp, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer resp.Body.Close()
			sc := bufio.NewScanner(resp.Body)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				if ev, err := gongshi.ParseFeedEvent(sc.Bytes()); err == nil {
					got <- ev
					return
				}
			}
		}()
	}
	v := e.publish(0, "沪市监浦处〔2026〕9号")
	for f := 0; f < followers; f++ {
		if ev := <-got; ev.LogIndex != v.LogIndex || ev.SHA256 != v.SHA256 || ev.Document == nil {
			t.Fatalf("follower got %+v, want the penalty at %d with its document", ev, v.LogIndex)
		}
	}
	wg.Wait()
	if n := counting.n.Load(); n < 1 || n >= followers {
		t.Errorf("%d reads of the store after %d for %d followers, want them shared", n, size-1, followers)
	}

	admin := &gongshi.Account{ID: "admin", Name: "管理员", Role: gongshi.RoleAdmin}
	if _, err := e.st.Svc.Withdraw(ctx, admin, v.Record, "published in error"); err != nil {
		t.Fatal(err)
	}
	evs, _ := e.read("after=" + strconv.FormatInt(v.LogIndex-1, 10) + "&limit=1")
	if len(evs) != 1 || evs[0].LogIndex != v.LogIndex || evs[0].Withdrawn == nil || evs[0].Document != nil {
		t.Errorf("after the withdrawal, the entry reads %+v; want it withdrawn, without its document", evs)
	}
}
