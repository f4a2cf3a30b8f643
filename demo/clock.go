package demo

import (
	"sync/atomic"
	"time"
)

// Clock is a settable clock. Generate sets it to each simulated publication instant; build
// the store and the service on it (gongshi.New with Clock c, the store's Clock) so that
// Tx.Now is the time Generate chose. It stands still until Run is called. It is safe for
// concurrent use.
type Clock struct {
	ns      atomic.Int64 // the reading, in Unix nanoseconds
	running atomic.Pointer[time.Time]
	loc     atomic.Pointer[time.Location]
}

// NewClock returns a clock reading t until it is set again.
func NewClock(t time.Time) *Clock {
	c := &Clock{}
	c.Set(t)
	return c
}

// Set makes the clock read t and stand still.
func (c *Clock) Set(t time.Time) {
	c.running.Store(nil)
	c.loc.Store(t.Location())
	c.ns.Store(t.UnixNano())
}

// Run makes the clock advance with real time from its current reading, as a server that
// goes on from where the demo's history ended (gongshi serve --demo) needs.
func (c *Clock) Run() {
	now := time.Now()
	c.running.Store(&now)
}

// RunRealTime makes the clock read the real time from now on: a server that goes on from a
// demo's history written up to the moment it began (the writing itself took time) must
// stamp what it publishes when it publishes it.
func (c *Clock) RunRealTime() {
	now := time.Now()
	c.ns.Store(now.UnixNano())
	c.running.Store(&now)
}

// Now returns the clock's reading.
func (c *Clock) Now() time.Time {
	loc := c.loc.Load()
	if loc == nil {
		loc = time.UTC
	}
	t := time.Unix(0, c.ns.Load()).In(loc)
	if r := c.running.Load(); r != nil {
		t = t.Add(time.Since(*r))
	}
	return t
}
