package snapshot_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi/snapshot"
)

// parquetRows is the script that prints a Parquet file's rows as read by hyparquet, a
// reader written apart from the Go library that writes them (.ci/run installs it from npm).
const parquetRows = "../.ci/parquet-rows.mjs"

// TestParquetIndependentReader: the Parquet files of a snapshot, read by another
// implementation of the format (hyparquet, in JavaScript, with its zstd), hold the CSV
// files' rows with their types: dates as dates, the list flags as booleans, earlier names
// as a list.
func TestParquetIndependentReader(t *testing.T) {
	script, _ := filepath.Abs(parquetRows)
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("Node.js is needed to run %s (.ci/run installs it with npm): %v", script, err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(script), "node_modules", "hyparquet-compressors")); err != nil {
		t.Fatalf("hyparquet is needed in .ci/node_modules (.ci/run installs it: npm install --prefix .ci hyparquet hyparquet-compressors): %v", err)
	}
	db, _ := populated(t, "")
	root := t.TempDir()
	now := time.Date(2024, 7, 26, 1, 0, 0, 0, time.UTC)
	m, err := snapshot.Write(context.Background(), db, root, snapshot.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, m.Name)
	read := func(name string) []map[string]any {
		cmd := exec.Command("node", script, filepath.Join(dir, name))
		cmd.Dir = filepath.Dir(script) // where node_modules is
		out, err := cmd.Output()
		if err != nil {
			msg := ""
			if ee, ok := err.(*exec.ExitError); ok {
				msg = string(ee.Stderr)
			}
			t.Fatalf("hyparquet could not read %s: %v\n%s", name, err, msg)
		}
		var rows []map[string]any
		if err := json.Unmarshal(out, &rows); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return rows
	}
	date := func(v any) string { // hyparquet gives a DATE as midnight UTC, ISO 8601
		s, _ := v.(string)
		return strings.TrimSuffix(s, "T00:00:00.000Z")
	}
	yes := func(v any) string {
		if v == true {
			return "是"
		}
		return "否"
	}
	str := func(v any) string { s, _ := v.(string); return s }

	ents := readCSV(t, filepath.Join(dir, snapshot.EnterprisesFile))[1:]
	rows := read(snapshot.EnterprisesParquetFile)
	if len(rows) != len(ents) {
		t.Fatalf("hyparquet read %d enterprises, the CSV has %d", len(rows), len(ents))
	}
	for i, r := range rows {
		list, ok := r["former"].([]any)
		if !ok {
			t.Fatalf("enterprises.parquet row %d: former is %#v, want a list", i, r["former"])
		}
		var former []string
		for _, f := range list {
			former = append(former, f.(string))
		}
		changed, _ := time.Parse(time.RFC3339, str(r["latest_change_at"]))
		got := []string{str(r["uscc"]), str(r["regno"]), str(r["name"]), strings.Join(former, "；"), str(r["type"]), str(r["status"]),
			str(r["legal_representative"]), date(r["established"]), str(r["address"]), str(r["division"]), yes(r["abnormal"]), yes(r["serious"]),
			str(r["registration_record"]), changed.UTC().Format(time.RFC3339)}
		if strings.Join(got, ",") != strings.Join(ents[i], ",") {
			t.Errorf("enterprises.parquet row %d, read by hyparquet:\n%s\nthe CSV's:\n%s", i, strings.Join(got, ","), strings.Join(ents[i], ","))
		}
	}

	lists := readCSV(t, filepath.Join(dir, snapshot.ListsFile))[1:]
	rows = read(snapshot.ListsParquetFile)
	if len(rows) != len(lists) {
		t.Fatalf("hyparquet read %d list entries, the CSV has %d", len(rows), len(lists))
	}
	ended := 0
	for i, r := range rows {
		l := lists[i]
		if r["until"] != nil {
			ended++
		}
		if str(r["uscc"]) != l[1] || date(r["since"]) != l[4] || date(r["until"]) != l[5] || str(r["document_no"]) != l[8] ||
			str(r["decision_record"]) != l[9] || str(r["end_record"]) != l[10] || !strings.HasPrefix(l[3], jsonText(r["ground"])+" ") {
			t.Errorf("lists.parquet row %d, read by hyparquet: %v; the CSV's: %v", i, r, l)
		}
	}
	if ended == 0 {
		t.Error("no list entry has ended: the null dates are untested")
	}
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
