package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// readCounter is a store that counts the reads and writes a service makes of it. Its
// embedded Store is nil, so a call of any method it does not count panics: a page that
// read the store in some other way would fail the test, not slip past the count.
type readCounter struct {
	gongshi.Store // nil
	real          gongshi.Store
	reads, writes int
}

func (c *readCounter) File(ctx context.Context, q gongshi.FileQuery) ([]gongshi.StoredVersion, error) {
	c.reads++
	return c.real.File(ctx, q)
}

func (c *readCounter) ConsentsHeld(ctx context.Context, uscc, account string, on calendar.Date) ([]*gongshi.Consent, error) {
	c.reads++
	return c.real.ConsentsHeld(ctx, uscc, account, on)
}

func (c *readCounter) Write(ctx context.Context, fn func(gongshi.Tx) error) error {
	c.writes++
	return c.real.Write(ctx, fn)
}

// pageReads reads the page of code as viewer through a counting store and returns the
// reads and writes it made; an uncounted store method fails the test.
func pageReads(t *testing.T, f *Fixture, viewer *gongshi.Account, code string) (reads, writes int) {
	t.Helper()
	c := &readCounter{real: f.Store}
	svc := gongshi.New(gongshi.Config{Store: c, Clock: f.Clock, Rules: f.Svc.Rules})
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("the page read the store other than through File and ConsentsHeld: %v", fmt.Sprint(p))
		}
	}()
	if _, err := svc.Page(context.Background(), viewer, code); err != nil {
		t.Fatal(err)
	}
	return c.reads, c.writes
}
