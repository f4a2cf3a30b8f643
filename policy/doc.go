// Package policy is the effective-dated table of every legal period of the
// Interim Regulations on Enterprise Information Disclosure (企业信息公示暂行条例,
// Decree 654) and its implementing measures (SPEC §4–§8, §11, §13), and the
// pure functions that compute due dates from it.
//
// Every period lives in the table, never as a literal in code: each Entry
// has a stable ID, its amount and unit, its legal source and the date From
// which it applies. An obligation is judged by the entry in force on the
// date it arose (Table.Lookup), so a later law adds entries with a later
// From and leaves earlier facts under the earlier rule. The default table
// (Default) is the 2014 set, plus the dated entry of Decree 777 (2024).
//
// Counting follows the Civil Code: the day of the event is not counted
// (Art. 201); a period in months or years ends on the corresponding day,
// or the last day of a month without one (Art. 202); a period in calendar
// days whose last day is not a working day ends on the next working day
// (Art. 203). Periods in working days use package calendar.
//
// Rules carries the table and the calendar; its methods return a Due: the
// date and the Entry applied, which decisions record (Entry.Ref). A date
// that needs a year whose holidays the calendar does not yet hold is
// provisional (Due.Uncovered): the nominal day the law states, settled by
// the caller once the year is loaded. Due.Passed says whether a deadline
// has passed only when that is certain, and MissingSchedule when to warn
// that next year's schedule is missing.
package policy
