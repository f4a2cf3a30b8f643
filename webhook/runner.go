package webhook

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gongshi/gongshi"
)

// Runner delivers every watch of the register (gongshi watch.go), each by a Deliverer of
// its own reading the feed after the watch's position, filtered by its enterprises. It
// looks for new and deleted watches every Poll; the store's commits wake the deliverers.
type Runner struct {
	Svc    *gongshi.Service
	Logger *slog.Logger
	Client *http.Client // nil: NewClient(Svc.Webhooks)
	// Poll is how often the watches are listed (default 5 s); MinBackoff and MaxBackoff
	// are the deliverers' (defaults 1 s and 10 min).
	Poll, MinBackoff, MaxBackoff time.Duration

	mu sync.Mutex
	ch chan struct{}
}

// Run delivers until ctx ends.
func (r *Runner) Run(ctx context.Context) {
	poll := r.Poll
	if poll <= 0 {
		poll = 5 * time.Second
	}
	r.ch = make(chan struct{})
	if r.Client == nil {
		r.Client = NewClient(r.Svc.Webhooks)
	}
	r.Svc.Store.OnCommit(func([]string) {
		r.mu.Lock()
		close(r.ch)
		r.ch = make(chan struct{})
		r.mu.Unlock()
	})
	running := map[string]context.CancelFunc{}
	var wg sync.WaitGroup
	defer wg.Wait()
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		ws, err := r.Svc.Store.Watches(ctx, "")
		if err != nil && ctx.Err() == nil {
			r.Logger.Error("watches: list", "err", err)
		}
		if err == nil {
			seen := map[string]bool{}
			for _, w := range ws {
				seen[w.ID] = true
				if running[w.ID] == nil {
					wctx, cancel := context.WithCancel(ctx)
					running[w.ID] = cancel
					wg.Add(1)
					go func() {
						defer wg.Done()
						r.deliver(wctx, w.ID)
					}()
				}
			}
			for id, cancel := range running {
				if !seen[id] {
					cancel()
					delete(running, id)
				}
			}
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
}

// deliver runs one watch's Deliverer until ctx ends, starting it again after a failure
// of the store.
func (r *Runner) deliver(ctx context.Context, id string) {
	for ctx.Err() == nil {
		w, err := r.Svc.Store.Watch(ctx, id)
		if gongshi.ErrorCode(err) == gongshi.ENOTFOUND {
			return
		}
		var subjects map[string]bool
		var secret []byte
		if err == nil {
			secret, err = r.secret(ctx, w)
		}
		if err == nil {
			subjects, err = r.Svc.Store.WatchSubjects(ctx, id)
		}
		if err == nil {
			d := &Deliverer{URL: w.URL, Secret: secret, Client: r.Client, MinBackoff: r.MinBackoff, MaxBackoff: r.MaxBackoff,
				State: watchState{r.Svc, id}, Wait: r.wait,
				Source: source(r.Svc, subjects)}
			err = d.Run(ctx)
		}
		if ctx.Err() != nil {
			return
		}
		r.Logger.Error("watch delivery stopped; starting again", "watch", id, "err", err)
		sleep(ctx, time.Second)
	}
}

// source reads the feed filtered by a watch's enterprises. A read past entries none of
// which it names moves on until it finds some or reaches the log's end, and the next read
// starts where it stopped: the Deliverer asks again only once it has delivered all that
// was found, so nothing before that point is still wanted.
func source(svc *gongshi.Service, subjects map[string]bool) Source {
	scanned := int64(-1)
	return func(ctx context.Context, after int64) ([]*gongshi.FeedEvent, error) {
		q := gongshi.FeedQuery{After: max(after, scanned), Limit: gongshi.MaxFeedLimit, Subjects: subjects}
		for {
			p, err := svc.Events(ctx, q)
			if err != nil {
				return nil, err
			}
			scanned, q.After = p.Next, p.Next
			if len(p.Events) > 0 || p.Next >= p.LogSize-1 {
				return p.Events, nil
			}
		}
	}
}

// secret opens a watch's secret; one an earlier version stored in clear is sealed now.
func (r *Runner) secret(ctx context.Context, w *gongshi.Watch) ([]byte, error) {
	secret, sealed, err := r.Svc.OpenSecret(w)
	if err != nil || sealed {
		return secret, err
	}
	err = r.Svc.Store.Write(ctx, func(tx gongshi.Tx) error {
		return tx.ReplaceWatchSecret(w.ID, w.Secret, r.Svc.SealSecret(w.ID, w.Secret))
	})
	return secret, err
}

func (r *Runner) wait() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ch
}

// watchState keeps a Deliverer's progress in the store.
type watchState struct {
	svc *gongshi.Service
	id  string
}

func (s watchState) Delivered(ctx context.Context) (int64, error) {
	w, err := s.svc.Store.Watch(ctx, s.id)
	if err != nil {
		return 0, err
	}
	return w.Delivered, nil
}

func (s watchState) Record(ctx context.Context, d Delivery) error {
	return s.svc.RecordDelivery(ctx, s.id, gongshi.WatchDelivery{LogIndex: d.LogIndex, Attempt: d.Attempt, At: d.At, Status: d.Status, Error: d.Error, OK: d.OK})
}
