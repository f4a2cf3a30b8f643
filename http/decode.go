package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gongshi/gongshi"
)

// decode reads r's body as exactly one JSON value into v. Decoding is strict: an unknown
// member is an error naming it, and numbers stay json.Number, which gongshi.Kind.Normalize
// expects so that amounts keep every digit. Every error is EINVALID with the field and a
// fix, except a body over the limit (413) and a body that is not JSON (415).
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return &httpError{status: http.StatusUnsupportedMediaType, kind: probMediaType,
				detail: fmt.Sprintf("the body is %q, not JSON", ct), fix: "send Content-Type: application/json"}
		}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	// A second value, even whitespace-separated, means the client sent something else
	// than it thinks it sent.
	if _, err := dec.Token(); err != io.EOF {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return gongshi.Invalid("", "the body holds more than one JSON value", "send exactly one JSON object")
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
	case errors.As(err, &mbe):
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
		return gongshi.Invalid(field, fmt.Sprintf("must be %s, not a JSON %s", jsonTypeName(typ.Type.Kind().String()), typ.Value),
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
	if strings.HasPrefix(goKind, "int") || strings.HasPrefix(goKind, "uint") || strings.HasPrefix(goKind, "float") {
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
