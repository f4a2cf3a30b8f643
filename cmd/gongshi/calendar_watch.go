package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/gongshi/gongshi"
)

// calendarPoll is how often gongshi serve looks at calendar.txt for a change.
const calendarPoll = 10 * time.Second

// watchCalendar reloads calendar.txt in the data folder whenever it changes (its size or
// modification time) and then calls loaded, which wakes the sweep: the sweep's first rule
// settles every provisional date of the years the file adds (gongshi settle.go). So an
// administrator who saves the State Council's schedule into the file has nothing else to
// do. A file that does not parse is logged and the calendar kept as it was. A change is
// read only once the file has stood still for one poll, so a file caught while an editor
// is still writing it (truncated, half written) is not taken for the schedule. It returns
// when ctx is done.
func watchCalendar(ctx context.Context, a *app, every time.Duration, loaded func()) {
	last := statOf(a.calendarFile)
	seen := last
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := statOf(a.calendarFile)
		settled := now == seen
		seen = now
		if !settled || now == last || now == (fileStat{}) {
			continue
		}
		last = now
		if err := a.rules.Calendar.LoadFile(a.calendarFile); err != nil {
			a.logger.Error("calendar.txt changed but does not load; the calendar is unchanged", "file", a.calendarFile, "err", err)
			continue
		}
		a.logger.Info("loaded working-day schedule", "file", a.calendarFile, "years", a.rules.Calendar.Years())
		loaded()
	}
}

// fileStat is what tells a changed file: its size and modification time.
type fileStat struct {
	size int64
	mod  time.Time
}

func statOf(path string) fileStat {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStat{}
	}
	return fileStat{fi.Size(), fi.ModTime()}
}

// warnSchedule logs the warning due today that a year's working-day schedule is missing
// (SPEC §10; policy calendar.schedule.warning), with the number of subjects whose dates
// await it.
func warnSchedule(ctx context.Context, a *app) {
	st, err := a.svc.ScheduleStatus(ctx)
	if err != nil || st.Missing == nil {
		return
	}
	m := st.Missing
	a.logger.Log(ctx, slog.LevelWarn, "working-day schedule missing", "year", m.Year, "since", m.Since, "policy", m.Policy,
		"provisional", st.Awaiting[m.Year], "fix", fmt.Sprintf("load the State Council's %d holidays into %s (format: gongshi calendar --help)", m.Year, a.calendarFile))
}

// scheduleWarning is the one-line warning "gongshi sweep" prints, or "".
func scheduleWarning(svc *gongshi.Service) string {
	if m := svc.MissingSchedule(); m != nil {
		return "gongshi sweep: WARNING: " + m.Message()
	}
	return ""
}
