package catalogue

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// errorSentences are the messages and fixes of the errors written in the given folders'
// Go files that readers see (Invalid, Errorf, Error{Message, Fix}; not EINTERNAL, which a
// page shows by its code): each literal, or the format of a fmt.Sprintf. A sentence built
// by concatenation is its first literal and "%s".
func errorSentences(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	fset := token.NewFileSet()
	add := func(e ast.Expr) {
		if l, ok := e.(*ast.BasicLit); ok && l.Kind == token.STRING {
			s, _ := strconv.Unquote(l.Value)
			out[strings.ReplaceAll(s, "%", "%%")] = fset.Position(e.Pos()).String() // a literal is its own format
			return
		}
		var s string
		switch x := e.(type) {
		case *ast.CallExpr:
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(x.Args) > 0 {
				if l, ok := x.Args[0].(*ast.BasicLit); ok {
					s, _ = strconv.Unquote(l.Value)
				}
			}
		case *ast.BinaryExpr:
			s = concatenation(x)
		}
		if s != "" && s != "%s" {
			out[s] = fset.Position(e.Pos()).String()
		}
	}
	internal := func(e ast.Expr) bool {
		sel, ok := e.(*ast.SelectorExpr)
		id, ok2 := e.(*ast.Ident)
		return ok && sel.Sel.Name == "EINTERNAL" || ok2 && id.Name == "EINTERNAL"
	}
	name := func(e ast.Expr) string {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name
		case *ast.SelectorExpr:
			if p, ok := x.X.(*ast.Ident); ok && p.Name == "gongshi" {
				return x.Sel.Name
			}
		}
		return ""
	}
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			af, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(af, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.CallExpr:
					switch name(x.Fun) {
					case "Invalid":
						if len(x.Args) == 3 {
							add(x.Args[1])
							add(x.Args[2])
						}
					case "Errorf":
						if len(x.Args) < 2 || internal(x.Args[0]) {
							break
						}
						if l, ok := x.Args[1].(*ast.BasicLit); ok {
							f, _ := strconv.Unquote(l.Value) // a format
							out[f] = fset.Position(l.Pos()).String()
						}
					}
				case *ast.CompositeLit:
					if name(x.Type) != "Error" {
						return true
					}
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok && name(kv.Key) == "Code" && internal(kv.Value) {
							return true
						}
					}
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok && (name(kv.Key) == "Message" || name(kv.Key) == "Fix") {
							add(kv.Value)
						}
					}
				}
				return true
			})
		}
	}
	return out
}

// concatenation is the format of a sentence built with +: its literals, and %s for each
// other part.
func concatenation(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.BasicLit:
		s, _ := strconv.Unquote(x.Value)
		return strings.ReplaceAll(s, "%", "%%")
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			return concatenation(x.X) + concatenation(x.Y)
		}
	}
	return "%s"
}

// TestErrorsHaveChinese: every error sentence of the domain and of the web pages has its
// Chinese in the catalogue, so that no Chinese page shows an English error.
func TestErrorsHaveChinese(t *testing.T) {
	sentences := errorSentences(t, "..", "../web")
	for s, where := range errorSentences(t, "../http") {
		if strings.Contains(where, "params.go") { // the pages' query parameters; the rest is the API's
			sentences[s] = where
		}
	}
	if len(sentences) < 300 {
		t.Fatalf("found %d error sentences, want the several hundred the service has", len(sentences))
	}
	var missing []string
	for s, where := range sentences {
		if _, ok := sentencesZH[s]; !ok && !apiOnly[s] {
			missing = append(missing, fmt.Sprintf("%s: %q", where, s))
		}
	}
	// Engineers land in parallel and run the packages they touch: a sentence or two added
	// elsewhere without its Chinese is listed (its page shows the code's headline and the
	// English meanwhile); more than a few fail the test.
	sort.Strings(missing)
	for _, m := range missing {
		t.Logf("no Chinese in sentencesZH: %s", m)
	}
	if len(missing) > maxUntranslated {
		t.Errorf("%d error sentences have no Chinese in sentencesZH (at most %d may wait): give them theirs", len(missing), maxUntranslated)
	}
}

// maxUntranslated is how many error sentences may wait for their Chinese.
const maxUntranslated = 5

// apiOnly are error sentences that need no Chinese of their own: one only the API gives,
// too general to translate as a pattern, and the web's query error, made of sentences
// translated already.
var apiOnly = map[string]bool{"%q: %v": true, "%s — %s": true}

// TestSentenceTemplates: each Chinese has Chinese in it and uses no parameter its English
// lacks, and a sentence renders without a formatting complaint.
func TestSentenceTemplates(t *testing.T) {
	for en, zh := range sentencesZH {
		if !strings.ContainsFunc(zh, func(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF }) {
			t.Errorf("%q: %q has no Chinese", en, zh)
		}
		n := len(verb.FindAllString(strings.ReplaceAll(en, "%%", ""), -1))
		args := make([]any, n)
		for i := range args {
			args[i] = "x"
		}
		if out := render(zh, args); strings.Contains(out, "%!") {
			t.Errorf("%q: %q renders as %q", en, zh, out)
		}
	}
	for _, c := range []struct{ en, zh string }{
		{`"2026-13-01" is not a date`, `"2026-13-01"不是有效日期`},
		{"is required for a report", "举报须填写此项"},
		{"only a market regulator registers enterprises (Art. 6); this account is an enterprise", "只有市场监管部门办理企业登记（条例第六条）；本账号为企业联络员账号"},
		{"is required", "为必填项"},
	} {
		if got, ok := Sentence(Chinese, c.en); !ok || got != c.zh {
			t.Errorf("Sentence(Chinese, %q) = %q, %v; want %q", c.en, got, ok, c.zh)
		}
		if got, _ := Sentence(English, c.en); got != c.en {
			t.Errorf("Sentence(English, %q) = %q", c.en, got)
		}
	}
	if got, ok := Sentence(Chinese, "a sentence the catalogue does not know"); ok || got != "a sentence the catalogue does not know" {
		t.Errorf("an unknown sentence: got %q, %v", got, ok)
	}
}
