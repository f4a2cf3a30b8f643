package gongshi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gongshi/gongshi/translog"
)

// The change feed (变更数据订阅; SPEC §12 open data) is the log read in order: one FeedEvent
// per log entry, made from the entry's logged document and nothing else, so that a reader
// who checks each document's hash against the log's leaves (gongshi verify, a mirror) has
// checked everything the feed said. Resuming after the last index read gives no gap and no
// duplicate: the log only grows, one index at a time, and a batch commits whole.

// LoggedVersion is one log entry as the store keeps it: its index, its document's exact
// bytes and, when the document has been withdrawn from public view, the withdrawal.
type LoggedVersion struct {
	LogIndex  int64
	Document  []byte
	Withdrawn *Withdrawal
}

// FeedStore is what the change feed reads.
type FeedStore interface {
	// FeedSize is the log size the feed is read up to: the number of entries committed so
	// far, or the index of the first entry the store holds only as its leaf (StandIn)
	// while the record that withdrew it is not in yet. A mirror catching up holds such
	// entries, withdrawn at its source before it read them; its feed goes on past them
	// when their withdrawal is in.
	FeedSize(ctx context.Context) (int64, error)
	// LoggedAfter returns the entries with after < log index < end, at most limit of them,
	// in log order (the versions' log_index index).
	LoggedAfter(ctx context.Context, after, end int64, limit int) ([]LoggedVersion, error)
	// LoggedMatching returns, as LoggedAfter, entries with after < log index < end in log
	// order, at most limit: every one that q's division, kinds and subjects may select, and
	// perhaps some that they do not (the feed tests each from its document). It may stop
	// before end, having looked at as many entries as one read should; it returns the last
	// index it looked at, and fewer than limit entries only when it stopped so or at end.
	LoggedMatching(ctx context.Context, after, end int64, limit int, q *FeedQuery) ([]LoggedVersion, int64, error)
}

// Feed answers the change feed.
type Feed struct {
	*core
	Store FeedStore
	last  lastChunk
}

// FeedEvent is one entry of the change feed: the version logged at LogIndex, named by the
// members of its log leaf, with its document; or, for a document withdrawn from public
// view, the withdrawal instead of the document (its leaf stays; /api/v1/documents answers
// 410 for it).
type FeedEvent struct {
	LogIndex    int64           `json:"log_index"`
	Kind        string          `json:"kind"`
	Subject     string          `json:"subject"` // the enterprise's USCC; a draw's jurisdiction
	Record      string          `json:"record"`
	Version     int             `json:"version"`
	PublishedAt time.Time       `json:"published_at"`
	SHA256      string          `json:"sha256"`
	Document    json.RawMessage `json:"document,omitempty"`
	Withdrawn   *Withdrawal     `json:"withdrawn,omitempty"`
}

// Leaf is the log leaf the change names.
func (c *FeedEvent) Leaf() translog.Leaf {
	return translog.Leaf{Kind: c.Kind, Subject: c.Subject, Record: c.Record, Version: c.Version, PublishedAt: c.PublishedAt, SHA256: c.SHA256}
}

// Division is the administrative division code the change is filed under: characters 3–8
// of the subject's USCC (the registering authority's division), or a draw's jurisdiction.
func (c *FeedEvent) Division() string {
	if len(c.Subject) == 18 {
		return c.Subject[2:8]
	}
	return c.Subject
}

// FeedEventOf makes the change of a logged version from its document alone.
func FeedEventOf(lv LoggedVersion) (*FeedEvent, error) {
	if l, ok := StandIn(lv.Document); ok {
		// A document the register never received (gongshi import): its leaf says it all.
		if lv.Withdrawn == nil {
			return nil, Errorf(EINTERNAL, "log entry %d: only its leaf is stored, yet it is not withdrawn", lv.LogIndex)
		}
		return &FeedEvent{LogIndex: lv.LogIndex, Kind: l.Kind, Subject: l.Subject, Record: l.Record, Version: l.Version,
			PublishedAt: l.PublishedAt.UTC(), SHA256: l.SHA256, Withdrawn: &Withdrawal{At: lv.Withdrawn.At, Reason: lv.Withdrawn.Reason}}, nil
	}
	return feedEventOf(lv, translog.DocumentHash(lv.Document))
}

// feedEventOf is FeedEventOf of a document whose hash is known to be sum.
func feedEventOf(lv LoggedVersion, sum string) (*FeedEvent, error) {
	d, err := scanDocHeader(lv.Document)
	if err != nil {
		return nil, Errorf(EINTERNAL, "log entry %d (document %s): %v", lv.LogIndex, sum, err)
	}
	at, err := time.Parse(time.RFC3339Nano, d.publishedAt)
	if err != nil || d.kind == "" || d.record == "" || d.version < 1 {
		return nil, Errorf(EINTERNAL, "log entry %d (document %s): not a record document", lv.LogIndex, sum)
	}
	c := &FeedEvent{LogIndex: lv.LogIndex, Kind: d.kind, Record: d.record, Version: d.version, PublishedAt: at.UTC(), SHA256: sum, Subject: d.jurisdiction}
	if d.uscc != "" {
		c.Subject = d.uscc
	}
	if lv.Withdrawn != nil {
		c.Withdrawn = &Withdrawal{At: lv.Withdrawn.At, Reason: lv.Withdrawn.Reason}
	} else {
		c.Document = lv.Document
	}
	return c, nil
}

// AppendJSON appends the change as one line of JSON Lines (with its newline). The
// document is written as the exact bytes that were hashed, so that a reader can hash it.
func (c *FeedEvent) AppendJSON(b []byte) []byte {
	b = append(b, `{"log_index":`...)
	b = strconv.AppendInt(b, c.LogIndex, 10)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, c.Kind)
	b = append(b, `,"subject":`...)
	b = appendJSONString(b, c.Subject)
	b = append(b, `,"record":`...)
	b = appendJSONString(b, c.Record)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(c.Version), 10)
	b = append(b, `,"published_at":"`...)
	b = c.PublishedAt.UTC().AppendFormat(b, translog.TimeLayout)
	b = append(b, `","sha256":"`...)
	b = append(b, c.SHA256...)
	b = append(b, '"')
	if c.Withdrawn != nil {
		b = append(b, `,"withdrawn":{"at":"`...)
		b = c.Withdrawn.At.UTC().AppendFormat(b, time.RFC3339Nano)
		b = append(b, `","reason":`...)
		b = appendJSONString(b, c.Withdrawn.Reason)
		b = append(b, '}')
	} else {
		b = append(b, `,"document":`...)
		b = append(b, c.Document...)
	}
	return append(b, "}\n"...)
}

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// ParseFeedEvent reads one line of the change feed, checking that its document is the one
// its sha256 names and that its leaf members are the document's.
func ParseFeedEvent(line []byte) (*FeedEvent, error) {
	c, err := scanFeedLine(line)
	if err != nil {
		return nil, fmt.Errorf("change: %w", err)
	}
	if c.Withdrawn != nil {
		if c.Document != nil {
			return nil, fmt.Errorf("change %d: withdrawn, yet it has a document", c.LogIndex)
		}
		return c, c.Leaf().Validate()
	}
	if got := translog.DocumentHash(c.Document); got != c.SHA256 {
		return nil, fmt.Errorf("change %d: document hashes to %s, not %s", c.LogIndex, got, c.SHA256)
	}
	if _, ok := StandIn(c.Document); ok {
		return nil, fmt.Errorf("change %d: a document is a stand-in for one never received, yet it is not withdrawn", c.LogIndex)
	}
	d, err := feedEventOf(LoggedVersion{LogIndex: c.LogIndex, Document: c.Document}, c.SHA256)
	if err != nil {
		return nil, err
	}
	if string(d.Leaf().MarshalCanonical()) != string(c.Leaf().MarshalCanonical()) {
		return nil, fmt.Errorf("change %d: its members are not its document's", c.LogIndex)
	}
	return c, nil
}

// scanFeedLine reads the members of a feed line as the document's are read (feedscan.go):
// a consumer reads every line, and decoding it whole cost several times what the server
// spends making it. Only the members of a FeedEvent are allowed, each of its type; the
// document is kept as its exact bytes, which its hash then checks.
func scanFeedLine(line []byte) (*FeedEvent, error) {
	var c FeedEvent
	err := scanObject(line, func(key, val []byte) error {
		var err error
		switch string(key) {
		case "log_index":
			c.LogIndex, err = jsonInt(val)
		case "version":
			var v int64
			v, err = jsonInt(val)
			c.Version = int(v)
		case "kind":
			c.Kind, err = jsonString(val)
		case "subject":
			c.Subject, err = jsonString(val)
		case "record":
			c.Record, err = jsonString(val)
		case "sha256":
			c.SHA256, err = jsonString(val)
		case "published_at":
			var at string
			if at, err = jsonString(val); err == nil {
				c.PublishedAt, err = time.Parse(time.RFC3339Nano, at)
			}
		case "document":
			if val[0] != '{' {
				return fmt.Errorf("document: %w", errNotObject)
			}
			c.Document = bytes.Clone(val) // the line's buffer may be reused
		case "withdrawn":
			dec := json.NewDecoder(bytes.NewReader(val))
			dec.DisallowUnknownFields()
			c.Withdrawn = new(Withdrawal)
			err = dec.Decode(c.Withdrawn)
		default:
			return fmt.Errorf("unknown member %q", key)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		return nil
	})
	return &c, err
}

// FeedQuery selects changes of the feed.
type FeedQuery struct {
	// After is the last index the reader has: changes from After+1 on. -1 reads from the
	// first entry.
	After int64
	// Limit is how many changes to return at most: 1–MaxFeedLimit.
	Limit int
	// Division, if set, is a prefix of the changes' division codes (FeedEvent.Division).
	Division string
	// Kinds, if set, are the only kinds of record wanted.
	Kinds []string
	// Subjects, if not nil, are the only subjects wanted (a watch's enterprises).
	Subjects map[string]bool
}

// MaxFeedLimit is the most changes one read returns; DefaultFeedLimit the default.
const (
	MaxFeedLimit     = 10_000
	DefaultFeedLimit = 1_000
	// maxFeedScan bounds the entries one filtered read looks at, so that a rare filter
	// costs a bounded read; FeedPage.Next says where it stopped.
	maxFeedScan = 100_000
)

// FeedPage is one read of the feed.
type FeedPage struct {
	Events []*FeedEvent
	// Next is the index to resume after: the last index looked at, which a filtered read
	// may have passed without a match. Next == After when nothing new was looked at.
	Next int64
	// LogSize is the size of the log the read was made at: a caught-up reader has
	// Next == LogSize-1.
	LogSize int64
}

// Check validates the query, naming the parameter at fault.
func (q *FeedQuery) Check() error {
	if q.After < -1 {
		return Invalid("after", "must be a log index (0 or more)", "leave it out to read from the first entry")
	}
	if q.Limit == 0 {
		q.Limit = DefaultFeedLimit
	}
	if q.Limit < 1 || q.Limit > MaxFeedLimit {
		return Invalid("limit", fmt.Sprintf("must be 1–%d", MaxFeedLimit), "ask for fewer; resume after the last log_index")
	}
	if q.Division != "" && (len(q.Division) > 6 || strings.Trim(q.Division, "0123456789") != "") {
		return Invalid("division", "must be 1–6 digits: a prefix of a division code", "31 for Shanghai, 310115 for Pudong")
	}
	return CheckKinds(q.Kinds, KindDraw)
}

// Wants reports whether the query selects the change (its division, kind and subject).
func (q *FeedQuery) Wants(c *FeedEvent) bool {
	if q.Division != "" && !strings.HasPrefix(c.Division(), q.Division) {
		return false
	}
	if len(q.Kinds) > 0 && !contains(q.Kinds, c.Kind) {
		return false
	}
	return q.Subjects == nil || q.Subjects[c.Subject]
}

// All reports whether q selects every event (no filter): Wants is then always true.
func (q *FeedQuery) All() bool {
	return q.Division == "" && len(q.Kinds) == 0 && q.Subjects == nil
}

// Events reads the feed: the events q selects after q.After, in log order, up to the
// log's size when the read began.
func (f *Feed) Events(ctx context.Context, q FeedQuery) (*FeedPage, error) {
	if err := q.Check(); err != nil {
		return nil, err
	}
	size, err := f.Store.FeedSize(ctx)
	if err != nil {
		return nil, fmt.Errorf("log size: %w", err)
	}
	p := &FeedPage{LogSize: size}
	p.Next, err = f.Stream(ctx, q, size, func(c *FeedEvent) error {
		p.Events = append(p.Events, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// feedChunk is how many entries an unfiltered read takes from the store at a time: a
// streamed page's first events go out while the rest are read, and no read of the store
// stays open while a client takes its time.
const feedChunk = 1000

// UnfilteredNext is where a read of the feed without filters that began at log size size
// ends (FeedPage.Next): the log is dense, so it is known before anything is read, and a
// streamed answer can say it first.
func (q *FeedQuery) UnfilteredNext(size int64) int64 {
	return max(q.After, min(q.After+int64(q.Limit), size-1))
}

// Filtered reports whether the query filters the feed (by division, kind or subject).
func (q *FeedQuery) Filtered() bool {
	return q.Division != "" || len(q.Kinds) > 0 || q.Subjects != nil
}

// Stream reads the feed as Events does, with the log's size read beforehand (FeedSize),
// handing each event to emit as soon as it is made rather than answering them together;
// an error of emit ends the read. It returns the index to resume after (FeedPage.Next).
// The query must have been checked (FeedQuery.Check).
func (f *Feed) Stream(ctx context.Context, q FeedQuery, size int64, emit func(*FeedEvent) error) (int64, error) {
	if q.Filtered() && size-1-q.After > sharedChunk {
		return f.streamMatching(ctx, q, size, emit)
	}
	next, sent := q.After, 0
	for sent < q.Limit && next+1 < size && next-q.After < maxFeedScan {
		batch := min(feedChunk, q.Limit-sent) // each entry read is sent
		if q.Filtered() {
			batch = max(q.Limit, 1000) // most entries read may be passed over
		}
		evs, err := f.chunk(ctx, next, size, batch)
		if err != nil {
			return next, err
		}
		for _, c := range evs {
			next = c.LogIndex
			if q.Wants(c) {
				if err := emit(c); err != nil {
					return next, err
				}
				if sent++; sent == q.Limit {
					break
				}
			}
		}
	}
	return next, nil
}

// maxMatchReads bounds the store's reads of one filtered read far from the log's end
// (streamMatching): each looks at a bounded number of entries.
const maxMatchReads = 8

// streamMatching is Stream for a filtered query far from the log's end (the followers
// there share their reads: chunk): the store gives the entries that may match
// (LoggedMatching), and each event made is tested as every other read's are. It ends when
// the store stopped short (at the log's end, or having looked at as many entries as one
// read should).
func (f *Feed) streamMatching(ctx context.Context, q FeedQuery, size int64, emit func(*FeedEvent) error) (int64, error) {
	next, sent := q.After, 0
	for reads := 0; sent < q.Limit && next+1 < size && reads < maxMatchReads; reads++ {
		asked := q.Limit - sent
		lvs, last, err := f.Store.LoggedMatching(ctx, next, size, asked, &q)
		if err != nil {
			return next, fmt.Errorf("read log entries after %d: %w", next, err)
		}
		for _, lv := range lvs {
			c, err := FeedEventOf(lv)
			if err != nil {
				return next, err
			}
			if q.Wants(c) {
				if err := emit(c); err != nil {
					return c.LogIndex, err
				}
				sent++
			}
		}
		if last <= next {
			return next, Errorf(EINTERNAL, "the store read no log entry after %d of %d", next, size)
		}
		next = last
		if len(lvs) < asked {
			break
		}
	}
	return next, nil
}

// Live followers (GET /api/v1/changes?follow=1) are woken together by each commit and ask
// for the same entries at once: the same range, up to the same log size. The last such
// read near the log's end is kept, so that they share one read of the store and one making
// of its events, rather than each doing both. An event depends only on its entry and its
// withdrawal, and a withdrawal is itself an entry, which grows the log's size and so
// changes the range: a shared read is what each follower would have read itself.

// sharedChunk bounds the reads kept: only those near the log's end, followers' reads.
const sharedChunk = 1000

type lastChunk struct {
	mu  sync.Mutex
	cur *chunkRead
}

type chunkRead struct {
	after, end int64
	limit      int
	done       chan struct{}
	evs        []*FeedEvent
	err        error
}

// chunk returns the events of the entries with after < log index < end, at most limit of
// them, in log order, each entry checked to be there.
func (f *Feed) chunk(ctx context.Context, after, end int64, limit int) ([]*FeedEvent, error) {
	if end-after > sharedChunk {
		return f.readChunk(ctx, after, end, limit)
	}
	limit = int(min(int64(limit), end-after-1)) // a limit beyond the range's end reads it whole
	f.last.mu.Lock()
	if r := f.last.cur; r != nil && r.after == after && r.end == end && r.limit == limit {
		f.last.mu.Unlock()
		select {
		case <-r.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if r.err == nil {
			return r.evs, nil
		}
		return f.readChunk(ctx, after, end, limit) // its reader's failure need not be ours
	}
	r := &chunkRead{after: after, end: end, limit: limit, done: make(chan struct{})}
	f.last.cur = r
	f.last.mu.Unlock()
	r.evs, r.err = f.readChunk(ctx, after, end, limit)
	close(r.done)
	return r.evs, r.err
}

func (f *Feed) readChunk(ctx context.Context, after, end int64, limit int) ([]*FeedEvent, error) {
	lvs, err := f.Store.LoggedAfter(ctx, after, end, limit)
	if err != nil {
		return nil, fmt.Errorf("read log entries after %d: %w", after, err)
	}
	if len(lvs) == 0 {
		return nil, Errorf(EINTERNAL, "log entries %d–%d are missing from the store", after+1, end-1)
	}
	evs := make([]*FeedEvent, len(lvs))
	for i, lv := range lvs {
		if lv.LogIndex != after+1+int64(i) {
			return nil, Errorf(EINTERNAL, "log entry %d is missing from the store", after+1+int64(i))
		}
		if evs[i], err = FeedEventOf(lv); err != nil {
			return nil, err
		}
	}
	return evs, nil
}
