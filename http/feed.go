package http

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gongshi/gongshi"
)

// The change feed as JSON Lines (feed.go in gongshi has the event). A plain read answers
// one page and ends; follow=1 keeps the connection and streams the batches as they commit
// (the store's OnCommit wakes the hub, feedhub.go, which reads them once for every
// follower; commits within feedCoalesce go out together, the followers' writes spread over
// feedSpread after), with a heartbeat line when there is nothing to send. The same stream
// is offered as Server-Sent Events to a client that asks for text/event-stream (a
// browser's EventSource), resumed by its Last-Event-ID.
//
// Nothing is queued for a follower: it takes what the hub holds after its own last index,
// or, behind that, reads the store itself, so a slow follower costs no memory and cannot
// lose an event. A follower is ended, with a final control line naming where to resume,
// when it is more than FeedMaxLag entries behind the log (it should catch up with plain
// reads, pages of up to 10,000, and follow again from near the head; a follower the
// writers outpace ends so too), or when the server shuts down; one that stops reading for
// FeedWriteTimeout is cut off and the server logs it (nothing more can be written to it).

// feedRoutes are the change feed's routes.
func (s *Server) feedRoutes() []*route {
	return []*route{
		{Method: "GET", Path: "/api/v1/changes", serve: s.changes, Tag: "open data",
			Summary: "The change feed",
			Description: "Every public change in log order as JSON Lines (`application/x-ndjson`), one `FeedEvent` per line: `log_index`, the members of its log leaf (`kind`, `subject`, `record`, `version`, `published_at`, `sha256`) and the logged `document` itself, the exact bytes GET /api/v1/documents/{sha256} serves; a document since withdrawn from public view has `withdrawn` instead (withdrawals are events of kind `withdrawal` too). " +
				"Resume with `after` set to the last `log_index` read (or the `Gongshi-Next-After` header, which a filtered read may have moved past entries it did not match): no gap, no duplicate. `Gongshi-Log-Size` is the log size the page was read at; a caught-up reader has read up to it. (A mirror catching up holds some entries only as their leaf, withdrawn at its source before it read them: its feed stops before the first until the withdrawal reaches it.) " +
				"With `follow=1` the connection stays open and new events stream as they are committed (`curl -N`); lines without a `log_index` are control lines: `{\"control\":\"heartbeat\",\"after\":N,\"log_size\":M}` every " + DefaultFeedHeartbeat.String() + " when idle, and a last `{\"control\":\"end\",\"after\":N,\"reason\":…}` when the server ends the stream (a follower more than " + strconv.Itoa(DefaultFeedMaxLag) + " entries behind the log: catch up with plain reads, then follow; or shutdown): resume after N. " +
				"With `Accept: text/event-stream` the same stream is sent as Server-Sent Events (`id` is the log index, event `change`; `Last-Event-ID` resumes; heartbeats are comments; event `end` last).",
			Query: []Param{
				{"after", "The last log index already read: events from the next one on. Leave it out to read from the first entry.", intSchema(0, 1<<53-1)},
				{"limit", fmt.Sprintf("Events per page, 1–%d (default %d). With follow=1, the most sent per read of the store.", gongshi.MaxFeedLimit, gongshi.DefaultFeedLimit), intSchema(1, gongshi.MaxFeedLimit)},
				{"division", "Only events filed under a division code starting with these digits: characters 3–8 of the subject's USCC (the registering authority's division), or a draw's jurisdiction. `31` for Shanghai.", patSchema("^[0-9]{1,6}$", 6)},
				{"kind", "Only events of these record kinds (comma-separated; see GET /api/v1/kinds; `draw` for spot-check draws).", patSchema("^[a-z_]+(,[a-z_]+)*$", 400)},
				{"follow", "1: keep the connection open and stream new events as they are committed.", intSchema(0, 1)},
			},
			Status: 200, Response: "FeedEvent", ContentType: "application/x-ndjson", Unlimited: true},
	}
}

// DefaultFeedHeartbeat, DefaultFeedMaxLag and DefaultFeedWriteTimeout are the live feed's
// settings when Options leaves them zero.
const (
	DefaultFeedHeartbeat    = 15 * time.Second
	DefaultFeedMaxLag       = 100_000
	DefaultFeedWriteTimeout = 30 * time.Second
)

// Shutdown ends the live feeds, each with a control line saying where to resume. Register
// it with http.Server.RegisterOnShutdown: Shutdown waits for handlers, and a follower's
// handler would not return on its own.
func (s *Server) Shutdown() {
	s.once.Do(s.build)
	s.feed.shutdown()
}

func (s *Server) feedQuery(r *http.Request) (gongshi.FeedQuery, bool, error) {
	v := r.URL.Query()
	q := gongshi.FeedQuery{After: -1, Division: v.Get("division")}
	if a := v.Get("after"); a != "" {
		q.After, _ = strconv.ParseInt(a, 10, 64) // checked against the route's schema
	} else if id := r.Header.Get("Last-Event-ID"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n < 0 {
			return q, false, gongshi.Invalid("Last-Event-ID", fmt.Sprintf("%q is not a log index", id), "send the id of the last event received")
		}
		q.After = n
	}
	if l := v.Get("limit"); l != "" {
		q.Limit, _ = strconv.Atoi(l)
	}
	if k := v.Get("kind"); k != "" {
		q.Kinds = strings.Split(k, ",")
	}
	return q, v.Get("follow") == "1", q.Check()
}

func (s *Server) changes(w http.ResponseWriter, r *http.Request) error {
	q, follow, err := s.feedQuery(r)
	if err != nil {
		return err
	}
	sse := strings.Contains(r.Header.Get("Accept"), "text/event-stream")
	if !follow && !sse {
		return s.feedPage(w, r, q)
	}
	return s.followFeed(w, r, q, sse)
}

// feedPage answers one read of the feed as JSON Lines. A read without filters is streamed:
// where it ends is known before it starts (FeedQuery.UnfilteredNext), so the headers go
// first and each chunk of events is written as it is read from the store, the client
// taking one while the server reads the next. A filtered read, whose end is known only
// once it is made, is answered whole.
func (s *Server) feedPage(w http.ResponseWriter, r *http.Request, q gongshi.FeedQuery) error {
	ctx := r.Context()
	if !q.Filtered() {
		if err := q.Check(); err != nil {
			return err
		}
		size, err := s.Service.Feed.Store.FeedSize(ctx)
		if err != nil {
			return fmt.Errorf("log size: %w", err)
		}
		next := q.UnfilteredNext(size)
		lw := &lineWriter{w: w, buf: make([]byte, 0, 64<<10)}
		s.feedHeaders(w, size, next)
		got, err := s.Service.Stream(ctx, q, size, lw.event)
		if err == nil && got != next {
			err = fmt.Errorf("the feed read ended after %d, not %d as announced", got, next)
		}
		if err == nil {
			err = lw.flush()
		}
		if err != nil && ctx.Err() == nil && !errors.Is(err, errClientGone) {
			// Too late for a problem: the headers promised events up to next. Cut the
			// response, so that the client sees a broken read, not a short page.
			s.logger().ErrorContext(ctx, "feed read failed while streaming", "request_id", infoFrom(ctx).id, "after", q.After, "err", err)
			panic(http.ErrAbortHandler)
		}
		return nil
	}
	p, err := s.Service.Events(ctx, q)
	if err != nil {
		return err
	}
	s.feedHeaders(w, p.LogSize, p.Next)
	lw := &lineWriter{w: w, buf: make([]byte, 0, 64<<10)}
	for _, e := range p.Events {
		if lw.event(e) != nil {
			return nil // the client went away
		}
	}
	lw.flush()
	return nil
}

func (s *Server) feedHeaders(w http.ResponseWriter, size, next int64) {
	h := w.Header()
	h.Set("Content-Type", "application/x-ndjson")
	h.Set("Gongshi-Log-Size", strconv.FormatInt(size, 10))
	h.Set("Gongshi-Next-After", strconv.FormatInt(next, 10))
	w.WriteHeader(http.StatusOK)
}

// lineWriter writes a page's JSON Lines in writes of about 64 KiB.
type lineWriter struct {
	w   http.ResponseWriter
	buf []byte
}

var errClientGone = errors.New("the client went away")

func (l *lineWriter) event(e *gongshi.FeedEvent) error {
	l.buf = e.AppendJSON(l.buf)
	if len(l.buf) > 60<<10 {
		return l.flush()
	}
	return nil
}

func (l *lineWriter) flush() error {
	_, err := l.w.Write(l.buf)
	l.buf = l.buf[:0]
	if err != nil {
		return fmt.Errorf("%w: %w", errClientGone, err)
	}
	return nil
}

// feedStream frames a live feed as JSON Lines or Server-Sent Events.
type feedStream struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	sse bool
	buf []byte
	// timeout is how long one write may wait for the client.
	timeout time.Duration
}

func (f *feedStream) event(e *gongshi.FeedEvent) {
	if f.sse {
		f.buf = append(f.buf, "id: "...)
		f.buf = strconv.AppendInt(f.buf, e.LogIndex, 10)
		f.buf = append(f.buf, "\nevent: change\ndata: "...)
		f.buf = e.AppendJSON(f.buf) // ends with its newline
		f.buf = append(f.buf, '\n')
		return
	}
	f.buf = e.AppendJSON(f.buf)
}

// line adds an event's JSON line (with its newline), made beforehand.
func (f *feedStream) line(index int64, line []byte) {
	if f.sse {
		f.buf = append(f.buf, "id: "...)
		f.buf = strconv.AppendInt(f.buf, index, 10)
		f.buf = append(f.buf, "\nevent: change\ndata: "...)
		f.buf = append(f.buf, line...)
		f.buf = append(f.buf, '\n')
		return
	}
	f.buf = append(f.buf, line...)
}

// control adds a control line: heartbeat or end.
func (f *feedStream) control(kind string, after, size int64, reason string) {
	line := fmt.Sprintf(`{"control":%q,"after":%d,"log_size":%d`, kind, after, size)
	if reason != "" {
		line += `,"reason":` + strconv.Quote(reason)
	}
	line += "}\n"
	switch {
	case !f.sse:
		f.buf = append(f.buf, line...)
	case kind == "heartbeat":
		f.buf = append(f.buf, ": heartbeat "+strconv.FormatInt(size, 10)+"\n\n"...)
	default:
		f.buf = append(f.buf, "event: "+kind+"\ndata: "+line+"\n"...)
	}
}

// flush sends what is buffered, waiting at most the write timeout for the client.
func (f *feedStream) flush() error {
	if len(f.buf) == 0 {
		return nil
	}
	err := f.write(f.buf)
	f.buf = f.buf[:0]
	return err
}

// write sends b, which must follow what is buffered, waiting at most the write timeout for
// the client.
func (f *feedStream) write(b []byte) error {
	f.rc.SetWriteDeadline(time.Now().Add(f.timeout))
	_, err := f.w.Write(b)
	if err == nil {
		err = f.rc.Flush()
	}
	return err
}

// followFeed streams the feed from q.After on until the client leaves or the server ends
// the stream: from the store until it has caught up, then from the hub (feedhub.go).
func (s *Server) followFeed(w http.ResponseWriter, r *http.Request, q gongshi.FeedQuery, sse bool) error {
	o := s.Options
	heartbeat, maxLag, timeout := o.FeedHeartbeat, o.FeedMaxLag, o.FeedWriteTimeout
	if heartbeat <= 0 {
		heartbeat = DefaultFeedHeartbeat
	}
	if maxLag <= 0 {
		maxLag = DefaultFeedMaxLag
	}
	if timeout <= 0 {
		timeout = DefaultFeedWriteTimeout
	}
	ctx := r.Context()
	s.feed.join() // before the first read, so that the hub holds what follows it
	defer s.feed.leave()
	// The first read answers errors (a store that fails) as a problem, before the stream.
	p, err := s.Service.Events(ctx, q)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/x-ndjson")
	if sse {
		h.Set("Content-Type", "text/event-stream")
	}
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // tell a proxy in front not to hold the stream back
	w.WriteHeader(http.StatusOK)
	f := &feedStream{w: w, rc: http.NewResponseController(w), sse: sse, buf: make([]byte, 0, 64<<10), timeout: timeout}
	// The headers go now, not with the first event or heartbeat: a client (curl, a
	// browser's EventSource) sees at once that it is following.
	f.rc.Flush()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		for _, e := range p.Events {
			f.event(e)
			if len(f.buf) > 60<<10 {
				if err := f.flush(); err != nil {
					return s.feedGone(r, q.After, err)
				}
			}
		}
		q.After = p.Next
		behind := p.LogSize - 1 - p.Next
		if behind > int64(maxLag) {
			f.control("end", q.After, p.LogSize, fmt.Sprintf("slow consumer: %d entries behind the log; read on with paged requests from after=%d, then follow again", behind, q.After))
			f.flush()
			s.logger().WarnContext(ctx, "feed follower ended: too slow", "request_id", infoFrom(ctx).id, "after", q.After, "behind", behind)
			return nil
		}
		if behind <= 0 || s.feed.holds(q.After+1) {
			if err := f.flush(); err != nil {
				return s.feedGone(r, q.After, err)
			}
			if done, err := s.followHub(r, f, &q, p.LogSize, tick); done {
				return err
			}
		}
		size := p.LogSize
		if p, err = s.Service.Events(ctx, q); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			f.control("end", q.After, size, "the server could not read the log; resume after "+strconv.FormatInt(q.After, 10))
			f.flush()
			s.logger().ErrorContext(ctx, "feed read failed", "request_id", infoFrom(ctx).id, "after", q.After, "err", err)
			return nil
		}
	}
}

// followHub streams the events the hub reads, with heartbeats, until the hub no longer
// holds the entry after q.After (done is false: the follower reads the store) or the stream
// ends (done is true). size is the log size the follower last read.
func (s *Server) followHub(r *http.Request, f *feedStream, q *gongshi.FeedQuery, size int64, tick *time.Ticker) (done bool, err error) {
	for {
		v, changed, ok := s.feed.view(q.After)
		if !ok {
			return false, nil
		}
		size = max(size, v.size)
		if err := v.send(f, q); err != nil {
			return true, s.feedGone(r, q.After, err)
		}
		if err := f.flush(); err != nil {
			return true, s.feedGone(r, q.After, err)
		}
		select {
		case <-changed:
			s.feed.spread(r.Context())
		case <-tick.C:
			f.control("heartbeat", q.After, size, "")
			if err := f.flush(); err != nil {
				return true, s.feedGone(r, q.After, err)
			}
		case <-s.feed.closed:
			f.control("end", q.After, size, "the server is shutting down; resume after "+strconv.FormatInt(q.After, 10))
			f.flush()
			return true, nil
		case <-r.Context().Done():
			return true, nil
		}
	}
}

// feedGone logs a follower that could not be written to: it left, or stopped reading for
// the write timeout and was cut off.
func (s *Server) feedGone(r *http.Request, after int64, err error) error {
	lvl := "feed follower left"
	if errors.Is(err, os.ErrDeadlineExceeded) {
		lvl = "feed follower cut off: it stopped reading"
		s.logger().WarnContext(r.Context(), lvl, "request_id", infoFrom(r.Context()).id, "after", after, "err", err)
		return nil
	}
	s.logger().DebugContext(r.Context(), lvl, "request_id", infoFrom(r.Context()).id, "after", after, "err", err)
	return nil
}

// feedSchemas are the component schemas of feedRoutes.
func feedSchemas() schema {
	return schema{
		"FeedEvent": obj("One line of the change feed: the log entry at log_index.", req("log_index", "kind", "subject", "record", "version", "published_at", "sha256"), schema{
			"log_index":    schema{"type": "integer", "minimum": 0, "description": "The entry's index in the log."},
			"kind":         strSchema("The record kind (GET /api/v1/kinds), or draw."),
			"subject":      strSchema("The enterprise's USCC; for a draw, its jurisdiction (a division code)."),
			"record":       strSchema("The record's id."),
			"version":      schema{"type": "integer", "minimum": 1},
			"published_at": fmtSchema("date-time", "When the version was published (UTC, to the microsecond, as in its leaf)."),
			"sha256":       strSchema("The SHA-256 of the document: its leaf names it; GET /api/v1/documents/{sha256} serves the same bytes."),
			"document":     ref("Document"),
			"withdrawn":    ref("Withdrawal"),
		}),
	}
}
