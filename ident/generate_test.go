package ident

import (
	"testing"
)

func TestGenerateUSCC(t *testing.T) {
	seen := map[USCC]uint64{}
	for seq := uint64(0); seq < 100000; seq++ {
		u, err := GenerateUSCC('9', '2', "440305", seq)
		if err != nil {
			t.Fatalf("GenerateUSCC(seq %d): %v", seq, err)
		}
		if prev, dup := seen[u]; dup {
			t.Fatalf("GenerateUSCC: seq %d and %d both give %v", prev, seq, u)
		}
		seen[u] = seq
		if u2, err := ParseUSCC(u.String()); err != nil || u2 != u {
			t.Fatalf("ParseUSCC(%v) = %v, %v", u, u2, err)
		}
	}
	u, err := GenerateUSCC('9', '1', "310115", orgSpace-1)
	if err != nil || !refUSCCValid(u.String()) {
		t.Errorf("GenerateUSCC(last seq) = %v, %v", u, err)
	}
	for _, tt := range []struct {
		a, e byte
		div  string
		seq  uint64
	}{
		{'I', '1', "310115", 1},
		{'9', 'O', "310115", 1},
		{'9', '1', "31011", 1},
		{'9', '1', "31011X", 1},
		{'9', '1', "310115", orgSpace},
	} {
		if u, err := GenerateUSCC(tt.a, tt.e, tt.div, tt.seq); err == nil {
			t.Errorf("GenerateUSCC(%q, %q, %q, %d) = %v, want an error", tt.a, tt.e, tt.div, tt.seq, u)
		}
	}
}

func TestGenerateRegNo(t *testing.T) {
	r, err := GenerateRegNo("440301", 10309741)
	if err != nil || r.String() != "440301103097413" {
		t.Errorf("GenerateRegNo(440301, 10309741) = %v, %v; want 440301103097413 (华为)", r, err)
	}
	if r, err := GenerateRegNo("440301", 1e8); err == nil {
		t.Errorf("GenerateRegNo(seq 1e8) = %v, want an error", r)
	}
	if r, err := GenerateRegNo("4403", 1); err == nil {
		t.Errorf("GenerateRegNo(division 4403) = %v, want an error", r)
	}
	if r, _ := GenerateRegNo("440301", 60000001); r.Sector() != SectorIndividual {
		t.Errorf("GenerateRegNo(…, 6…).Sector() = %v, want %v", r.Sector(), SectorIndividual)
	}
}

func TestGenerateAllocs(t *testing.T) {
	n := testing.AllocsPerRun(100, func() {
		GenerateUSCC('9', '1', "310115", 12345)
		GenerateRegNo("310115", 12345)
		ParseUSCC("914403001922038216")
		ParseRegNo("440301103097413")
		ParseOrgCode("19220382-1")
	})
	if n != 0 {
		t.Errorf("Generate and Parse allocate %v times per run, want 0", n)
	}
}

func BenchmarkGenerateUSCC(b *testing.B) {
	var seq uint64
	for b.Loop() {
		seq++
		if _, err := GenerateUSCC('9', '1', "310115", seq); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseUSCC(b *testing.B) {
	for b.Loop() {
		if _, err := ParseUSCC("914403001922038216"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCode(b *testing.B) {
	for b.Loop() {
		if _, err := ParseCode("440301103097413"); err != nil {
			b.Fatal(err)
		}
	}
}
