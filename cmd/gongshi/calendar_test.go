package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runGongshiCal runs Main with args and returns its exit status, stdout and stderr.
func runGongshiCal(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

func TestCalendarCommand(t *testing.T) {
	file := filepath.Join(t.TempDir(), "2028.txt")
	if err := os.WriteFile(file, []byte("year 2028\n2028-01-01 holiday 元旦节\n2028-01-03 holiday 元旦节\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"calendar", "add", "2026-09-30", "1"}, 0, "2026-10-08\n", ""},
		{[]string{"calendar", "add", "2026-12-25", "30"}, 0, "2027-02-14\n", ""},
		{[]string{"calendar", "add", "2026-09-30", "0"}, 0, "2026-09-30\n", ""},
		{[]string{"calendar", "is-workday", "2026-10-10"}, 0, "yes: Saturday, make-up working day (调休) for 国庆节\n", ""},
		{[]string{"calendar", "is-workday", "2026-10-01"}, 0, "no: Thursday, holiday 国庆节", ""},
		{[]string{"calendar", "is-workday", "2026-10-11"}, 0, "no: Sunday, weekend\n", ""},
		{[]string{"calendar", "is-workday", "2026-10-12"}, 0, "yes: Monday, ordinary working day\n", ""},
		{[]string{"calendar", "show", "2026"}, 0, "2026: 248 working days\n2026-01-01 Thu holiday 元旦节\n", ""},
		{[]string{"calendar", "add", "2027-12-20", "20"}, 1, "", "no schedule for 2028"},
		{[]string{"calendar", "is-workday", "2028-01-03"}, 1, "", "no schedule for 2028"},
		{[]string{"calendar", "--file", file, "add", "2027-12-31", "1"}, 0, "2028-01-04\n", ""},
		{[]string{"calendar", "add", "2027-12-31", "1", "--file", file}, 0, "2028-01-04\n", ""},
		{[]string{"calendar", "add", "2026-01-05", "-1"}, 1, "", "cannot be negative"},
		{[]string{"calendar", "add", "2026-1-5", "1"}, 1, "", "YYYY-MM-DD"},
		{[]string{"calendar", "frobnicate"}, 1, "", "unknown subcommand"},
		{[]string{"calendar"}, 2, "", "usage"},
		{[]string{"calendar", "--file", filepath.Join(t.TempDir(), "missing"), "show", "2026"}, 1, "", "load schedule"},
	}
	for _, tt := range tests {
		code, out, errs := runGongshiCal(t, tt.args...)
		if code != tt.code || !strings.HasPrefix(out, tt.out) || !strings.Contains(errs, tt.err) {
			t.Errorf("gongshi %s: got %d, %q, %q; want %d, %q, %q", strings.Join(tt.args, " "), code, out, errs, tt.code, tt.out, tt.err)
		}
	}
}
