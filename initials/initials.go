// Package initials computes the pinyin initials (拼音首字母) of an enterprise name, which
// people type to find a company quickly: "shjt" for 上海杰图天下网络科技有限公司, whose
// initials are "shjttxwlkjyxgs".
//
// Of maps each character of a name in turn:
//
//   - a Chinese character to the first letter of its pinyin, by the default (most common)
//     reading of github.com/mozillazg/go-pinyin, except in the few words of a small table where
//     a polyphonic character is read otherwise in names (重庆 cq, 长沙 cs, 银行 yh, 厦门 xm …);
//   - an ASCII letter or digit, half- or full-width, to itself in lower case (ABC → abc);
//   - anything else (spaces, punctuation such as （）, characters with no pinyin) to nothing.
//
// The result is therefore made only of the bytes a–z and 0–9, so it sorts the same under any
// collation that orders ASCII letters and digits by byte value.
package initials

import (
	"strings"
	"sync"
	"unicode/utf8"

	pinyin "github.com/mozillazg/go-pinyin"
)

// words are two-character words common in enterprise names in which a character is not read
// by its default reading, with the initials they are read with.
var words = map[string]string{
	// 重 zhòng → chóng; 长 zhǎng → cháng
	"重庆": "cq", "长沙": "cs", "长春": "cc", "长江": "cj", "长城": "cc", "长安": "ca",
	"长宁": "cn", "长寿": "cs", "长治": "cz", "长兴": "cx",
	// 行 xíng → háng
	"银行": "yh", "商行": "sh", "车行": "ch", "琴行": "qh",
	// 厦 shà → xià; 会 huì → kuài; 藏 cáng → zàng; 调 diào → tiáo; 乐 lè → yuè;
	// 伽 gā → jiā; 番 fān → pān; 莘 shēn → xīn
	"厦门": "xm", "会计": "kj", "西藏": "xz", "空调": "kt", "音乐": "yy",
	"瑜伽": "yj", "番禺": "py", "莘庄": "xz",
}

var firstLetter = pinyin.Args{Style: pinyin.FirstLetter}

// cjk holds the initial of each character of the CJK Unified Ideographs block (0 for none),
// computed once: go-pinyin's own lookup cost a bulk load 4% of its time.
var cjk = sync.OnceValue(func() *[cjkEnd - cjkStart]byte {
	var t [cjkEnd - cjkStart]byte
	for r := rune(cjkStart); r < cjkEnd; r++ {
		t[r-cjkStart] = letterOf(r)
	}
	return &t
})

const cjkStart, cjkEnd = 0x4E00, 0xA000

func letterOf(r rune) byte {
	if p := pinyin.SinglePinyin(r, firstLetter); len(p) > 0 && len(p[0]) == 1 && p[0][0] >= 'a' && p[0][0] <= 'z' {
		return p[0][0]
	}
	return 0
}

// wordAt returns the initials of the table's word that s starts with, if any.
func wordAt(s string) (string, bool) {
	r, n := utf8.DecodeRuneInString(s)
	if !strings.ContainsRune("重长银商车琴厦会西空音瑜番莘", r) { // the words' first characters
		return "", false
	}
	_, m := utf8.DecodeRuneInString(s[n:])
	w, ok := words[s[:n+m]]
	return w, ok
}

// Of returns the lower-case pinyin initials of name (see the package comment).
func Of(name string) string {
	b := make([]byte, 0, len(name)/3+8)
	var second byte // the initial of a table word's second character, next
	for i, r := range name {
		if second != 0 {
			b, second = append(b, second), 0
			continue
		}
		if w, ok := wordAt(name[i:]); ok {
			b, second = append(b, w[0]), w[1]
			continue
		}
		if r >= '！' && r <= '～' { // full-width forms of ASCII ! … ~
			r -= '！' - '!'
		}
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b = append(b, byte(r))
		case r >= 'A' && r <= 'Z':
			b = append(b, byte(r-'A'+'a'))
		case r >= cjkStart && r < cjkEnd:
			if c := cjk()[r-cjkStart]; c != 0 {
				b = append(b, c)
			}
		default:
			if c := letterOf(r); c != 0 {
				b = append(b, c)
			}
		}
	}
	return string(b)
}
