package demo

import (
	"strconv"
	"unsafe"
)

// person is a natural person, regenerated from its seed: name, sex, birth date and the
// 18-digit resident identity number (GB 11643-1999) issued in the given area.
type person uint64

// personName returns the person's name: a surname by frequency and one or two given
// characters of the person's sex.
func (w *world) personName(p person) string {
	r := rng{uint64(p)}
	s := surnames[w.surnameW.pick(&r)].s
	given := givenMale
	if r.next()&1 == 1 {
		given = givenFemale
	}
	if r.permille(300) {
		return s + given[r.intn(len(given))]
	}
	return s + given[r.intn(len(given))] + given[r.intn(len(given))]
}

// personID returns the person's resident identity number: the area's division code,
// a birth date in 1950–2000, a sequence number whose last digit is odd for men, and the
// GB 11643 check character.
func (w *world) personID(p person, areaCode string) string {
	r := rng{uint64(p)}
	w.surnameW.pick(&r)
	male := r.next()&1 == 0
	r2 := rng{mix64(uint64(p) ^ 0xA5A5)}
	b := make([]byte, 18)
	copy(b, areaCode)
	// 1950-01-01 is day -18993 of dayEpoch; pick any day up to 2000-12-31.
	birth := dayEpoch.AddDays(-18993 + r2.intn(18628))
	y, m, d := birth.Civil()
	put := func(i, v, n int) {
		for j := i + n - 1; j >= i; j-- {
			b[j] = byte('0' + v%10)
			v /= 10
		}
	}
	put(6, y, 4)
	put(10, int(m), 2)
	put(12, d, 2)
	seq := r2.intn(500) * 2
	if male {
		seq++
	}
	put(14, seq, 3)
	b[17] = idCheck(b[:17])
	return unsafe.String(&b[0], 18)
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheck is the GB 11643-1999 check character: ISO 7064 MOD 11-2.
func idCheck(b []byte) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(b[i]-'0') * idWeights[i]
	}
	return "10X98765432"[sum%11]
}

// trade is a trade name (字号) of two to four characters: a word, a word and a character,
// a character and a word, or two words.
type trade struct {
	shape  uint8
	w1, w2 uint8
	c      uint8
}

func newTrade(r *rng) trade {
	t := trade{w1: uint8(r.intn(len(tradeWords))), w2: uint8(r.intn(len(tradeWords))), c: uint8(r.intn(len(tradeChars)))}
	if t.w2 == t.w1 {
		t.w2 = (t.w1 + 1) % uint8(len(tradeWords))
	}
	switch x := r.intn(100); {
	case x < 45:
		t.shape = 0
	case x < 68:
		t.shape = 1
	case x < 72:
		t.shape = 2
	default:
		t.shape = 3
	}
	return t
}

func (t trade) String() string {
	switch t.shape {
	case 1:
		return tradeWords[t.w1] + tradeChars[t.c]
	case 2:
		return tradeChars[t.c] + tradeWords[t.w1]
	case 3:
		return tradeWords[t.w1] + tradeWords[t.w2]
	}
	return tradeWords[t.w1]
}

// phone returns a mobile number.
func phone(r *rng) string {
	prefixes := [...]string{"139", "138", "137", "136", "135", "159", "158", "188", "187", "186", "185", "133", "153", "180", "181", "189", "177", "199"}
	b := make([]byte, 0, 11)
	b = append(b, prefixes[r.intn(len(prefixes))]...)
	b = appendDigits(b, r.intn(100_000_000), 8)
	return unsafe.String(&b[0], len(b))
}

// appendDigits appends v with exactly n digits, zero-padded.
func appendDigits(b []byte, v, n int) []byte {
	i := len(b)
	for j := 0; j < n; j++ {
		b = append(b, '0')
	}
	for j := i + n - 1; j >= i; j-- {
		b[j] = byte('0' + v%10)
		v /= 10
	}
	return b
}

func itoa(n int) string { return strconv.Itoa(n) }

// cents formats an amount given in hundredths: 12345 → "123.45", 1200 → "12".
func cents(n int64) string {
	var buf [24]byte
	b := strconv.AppendInt(buf[:0], n/100, 10)
	if f := n % 100; f != 0 {
		b = append(b, '.', byte('0'+f/10))
		if f%10 != 0 {
			b = append(b, byte('0'+f%10))
		}
	}
	return string(b)
}
