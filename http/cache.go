package http

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gongshi/gongshi"
)

// publicCache keeps the encoded answers to anonymous reads of enterprise pages, so that the
// most read pages of the register cost a map lookup instead of several queries and JSON
// encoding. Entries are dropped when a committed batch touches their enterprise (the
// store's OnCommit), and in any case after TTL, a bound on staleness should some change to
// a public view ever fail to touch its enterprise.
//
// A read that races with a commit must not put back what the commit made stale: a reader
// notes the commit sequence when it starts, and put refuses if any commit since then touched
// the enterprise (or if the record of recent commits no longer reaches that far back).
type publicCache struct {
	mu       sync.Mutex
	max      int // answers
	maxBytes int // of answers and their keys (publicCacheBytes)
	bytes    int // of answers and their keys held
	ttl      time.Duration
	seq      uint64                   // commits seen
	recent   [128]commitNote          // the last commits, by seq % len
	entries  map[string]*list.Element // key → *cacheEntry
	lru      *list.List
	keys     map[string]map[string]bool // USCC → keys of its entries
}

type commitNote struct {
	seq      uint64
	subjects map[string]bool
}

type cacheEntry struct {
	key, uscc string
	body      []byte
	etag      string
	at        time.Time
}

// publicCacheBytes bounds the cache's answers in bytes, beside their number: under reads
// spread over a 1M-enterprise register its 100,000 answers of ~8 KB held 0.8 GB of the
// server's heap, and the heap's goal (GCPercent) three times more.
const publicCacheBytes = 256 << 20

func newPublicCache(max, maxBytes int, ttl time.Duration) *publicCache {
	return &publicCache{max: max, maxBytes: maxBytes, ttl: ttl, entries: map[string]*list.Element{}, lru: list.New(), keys: map[string]map[string]bool{}}
}

// size is what an entry counts against maxBytes.
func (e *cacheEntry) size() int { return len(e.key) + len(e.body) }

// begin returns the commit sequence a read starts at.
func (c *publicCache) begin() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seq
}

func (c *publicCache) get(key string) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil
	}
	e := el.Value.(*cacheEntry)
	if time.Since(e.at) > c.ttl {
		c.remove(el)
		return nil
	}
	c.lru.MoveToFront(el)
	return e
}

// put stores body for key unless a commit since start touched uscc.
func (c *publicCache) put(start uint64, key, uscc string, body []byte) *cacheEntry {
	sum := sha256.Sum256(body)
	e := &cacheEntry{key: key, uscc: uscc, body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`, at: time.Now()}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seq-start >= uint64(len(c.recent)) {
		return e
	}
	for s := start + 1; s <= c.seq; s++ {
		if n := c.recent[s%uint64(len(c.recent))]; n.seq == s && n.subjects[uscc] {
			return e
		}
	}
	if el, ok := c.entries[key]; ok {
		c.remove(el)
	}
	c.entries[key] = c.lru.PushFront(e)
	c.bytes += e.size()
	if c.keys[uscc] == nil {
		c.keys[uscc] = map[string]bool{}
	}
	c.keys[uscc][key] = true
	for c.lru.Len() > c.max || c.bytes > c.maxBytes {
		c.remove(c.lru.Back())
	}
	return e
}

// invalidate is the store's OnCommit subscriber.
func (c *publicCache) invalidate(subjects []string) {
	set := make(map[string]bool, len(subjects))
	for _, s := range subjects {
		set[s] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	c.recent[c.seq%uint64(len(c.recent))] = commitNote{seq: c.seq, subjects: set}
	for s := range set {
		for k := range c.keys[s] {
			if el, ok := c.entries[k]; ok {
				c.remove(el)
			}
		}
	}
}

func (c *publicCache) remove(el *list.Element) {
	e := el.Value.(*cacheEntry)
	c.lru.Remove(el)
	c.bytes -= e.size()
	delete(c.entries, e.key)
	if ks := c.keys[e.uscc]; ks != nil {
		delete(ks, e.key)
		if len(ks) == 0 {
			delete(c.keys, e.uscc)
		}
	}
}

// encoded is an answer compute returns already encoded (gongshi.EncodeAnswer).
type encoded []byte

// zstdEncoded is an encoded answer compressed as zstd frames (gongshi.PageRow.FrameOn),
// which compute returns only to a client that accepts it (acceptsZstd).
type zstdEncoded []byte

// acceptsZstd reports whether the request's Accept-Encoding names zstd with a weight above
// zero (RFC 9110 §12.5.3). Browsers send it (gzip, deflate, br, zstd).
func acceptsZstd(r *http.Request) bool {
	for _, h := range r.Header.Values("Accept-Encoding") {
		for c := range strings.SplitSeq(h, ",") {
			name, params, _ := strings.Cut(c, ";")
			if !strings.EqualFold(strings.TrimSpace(name), "zstd") {
				continue
			}
			q, weighted := strings.CutPrefix(strings.TrimSpace(params), "q=")
			if !weighted {
				return true
			}
			w, err := strconv.ParseFloat(strings.TrimSpace(q), 64)
			return err == nil && w > 0
		}
	}
	return false
}

// cacheServes reports whether the response cache may answer r: an anonymous GET not asking
// for a log size. (On a server that does not hold the sequencer, the cache learns of
// commits only as it reads them.)
func (s *Server) cacheServes(r *http.Request) bool {
	a := accountFrom(r.Context())
	return s.cache != nil && (a == nil || a.Role == gongshi.RolePublic) && gongshi.MinLogSize(r.Context()) == 0
}

// writeEncoded sends an encoded JSON answer, compressed with encoding if it is not "",
// in one Write of a known length (not chunked).
func writeEncoded(w http.ResponseWriter, encoding string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if encoding != "" {
		h.Set("Content-Encoding", encoding)
	}
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

// cachedPublic answers an anonymous GET from the cache, or computes the answer with
// compute (which returns the value to encode and the enterprise's USCC) and caches it.
// Authenticated callers may see more than the public and are never served from it.
func (s *Server) cachedPublic(w http.ResponseWriter, r *http.Request, key string, compute func() (any, string, error)) error {
	if !s.cacheServes(r) {
		v, _, err := compute()
		if err != nil {
			return err
		}
		switch b := v.(type) {
		case encoded:
			writeEncoded(w, "", b)
		case zstdEncoded:
			writeEncoded(w, "zstd", b)
		default:
			writeJSON(w, http.StatusOK, v)
		}
		return nil
	}
	e := s.cache.get(key)
	if e == nil {
		start := s.cache.begin()
		v, uscc, err := compute()
		if err != nil {
			return err
		}
		var body []byte
		switch b := v.(type) {
		case encoded:
			body = b
		case zstdEncoded: // the cache keeps answers as they are
			if body, err = gongshi.DecompressPage(b); err != nil {
				return gongshi.Errorf(gongshi.EINTERNAL, "page row: %v", err)
			}
		default:
			if body, err = gongshi.EncodeAnswer(v); err != nil {
				return err
			}
		}
		e = s.cache.put(start, key, uscc, body)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("ETag", e.etag)
	h.Set("Cache-Control", "public, max-age=0, must-revalidate")
	if r.Header.Get("If-None-Match") == e.etag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Length", strconv.Itoa(len(e.body))) // not chunked: one less write per answer
	w.Write(e.body)
	return nil
}
