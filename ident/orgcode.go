package ident

import "unicode/utf8"

// OrgCode is an organisation code (组织机构代码), GB 11714-1997, the identifier of an
// organisation before the USCC and the entity identifier in positions 9–17 of every USCC.
// The zero OrgCode is no code; every other value is valid.
//
// An organisation code has 8 characters over 0-9 and A-Z, then a check character C9, usually
// written after a hyphen: D2143569-X. With the values 0–9 for digits and A = 10 … Z = 35, and
// the weights 3 7 9 10 5 8 4 2 of positions 1–8,
//
//	C9 = 11 − (Σ Ci·Wi mod 11), written X when it is 10 and 0 when it is 11.
//
// The canonical form, returned by String and stored by Value, is the 9 characters without the
// hyphen, as the code appears inside a USCC; Hyphenated gives the printed form.
type OrgCode struct{ b [9]byte }

// ParseOrgCode parses an organisation code of 9 characters, or 10 with a hyphen before the
// check character. Lower-case letters are accepted and upper-cased.
//
// Errors are *Error with Kind KindOrgCode, checked in this order: ProblemLength; ProblemChar
// for a character other than 0-9 A-Z in positions 1–8, a 10-character input without its
// hyphen at position 9, or a check character other than 0-9 X; ProblemCheck at the check
// character's position (9, or 10 with the hyphen). As ParseUSCC, on a check error alone it
// returns the code as written along with the error.
func ParseOrgCode(s string) (OrgCode, error) {
	var o OrgCode
	n := utf8.RuneCountInString(s)
	if n != 9 && n != 10 {
		return o, lengthError(KindOrgCode, s)
	}
	if i := firstNonASCII(s); i >= 0 {
		return o, charError(KindOrgCode, s, i, hintOrg)
	}
	for i := 0; i < 8; i++ {
		if orgValue[s[i]] < 0 {
			return OrgCode{}, charError(KindOrgCode, s, i, hintOrg)
		}
		o.b[i] = upper(s[i])
	}
	check := 8
	if n == 10 {
		if s[8] != '-' {
			return OrgCode{}, charError(KindOrgCode, s, 8, hintOrgDash)
		}
		check = 9
	}
	c := upper(s[check])
	if c != 'X' && (c < '0' || c > '9') {
		return OrgCode{}, charError(KindOrgCode, s, check, hintOrgCheck)
	}
	o.b[8] = c
	if want := orgCheck(o.b[:8]); c != want {
		return o, &Error{Kind: KindOrgCode, Input: s, Problem: ProblemCheck, Pos: check + 1, Got: rune(s[check]), Want: rune(want)}
	}
	return o, nil
}

// OrgCodeCheckChar returns the check character of the 8-character body of an organisation
// code: 0-9 or X. The body's characters must be 0-9 or A-Z (either case). The error is an
// *Error with Kind KindOrgCode: ProblemLength or ProblemChar.
func OrgCodeCheckChar(body string) (byte, error) {
	if err := checkLength(KindOrgCode, body, 8, hintOrg); err != nil {
		err.wantLen = "8 (an organisation code without its check character)"
		return 0, err
	}
	var b [8]byte
	for i := 0; i < 8; i++ {
		if orgValue[body[i]] < 0 {
			return 0, charError(KindOrgCode, body, i, hintOrg)
		}
		b[i] = body[i]
	}
	return orgCheck(b[:]), nil
}

// IsZero reports whether o is the zero OrgCode, which is no code.
func (o OrgCode) IsZero() bool { return o == OrgCode{} }

// String returns the 9 characters of o without the hyphen, e.g. "D2143569X"; "" for the zero
// OrgCode.
func (o OrgCode) String() string {
	if o.IsZero() {
		return ""
	}
	return string(o.b[:])
}

// Hyphenated returns o as printed on a certificate, e.g. "D2143569-X"; "" for the zero OrgCode.
func (o OrgCode) Hyphenated() string {
	if o.IsZero() {
		return ""
	}
	var b [10]byte
	copy(b[:8], o.b[:8])
	b[8], b[9] = '-', o.b[8]
	return string(b[:])
}

// Valid reports whether o's check character is right. It is false only for a value that came
// with a check error from ParseOrgCode or ParseUSCC, or from USCC.OrgCode of such a value.
func (o OrgCode) Valid() bool { return !o.IsZero() && orgCheck(o.b[:8]) == o.b[8] }

// CheckChar returns the check character o's first 8 characters call for.
func (o OrgCode) CheckChar() byte { return orgCheck(o.b[:8]) }

// AppendText appends the String form of o to b (encoding.TextAppender).
func (o OrgCode) AppendText(b []byte) ([]byte, error) {
	if o.IsZero() {
		return b, nil
	}
	return append(b, o.b[:]...), nil
}

// MarshalText returns the String form of o (encoding.TextMarshaler); "" for the zero OrgCode.
func (o OrgCode) MarshalText() ([]byte, error) { return o.AppendText(nil) }

// UnmarshalText parses text with ParseOrgCode (encoding.TextUnmarshaler). Empty text is the
// zero OrgCode. On error o is left unchanged.
func (o *OrgCode) UnmarshalText(text []byte) error { return o.set(string(text)) }

func (o *OrgCode) set(s string) error {
	if s == "" {
		*o = OrgCode{}
		return nil
	}
	v, err := ParseOrgCode(s)
	if err != nil {
		return err
	}
	*o = v
	return nil
}
