package draw_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gongshi/gongshi/draw"
)

// independent is a draw written from the package documentation alone, naively: it hashes
// every eligible inspector and sorts everything. It must agree with the package.
func independent(seed []byte, population []string, k int, roster map[string][]string, n int) string {
	codes := append([]string(nil), population...)
	sort.Strings(codes)
	key := func(c string) string {
		h := sha256.Sum256(append(append([]byte{}, seed...), c...))
		return string(h[:])
	}
	sort.SliceStable(codes, func(i, j int) bool {
		a, b := key(codes[i]), key(codes[j])
		if a != b {
			return a < b
		}
		return codes[i] < codes[j]
	})
	ids := make([]string, 0, len(roster))
	for id := range roster {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	load := map[string]int{}
	var out strings.Builder
	for r, c := range codes[:k] {
		var el []string
		for _, id := range ids {
			ok := true
			for _, x := range roster[id] {
				if x == c {
					ok = false
				}
			}
			if ok {
				el = append(el, id)
			}
		}
		h := func(id string) string {
			b := append(append(append(append([]byte{}, seed...), c...), 0), id...)
			s := sha256.Sum256(b)
			return string(s[:])
		}
		sort.Slice(el, func(i, j int) bool {
			if load[el[i]] != load[el[j]] {
				return load[el[i]] < load[el[j]]
			}
			if h(el[i]) != h(el[j]) {
				return h(el[i]) < h(el[j])
			}
			return el[i] < el[j]
		})
		out.WriteString(strconv.Itoa(r+1) + "\t" + c)
		for _, id := range el[:n] {
			out.WriteString("\t" + id)
			load[id]++
		}
		out.WriteString("\n")
	}
	return out.String()
}

func codes(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("91310115MA%08d", i)
	}
	return out
}

func seed(b byte) draw.Seed {
	var s draw.Seed
	for i := range s {
		s[i] = b + byte(i)
	}
	return s
}

func roster(n int, conflicts map[int][]string) []draw.Inspector {
	out := make([]draw.Inspector, n)
	for i := range out {
		out[i] = draw.Inspector{ID: fmt.Sprintf("insp-%03d", i), Conflicts: conflicts[i]}
	}
	return out
}

func rosterMap(r []draw.Inspector) map[string][]string {
	m := map[string][]string{}
	for _, in := range r {
		m[in.ID] = in.Conflicts
	}
	return m
}

func TestMatchesIndependentProgram(t *testing.T) {
	for _, tc := range []struct{ pop, k, inspectors, n int }{
		{1, 1, 4, 2}, {10, 3, 4, 2}, {100, 3, 5, 2}, {1000, 30, 7, 2}, {1000, 300, 9, 3}, {1000, 1000, 4, 2},
	} {
		pop := codes(tc.pop)
		conf := map[int][]string{0: {pop[0], pop[5%tc.pop]}, 1: {pop[tc.pop/2]}}
		r := roster(tc.inspectors, conf)
		s := seed(byte(tc.pop))
		got, err := draw.Run(s, pop, tc.k, r, tc.n)
		if err != nil {
			t.Fatal(err)
		}
		want := independent(s[:], pop, tc.k, rosterMap(r), tc.n)
		if string(draw.Result(got)) != want {
			t.Errorf("pop %d k %d: got\n%.300s\nwant\n%.300s", tc.pop, tc.k, draw.Result(got), want)
		}
	}
}

func TestConflictsAndLoad(t *testing.T) {
	pop := codes(500)
	conf := map[int][]string{}
	for i := 0; i < 500; i += 3 {
		conf[i%10] = append(conf[i%10], pop[i])
	}
	r := roster(10, conf)
	as, err := draw.Run(seed(1), pop, 200, r, 2)
	if err != nil {
		t.Fatal(err)
	}
	m := rosterMap(r)
	load := map[string]int{}
	for _, a := range as {
		if len(a.Inspectors) != 2 || a.Inspectors[0] == a.Inspectors[1] {
			t.Fatalf("%s: inspectors %v", a.Code, a.Inspectors)
		}
		for _, id := range a.Inspectors {
			load[id]++
			for _, c := range m[id] {
				if c == a.Code {
					t.Errorf("%s assigned to %s despite a declared conflict", id, a.Code)
				}
			}
		}
	}
	lo, hi := 1<<30, 0
	for _, l := range load {
		lo, hi = min(lo, l), max(hi, l)
	}
	if hi-lo > 2 {
		t.Errorf("loads range from %d to %d, want an even spread", lo, hi)
	}
}

func TestChangesChangeResult(t *testing.T) {
	pop := codes(1000)
	r := roster(6, nil)
	base, _ := draw.Run(seed(1), pop, 30, r, 2)
	other, _ := draw.Run(seed(2), pop, 30, r, 2)
	if bytes.Equal(draw.Result(base), draw.Result(other)) {
		t.Error("changing the seed did not change the result")
	}
	// Replace the first selected member by another code.
	pop2 := append([]string(nil), pop...)
	for i, c := range pop2 {
		if c == base[0].Code {
			pop2[i] = "91310115MB00000000"
		}
	}
	p2, _ := draw.Population(pop2)
	d1, _ := draw.Population(append([]string(nil), pop...))
	if draw.Digest(p2) == draw.Digest(d1) {
		t.Error("changing a member did not change the population digest")
	}
	codes2, _ := draw.ParsePopulation(p2)
	changed, _ := draw.Run(seed(1), codes2, 30, r, 2)
	if bytes.Equal(draw.Result(base), draw.Result(changed)) {
		t.Error("changing one population member did not change the result")
	}
}

func TestBadInput(t *testing.T) {
	pop := codes(10)
	if _, err := draw.Select(seed(1), pop, 0); err == nil {
		t.Error("k = 0 accepted")
	}
	if _, err := draw.Select(seed(1), pop, 11); err == nil {
		t.Error("k > population accepted")
	}
	if _, err := draw.Run(seed(1), pop, 5, roster(1, nil), 2); err == nil {
		t.Error("one inspector for two places accepted")
	}
	if _, err := draw.Run(seed(1), pop, 10, roster(2, map[int][]string{0: {pop[3]}}), 2); err == nil {
		t.Error("a conflicted inspector was needed but the draw did not fail")
	}
	if _, err := draw.Population([]string{"A", "A"}); err == nil {
		t.Error("duplicate code accepted")
	}
	if _, err := draw.ParsePopulation([]byte("B\nA\n")); err == nil {
		t.Error("unsorted population text accepted")
	}
	if _, err := draw.ParseSeed("00"); err == nil {
		t.Error("short seed accepted")
	}
}

func TestTextsRoundTrip(t *testing.T) {
	r := roster(3, map[int][]string{1: {"B", "A"}})
	text, err := draw.Roster(r)
	if err != nil {
		t.Fatal(err)
	}
	if want := "insp-000\ninsp-001\tA\tB\ninsp-002\n"; string(text) != want {
		t.Errorf("roster text: got %q, want %q", text, want)
	}
	back, err := draw.ParseRoster(text)
	if err != nil || len(back) != 3 || len(back[1].Conflicts) != 2 {
		t.Errorf("ParseRoster: got %v, %v", back, err)
	}
	as, _ := draw.Run(seed(3), codes(20), 4, r, 2)
	res, err := draw.ParseResult(draw.Result(as))
	if err != nil || len(res) != 4 || res[2].Inspectors[1] != as[2].Inspectors[1] {
		t.Errorf("ParseResult: %v %v", res, err)
	}
	s := seed(9)
	if p, _ := draw.ParseSeed(s.String()); p != s {
		t.Error("seed round trip")
	}
	want := sha256.Sum256(s[:])
	if s.Commitment() != hex.EncodeToString(want[:]) {
		t.Error("commitment is not SHA-256 of the seed bytes")
	}
}

func ExampleRun() {
	var seed draw.Seed // all zero, for the example only
	pop := []string{"91310115MA1FL00010", "91310115MA1FL00029", "91310115MA1FL00037", "91310115MA1FL00045"}
	text, _ := draw.Population(pop)
	fmt.Println(draw.Digest(text)[:16])
	as, _ := draw.Run(seed, pop, 2, []draw.Inspector{{ID: "li"}, {ID: "wang"}, {ID: "zhao", Conflicts: []string{"91310115MA1FL00029"}}}, 2)
	fmt.Print(string(draw.Result(as)))
	// Output:
	// 5f65273e8f043a07
	// 1	91310115MA1FL00029	wang	li
	// 2	91310115MA1FL00045	zhao	wang
}

// BenchmarkDraw3PercentOfAMillion: a 3% draw over 1,000,000 enterprises with 200
// inspectors, some with conflicts (target ≤ 5 s per draw).
func BenchmarkDraw3PercentOfAMillion(b *testing.B) {
	pop := codes(1_000_000)
	conf := map[int][]string{}
	for i := 0; i < 200; i++ {
		for j := 0; j < 50; j++ {
			conf[i] = append(conf[i], pop[(i*7919+j*104729)%len(pop)])
		}
	}
	r := roster(200, conf)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		text, err := draw.Population(pop)
		if err != nil {
			b.Fatal(err)
		}
		_ = draw.Digest(text)
		as, err := draw.Run(seed(byte(i)), pop, 30_000, r, 2)
		if err != nil || len(as) != 30_000 {
			b.Fatal(err)
		}
	}
}
