package http

import (
	"strings"
	"testing"
	"time"
)

// TestPublicCacheBytes: the cache keeps its answers within its bytes, dropping the least
// recently read, and counts what it drops (invalidated, replaced) out again.
func TestPublicCacheBytes(t *testing.T) {
	page := strings.Repeat("页", 1000) // 3,000 bytes
	key := func(i int) string { return "page\x00" + uscc(i) }
	c := newPublicCache(100, 4*(len(key(0))+len(page)), time.Hour)
	for i := range 4 {
		c.put(c.begin(), key(i), uscc(i), []byte(page))
	}
	if c.get(key(0)) == nil { // read: now the most recent
		t.Fatal("4 answers within the bound: the first is gone")
	}
	c.put(c.begin(), key(4), uscc(4), []byte(page))
	if c.get(key(1)) != nil || c.get(key(0)) == nil || c.get(key(4)) == nil {
		t.Errorf("a fifth answer past the bound: want the least recently read (1) dropped, 0 and 4 kept")
	}
	if want := 4 * (len(key(0)) + len(page)); c.bytes != want {
		t.Errorf("the cache counts %d bytes, want %d", c.bytes, want)
	}
	c.invalidate([]string{uscc(0)})
	c.put(c.begin(), key(4), uscc(4), []byte("{}"))
	if want := 2*(len(key(0))+len(page)) + len(key(4)) + 2; c.bytes != want || c.lru.Len() != 3 {
		t.Errorf("after an invalidation and a replacement the cache counts %d bytes in %d answers, want %d in 3", c.bytes, c.lru.Len(), want)
	}
}

// uscc is a made-up code, distinct for each i (the cache does not check it).
func uscc(i int) string { return "91310115MA1K" + strings.Repeat("0", 5) + string(rune('A'+i)) }
