package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/gongshi/gongshi"
)

// pageReader reads page rows on SQLite below database/sql, on connections of its own, each
// holding the two lookups prepared. The enterprise page is the most read answer of the
// register, and about half of its one-row lookup was database/sql's and the driver's work
// around SQLite's: the pool's locks, two goroutines watching the request's context
// (database/sql's and the driver's, which also sets and clears a progress handler), the
// blob copied twice. BenchmarkPageReader: 41–56 µs a lookup through database/sql, 23–26 µs
// here (ratio 0.47–0.55, on a loaded 2-core machine). What was left was SQLite's own: a
// WAL read transaction per statement (two fcntl locks and an fstat; held since, below) and
// two B-tree descents.
// A lookup by key is over in microseconds, so it is not given the request's context to be
// cancelled by: only a context already done is refused.
//
// In the process that holds the writer lock, the only one that writes page rows, a
// connection also keeps its read transaction open from one lookup to the next until a
// write commits (held): a statement in a transaction of its own began it (a WAL lock, a
// read of the WAL index) and ended it (which lets go of the B-tree's first page, read and
// parsed again by the next). Measured on the 20k demo's store, one goroutine reading at
// random: 16–20 µs a lookup in a transaction of its own, 6.5–7.4 µs in a held one. The
// sequencer counts its commits (writes); a connection whose transaction began before the
// last commit ends it before its next lookup, so a read made after a write's answer sees
// the write. An idle connection's transaction is ended by release (the WAL's checkpoints,
// which it would hold back, call it) once a commit has made it stale. While the WAL is
// long, connections read each in a transaction of their own (setHolding): the writer
// begins the WAL again from its start only at a moment when no reader uses it. (Page rows
// in a table keyed by USCC, WITHOUT ROWID, which saves the descent through enterprises,
// were slower on the same store: 8.5–9.5 µs a lookup in a held transaction against
// 6.5–7.4, probably as a row of an index's B-tree keeps less of its page before spilling to
// overflow pages. A rowid made from the USCC saves it without that: pageKeysSchema.)
type pageReader struct {
	open  func() (driver.Conn, error)
	idle  chan *pageConn // as many places as connections may be open
	slots chan struct{}  // a token per connection open
	// writes counts the commits that may change page rows; nil: every lookup in a
	// transaction of its own (a process beside the writer, which cannot see its commits).
	writes  *atomic.Uint64
	holding atomic.Bool // hold transactions (setHolding); with writes only

	mu     sync.Mutex // over closed, and putting back into idle
	closed bool
}

// pageConn is one of pageReader's connections with its statements, prepared on first use.
type pageConn struct {
	conn  driver.Conn
	stmts [len(pageQueries)]driver.Stmt // prepared on first use
	// held says a read transaction is open, begun when the writes counter was at.
	held bool
	at   uint64
}

// pageQueries read a page row: by USCC through the enterprises' index (byUSCC), by
// registration number (byRegno), and by the USCC's key (byKey: one B-tree descent; its row
// is the code's only if it names it, see pageKeysSchema).
var pageQueries = [...]string{
	byUSCC:  `SELECT page, listed_at, listed, uscc FROM pages WHERE id = (SELECT id FROM enterprises WHERE uscc = ?)`,
	byRegno: `SELECT page, listed_at, listed, uscc FROM pages WHERE id = (SELECT id FROM enterprises WHERE regno = ?)`,
	byKey:   `SELECT page, listed_at, listed, uscc FROM pages WHERE key = ?`,
}

const (
	byUSCC = iota
	byRegno
	byKey
)

// newPageReader returns a reader opening at most max connections with open, as they are
// needed; with writes (see pageReader), its connections hold their read transactions.
func newPageReader(open func() (driver.Conn, error), max int, writes *atomic.Uint64) *pageReader {
	p := &pageReader{open: open, idle: make(chan *pageConn, max), slots: make(chan struct{}, max), writes: writes}
	p.holding.Store(writes != nil)
	return p
}

// setHolding says whether connections may hold their transactions; when they may not, an
// idle connection's is ended at once and one in use at its next lookup.
func (p *pageReader) setHolding(on bool) {
	if p.writes == nil || p.holding.Swap(on) == on {
		return
	}
	if !on {
		p.release(true)
	}
}

// get returns an idle connection, opens one if fewer than max are open, or waits for one.
func (p *pageReader) get(ctx context.Context) (*pageConn, error) {
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	select {
	case c := <-p.idle:
		return c, nil
	case p.slots <- struct{}{}:
		p.mu.Lock()
		closed := p.closed
		p.mu.Unlock()
		if closed {
			<-p.slots
			return nil, errors.New("the store is closed")
		}
		conn, err := p.open()
		if err != nil {
			<-p.slots
			return nil, err
		}
		return &pageConn{conn: conn}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// put gives back c, which is closed if the reader is.
func (p *pageReader) put(c *pageConn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		p.drop(c)
		return
	}
	p.idle <- c // never blocks: it has a place for every connection
}

// release ends the read transactions of the idle connections that began before the last
// commit, or with all of every idle connection: the WAL cannot be copied into the database
// past the oldest transaction open, nor begun again from its start.
func (p *pageReader) release(all bool) {
	if p.writes == nil {
		return
	}
	now := p.writes.Load()
	for range len(p.idle) {
		var c *pageConn
		select {
		case c = <-p.idle:
		default:
			return
		}
		if c.held && (all || c.at != now) && c.end() != nil {
			p.drop(c)
			continue
		}
		p.put(c)
	}
}

// drop closes c, which failed or outlived the reader.
func (p *pageReader) drop(c *pageConn) {
	for _, st := range c.stmts {
		if st != nil {
			st.Close()
		}
	}
	c.conn.Close()
	<-p.slots
}

// close closes the idle connections; those in use are closed as they are put back.
func (p *pageReader) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for {
		select {
		case c := <-p.idle:
			p.drop(c)
		default:
			return
		}
	}
}

// row reads the page row of the enterprise with the given USCC (byUSCC: at its key, else
// through the enterprises' index) or registration number (byRegno); nil when there is none.
func (p *pageReader) row(ctx context.Context, by int, code string) (*gongshi.PageRow, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, err := p.get(ctx)
	if err != nil {
		return nil, err
	}
	if p.holding.Load() {
		err = c.hold(p.writes.Load())
	} else if c.held {
		err = c.end()
	}
	var row *gongshi.PageRow
	if err == nil && by == byUSCC {
		row, err = c.row(byKey, pageKey(code))
		if row != nil && row.USCC != code {
			row = nil // another code's row at the same key
		}
	}
	if err == nil && row == nil {
		row, err = c.row(by, code)
	}
	if err != nil {
		p.drop(c)
		return nil, err
	}
	p.put(c)
	return row, nil
}

// hold makes c read in a transaction begun after the writes counter was at now: it keeps
// the one it holds if that began then, or ends it and begins another. (A BEGIN takes its
// snapshot at the first read, after now was read: it may see a later commit, never miss
// one.)
func (c *pageConn) hold(now uint64) error {
	if c.held && c.at == now {
		return nil
	}
	if c.held {
		if err := c.end(); err != nil {
			return err
		}
	}
	if err := c.exec("BEGIN"); err != nil {
		return err
	}
	c.held, c.at = true, now
	return nil
}

// end ends the transaction c holds.
func (c *pageConn) end() error {
	c.held = false
	return c.exec("ROLLBACK")
}

func (c *pageConn) exec(query string) error {
	_, err := c.conn.(driver.ExecerContext).ExecContext(context.Background(), query, nil)
	return err
}

func (c *pageConn) row(by int, arg driver.Value) (*gongshi.PageRow, error) {
	if c.stmts[by] == nil {
		st, err := c.conn.Prepare(pageQueries[by])
		if err != nil {
			return nil, err
		}
		c.stmts[by] = st
	}
	// Not the request's context: see pageReader.
	rows, err := c.stmts[by].(driver.StmtQueryContext).QueryContext(context.Background(), []driver.NamedValue{{Ordinal: 1, Value: arg}})
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var dest [4]driver.Value
	switch err := rows.Next(dest[:]); {
	case err == io.EOF:
		return nil, nil
	case err != nil:
		return nil, err
	}
	frame, ok1 := dest[0].([]byte)
	at, ok2 := dest[1].(int64)
	listed, ok3 := dest[2].(string)
	uscc, ok4 := dest[3].(string)
	if !ok1 && dest[0] != nil || !ok2 || !ok3 || !ok4 {
		return nil, fmt.Errorf("a page row of types %T, %T, %T, %T", dest[0], dest[1], dest[2], dest[3])
	}
	return &gongshi.PageRow{Frame: frame, ListedAt: int(at), Listed: listed, USCC: uscc}, nil
}
