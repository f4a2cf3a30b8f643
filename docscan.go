package gongshi

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// Reading a record document with encoding/json (reflection into a struct, then a generic
// map walked again to turn json.Numbers into int64s) was a quarter of the CPU time of a bulk
// load, where every amendment re-reads its record's versions and every page row reads its
// enterprise's. The register writes its documents as canonical JSON (translog.CanonicalJSON)
// of one shape, so scanDocument reads that shape directly, building the body's maps with
// their numbers already normalised. It reads only what it is sure of: members named exactly
// as the decoder's fields (each once), strings, integers written as JSON writes them,
// nesting under scanMaxDepth, nothing after the object. Anything else — a draw document, an
// escape it cannot place, a fraction, a member in another case — it leaves to
// decodeDocument, the decoder, so that every document reads exactly as the decoder reads
// it (FuzzScanDocument, TestScanDemoDocuments).

// document is the members of a logged document that ParseDocument reads.
type document struct {
	Type        string            `json:"type"`
	Kind        string            `json:"kind"`
	Record      string            `json:"record"`
	Version     int               `json:"version"`
	Subject     *docSubject       `json:"subject"`
	Arose       string            `json:"arose"`
	PublishedAt string            `json:"published_at"`
	Due         string            `json:"due"`
	OnTime      bool              `json:"on_time"`
	Policy      string            `json:"policy"`
	Publisher   Authority         `json:"publisher"`
	Reason      string            `json:"reason"`
	Changes     []Change          `json:"changes"`
	Previous    string            `json:"previous"`
	Provisional *ProvisionalDates `json:"provisional"`
	// Fields holds int64s where the document has integers (normalizeNumbers).
	Fields map[string]any `json:"fields"`
	// Draw documents hold their body at the top level.
	Jurisdiction string `json:"jurisdiction"`
	Title        string `json:"title"`
}

// readDocument reads doc's members: by scanDocument if it can, else by decodeDocument.
func readDocument(doc []byte) (document, error) {
	if d, ok := scanDocument(doc); ok {
		return d, nil
	}
	return decodeDocument(doc)
}

// decodeDocument reads doc's members with encoding/json.
func decodeDocument(doc []byte) (document, error) {
	var d document
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil {
		return document{}, err
	}
	normalizeNumbers(d.Fields)
	return d, nil
}

// readPrivate reads a version's private values (canonical JSON, Kind.PrivateValues) as
// decoding them into a map[string]any with UseNumber and normalizeNumbers does: by the
// scan if it can, else by the decoder.
func readPrivate(b []byte) (map[string]any, error) {
	s := &docScanner{b: b}
	if m, ok := s.generic(true).(map[string]any); ok {
		if s.space(); s.i == len(b) {
			return m, nil
		}
	}
	return decodePrivate(b)
}

func decodePrivate(b []byte) (map[string]any, error) {
	m := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	normalizeNumbers(m)
	return m, nil
}

// scanMaxDepth bounds the nesting scanDocument follows; documents nest a few levels.
const scanMaxDepth = 64

// docScanner reads JSON values from b at i. Every method returns false on anything it
// does not read exactly as encoding/json would.
type docScanner struct {
	b     []byte
	i     int
	depth int
}

// scanDocument reads a record document (DocumentType) as decodeDocument does; ok is false
// when it is not sure to (see above).
func scanDocument(doc []byte) (d document, ok bool) {
	s := &docScanner{b: doc}
	var seen uint32
	ok = s.object(func(key string) bool {
		if once(&seen, documentKeys, key) < 0 {
			return false
		}
		var ok bool
		switch key {
		case "type":
			d.Type, ok = s.str()
		case "kind":
			d.Kind, ok = s.str()
		case "record":
			d.Record, ok = s.str()
		case "version":
			d.Version, ok = s.int()
		case "subject":
			d.Subject = &docSubject{}
			ok = s.strings(subjectKeys, &d.Subject.USCC, &d.Subject.Division, &d.Subject.Name)
		case "arose":
			d.Arose, ok = s.str()
		case "published_at":
			d.PublishedAt, ok = s.str()
		case "due":
			d.Due, ok = s.str()
		case "on_time":
			d.OnTime, ok = s.bool()
		case "policy":
			d.Policy, ok = s.str()
		case "publisher":
			var role string
			ok = s.strings(publisherKeys, &d.Publisher.Account, &role, &d.Publisher.Name, &d.Publisher.Jurisdiction)
			d.Publisher.Role = Role(role)
		case "reason":
			d.Reason, ok = s.str()
		case "changes":
			d.Changes, ok = s.changes()
		case "previous":
			d.Previous, ok = s.str()
		case "provisional":
			d.Provisional, ok = s.provisional()
		case "fields":
			var m map[string]any
			if m, ok = s.generic(true).(map[string]any); !ok {
				return false
			}
			d.Fields = m
		case "jurisdiction":
			d.Jurisdiction, ok = s.str()
		case "title":
			d.Title, ok = s.str()
		}
		return ok
	})
	s.space()
	if !ok || s.i != len(doc) || d.Type != DocumentType {
		return document{}, false
	}
	return d, true
}

// The member names each object of a document may have, each at most once.
var (
	documentKeys = []string{"type", "kind", "record", "version", "subject", "arose", "published_at", "due", "on_time",
		"policy", "publisher", "reason", "changes", "previous", "provisional", "fields", "jurisdiction", "title"}
	subjectKeys     = []string{"uscc", "division", "name"}
	publisherKeys   = []string{"account", "role", "name", "jurisdiction"}
	changeKeys      = []string{"field", "label", "before", "after"}
	provisionalKeys = []string{"year", "dates"}
)

// once returns the index in keys of key, not met before in this object, and marks it met in
// seen (a bit per key); -1 for a key unknown, or met a second time.
func once(seen *uint32, keys []string, key string) int {
	for i, k := range keys {
		if k == key && *seen&(1<<i) == 0 {
			*seen |= 1 << i
			return i
		}
	}
	return -1
}

func (s *docScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek returns the next byte after white space, 0 at the end.
func (s *docScanner) peek() byte {
	s.space()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// object reads an object, calling member with each key; member reads the value.
func (s *docScanner) object(member func(key string) bool) bool {
	return s.sequence('{', '}', func() bool {
		if s.peek() != '"' {
			return false
		}
		key, ok := s.str()
		if !ok || s.peek() != ':' {
			return false
		}
		s.i++
		return member(key)
	})
}

// array reads an array, calling item to read each element.
func (s *docScanner) array(item func() bool) bool { return s.sequence('[', ']', item) }

// sequence reads start, the elements item reads separated by commas, and end.
func (s *docScanner) sequence(start, end byte, item func() bool) bool {
	if s.peek() != start || s.depth == scanMaxDepth {
		return false
	}
	s.i++
	s.depth++
	defer func() { s.depth-- }()
	if s.peek() == end {
		s.i++
		return true
	}
	for {
		if !item() {
			return false
		}
		switch s.peek() {
		case ',':
			s.i++
		case end:
			s.i++
			return true
		default:
			return false
		}
	}
}

// str reads a string. One without escapes, control characters or bad UTF-8 is its bytes;
// any other is left to encoding/json.
func (s *docScanner) str() (string, bool) {
	if s.peek() != '"' {
		return "", false
	}
	start, plain, ascii := s.i, true, true
	for j := start + 1; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '\\':
			plain = false
			j++
		case c == '"':
			s.i = j + 1
			raw := s.b[start : j+1]
			if plain && (ascii || utf8.Valid(raw)) {
				return string(raw[1 : len(raw)-1]), true
			}
			var v string
			return v, json.Unmarshal(raw, &v) == nil
		case c < 0x20:
			plain = false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", false
}

// integer reads a number written as JSON writes an integer: -?(0|[1-9][0-9]*). A
// fraction or exponent after it fails the caller's check of what follows a value.
func (s *docScanner) integer() (string, bool) {
	s.space()
	j := s.i
	if j < len(s.b) && s.b[j] == '-' {
		j++
	}
	digits := j
	for j < len(s.b) && '0' <= s.b[j] && s.b[j] <= '9' {
		j++
	}
	if j == digits || s.b[digits] == '0' && j-digits > 1 {
		return "", false
	}
	lit := string(s.b[s.i:j])
	s.i = j
	return lit, true
}

func (s *docScanner) int() (int, bool) {
	lit, ok := s.integer()
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(lit)
	return n, err == nil
}

func (s *docScanner) bool() (bool, bool) {
	s.space()
	switch {
	case bytes.HasPrefix(s.b[s.i:], []byte("true")):
		s.i += 4
		return true, true
	case bytes.HasPrefix(s.b[s.i:], []byte("false")):
		s.i += 5
		return false, true
	}
	return false, false
}

// strings reads an object of string members, each one of keys and given once, into the
// string of the same index in into.
func (s *docScanner) strings(keys []string, into ...*string) bool {
	var seen uint32
	return s.object(func(key string) bool {
		i := once(&seen, keys, key)
		if i < 0 {
			return false
		}
		var ok bool
		*into[i], ok = s.str()
		return ok
	})
}

func (s *docScanner) changes() ([]Change, bool) {
	out := []Change{}
	ok := s.array(func() bool {
		var c Change
		var seen uint32
		ok := s.object(func(key string) bool {
			if once(&seen, changeKeys, key) < 0 {
				return false
			}
			var ok bool
			switch key {
			case "field":
				c.Field, ok = s.str()
			case "label":
				c.Label, ok = s.str()
			case "before":
				c.Before = s.generic(false)
				ok = c.Before != errValue
			case "after":
				c.After = s.generic(false)
				ok = c.After != errValue
			}
			return ok
		})
		out = append(out, c)
		return ok
	})
	return out, ok
}

func (s *docScanner) provisional() (*ProvisionalDates, bool) {
	p := &ProvisionalDates{}
	var seen uint32
	ok := s.object(func(key string) bool {
		if once(&seen, provisionalKeys, key) < 0 {
			return false
		}
		var ok bool
		switch key {
		case "year":
			p.Year, ok = s.int()
		case "dates":
			p.Dates = []string{}
			ok = s.array(func() bool {
				d, ok := s.str()
				p.Dates = append(p.Dates, d)
				return ok
			})
		}
		return ok
	})
	return p, ok
}

// errValue is what generic returns for a value it does not read.
var errValue any = struct{}{}

// generic reads any value as encoding/json decodes it into an any with UseNumber; with
// normalize, integers that fit are int64s (normalizeNumbers).
func (s *docScanner) generic(normalize bool) any {
	switch c := s.peek(); {
	case c == '{':
		m := map[string]any{}
		ok := s.object(func(key string) bool {
			v := s.generic(normalize)
			m[key] = v
			return v != errValue
		})
		if !ok {
			return errValue
		}
		return m
	case c == '[':
		l := []any{}
		ok := s.array(func() bool {
			v := s.generic(normalize)
			l = append(l, v)
			return v != errValue
		})
		if !ok {
			return errValue
		}
		return l
	case c == '"':
		v, ok := s.str()
		if !ok {
			return errValue
		}
		return v
	case c == 't' || c == 'f':
		v, ok := s.bool()
		if !ok {
			return errValue
		}
		return v
	case c == 'n':
		if !bytes.HasPrefix(s.b[s.i:], []byte("null")) {
			return errValue
		}
		s.i += 4
		return nil
	case c == '-' || '0' <= c && c <= '9':
		lit, ok := s.integer()
		if !ok {
			return errValue
		}
		if normalize {
			if n, err := strconv.ParseInt(lit, 10, 64); err == nil {
				return n
			}
		}
		return json.Number(lit)
	}
	return errValue
}
