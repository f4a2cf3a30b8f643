package ident

import (
	"unicode/utf8"
)

// Code is the code an enterprise is looked up by: a USCC or, for an entity registered before
// the USCC, a registration number. The zero Code is no code.
type Code struct {
	kind  Kind
	uscc  USCC
	regNo RegNo
}

// ParseCode parses s as a USCC when it has 18 characters and as a registration number when it
// has 15, and reports which in the Code's Kind. The error is that of ParseUSCC or ParseRegNo,
// or an *Error with Kind KindUnknown and ProblemLength for any other length. Unlike the
// kind-specific parsers, ParseCode returns the zero Code with every error.
func ParseCode(s string) (Code, error) {
	n := len(s)
	if n != 18 && n != 15 {
		n = utf8.RuneCountInString(s)
	}
	switch n {
	case 18:
		u, err := ParseUSCC(s)
		if err != nil {
			return Code{}, err
		}
		return Code{kind: KindUSCC, uscc: u}, nil
	case 15:
		r, err := ParseRegNo(s)
		if err != nil {
			return Code{}, err
		}
		return Code{kind: KindRegNo, regNo: r}, nil
	}
	return Code{}, lengthError(KindUnknown, s)
}

// Code returns u as a Code.
func (u USCC) Code() Code {
	if u.IsZero() {
		return Code{}
	}
	return Code{kind: KindUSCC, uscc: u}
}

// Code returns r as a Code.
func (r RegNo) Code() Code {
	if r.IsZero() {
		return Code{}
	}
	return Code{kind: KindRegNo, regNo: r}
}

// Kind returns KindUSCC or KindRegNo, or KindUnknown for the zero Code.
func (c Code) Kind() Kind { return c.kind }

// IsZero reports whether c is the zero Code, which is no code.
func (c Code) IsZero() bool { return c.kind == KindUnknown }

// USCC returns the code as a USCC, and false when it is not one.
func (c Code) USCC() (USCC, bool) { return c.uscc, c.kind == KindUSCC }

// RegNo returns the code as a registration number, and false when it is not one.
func (c Code) RegNo() (RegNo, bool) { return c.regNo, c.kind == KindRegNo }

// DivisionCode returns the division code of the registration authority: positions 3–8 of a
// USCC, the first 6 digits of a registration number; "" for the zero Code.
func (c Code) DivisionCode() string {
	switch c.kind {
	case KindUSCC:
		return c.uscc.DivisionCode()
	case KindRegNo:
		return c.regNo.DivisionCode()
	}
	return ""
}

// String returns the code's canonical form, or "" for the zero Code.
func (c Code) String() string {
	switch c.kind {
	case KindUSCC:
		return c.uscc.String()
	case KindRegNo:
		return c.regNo.String()
	}
	return ""
}

// AppendText appends the String form of c to b (encoding.TextAppender).
func (c Code) AppendText(b []byte) ([]byte, error) {
	switch c.kind {
	case KindUSCC:
		return c.uscc.AppendText(b)
	case KindRegNo:
		return c.regNo.AppendText(b)
	}
	return b, nil
}

// MarshalText returns the String form of c (encoding.TextMarshaler); "" for the zero Code.
func (c Code) MarshalText() ([]byte, error) { return c.AppendText(nil) }

// UnmarshalText parses text with ParseCode (encoding.TextUnmarshaler). Empty text is the zero
// Code. On error c is left unchanged.
func (c *Code) UnmarshalText(text []byte) error { return c.set(string(text)) }

func (c *Code) set(s string) error {
	if s == "" {
		*c = Code{}
		return nil
	}
	v, err := ParseCode(s)
	if err != nil {
		return err
	}
	*c = v
	return nil
}
