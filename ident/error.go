package ident

import (
	"fmt"
	"unicode/utf8"
)

// Kind is a kind of code.
type Kind uint8

// The kinds of code this package knows. KindUnknown is the Kind of an Error from ParseCode
// when the input's length fits no kind.
const (
	KindUnknown Kind = iota
	KindUSCC         // 统一社会信用代码, GB 32100-2015
	KindRegNo        // 注册号, GS 15-2006
	KindOrgCode      // 组织机构代码, GB 11714-1997
)

// String returns the kind's English name as used in error messages.
func (k Kind) String() string {
	switch k {
	case KindUSCC:
		return "USCC"
	case KindRegNo:
		return "registration number"
	case KindOrgCode:
		return "organisation code"
	}
	return "code"
}

// Problem is what is wrong with a code.
type Problem uint8

// The problems an Error reports, in the order a parser looks for them.
const (
	ProblemLength Problem = iota + 1 // the code has the wrong number of characters
	ProblemChar                      // a character is not allowed at its position
	ProblemCheck                     // a check character does not match the rest of the code
)

// String returns "length", "character" or "check".
func (p Problem) String() string {
	switch p {
	case ProblemLength:
		return "length"
	case ProblemChar:
		return "character"
	case ProblemCheck:
		return "check"
	}
	return "unknown"
}

// Error is the error of every parser in this package. It says exactly what is wrong, e.g.
//
//	USCC "9144030019220382": 16 characters, want 18
//	USCC "9144O3001922038216": illegal character 'O' at position 5 (USCC characters are 0-9 and A-H J-N P-R T-U W-Y)
//	USCC "91440300192203821X": check character at position 18 is 'X', should be '6'
//	USCC "914403001922038236": check character of the organisation code at position 17 is '3', should be '1'
//
// A parser reports the first problem it finds, looking for them in the order of Problem. In
// a USCC the organisation code's check character (position 17) is checked before the USCC's
// own (position 18): when both are wrong, a typing error in positions 9–17 is the likelier
// cause, and fixing position 17 first may make position 18 right.
type Error struct {
	Kind    Kind    // the kind of code the input was parsed as
	Input   string  // the input, as given
	Problem Problem // what is wrong
	Len     int     // ProblemLength: the number of characters (runes) of Input
	Pos     int     // ProblemChar, ProblemCheck: the 1-based position, in characters, of the bad one
	Got     rune    // ProblemChar, ProblemCheck: the character found at Pos
	Want    rune    // ProblemCheck: the check character Pos should hold
	hint    string  // ProblemChar: which characters are allowed there
	wantLen string  // ProblemLength: the length wanted, when not that of a whole code of Kind
}

// Error returns the message: kind, input, and what is wrong.
func (e *Error) Error() string {
	in := e.Input
	if utf8.RuneCountInString(in) > 40 {
		r := []rune(in)
		in = string(r[:39]) + "…"
	}
	prefix := fmt.Sprintf("%s %q: ", e.Kind, in)
	switch e.Problem {
	case ProblemLength:
		want := e.wantLen
		if want == "" {
			want = wantLen(e.Kind)
		}
		return prefix + fmt.Sprintf("%d characters, want %s", e.Len, want)
	case ProblemChar:
		return prefix + fmt.Sprintf("illegal character %q at position %d (%s)", e.Got, e.Pos, e.hint)
	case ProblemCheck:
		what := "check character"
		if e.Kind == KindUSCC && e.Pos == 17 {
			what = "check character of the organisation code"
		}
		return prefix + fmt.Sprintf("%s at position %d is %q, should be %q", what, e.Pos, e.Got, e.Want)
	}
	return prefix + "invalid"
}

func wantLen(k Kind) string {
	switch k {
	case KindUSCC:
		return "18"
	case KindRegNo:
		return "15"
	case KindOrgCode:
		return "9, or 10 with the hyphen"
	}
	return "18 (USCC) or 15 (registration number)"
}

func lengthError(k Kind, s string) *Error {
	return &Error{Kind: k, Input: s, Problem: ProblemLength, Len: utf8.RuneCountInString(s)}
}

// charError reports the character at byte offset i of s.
func charError(k Kind, s string, i int, hint string) *Error {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return &Error{Kind: k, Input: s, Problem: ProblemChar, Pos: utf8.RuneCountInString(s[:i]) + 1, Got: r, hint: hint}
}

// firstNonASCII returns the byte offset of the first non-ASCII byte of s, or -1.
func firstNonASCII(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return i
		}
	}
	return -1
}

// checkLength returns nil when s has n bytes. Otherwise it returns a length error, or, when s
// has n characters of which some are not ASCII, an error naming the first of those.
func checkLength(k Kind, s string, n int, hint string) *Error {
	if len(s) == n {
		return nil
	}
	if utf8.RuneCountInString(s) == n {
		if i := firstNonASCII(s); i >= 0 {
			return charError(k, s, i, hint)
		}
	}
	return lengthError(k, s)
}
