package gongshi

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TextRule says what a text field may hold besides what every published text may hold.
// Whatever the rule, a published text is valid UTF-8 in Unicode normalisation form C and
// holds only letters, marks, digits and other numbers, punctuation, symbols and spaces:
// no control characters (NUL, BEL, ESC …), no invisible format characters (text-direction
// overrides such as U+202E, zero-width spaces, U+FEFF), no private-use characters, no
// line or paragraph separators and no unassigned code points. A line break (and a tab) is
// allowed in TextMultiline only. The log is append-only: a character published stays there.
type TextRule string

const (
	TextLine      TextRule = ""          // one line of free text: an address, a position, a title
	TextMultiline TextRule = "multiline" // paragraphs: a business scope, a penalty's content, a written answer
	// TextEnterpriseName is an enterprise's name (企业名称): 4 to 100 letters (Chinese
	// characters, or the script of an ethnic autonomous area), digits and the punctuation
	// names use — an administrative division, a trade name of two or more characters, the
	// line of business and the form of organisation (《企业名称登记管理规定》).
	TextEnterpriseName TextRule = "enterprise_name"
	// TextPersonName is a natural person's name: 2 to 50 letters, with the middle dot of
	// transliterated names (阿依古丽·买买提), spaces, hyphens, apostrophes and full stops.
	TextPersonName TextRule = "person_name"
	// TextPartyName is the name of a person or an organisation (a shareholder, a pledgee):
	// 2 to 100 characters of either kind of name.
	TextPartyName TextRule = "party_name"
	// TextDocumentNo is a document or registration number (文号, 登记编号, 许可证编号):
	// 2 to 64 letters, digits and the brackets and separators such numbers use
	// (沪市监浦处〔2026〕1号, ZL20211234567.8), with at least one digit.
	TextDocumentNo TextRule = "document_no"
)

// MaxTextBytes is the most a text field may hold.
const MaxTextBytes = 4000

// CleanText checks s as the value of a published text field under rule and returns it
// trimmed and in normalisation form C. A multi-line text's CR LF line breaks become LF.
// The error is EINVALID naming field and, for a character not allowed, its position
// (counted in characters from 1, in s as sent). An empty result is not an error: whether
// a field is required is its caller's business.
func CleanText(field, s string, rule TextRule) (string, error) {
	if printableASCII(s) { // passes checkChars and is its own NFC (every code on a request's path)
		s = strings.TrimSpace(s)
	} else {
		if err := checkChars(field, s, rule == TextMultiline); err != nil {
			return "", err
		}
		if rule == TextMultiline {
			s = strings.ReplaceAll(s, "\r\n", "\n")
		}
		s = norm.NFC.String(strings.TrimSpace(s))
	}
	if len(s) > MaxTextBytes {
		return "", Invalid(field, fmt.Sprintf("is %d bytes long; the most is %d", len(s), MaxTextBytes), "shorten it")
	}
	if s == "" {
		return s, nil
	}
	return s, checkShape(field, s, rule)
}

// printableASCII says s holds only ASCII's printable characters and spaces.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// checkChars refuses invalid UTF-8 and every character a published text may not hold.
func checkChars(field, s string, multiline bool) error {
	pos := 0
	for i, r := range s {
		pos++
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			return Invalid(field, fmt.Sprintf("is not valid UTF-8 (byte %d, character %d)", i+1, pos), "send the text encoded as UTF-8")
		}
		if multiline && (r == '\n' || r == '\t' || r == '\r' && strings.HasPrefix(s[i:], "\r\n")) {
			continue
		}
		if what := forbidden(r); what != "" {
			fix := "remove it; published text holds visible characters and spaces only"
			if r == '\n' || r == '\r' {
				fix = "write it on one line"
			}
			return Invalid(field, fmt.Sprintf("holds U+%04X, %s, at character %d", r, what, pos), fix)
		}
	}
	return nil
}

// forbidden says what kind of character r is if a published text may not hold it, and ""
// if it may.
func forbidden(r rune) string {
	switch {
	case r == '\n' || r == '\r':
		return "a line break"
	case unicode.Is(unicode.Cc, r):
		return "a control character"
	case unicode.Is(unicode.Cf, r):
		return "an invisible format character (such as a text-direction override or a zero-width space)"
	case unicode.Is(unicode.Co, r):
		return "a private-use character"
	case r == '\uFFFD':
		return "the replacement character, a sign that the text was damaged on its way"
	case unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs):
		return ""
	case unicode.In(r, unicode.Zl, unicode.Zp):
		return "a line or paragraph separator"
	}
	return "an unassigned code point"
}

// shape is what a kind of name or number may hold.
type shape struct {
	min, max int    // length in characters
	punct    string // the characters allowed besides letters and marks
	digits   int    // 0: no digits; 1: digits allowed; 2: at least one digit required
	noun     string // what the field holds, for messages
}

var shapes = map[TextRule]shape{
	TextEnterpriseName: {4, 100, "()（）·-&. ", 1, "an enterprise name"},
	TextPersonName:     {2, 50, "·・-'. ", 0, "a person's name"},
	TextPartyName:      {2, 100, "()（）·・-&.' ", 1, "the name of a person or an organisation"},
	TextDocumentNo:     {2, 64, "〔〕[]［］()（）【】-－—_/.·、:：# ", 2, "a document number"},
}

// checkShape applies a name's or a number's rule to a clean, non-empty text.
func checkShape(field, s string, rule TextRule) error {
	sh, ok := shapes[rule]
	if !ok {
		return nil
	}
	n, digit := 0, false
	for _, r := range s {
		n++
		isDigit := unicode.Is(unicode.Nd, r)
		digit = digit || isDigit
		if !unicode.In(r, unicode.L, unicode.M) && !strings.ContainsRune(sh.punct, r) && !(isDigit && sh.digits > 0) {
			return Invalid(field, fmt.Sprintf("%q at character %d cannot be part of %s", r, n, sh.noun), sh.fix())
		}
	}
	switch {
	case n < sh.min || n > sh.max:
		return Invalid(field, fmt.Sprintf("is %d characters long; %s has %d to %d", n, sh.noun, sh.min, sh.max), "give the full "+strings.TrimPrefix(strings.TrimPrefix(sh.noun, "an "), "a "))
	case sh.digits == 2 && !digit:
		return Invalid(field, "has no digit; "+sh.noun+" has a number in it", "give the number as written on the document, e.g. 沪市监浦处〔2026〕1号")
	}
	return nil
}

// textInput is a text of a request that is not a record body (a reason, an answer, a
// document number), with the JSON name it came by and its rule.
type textInput struct {
	field string
	value *string
	rule  TextRule
}

// cleanTexts cleans each input in place (CleanText); the first error is returned.
func cleanTexts(ts ...textInput) error {
	for _, t := range ts {
		s, err := CleanText(t.field, *t.value, t.rule)
		if err != nil {
			return err
		}
		*t.value = s
	}
	return nil
}

func (sh shape) fix() string {
	what := "letters"
	if sh.digits > 0 {
		what = "letters, digits"
	}
	return "use " + what + " and " + quote(strings.TrimSpace(sh.punct)) + " only"
}
