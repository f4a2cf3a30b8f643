package gongshi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/translog"
)

// Every answer the register gives is read from the logged documents (DESIGN.md, "Reads"):
// a version is stored as the exact bytes of its document, whose SHA-256 its log leaf
// names, plus the values the document holds only as salted hashes (its private values).
// OpenVersion turns those into a Version; nothing else is stored of a version, so nothing
// else can be served, and `gongshi verify` covers every answer.

// StoredVersion is one version as the store keeps it: the exact bytes of its logged
// document and, for a reader that may see hidden fields, its private values and its
// record's salt.
type StoredVersion struct {
	LogIndex int64
	Document []byte
	// Private is the canonical JSON object {path: value} of the values the document holds
	// only as salted hashes (Kind.PublicFields); nil when there are none or when they were
	// not read.
	Private []byte
	// Salt is the record's salt; nil when Private was not read.
	Salt []byte
}

// ParseDocument reads a logged record document (DocumentType, see Version.Seal) or draw
// document (SpotCheckDocumentType) into the version it publishes: everything but LogIndex,
// Body, Fields and Withdrawn. A document that is not of that shape is an EINTERNAL error:
// only the register writes documents.
func ParseDocument(doc []byte) (*Version, error) {
	if l, ok := StandIn(doc); ok {
		v := WithdrawnVersion(l, 0)
		v.Document, v.public = doc, map[string]any{}
		return v, nil
	}
	d, err := readDocument(doc)
	if err != nil {
		return nil, Errorf(EINTERNAL, "document %s: %v", translog.DocumentHash(doc), err)
	}
	published, err := time.Parse(time.RFC3339Nano, d.PublishedAt)
	if err != nil || d.Kind == "" || d.Record == "" || d.Version < 1 {
		return nil, Errorf(EINTERNAL, "document %s: not a record document (kind %q, record %q, version %d, published_at %q)", translog.DocumentHash(doc), d.Kind, d.Record, d.Version, d.PublishedAt)
	}
	arose, err1 := optionalDate(d.Arose)
	due, err2 := optionalDate(d.Due)
	if err1 != nil || err2 != nil {
		return nil, Errorf(EINTERNAL, "document %s: arose %q, due %q: not dates", translog.DocumentHash(doc), d.Arose, d.Due)
	}
	v := &Version{Record: d.Record, Kind: d.Kind, Version: d.Version, Arose: arose, PublishedAt: published,
		Due: due, OnTime: d.OnTime, Policy: d.Policy, Publisher: d.Publisher, Reason: d.Reason, Changes: d.Changes,
		Previous: d.Previous, Provisional: d.Provisional, SHA256: translog.DocumentHash(doc), Document: doc}
	switch d.Type {
	case DocumentType:
		if d.Subject == nil || d.Subject.USCC == "" && !(AboutNoEnterprise(d.Kind) && d.Subject.Division != "") || d.Fields == nil {
			return nil, Errorf(EINTERNAL, "document %s: no subject or fields", v.SHA256)
		}
		v.Subject, v.SubjectName, v.public = d.Subject.USCC, d.Subject.Name, d.Fields
		if v.Subject == "" {
			v.Subject = d.Subject.Division
		}
	case SpotCheckDocumentType:
		var body map[string]any
		dec := json.NewDecoder(bytes.NewReader(doc))
		dec.UseNumber()
		if err := dec.Decode(&body); err != nil {
			return nil, Errorf(EINTERNAL, "document %s: %v", v.SHA256, err)
		}
		for _, k := range []string{"type", "kind", "record", "version", "published_at", "publisher", "previous"} {
			delete(body, k)
		}
		normalizeNumbers(body)
		v.Subject, v.SubjectName, v.public, v.OnTime = d.Jurisdiction, d.Title, body, true
	default:
		return nil, Errorf(EINTERNAL, "document %s: unknown type %q", v.SHA256, d.Type)
	}
	return v, nil
}

// StandIn reports whether doc is the stand-in of a document the store never received, and
// returns the leaf it stands for. A register loaded from a snapshot (gongshi import) has
// no document of a version withdrawn from public view before the snapshot was made — the
// snapshot carries only its leaf — so it keeps the leaf's canonical JSON in the
// document's place: ParseDocument opens it as what the leaf says (WithdrawnVersion), its
// leaf is the same, and nothing can be revealed of it. `gongshi verify` refuses a stand-in
// of a version that is not withdrawn.
func StandIn(doc []byte) (translog.Leaf, bool) {
	if !bytes.HasPrefix(doc, []byte(`{"kind":`)) {
		return translog.Leaf{}, false // record and draw documents have members sorted before kind
	}
	l, err := translog.ParseLeaf(doc)
	return l, err == nil
}

// optionalDate parses a date that may be absent ("").
func optionalDate(s string) (calendar.Date, error) {
	if s == "" {
		return calendar.Date{}, nil
	}
	return calendar.ParseDate(s)
}

type docSubject struct {
	USCC     string `json:"uscc"`
	Division string `json:"division"` // of a record about no enterprise
	Name     string `json:"name"`
}

// OpenVersion reads a stored version. With reveal, Body is the full body: every hidden
// value is taken from the private values and checked against the salted hash its document
// holds, and a value missing or not matching is an EINTERNAL error (the store was changed
// behind the log's back: never served). Without, Body holds the public fields only. A
// record with an empty salt and no private values was loaded from a snapshot (gongshi
// import), which carries no hidden values: it reveals only its public fields.
func OpenVersion(sv StoredVersion, reveal bool) (*Version, error) {
	if reveal && sv.Private == nil && len(sv.Salt) == 0 {
		reveal = false
	}
	v, err := ParseDocument(sv.Document)
	if err != nil {
		return nil, err
	}
	v.LogIndex = sv.LogIndex
	if v.Kind == KindDraw {
		v.Body = v.public
		return v, nil
	}
	k, err := LookupKind(v.Kind)
	if err != nil {
		return nil, Errorf(EINTERNAL, "document %s: %v", v.SHA256, err)
	}
	if !reveal {
		v.Body, err = k.publicBody(v.public)
	} else {
		v.Body, err = k.reveal(v.public, sv.Private, sv.Salt)
	}
	if err != nil {
		return nil, Errorf(EINTERNAL, "version %d (document %s): %v", sv.LogIndex, v.SHA256, err)
	}
	return v, nil
}

// LeafOf returns the log leaf of a document: every member of a leaf is in its document,
// so the leaf is never stored apart from it.
func LeafOf(doc []byte) (translog.Leaf, error) {
	v, err := ParseDocument(doc)
	if err != nil {
		return translog.Leaf{}, err
	}
	return v.Leaf(), nil
}

// normalizeNumbers turns the json.Numbers of a decoded body into the int64 values
// Kind.Normalize produces (bodies hold no other numbers).
func normalizeNumbers(m map[string]any) {
	for k, v := range m {
		m[k] = normalizeNumber(v)
	}
}

func normalizeNumber(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
	case map[string]any:
		normalizeNumbers(x)
	case []any:
		for i, it := range x {
			x[i] = normalizeNumber(it)
		}
	}
	return v
}

// PrivateValues returns the canonical JSON of the values of body that pub holds only as
// salted hashes, by path; nil when there are none.
func (k *Kind) PrivateValues(body map[string]any) []byte {
	priv := map[string]any{}
	collectPrivate(k.Fields, body, k.disclosed(body), "", priv)
	if len(priv) == 0 {
		return nil
	}
	b, err := translog.CanonicalJSON(priv)
	if err != nil {
		panic(err) // bodies are normalised: only strings, int64s, bools, lists and maps
	}
	return b
}

func collectPrivate(fields []Field, obj map[string]any, disclosed map[string]bool, path string, priv map[string]any) {
	for _, f := range fields {
		v, ok := obj[f.Name]
		if !ok {
			continue
		}
		p := join(path, f.Name)
		switch {
		case f.Visibility != Public && !(path == "" && disclosed[f.Name]):
			priv[p] = v
		case f.Type == TypeObject:
			collectPrivate(f.Fields, v.(map[string]any), nil, p, priv)
		case f.Type == TypeList:
			for i, it := range v.([]any) {
				collectPrivate(f.Fields, it.(map[string]any), nil, fmt.Sprintf("%s[%d]", p, i), priv)
			}
		}
	}
}

// disclosed returns the top-level non-public fields a body makes public (Hooks.Disclosed).
func (k *Kind) disclosed(body map[string]any) map[string]bool {
	if k.Disclosed == nil {
		return nil
	}
	out := map[string]bool{}
	for n := range k.Disclosed(body) {
		if f := k.Field(n); f != nil && f.Visibility == NonPublic {
			out[n] = true
		}
	}
	return out
}

// publicBody is the body as the public may see it: a document's fields without the
// salted hashes of hidden values.
func (k *Kind) publicBody(pub map[string]any) (map[string]any, error) {
	return openObject(k.Fields, pub, "", nil, nil, nil)
}

// reveal is the full body: a document's fields with every salted hash replaced by its
// private value, each checked against the hash.
func (k *Kind) reveal(pub map[string]any, private, salt []byte) (map[string]any, error) {
	priv := map[string]any{}
	if private != nil {
		var err error
		if priv, err = readPrivate(private); err != nil {
			return nil, fmt.Errorf("private values: %v", err)
		}
	}
	used := map[string]bool{}
	body, err := openObject(k.Fields, pub, "", priv, salt, used)
	if err != nil {
		return nil, err
	}
	for p := range priv {
		if !used[p] {
			return nil, fmt.Errorf("private value of %s has no salted hash in the document", p)
		}
	}
	return body, nil
}

// openObject walks a document's fields. A hidden value stands as {"salted_sha256": h}:
// with used nil it is left out; otherwise it is replaced by priv[path], which must hash to
// h under salt.
func openObject(fields []Field, pub map[string]any, path string, priv map[string]any, salt []byte, used map[string]bool) (map[string]any, error) {
	out := make(map[string]any, len(pub))
	for name := range pub {
		if findField(fields, name) == nil {
			return nil, fmt.Errorf("field %s is not a field of its kind", join(path, name))
		}
	}
	for _, f := range fields {
		v, ok := pub[f.Name]
		if !ok {
			continue
		}
		p := join(path, f.Name)
		if h, hidden := saltedHashOf(v); hidden && f.Visibility != Public {
			if used == nil {
				continue
			}
			val, ok := priv[p]
			if !ok {
				return nil, fmt.Errorf("the private value of %s is missing", p)
			}
			if SaltedHash(salt, p, val) != h {
				return nil, fmt.Errorf("the private value of %s does not match its salted hash", p)
			}
			used[p] = true
			out[f.Name] = val
			continue
		}
		n, err := openValue(f, v, p, priv, salt, used)
		if err != nil {
			return nil, err
		}
		out[f.Name] = n
	}
	return out, nil
}

func openValue(f Field, v any, p string, priv map[string]any, salt []byte, used map[string]bool) (any, error) {
	switch f.Type {
	case TypeObject:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("field %s is %s, not an object", p, jsonKind(v))
		}
		return openObject(f.Fields, m, p, priv, salt, used)
	case TypeList:
		items, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("field %s is %s, not a list", p, jsonKind(v))
		}
		out := make([]any, len(items))
		for i, it := range items {
			m, ok := it.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("field %s[%d] is %s, not an object", p, i, jsonKind(it))
			}
			o, err := openObject(f.Fields, m, fmt.Sprintf("%s[%d]", p, i), priv, salt, used)
			if err != nil {
				return nil, err
			}
			out[i] = o
		}
		return out, nil
	}
	return v, nil
}

// saltedHashOf reports whether v is the stand-in {"salted_sha256": h} of a hidden value.
func saltedHashOf(v any) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return "", false
	}
	h, ok := m["salted_sha256"].(string)
	return h, ok
}
