package draw

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// SeedSize is the size of a seed in bytes.
const SeedSize = 32

// Errors a draw can fail with.
var (
	ErrPopulation = errors.New("draw: bad population")
	ErrSample     = errors.New("draw: bad sample size")
	ErrRoster     = errors.New("draw: bad roster")
	ErrSeed       = errors.New("draw: bad seed")
	ErrText       = errors.New("draw: malformed text")
)

// Seed is a draw's secret, revealed at the draw.
type Seed [SeedSize]byte

// ParseSeed parses 64 lowercase hexadecimal digits.
func ParseSeed(s string) (Seed, error) {
	var sd Seed
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != SeedSize || strings.ToLower(s) != s {
		return sd, fmt.Errorf("%w: want 64 lowercase hexadecimal digits", ErrSeed)
	}
	copy(sd[:], b)
	return sd, nil
}

func (s Seed) String() string { return hex.EncodeToString(s[:]) }

// Commitment returns the hex SHA-256 of the seed's 32 bytes.
func (s Seed) Commitment() string { return Digest(s[:]) }

// Digest returns the lowercase hex SHA-256 of b.
func Digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Inspector is one member of the roster and the codes it declared a conflict of interest with.
type Inspector struct {
	ID        string
	Conflicts []string
}

// Assignment is one selected enterprise with its rank (from 1) and its inspectors.
type Assignment struct {
	Rank       int
	Code       string
	Inspectors []string
}

func printable(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// Population sorts and checks codes and returns the population text (see the package doc).
// codes is sorted in place.
func Population(codes []string) ([]byte, error) {
	slices.Sort(codes)
	n := 0
	for i, c := range codes {
		if !printable(c) {
			return nil, fmt.Errorf("%w: code %q is not printable ASCII", ErrPopulation, c)
		}
		if i > 0 && codes[i-1] == c {
			return nil, fmt.Errorf("%w: %s appears twice", ErrPopulation, c)
		}
		n += len(c) + 1
	}
	buf := make([]byte, 0, n)
	for _, c := range codes {
		buf = append(buf, c...)
		buf = append(buf, '\n')
	}
	return buf, nil
}

// ParsePopulation reads a population text, checking that it is canonical.
func ParsePopulation(text []byte) ([]string, error) {
	if len(text) == 0 {
		return nil, nil
	}
	if text[len(text)-1] != '\n' {
		return nil, fmt.Errorf("%w: the population text must end with a line feed", ErrText)
	}
	codes := strings.Split(string(text[:len(text)-1]), "\n")
	for i, c := range codes {
		if !printable(c) || (i > 0 && codes[i-1] >= c) {
			return nil, fmt.Errorf("%w: line %d %q is not a code in ascending order", ErrText, i+1, c)
		}
	}
	return codes, nil
}

// Roster checks a roster and returns its text (see the package doc). It sorts the roster
// and each inspector's conflicts in place.
func Roster(roster []Inspector) ([]byte, error) {
	slices.SortFunc(roster, func(a, b Inspector) int { return strings.Compare(a.ID, b.ID) })
	var buf bytes.Buffer
	for i, in := range roster {
		if !printable(in.ID) {
			return nil, fmt.Errorf("%w: inspector id %q is not printable ASCII", ErrRoster, in.ID)
		}
		if i > 0 && roster[i-1].ID == in.ID {
			return nil, fmt.Errorf("%w: inspector %s appears twice", ErrRoster, in.ID)
		}
		slices.Sort(in.Conflicts)
		in.Conflicts = slices.Compact(in.Conflicts)
		roster[i] = in
		buf.WriteString(in.ID)
		for _, c := range in.Conflicts {
			if !printable(c) {
				return nil, fmt.Errorf("%w: conflict code %q is not printable ASCII", ErrRoster, c)
			}
			buf.WriteByte('\t')
			buf.WriteString(c)
		}
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}

// ParseRoster reads a roster text.
func ParseRoster(text []byte) ([]Inspector, error) {
	if len(text) == 0 {
		return nil, nil
	}
	if text[len(text)-1] != '\n' {
		return nil, fmt.Errorf("%w: the roster text must end with a line feed", ErrText)
	}
	var out []Inspector
	for i, line := range strings.Split(string(text[:len(text)-1]), "\n") {
		f := strings.Split(line, "\t")
		for j, x := range f {
			if !printable(x) || (j > 1 && f[j-1] >= x) || (j == 0 && len(out) > 0 && out[len(out)-1].ID >= x) {
				return nil, fmt.Errorf("%w: roster line %d is not an id and its conflicts in ascending order", ErrText, i+1)
			}
		}
		out = append(out, Inspector{ID: f[0], Conflicts: f[1:]})
	}
	return out, nil
}

// keyed is a code's position and the first 8 bytes of its key, for a cheap sort.
type keyed struct {
	prefix uint64
	idx    int32
}

// Select returns the first k codes of the population by SHA-256(seed ‖ code) (see the
// package doc). codes must be the population in ascending order (as Population leaves it).
func Select(seed Seed, codes []string, k int) ([]string, error) {
	if k < 1 || k > len(codes) {
		return nil, fmt.Errorf("%w: %d of a population of %d", ErrSample, k, len(codes))
	}
	keys := make([][32]byte, len(codes))
	ks := make([]keyed, len(codes))
	buf := make([]byte, 0, SeedSize+64)
	for i, c := range codes {
		buf = append(append(buf[:0], seed[:]...), c...)
		keys[i] = sha256.Sum256(buf)
		ks[i] = keyed{binary.BigEndian.Uint64(keys[i][:8]), int32(i)}
	}
	cmp := func(a, b keyed) int {
		if a.prefix != b.prefix {
			if a.prefix < b.prefix {
				return -1
			}
			return 1
		}
		if c := bytes.Compare(keys[a.idx][:], keys[b.idx][:]); c != 0 {
			return c
		}
		return strings.Compare(codes[a.idx], codes[b.idx])
	}
	ks = smallest(ks, k, cmp)
	out := make([]string, k)
	for i, x := range ks {
		out[i] = codes[x.idx]
	}
	return out, nil
}

// smallest returns the k smallest elements of s in order. It partitions around the
// (k)th element's neighbourhood with a bounded max-heap when k is small, else sorts.
func smallest(s []keyed, k int, cmp func(a, b keyed) int) []keyed {
	if k*4 >= len(s) {
		slices.SortFunc(s, cmp)
		return s[:k]
	}
	h := make([]keyed, 0, k) // max-heap by cmp
	up := func(i int) {
		for i > 0 {
			p := (i - 1) / 2
			if cmp(h[p], h[i]) >= 0 {
				break
			}
			h[p], h[i] = h[i], h[p]
			i = p
		}
	}
	down := func(i int) {
		for {
			l, m := 2*i+1, i
			if l < len(h) && cmp(h[l], h[m]) > 0 {
				m = l
			}
			if r := l + 1; r < len(h) && cmp(h[r], h[m]) > 0 {
				m = r
			}
			if m == i {
				return
			}
			h[m], h[i] = h[i], h[m]
			i = m
		}
	}
	for _, x := range s {
		if len(h) < k {
			h = append(h, x)
			up(len(h) - 1)
		} else if cmp(x, h[0]) < 0 {
			h[0] = x
			down(0)
		}
	}
	slices.SortFunc(h, cmp)
	return h
}

// Assign assigns n inspectors to each selected code in order (see the package doc).
func Assign(seed Seed, selection []string, roster []Inspector, n int) ([]Assignment, error) {
	if n < 1 {
		return nil, fmt.Errorf("%w: %d inspectors per enterprise", ErrRoster, n)
	}
	ids := make([]string, len(roster))
	conflicted := make(map[string][]int32) // code → roster positions
	for i, in := range roster {
		ids[i] = in.ID
		for _, c := range in.Conflicts {
			conflicted[c] = append(conflicted[c], int32(i))
		}
	}
	load := make([]int, len(roster))
	barred := make([]bool, len(roster))
	type cand struct {
		load int
		h    [32]byte
		i    int
	}
	out := make([]Assignment, len(selection))
	buf := make([]byte, 0, SeedSize+128)
	var cands []cand
	for r, code := range selection {
		for _, i := range conflicted[code] {
			barred[i] = true
		}
		// Only the inspectors of the lowest loads can be among the first n: find the
		// smallest load level L such that at least n eligible inspectors have load ≤ L,
		// and hash only those.
		eligible, minLoad, maxLoad := 0, -1, -1
		for i := range roster {
			if barred[i] {
				continue
			}
			eligible++
			if minLoad < 0 || load[i] < minLoad {
				minLoad = load[i]
			}
			maxLoad = max(maxLoad, load[i])
		}
		if eligible < n {
			return nil, fmt.Errorf("%w: only %d inspectors without a conflict with %s; %d needed", ErrRoster, eligible, code, n)
		}
		level := minLoad
		for ; level < maxLoad; level++ {
			c := 0
			for i := range roster {
				if !barred[i] && load[i] <= level {
					c++
				}
			}
			if c >= n {
				break
			}
		}
		cands = cands[:0]
		for i := range roster {
			if barred[i] || load[i] > level {
				continue
			}
			buf = append(append(append(append(buf[:0], seed[:]...), code...), 0), ids[i]...)
			cands = append(cands, cand{load[i], sha256.Sum256(buf), i})
		}
		slices.SortFunc(cands, func(a, b cand) int {
			if a.load != b.load {
				return a.load - b.load
			}
			if c := bytes.Compare(a.h[:], b.h[:]); c != 0 {
				return c
			}
			return strings.Compare(ids[a.i], ids[b.i])
		})
		as := Assignment{Rank: r + 1, Code: code, Inspectors: make([]string, n)}
		for j := 0; j < n; j++ {
			as.Inspectors[j] = ids[cands[j].i]
			load[cands[j].i]++
		}
		out[r] = as
		for _, i := range conflicted[code] {
			barred[i] = false
		}
	}
	return out, nil
}

// Result returns the result text of assignments (see the package doc).
func Result(as []Assignment) []byte {
	var buf bytes.Buffer
	for _, a := range as {
		buf.WriteString(strconv.Itoa(a.Rank))
		buf.WriteByte('\t')
		buf.WriteString(a.Code)
		for _, i := range a.Inspectors {
			buf.WriteByte('\t')
			buf.WriteString(i)
		}
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// ParseResult reads a result text.
func ParseResult(text []byte) ([]Assignment, error) {
	if len(text) == 0 {
		return nil, nil
	}
	if text[len(text)-1] != '\n' {
		return nil, fmt.Errorf("%w: the result text must end with a line feed", ErrText)
	}
	var out []Assignment
	for i, line := range strings.Split(string(text[:len(text)-1]), "\n") {
		f := strings.Split(line, "\t")
		ok := f[0] == strconv.Itoa(i+1) && len(f) >= 2
		for _, x := range f[1:] {
			ok = ok && printable(x)
		}
		if !ok {
			return nil, fmt.Errorf("%w: result line %d is not \"%d<TAB>code<TAB>inspector…\"", ErrText, i+1, i+1)
		}
		out = append(out, Assignment{Rank: i + 1, Code: f[1], Inspectors: f[2:]})
	}
	return out, nil
}

// Run draws k of the population and assigns n inspectors to each: Select then Assign.
// codes must be in ascending order.
func Run(seed Seed, codes []string, k int, roster []Inspector, n int) ([]Assignment, error) {
	sel, err := Select(seed, codes, k)
	if err != nil {
		return nil, err
	}
	return Assign(seed, sel, roster, n)
}
