package translog

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/gowebpki/jcs"
)

// FuzzCanonicalJSON checks CanonicalJSON against an independent implementation of RFC 8785
// (github.com/gowebpki/jcs, from the RFC author's reference code): for any JSON text inside
// the subset CanonicalJSON accepts (integers of at most 2^53-1, valid UTF-8, unique member
// names), both give the same bytes; and CanonicalJSON of its own output is that output.
func FuzzCanonicalJSON(f *testing.F) {
	for _, s := range []string{
		`{"b":1,"a":[true,false,null],"c":{"z":"x","y":-0}}`,
		`{"€":"\u20ac","\ud83d\ude00":"😀","a\u0000b":"\t\n\u001f<>&\u2028"}`,
		`[9007199254740991,-9007199254740991,0,1e2]`,
		`{"fields":{"name":"上海杰图天下网络科技有限公司","shareholders":[{"name":"张三","subscribed":"600"}]},"version":2}`,
		`"\u00e9\u0301"`, `{"a":1,"A":2,"\u00e0":3,"ä":4}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if !json.Valid(in) {
			return
		}
		dec := json.NewDecoder(bytes.NewReader(in))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return
		}
		ours, err := CanonicalJSON(v)
		if errors.Is(err, ErrNotCanonical) {
			return // outside the subset: a fraction, an out-of-range number, invalid UTF-8
		}
		if err != nil {
			t.Fatalf("CanonicalJSON(%s): %v", in, err)
		}
		theirs, err := jcs.Transform(in)
		if err != nil {
			// The reference refuses what encoding/json accepted: duplicate member names
			// (the last wins for encoding/json), which canonical documents never have.
			return
		}
		if !bytes.Equal(ours, theirs) && !hasDuplicateNames(in) {
			t.Fatalf("CanonicalJSON(%s)\n = %s\nRFC 8785 gives\n   %s", in, ours, theirs)
		}
		dec = json.NewDecoder(bytes.NewReader(ours))
		dec.UseNumber()
		var again any
		if err := dec.Decode(&again); err != nil {
			t.Fatalf("CanonicalJSON output %s is not JSON: %v", ours, err)
		}
		if twice, err := CanonicalJSON(again); err != nil || !bytes.Equal(twice, ours) {
			t.Fatalf("CanonicalJSON is not stable: %s then %s (%v)", ours, twice, err)
		}
	})
}

// hasDuplicateNames reports whether a JSON text has an object with a member name twice.
func hasDuplicateNames(in []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(in))
	var stack []map[string]bool
	var expectKey []bool
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		switch tk := tok.(type) {
		case json.Delim:
			switch tk {
			case '{':
				stack, expectKey = append(stack, map[string]bool{}), append(expectKey, true)
				continue
			case '[':
				stack, expectKey = append(stack, nil), append(expectKey, false)
				continue
			default:
				stack, expectKey = stack[:len(stack)-1], expectKey[:len(expectKey)-1]
			}
		case string:
			if n := len(stack); n > 0 && stack[n-1] != nil && expectKey[n-1] {
				if stack[n-1][tk] {
					return true
				}
				stack[n-1][tk] = true
				expectKey[n-1] = false
				continue
			}
		}
		if n := len(stack); n > 0 && stack[n-1] != nil {
			expectKey[n-1] = true
		}
	}
}
