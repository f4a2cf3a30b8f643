package translog

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// maxSafeInteger is the largest integer CanonicalJSON writes: 2^53-1, the range in which
// every JSON implementation (and RFC 8785's ECMAScript number formatting) agrees.
const maxSafeInteger = 1<<53 - 1

// CanonicalJSON returns the canonical JSON encoding of v, the form in which gongshi hashes
// and publishes record documents. It is the subset of the JSON Canonicalization Scheme
// (RFC 8785) without fractional numbers, so any RFC 8785 implementation produces the same
// bytes for the same data:
//
//   - no insignificant whitespace;
//   - object members sorted by their names compared as UTF-16 code unit sequences
//     (RFC 8785 §3.2.3), names unique;
//   - strings in UTF-8, escaping only '"' as \", '\' as \\, U+0008 \b, U+0009 \t, U+000A \n,
//     U+000C \f, U+000D \r and other characters below U+0020 as \u00xx (lowercase hex);
//     everything else, including '<', '>', '&', U+2028 and U+2029, is written as itself;
//   - numbers only as integers in [-(2^53-1), 2^53-1], written in decimal without sign for
//     zero, leading zeros, fraction or exponent;
//   - true, false and null as themselves.
//
// v may be nil, bool, string, json.Number, any Go integer type, a float holding an integer,
// map[string]any, map[string]string, []any, []string, json.RawMessage, or any other value
// encoding/json can marshal (it is marshalled and re-read, so struct tags apply). An error
// wrapping ErrNotCanonical reports a value outside that subset: a fraction or out-of-range
// number, invalid UTF-8, or a value encoding/json rejects.
func CanonicalJSON(v any) ([]byte, error) {
	buf, err := appendCanonical(make([]byte, 0, 256), v)
	if err != nil {
		return nil, err
	}
	return buf, nil
}

// DocumentHash returns the lowercase hex SHA-256 of doc: the "sha256" of a Leaf and the key
// of GET /api/v1/documents/{sha256}.
func DocumentHash(doc []byte) string {
	sum := sha256.Sum256(doc)
	return hex.EncodeToString(sum[:])
}

func appendCanonical(buf []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(buf, "null"...), nil
	case bool:
		return strconv.AppendBool(buf, v), nil
	case string:
		return appendString(buf, v)
	case json.Number:
		return appendNumber(buf, v)
	case int:
		return appendInt(buf, int64(v))
	case int8:
		return appendInt(buf, int64(v))
	case int16:
		return appendInt(buf, int64(v))
	case int32:
		return appendInt(buf, int64(v))
	case int64:
		return appendInt(buf, v)
	case uint:
		return appendUint(buf, uint64(v))
	case uint8:
		return appendUint(buf, uint64(v))
	case uint16:
		return appendUint(buf, uint64(v))
	case uint32:
		return appendUint(buf, uint64(v))
	case uint64:
		return appendUint(buf, v)
	case float32:
		return appendFloat(buf, float64(v))
	case float64:
		return appendFloat(buf, v)
	case map[string]any:
		return appendObject(buf, v)
	case map[string]string:
		m := make(map[string]any, len(v))
		for k, s := range v {
			m[k] = s
		}
		return appendObject(buf, m)
	case []any:
		buf = append(buf, '[')
		for i, e := range v {
			if i > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = appendCanonical(buf, e); err != nil {
				return nil, err
			}
		}
		return append(buf, ']'), nil
	case []string:
		buf = append(buf, '[')
		for i, s := range v {
			if i > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = appendString(buf, s); err != nil {
				return nil, err
			}
		}
		return append(buf, ']'), nil
	case json.RawMessage:
		return appendRaw(buf, v)
	default:
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNotCanonical, err)
		}
		return appendRaw(buf, raw)
	}
}

func appendRaw(buf, raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotCanonical, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: trailing data after JSON value", ErrNotCanonical)
	}
	return appendCanonical(buf, x)
}

func appendObject(buf []byte, m map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareUTF16)
	buf = append(buf, '{')
	for i, k := range keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = appendString(buf, k); err != nil {
			return nil, err
		}
		buf = append(buf, ':')
		if buf, err = appendCanonical(buf, m[k]); err != nil {
			return nil, err
		}
	}
	return append(buf, '}'), nil
}

// compareUTF16 orders strings by their UTF-16 code units (RFC 8785 §3.2.3). It differs from
// byte order only between characters U+E000–U+FFFF and those above U+FFFF.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ua, ub := utf16Lead(ra), utf16Lead(rb)
			if ua != ub {
				return int(ua) - int(ub)
			}
			return int(ra) - int(rb)
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b)
}

func utf16Lead(r rune) rune {
	if r < 0x10000 {
		return r
	}
	return 0xD800 + (r-0x10000)>>10
}

const hexDigits = "0123456789abcdef"

func appendString(buf []byte, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("%w: invalid UTF-8 in string %q", ErrNotCanonical, s)
	}
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		buf = append(buf, s[start:i]...)
		switch c {
		case '"', '\\':
			buf = append(buf, '\\', c)
		case '\b':
			buf = append(buf, '\\', 'b')
		case '\t':
			buf = append(buf, '\\', 't')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\f':
			buf = append(buf, '\\', 'f')
		case '\r':
			buf = append(buf, '\\', 'r')
		default:
			buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		start = i + 1
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"'), nil
}

func appendInt(buf []byte, n int64) ([]byte, error) {
	if n > maxSafeInteger || n < -maxSafeInteger {
		return nil, fmt.Errorf("%w: integer %d beyond ±(2^53-1)", ErrNotCanonical, n)
	}
	return strconv.AppendInt(buf, n, 10), nil
}

func appendUint(buf []byte, n uint64) ([]byte, error) {
	if n > maxSafeInteger {
		return nil, fmt.Errorf("%w: integer %d beyond 2^53-1", ErrNotCanonical, n)
	}
	return strconv.AppendUint(buf, n, 10), nil
}

func appendFloat(buf []byte, f float64) ([]byte, error) {
	if f != math.Trunc(f) || math.IsInf(f, 0) || math.Abs(f) > maxSafeInteger {
		return nil, fmt.Errorf("%w: number %v is not an integer in ±(2^53-1)", ErrNotCanonical, f)
	}
	return appendInt(buf, int64(f))
}

func appendNumber(buf []byte, n json.Number) ([]byte, error) {
	i, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		// Accept integral values written with a fraction or exponent ("1.0", "1e3"), as
		// RFC 8785 would, but nothing with a fractional part.
		f, ferr := strconv.ParseFloat(string(n), 64)
		if ferr != nil {
			return nil, fmt.Errorf("%w: number %q", ErrNotCanonical, string(n))
		}
		return appendFloat(buf, f)
	}
	return appendInt(buf, i)
}
