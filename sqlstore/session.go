package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/gongshi/gongshi"
)

// sessionsSchema: bearer tokens get an expiry (NULL: none; tokens made before it keep
// none), and web sessions a table of their own, apart from tokens (gongshi's session.go).
const sessionsSchema = `ALTER TABLE tokens ADD COLUMN expires_at TEXT;
	CREATE TABLE sessions (hash TEXT PRIMARY KEY, account TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL);
	CREATE INDEX sessions_expiry ON sessions(expires_at)`

// Tokens and sessions are read from the primary even beside a replica (as accounts): one
// works as soon as it is made, and stops as soon as it is revoked or ended.

// expireOldTokens gives the tokens made before tokens expired a token's life from now
// (by the real clock, as gongshi's Accounts.Wall), rather than leaving them valid forever:
// web sessions were tokens then, so some are cookies in browsers.
func expireOldTokens(ctx context.Context, tx *sql.Tx, d dialect) error {
	_, err := tx.ExecContext(ctx, d.rebind(`UPDATE tokens SET expires_at = ? WHERE expires_at IS NULL`), formatTime(time.Now().Add(gongshi.TokenLife)))
	return err
}

func (db *DB) AccountByToken(ctx context.Context, tokenHash string) (*gongshi.Account, time.Time, error) {
	var expires sql.NullString
	a, err := scanAccount(db.readPrimaryRow(ctx, `SELECT `+prefixCols("a.", accountCols)+`, t.expires_at FROM tokens t JOIN accounts a ON a.id = t.account WHERE t.hash = ?`, tokenHash), &expires)
	if err != nil || !expires.Valid {
		return a, time.Time{}, err
	}
	return a, parseTime(expires.String), nil
}

func (db *DB) AccountBySession(ctx context.Context, sessionHash string) (*gongshi.Account, time.Time, error) {
	var expires string
	a, err := scanAccount(db.readPrimaryRow(ctx, `SELECT `+prefixCols("a.", accountCols)+`, s.expires_at FROM sessions s JOIN accounts a ON a.id = s.account WHERE s.hash = ?`, sessionHash), &expires)
	if err != nil {
		return nil, time.Time{}, err
	}
	return a, parseTime(expires), nil
}

// RevokeToken deletes a bearer token by its hash. Revoking an unknown token is not an
// error.
func (t *tx) RevokeToken(tokenHash string) error {
	_, err := t.exec(`DELETE FROM tokens WHERE hash = ?`, tokenHash)
	return err
}

// AddSession stores a web session, and drops the sessions that expired a session's life
// before this one started (by the same real clock as expires; the margin makes the text
// comparison of times safe): a login clears the table of what no cookie can use any more.
func (t *tx) AddSession(accountID, sessionHash string, expires time.Time) error {
	if _, err := t.exec(`DELETE FROM sessions WHERE expires_at < ?`, formatTime(expires.Add(-2*gongshi.SessionLife))); err != nil {
		return err
	}
	_, err := t.exec(`INSERT INTO sessions (hash, account, created_at, expires_at) VALUES (?, ?, ?, ?)`, sessionHash, accountID, formatTime(t.now), formatTime(expires))
	return err
}

// EndSession deletes a web session by its hash (logout).
func (t *tx) EndSession(sessionHash string) error {
	_, err := t.exec(`DELETE FROM sessions WHERE hash = ?`, sessionHash)
	return err
}

// nullTime is t for a column, NULL when t is zero.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}
