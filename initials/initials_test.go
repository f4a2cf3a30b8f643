package initials_test

import (
	"fmt"
	"testing"

	"github.com/gongshi/gongshi/initials"
)

func TestOf(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"上海杰图天下网络科技有限公司", "shjttxwlkjyxgs"},
		{"ABC科技有限公司", "abckjyxgs"},
		{"3M中国有限公司", "3mzgyxgs"},
		{"Ｈ＆Ｍ（中国）商业有限公司", "hmzgsyyxgs"}, // full-width letters kept, punctuation dropped
		{"上海（集团）有限公司", "shjtyxgs"},
		{"上海 浦东·发展-有限公司", "shpdfzyxgs"},
		// Polyphonic characters read as in the words table, and by default elsewhere.
		{"重庆银行股份有限公司", "cqyhgfyxgs"},
		{"长沙市重工机械有限公司", "csszgjxyxgs"},
		{"厦门大厦物业管理有限公司", "xmdswyglyxgs"},
		{"上海长宁琴行", "shcnqh"},
		{"旅行社", "lxs"},
		{"", ""},
		{"（）·—", ""},
	} {
		if got := initials.Of(tt.name); got != tt.want {
			t.Errorf("Of(%q): got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// FuzzOf checks that initials are only ever lower-case ASCII letters and digits.
func FuzzOf(f *testing.F) {
	for _, s := range []string{"上海杰图天下网络科技有限公司", "ABC科技", "Ｈ＆Ｍ（中国）", "重庆", "长", "\xff\xfe", "嗯呣〇"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range []byte(initials.Of(s)) {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
				t.Fatalf("Of(%q) = %q: has %q", s, initials.Of(s), c)
			}
		}
	})
}

func ExampleOf() {
	fmt.Println(initials.Of("上海杰图天下网络科技有限公司"))
	fmt.Println(initials.Of("重庆银行股份有限公司"))
	fmt.Println(initials.Of("ABC（中国）科技有限公司"))
	// Output:
	// shjttxwlkjyxgs
	// cqyhgfyxgs
	// abczgkjyxgs
}

func BenchmarkOf(b *testing.B) {
	initials.Of("") // builds the table
	for b.Loop() {
		initials.Of("上海杰图天下网络科技有限公司")
	}
}
