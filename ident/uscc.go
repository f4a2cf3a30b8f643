package ident

import (
	"github.com/gongshi/gongshi/division"
)

// USCC is a unified social credit code (统一社会信用代码), GB 32100-2015. The zero USCC is no
// code; every other value is valid. USCC values are comparable and may be map keys.
//
// A USCC has 18 characters over 0-9 and A-H J-N P-R T-U W-Y (no I, O, S, V, Z):
//
//	position  1     registration-authority category (登记管理部门代码), see LookupAuthority
//	position  2     entity type (机构类别代码) within that category, see LookupEntityType
//	positions 3–8   division of the registration authority (登记管理机关行政区划码), six
//	                digits of GB/T 2260, or 100000 for the central government
//	positions 9–17  entity identifier (主体标识码): an organisation code of GB 11714,
//	                8 characters and its own check character, see OrgCode
//	position  18    check character
//
// The check character C18 is computed over the values Ci of positions 1–17, where 0–9 are
// worth 0–9 and A … Y are worth 10 … 30 in the order of the character set, with the weights
// Wi = 3^(i−1) mod 31 = 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
//
//	C18 = 31 − (Σ Ci·Wi mod 31), written as the character of that value, 31 as 0.
type USCC struct{ b [18]byte }

// ParseUSCC parses an 18-character USCC. Lower-case letters are accepted and upper-cased;
// nothing else is changed, so spaces, hyphens and full-width characters are errors.
//
// Errors are *Error, checked in this order: ProblemLength; ProblemChar for a character
// outside the set, or a non-digit in positions 3–8; ProblemCheck at position 17 when the
// embedded organisation code's check character is wrong; ProblemCheck at position 18.
//
// When the only problem is a check character, ParseUSCC returns the code as written together
// with the error, so that a caller can still show its parts; such a value is not a valid code
// and must not be stored.
func ParseUSCC(s string) (USCC, error) {
	var u USCC
	if err := checkLength(KindUSCC, s, 18, hintUSCC); err != nil {
		return u, err
	}
	for i := 0; i < 18; i++ {
		c := s[i]
		if usccValue[c] < 0 {
			return USCC{}, charError(KindUSCC, s, i, hintUSCC)
		}
		if 2 <= i && i < 8 && (c < '0' || c > '9') {
			return USCC{}, charError(KindUSCC, s, i, hintUSCCDiv)
		}
		u.b[i] = upper(c)
	}
	if want := orgCheck(u.b[8:16]); u.b[16] != want {
		return u, &Error{Kind: KindUSCC, Input: s, Problem: ProblemCheck, Pos: 17, Got: rune(s[16]), Want: rune(want)}
	}
	if want := usccCheck(u.b[:17]); u.b[17] != want {
		return u, &Error{Kind: KindUSCC, Input: s, Problem: ProblemCheck, Pos: 18, Got: rune(s[17]), Want: rune(want)}
	}
	return u, nil
}

// USCCCheckChar returns the check character (position 18) of the 17-character body of a
// USCC. The body's characters must be in the USCC set (either case); the organisation code in
// positions 9–17 is not checked. The error is an *Error with Kind KindUSCC: ProblemLength
// or ProblemChar.
func USCCCheckChar(body string) (byte, error) {
	if err := checkLength(KindUSCC, body, 17, hintUSCC); err != nil {
		err.wantLen = "17 (a USCC without its check character)"
		return 0, err
	}
	for i := 0; i < 17; i++ {
		if usccValue[body[i]] < 0 {
			return 0, charError(KindUSCC, body, i, hintUSCC)
		}
	}
	var b [17]byte
	copy(b[:], body)
	return usccCheck(b[:]), nil
}

// IsZero reports whether u is the zero USCC, which is no code.
func (u USCC) IsZero() bool { return u == USCC{} }

// String returns the 18 characters of u in upper case, or "" for the zero USCC.
func (u USCC) String() string {
	if u.IsZero() {
		return ""
	}
	return string(u.b[:])
}

// Authority returns the registration-authority category of position 1 and its names; the
// names are empty when GB 32100 does not list the character.
func (u USCC) Authority() Category {
	c, _ := LookupAuthority(u.b[0])
	return c
}

// EntityType returns the entity type of position 2 within the authority's category and its
// names; the names are empty when the standard does not list the pair.
func (u USCC) EntityType() Category {
	c, _ := LookupEntityType(u.b[0], u.b[1])
	return c
}

// DivisionCode returns positions 3–8: the division code of the registration authority.
func (u USCC) DivisionCode() string { return string(u.b[2:8]) }

// Division looks up DivisionCode in the embedded division tables; false when it is not there
// (a division abolished before 2023, for example).
func (u USCC) Division() (division.Division, bool) { return division.Lookup(u.DivisionCode()) }

// OrgCode returns positions 9–17: the organisation code embedded in u.
func (u USCC) OrgCode() OrgCode {
	var o OrgCode
	copy(o.b[:], u.b[8:17])
	return o
}

// AppendText appends the String form of u to b (encoding.TextAppender).
func (u USCC) AppendText(b []byte) ([]byte, error) {
	if u.IsZero() {
		return b, nil
	}
	return append(b, u.b[:]...), nil
}

// MarshalText returns the String form of u (encoding.TextMarshaler); "" for the zero USCC.
func (u USCC) MarshalText() ([]byte, error) { return u.AppendText(nil) }

// UnmarshalText parses text with ParseUSCC (encoding.TextUnmarshaler). Empty text is the zero
// USCC. On error u is left unchanged.
func (u *USCC) UnmarshalText(text []byte) error { return u.set(string(text)) }

func (u *USCC) set(s string) error {
	if s == "" {
		*u = USCC{}
		return nil
	}
	v, err := ParseUSCC(s)
	if err != nil {
		return err
	}
	*u = v
	return nil
}
