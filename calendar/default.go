package calendar

import (
	_ "embed"
	"maps"
	"strings"
	"sync"
)

//go:generate go run gen_schedule.go

// holidays.txt is the built-in schedule, 2002–2027, in the same file format
// administrators use to add a year (see the package documentation).
//
//go:embed holidays.txt
var builtin string

var defaultYears = sync.OnceValue(func() map[int]*year {
	m, err := parseSchedule(strings.NewReader(builtin), "holidays.txt")
	if err != nil {
		panic("calendar: built-in schedule: " + err.Error())
	}
	return m
})

// Default returns a new Calendar holding the built-in schedule: every year
// from 2002 to 2027. Each call returns an independent Calendar, so loading
// a year into one does not change another.
func Default() *Calendar {
	c := &Calendar{}
	m := maps.Clone(defaultYears())
	c.years.Store(&m)
	return c
}
