package gongshi

import (
	"context"
	"fmt"

	"github.com/gongshi/gongshi/calendar"
)

// ScheduleStatus is what the regulator is told of the working-day calendar (SPEC §10):
// whether a schedule it needs is missing, and how many subjects have dates awaiting one.
type ScheduleStatus struct {
	// LastYear is the last year the calendar covers.
	LastYear int `json:"last_year"`
	// Missing is the warning that a year's schedule is missing, while one is due.
	Missing *MissingSchedule `json:"missing,omitempty"`
	// Awaiting counts the records, cases and enforcement cases with provisional dates, by
	// the year whose schedule they await.
	Awaiting map[int]int `json:"awaiting"`
}

// MissingSchedule warns that the working-day schedule of Year is missing: from Since, the
// start of the policy's warning period (Policy), until an administrator loads it.
type MissingSchedule struct {
	Year   int    `json:"year"`
	Since  string `json:"since"`
	Policy string `json:"policy"`
}

// Message says what is missing and what to do, in Chinese and English.
func (m *MissingSchedule) Message() string {
	return fmt.Sprintf("工作日历缺少%d年节假日安排：涉及%d年的期限均为暂定日期，请管理员将国务院公布的%d年节假日安排载入数据目录的 calendar.txt，载入后由每日清理自动确定。"+
		"The working-day calendar has no %d schedule: every period ending in %d is provisional until an administrator loads the State Council's %d holidays into calendar.txt in the data folder; the daily sweep then settles them.",
		m.Year, m.Year, m.Year, m.Year, m.Year, m.Year)
}

// MissingSchedule returns the warning due today that a year's working-day schedule is
// missing (policy.Rules.MissingSchedule), or nil. It reads nothing but the calendar and the
// policy table, so every page for regulators can show it.
func (s *Enforcement) MissingSchedule() *MissingSchedule {
	w, ok, err := s.Rules.MissingSchedule(calendar.DateOf(s.Clock.Now()))
	if err != nil || !ok {
		return nil
	}
	return &MissingSchedule{Year: w.Year, Since: w.Since.String(), Policy: w.Entry.Ref()}
}

// ScheduleStatus returns the calendar's status: the warning due today, and the subjects
// awaiting a schedule.
func (s *Enforcement) ScheduleStatus(ctx context.Context) (*ScheduleStatus, error) {
	awaiting, err := s.Store.ProvisionalYears(ctx)
	if err != nil {
		return nil, err
	}
	st := &ScheduleStatus{Missing: s.MissingSchedule(), Awaiting: awaiting}
	if ys := s.Rules.Calendar.Years(); len(ys) > 0 {
		st.LastYear = ys[len(ys)-1]
	}
	return st, nil
}
