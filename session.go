package gongshi

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Sessions and tokens. A web session is not a bearer token: its id (SessionPrefix, 256
// random bits) lives in a cookie, the store keeps only its hash, it ends SessionLife after
// login or on logout, and it cannot be used on the API. Bearer tokens (TokenPrefix) are for
// the API and the command line; each has an expiry, and `gongshi admin token --revoke` ends
// one. Both expire by the real clock (Accounts.Wall), even on a register running on a set
// clock: a demo set in 2030 must not make today's tokens stale, nor yesterday's eternal.
const (
	SessionPrefix  = "gss_"
	SessionLife    = 12 * time.Hour
	TokenLife      = 90 * 24 * time.Hour // an administrator's token, unless it says otherwise
	LoginTokenLife = 24 * time.Hour      // a token got by logging in on the API
)

// Session is a logged-in web visitor's session.
type Session struct {
	ID      string // the cookie's value; stored only as HashToken(ID)
	Account *Account
	Expires time.Time
}

// wall is the real clock of sessions, tokens and login backoff.
func (s *Accounts) wall() time.Time {
	if s.Wall != nil {
		return s.Wall.Now()
	}
	return time.Now()
}

// StartSession checks an account's password (CheckPassword) and starts a web session.
func (s *Accounts) StartSession(ctx context.Context, id, password, from string) (*Session, error) {
	a, err := s.CheckPassword(ctx, id, password, from)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 32)
	rand.Read(b)
	ss := &Session{ID: SessionPrefix + base64.RawURLEncoding.EncodeToString(b), Account: a, Expires: s.wall().Add(SessionLife).UTC()}
	err = s.Store.Write(ctx, func(tx Tx) error { return tx.AddSession(a.ID, HashToken(ss.ID), ss.Expires) })
	if err != nil {
		return nil, err
	}
	return ss, nil
}

// SessionAccount returns the account of a web session; an unknown, ended or expired
// session is EUNAUTHORIZED.
func (s *Accounts) SessionAccount(ctx context.Context, id string) (*Account, error) {
	if !strings.HasPrefix(id, SessionPrefix) {
		return nil, Errorf(EUNAUTHORIZED, "not a session")
	}
	a, expires, err := s.Store.AccountBySession(ctx, HashToken(id))
	if ErrorCode(err) == ENOTFOUND || err == nil && !s.wall().Before(expires) {
		return nil, Errorf(EUNAUTHORIZED, "the session ended; log in again")
	}
	return a, err
}

// EndSession ends a web session (logout). Ending an unknown session is not an error.
func (s *Accounts) EndSession(ctx context.Context, id string) error {
	return s.Store.Write(ctx, func(tx Tx) error { return tx.EndSession(HashToken(id)) })
}

// dummyHash is compared against when the account does not exist, so that a wrong account
// id costs as long as a wrong password and says nothing of which accounts exist.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("no such account"), bcrypt.DefaultCost)

// CheckPassword checks an account's password, from the client address from ("" when
// unknown). After a few wrong passwords for the account or from the address, further
// tries are refused (ETOOMANY, with the wait) before bcrypt runs, so wrong passwords can
// neither be guessed quickly nor burn the server's CPU (LoginThrottle).
func (s *Accounts) CheckPassword(ctx context.Context, id, password, from string) (*Account, error) {
	keys := []string{"account " + id}
	if from != "" {
		keys = append(keys, "address "+from)
	}
	if err := s.throttle().check(s.wall(), keys...); err != nil {
		return nil, err
	}
	hash, err := s.Store.PasswordHash(ctx, id)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return nil, err
	}
	if hash == "" {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
	}
	if hash == "" || bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		s.throttle().fail(s.wall(), keys...)
		return nil, Errorf(EUNAUTHORIZED, "wrong account or password")
	}
	s.throttle().succeed(keys[0]) // the address's count stays: one good login must not reset guessing
	return s.Store.Account(ctx, id)
}
