package ident

import (
	"strings"
	"testing"
)

// The reference implementations below follow the standards' text literally, with no shared
// tables or tricks, to check the package's implementation independently.

const (
	refUSCCSet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	refOrgSet  = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
)

// refOrgValid: GB 11714-1997 §5: C9 = 11 − mod(Σ Ci×Wi, 11), 10 → X, 11 → 0.
func refOrgValid(s string) bool {
	if len(s) != 9 {
		return false
	}
	w := []int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 8; i++ {
		v := strings.IndexByte(refOrgSet, s[i])
		if v < 0 {
			return false
		}
		sum += v * w[i]
	}
	c9 := 11 - sum%11
	want := "0123456789X0"[c9 : c9+1]
	return s[8:] == want
}

// refUSCCValid: GB 32100-2015 §4 and Annex: 18 characters, 3–8 digits, 9–17 an organisation
// code, C18 = 31 − mod(Σ Ci×Wi, 31) with Wi = 3^(i−1) mod 31.
func refUSCCValid(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(refUSCCSet, s[i])
		if v < 0 {
			return false
		}
		if i >= 2 && i < 8 && v > 9 {
			return false
		}
		sum += v * w
		w = w * 3 % 31
	}
	if strings.IndexByte(refUSCCSet, s[17]) < 0 {
		return false
	}
	c18 := 31 - sum%31
	if c18 == 31 {
		c18 = 0
	}
	return refUSCCSet[c18] == s[17] && refOrgValid(s[8:17])
}

// refRegNoValid: ISO 7064:2003 MOD 11,10, as a loop over all 15 digits ending in 1.
func refRegNoValid(s string) bool {
	if len(s) != 15 {
		return false
	}
	p := 10
	for i := 0; i < 15; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		sum := (p + int(s[i]-'0')) % 10
		if sum == 0 {
			sum = 10
		}
		if i == 14 {
			return sum == 1
		}
		p = sum * 2 % 11
	}
	return false
}

// mangleChars is every character tried in every position: the whole of 0-9 A-Z, which holds
// the characters of all three codes and the ones the USCC excludes, and a few others.
const mangleChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. "

// mangle calls f with every single-character substitution of s.
func mangle(s string, f func(m string)) {
	for i := 0; i < len(s); i++ {
		for j := 0; j < len(mangleChars); j++ {
			if mangleChars[j] == s[i] {
				continue
			}
			f(s[:i] + mangleChars[j:j+1] + s[i+1:])
		}
	}
}

func TestMangleUSCC(t *testing.T) {
	for _, tt := range realUSCCs {
		if !refUSCCValid(tt.code) {
			t.Fatalf("reference rejects %s", tt.code)
		}
		valid := 0
		mangle(tt.code, func(m string) {
			_, err := ParseUSCC(m)
			if ref := refUSCCValid(m); ref != (err == nil) {
				t.Errorf("ParseUSCC(%q): error %v; reference says valid = %v", m, err, ref)
			}
			if err == nil {
				valid++
			}
		})
		// 31 is prime and no weight is 0 mod 31: every substitution changes the sum mod 31.
		if valid != 0 {
			t.Errorf("%s: %d single substitutions are valid, want 0", tt.code, valid)
		}
	}
}

func TestMangleOrgCode(t *testing.T) {
	total := 0
	for _, tt := range realOrgCodes {
		s := tt.code[:8] + tt.code[9:]
		if !refOrgValid(s) {
			t.Fatalf("reference rejects %s", s)
		}
		mangle(s, func(m string) {
			_, err := ParseOrgCode(m)
			if ref := refOrgValid(m); ref != (err == nil) {
				t.Errorf("ParseOrgCode(%q): error %v; reference says valid = %v", m, err, ref)
			}
			if err == nil {
				total++
			}
		})
	}
	// Values run to 35 but the modulus is 11: a substitution by ±11 or ±22 goes undetected.
	if total == 0 {
		t.Error("no substitution of an organisation code is valid; GB 11714 lets some through")
	}
}

func TestMangleRegNo(t *testing.T) {
	for _, tt := range realRegNos {
		if !refRegNoValid(tt.code) {
			t.Fatalf("reference rejects %s", tt.code)
		}
		mangle(tt.code, func(m string) {
			_, err := ParseRegNo(m)
			if ref := refRegNoValid(m); ref != (err == nil) {
				t.Errorf("ParseRegNo(%q): error %v; reference says valid = %v", m, err, ref)
			}
			// ISO 7064 MOD 11,10 detects every single-digit substitution.
			if err == nil {
				t.Errorf("ParseRegNo(%q) accepted a substitution of %s", m, tt.code)
			}
		})
	}
}

// TestGeneratedAgainstReference checks the generators against the reference implementations.
func TestGeneratedAgainstReference(t *testing.T) {
	for seq := uint64(0); seq < 20000; seq += 7 {
		u, err := GenerateUSCC('9', '1', "310115", seq)
		if err != nil || !refUSCCValid(u.String()) {
			t.Fatalf("GenerateUSCC(9, 1, 310115, %d) = %v, %v: not valid by the reference", seq, u, err)
		}
		r, err := GenerateRegNo("440301", 10000000+seq)
		if err != nil || !refRegNoValid(r.String()) {
			t.Fatalf("GenerateRegNo(440301, %d) = %v, %v: not valid by the reference", seq, r, err)
		}
	}
}
