package http

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/snapshot"
)

// The bulk snapshots (package snapshot) in Options.Snapshots, listed and served as files.

func (s *Server) snapshotRoutes() []*route {
	return []*route{
		{Method: "GET", Path: "/api/v1/snapshots", serve: s.snapshots, Tag: "open data",
			Summary: "The bulk snapshots",
			Description: "The whole public register as of one signed checkpoint, newest first: every version as JSON Lines (`versions.jsonl.gz`), the enterprises and the list entries as CSV with Chinese headers (`enterprises.csv.gz`, `lists.csv.gz`) and as Parquet with typed columns (`enterprises.parquet`, `lists.parquet`), " +
				"each with its SHA-256, length and row count, and the checkpoint. Made daily and on demand (`gongshi snapshot`); old ones are pruned. `gongshi verify --snapshot DIR` checks one against the log's key.",
			Status: 200, Response: "SnapshotList", Unlimited: true},
		{Method: "GET", Path: "/api/v1/snapshots/{name}/{file}", serve: s.snapshotFile, Tag: "open data",
			Summary:     "A file of a snapshot",
			Description: "Served as stored (gzip; Parquet files as `application/vnd.apache.parquet`), with `ETag` (its SHA-256), `Range` requests to resume a download, and `If-None-Match`. A download lasts as long as the client keeps reading: it is dropped only when a chunk of it waits a minute to be taken. `manifest.json` is the snapshot's manifest. 404 for a snapshot pruned or never made.",
			Status:      200, ContentType: "application/gzip", Errors: []int{206, 304, 404, 416}, Unlimited: true},
	}
}

// SnapshotList is the answer of GET /api/v1/snapshots.
type SnapshotList struct {
	Snapshots []*SnapshotInfo `json:"snapshots"`
}

// SnapshotInfo is a snapshot's manifest with the address of each file.
type SnapshotInfo struct {
	*snapshot.Manifest
	ManifestURL string   `json:"manifest"` // the address of manifest.json
	URLs        []string `json:"urls"`     // the address of each file, in the order of files
}

func (s *Server) snapshots(w http.ResponseWriter, r *http.Request) error {
	ms, err := snapshot.List(s.Options.Snapshots)
	if err != nil || s.Options.Snapshots == "" {
		ms = nil
	}
	out := &SnapshotList{Snapshots: []*SnapshotInfo{}}
	for _, m := range ms {
		base := "/api/v1/snapshots/" + m.Name + "/"
		info := &SnapshotInfo{Manifest: m, ManifestURL: base + snapshot.ManifestFile, URLs: []string{}}
		for _, f := range m.Files {
			info.URLs = append(info.URLs, base+f.Name)
		}
		out.Snapshots = append(out.Snapshots, info)
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	writeJSON(w, http.StatusOK, out)
	return err
}

func (s *Server) snapshotFile(w http.ResponseWriter, r *http.Request) error {
	name, file := r.PathValue("name"), r.PathValue("file")
	notFound := gongshi.Errorf(gongshi.ENOTFOUND, "no snapshot file %s/%s: list them with GET /api/v1/snapshots", name, file)
	if s.Options.Snapshots == "" || !snapshot.ValidName(name) {
		return notFound
	}
	dir := filepath.Join(s.Options.Snapshots, name)
	m, err := snapshot.ReadManifest(dir)
	if err != nil {
		return notFound
	}
	etag, ctype := "", "application/json"
	if file != snapshot.ManifestFile {
		f := m.File(file)
		if f == nil {
			return notFound
		}
		etag, ctype = `"`+f.SHA256+`"`, "application/gzip"
		if !strings.HasSuffix(file, ".gz") {
			ctype = f.ContentType
		}
	}
	fh, err := os.Open(filepath.Join(dir, file))
	if err != nil {
		return notFound // pruned meanwhile
	}
	defer fh.Close()
	h := w.Header()
	h.Set("Content-Type", ctype)
	if etag != "" {
		h.Set("ETag", etag)
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	if r.Header.Get("Range") != "" {
		fi, err := fh.Stat()
		if err != nil {
			return err
		}
		w = &rangeWriter{ResponseWriter: w, size: fi.Size()}
	}
	// A file is sent for as long as its reader keeps taking it: the server's write timeout
	// (5 minutes, for answers) would cut off a national snapshot's gigabytes over any
	// link, so each chunk is given fileChunkTimeout instead.
	rc := http.NewResponseController(w)
	http.ServeContent(w, r, file, m.CreatedAt, &chunkDeadlines{ReadSeeker: fh, rc: rc})
	return nil
}

// fileChunkTimeout is how long a reader of a snapshot file has to take each chunk of it
// (ServeContent's 32 KiB) before the download is dropped; it resumes with Range.
const fileChunkTimeout = time.Minute

// chunkDeadlines gives the answer a new write deadline for each chunk read from the file,
// before it is written.
type chunkDeadlines struct {
	io.ReadSeeker
	rc *http.ResponseController
}

func (c *chunkDeadlines) Read(p []byte) (int, error) {
	c.rc.SetWriteDeadline(time.Now().Add(fileChunkTimeout)) // ErrNotSupported: no deadline to move
	return c.ReadSeeker.Read(p)
}

// rangeWriter answers a Range that ServeContent cannot satisfy (416), one past the end or
// malformed, with a problem, as every other error of the API, instead of ServeContent's
// line of plain text; and with Content-Range "bytes */size" either way (RFC 9110 §15.5.17),
// where ServeContent gives it only for a Range past the end.
type rangeWriter struct {
	http.ResponseWriter
	size    int64 // the file's
	refused bool
}

func (w *rangeWriter) WriteHeader(code int) {
	if code != http.StatusRequestedRangeNotSatisfiable {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.refused = true
	size := strconv.FormatInt(w.size, 10)
	w.Header().Set("Content-Range", "bytes */"+size)
	writeProblem(w.ResponseWriter, problemFor(&httpError{status: code, kind: probRange,
		detail: "the Range asked for is not within the file's " + size + " bytes, or is malformed",
		fix:    "ask for bytes from 0 to " + size + " less one, e.g. Range: bytes=0-1023, or send no Range for the whole file"}))
}

func (w *rangeWriter) Write(b []byte) (int, error) {
	if w.refused {
		return len(b), nil // ServeContent's text, answered already
	}
	return w.ResponseWriter.Write(b)
}

func (w *rangeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// snapshotSchemas are the component schemas of the snapshot routes.
func snapshotSchemas() schema {
	file := obj("", req("name", "sha256", "bytes", "rows", "content_type"), schema{
		"name": strSchema("versions.jsonl.gz, enterprises.csv.gz, lists.csv.gz, enterprises.parquet, lists.parquet or draws.jsonl.gz"), "sha256": strSchema("Of the file's bytes, lowercase hex."),
		"bytes": schema{"type": "integer"}, "rows": schema{"type": "integer", "description": "JSON lines, CSV rows after the header, or Parquet rows."},
		"content_type": strSchema("Of the file once uncompressed (a Parquet file is served as it is)."),
	})
	return schema{
		"SnapshotList": obj("", req("snapshots"), schema{"snapshots": arr(ref("Snapshot"))}),
		"Snapshot": obj("A snapshot's manifest (manifest.json) with the addresses of its files.",
			req("format", "name", "created_at", "origin", "size", "root", "checkpoint", "files", "manifest", "urls"), schema{
				"format": strSchema("gongshi-snapshot/1"), "name": strSchema("<YYYYMMDD>T<HHMMSS>Z-<size>"),
				"created_at": fmtSchema("date-time", ""), "origin": strSchema("The log's origin."),
				"size": schema{"type": "integer", "description": "The checkpoint's tree size: the snapshot holds versions 0 … size-1."},
				"root": strSchema("The checkpoint's root hash, base64."), "checkpoint": strSchema("The signed checkpoint (C2SP signed note)."),
				"files": arr(file), "manifest": strSchema("Address of manifest.json."), "urls": arr(strSchema("Address of each file, in the order of files.")),
			}),
	}
}
