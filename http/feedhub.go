package http

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/gongshi/gongshi"
)

// The live feed's one reader. Were each follower to read the entries every commit adds, and
// encode them, 100 followers would make 100 reads and 100 encodings of each; the hub reads
// each newly committed range once, from the readers (never the writer's connection),
// encodes its events as JSON lines once, and keeps the latest of them; a follower copies
// from there the lines its filters select. Commits that follow one another within
// feedCoalesce are read, and sent, together: a follower is woken once for them, and makes
// one write.
//
// The hub keeps at most feedHubEntries entries and feedHubBytes of lines, and nothing while
// no one follows. A follower behind what it keeps (a slow one, one that starts far back, or
// one past a range the hub failed to read) reads the store itself, as a plain read does,
// until it has caught up: nothing is queued for it and no event is skipped.

// feedCoalesce: each wake-up costs every follower a write (and its client a read); at 100
// followers, reading every 50 ms cost 1.17–1.52× the CPU of the publications alone (6 runs),
// every 100 ms 1.08–1.30× (3), every 200 ms 1.09–1.19× (3) but a longer burst of writes at
// each. A commit after a quiet spell is read at once.
const (
	feedCoalesce   = 100 * time.Millisecond
	feedHubEntries = gongshi.MaxFeedLimit
	feedHubBytes   = 16 << 20
)

// feedSpread: the hub wakes its followers together, and each then makes its writes (its
// client reads them); at 100 followers that burst of work, every feedCoalesce, held the
// writers' answers back while it lasted. Each follower waits a random part of feedSpread
// before taking what the hub read, so that their writes are spread over that time.
// BenchmarkPublishWithFollowers, 10 alternations on a busy 2-core machine: the writers' p99
// with 100 followers over that without, median 1.19 (0.80–1.52) without the spread, 1.08
// (0.82–1.58) with it.
const feedSpread = 50 * time.Millisecond

// spread waits the follower's part of feedSpread (see there), or until ctx is done.
func (h *feedHub) spread(ctx context.Context) {
	if h.spreadOver <= 0 {
		return
	}
	t := time.NewTimer(rand.N(h.spreadOver))
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	case <-h.closed:
	}
}

// feedHub is the live feed's reader (see above).
type feedHub struct {
	feed   *gongshi.Feed
	log    func() *slog.Logger
	poke   chan struct{} // a commit, or a follower came or went
	closed chan struct{} // closed when the server shuts down
	start  sync.Once     // starts run
	shut   sync.Once
	// keep and keepBytes bound what the hub holds: feedHubEntries, feedHubBytes.
	keep      int64
	keepBytes int
	// spreadOver is feedSpread, or Options.FeedSpread.
	spreadOver time.Duration

	mu        sync.Mutex
	followers int
	segs      []*feedSegment // consecutive, oldest first
	first     int64          // the entries held are first ≤ index < end; first < 0: none
	end       int64
	bytes     int           // of the segments' lines
	size      int64         // the log's size at the last read
	changed   chan struct{} // closed, and replaced, when the hub has read
}

// feedSegment is one read of the hub: the events of consecutive entries, without their
// documents (kept for the followers' filters), and their JSON lines.
type feedSegment struct {
	events []gongshi.FeedEvent
	lines  []byte // one after another
	ends   []int  // ends[i] is where events[i]'s line ends
}

// begins is where events[i]'s line begins.
func (s *feedSegment) begins(i int) int {
	if i == 0 {
		return 0
	}
	return s.ends[i-1]
}

func newFeedHub(feed *gongshi.Feed, log func() *slog.Logger) *feedHub {
	return &feedHub{feed: feed, log: log, poke: make(chan struct{}, 1), closed: make(chan struct{}),
		keep: feedHubEntries, keepBytes: feedHubBytes, spreadOver: feedSpread, first: -1, end: -1, changed: make(chan struct{})}
}

// commit is the store's OnCommit subscriber.
func (h *feedHub) commit([]string) { h.nudge() }

func (h *feedHub) nudge() {
	select {
	case h.poke <- struct{}{}:
	default: // the hub has been poked already and will read up to the log's size
	}
}

// shutdown ends the live feeds (Server.Shutdown).
func (h *feedHub) shutdown() { h.shut.Do(func() { close(h.closed) }) }

// join counts a follower in: the hub holds entries while anyone follows.
func (h *feedHub) join() {
	h.start.Do(func() { go h.run() })
	h.mu.Lock()
	h.followers++
	h.mu.Unlock()
	h.nudge()
}

func (h *feedHub) leave() {
	h.mu.Lock()
	h.followers--
	h.mu.Unlock()
	h.nudge()
}

// run reads what the log gained at each poke, at most once per feedCoalesce.
func (h *feedHub) run() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last time.Time
	for {
		select {
		case <-h.poke:
		case <-h.closed:
			return
		}
		if d := feedCoalesce - time.Since(last); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-h.closed:
				t.Stop()
				return
			}
			select {
			case <-h.poke: // the read below covers the commits that came meanwhile
			default:
			}
		}
		last = time.Now()
		h.read(ctx)
	}
}

// read reads the entries the log gained since the last read. Only run changes what the hub
// holds.
func (h *feedHub) read(ctx context.Context) {
	size, err := h.feed.Store.FeedSize(ctx)
	if err != nil {
		h.log().Error("feed: log size", "err", err)
		return
	}
	h.mu.Lock()
	from, none := h.end, h.first < 0
	if h.followers == 0 || none || size-from > h.keep {
		// Nobody follows; or start holding, or start afresh after more than the hub keeps,
		// from the log's end: the followers read what comes before from the store.
		h.segs, h.bytes, h.size = nil, 0, size
		h.first, h.end = size, size
		if h.followers == 0 {
			h.first, h.end = -1, -1
		}
		h.wake()
		h.mu.Unlock()
		return
	}
	h.mu.Unlock()
	if size <= from {
		return
	}
	seg, err := h.readSegment(ctx, from, size)
	h.mu.Lock()
	defer h.mu.Unlock()
	if err != nil {
		// The followers read this range from the store themselves, and say so if it fails.
		h.log().Error("feed: read the log's new entries", "from", from, "to", size, "err", err)
		h.segs, h.bytes = nil, 0
		h.first, h.end, h.size = size, size, size
		h.wake()
		return
	}
	h.segs = append(h.segs, seg)
	h.end, h.size = size, size
	h.bytes += len(seg.lines)
	drop := 0
	for drop < len(h.segs)-1 && (h.end-h.first > h.keep || h.bytes > h.keepBytes) {
		h.first += int64(len(h.segs[drop].events))
		h.bytes -= len(h.segs[drop].lines)
		drop++
	}
	if drop > 0 {
		// A new slice: the followers may be reading the old one.
		h.segs = append([]*feedSegment(nil), h.segs[drop:]...)
	}
	h.wake()
}

// wake wakes the followers; h.mu is held.
func (h *feedHub) wake() {
	close(h.changed)
	h.changed = make(chan struct{})
}

// readSegment reads and encodes the entries from ≤ index < size.
func (h *feedHub) readSegment(ctx context.Context, from, size int64) (*feedSegment, error) {
	seg := &feedSegment{events: make([]gongshi.FeedEvent, 0, size-from), ends: make([]int, 0, size-from)}
	q := gongshi.FeedQuery{After: from - 1, Limit: int(size - from)}
	next, err := h.feed.Stream(ctx, q, size, func(e *gongshi.FeedEvent) error {
		seg.lines = e.AppendJSON(seg.lines)
		seg.ends = append(seg.ends, len(seg.lines))
		ev := *e
		ev.Document, ev.Withdrawn = nil, nil
		seg.events = append(seg.events, ev)
		return nil
	})
	if err == nil && next != size-1 {
		err = fmt.Errorf("the read ended after %d, not %d", next, size-1)
	}
	return seg, err
}

// feedView is what the hub held at one moment after a follower's position.
type feedView struct {
	segs []*feedSegment
	// first is the index of segs[0].events[0].
	first int64
	// size is the log's size when the hub last read it.
	size int64
}

// holds reports whether the hub holds the entry at index.
func (h *feedHub) holds(index int64) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.first >= 0 && h.first <= index && index < h.end
}

// view returns the changed channel and what the hub holds after the entry at after; ok is
// false when the hub no longer holds the entry after it (the follower reads the store).
func (h *feedHub) view(after int64) (v feedView, changed <-chan struct{}, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	changed = h.changed
	if h.first >= 0 && after+1 < h.first {
		return v, changed, false
	}
	v.size, v.first = h.size, h.first
	v.segs = h.segs
	for len(v.segs) > 0 && v.first+int64(len(v.segs[0].events)) <= after+1 {
		v.first += int64(len(v.segs[0].events))
		v.segs = v.segs[1:]
	}
	return v, changed, true
}

// send adds to f the lines after q.After that q selects, moving q.After past the entries
// looked at. To a follower of every change as JSON Lines, the most common, a segment's
// lines are written as the hub encoded them, in one write, not copied into its buffer and
// sent 60 KB at a time (a wake's segment at 1,800 publications a second is ~270 KB).
// BenchmarkPublishWithFollowers, 3 alternations: the CPU with 100 followers over that
// without, 1.36, 1.31, 1.43 before → 1.26, 1.27, 1.25.
func (v *feedView) send(f *feedStream, q *gongshi.FeedQuery) error {
	first := v.first
	all := !f.sse && q.All()
	for _, seg := range v.segs {
		if start := max(0, int(q.After+1-first)); all && start < len(seg.events) {
			if err := f.flush(); err != nil {
				return err
			}
			if err := f.write(seg.lines[seg.begins(start):]); err != nil {
				return err
			}
			first += int64(len(seg.events))
			q.After = first - 1
			continue
		}
		for i := max(0, int(q.After+1-first)); i < len(seg.events); i++ {
			if q.Wants(&seg.events[i]) {
				f.line(first+int64(i), seg.lines[seg.begins(i):seg.ends[i]])
				if len(f.buf) > 60<<10 {
					if err := f.flush(); err != nil {
						return err
					}
				}
			}
			q.After = first + int64(i)
		}
		first += int64(len(seg.events))
	}
	return nil
}
