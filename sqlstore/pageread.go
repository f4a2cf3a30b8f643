package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/gongshi/gongshi"
)

// pageReader reads page rows on SQLite below database/sql, on connections of its own, each
// holding the two lookups prepared. The enterprise page is the most read answer of the
// register, and about half of its one-row lookup was database/sql's and the driver's work
// around SQLite's: the pool's locks, two goroutines watching the request's context
// (database/sql's and the driver's, which also sets and clears a progress handler), the
// blob copied twice. BenchmarkPageReader: 41–56 µs a lookup through database/sql, 23–26 µs
// here (ratio 0.47–0.55, on a loaded 2-core machine). What is left is SQLite's own: a WAL
// read transaction per statement (two fcntl locks and an fstat) and two B-tree descents.
// A lookup by key is over in microseconds, so it is not given the request's context to be
// cancelled by: only a context already done is refused.
type pageReader struct {
	open  func() (driver.Conn, error)
	idle  chan *pageConn // as many places as connections may be open
	slots chan struct{}  // a token per connection open

	mu     sync.Mutex // over closed, and putting back into idle
	closed bool
}

// pageConn is one of pageReader's connections with its statements, prepared on first use.
type pageConn struct {
	conn  driver.Conn
	stmts [2]driver.Stmt // by USCC, by registration number
}

var pageQueries = [2]string{
	`SELECT page, listed_at, listed FROM pages WHERE id = (SELECT id FROM enterprises WHERE uscc = ?)`,
	`SELECT page, listed_at, listed FROM pages WHERE id = (SELECT id FROM enterprises WHERE regno = ?)`,
}

// newPageReader returns a reader opening at most max connections with open, as they are
// needed.
func newPageReader(open func() (driver.Conn, error), max int) *pageReader {
	return &pageReader{open: open, idle: make(chan *pageConn, max), slots: make(chan struct{}, max)}
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

// row reads the page row of the enterprise with the given USCC (by 0) or registration
// number (by 1); nil when there is none.
func (p *pageReader) row(ctx context.Context, by int, code string) (*gongshi.PageRow, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, err := p.get(ctx)
	if err != nil {
		return nil, err
	}
	row, err := c.row(by, code)
	if err != nil {
		p.drop(c)
		return nil, err
	}
	p.put(c)
	return row, nil
}

func (c *pageConn) row(by int, code string) (*gongshi.PageRow, error) {
	if c.stmts[by] == nil {
		st, err := c.conn.Prepare(pageQueries[by])
		if err != nil {
			return nil, err
		}
		c.stmts[by] = st
	}
	// Not the request's context: see pageReader.
	rows, err := c.stmts[by].(driver.StmtQueryContext).QueryContext(context.Background(), []driver.NamedValue{{Ordinal: 1, Value: code}})
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var dest [3]driver.Value
	switch err := rows.Next(dest[:]); {
	case err == io.EOF:
		return nil, nil
	case err != nil:
		return nil, err
	}
	frame, ok1 := dest[0].([]byte)
	at, ok2 := dest[1].(int64)
	listed, ok3 := dest[2].(string)
	if !ok1 && dest[0] != nil || !ok2 || !ok3 {
		return nil, fmt.Errorf("a page row of types %T, %T, %T", dest[0], dest[1], dest[2])
	}
	return &gongshi.PageRow{Frame: frame, ListedAt: int(at), Listed: listed}, nil
}
