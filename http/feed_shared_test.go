package http_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/storetest"
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

// TestFollowersBehindTheHub: the hub holds the last 4 entries; a batch of 10 is more than
// it holds, so the followers read it from the store themselves, then follow from the hub
// again. Each gets every event it selects once, in order.
func TestFollowersBehindTheHub(t *testing.T) {
	e := newFeedEnv(t, "", ghttp.Options{FeedHeartbeat: time.Hour})
	e.srv.SetFeedHubKeep(4)
	ctx := context.Background()
	size, _ := e.st.DB.TreeSize(ctx)
	all := e.follow("follow=1&after="+strconv.FormatInt(size-1, 10), nil)
	shz := e.follow("follow=1&division=44&after="+strconv.FormatInt(size-1, 10), nil)
	sse := e.follow("follow=1&after="+strconv.FormatInt(size-1, 10), http.Header{"Accept": {"text/event-stream"}})

	e.publish(2, "深市监处〔2026〕20号") // from the hub
	err := e.st.DB.Write(ctx, func(tx gongshi.Tx) error {
		for i := 0; i < 10; i++ {
			reg := e.sh
			if i%3 == 2 {
				reg = e.sz
			}
			if _, err := e.st.Svc.PublishTx(tx, reg, e.codes[i%3], storetest.Penalty(fmt.Sprintf("市监处〔2026〕%d号", 30+i))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.publish(2, "深市监处〔2026〕50号") // from the hub again
	end := size + 12

	for i := size; i < end; i++ {
		if ev := all.nextEvent(); ev.LogIndex != i {
			t.Fatalf("follower: got event %d, want %d", ev.LogIndex, i)
		}
	}
	for _, i := range []int64{size, size + 3, size + 6, size + 9, size + 11} { // Shenzhen's
		if ev := shz.nextEvent(); ev.LogIndex != i || ev.Subject != e.codes[2] {
			t.Fatalf("division=44 follower: got %d %s, want %d %s", ev.LogIndex, ev.Subject, i, e.codes[2])
		}
	}
	for i := size; i < end; {
		line := sse.next()
		if line == "" {
			continue
		}
		if want := "id: " + strconv.FormatInt(i, 10); line != want {
			t.Fatalf("SSE: got %q, want %q", line, want)
		}
		sse.next() // event: change
		if ev, err := gongshi.ParseFeedEvent([]byte(strings.TrimPrefix(sse.next(), "data: "))); err != nil || ev.LogIndex != i {
			t.Fatalf("SSE data of %d: %v", i, err)
		}
		i++
	}
}
