package gongshi

import (
	"regexp"
	"strings"
	"testing"
)

// TestCursor: a cursor is printable, opens to the position it sealed in its own scope
// only, survives a restart with the same key, and anything else is refused.
func TestCursor(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	s := &core{CursorKey: key}
	pos := "3:上海杰图天下网络科技有限公司\x00123"
	c := s.sealCursor("search\x00上海", pos)
	if !regexp.MustCompile(`^[A-Za-z0-9_-]+$`).MatchString(c) {
		t.Fatalf("cursor %q is not base64url", c)
	}
	if got, err := s.openCursor("search\x00上海", c); err != nil || got != pos {
		t.Fatalf("open: got %q, %v; want %q", got, err, pos)
	}
	if got, err := (&core{CursorKey: key}).openCursor("search\x00上海", c); err != nil || got != pos {
		t.Errorf("open after a restart with the same key: got %q, %v; want %q", got, err, pos)
	}
	if got, err := s.openCursor("", ""); err != nil || got != "" {
		t.Errorf("no cursor: got %q, %v; want the start", got, err)
	}
	if got := s.sealCursor("x", ""); got != "" {
		t.Errorf("sealing no position: got %q, want none", got)
	}
	refused := map[string]string{
		"another scope":     "", // c in the scope below
		"another key":       "",
		"made up":           "5:\x00-1",
		"a number":          "1e30",
		"negative":          "-1",
		"not base64":        "!!!!",
		"padded":            c + "==",
		"truncated":         c[:len(c)-2],
		"version only":      "AQ",
		"too long":          strings.Repeat("A", MaxCursorLength+4),
		"one character off": flip(c),
	}
	for name, cur := range refused {
		other := s
		scope := "search\x00上海"
		switch name {
		case "another scope":
			cur, scope = c, "search\x00北京"
		case "another key":
			cur, other = c, &core{CursorKey: []byte(strings.Repeat("j", 32))}
		}
		if got, err := other.openCursor(scope, cur); err != errCursor {
			t.Errorf("%s (%q): got %q, %v; want %v", name, cur, got, err, errCursor)
		}
	}
}

// flip changes the middle character of a cursor to another base64url character.
func flip(c string) string {
	b := []byte(c)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}
