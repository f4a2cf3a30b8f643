package snapshot

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/translog"
)

// Format names the layout this package writes (manifest.json's "format").
const Format = "gongshi-snapshot/1"

// The files of a snapshot.
const (
	ManifestFile    = "manifest.json"
	VersionsFile    = "versions.jsonl.gz"
	EnterprisesFile = "enterprises.csv.gz"
	ListsFile       = "lists.csv.gz"
	DrawsFile       = "draws.jsonl.gz"
	// The same tables as the CSV files, in Parquet.
	EnterprisesParquetFile = "enterprises.parquet"
	ListsParquetFile       = "lists.parquet"
)

// Source is what a snapshot reads: a store whose log is read up to a fixed size while
// writes go on (sqlstore.DB).
type Source interface {
	// LatestCheckpoint returns the latest signed checkpoint.
	LatestCheckpoint(ctx context.Context) ([]byte, error)
	// EachVersion calls fn with every entry of the log from lo to hi-1, in log order.
	EachVersion(ctx context.Context, lo, hi int64, fn func(gongshi.LoggedVersion) error) error
	// FileCount returns the number of enterprise files of the log's first n entries (at
	// least), which EachFile numbers from 1.
	FileCount(ctx context.Context, n int64) (int64, error)
	// EachFile calls fn with the public versions of log index below n of each enterprise
	// numbered from first to end-1, in that order, each file in log order; with kinds,
	// only the versions of records of those kinds. fn must not keep the slice.
	EachFile(ctx context.Context, n, first, end int64, kinds []string, fn func([]gongshi.StoredVersion) error) error
	// EachDrawText calls fn with every text of the draws among versions below n.
	EachDrawText(ctx context.Context, n int64, fn func(number, which string, text []byte) error) error
}

// DrawText is one line of draws.jsonl.gz: a text of a spot-check draw (its population,
// roster or result), which its documents name by digest (draw.Digest).
type DrawText struct {
	Number string `json:"number"`
	Which  string `json:"which"`
	Text   string `json:"text"`
}

// Manifest describes a snapshot (manifest.json).
type Manifest struct {
	Format     string    `json:"format"`
	Name       string    `json:"name"`
	CreatedAt  time.Time `json:"created_at"`
	Origin     string    `json:"origin"`
	Size       int64     `json:"size"` // the checkpoint's tree size: versions 0 … Size-1
	Root       string    `json:"root"` // the checkpoint's root hash, standard base64
	Checkpoint string    `json:"checkpoint"`
	Files      []File    `json:"files"`
}

// File is one file of a snapshot.
type File struct {
	Name        string `json:"name"`
	SHA256      string `json:"sha256"` // of the file's bytes, as served
	Bytes       int64  `json:"bytes"`
	Rows        int64  `json:"rows"` // lines of JSON, or CSV rows after the header
	ContentType string `json:"content_type"`
}

// File returns the manifest's file of that name, or nil.
func (m *Manifest) File(name string) *File {
	for i := range m.Files {
		if m.Files[i].Name == name {
			return &m.Files[i]
		}
	}
	return nil
}

// Options are a snapshot's settings.
type Options struct {
	// Now is the snapshot's time: its name, and the day the CSV's list status is for.
	Now time.Time
	// Progress, if not nil, is told of the versions written out of the checkpoint's size.
	Progress func(done, total int64)
}

// Write writes a snapshot of src as of its latest checkpoint into a new directory under
// root and returns its manifest. If root already holds a snapshot of that checkpoint, it
// returns that one's manifest and writes nothing.
func Write(ctx context.Context, src Source, root string, opt Options) (*Manifest, error) {
	signed, err := src.LatestCheckpoint(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the checkpoint: %w", err)
	}
	origin, tree, err := checkpointText(signed)
	if err != nil {
		return nil, err
	}
	if m := existing(root, tree.N); m != nil {
		return m, nil
	}
	now := opt.Now.UTC()
	m := &Manifest{Format: Format, Name: fmt.Sprintf("%sZ-%d", now.Format("20060102T150405"), tree.N), CreatedAt: now,
		Origin: origin, Size: tree.N, Root: base64.StdEncoding.EncodeToString(tree.Hash[:]), Checkpoint: string(signed)}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(root, ".writing-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	// The JSON Lines of every version and the tables of the enterprises are two reads of the
	// store, each made in chunks on every core (chunks.go), side by side.
	var versions File
	var verr error
	both, stop := context.WithCancel(ctx) // the first to fail stops the other
	defer stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		if versions, verr = writeVersions(both, src, tmp, tree.N, opt.Progress); verr != nil {
			stop()
		}
	}()
	tables, err := writeTables(both, src, tmp, tree.N, calendar.DateOf(now))
	if err != nil {
		stop()
	}
	<-done
	if verr != nil {
		return nil, verr
	}
	if err != nil {
		return nil, err
	}
	draws, err := writeDraws(ctx, src, tmp, tree.N)
	if err != nil {
		return nil, err
	}
	m.Files = append(append(append(m.Files, versions), tables...), draws)
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, ManifestFile), append(b, '\n'), 0o644); err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, filepath.Join(root, m.Name)); err != nil {
		return nil, fmt.Errorf("put the snapshot in place: %w", err)
	}
	return m, nil
}

// existing returns the manifest of a snapshot of size n under root, or nil.
func existing(root string, n int64) *Manifest {
	ms, _ := List(root)
	for _, m := range ms {
		if m.Size == n {
			return m
		}
	}
	return nil
}

// checkpointText reads the body of a signed checkpoint (its signature is the log's own:
// Verify checks it).
func checkpointText(signed []byte) (string, tlog.Tree, error) {
	text, _, ok := strings.Cut(string(signed), "\n\n")
	if !ok {
		return "", tlog.Tree{}, fmt.Errorf("%w: no signature block", translog.ErrMalformedCheckpoint)
	}
	return translog.ParseCheckpointText([]byte(text + "\n"))
}

// marshalNoEscape is json.Marshal without HTML escaping ("&" stays "&"), without the
// encoder's newline.
func marshalNoEscape(v any) ([]byte, error) {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(sb.String(), "\n")), nil
}

// writeVersions writes versions.jsonl.gz, the change feed's events of versions 0 … n-1,
// in chunks of the log.
func writeVersions(ctx context.Context, src Source, dir string, n int64, progress func(done, total int64)) (File, error) {
	out, err := createFile(dir, VersionsFile)
	if err != nil {
		return File{}, err
	}
	defer out.f.Close()
	var rows int64
	err = inOrder(ctx, chunks(n, versionsPerChunk), runtime.GOMAXPROCS(0), func(ctx context.Context, i int64) (*member, error) {
		lo := i * versionsPerChunk
		return versionsChunk(ctx, src, lo, min(lo+versionsPerChunk, n))
	}, func(m *member) error {
		defer m.release()
		if _, err := out.Write(m.buf.Bytes()); err != nil {
			return err
		}
		rows = min(rows+versionsPerChunk, n)
		if progress != nil {
			progress(rows, n)
		}
		return nil
	})
	if err != nil {
		return File{}, fmt.Errorf("write %s: %w", VersionsFile, err)
	}
	return out.finish(n, "application/x-ndjson")
}

// versionsChunk is the gzip member of the lines of versions lo … hi-1, ended.
func versionsChunk(ctx context.Context, src Source, lo, hi int64) (*member, error) {
	m := newMember()
	next := lo
	var line []byte
	err := src.EachVersion(ctx, lo, hi, func(lv gongshi.LoggedVersion) error {
		if lv.LogIndex != next {
			return fmt.Errorf("the log has no version %d (next is %d)", next, lv.LogIndex)
		}
		ev, err := gongshi.FeedEventOf(lv)
		if err != nil {
			return err
		}
		line = ev.AppendJSON(line[:0])
		next++
		_, err = m.Write(line)
		return err
	})
	if err == nil && next != hi {
		err = fmt.Errorf("read versions %d to %d of the checkpoint's %d", lo, next, hi)
	}
	if err == nil {
		err = m.end()
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

// writeDraws writes draws.jsonl.gz, the texts of the draws among versions 0 … n-1.
func writeDraws(ctx context.Context, src Source, dir string, n int64) (File, error) {
	out, err := createFile(dir, DrawsFile)
	if err != nil {
		return File{}, err
	}
	defer out.f.Close()
	zw, _ := gzip.NewWriterLevel(out, gzip.BestSpeed) // a valid level: no error
	var rows int64
	err = src.EachDrawText(ctx, n, func(number, which string, text []byte) error {
		b, err := marshalNoEscape(DrawText{Number: number, Which: which, Text: string(text)})
		if err == nil {
			_, err = zw.Write(append(b, '\n'))
		}
		rows++
		return err
	})
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return File{}, fmt.Errorf("write %s: %w", DrawsFile, err)
	}
	return out.finish(rows, "application/x-ndjson")
}
