package ident

// usccChars are the 31 characters of a USCC in the order of their values 0–30
// (GB 32100-2015 §4.2: the letters I, O, Z, S and V are not used).
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// The value tables map an input byte to the character's value, or -1 when it is not allowed.
// Lower-case letters map like their upper-case forms.
var (
	usccValue [256]int8 // GB 32100: 0–9 → 0–9, A → 10 … Y → 30 over usccChars
	orgValue  [256]int8 // GB 11714: 0–9 → 0–9, A → 10 … Z → 35
)

func init() {
	for i := range usccValue {
		usccValue[i], orgValue[i] = -1, -1
	}
	for i := 0; i < len(usccChars); i++ {
		c := usccChars[i]
		usccValue[c] = int8(i)
		usccValue[lower(c)] = int8(i)
	}
	for c := byte('0'); c <= '9'; c++ {
		orgValue[c] = int8(c - '0')
	}
	for c := byte('A'); c <= 'Z'; c++ {
		orgValue[c] = int8(c - 'A' + 10)
		orgValue[c+'a'-'A'] = int8(c - 'A' + 10)
	}
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// The GB 32100-2015 weights W_i = 3^(i-1) mod 31 of positions 1–17.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// The GB 11714-1997 weights of positions 1–8 of an organisation code.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// Hints naming the characters allowed, for Error messages.
const (
	hintUSCC     = "USCC characters are 0-9 and A-H J-N P-R T-U W-Y"
	hintUSCCDiv  = "characters 3-8 of a USCC, the division code, are digits"
	hintDigits   = "registration numbers are digits"
	hintOrg      = "organisation code characters are 0-9 and A-Z"
	hintOrgCheck = "the check character of an organisation code is 0-9 or X"
	hintOrgDash  = "an organisation code is 8 characters, a hyphen and the check character"
)

// usccCheck returns the GB 32100 check character of body, whose first 17 bytes are
// characters of usccChars (either case): C18 = 31 − (Σ Ci·Wi mod 31), where 31 is written 0.
func usccCheck(body []byte) byte {
	sum := 0
	for i, w := range usccWeights {
		sum += int(usccValue[body[i]]) * w
	}
	return usccChars[(31-sum%31)%31]
}

// orgCheck returns the GB 11714 check character of body, whose first 8 bytes are 0-9 or
// A-Z (either case): C9 = 11 − (Σ Ci·Wi mod 11), where 10 is written X and 11 is written 0.
func orgCheck(body []byte) byte {
	sum := 0
	for i, w := range orgWeights {
		sum += int(orgValue[body[i]]) * w
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// regNoCheck returns the ISO 7064 MOD 11,10 check digit (GB/T 17710) of the 14 digits of body:
// starting from P = 10, each digit d gives S = (P + d) mod 10, with 0 read as 10, and then
// P = 2S mod 11; the check digit c is the one that makes (P + c) mod 10 = 1.
func regNoCheck(body []byte) byte {
	p := 10
	for _, c := range body[:14] {
		s := (p + int(c-'0')) % 10
		if s == 0 {
			s = 10
		}
		p = 2 * s % 11
	}
	return byte('0' + (11-p)%10)
}
