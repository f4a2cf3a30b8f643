package gongshi

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

// CleanText passes printable ASCII without checkChars and NFC (printableASCII): every such
// character must pass the one and be its own NFC, and every other byte must take the full
// path.
func TestPrintableASCIIIsClean(t *testing.T) {
	for c := 0; c < 256; c++ {
		s := "a" + string([]byte{byte(c)}) + "b"
		fast := printableASCII(s)
		if fast != (c >= ' ' && c <= '~') {
			t.Errorf("printableASCII(%q) = %v", s, fast)
		}
		if !fast {
			continue
		}
		if err := checkChars("f", s, false); err != nil {
			t.Errorf("%q: %v", s, err)
		}
		if !norm.NFC.IsNormalString(s) {
			t.Errorf("%q is not its own NFC", s)
		}
		if got, err := CleanText("f", " "+s+" ", TextLine); got != s || err != nil {
			t.Errorf("CleanText(%q) = %q, %v", " "+s+" ", got, err)
		}
	}
	if _, err := CleanText("f", "a\x7fb", TextLine); err == nil {
		t.Error("DEL passed")
	}
}
