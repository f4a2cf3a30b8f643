package draw_test

import (
	"bytes"
	"testing"

	"github.com/gongshi/gongshi/draw"
)

// Parsers accept only canonical texts: whatever parses re-encodes to the same bytes.

func FuzzParsePopulation(f *testing.F) {
	f.Add([]byte("A\nB\n"))
	f.Add([]byte("B\nA\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, text []byte) {
		codes, err := draw.ParsePopulation(text)
		if err != nil {
			return
		}
		back, err := draw.Population(codes)
		if err != nil || !bytes.Equal(back, text) {
			t.Fatalf("%q parsed but re-encodes to %q (%v)", text, back, err)
		}
	})
}

func FuzzParseResult(f *testing.F) {
	f.Add([]byte("1\tA\tx\ty\n2\tB\tx\tz\n"))
	f.Add([]byte("2\tA\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		as, err := draw.ParseResult(text)
		if err != nil {
			return
		}
		if back := draw.Result(as); !bytes.Equal(back, text) {
			t.Fatalf("%q parsed but re-encodes to %q", text, back)
		}
	})
}

func FuzzParseSeed(f *testing.F) {
	f.Add("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")
	f.Fuzz(func(t *testing.T, s string) {
		seed, err := draw.ParseSeed(s)
		if err == nil && seed.String() != s {
			t.Fatalf("%q parsed as %s", s, seed)
		}
	})
}

func FuzzParseRoster(f *testing.F) {
	f.Add([]byte("a\nb\tX\tY\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		r, err := draw.ParseRoster(text)
		if err != nil {
			return
		}
		back, err := draw.Roster(r)
		if err != nil || !bytes.Equal(back, text) {
			t.Fatalf("%q parsed but re-encodes to %q (%v)", text, back, err)
		}
	})
}
