package ident

import (
	"errors"
	"fmt"
	"math/bits"
)

// orgSpace is the number of distinct 8-character organisation-code bodies over the USCC
// character set: 31^8.
const orgSpace = 852_891_037_441

// The bijection of [0, orgSpace) that spreads sequence numbers over bodies: n ↦ (n·K + C) mod
// 31^8, a permutation because K is prime to 31 (K mod 31 = 29).
const (
	orgMul = 527_436_817_123
	orgAdd = 123_456_789
)

// GenerateUSCC returns the valid USCC of the given authority category (position 1), entity
// type (position 2) and six-digit division (positions 3–8) whose organisation code (positions
// 9–17) is derived from seq, for demo data and tests. The 8-character body of the organisation
// code is seq scrambled by a fixed permutation of [0, 31^8) and written in base 31 over the USCC
// character set; both check characters are then computed. Distinct seq values give distinct
// codes, and the same arguments always give the same code.
//
// It returns an error when authority or entityType is not a USCC character, when division is
// not six digits, or when seq ≥ 31^8 (852,891,037,441). The authority and entity type need not
// be in the tables of GB 32100. GenerateUSCC does not allocate.
func GenerateUSCC(authority, entityType byte, division string, seq uint64) (USCC, error) {
	var u USCC
	if usccValue[authority] < 0 || usccValue[entityType] < 0 {
		return u, fmt.Errorf("generate USCC: authority %q and entity type %q must be USCC characters", authority, entityType)
	}
	if !isDigits(division, 6) {
		return u, fmt.Errorf("generate USCC: division %q is not six digits", division)
	}
	if seq >= orgSpace {
		return u, fmt.Errorf("generate USCC: sequence %d out of range [0, 31^8)", seq)
	}
	u.b[0], u.b[1] = upper(authority), upper(entityType)
	copy(u.b[2:8], division)
	hi, lo := bits.Mul64(seq, orgMul)
	lo, carry := bits.Add64(lo, orgAdd, 0)
	_, n := bits.Div64(hi+carry, lo, orgSpace)
	for i := 15; i >= 8; i-- {
		u.b[i] = usccChars[n%31]
		n /= 31
	}
	u.b[16] = orgCheck(u.b[8:16])
	u.b[17] = usccCheck(u.b[:17])
	return u, nil
}

// GenerateRegNo returns the valid registration number of the six-digit division whose
// sequence number (digits 7–14) is seq written with 8 digits, followed by its check digit.
// The first digit of the sequence number tells the sector (GS 15-2006 §4.3), so a caller
// chooses it through seq: 1_0000000 + n for a company, 4_0000000 + n for a foreign-invested
// enterprise, 6_0000000 + n for an individual business.
//
// It returns an error when division is not six digits or seq ≥ 10^8. GenerateRegNo does not
// allocate.
func GenerateRegNo(division string, seq uint64) (RegNo, error) {
	var r RegNo
	if !isDigits(division, 6) {
		return r, fmt.Errorf("generate registration number: division %q is not six digits", division)
	}
	if seq >= 100_000_000 {
		return r, errRegNoSeq
	}
	copy(r.b[:6], division)
	for i := 13; i >= 6; i-- {
		r.b[i] = byte('0' + seq%10)
		seq /= 10
	}
	r.b[14] = regNoCheck(r.b[:14])
	return r, nil
}

var errRegNoSeq = errors.New("generate registration number: sequence out of range [0, 10^8)")

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
