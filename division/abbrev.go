package division

import (
	_ "embed"
	"strings"
	"sync"
)

// abbreviationsCSV holds each province's one-character abbreviation (简称: 沪 for 上海市, 冀 for
// 河北省), as official document numbers (发文字号) begin: code,abbreviation with a header line.
//
//go:embed data/abbreviations.csv
var abbreviationsCSV string

var abbreviations = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	if err := readCSV("abbreviations.csv", abbreviationsCSV, 2, func(f []string) error {
		m[f[0]] = f[1]
		return nil
	}); err != nil {
		panic("division: embedded data: " + err.Error())
	}
	return m
})

// Abbreviation is how the division's authorities begin their document numbers: the
// province's abbreviation, then the first character of the city's and of the county-level
// division's names below it: 沪 (310000), 沪浦 (310115 浦东新区), 冀张崇 (130709 崇礼区 in 张家口市).
// It is "" for the whole country and for a code in no table.
func (d Division) Abbreviation() string {
	if len(d.Code) != 6 || d.Level() == National {
		return ""
	}
	p, ok := abbreviations()[d.Code[:2]]
	if !ok {
		return ""
	}
	var b strings.Builder
	b.WriteString(p)
	for _, name := range []string{d.City, d.District} {
		if name != "" && name != "市辖区" {
			r := []rune(name)
			b.WriteRune(r[0])
		}
	}
	return b.String()
}
