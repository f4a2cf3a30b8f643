package calendar

// DayInfo explains whether a date is a working day and why.
type DayInfo struct {
	Working bool
	Reason  DayKind // Weekday, Weekend, Holiday or Makeup
	Name    string  // for Holiday and Makeup: the holiday's name, e.g. 国庆节
}

// Explain says whether d is a working day and why.
// It returns *UncoveredYearError if d's year is not covered.
func (c *Calendar) Explain(d Date) (DayInfo, error) {
	yr, err := c.year(d.Year())
	if err != nil {
		return DayInfo{}, err
	}
	k := yr.kind[d.Sub(yr.first)]
	return DayInfo{Working: k.Working(), Reason: k, Name: yr.names[d]}, nil
}

// IsWorkingDay reports whether d is a working day.
// It returns *UncoveredYearError if d's year is not covered.
func (c *Calendar) IsWorkingDay(d Date) (bool, error) {
	yr, err := c.year(d.Year())
	if err != nil {
		return false, err
	}
	return yr.kind[d.Sub(yr.first)].Working(), nil
}

// AddWorkingDays returns the n-th working day after d: the last day of a
// period of n working days beginning the day after d (the day of the event
// itself is not counted; Civil Code Art. 201). d need not be a working day:
// 20 working days after a Saturday counts from the following Monday.
//
// n = 0 returns d itself, unchanged (a period of no days ends where it
// starts), provided d's year is covered. A negative n is ErrNegative. Any
// year the count passes through must be covered, else *UncoveredYearError.
//
// The cost is independent of n within a year: each covered year keeps the
// running count of its working days.
func (c *Calendar) AddWorkingDays(d Date, n int) (Date, error) {
	if n < 0 {
		return Date{}, ErrNegative
	}
	yr, err := c.year(d.Year())
	if err != nil {
		return Date{}, err
	}
	if n == 0 {
		return d, nil
	}
	// k: the rank within yr of the wanted working day (1-based).
	k := int(yr.cum[d.Sub(yr.first)+1]) + n
	for k > len(yr.work) {
		k -= len(yr.work)
		if yr, err = c.year(yr.y + 1); err != nil {
			return Date{}, err
		}
	}
	return yr.first.AddDays(int(yr.work[k-1])), nil
}

// WorkingDaysBetween returns the number of working days after a up to and
// including b, so that AddWorkingDays(a, WorkingDaysBetween(a, b)) == b
// whenever b is a working day after a. If b is before a the result is
// minus WorkingDaysBetween(b, a). Every year from a to b must be covered.
func (c *Calendar) WorkingDaysBetween(a, b Date) (int, error) {
	if b.Before(a) {
		n, err := c.WorkingDaysBetween(b, a)
		return -n, err
	}
	ya, err := c.year(a.Year())
	if err != nil {
		return 0, err
	}
	yb, err := c.year(b.Year())
	if err != nil {
		return 0, err
	}
	n := int(yb.cum[b.Sub(yb.first)+1]) - int(ya.cum[a.Sub(ya.first)+1])
	for y := ya.y; y < yb.y; y++ {
		yr, err := c.year(y)
		if err != nil {
			return 0, err
		}
		n += len(yr.work)
	}
	return n, nil
}

// RollForward returns d if it is a working day, else the next working day.
func (c *Calendar) RollForward(d Date) (Date, error) {
	ok, err := c.IsWorkingDay(d)
	if err != nil || ok {
		return d, err
	}
	return c.AddWorkingDays(d, 1)
}

// AddCalendarDaysRolled returns the last day of a period of n calendar days
// after d ("10日", "30日"): d + n days, rolled forward to the next working
// day when that day is a weekend or holiday (Civil Code Art. 203: a period
// whose last day is a statutory holiday ends on the day after the
// holiday). A negative n is ErrNegative.
func (c *Calendar) AddCalendarDaysRolled(d Date, n int) (Date, error) {
	if n < 0 {
		return Date{}, ErrNegative
	}
	return c.RollForward(d.AddDays(n))
}
