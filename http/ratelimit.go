package http

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Limiter is the one rate limiter of the API and the pages (SPEC §9: bulk readers use the
// open data). Each request takes a token from one bucket: its account's when the caller is
// authenticated (a bearer token or a web session), else its address's, so that a bad
// credential is limited like the anonymous public. Every limited answer says so with the
// RateLimit-Policy and RateLimit fields of the IETF httpapi draft
// (draft-ietf-httpapi-ratelimit-headers): the policy as a quota q of requests per window w
// seconds (a bucket of Burst requests refilled in w), and the bucket's remaining requests r
// and the seconds t until it is full again. A refused request is 429 with Retry-After.
type Limiter struct {
	Address, Account RateLimit // as made; read only
	address, account *limiter  // nil: not limited
}

// RateLimit is a token bucket per client: Burst requests at once, refilled at PerSecond.
type RateLimit struct {
	PerSecond float64
	Burst     int
}

// NewLimiter returns the limiter of address and account limits; a zero RateLimit is no
// limit. now is the clock the buckets refill by (time.Now).
func NewLimiter(address, account RateLimit, now func() time.Time) *Limiter {
	l := &Limiter{Address: address, Account: account}
	if address.PerSecond > 0 {
		l.address = newLimiter("address", address, now)
	}
	if account.PerSecond > 0 {
		l.account = newLimiter("account", account, now)
	}
	return l
}

// Take takes a request from the bucket of account (when not "") or else of address, and
// sets the RateLimit-Policy and RateLimit header fields on h. It returns 0 when the request
// may go on, or how long to wait (Retry-After is then set too).
func (l *Limiter) Take(h http.Header, account, address string) time.Duration {
	if l == nil {
		return 0
	}
	b, key := l.address, address
	if account != "" {
		b, key = l.account, account
	}
	if b == nil {
		return 0
	}
	ok, remaining, full, wait := b.allow(key)
	h.Set("RateLimit-Policy", b.policy)
	h.Set("RateLimit", fmt.Sprintf("%q;r=%d;t=%d", b.name, remaining, ceilSeconds(full)))
	if ok {
		return 0
	}
	h.Set("Retry-After", strconv.Itoa(ceilSeconds(wait)))
	return wait
}

func ceilSeconds(d time.Duration) int { return int(math.Ceil(d.Seconds())) }

// limiter is a token bucket per client key. Buckets are created on a client's first
// request and dropped once they have refilled (the client has been idle long enough that
// a fresh bucket is the same), so memory follows the number of recently active clients.
type limiter struct {
	name   string // the policy's name in the header fields
	policy string // the RateLimit-Policy field
	rate   float64
	burst  float64
	now    func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	sweepAt time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(name string, rl RateLimit, now func() time.Time) *limiter {
	burst := float64(max(rl.Burst, 1))
	window := max(1, int(math.Ceil(burst/rl.PerSecond)))
	return &limiter{name: name, rate: rl.PerSecond, burst: burst, now: now, buckets: map[string]*bucket{},
		policy: fmt.Sprintf("%q;q=%d;w=%d", name, int(burst), window)}
}

// allow takes a token from key's bucket. It returns whether there was one, how many are
// left, how long until the bucket is full, and, when there was none, how long until there
// will be one (for Retry-After).
func (l *limiter) allow(key string) (ok bool, remaining int, full, wait time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b, found := l.buckets[key]
	if !found {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		ok = true
	} else {
		wait = l.after(1 - b.tokens)
	}
	return ok, int(b.tokens), l.after(l.burst - b.tokens), wait
}

// after is how long the bucket takes to gain n tokens.
func (l *limiter) after(n float64) time.Duration {
	return time.Duration(n / l.rate * float64(time.Second))
}

// sweep drops full buckets, at most once per refill time, so that its cost is spread over
// many requests.
func (l *limiter) sweep(now time.Time) {
	if now.Before(l.sweepAt) {
		return
	}
	refill := l.after(l.burst)
	l.sweepAt = now.Add(max(refill, time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.at) >= refill {
			delete(l.buckets, k)
		}
	}
}
