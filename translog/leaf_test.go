package translog

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var testLeaf = Leaf{
	Kind:        "penalty",
	Subject:     "91310000MA1FL0001X",
	Record:      "r-42",
	Version:     2,
	PublishedAt: time.Date(2026, 5, 1, 9, 2, 3, 456789000, time.FixedZone("CST", 8*3600)),
	SHA256:      strings.Repeat("0a", 32),
}

func TestLeafRoundTrip(t *testing.T) {
	want := `{"kind":"penalty","published_at":"2026-05-01T01:02:03.456789Z","record":"r-42","sha256":"` + strings.Repeat("0a", 32) + `","subject":"91310000MA1FL0001X","version":2}`
	b := testLeaf.MarshalCanonical()
	if string(b) != want {
		t.Fatalf("MarshalCanonical = %s, want %s", b, want)
	}
	l, err := ParseLeaf(b)
	if err != nil {
		t.Fatal(err)
	}
	if !l.PublishedAt.Equal(testLeaf.PublishedAt) || l.Kind != testLeaf.Kind || l.Subject != testLeaf.Subject ||
		l.Record != testLeaf.Record || l.Version != testLeaf.Version || l.SHA256 != testLeaf.SHA256 {
		t.Errorf("ParseLeaf = %+v, want %+v", l, testLeaf)
	}
	// The leaf is also what CanonicalJSON makes of the same members.
	c, _ := CanonicalJSON(map[string]any{"kind": "penalty", "published_at": "2026-05-01T01:02:03.456789Z", "record": "r-42",
		"sha256": strings.Repeat("0a", 32), "subject": "91310000MA1FL0001X", "version": 2})
	if string(c) != want {
		t.Errorf("CanonicalJSON of the members = %s, want %s", c, want)
	}
	// Escapes survive the round trip.
	odd := testLeaf
	odd.Record = "a\"b\\c\n<é>"
	if l, err := ParseLeaf(odd.MarshalCanonical()); err != nil || l.Record != odd.Record {
		t.Errorf("ParseLeaf(odd) = %q, %v; want %q", l.Record, err, odd.Record)
	}
}

func TestParseLeafRejects(t *testing.T) {
	good := string(testLeaf.MarshalCanonical())
	for _, c := range []string{
		"",
		good + "\n",
		" " + good,
		strings.Replace(good, `"kind":"penalty",`, "", 1),
		strings.Replace(good, `{"kind":"penalty",`, `{"kind":"penalty","kind":"penalty",`, 1),
		strings.Replace(good, `"version":2}`, `"version":2,"x":1}`, 1),
		strings.Replace(good, `"version":2`, `"version":2.0`, 1),
		strings.Replace(good, `"version":2`, `"version":0`, 1),
		strings.Replace(good, `"version":2`, `"version":"2"`, 1),
		strings.Replace(good, `.456789Z`, `.456Z`, 1),
		strings.Replace(good, `.456789Z`, `.456789+00:00`, 1),
		strings.Replace(good, `0a0a`, `0A0A`, 1),
		strings.Replace(good, `"r-42"`, `"r\u002d42"`, 1),
		strings.Replace(good, `"r-42"`, `""`, 1),
		strings.Replace(good, `"kind":"penalty","published_at"`, `"published_at"`, 1)[:10],
		`{"published_at":"2026-05-01T01:02:03.456789Z","kind":"penalty","record":"r-42","sha256":"` + strings.Repeat("0a", 32) + `","subject":"91310000MA1FL0001X","version":2}`,
	} {
		if _, err := ParseLeaf([]byte(c)); !errors.Is(err, ErrMalformedLeaf) {
			t.Errorf("ParseLeaf(%s): got error %v, want ErrMalformedLeaf", c, err)
		}
	}
	big := testLeaf
	big.Record = strings.Repeat("x", MaxLeafSize)
	if err := big.Validate(); !errors.Is(err, ErrLeafTooLarge) {
		t.Errorf("Validate(huge leaf): got %v, want ErrLeafTooLarge", err)
	}
	if _, err := ParseLeaf(big.MarshalCanonical()); !errors.Is(err, ErrLeafTooLarge) {
		t.Errorf("ParseLeaf(huge leaf): got %v, want ErrLeafTooLarge", err)
	}
}

func FuzzParseLeaf(f *testing.F) {
	f.Add(testLeaf.MarshalCanonical())
	f.Add([]byte(`{"kind":"a"}`))
	f.Add([]byte(`{"kind":"\u00e9","published_at":"0001-01-01T00:00:00.000000Z","record":"r","sha256":"","subject":"s","version":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseLeaf(data)
		if err != nil {
			return
		}
		if got := l.MarshalCanonical(); string(got) != string(data) {
			t.Fatalf("ParseLeaf accepted %q, which marshals back as %q", data, got)
		}
		if err := l.Validate(); err != nil {
			t.Fatalf("ParseLeaf accepted %q, which does not validate: %v", data, err)
		}
	})
}

func ExampleLeaf_MarshalCanonical() {
	l := Leaf{
		Kind:        "penalty",
		Subject:     "91310000MA1FL0001X",
		Record:      "r-42",
		Version:     1,
		PublishedAt: time.Date(2026, 5, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)),
		SHA256:      DocumentHash([]byte(`{"fine":50000}`)),
	}
	fmt.Println(string(l.MarshalCanonical()))
	// Output:
	// {"kind":"penalty","published_at":"2026-05-01T01:00:00.000000Z","record":"r-42","sha256":"b4c3682f1a5154728b5690bc14d4be7a0d4bb6a90f2668e8be839fcec5c39f7f","subject":"91310000MA1FL0001X","version":1}
}
