package policy

import (
	"fmt"
	"time"

	"github.com/gongshi/gongshi/calendar"
)

// ScheduleWarning is the warning to the regulator that the working-day schedule of a year
// is missing (SPEC §10): without it, every date counted into that year is provisional.
type ScheduleWarning struct {
	// Year is the year whose schedule is missing: the next year, or the current one.
	Year int
	// Since is the day the warning period began: policy calendar.schedule.warning before
	// 1 January of Year.
	Since calendar.Date
	Entry Entry
}

// MissingSchedule returns the warning due on day on, if any: from the start of the warning
// period before 1 January of the next year (policy calendar.schedule.warning: 3 months,
// from 1 October), the next year's schedule is missing; a missing schedule of the current
// year is warned of at once. ok is false when no warning is due.
func (r Rules) MissingSchedule(on calendar.Date) (w ScheduleWarning, ok bool, err error) {
	e, err := r.Table.Lookup("calendar.schedule.warning", on)
	if err != nil {
		return ScheduleWarning{}, false, err
	}
	if e.Unit != Months && e.Unit != CalendarDays {
		return ScheduleWarning{}, false, fmt.Errorf("policy %s: unit %v, want months or calendar days", e.Ref(), e.Unit)
	}
	for _, y := range []int{on.Year(), on.Year() + 1} {
		if r.Calendar.Covers(y) {
			continue
		}
		jan1 := calendar.MustDate(y, time.January, 1)
		since := jan1.AddMonths(-e.Amount)
		if e.Unit == CalendarDays {
			since = jan1.AddDays(-e.Amount)
		}
		if !on.Before(since) {
			return ScheduleWarning{Year: y, Since: since, Entry: e}, true, nil
		}
	}
	return ScheduleWarning{}, false, nil
}
