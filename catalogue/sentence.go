package catalogue

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// The service's errors are written in English: a message saying what is wrong and a fix
// saying how to mend it (gongshi.Error). The catalogue keys each sentence by the English
// format it is made from — "%q is not a date" — and gives its Chinese, with the
// parameters in place: "%[1]s不是有效日期". A sentence is matched whole, so the Chinese
// carries exactly the values the English did (a code, a date, a count).

// sentence is a format with parameters, compiled to match the sentences made from it.
type sentence struct {
	re  *regexp.Regexp
	zh  string
	lit int // the length of its fixed text: the more fixed text, the more specific
}

var (
	exactZH   = map[string]string{} // sentences without parameters
	patternZH []sentence
	verb      = regexp.MustCompile(`%%|%(?:\[\d+\])?0?\d*[sdqvX]`) // %% is a percent sign
)

func init() {
	for en, zh := range sentencesZH {
		if !verb.MatchString(en) {
			exactZH[en] = zh
			continue
		}
		if !strings.Contains(strings.ReplaceAll(en, "%%", ""), "%") {
			exactZH[strings.ReplaceAll(en, "%%", "%")] = zh
			continue
		}
		var re strings.Builder
		re.WriteString("^")
		lit, last := 0, 0
		for _, loc := range verb.FindAllStringIndex(en, -1) {
			re.WriteString(regexp.QuoteMeta(en[last:loc[0]]))
			lit += loc[0] - last
			switch v := en[loc[0]:loc[1]]; {
			case v == "%%":
				re.WriteString("%")
				lit++
			case strings.HasSuffix(v, "d"):
				re.WriteString(`(-?\d+)`)
			default:
				re.WriteString(`(.+?)`)
			}
			last = loc[1]
		}
		re.WriteString(regexp.QuoteMeta(en[last:]))
		re.WriteString("$")
		patternZH = append(patternZH, sentence{re: regexp.MustCompile(re.String()), zh: zh, lit: lit + len(en) - last})
	}
	sort.Slice(patternZH, func(i, j int) bool {
		if patternZH[i].lit != patternZH[j].lit {
			return patternZH[i].lit > patternZH[j].lit
		}
		return patternZH[i].zh < patternZH[j].zh
	})
}

// Sentence is one of the service's English sentences (an error's message or fix) in l:
// itself in English; in Chinese the catalogue's translation with its parameters in place,
// each parameter that is itself a sentence of the catalogue (a role: "a regulator")
// translated too. ok is false when the catalogue has no Chinese for it.
func Sentence(l Lang, en string) (string, bool) {
	if l == English || en == "" {
		return en, true
	}
	if zh, ok := exactZH[en]; ok {
		return zh, true
	}
	for _, s := range patternZH {
		m := s.re.FindStringSubmatch(en)
		if m == nil {
			continue
		}
		args := make([]any, len(m)-1)
		for i, a := range m[1:] {
			if zh, ok := exactZH[a]; ok {
				a = zh
			}
			args[i] = a
		}
		return render(s.zh, args), true
	}
	return en, false
}

// render fills a Chinese format with the parameters; one that names none is itself (the
// English's parameters do not read in it).
func render(zh string, args []any) string {
	if !verb.MatchString(zh) {
		return zh
	}
	return fmt.Sprintf(zh, args...)
}
