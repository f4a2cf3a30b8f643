package main

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// usageRE is the first line of a command's usage.
var usageRE = regexp.MustCompile(`(?mi)^usage`)

// TestHelpOnce: every command asked for -h shows its usage once. The flag package shows it
// for -h itself: a command that showed it again on Parse's error printed it twice (import,
// mirror, backup, restore, compact did).
func TestHelpOnce(t *testing.T) {
	names := slices.Sorted(maps.Keys(commands))
	if len(names) < 15 {
		t.Fatalf("%d commands, want the 17 of gongshi help", len(names))
	}
	for _, name := range names {
		_, out, errOut := runMain(name, "-h")
		if strings.Contains(errOut, "is a developer's command") {
			continue // screenshots, built without the dev tag: it says how to build it
		}
		if n := len(usageRE.FindAllString(out+errOut, -1)); n != 1 {
			t.Errorf("gongshi %s -h shows its usage %d times, want once:\n%s", name, n, tail(out+errOut, 3000))
		}
	}
}
