package calendar

import (
	"errors"
	"time"
)

// Provisional dates. The State Council publishes a year's holidays only around
// November of the year before, while a period counted today may end in that
// year: the litigation period of a decision of July ends in January. A
// decision cannot wait for the schedule, so the law's date is stated as far
// as it is known — the nominal day — and settled once the year is loaded:
// see the package documentation, "Provisional dates".

// AddWorkingDaysNominal is AddWorkingDays for a count that may run into a
// year the calendar does not cover. Through covered years it counts by their
// schedules; from the first year it does not cover, it counts Monday to
// Friday as working days (the nominal week, with neither holidays nor
// make-up days). uncovered is that first uncovered year, or 0 when the count
// needed none and the day is exact (the day AddWorkingDays returns).
func (c *Calendar) AddWorkingDaysNominal(d Date, n int) (day Date, uncovered int, err error) {
	day, err = c.AddWorkingDays(d, n)
	var uy *UncoveredYearError
	if !errors.As(err, &uy) {
		return day, 0, err
	}
	if n == 0 {
		return d, 0, nil
	}
	from, left := d, n
	if uy.Year > d.Year() {
		// Every year from d's to the one before uy.Year is covered: count through them.
		from = MustDate(uy.Year-1, time.December, 31)
		k, err := c.WorkingDaysBetween(d, from)
		if err != nil {
			return Date{}, 0, err
		}
		left = n - k
	}
	return addWeekdays(from, left), uy.Year, nil
}

// RollForwardNominal is RollForward for a day whose roll may need a year the
// calendar does not cover: it then returns d itself, the nominal last day of
// a period (Civil Code Art. 203 moves it once the year's holidays are known),
// and that year; else the rolled day and 0.
func (c *Calendar) RollForwardNominal(d Date) (day Date, uncovered int, err error) {
	day, err = c.RollForward(d)
	var uy *UncoveredYearError
	if errors.As(err, &uy) {
		return d, uy.Year, nil
	}
	return day, 0, err
}

// addWeekdays returns the n-th Monday-to-Friday day after d (n > 0).
func addWeekdays(d Date, n int) Date {
	for n > 0 {
		d = d.AddDays(1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}
