package calendar_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gongshi/gongshi/calendar"
)

func ExampleCalendar_AddWorkingDays() {
	c := calendar.Default()
	d, _ := calendar.ParseDate("2026-09-30")
	due, err := c.AddWorkingDays(d, 1)
	fmt.Println(due, err)
	// Output: 2026-10-08 <nil>
}

func ExampleCalendar_Explain() {
	c := calendar.Default()
	for _, s := range []string{"2026-10-01", "2026-10-10", "2026-10-11", "2026-10-12"} {
		d, _ := calendar.ParseDate(s)
		info, _ := c.Explain(d)
		fmt.Println(strings.TrimSpace(fmt.Sprintln(d, info.Working, info.Reason, info.Name)))
	}
	// Output:
	// 2026-10-01 false holiday 国庆节
	// 2026-10-10 true makeup 国庆节
	// 2026-10-11 false weekend
	// 2026-10-12 true weekday
}

func ExampleCalendar_Load() {
	c := calendar.Default()
	d, _ := calendar.ParseDate("2028-01-01")
	_, err := c.IsWorkingDay(d)
	var uy *calendar.UncoveredYearError
	fmt.Println(errors.As(err, &uy), uy.Year)

	err = c.Load(strings.NewReader("year 2028\n2028-01-01 holiday 元旦节\n"))
	ok, _ := c.IsWorkingDay(d)
	fmt.Println(err, ok)
	// Output:
	// true 2028
	// <nil> false
}

func ExampleDate_AddYears() {
	d, _ := calendar.ParseDate("2024-02-29")
	fmt.Println(d.AddYears(1), d.AddYears(4))
	// Output: 2025-02-28 2028-02-29
}
