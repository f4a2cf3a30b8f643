package gongshi

import (
	"crypto/sha256"
	"fmt"
	"math"
	"sync"
	"time"
)

// ETOOMANY: the caller must wait before trying again (RetryError says how long).
const ETOOMANY = "too_many_requests"

// RetryError is an ETOOMANY error with the time to wait.
type RetryError struct {
	Err   *Error
	After time.Duration
}

func (e *RetryError) Error() string { return e.Err.Error() }
func (e *RetryError) Unwrap() error { return e.Err }

// Login backoff: FreeLoginFailures wrong passwords for an account, or from an address, cost
// nothing; each one after that makes the next try wait twice as long as the last, from one
// second up to MaxLoginWait. A failure is forgotten after LoginMemory without one.
const (
	FreeLoginFailures = 5
	MaxLoginWait      = 15 * time.Minute
	LoginMemory       = time.Hour
	maxThrottleKeys   = 100_000
)

// LoginThrottle counts wrong passwords per key (an account, an address) in memory: a
// restart forgets them, which costs an attacker a restart of the server per few guesses.
type LoginThrottle struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]*loginFailures // by the hash of the key: an account id is input of any length
}

type loginFailures struct {
	n     int
	last  time.Time
	until time.Time // no try before
}

// check refuses a try while any of keys must wait.
func (t *LoginThrottle) check(now time.Time, keys ...string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	var wait time.Duration
	for _, k := range keys {
		if f := t.entries[sha256.Sum256([]byte(k))]; f != nil && now.Before(f.until) {
			wait = max(wait, f.until.Sub(now))
		}
	}
	if wait == 0 {
		return nil
	}
	secs := int(math.Ceil(wait.Seconds()))
	return &RetryError{After: time.Duration(secs) * time.Second, Err: &Error{Code: ETOOMANY,
		Message: "too many wrong passwords for this account or from this address",
		Fix:     fmt.Sprintf("wait %d s before trying again", secs)}}
}

// fail counts a wrong password against each key.
func (t *LoginThrottle) fail(now time.Time, keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.entries == nil {
		t.entries = map[[sha256.Size]byte]*loginFailures{}
	}
	if len(t.entries) >= maxThrottleKeys {
		t.forget(now)
	}
	for _, k := range keys {
		h := sha256.Sum256([]byte(k))
		f := t.entries[h]
		if f == nil || now.Sub(f.last) > LoginMemory {
			f = &loginFailures{}
			t.entries[h] = f
		}
		f.n++
		f.last = now
		if over := f.n - FreeLoginFailures; over > 0 {
			wait := MaxLoginWait
			if over < 11 {
				wait = min(MaxLoginWait, time.Second<<(over-1))
			}
			f.until = now.Add(wait)
		}
	}
}

// succeed forgets key's failures.
func (t *LoginThrottle) succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.entries, sha256.Sum256([]byte(key)))
}

// forget drops the failures older than LoginMemory; when every key is recent (an attack
// from very many addresses) it drops them all rather than grow without bound.
func (t *LoginThrottle) forget(now time.Time) {
	for k, f := range t.entries {
		if now.Sub(f.last) > LoginMemory {
			delete(t.entries, k)
		}
	}
	if len(t.entries) >= maxThrottleKeys {
		clear(t.entries)
	}
}
