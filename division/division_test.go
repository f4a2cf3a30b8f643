package division

import (
	"testing"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		code string
		want Division
		full string
		lvl  Level
	}{
		{"310000", Division{"310000", "上海市", "上海市", "", ""}, "上海市", Provincial},
		{"31", Division{"310000", "上海市", "上海市", "", ""}, "上海市", Provincial},
		{"310100", Division{"310100", "市辖区", "上海市", "", ""}, "上海市市辖区", Prefectural},
		{"310115", Division{"310115", "浦东新区", "上海市", "", "浦东新区"}, "上海市浦东新区", County},
		{"500229", Division{"500229", "城口县", "重庆市", "", "城口县"}, "重庆市城口县", County},
		{"3301", Division{"330100", "杭州市", "浙江省", "杭州市", ""}, "浙江省杭州市", Prefectural},
		{"330106", Division{"330106", "西湖区", "浙江省", "杭州市", "西湖区"}, "浙江省杭州市西湖区", County},
		{"440305", Division{"440305", "南山区", "广东省", "深圳市", "南山区"}, "广东省深圳市南山区", County},
		{"441900", Division{"441900", "东莞市", "广东省", "东莞市", ""}, "广东省东莞市", Prefectural},
		{"429004", Division{"429004", "仙桃市", "湖北省", "", "仙桃市"}, "湖北省仙桃市", County},
		{"100000", Division{"100000", "国家", "", "", ""}, "国家", National},
	}
	for _, tt := range tests {
		got, ok := Lookup(tt.code)
		if !ok || got != tt.want {
			t.Errorf("Lookup(%q) = %+v, %v; want %+v, true", tt.code, got, ok, tt.want)
			continue
		}
		if f := got.FullName(); f != tt.full {
			t.Errorf("Lookup(%q).FullName() = %q, want %q", tt.code, f, tt.full)
		}
		if l := got.Level(); l != tt.lvl {
			t.Errorf("Lookup(%q).Level() = %v, want %v", tt.code, l, tt.lvl)
		}
	}
}

func TestLookupMissing(t *testing.T) {
	for _, code := range []string{"", "3", "310", "31011", "3101150", "31a115", "999999", "310199", "00", "０１"} {
		if d, ok := Lookup(code); ok {
			t.Errorf("Lookup(%q) = %+v, true; want false", code, d)
		}
	}
}

func TestTables(t *testing.T) {
	ps := Provinces()
	if len(ps) != 31 {
		t.Errorf("len(Provinces()) = %d, want 31", len(ps))
	}
	as := Areas()
	if len(as) < 2800 {
		t.Fatalf("len(Areas()) = %d, want about 2,980", len(as))
	}
	seen := map[string]bool{}
	for i, a := range as {
		if i > 0 && as[i-1].Code >= a.Code {
			t.Errorf("Areas() out of order at %d: %s after %s", i, a.Code, as[i-1].Code)
		}
		if seen[a.Code] {
			t.Errorf("Areas(): duplicate %s", a.Code)
		}
		seen[a.Code] = true
		if got, ok := Lookup(a.Code); !ok || got != a {
			t.Errorf("Lookup(%s) = %+v, %v; want %+v (from Areas)", a.Code, got, ok, a)
		}
		if a.Province == "" || a.Name == "" {
			t.Errorf("area %+v lacks a name", a)
		}
	}
	for _, c := range []string{"620201", "441900", "110101", "659012"} {
		if !seen[c] {
			t.Errorf("Areas() lacks %s", c)
		}
	}
	as[0].Name = "changed"
	if Areas()[0].Name == "changed" {
		t.Error("Areas() shares its backing array with the caller")
	}
}

func TestInJurisdiction(t *testing.T) {
	tests := []struct {
		code, prefix string
		want         bool
	}{
		{"310115", "310000", true},
		{"310115", "31", true},
		{"310115", "310100", true},
		{"310115", "3101", true},
		{"310115", "310115", true},
		{"310116", "310115", false},
		{"320115", "310000", false},
		{"330106", "330100", true},
		{"330206", "330100", false},
		{"330106", "100000", true},
		{"330106", "000000", true},
		{"330106", "", false},
		{"330106", "3", false},
		{"330106", "33010", false},
		{"330106", "3x0000", false},
		{"33010", "330000", false},
		{"33010x", "330000", false},
		{"999999", "990000", true}, // unlisted codes still have a place
	}
	for _, tt := range tests {
		if got := InJurisdiction(tt.code, tt.prefix); got != tt.want {
			t.Errorf("InJurisdiction(%q, %q) = %v, want %v", tt.code, tt.prefix, got, tt.want)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	load()
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := Lookup("310115"); !ok {
			b.Fatal("missing")
		}
	}
}

func TestCityDistricts(t *testing.T) {
	d, ok := Lookup("440301")
	want := Division{"440301", "市辖区", "广东省", "深圳市", "市辖区"}
	if !ok || d != want {
		t.Errorf("Lookup(440301) = %+v, %v; want %+v", d, ok, want)
	}
	if f := d.FullName(); f != "广东省深圳市市辖区" {
		t.Errorf("FullName() = %q, want 广东省深圳市市辖区", f)
	}
	for _, code := range []string{"441901", "310101", "110101"} {
		if d, ok := Lookup(code); ok && d.Name == "市辖区" {
			t.Errorf("Lookup(%s) = %+v; no 市辖区 entry there", code, d)
		}
	}
	for _, a := range Areas() {
		if a.Name == "市辖区" {
			t.Errorf("Areas() holds %+v", a)
		}
	}
}

func TestAbbreviation(t *testing.T) {
	for code, want := range map[string]string{"310000": "沪", "310115": "沪浦", "130709": "冀张崇", "330100": "浙杭", "100000": ""} {
		d, ok := Lookup(code)
		if !ok {
			t.Fatalf("Lookup(%s) failed", code)
		}
		if got := d.Abbreviation(); got != want {
			t.Errorf("%s: got %q, want %q", code, got, want)
		}
	}
	for _, p := range Provinces() {
		if p.Abbreviation() == "" {
			t.Errorf("%s %s has no abbreviation", p.Code, p.Name)
		}
	}
}
