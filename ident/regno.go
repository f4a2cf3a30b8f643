package ident

import (
	"github.com/gongshi/gongshi/division"
)

// RegNo is a registration number (注册号) of a market entity, GS 15-2006 (工商行政管理市场主体
// 注册号编制规则), the identifier on business licences from 2007 until the USCC replaced it in
// 2015–2017. The zero RegNo is no number; every other value is valid.
//
// A registration number has 15 digits:
//
//	digits 1–6   division of the first registration authority (首次登记机关代码): six digits of
//	             GB/T 2260, or 100000 for the national authority
//	digits 7–14  sequence number (顺序码); its first digit tells the kind of entity, see Sector
//	digit  15    check digit, ISO 7064 MOD 11,10 (GB/T 17710): starting from P = 10, each
//	             digit d of 1–14 gives S = (P + d) mod 10, with 0 read as 10, then P = 2S mod 11;
//	             the check digit c makes (P + c) mod 10 = 1.
type RegNo struct{ b [15]byte }

// ParseRegNo parses a 15-digit registration number.
//
// Errors are *Error with Kind KindRegNo, checked in this order: ProblemLength; ProblemChar for
// a non-digit; ProblemCheck at position 15. As ParseUSCC, on a check error alone it returns the
// number as written along with the error.
func ParseRegNo(s string) (RegNo, error) {
	var r RegNo
	if err := checkLength(KindRegNo, s, 15, hintDigits); err != nil {
		return r, err
	}
	for i := 0; i < 15; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return RegNo{}, charError(KindRegNo, s, i, hintDigits)
		}
		r.b[i] = c
	}
	if want := regNoCheck(r.b[:14]); r.b[14] != want {
		return r, &Error{Kind: KindRegNo, Input: s, Problem: ProblemCheck, Pos: 15, Got: rune(s[14]), Want: rune(want)}
	}
	return r, nil
}

// RegNoCheckDigit returns the check digit of the first 14 digits of a registration number.
// The error is an *Error with Kind KindRegNo: ProblemLength or ProblemChar.
func RegNoCheckDigit(body string) (byte, error) {
	if err := checkLength(KindRegNo, body, 14, hintDigits); err != nil {
		err.wantLen = "14 (a registration number without its check digit)"
		return 0, err
	}
	for i := 0; i < 14; i++ {
		if body[i] < '0' || body[i] > '9' {
			return 0, charError(KindRegNo, body, i, hintDigits)
		}
	}
	var b [14]byte
	copy(b[:], body)
	return regNoCheck(b[:]), nil
}

// IsZero reports whether r is the zero RegNo, which is no number.
func (r RegNo) IsZero() bool { return r == RegNo{} }

// String returns the 15 digits of r, or "" for the zero RegNo.
func (r RegNo) String() string {
	if r.IsZero() {
		return ""
	}
	return string(r.b[:])
}

// DivisionCode returns digits 1–6: the division code of the first registration authority.
func (r RegNo) DivisionCode() string { return string(r.b[:6]) }

// Division looks up DivisionCode in the embedded division tables; false when it is not there.
func (r RegNo) Division() (division.Division, bool) { return division.Lookup(r.DivisionCode()) }

// Sector is the kind of entity told by digit 7 of a registration number (GS 15-2006 §4.3).
type Sector uint8

// The sectors of GS 15-2006 §4.3.
const (
	SectorDomestic   Sector = iota + 1 // 0–3: domestic enterprises (内资企业)
	SectorForeign                      // 4–5: foreign-invested enterprises and foreign enterprises (外资企业)
	SectorIndividual                   // 6–9: individual businesses (个体工商户)
)

// String returns the sector's Chinese name followed by its English one.
func (s Sector) String() string {
	switch s {
	case SectorDomestic:
		return "内资企业 (domestic enterprise)"
	case SectorForeign:
		return "外资企业 (foreign-invested enterprise)"
	case SectorIndividual:
		return "个体工商户 (individual business)"
	}
	return "unknown"
}

// Sector returns the kind of entity digit 7 of r stands for; 0 for the zero RegNo.
func (r RegNo) Sector() Sector {
	switch d := r.b[6]; {
	case d >= '0' && d <= '3':
		return SectorDomestic
	case d == '4' || d == '5':
		return SectorForeign
	case d >= '6' && d <= '9':
		return SectorIndividual
	}
	return 0
}

// Valid reports whether r's check digit is right; false for the zero RegNo and for a value
// that came with a check error from ParseRegNo.
func (r RegNo) Valid() bool { return !r.IsZero() && regNoCheck(r.b[:14]) == r.b[14] }

// AppendText appends the String form of r to b (encoding.TextAppender).
func (r RegNo) AppendText(b []byte) ([]byte, error) {
	if r.IsZero() {
		return b, nil
	}
	return append(b, r.b[:]...), nil
}

// MarshalText returns the String form of r (encoding.TextMarshaler); "" for the zero RegNo.
func (r RegNo) MarshalText() ([]byte, error) { return r.AppendText(nil) }

// UnmarshalText parses text with ParseRegNo (encoding.TextUnmarshaler). Empty text is the zero
// RegNo. On error r is left unchanged.
func (r *RegNo) UnmarshalText(text []byte) error { return r.set(string(text)) }

func (r *RegNo) set(s string) error {
	if s == "" {
		*r = RegNo{}
		return nil
	}
	v, err := ParseRegNo(s)
	if err != nil {
		return err
	}
	*r = v
	return nil
}
