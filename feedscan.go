package gongshi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// The feed names each entry by members of its document's top level. Decoding the whole
// document to find them was most of the cost of a feed read; documents are canonical JSON
// (translog.CanonicalJSON), so scanning the top level and skipping the values not wanted is
// enough, and several times faster.

var errNotObject = errors.New("not a JSON object")

// scanObject calls fn with each member of the JSON object obj: its key, decoded, and its
// value's raw bytes. It checks the structure it walks (brackets, strings), not every literal.
func scanObject(obj []byte, fn func(key, val []byte) error) error {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return errNotObject
	}
	i = skipSpace(obj, i+1)
	if i < len(obj) && obj[i] == '}' {
		return nil
	}
	for i < len(obj) {
		end, err := skipValue(obj, i)
		if err != nil || obj[i] != '"' {
			return errNotObject
		}
		key, err := jsonKey(obj[i:end])
		if err != nil {
			return err
		}
		i = skipSpace(obj, end)
		if i >= len(obj) || obj[i] != ':' {
			return errNotObject
		}
		i = skipSpace(obj, i+1)
		end, err = skipValue(obj, i)
		if err != nil {
			return err
		}
		if err := fn(key, obj[i:end]); err != nil {
			return err
		}
		i = skipSpace(obj, end)
		if i < len(obj) && obj[i] == '}' {
			return nil
		}
		if i >= len(obj) || obj[i] != ',' {
			return errNotObject
		}
		i = skipSpace(obj, i+1)
	}
	return errNotObject
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just past the JSON value starting at b[i].
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errNotObject
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, err := skipString(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errNotObject
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' {
		j++
	}
	if j == i {
		return 0, errNotObject
	}
	return j, nil
}

// skipString returns the index just past the JSON string starting at b[i] (a quote). Most
// of a document is its strings, in Chinese: the closing quote is found with IndexByte, a
// quote preceded by an odd number of backslashes being escaped.
func skipString(b []byte, i int) (int, error) {
	for j := i + 1; ; j++ {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return 0, errNotObject
		}
		j += k
		slashes := 0
		for p := j - 1; b[p] == '\\'; p-- {
			slashes++
		}
		if slashes%2 == 0 {
			return j + 1, nil
		}
	}
}

// jsonKey decodes a raw JSON string used as a key: most keys have no escapes, and are the
// raw bytes between the quotes (not copied to a string: a switch on string(key) does not).
func jsonKey(raw []byte) ([]byte, error) {
	if bytes.IndexByte(raw[1:len(raw)-1], '\\') < 0 {
		return raw[1 : len(raw)-1], nil
	}
	s, err := jsonString(raw)
	return []byte(s), err
}

// jsonString decodes a raw JSON string value.
func jsonString(raw []byte) (string, error) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", errNotObject
	}
	for _, c := range raw[1 : len(raw)-1] {
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			// Escapes, control characters (invalid) and UTF-8 (checked) the slow way.
			var s string
			err := json.Unmarshal(raw, &s)
			return s, err
		}
	}
	return string(raw[1 : len(raw)-1]), nil
}

// jsonInt decodes a raw JSON integer, written as JSON writes it (no sign +, no leading
// zero, no fraction or exponent).
func jsonInt(raw []byte) (int64, error) {
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != string(raw) {
		return 0, fmt.Errorf("%q is not an integer", raw)
	}
	return n, nil
}

// docHeader is what the feed reads of a document's top level.
type docHeader struct {
	kind, record, publishedAt, uscc, jurisdiction string
	version                                       int
}

func scanDocHeader(doc []byte) (docHeader, error) {
	var h docHeader
	err := scanObject(doc, func(key, val []byte) error {
		var err error
		switch string(key) {
		case "kind":
			h.kind, err = jsonString(val)
		case "record":
			h.record, err = jsonString(val)
		case "published_at":
			h.publishedAt, err = jsonString(val)
		case "jurisdiction":
			h.jurisdiction, err = jsonString(val)
		case "version":
			h.version, err = strconv.Atoi(string(val))
		case "subject":
			err = scanObject(val, func(k, v []byte) error {
				var err error
				switch string(k) {
				case "uscc":
					h.uscc, err = jsonString(v)
				case "division": // a record about no enterprise (a check item)
					h.jurisdiction, err = jsonString(v)
				}
				return err
			})
		}
		return err
	})
	return h, err
}
