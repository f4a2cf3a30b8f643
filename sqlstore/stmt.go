package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache holds the writer's prepared statements. SQLite spent a quarter of the write
// path parsing SQL before statements were prepared once and reused in every transaction
// (sql.Tx.Stmt reuses a statement prepared on the transaction's connection).
//
// The writer has one connection, which a batch transaction holds, so statements cannot be
// prepared during a batch: a query seen for the first time runs unprepared and is prepared
// by prepareWanted between batches.
type stmtCache struct {
	mu     sync.Mutex
	db     *sql.DB
	d      dialect
	stmts  map[string]*sql.Stmt
	wanted map[string]bool
}

// get returns the prepared statement of query, or nil if it is not prepared yet.
func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[query]; ok {
		return st
	}
	if len(c.stmts)+len(c.wanted) >= maxReadStmts {
		return nil // queries with lists of placeholders of every length run unprepared
	}
	if c.wanted == nil {
		c.wanted = make(map[string]bool)
	}
	c.wanted[query] = true
	return nil
}

// prepareWanted prepares the queries seen since the last call. Call it with no
// transaction open on the writer.
func (c *stmtCache) prepareWanted() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q := range c.wanted {
		st, err := c.db.Prepare(c.d.rebind(q))
		if err != nil {
			return err
		}
		if c.stmts == nil {
			c.stmts = make(map[string]*sql.Stmt)
		}
		c.stmts[q] = st
	}
	c.wanted = nil
	return nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}

// exec runs a write statement (with ? placeholders) in the batch transaction.
func (t *tx) exec(query string, args ...any) (sql.Result, error) {
	if st := t.stmt(query); st != nil {
		return st.Exec(args...)
	}
	return t.tx.Exec(t.db.dialect.rebind(query), args...)
}

// queryRow runs a query (with ? placeholders) in the batch transaction.
func (t *tx) queryRow(query string, args ...any) *sql.Row {
	if st := t.stmt(query); st != nil {
		return st.QueryRow(args...)
	}
	return t.tx.QueryRow(t.db.dialect.rebind(query), args...)
}

// query runs a query (with ? placeholders) in the batch transaction.
func (t *tx) query(query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(query); st != nil {
		return st.Query(args...)
	}
	return t.tx.Query(t.db.dialect.rebind(query), args...)
}

// stmt returns the prepared statement of query bound to the batch transaction, or nil if
// it is not prepared yet. Each is bound once a batch: sql.Tx.Stmt makes a new one each
// call, kept until the commit (5% of the sequencer's work on an import).
func (t *tx) stmt(query string) *sql.Stmt {
	if st, ok := t.stmts[query]; ok {
		return st
	}
	st := t.db.stmts.get(query)
	if st == nil {
		return nil
	}
	st = t.tx.Stmt(st)
	if t.stmts == nil {
		t.stmts = make(map[string]*sql.Stmt)
	}
	t.stmts[query] = st
	return st
}

// The reads methods (read.go), so that helpers shared by the readers and the writer run
// prepared statements inside a batch. The batch belongs to the sequencer, not to any one
// request, so no request's ctx cancels it.
func (t *tx) read(_ context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.query(query, args...)
}
func (t *tx) readRow(_ context.Context, query string, args ...any) *sql.Row {
	return t.queryRow(query, args...)
}
