package gongshi

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
)

// A case's check code (查询码) is given to whoever files the case, with its number: the
// public lookup needs both, so that case numbers, which are sequential, cannot be walked to
// learn who was reported and for what. The code is 12 characters of an alphabet without
// look-alikes (about 59 bits), shown in three groups of four; it is stored only as a hash
// (like a token: the code is random, so a fast hash suffices) and cannot be shown again.

const checkAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ" // no 0/O, 1/I/L

func newCheckCode() string {
	b := make([]byte, 12)
	rand.Read(b)
	var s strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(checkAlphabet[int(c)%len(checkAlphabet)])
	}
	return s.String()
}

// hashCheckCode returns how a check code is stored. Case, dashes and spaces do not matter.
func hashCheckCode(code string) string {
	norm := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(code))
	h := sha256.Sum256([]byte("gongshi case check code\x00" + norm))
	return hex.EncodeToString(h[:])
}

// checkMatches reports whether code is the one whose hash the case holds.
func (c *Case) checkMatches(code string) bool {
	return c.CheckHash != "" && code != "" &&
		subtle.ConstantTimeCompare([]byte(hashCheckCode(code)), []byte(c.CheckHash)) == 1
}
