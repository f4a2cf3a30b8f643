package ident

import (
	"errors"
	"testing"
)

func seeds(f *testing.F) {
	for _, tt := range realUSCCs {
		f.Add(tt.code)
	}
	for _, tt := range realRegNos {
		f.Add(tt.code)
	}
	for _, tt := range realOrgCodes {
		f.Add(tt.code)
	}
	for _, s := range []string{"", "9144030071526726xg", "d2143569-x", "91440300192203821X", "９１", "19220382 1", "\xff\xfe", "1922038-21"} {
		f.Add(s)
	}
}

// checkErr checks that a parse error is an *Error whose message can be built.
func checkErr(t *testing.T, in string, err error) {
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("parse %q: error %T %v, want *Error", in, err, err)
	}
	if e.Input != in || e.Error() == "" {
		t.Fatalf("parse %q: bad error %+v", in, e)
	}
}

func FuzzParseUSCC(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUSCC(s)
		if err != nil {
			checkErr(t, s, err)
			return
		}
		u2, err := ParseUSCC(u.String())
		if err != nil || u2 != u || u.String() != u2.String() {
			t.Fatalf("ParseUSCC(%q) = %v; reparsed: %v, %v", s, u, u2, err)
		}
		if !refUSCCValid(u.String()) {
			t.Fatalf("ParseUSCC accepted %q; the reference rejects it", s)
		}
	})
}

func FuzzParseRegNo(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRegNo(s)
		if err != nil {
			checkErr(t, s, err)
			return
		}
		r2, err := ParseRegNo(r.String())
		if err != nil || r2 != r || r.String() != s {
			t.Fatalf("ParseRegNo(%q) = %v; reparsed: %v, %v", s, r, r2, err)
		}
		if !refRegNoValid(s) {
			t.Fatalf("ParseRegNo accepted %q; the reference rejects it", s)
		}
	})
}

func FuzzParseOrgCode(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseOrgCode(s)
		if err != nil {
			checkErr(t, s, err)
			return
		}
		for _, form := range []string{o.String(), o.Hyphenated()} {
			o2, err := ParseOrgCode(form)
			if err != nil || o2 != o {
				t.Fatalf("ParseOrgCode(%q) = %v; reparsed %q: %v, %v", s, o, form, o2, err)
			}
		}
		if !refOrgValid(o.String()) {
			t.Fatalf("ParseOrgCode accepted %q; the reference rejects it", s)
		}
	})
}

func FuzzParseCode(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			checkErr(t, s, err)
			if !c.IsZero() {
				t.Fatalf("ParseCode(%q) = %v with error %v, want the zero Code", s, c, err)
			}
			return
		}
		text, err := c.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var c2 Code
		if err := c2.UnmarshalText(text); err != nil || c2 != c {
			t.Fatalf("ParseCode(%q) = %v; UnmarshalText(%q) = %v, %v", s, c, text, c2, err)
		}
		var c3 Code
		if err := c3.Scan(c.String()); err != nil || c3 != c {
			t.Fatalf("ParseCode(%q) = %v; Scan = %v, %v", s, c, c3, err)
		}
	})
}
