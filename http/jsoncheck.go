package http

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gongshi/gongshi"
)

// checkJSON walks a request body's tokens before it is decoded into a value of type t, and
// refuses what encoding/json would quietly accept:
//
//   - a member given twice in one object: json keeps the last, so the body would not say
//     what it seems to say;
//   - a string (member name or value) that is not valid UTF-8 or holds an unpaired
//     surrogate escape such as "\ud800": json turns both into U+FFFD, which would then be
//     published;
//   - a member of a request object whose name matches a field only when case is ignored
//     ("Kind" for "kind"): json accepts it, and with "kind" beside it one of them is lost;
//     any other member the request does not have.
//
// Every error is EINVALID naming the member by its JSON path ("fields.shareholders[0].name").
// Syntax errors are json's own, for decodeError to explain.
func checkJSON(body []byte, t reflect.Type) error {
	w := &walker{body: body, dec: json.NewDecoder(bytes.NewReader(body))}
	w.dec.UseNumber()
	err := w.value("", t)
	if err == io.EOF && len(bytes.TrimSpace(body)) > 0 {
		return io.ErrUnexpectedEOF // the body ends inside its value
	}
	return err
}

type walker struct {
	body []byte
	dec  *json.Decoder
}

func (w *walker) value(path string, t reflect.Type) error {
	start := w.dec.InputOffset()
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	switch tok := tok.(type) {
	case json.Delim:
		if tok == '{' {
			return w.object(path, t)
		}
		return w.array(path, t)
	case string:
		return w.checkString(path, start)
	}
	return nil
}

func (w *walker) object(path string, t reflect.Type) error {
	seen := map[string]bool{}
	for w.dec.More() {
		start := w.dec.InputOffset()
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		p := joinPath(path, name)
		if err := w.checkString(p, start); err != nil {
			return err
		}
		if seen[name] {
			return gongshi.Invalid(p, "is given twice in one object", "give each member once; which one should count cannot be told")
		}
		seen[name] = true
		mt, err := memberType(t, name, p)
		if err != nil {
			return err
		}
		if err := w.value(p, mt); err != nil {
			return err
		}
	}
	_, err := w.dec.Token() // '}'
	return err
}

func (w *walker) array(path string, t reflect.Type) error {
	var elem reflect.Type
	if t = deref(t); t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
		elem = t.Elem()
	}
	for i := 0; w.dec.More(); i++ {
		if err := w.value(fmt.Sprintf("%s[%d]", path, i), elem); err != nil {
			return err
		}
	}
	_, err := w.dec.Token() // ']'
	return err
}

// checkString checks the raw literal of the string token that ended at the decoder's
// offset and began after start (past whitespace, ',' and ':').
func (w *walker) checkString(path string, start int64) error {
	begin := int(start) + bytes.IndexByte(w.body[start:], '"')
	raw := w.body[begin:w.dec.InputOffset()]
	if !utf8.Valid(raw) {
		i := begin + invalidUTF8(raw)
		return gongshi.Invalid(path, fmt.Sprintf("is not valid UTF-8 (byte %d of the body)", i+1), "send the body encoded as UTF-8")
	}
	if esc, ok := unpairedSurrogate(raw); ok {
		return gongshi.Invalid(path, fmt.Sprintf("holds the unpaired surrogate escape %s, which is no character", esc),
			"escape a character outside the Basic Multilingual Plane as a pair (\\ud83d\\ude00), or send it as UTF-8")
	}
	return nil
}

// unpairedSurrogate finds a \uXXXX escape of a surrogate that is not the high half of a
// pair followed by its low half, in a syntactically valid JSON string literal.
func unpairedSurrogate(raw []byte) (string, bool) {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		i++
		if raw[i] != 'u' {
			continue
		}
		r := hex4(raw[i+1 : i+5])
		esc := string(raw[i-1 : i+5])
		i += 4
		if !utf16.IsSurrogate(r) {
			continue
		}
		if r < 0xDC00 && i+6 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
			if lo := hex4(raw[i+3 : i+7]); lo >= 0xDC00 && lo <= 0xDFFF {
				i += 6
				continue
			}
		}
		return esc, true
	}
	return "", false
}

// invalidUTF8 is the offset of the first byte of b that is not part of valid UTF-8.
func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func hex4(b []byte) rune {
	n, _ := strconv.ParseUint(string(b), 16, 32)
	return rune(n)
}

// memberType is the type a member of an object of type t decodes into: nil when anything
// goes (a map of any, an interface). A struct has exactly the members its json tags name.
func memberType(t reflect.Type, name, path string) (reflect.Type, error) {
	t = deref(t)
	if t == nil {
		return nil, nil
	}
	switch t.Kind() {
	case reflect.Map:
		return t.Elem(), nil
	case reflect.Struct:
	default:
		return nil, nil
	}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || tag == "-" {
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		if tag == name {
			return f.Type, nil
		}
		names = append(names, strconv.Quote(tag))
	}
	return nil, gongshi.Invalid(path, "unknown field", "remove it; member names are case-sensitive, and the members here are "+strings.Join(names, ", "))
}

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && t.Kind() == reflect.Interface {
		return nil
	}
	return t
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
