// Package calendar provides civil dates and the working-day calendar of the
// People's Republic of China (SPEC §10).
//
// # Dates
//
// Legal dates are civil dates in China Standard Time (UTC+8, no daylight
// saving since 1991), not instants: Date is a day number, comparable with
// ==, whose zero value means "no date". It is written YYYY-MM-DD in text,
// JSON and SQL (TEXT). Periods in months and years clamp to the last day of
// a shorter month (Civil Code Art. 202): 2028-02-29 + 1 year = 2029-02-28.
//
// # Working days
//
// Saturdays, Sundays and statutory holidays (法定节假日) are not working
// days; make-up working days (调休) on a weekend are. Periods are counted
// from the day after the event (Civil Code Art. 201): AddWorkingDays(d, 20)
// is the 20th working day after d. A period in calendar days whose last day
// is not a working day ends on the next working day (Civil Code Art. 203):
// AddCalendarDaysRolled.
//
// A Calendar covers only the years whose schedule it holds. Asking about
// any other year is an *UncoveredYearError naming the year — never a guess
// that treats it as weekends only, because a wrong deadline is worse than
// none.
//
// # Provisional dates
//
// The State Council publishes a year's holidays around November of the year
// before, but a period counted in July (six months to sue) already ends in
// the next year, and a decision cannot wait. AddWorkingDaysNominal and
// RollForwardNominal state the date as the law does before the holidays are
// known — the nominal day: a count of working days takes Monday to Friday as
// working days in a year not covered; a period in calendar days, months or
// years ends on its nominal last day, unrolled — and name the uncovered year
// they met. The caller marks such a date provisional and settles it (moves
// it to the working day the law gives) once that year's schedule is loaded;
// the strict methods never guess.
//
// # Data
//
// Default holds 2002–2027 in holidays.txt, embedded, in exactly the text
// format an administrator uses to add a year (see below), so there is one
// format and one code path for built-in and loaded years. The file was
// generated once from github.com/6tail/lunar-go v1.4.7 (HolidayUtil) by
// gen_schedule.go (go generate), and TestDefaultMatchesLunar checks every
// day of 2002–2027 against lunar-go. We embed instead of calling lunar-go at
// run time because (1) a new year must be loadable without a rebuild, which
// needs our own format anyway; (2) a fact lunar-go gets wrong can be
// corrected in one reviewed line; (3) the tables are precomputed per year
// (running counts of working days) so that AddWorkingDays costs the same
// for any n — sweeps call it millions of times.
//
// lunar-go's data begins on 2001-12-29 (the make-up days for New Year
// 2002), so 2001 is not covered: its Spring Festival, May Day and National
// Day would otherwise silently count as working days. The 2026 data agrees
// with the State Council notice of 4 Nov 2025 (SPEC §10); were they ever to
// disagree, the State Council notice wins and is loaded over the built-in
// year with Load.
//
// # Schedule file format
//
//	# Statutory holidays of 2028 (State Council notice of …)
//	year 2028
//	2028-01-01 holiday 元旦节
//	2028-01-02 holiday 元旦节
//	2028-02-05 workday 春节
//
// "year Y" declares year Y covered; the date lines after it, all in year
// Y, list its holidays ("holiday": a day off, weekend days inside a holiday
// block included) and make-up working days ("workday": must be a Saturday
// or Sunday), each with the holiday's name. '#' starts a comment. Loading a
// year that is already covered replaces it. Errors name the line.
package calendar
