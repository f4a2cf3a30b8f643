package demo

import (
	"strings"
	"sync"
	"time"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/division"
)

// area is a county-level division with the spellings of its place names that names,
// addresses and authorities need, built once.
type area struct {
	code      string
	prov      int    // index into world.provs
	full      string // 浙江省杭州市西湖区: the start of an address
	region    string // 杭州, 上海, 仙桃: the place in an enterprise name
	local     string // 杭州市西湖区, 上海市浦东新区: the start of an individual business's name
	city      string // 杭州市, 上海市: the place in a city authority's name
	district  string // 西湖区
	urban     bool   // a city district rather than a county
	cityShort string // 杭州: in bank branch names
}

type province struct {
	code   string // two digits
	name   string // 浙江省
	short  string // 浙江
	abbrev string // 浙
	muni   bool
	areas  []int
}

// Day numbers count days from dayEpoch; the generator works with them and turns them into
// dates and strings only through the tables below.
var dayEpoch = calendar.MustDate(2002, time.January, 1)

type world struct {
	areas []area
	areaW weights
	provs []province
	// work lists the working days (day numbers) the built-in calendar knows, in order;
	// rank[d] is the number of working days ≤ day d.
	work  []int32
	rank  []int32
	dates []string // "YYYY-MM-DD" of every day number
	days  int32    // number of days covered
	// launch is the day number of 1 Oct 2014, when Decree 654 came into force.
	launch int32

	surnameW  weights
	industryW weights
}

// Launch is the day the Interim Regulations came into force; nothing is published before it.
var Launch = calendar.MustDate(2014, time.October, 1)

var theWorld = sync.OnceValue(buildWorld)

func buildWorld() *world {
	w := &world{}
	provIndex := map[string]int{}
	for _, p := range division.Provinces() {
		pc := p.Code[:2]
		provIndex[pc] = len(w.provs)
		w.provs = append(w.provs, province{code: pc, name: p.Name, short: shortProvince(p.Name),
			abbrev: provinceAbbrevs[pc], muni: municipalities[pc]})
	}
	var aw []int
	for _, d := range division.Areas() {
		pi, ok := provIndex[d.Code[:2]]
		if !ok {
			continue
		}
		p := &w.provs[pi]
		a := area{code: d.Code, prov: pi, full: d.FullName(), district: d.District}
		a.urban = strings.HasSuffix(d.Name, "区")
		switch {
		case d.City == "" && p.muni: // 上海市浦东新区
			a.region, a.local, a.city, a.cityShort = p.short, d.Province+d.District, d.Province, p.short
		case d.City == "": // 湖北省仙桃市: a county-level city under the province
			a.region = strings.TrimSuffix(d.District, "市")
			a.local, a.city, a.cityShort = d.District, d.District, a.region
		case d.District == "": // 东莞市: a city without districts
			a.region = strings.TrimSuffix(d.City, "市")
			a.local, a.city, a.cityShort, a.district = d.City, d.City, a.region, d.City
			a.urban = true
		default:
			a.region = shortCity(d.City, p.short)
			a.local, a.city, a.cityShort = d.City+d.District, d.City, a.region
		}
		wt := provinceWeights[p.code] * 10
		if a.urban {
			wt *= 3
		}
		if m, ok := cityWeights[d.Code[:4]]; ok {
			wt *= m
		} else if d.Code[2:4] == "01" || p.muni {
			wt *= 3
		}
		p.areas = append(p.areas, len(w.areas))
		w.areas = append(w.areas, a)
		aw = append(aw, wt)
	}
	w.areaW = newWeights(aw)

	cal := calendar.Default()
	years := cal.Years()
	last := calendar.MustDate(years[len(years)-1], time.December, 31)
	w.days = int32(last.Sub(dayEpoch)) + 1
	w.rank = make([]int32, w.days)
	w.dates = make([]string, w.days)
	var n int32
	for i := int32(0); i < w.days; i++ {
		d := dayEpoch.AddDays(int(i))
		w.dates[i] = d.String()
		if ok, err := cal.IsWorkingDay(d); err == nil && ok {
			w.work = append(w.work, i)
			n++
		}
		w.rank[i] = n
	}
	w.launch = int32(Launch.Sub(dayEpoch))

	sw := make([]int, len(surnames))
	for i, s := range surnames {
		sw[i] = s.w
	}
	w.surnameW = newWeights(sw)
	iw := make([]int, len(industries))
	for i, x := range industries {
		iw[i] = x.weight
	}
	w.industryW = newWeights(iw)
	return w
}

func shortProvince(name string) string {
	for _, suf := range []string{"壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市"} {
		if s, ok := strings.CutSuffix(name, suf); ok {
			return s
		}
	}
	return name
}

// shortCity drops 市, 地区 and 盟; an autonomous prefecture is named by its province.
func shortCity(city, prov string) string {
	if strings.Contains(city, "自治州") {
		return prov
	}
	for _, suf := range []string{"市", "地区", "盟"} {
		if s, ok := strings.CutSuffix(city, suf); ok {
			return s
		}
	}
	return city
}

// afterWorking returns the day number of the n-th working day after day d (n ≥ 1), or of d
// itself when n is 0 and d is a working day, else the next working day. It returns -1 past
// the calendar.
func (w *world) afterWorking(d int32, n int) int32 {
	if d < 0 {
		d = 0
	}
	if d >= w.days {
		return -1
	}
	i := int(w.rank[d]) + n - 1
	if n == 0 && (d == 0 || w.rank[d] == w.rank[d-1]) {
		i = int(w.rank[d]) // d is not a working day: the next one
	}
	if i < 0 || i >= len(w.work) {
		return -1
	}
	return w.work[i]
}

func (w *world) date(d int32) string { return w.dates[d] }

func dayOf(t time.Time) int32 { return int32(calendar.DateOf(t).Sub(dayEpoch)) }

// fmtDate formats any day number, also past the calendar's years (business terms).
func (w *world) fmtDate(d int32) string {
	if d >= 0 && d < w.days {
		return w.dates[d]
	}
	y, m, dd := dayEpoch.AddDays(int(d)).Civil()
	b := make([]byte, 0, 10)
	b = appendDigits(b, y, 4)
	b = append(b, '-')
	b = appendDigits(b, int(m), 2)
	b = append(b, '-')
	b = appendDigits(b, dd, 2)
	return string(b)
}
