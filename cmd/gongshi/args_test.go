package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStrayArguments: a command that takes flags only refuses a word left after them,
// naming it, before it does anything: the flag package stops at it, so the flags after it
// would go unread (gongshi sweep /data --as-of 2026-07-01 swept the default folder as of
// today).
func TestStrayArguments(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		word string // the word the refusal names
	}{
		{[]string{"sweep", dir, "--as-of", "2026-07-01"}, dir},
		{[]string{"snapshot", "--data", dir, "stray"}, "stray"},
		{[]string{"demo", "--data", filepath.Join(dir, "d"), "stray"}, "stray"},
		{[]string{"serve", "--data", dir, "stray"}, "stray"},
		{[]string{"verify", "--data", dir, "stray"}, "stray"},
		{[]string{"admin", "token", "stray", "--data", dir}, "stray"},
		{[]string{"bench", "read", "--data", dir, "stray"}, "stray"},
		{[]string{"bench", "bulk", "--data", filepath.Join(dir, "b"), "stray"}, "stray"},
		{[]string{"mirror", "--from", "http://127.0.0.1:1", "stray"}, "stray"},
		{[]string{"admin", "accept-fork", "--reason", "x", "stray"}, "stray"},
	} {
		code, _, errOut := runMain(c.args...)
		if code != 2 || !strings.Contains(errOut, `"`+c.word+`" is not a flag`) {
			t.Errorf("gongshi %s: exit %d, want 2 and %q named\n%s", strings.Join(c.args, " "), code, c.word, tail(errOut, 800))
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "d")); !os.IsNotExist(err) {
		t.Errorf("gongshi demo with a stray word made its data folder (%v)", err)
	}
}

// TestSweepMissingFolder: a sweep (or a benchmark) of a data folder that is not there is
// refused, and makes none: it would sweep a new, empty register and say it decided
// nothing, exit 0, as if the register had been swept.
func TestSweepMissingFolder(t *testing.T) {
	typo := filepath.Join(t.TempDir(), "gongshi-dta")
	for _, args := range [][]string{{"sweep", "--data", typo}, {"bench", "read", "--data", typo}} {
		code, _, errOut := runMain(args...)
		if code == 0 || !strings.Contains(errOut, "does not exist") {
			t.Errorf("gongshi %s: exit %d, want a refusal saying the folder does not exist\n%s", strings.Join(args, " "), code, tail(errOut, 800))
		}
		if _, err := os.Stat(typo); !os.IsNotExist(err) {
			t.Fatalf("gongshi %s made the data folder (%v)", args[0], err)
		}
	}
}
