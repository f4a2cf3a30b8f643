package gongshi_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/gongshi/gongshi"
)

func TestCleanText(t *testing.T) {
	for _, c := range []struct {
		name, in string
		rule     gongshi.TextRule
		want     string // the clean text; "" with wantErr
		wantErr  string // a part of the error message
	}{
		{"trimmed", "  上海市浦东新区张江路1号 ", gongshi.TextLine, "上海市浦东新区张江路1号", ""},
		{"NFC", "Cafe\u0301 上海", gongshi.TextLine, "Café 上海", ""},
		{"NUL", "上海\x00公司", gongshi.TextLine, "", "U+0000, a control character, at character 3"},
		{"BEL", "\a上海", gongshi.TextLine, "", "U+0007, a control character, at character 1"},
		{"ESC sequence", "上海\x1b[31m公司", gongshi.TextLine, "", "U+001B, a control character, at character 3"},
		{"right-to-left override", "上海\u202e公司", gongshi.TextLine, "", "U+202E, an invisible format character (such as a text-direction override"},
		{"zero-width space", "上海\u200b公司", gongshi.TextLine, "", "U+200B"},
		{"byte-order mark", "\ufeff上海", gongshi.TextLine, "", "U+FEFF, an invisible format character"},
		{"private use", "上海\ue000", gongshi.TextLine, "", "U+E000, a private-use character, at character 3"},
		{"line separator", "上海\u2028公司", gongshi.TextLine, "", "line or paragraph separator"},
		{"replacement character", "上海\ufffd", gongshi.TextLine, "", "replacement character"},
		{"invalid UTF-8", "上海\xff公司", gongshi.TextLine, "", "not valid UTF-8 (byte 7, character 3)"},
		{"CESU surrogate", "上海\xed\xa0\x80", gongshi.TextLine, "", "not valid UTF-8"},
		{"newline in one line", "上海\n公司", gongshi.TextLine, "", "U+000A, a line break, at character 3"},
		{"newline in paragraphs", "第一段\r\n第二段\n\t第三段", gongshi.TextMultiline, "第一段\n第二段\n\t第三段", ""},
		{"lone CR in paragraphs", "第一段\r第二段", gongshi.TextMultiline, "", "U+000D, a line break"},
		{"ESC in paragraphs", "第一段\n\x1b", gongshi.TextMultiline, "", "a control character"},
		{"too long", strings.Repeat("字", 1400), gongshi.TextLine, "", "4200 bytes long; the most is 4000"},

		{"enterprise name", "上海杰图天下网络科技有限公司", gongshi.TextEnterpriseName, "上海杰图天下网络科技有限公司", ""},
		{"enterprise name with brackets and letters", "华为技术（深圳）有限公司A&B", gongshi.TextEnterpriseName, "华为技术（深圳）有限公司A&B", ""},
		{"one-character enterprise name", "甲", gongshi.TextEnterpriseName, "", "1 characters long; an enterprise name has 4 to 100"},
		{"enterprise name of markup", "<b>上海公司</b>", gongshi.TextEnterpriseName, "", `'<' at character 1 cannot be part of an enterprise name`},
		{"enterprise name with an emoji", "上海快乐😀有限公司", gongshi.TextEnterpriseName, "", "at character 5"},
		{"person name", "阿依古丽·买买提", gongshi.TextPersonName, "阿依古丽·买买提", ""},
		{"person name with a digit", "张3", gongshi.TextPersonName, "", "'3' at character 2 cannot be part of a person's name"},
		{"one-character person name", "张", gongshi.TextPersonName, "", "a person's name has 2 to 50"},
		{"party name", "上海张江高科技园区开发股份有限公司", gongshi.TextPartyName, "上海张江高科技园区开发股份有限公司", ""},
		{"document number", "沪市监浦处〔2026〕1号", gongshi.TextDocumentNo, "沪市监浦处〔2026〕1号", ""},
		{"patent number", "ZL20211234567.8", gongshi.TextDocumentNo, "ZL20211234567.8", ""},
		{"document number without a digit", "沪市监浦处", gongshi.TextDocumentNo, "", "has no digit"},
		{"document number of one character", "1", gongshi.TextDocumentNo, "", "a document number has 2 to 64"},
		{"document number with a quote", `沪"2026"1号`, gongshi.TextDocumentNo, "", `'"' at character 2`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := gongshi.CleanText("f", c.in, c.rule)
			if c.wantErr == "" {
				if err != nil || got != c.want {
					t.Fatalf("got %q, %v; want %q", got, err, c.want)
				}
				return
			}
			e := gongshi.AsError(err)
			if e == nil || e.Code != gongshi.EINVALID || e.Field != "f" || !strings.Contains(e.Message, c.wantErr) || e.Fix == "" {
				t.Fatalf("got %q, %v; want an invalid error on f saying %q, with a fix", got, err, c.wantErr)
			}
		})
	}
}

// FuzzCleanText: whatever comes in, what comes out clean is valid UTF-8 in NFC, holds no
// character a published text may not hold, and is its own clean form.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"上海公司", "a\x00b", "\u202e", "x\r\ny", "\xff", "Cafe\u0301", " 上海 "} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, multiline bool) {
		rule := gongshi.TextLine
		if multiline {
			rule = gongshi.TextMultiline
		}
		got, err := gongshi.CleanText("f", s, rule)
		if err != nil {
			if gongshi.ErrorCode(err) != gongshi.EINVALID {
				t.Fatalf("%q: got error %v, want an invalid error", s, err)
			}
			return
		}
		if !utf8.ValidString(got) || !norm.NFC.IsNormalString(got) {
			t.Fatalf("%q: got %q, not valid UTF-8 in NFC", s, got)
		}
		for _, r := range got {
			if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co) && !(multiline && (r == '\n' || r == '\t')) {
				t.Fatalf("%q: got %q holding %U", s, got, r)
			}
		}
		if again, err := gongshi.CleanText("f", got, rule); err != nil || again != got {
			t.Fatalf("%q: cleaning %q again gives %q, %v", s, got, again, err)
		}
	})
}
