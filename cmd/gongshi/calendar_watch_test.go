package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi/storetest"
)

// TestSweepAcrossMissingYear is issue 12's reproduction: from July, the litigation period
// of a listing ends in a year whose schedule is not loaded. The sweep lists anyway, with
// provisional dates; it warns from 1 October that 2028 is missing; and once calendar.txt
// holds 2028 the next sweep settles every provisional date, once.
func TestSweepAcrossMissingYear(t *testing.T) {
	const n = 30
	dir := sweepWorldOf(t, n, 2026)
	sweep := func(day string, dry bool) (string, string) {
		t.Helper()
		args := []string{"sweep", "--data", dir, "--clock", day + "T09:00:00+08:00", "--as-of", day}
		if dry {
			args = append(args, "--dry-run")
		}
		code, out, errOut := runMain(args...)
		if code != 0 {
			t.Fatalf("sweep %s (dry %v): exit %d\n%s\n%s", day, dry, code, out, tail(errOut, 2000))
		}
		return out, errOut
	}
	if out, _ := sweep("2027-07-05", true); !strings.Contains(out, fmt.Sprintf("ground1              %8d", n)) {
		t.Fatalf("dry run of 2027-07-05: got\n%s\nwant %d ground-1 listings", out, n)
	}
	sweep("2027-07-05", false)
	if _, errOut := sweep("2027-09-30", false); strings.Contains(errOut, "WARNING") {
		t.Errorf("sweep of 2027-09-30 warns: %s", errOut)
	}
	if _, errOut := sweep("2027-10-01", false); !strings.Contains(errOut, "WARNING: 工作日历缺少2028年节假日安排") {
		t.Errorf("sweep of 2027-10-01: stderr lacks the warning that 2028 is missing:\n%s", tail(errOut, 2000))
	}
	if err := os.WriteFile(filepath.Join(dir, CalendarFile), []byte(storetest.Schedule2028), 0o644); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("settlements          %8d", n)
	if out, errOut := sweep("2027-11-02", false); !strings.Contains(out, want) || strings.Contains(errOut, "WARNING") {
		t.Errorf("sweep with 2028 loaded: got\n%s\n%s\nwant %q and no warning", out, tail(errOut, 2000), want)
	}
	if out, _ := sweep("2027-11-03", false); !strings.Contains(out, "settlements                 0") {
		t.Errorf("second sweep with 2028 loaded: got\n%s\nwant no settlement", out)
	}
}

// TestWatchCalendar: gongshi serve reloads calendar.txt when it changes and wakes the
// sweep; a file that does not parse leaves the calendar as it was.
func TestWatchCalendar(t *testing.T) {
	dir := t.TempDir()
	var df dataFlags
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	df.add(fs)
	if err := fs.Parse([]string{"--data", dir, "--log-level", "error"}); err != nil {
		t.Fatal(err)
	}
	a, err := df.open(context.Background(), &Env{Stdout: &syncBuffer{}, Stderr: &syncBuffer{}, Getenv: func(string) string { return "" }}, storetest.NewClock(storetest.At("2027-11-02T09:00:00+08:00")))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	woken := make(chan struct{}, 4)
	go watchCalendar(ctx, a, 5*time.Millisecond, func() { woken <- struct{}{} })
	path := filepath.Join(dir, CalendarFile)
	if err := os.WriteFile(path, []byte("year 2028\n2028-13-01 holiday 元旦\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	select {
	case <-woken:
		t.Fatal("a schedule that does not parse woke the sweep")
	case <-time.After(100 * time.Millisecond):
	}
	if err := os.WriteFile(path, []byte(storetest.Schedule2028), 0o644); err != nil {
		t.Fatal(err)
	}
	// The watcher may have caught the file while it was being written (empty, or half
	// written) and loaded that first; what matters is that a wake follows the whole file.
	deadline := time.After(10 * time.Second)
	for {
		select {
		case <-woken:
		case <-deadline:
			t.Fatalf("calendar.txt with 2028 did not reach the calendar and wake the sweep within 10 s: covers 2028 %v (service %v)", a.rules.Calendar.Covers(2028), a.svc.Rules.Calendar.Covers(2028))
		}
		if a.rules.Calendar.Covers(2028) && a.svc.Rules.Calendar.Covers(2028) {
			return
		}
	}
}
