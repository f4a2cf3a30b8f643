package gongshi

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/mail"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/ident"
)

// Normalize checks a record body against the kind's fields and returns it in canonical
// form: strings trimmed, amounts and dates in their one spelling, integers as int64.
// The error names the offending field by its JSON path and says how to fix it.
func (k *Kind) Normalize(body map[string]any) (map[string]any, error) {
	return normalizeObject(k.Fields, body, "")
}

func normalizeObject(fields []Field, obj map[string]any, path string) (map[string]any, error) {
	for name := range obj {
		if findField(fields, name) == nil {
			return nil, Invalid(join(path, name), "unknown field", "remove it; the fields here are "+fieldNames(fields))
		}
	}
	out := make(map[string]any, len(obj))
	for _, f := range fields {
		p := join(path, f.Name)
		v, ok := obj[f.Name]
		if !ok || v == nil || v == "" {
			if f.Required {
				return nil, Invalid(p, "is required", "give "+f.Label+" ("+string(f.Type)+")")
			}
			continue
		}
		n, err := normalizeValue(f, v, p)
		if err != nil {
			return nil, err
		}
		out[f.Name] = n
	}
	return out, nil
}

var (
	amountRE  = regexp.MustCompile(`^[0-9]{1,15}(\.[0-9]{1,6})?$`)
	phoneRE   = regexp.MustCompile(`^\+?[0-9][0-9 -]{4,19}$`)
	postalRE  = regexp.MustCompile(`^[0-9]{6}$`)
	otherIDRE = regexp.MustCompile(`^[A-Z0-9]{5,20}$`)
)

func normalizeValue(f Field, v any, p string) (any, error) {
	str := func() (string, error) { return stringValue(f, v, p) }
	switch f.Type {
	case TypeText:
		s, err := str()
		if err != nil {
			return nil, err
		}
		if s == "" {
			return nil, Invalid(p, "is blank", "give "+f.Label+", or leave the field out")
		}
		return s, nil
	case TypeDate:
		s, err := str()
		if err != nil {
			return nil, err
		}
		if _, err := calendar.ParseDate(s); err != nil {
			return nil, Invalid(p, fmt.Sprintf("%q is not a date", s), "write it as YYYY-MM-DD, e.g. 2026-03-15")
		}
		return s, nil
	case TypeAmount, TypePercent, TypeSignedAmount:
		s, err := str()
		if err != nil {
			return nil, err
		}
		if f.Type == TypeSignedAmount {
			return normalizeSigned(f, s, p)
		}
		if strings.HasPrefix(s, "-") {
			return nil, Invalid(p, "must not be negative", "give an amount of 0 or more")
		}
		if !amountRE.MatchString(s) {
			return nil, Invalid(p, fmt.Sprintf("%q is not an amount", s), "write digits with at most 6 decimals, e.g. 1000.5")
		}
		s = canonicalDecimal(s)
		if f.Type == TypePercent {
			if x, _ := strconv.ParseFloat(s, 64); x > 100 {
				return nil, Invalid(p, "is more than 100 per cent", "give a percentage from 0 to 100")
			}
		}
		return s, nil
	case TypeInteger:
		var s string
		switch n := v.(type) {
		case json.Number:
			s = n.String()
		case string:
			s = n
		case int64:
			return n, nil
		case int:
			return int64(n), nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return nil, Invalid(p, fmt.Sprintf("%v is not a whole number of 0 or more", v), "give a whole number such as 25")
		}
		return n, nil
	case TypeBool:
		b, ok := v.(bool)
		if !ok {
			return nil, Invalid(p, "must be true or false", "send a JSON boolean")
		}
		return b, nil
	case TypeEnum:
		s, err := str()
		if err != nil {
			return nil, err
		}
		for _, e := range f.Enum {
			if s == e {
				return s, nil
			}
		}
		return nil, Invalid(p, fmt.Sprintf("%q is not allowed", s), "use one of "+joinQuoted(f.Enum))
	case TypeCode:
		s, err := str()
		if err != nil {
			return nil, err
		}
		c, err := ident.ParseCode(s)
		if err != nil {
			return nil, Invalid(p, err.Error(), "give a valid 18-character USCC or 15-digit registration number")
		}
		return c.String(), nil
	case TypeRegNo:
		s, err := str()
		if err != nil {
			return nil, err
		}
		r, err := ident.ParseRegNo(s)
		if err != nil {
			return nil, Invalid(p, err.Error(), "give the 15-digit registration number, or leave it out")
		}
		return r.String(), nil
	case TypeIDNo:
		s, err := str()
		if err != nil {
			return nil, err
		}
		s = strings.ToUpper(s)
		if err := checkIDNumber(s); err != nil {
			return nil, Invalid(p, err.Error(), "give the 18-character resident ID number or another document's number (5–20 letters and digits)")
		}
		return s, nil
	case TypePhone:
		s, err := str()
		if err != nil {
			return nil, err
		}
		if !phoneRE.MatchString(s) {
			return nil, Invalid(p, fmt.Sprintf("%q is not a telephone number", s), "write digits, optionally with a leading + and - or spaces, e.g. 021-68881234")
		}
		return s, nil
	case TypeEmail:
		s, err := str()
		if err != nil {
			return nil, err
		}
		a, err := mail.ParseAddress(s)
		if err != nil || a.Address != s || !strings.Contains(s[strings.IndexByte(s, '@')+1:], ".") {
			return nil, Invalid(p, fmt.Sprintf("%q is not an e-mail address", s), "write it as name@example.cn")
		}
		return s, nil
	case TypePostal:
		s, err := str()
		if err != nil {
			return nil, err
		}
		if !postalRE.MatchString(s) {
			return nil, Invalid(p, fmt.Sprintf("%q is not a postal code", s), "write the 6-digit postal code, e.g. 200120")
		}
		return s, nil
	case TypeURL:
		s, err := str()
		if err != nil {
			return nil, err
		}
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, Invalid(p, fmt.Sprintf("%q is not a web address", s), "write the full address starting with https:// or http://")
		}
		return s, nil
	case TypeObject:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, Invalid(p, "must be an object", "send a JSON object with "+fieldNames(f.Fields))
		}
		return normalizeObject(f.Fields, m, p)
	case TypeList:
		items, ok := v.([]any)
		if !ok {
			return nil, Invalid(p, "must be a list", "send a JSON array of objects with "+fieldNames(f.Fields))
		}
		out := make([]any, len(items))
		for i, it := range items {
			m, ok := it.(map[string]any)
			if !ok {
				return nil, Invalid(fmt.Sprintf("%s[%d]", p, i), "must be an object", "send objects with "+fieldNames(f.Fields))
			}
			n, err := normalizeObject(f.Fields, m, fmt.Sprintf("%s[%d]", p, i))
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	}
	return nil, Errorf(EINTERNAL, "field %s has unknown type %q", p, f.Type)
}

// stringValue returns the string v as a clean text (CleanText: the field's rule for text,
// one line for the rest). A number is a string only where the field holds a number (an
// amount or a percentage, whose every digit a JSON number keeps): "name": 12345 is refused,
// never stored as "12345".
func stringValue(f Field, v any, p string) (string, error) {
	switch s := v.(type) {
	case string:
		return CleanText(p, s, f.Text)
	case json.Number:
		if f.Type == TypeAmount || f.Type == TypePercent || f.Type == TypeSignedAmount {
			return s.String(), nil
		}
	}
	return "", Invalid(p, fmt.Sprintf("must be a JSON string (%s), not %s", f.Type, jsonKind(v)), "send it in double quotes, as a JSON string")
}

// checkIDNumber accepts an 18-character resident identity card number with a valid
// GB 11643 check character, or another document number of 5–20 letters and digits.
func checkIDNumber(s string) error {
	if len(s) == 18 && strings.Trim(s[:17], "0123456789") == "" {
		weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
		sum := 0
		for i := 0; i < 17; i++ {
			sum += int(s[i]-'0') * weights[i]
		}
		want := "10X98765432"[sum%11]
		if s[17] != want {
			return fmt.Errorf("check character of resident ID number is %q, should be %q", s[17], want)
		}
		return nil
	}
	if !otherIDRE.MatchString(s) {
		return fmt.Errorf("%d characters that are not an identity document number", len(s))
	}
	return nil
}

// canonicalDecimal drops leading zeros of the integer part and trailing zeros of the
// fraction: "007.500" → "7.5", "0.0" → "0".
func canonicalDecimal(s string) string {
	intPart, frac, _ := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	frac = strings.TrimRight(frac, "0")
	if frac == "" {
		return intPart
	}
	return intPart + "." + frac
}

// Access says which hidden items of a record a caller may see in clear.
type Access struct {
	All   bool            // the publisher, the enterprise itself, a regulator in scope
	Items map[string]bool // top-level non-public fields granted by consent (Art. 9)
}

// View returns what a caller with the given access may see of a body: public fields, plus
// non-public fields the access grants. Personal fields only with All. Hidden fields are
// left out; their salted hashes are in the public document.
func (k *Kind) View(body map[string]any, a Access) map[string]any {
	return viewObject(k.Fields, body, k.widen(body, a), true)
}

func viewObject(fields []Field, obj map[string]any, a Access, top bool) map[string]any {
	out := make(map[string]any, len(obj))
	for _, f := range fields {
		v, ok := obj[f.Name]
		if !ok {
			continue
		}
		switch {
		case f.Visibility == Public:
		case a.All:
		case f.Visibility == NonPublic && top && a.Items[f.Name]:
		default:
			continue
		}
		out[f.Name] = viewValue(f, v, a)
	}
	return out
}

func viewValue(f Field, v any, a Access) any {
	switch f.Type {
	case TypeObject:
		return viewObject(f.Fields, v.(map[string]any), a, false)
	case TypeList:
		items := v.([]any)
		out := make([]any, len(items))
		for i, it := range items {
			out[i] = viewObject(f.Fields, it.(map[string]any), a, false)
		}
		return out
	}
	return v
}

// PublicFields returns the body as the public document holds it: public fields in clear,
// every other field replaced by {"salted_sha256": hex(SHA-256(s ‖ canonical JSON value))}
// where s = HMAC-SHA256(salt, field path). Revealing s for one path proves that field
// without revealing any other.
func (k *Kind) PublicFields(body map[string]any, salt []byte) map[string]any {
	pub := publicObject(k.Fields, body, salt, "")
	k.discloseIn(pub, body)
	return pub
}

func publicObject(fields []Field, obj map[string]any, salt []byte, path string) map[string]any {
	out := make(map[string]any, len(obj))
	for _, f := range fields {
		v, ok := obj[f.Name]
		if !ok {
			continue
		}
		p := join(path, f.Name)
		if f.Visibility != Public {
			out[f.Name] = map[string]any{"salted_sha256": SaltedHash(salt, p, v)}
			continue
		}
		switch f.Type {
		case TypeObject:
			out[f.Name] = publicObject(f.Fields, v.(map[string]any), salt, p)
		case TypeList:
			items := v.([]any)
			l := make([]any, len(items))
			for i, it := range items {
				l[i] = publicObject(f.Fields, it.(map[string]any), salt, fmt.Sprintf("%s[%d]", p, i))
			}
			out[f.Name] = l
		default:
			out[f.Name] = v
		}
	}
	return out
}

// SaltedHash is the hash that stands in a public document for a hidden value at path.
func SaltedHash(salt []byte, path string, v any) string {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(path))
	h := sha256.New()
	h.Write(m.Sum(nil))
	h.Write(mustJSON(v))
	return hex.EncodeToString(h.Sum(nil))
}

// Change is one item of a version's change list (变更事项: item, before, after).
type Change struct {
	Field  string `json:"field"`
	Label  string `json:"label"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// Diff lists the top-level fields whose public form differs between two versions' public
// fields, in the kind's field order. A hidden field shows as changed hash, not its value.
func (k *Kind) Diff(before, after map[string]any) []Change {
	var cs []Change
	for _, f := range k.Fields {
		b, a := before[f.Name], after[f.Name]
		if reflect.DeepEqual(b, a) { // bodies hold only normalised strings, int64s, bools, lists and maps
			continue
		}
		cs = append(cs, Change{Field: f.Name, Label: f.Label, Before: b, After: a})
	}
	return cs
}

func mustJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only maps, slices and scalars of our own making reach here
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func fieldNames(fs []Field) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	return joinQuoted(names)
}

func joinQuoted(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = quote(s)
	}
	return strings.Join(q, ", ")
}

func quote(s string) string { return strconv.Quote(s) }

// jsonKind names a decoded JSON value for a message: "the number 12345", "true",
// "a list".
func jsonKind(v any) string {
	switch x := v.(type) {
	case string:
		return "a string"
	case json.Number, float64, int, int64:
		return fmt.Sprintf("the number %v", x)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "null"
}
