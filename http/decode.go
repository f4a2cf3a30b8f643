package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/gongshi/gongshi"
)

// decode reads r's body as exactly one JSON value into v. Decoding is strict: the body is
// UTF-8 JSON (a charset other than UTF-8 and a UTF-16 body are 415, a byte-order mark is
// 400), checkJSON refuses duplicate members, broken strings and members v does not have,
// and numbers stay json.Number, which gongshi.Kind.Normalize expects so that amounts keep
// every digit. Every error is EINVALID with the field and a fix, except a body over the
// limit (413) and a body that is not UTF-8 JSON (415).
func decode(r *http.Request, v any) error {
	if err := checkContentType(r.Header.Get("Content-Type")); err != nil {
		return err
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err // a MaxBytesError (413) or the client gone
	}
	if err := checkEncoding(body); err != nil {
		return err
	}
	if err := checkJSON(body, reflect.TypeOf(v)); err != nil {
		return decodeError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	// A second value, even whitespace-separated, means the client sent something else
	// than it thinks it sent.
	if _, err := dec.Token(); err != io.EOF {
		return gongshi.Invalid("", "the body holds more than one JSON value", "send exactly one JSON object")
	}
	return nil
}

// checkContentType accepts no Content-Type, or JSON in UTF-8 (RFC 8259 §8.1: JSON
// exchanged between systems is UTF-8; a charset parameter, if any, must say so).
func checkContentType(ct string) error {
	if ct == "" {
		return nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return &httpError{status: http.StatusUnsupportedMediaType, kind: probMediaType,
			detail: fmt.Sprintf("the body is %q, not JSON", ct), fix: "send Content-Type: application/json"}
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return &httpError{status: http.StatusUnsupportedMediaType, kind: probMediaType,
			detail: fmt.Sprintf("the body is in charset %q; the API reads UTF-8 only", cs),
			fix:    "send the body encoded as UTF-8, with Content-Type: application/json"}
	}
	return nil
}

// checkEncoding refuses a body that starts with a byte-order mark: UTF-16 (415) or UTF-8's
// (400, RFC 8259 §8.1: senders must not add one).
func checkEncoding(body []byte) error {
	switch {
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}), bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return &httpError{status: http.StatusUnsupportedMediaType, kind: probMediaType,
			detail: "the body is UTF-16; the API reads UTF-8 only", fix: "send the body encoded as UTF-8"}
	case bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")):
		return gongshi.Invalid("", "the body starts with a byte-order mark (U+FEFF)", "send the JSON without a byte-order mark (RFC 8259 §8.1)")
	}
	return nil
}

// decodeError explains a json.Decoder error in terms of the request body.
func decodeError(err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
		mbe *http.MaxBytesError
	)
	switch {
	case errors.As(err, &mbe), gongshi.AsError(err) != nil:
		return err
	case errors.Is(err, io.EOF):
		return gongshi.Invalid("", "the request body is empty", "send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return gongshi.Invalid("", "the JSON body ends too early", "send a complete JSON object")
	case errors.As(err, &syn):
		return gongshi.Invalid("", fmt.Sprintf("malformed JSON at byte %d: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "json: ")),
			"send a valid JSON object")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return gongshi.Invalid("", fmt.Sprintf("the body is a JSON %s, not an object", typ.Value), "send a JSON object")
		}
		return gongshi.Invalid(field, fmt.Sprintf("must be %s, not the JSON %s", jsonTypeName(typ.Type.Kind().String()), typ.Value),
			"send the right JSON type for "+field)
	}
	// encoding/json reports an unknown member only as text: `json: unknown field "x"`.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return gongshi.Invalid(name, "unknown field", "remove it; see the request schema in /api/openapi.json")
	}
	return gongshi.Invalid("", "cannot read the JSON body: "+err.Error(), "send a valid JSON object")
}

func jsonTypeName(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "map", "struct":
		return "an object"
	case "slice", "array":
		return "a list"
	case "bool":
		return "true or false"
	}
	if strings.HasPrefix(goKind, "int") || strings.HasPrefix(goKind, "uint") {
		return "a whole number"
	}
	if strings.HasPrefix(goKind, "float") {
		return "a number"
	}
	return "a " + goKind
}

// writeJSON answers with v as JSON. HTML escaping is off: names such as "A&B 有限公司"
// stay readable, and the API is never embedded in HTML unescaped.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only values of our own making reach here; a failure is a bug worth a 500.
		panic(fmt.Sprintf("encode response: %v", err))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
