package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gongshi/gongshi/snapshot"
	"github.com/gongshi/gongshi/snapshot/snapshottest"
)

// TestE2EImportRoundTrip: a demo register's snapshot, imported into a new data folder
// with the real binary — first a part of it, as a crashed import leaves it, then the
// whole, which carries on after it — makes a register whose verify passes, whose log has
// the source's root, and whose every enterprise page, record list and list answers as the
// source's. A snapshot with a changed line is refused at that line, the lines before it
// kept, the line's number and reason in the report.
func TestE2EImportRoundTrip(t *testing.T) {
	src := t.TempDir()
	if code, _, errOut := runMain("demo", "--data", src, "--enterprises", "150", "--seed", "7"); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, tail(errOut, 2000))
	}
	if code, out, errOut := runMain("snapshot", "--data", src); code != 0 {
		t.Fatalf("snapshot: exit %d\n%s\n%s", code, out, tail(errOut, 2000))
	}
	ms, _ := snapshot.List(filepath.Join(src, "snapshots"))
	if len(ms) != 1 {
		t.Fatalf("%d snapshots, want 1", len(ms))
	}
	snap := filepath.Join(src, "snapshots", ms[0].Name)
	lines := snapshottest.Lines(t, snap)

	// A crashed import: the first 500 versions are in.
	dst := t.TempDir()
	part := filepath.Join(t.TempDir(), ms[0].Name)
	copyDir(t, snap, part)
	snapshottest.Forge(t, part, lines[:500])
	if code, _, errOut := runMain("import", "--data", dst, "--batch", "128", part); code == 0 || !strings.Contains(errOut, "its checkpoint has") {
		t.Fatalf("import of a part: exit %d, want a failure naming the checkpoint\n%s", code, tail(errOut, 2000))
	}
	report := filepath.Join(t.TempDir(), "report.txt")
	code, out, errOut := runMain("import", "--data", dst, "--batch", "128", "--report", report, snap)
	if code != 0 || !strings.Contains(out, "(500 already in)") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, tail(errOut, 2000))
	}
	if code, out, errOut := verifyMain("--data", dst, "--state", filepath.Join(t.TempDir(), "state.json")); code != 0 {
		t.Fatalf("verify of the imported register: exit %d\n%s\n%s", code, tail(out, 3000), tail(errOut, 2000))
	}

	a, b := startServer(t, src), startServer(t, dst)
	paths := []string{"/api/v1/lists/abnormal", "/api/v1/lists/serious"}
	for _, row := range readCSVRows(t, filepath.Join(snap, snapshot.EnterprisesFile))[1:] {
		paths = append(paths, "/api/v1/enterprises/"+row[0], "/api/v1/enterprises/"+row[0]+"/records")
	}
	for _, p := range paths {
		ra, rb := get(t, a.url+p), get(t, b.url+p)
		// A page's cursor carries a MAC under each server's own cursor key.
		ca, cb := cursorRE.ReplaceAll(ra.body, nil), cursorRE.ReplaceAll(rb.body, nil)
		if ra.status != 200 || rb.status != ra.status || !bytes.Equal(ca, cb) {
			t.Errorf("GET %s: the source answers %d %.300s\nthe import %d %.300s", p, ra.status, ra.body, rb.status, rb.body)
		}
	}

	// A changed line stops the import there; what came before it is in.
	bad := filepath.Join(t.TempDir(), ms[0].Name)
	copyDir(t, snap, bad)
	edited := snapshottest.EditFirst(lines[300:])
	snapshottest.Forge(t, bad, append(lines[:300:300], edited...))
	at := 300
	for i := range edited {
		if edited[i] != lines[300+i] {
			at += i
			break
		}
	}
	dst2 := t.TempDir()
	code, _, errOut = runMain("import", "--data", dst2, "--batch", "1000", "--report", report, bad)
	got, _ := os.ReadFile(report)
	if want := "line " + itoa(at+1) + ": "; code == 0 || !strings.Contains(string(got), want) || !strings.Contains(string(got), "hashes to") {
		t.Fatalf("import of a changed snapshot: exit %d, report %q, want it to say %q\n%s", code, got, want, tail(errOut, 2000))
	}
	if code, out, _ := runMain("import", "--data", dst2, snap); code != 0 || !strings.Contains(out, "("+itoa(at)+" already in)") {
		t.Errorf("the import after a refused line: exit %d, %s; want the %d lines before it kept", code, out, at)
	}
}

var cursorRE = regexp.MustCompile(`"next":"[A-Za-z0-9_-]*"`)

func itoa(n int) string { return strconv.Itoa(n) }

// copyDir copies the files of folder from into a new folder to.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	des, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, de := range des {
		b, err := os.ReadFile(filepath.Join(from, de.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, de.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readCSVRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(zr).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
