package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestBenchLoad runs "gongshi bench load" briefly on a small demo register: every
// operation of the mix is measured, none fails, and the ratio to the trivial handler is
// printed.
func TestBenchLoad(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runMain("demo", "--data", dir, "--enterprises", "40"); code != 0 {
		t.Fatalf("demo: exit status %d\n%s", code, tail(stderr, 2000))
	}
	code, stdout, stderr := runMain("bench", "load", "--data", dir, "--duration", "2s", "--clients", "4", "--codes", "40")
	if code != 0 {
		t.Fatalf("bench load: got exit status %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, tail(stderr, 2000))
	}
	for _, op := range append([]string{"trivial", "mix"}, opNames()...) {
		if !regexp.MustCompile(`(?m)^` + op + ` +[1-9][0-9]* +[0-9]+ +\S+ +\S+ +0$`).MatchString(stdout) {
			t.Errorf("bench load: no line of requests without failures for %s in\n%s", op, stdout)
		}
	}
	if !strings.Contains(stdout, "% of throughput") {
		t.Errorf("bench load: no ratio line in\n%s", stdout)
	}
}

func opNames() []string {
	var names []string
	for _, op := range loadMix {
		names = append(names, op.name)
	}
	return names
}
