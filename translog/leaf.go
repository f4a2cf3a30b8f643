package translog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// MaxLeafSize is the largest leaf in bytes: an entry bundle prefixes each entry with its
// length as a big-endian uint16 (C2SP tlog-tiles).
const MaxLeafSize = 1<<16 - 1

// TimeLayout is the fixed form of Leaf.PublishedAt: UTC, RFC 3339, exactly six fractional
// digits (microseconds, the precision PostgreSQL keeps), e.g. "2026-05-01T01:02:03.000000Z".
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// Leaf names one published record version; its canonical JSON is a log leaf (SPEC §9).
type Leaf struct {
	Kind        string    // record kind, e.g. "penalty"; non-empty
	Subject     string    // the enterprise's code (USCC or registration number); non-empty
	Record      string    // the record's id; non-empty
	Version     int       // version number within the record, from 1
	PublishedAt time.Time // when the version was published; written in UTC to the microsecond
	SHA256      string    // DocumentHash of the version's canonical document: 64 lowercase hex digits
}

// MarshalCanonical returns the leaf's canonical JSON: the members kind, published_at,
// record, sha256, subject and version in that (sorted) order, no whitespace, strings escaped
// as CanonicalJSON does, PublishedAt in UTC formatted with TimeLayout (truncated to the
// microsecond), Version as a decimal integer:
//
//	{"kind":"penalty","published_at":"2026-05-01T01:02:03.000000Z","record":"r1","sha256":"<64 hex>","subject":"91310000MA1FL0001X","version":1}
//
// It does not validate; call Validate first on leaves from untrusted input.
func (l Leaf) MarshalCanonical() []byte {
	buf := make([]byte, 0, 192+len(l.Kind)+len(l.Subject)+len(l.Record))
	buf = append(buf, `{"kind":`...)
	buf = appendLeafString(buf, l.Kind)
	buf = append(buf, `,"published_at":"`...)
	buf = l.PublishedAt.UTC().AppendFormat(buf, TimeLayout)
	buf = append(buf, `","record":`...)
	buf = appendLeafString(buf, l.Record)
	buf = append(buf, `,"sha256":`...)
	buf = appendLeafString(buf, l.SHA256)
	buf = append(buf, `,"subject":`...)
	buf = appendLeafString(buf, l.Subject)
	buf = append(buf, `,"version":`...)
	buf = strconv.AppendInt(buf, int64(l.Version), 10)
	return append(buf, '}')
}

// appendLeafString writes s like CanonicalJSON, replacing invalid UTF-8 by U+FFFD so that
// MarshalCanonical cannot fail (Validate rejects such leaves).
func appendLeafString(buf []byte, s string) []byte {
	out, err := appendString(buf, s)
	if err != nil {
		out, _ = appendString(buf, string(bytes.ToValidUTF8([]byte(s), []byte("\uFFFD"))))
	}
	return out
}

// Validate reports whether l can be a leaf: Kind, Subject and Record non-empty valid UTF-8,
// Version from 1 to 2^53-1, PublishedAt after year 0 and before year 10000, SHA256 64
// lowercase hex digits, and the canonical JSON at most MaxLeafSize bytes. The error wraps
// ErrMalformedLeaf or ErrLeafTooLarge.
func (l Leaf) Validate() error {
	for _, f := range []struct{ name, v string }{{"kind", l.Kind}, {"subject", l.Subject}, {"record", l.Record}} {
		if f.v == "" {
			return fmt.Errorf("%w: empty %s", ErrMalformedLeaf, f.name)
		}
		if _, err := appendString(nil, f.v); err != nil {
			return fmt.Errorf("%w: %s: invalid UTF-8", ErrMalformedLeaf, f.name)
		}
	}
	if l.Version < 1 || l.Version > maxSafeInteger {
		return fmt.Errorf("%w: version %d not in 1…2^53-1", ErrMalformedLeaf, l.Version)
	}
	if y := l.PublishedAt.UTC().Year(); y < 1 || y > 9999 {
		return fmt.Errorf("%w: published_at year %d not in 1…9999", ErrMalformedLeaf, y)
	}
	if !isLowerHex(l.SHA256, 64) {
		return fmt.Errorf("%w: sha256 %q is not 64 lowercase hex digits", ErrMalformedLeaf, l.SHA256)
	}
	if n := len(l.MarshalCanonical()); n > MaxLeafSize {
		return fmt.Errorf("%w: %d bytes, at most %d", ErrLeafTooLarge, n, MaxLeafSize)
	}
	return nil
}

func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// ParseLeaf parses a leaf, accepting only the exact bytes MarshalCanonical produces for a
// leaf that passes Validate: any other spelling (whitespace, member order, escapes, missing,
// duplicate or unknown members, another time precision or zone) is an error wrapping
// ErrMalformedLeaf; a leaf longer than MaxLeafSize wraps ErrLeafTooLarge.
func ParseLeaf(data []byte) (Leaf, error) {
	if len(data) > MaxLeafSize {
		return Leaf{}, fmt.Errorf("%w: %d bytes, at most %d", ErrLeafTooLarge, len(data), MaxLeafSize)
	}
	var w struct {
		Kind        *string `json:"kind"`
		PublishedAt *string `json:"published_at"`
		Record      *string `json:"record"`
		SHA256      *string `json:"sha256"`
		Subject     *string `json:"subject"`
		Version     *int64  `json:"version"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Leaf{}, fmt.Errorf("%w: %v", ErrMalformedLeaf, err)
	}
	if w.Kind == nil || w.PublishedAt == nil || w.Record == nil || w.SHA256 == nil || w.Subject == nil || w.Version == nil {
		return Leaf{}, fmt.Errorf("%w: missing member", ErrMalformedLeaf)
	}
	t, err := time.Parse(TimeLayout, *w.PublishedAt)
	if err != nil {
		return Leaf{}, fmt.Errorf("%w: published_at: %v", ErrMalformedLeaf, err)
	}
	if *w.Version < 1 || *w.Version > maxSafeInteger {
		return Leaf{}, fmt.Errorf("%w: version %d not in 1…2^53-1", ErrMalformedLeaf, *w.Version)
	}
	l := Leaf{Kind: *w.Kind, Subject: *w.Subject, Record: *w.Record, Version: int(*w.Version), PublishedAt: t, SHA256: *w.SHA256}
	if err := l.Validate(); err != nil {
		return Leaf{}, err
	}
	if !bytes.Equal(l.MarshalCanonical(), data) {
		return Leaf{}, fmt.Errorf("%w: not in canonical form", ErrMalformedLeaf)
	}
	return l, nil
}
