package gongshi

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// Cursors. A page of a search or a list ends with the cursor of the next page. The store
// pages by a position of its own (a tier, a sort key and a row id; a row id); the service
// seals that position so that a client can hand it back but neither read it as an
// interface nor make one up:
//
//	cursor = base64url(1 ‖ position ‖ tag)        unpadded, RFC 4648 §5
//	tag    = HMAC-SHA256(key, "gongshi cursor\x00" ‖ scope ‖ "\x00" ‖ 1 ‖ position)[:16]
//
// where 1 is the format's version byte and scope names the query the cursor continues
// (the search term; the list and its filters), so a cursor is accepted only by the query
// that gave it. The key is Service.CursorKey: gongshi serve keeps it in the data folder so
// that cursors outlive a restart and every server of one register accepts them.

const (
	cursorVersion = 1
	cursorTagSize = 16
	// MaxCursorLength is the longest cursor a client may send: the longest position the
	// store makes (a search's name key) sealed, with room to spare.
	MaxCursorLength = 1024
)

var errCursor = Invalid("cursor", "is not a cursor this server gave for this query",
	"use the \"next\" of the previous page, with the same other parameters, or leave cursor out to start from the beginning")

// sealCursor returns the cursor of the store's position pos in the query scope; "" for "".
func (s *core) sealCursor(scope, pos string) string {
	if pos == "" {
		return ""
	}
	b := append([]byte{cursorVersion}, pos...)
	return base64.RawURLEncoding.EncodeToString(append(b, s.cursorTag(scope, b)...))
}

// openCursor returns the store's position a cursor of the query scope holds; "" for "".
// Anything else than a cursor sealCursor made for scope is errCursor.
func (s *core) openCursor(scope, cursor string) (string, error) {
	if cursor == "" {
		return "", nil
	}
	if len(cursor) > MaxCursorLength {
		return "", errCursor
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(cursor)
	if err != nil || len(b) <= 1+cursorTagSize || b[0] != cursorVersion {
		return "", errCursor
	}
	body, tag := b[:len(b)-cursorTagSize], b[len(b)-cursorTagSize:]
	if !hmac.Equal(tag, s.cursorTag(scope, body)) {
		return "", errCursor
	}
	return string(body[1:]), nil
}

// listEntries reads a page of a list with its next page's cursor sealed in scope.
func (s *Enforcement) listEntries(ctx context.Context, q ListQuery, scope string) ([]*ListEntry, string, error) {
	es, next, err := s.Store.ListEntries(ctx, q)
	return es, s.sealCursor(scope, next), err
}

func (s *core) cursorTag(scope string, body []byte) []byte {
	s.cursorOnce.Do(func() {
		if len(s.CursorKey) == 0 {
			// Without a configured key, cursors last as long as this process.
			s.CursorKey = make([]byte, 32)
			rand.Read(s.CursorKey)
		}
	})
	m := hmac.New(sha256.New, s.CursorKey)
	m.Write([]byte("gongshi cursor\x00" + scope + "\x00"))
	m.Write(body)
	return m.Sum(nil)[:cursorTagSize]
}
