package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gongshi/gongshi/snapshot"
	"github.com/gongshi/gongshi/snapshot/snapshottest"
)

// TestE2ESnapshot: "gongshi snapshot" writes a snapshot of a demo register that "gongshi
// verify --snapshot" checks against the log; the server lists it and serves its files
// with ETag and Range; a snapshot with a line changed fails verify.
func TestE2ESnapshot(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runMain("demo", "--data", dir, "--enterprises", "150", "--seed", "5"); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, tail(errOut, 2000))
	}
	code, out, errOut := runMain("snapshot", "--data", dir)
	if code != 0 {
		t.Fatalf("snapshot: exit %d\n%s\n%s", code, out, tail(errOut, 2000))
	}
	ms, err := snapshot.List(filepath.Join(dir, "snapshots"))
	if err != nil || len(ms) != 1 {
		t.Fatalf("snapshots: %v, %v; want one", ms, err)
	}
	m := ms[0]
	snapDir := filepath.Join(dir, "snapshots", m.Name)
	if code, out, errOut := verifyMain("--snapshot", snapDir, "--data", dir); code != 0 || !strings.Contains(out, "OK: snapshot verified") {
		t.Fatalf("verify --snapshot: exit %d\n%s\n%s", code, out, tail(errOut, 2000))
	}

	s := startServer(t, dir)
	r := get(t, s.url+"/api/v1/snapshots")
	var list struct {
		Snapshots []struct {
			Name string   `json:"name"`
			Size int64    `json:"size"`
			URLs []string `json:"urls"`
		} `json:"snapshots"`
	}
	if err := json.Unmarshal(r.body, &list); err != nil || len(list.Snapshots) == 0 || list.Snapshots[len(list.Snapshots)-1].Name != m.Name {
		t.Fatalf("GET /api/v1/snapshots: %v\n%s", err, r.body)
	}
	file := m.File(snapshot.VersionsFile)
	whole, err := os.ReadFile(filepath.Join(snapDir, file.Name))
	if err != nil {
		t.Fatal(err)
	}
	url := s.url + "/api/v1/snapshots/" + m.Name + "/" + file.Name
	full := get(t, url)
	if full.status != 200 || !bytes.Equal(full.body, whole) || full.header.Get("ETag") != `"`+file.SHA256+`"` {
		t.Fatalf("GET %s: status %d, %d bytes, ETag %q; want 200, the file's %d bytes, its SHA-256", url, full.status, len(full.body), full.header.Get("ETag"), len(whole))
	}
	part := getWith(t, url, "Range", "bytes=100-199")
	if part.status != http.StatusPartialContent || !bytes.Equal(part.body, whole[100:200]) {
		t.Errorf("Range bytes=100-199: status %d, %d bytes; want 206 and those bytes", part.status, len(part.body))
	}
	// A Range past the end, or malformed, is a problem saying the file's size, as every
	// error of the API.
	for _, bad := range []string{fmt.Sprintf("bytes=%d-", len(whole)), "bytes=9-3"} {
		if past := getWith(t, url, "Range", bad); past.status != http.StatusRequestedRangeNotSatisfiable ||
			past.header.Get("Content-Type") != "application/problem+json" || past.header.Get("Content-Range") != fmt.Sprintf("bytes */%d", len(whole)) ||
			!bytes.Contains(past.body, []byte(`"type":"urn:gongshi:problem:range_not_satisfiable"`)) || !bytes.Contains(past.body, []byte(strconv.Itoa(len(whole))+" bytes")) {
			t.Errorf("Range %s: status %d, Content-Type %q, Content-Range %q, body %s; want 416, a problem naming the size", bad, past.status,
				past.header.Get("Content-Type"), past.header.Get("Content-Range"), past.body)
		}
	}
	if nm := getWith(t, url, "If-None-Match", `"`+file.SHA256+`"`); nm.status != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", nm.status)
	}
	for _, name := range []string{snapshot.EnterprisesFile, snapshot.EnterprisesParquetFile} {
		want := map[bool]string{true: "application/gzip", false: "application/vnd.apache.parquet"}[strings.HasSuffix(name, ".gz")]
		if r := get(t, s.url+"/api/v1/snapshots/"+m.Name+"/"+name); r.status != 200 || r.header.Get("Content-Type") != want || int64(len(r.body)) != m.File(name).Bytes {
			t.Errorf("GET %s: status %d, Content-Type %q, %d bytes; want 200, %s, %d bytes", name, r.status, r.header.Get("Content-Type"), len(r.body), want, m.File(name).Bytes)
		}
	}
	for _, bad := range []string{m.Name + "/gongshi.db", "..%2F..%2Fgongshi.db/x", "20990101T000000Z-1/" + file.Name} {
		// Refused as bad input (400) or as no such file (404); never served.
		if r := get(t, s.url+"/api/v1/snapshots/"+bad); r.status != http.StatusNotFound && r.status != http.StatusBadRequest {
			t.Errorf("GET /api/v1/snapshots/%s: status %d, want 404 or 400", bad, r.status)
		}
	}
	s.stop()

	// A document changed in the snapshot (and the manifest's hash with it).
	snapshottest.Forge(t, snapDir, snapshottest.EditFirst(snapshottest.Lines(t, snapDir)))
	if code, out, errOut := verifyMain("--snapshot", snapDir, "--data", dir); code != 1 || !strings.Contains(errOut, "hashes to") {
		t.Errorf("verify --snapshot of a changed snapshot: exit %d, want 1\n%s\n%s", code, out, tail(errOut, 2000))
	}
}

func get(t *testing.T, url string) *apiResp { return getWith(t, url, "", "") }

// getWith makes a GET with one request header (none if name is "").
func getWith(t *testing.T, url, name, value string) *apiResp {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if name != "" {
		req.Header.Set(name, value)
	}
	resp, err := e2eClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &apiResp{method: "GET", path: url, status: resp.StatusCode, header: resp.Header, body: body}
}
