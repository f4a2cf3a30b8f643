// Package snapshottest reads and forges snapshots' versions files, for tests that check
// that a changed snapshot does not verify, and makes up large ones to download.
package snapshottest

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi/snapshot"
)

// Lines returns the lines of the snapshot's versions file in dir, each with its newline.
func Lines(t testing.TB, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, snapshot.VersionsFile))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return strings.SplitAfter(strings.TrimSuffix(string(raw), "\n"), "\n")
}

// Forge writes lines as the snapshot's versions file in dir and puts the file's new length
// and hash in its manifest, as a forger would: only the signed checkpoint then stands
// between the forgery and a reader.
func Forge(t testing.TB, dir string, lines []string) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(strings.Join(lines, "")))
	zw.Close()
	if err := os.WriteFile(filepath.Join(dir, snapshot.VersionsFile), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := snapshot.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	f := m.File(snapshot.VersionsFile)
	f.SHA256, f.Bytes = hex.EncodeToString(sum[:]), int64(buf.Len())
	b, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(dir, snapshot.ManifestFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// EditFirst returns lines with the first registration line's document changed (its name).
func EditFirst(lines []string) []string {
	out := append([]string(nil), lines...)
	for i, l := range out {
		if strings.Contains(l, `"kind":"registration"`) && strings.Contains(l, `"name":"`) {
			out[i] = strings.Replace(l, `"name":"`, `"name":"伪`, 1)
			break
		}
	}
	return out
}

// Large writes under root a snapshot named name whose one file, versions.jsonl.gz, is size
// random bytes, listed in its manifest with its SHA-256: a download to serve, not a
// snapshot to verify. It returns the manifest.
func Large(t testing.TB, root, name string, size int) *snapshot.Manifest {
	t.Helper()
	dir := filepath.Join(root, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	body := make([]byte, size)
	rand.Read(body)
	sum := sha256.Sum256(body)
	if err := os.WriteFile(filepath.Join(dir, snapshot.VersionsFile), body, 0o644); err != nil {
		t.Fatal(err)
	}
	m := &snapshot.Manifest{Format: snapshot.Format, Name: name, CreatedAt: time.Now(), Size: 1, Files: []snapshot.File{
		{Name: snapshot.VersionsFile, SHA256: hex.EncodeToString(sum[:]), Bytes: int64(size), Rows: 1, ContentType: "application/jsonl"}}}
	b, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(dir, snapshot.ManifestFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return m
}
