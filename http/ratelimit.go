package http

import (
	"sync"
	"time"
)

// limiter is a token bucket per client key. Buckets are created on a client's first
// request and dropped once they have refilled (the client has been idle long enough that
// a fresh bucket is the same), so memory follows the number of recently active clients.
type limiter struct {
	rate  float64 // tokens per second
	burst float64
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	sweepAt time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(rl RateLimit, now func() time.Time) *limiter {
	burst := float64(rl.Burst)
	if burst < 1 {
		burst = 1
	}
	return &limiter{rate: rl.PerSecond, burst: burst, now: now, buckets: map[string]*bucket{}}
}

// allow takes a token from key's bucket. When there is none it returns false and how long
// until there will be one (for Retry-After).
func (l *limiter) allow(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// sweep drops full buckets, at most once per refill time, so that its cost is spread over
// many requests.
func (l *limiter) sweep(now time.Time) {
	if now.Before(l.sweepAt) {
		return
	}
	refill := time.Duration(l.burst / l.rate * float64(time.Second))
	l.sweepAt = now.Add(max(refill, time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.at) >= refill {
			delete(l.buckets, k)
		}
	}
}
