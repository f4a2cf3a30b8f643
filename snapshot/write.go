package snapshot

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/catalogue"
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
)

// Source is what a snapshot reads: a store whose log is read up to a fixed size while
// writes go on (sqlstore.DB).
type Source interface {
	// LatestCheckpoint returns the latest signed checkpoint.
	LatestCheckpoint(ctx context.Context) ([]byte, error)
	// EachVersion calls fn with every entry of the log below n, in log order.
	EachVersion(ctx context.Context, n int64, fn func(gongshi.LoggedVersion) error) error
	// EachFile calls fn with each enterprise's public versions of log index below n, in
	// log order; fn must not keep the slice.
	EachFile(ctx context.Context, n int64, fn func([]gongshi.StoredVersion) error) error
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
	// The JSON Lines of every version and the CSVs of the enterprises are two reads of the
	// store, each with its own decoding and compression: made side by side, they take both
	// cores of a small server rather than one after the other.
	var versions File
	var verr error
	both, stop := context.WithCancel(ctx) // the first to fail stops the other
	defer stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		versions, verr = writeFile(tmp, VersionsFile, "application/x-ndjson", func(w io.Writer) (int64, error) {
			return writeVersions(both, src, tree.N, w, opt.Progress)
		})
		if verr != nil {
			stop()
		}
	}()
	ents, lists, err := writeCSVs(both, src, tmp, tree.N, calendar.DateOf(now))
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
	m.Files = append(m.Files, versions, ents, lists)
	f, err := writeFile(tmp, DrawsFile, "application/x-ndjson", func(w io.Writer) (rows int64, err error) {
		err = src.EachDrawText(ctx, tree.N, func(number, which string, text []byte) error {
			b, err := marshalNoEscape(DrawText{Number: number, Which: which, Text: string(text)})
			if err == nil {
				_, err = w.Write(append(b, '\n'))
			}
			rows++
			return err
		})
		return rows, err
	})
	if err != nil {
		return nil, err
	}
	m.Files = append(m.Files, f)
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

// countingHash counts and hashes what is written through it.
type countingHash struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (c *countingHash) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	return n, err
}

// gzFile is a gzip-compressed file being written, hashed and counted as it goes.
type gzFile struct {
	name string
	f    *os.File
	ch   *countingHash
	zw   *gzip.Writer
	*bufio.Writer
}

func createGz(dir, name string) (*gzFile, error) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	g := &gzFile{name: name, f: f, ch: &countingHash{w: f, h: sha256.New()}}
	g.zw, _ = gzip.NewWriterLevel(g.ch, gzip.BestSpeed) // a valid level: no error
	g.Writer = bufio.NewWriterSize(g.zw, 1<<16)
	return g, nil
}

// finish flushes, compresses and syncs the file and returns its manifest entry.
func (g *gzFile) finish(rows int64, contentType string) (File, error) {
	err := g.Flush()
	if err == nil {
		err = g.zw.Close()
	}
	if err == nil {
		err = g.f.Sync()
	}
	if cerr := g.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return File{}, fmt.Errorf("write %s: %w", g.name, err)
	}
	return File{Name: g.name, SHA256: hex.EncodeToString(g.ch.h.Sum(nil)), Bytes: g.ch.n, Rows: rows, ContentType: contentType}, nil
}

// writeFile writes a gzip-compressed file in dir with body and returns its entry.
func writeFile(dir, name, contentType string, body func(io.Writer) (rows int64, err error)) (File, error) {
	g, err := createGz(dir, name)
	if err != nil {
		return File{}, err
	}
	defer g.f.Close()
	rows, err := body(g)
	if err != nil {
		return File{}, fmt.Errorf("write %s: %w", name, err)
	}
	return g.finish(rows, contentType)
}

// writeVersions writes the JSON Lines of versions 0 … n-1: the change feed's events.
func writeVersions(ctx context.Context, src Source, n int64, w io.Writer, progress func(done, total int64)) (int64, error) {
	var rows int64
	var buf []byte
	err := src.EachVersion(ctx, n, func(lv gongshi.LoggedVersion) error {
		if lv.LogIndex != rows {
			return fmt.Errorf("the log has no version %d (next is %d)", rows, lv.LogIndex)
		}
		ev, err := gongshi.FeedEventOf(lv)
		if err != nil {
			return err
		}
		buf = ev.AppendJSON(buf[:0])
		if _, err := w.Write(buf); err != nil {
			return err
		}
		rows++
		if progress != nil && (rows%10000 == 0 || rows == n) {
			progress(rows, n)
		}
		return ctx.Err()
	})
	if err == nil && rows != n {
		err = fmt.Errorf("read %d versions of the checkpoint's %d", rows, n)
	}
	return rows, err
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

// EnterpriseHeader is the header of enterprises.csv.gz, in the catalogue's Chinese.
var EnterpriseHeader = header("ent.uscc", "ent.regno", "csv.name", "ent.former", "snapshot.type", "ent.status", "ent.legalrep",
	"ent.established", "snapshot.address", "snapshot.division", "snapshot.abnormal", "snapshot.serious", "snapshot.registration", "snapshot.changed")

// ListHeader is the header of lists.csv.gz.
var ListHeader = header("list.which", "ent.uscc", "csv.name", "list.ground", "list.since", "list.until", "snapshot.ended",
	"list.authority", "list.docno", "snapshot.decision", "snapshot.removal")

func header(keys ...string) []string {
	h := make([]string, len(keys))
	for i, k := range keys {
		h[i] = zh(k)
	}
	return h
}

// writeCSVs writes enterprises.csv.gz and lists.csv.gz from each enterprise's file, with
// list status on day on.
func writeCSVs(ctx context.Context, src Source, dir string, n int64, on calendar.Date) (File, File, error) {
	const csvType = "text/csv; charset=utf-8"
	ef, err := createGz(dir, EnterprisesFile)
	if err != nil {
		return File{}, File{}, err
	}
	defer ef.f.Close()
	lf, err := createGz(dir, ListsFile)
	if err != nil {
		return File{}, File{}, err
	}
	defer lf.f.Close()
	ew, lw := newCSV(ef, EnterpriseHeader), newCSV(lf, ListHeader)
	var ents, entries int64
	err = src.EachFile(ctx, n, func(svs []gongshi.StoredVersion) error {
		d, err := gongshi.OpenDossier(svs, false)
		if err != nil {
			return err
		}
		ew.Write(enterpriseRow(d, on))
		ents++
		for _, e := range d.Entries {
			lw.Write(listRow(e))
			entries++
		}
		return ctx.Err()
	})
	if err != nil {
		return File{}, File{}, err
	}
	for _, w := range []*csv.Writer{ew, lw} {
		if w.Flush(); w.Error() != nil {
			return File{}, File{}, w.Error()
		}
	}
	e, err := ef.finish(ents, csvType)
	if err != nil {
		return File{}, File{}, err
	}
	l, err := lf.finish(entries, csvType)
	return e, l, err
}

// newCSV starts a CSV file: a byte-order mark (spreadsheets then read UTF-8) and header.
func newCSV(w io.Writer, header []string) *csv.Writer {
	io.WriteString(w, "\ufeff")
	cw := csv.NewWriter(w)
	cw.Write(header)
	return cw
}

func enterpriseRow(d *gongshi.Dossier, on calendar.Date) []string {
	e := d.Enterprise
	var address string
	if r := d.Record(e.Registration); r != nil {
		address, _ = r.Latest().Body["address"].(string)
	}
	abnormal, serious := zh("no"), zh("no")
	for _, le := range d.Entries {
		if le.Active(on) {
			if le.List == gongshi.ListSerious {
				serious = zh("yes")
			} else {
				abnormal = zh("yes")
			}
		}
	}
	return []string{e.USCC.String(), e.RegNo.String(), e.Name, strings.Join(e.Former, "；"), e.Type, e.Status, e.LegalRep,
		e.Established.String(), address, e.Division, abnormal, serious, e.Registration, e.LatestChangeAt.UTC().Format(time.RFC3339)}
}

func listRow(e *gongshi.ListEntry) []string {
	ended := ""
	if e.Ended != "" {
		ended = zh("list.end." + e.Ended)
	}
	return []string{zh("list." + e.List), e.USCC, e.Name, groundLabel(e.Ground), e.Since, e.Until, ended,
		e.Authority, e.DocumentNo, e.Record, e.EndRecord}
}

// zh is a label of the catalogue in Chinese, as the web pages name the same thing; a
// code the catalogue does not know yet shows as itself.
func zh(key string) string { return catalogue.T(catalogue.Chinese, key) }

// groundLabel names a listing ground (SPEC §8; Art. 17 and the 2014 measures) by its
// number and its name on the web pages: "1 未按规定报送年度报告".
func groundLabel(g int) string {
	if l, ok := catalogue.Entry(fmt.Sprintf("list.ground.%d", g)); ok && g > 0 {
		return fmt.Sprintf("%d %s", g, l[catalogue.Chinese])
	}
	return fmt.Sprint(g)
}
