package snapshot

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/draw"
	"github.com/gongshi/gongshi/translog"
)

// ErrInvalid is wrapped by every error Verify returns about the snapshot itself (rather
// than about reading it).
var ErrInvalid = errors.New("snapshot does not verify")

// Report is what Verify checked.
type Report struct {
	Origin    string
	Tree      tlog.Tree
	Lines     int64 // lines of versions.jsonl.gz, each one leaf
	Documents int64 // documents hashed to their leaves
	Withdrawn int64 // lines without a document (withdrawn from public view)
	DrawTexts int64 // draw texts checked against their digests
}

// Verify checks the snapshot in dir against the log's verifiers, its keys (see the package
// documentation). Errors about the snapshot wrap ErrInvalid and name the file and line.
func Verify(dir string, verifiers []note.Verifier, progress func(done, total int64)) (*Report, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	origin, tree, err := translog.ParseCheckpoint([]byte(m.Checkpoint), verifiers...)
	if err != nil {
		return nil, fmt.Errorf("%w: the checkpoint: %w", ErrInvalid, err)
	}
	if tree.N != m.Size || base64.StdEncoding.EncodeToString(tree.Hash[:]) != m.Root {
		return nil, fmt.Errorf("%w: the manifest says size %d root %s, its checkpoint size %d", ErrInvalid, m.Size, m.Root, tree.N)
	}
	for _, f := range m.Files {
		if err := checkFile(dir, f); err != nil {
			return nil, err
		}
	}
	if m.File(VersionsFile) == nil {
		return nil, fmt.Errorf("%w: the manifest names no %s", ErrInvalid, VersionsFile)
	}
	rep := &Report{Origin: origin, Tree: tree}
	digests := map[string]string{} // number + "/" + which → the digest its documents name
	var root rootBuilder
	err = EachLine(filepath.Join(dir, VersionsFile), func(n int64, ev *gongshi.FeedEvent) error {
		if ev.LogIndex != n {
			return fmt.Errorf("log_index %d, expected %d", ev.LogIndex, n)
		}
		if ev.Document != nil {
			rep.Documents++
			if ev.Kind == gongshi.KindDraw {
				if err := drawDigests(ev.Document, digests); err != nil {
					return err
				}
			}
		} else {
			rep.Withdrawn++
		}
		root.add(tlog.RecordHash(ev.Leaf().MarshalCanonical()))
		rep.Lines++
		if progress != nil && (rep.Lines%10000 == 0 || rep.Lines == tree.N) {
			progress(rep.Lines, tree.N)
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	if rep.Lines != tree.N {
		return rep, fmt.Errorf("%w: %s has %d lines, the checkpoint %d leaves", ErrInvalid, VersionsFile, rep.Lines, tree.N)
	}
	if got := root.root(); got != tree.Hash {
		return rep, fmt.Errorf("%w: the tree of the %d leaves has root %s, the checkpoint %s", ErrInvalid, tree.N, got, tree.Hash)
	}
	if m.File(DrawsFile) == nil {
		return rep, nil
	}
	err = EachDrawText(filepath.Join(dir, DrawsFile), func(n int64, t *DrawText) error {
		want, ok := digests[t.Number+"/"+t.Which]
		if !ok || draw.Digest([]byte(t.Text)) != want {
			return fmt.Errorf("the %s of draw %s is not the text its documents name", t.Which, t.Number)
		}
		rep.DrawTexts++
		return nil
	})
	return rep, err
}

// drawDigests notes the digests of the texts a draw's document names.
func drawDigests(doc []byte, digests map[string]string) error {
	v, err := gongshi.OpenVersion(gongshi.StoredVersion{Document: doc}, false)
	if err != nil {
		return err
	}
	d, err := gongshi.DrawOf([]*gongshi.Version{v})
	if err != nil {
		return err
	}
	for which, digest := range map[string]string{"population": d.PopulationSHA256, "roster": d.RosterSHA256, "result": d.ResultSHA256} {
		if digest != "" {
			digests[d.Number+"/"+which] = digest
		}
	}
	return nil
}

// EachDrawText calls fn with each line of a draws.jsonl.gz file, counting from 0.
func EachDrawText(path string, fn func(n int64, t *DrawText) error) error {
	return eachJSONLine(path, func(n int64, line []byte) error {
		var t DrawText
		if err := strictDecode(line, &t); err != nil {
			return err
		}
		return fn(n, &t)
	})
}

// checkFile checks a file's length and SHA-256 against the manifest.
func checkFile(dir string, f File) error {
	if filepath.Base(f.Name) != f.Name {
		return fmt.Errorf("%w: the manifest names the file %q", ErrInvalid, f.Name)
	}
	r, err := os.Open(filepath.Join(dir, f.Name))
	if err != nil {
		return err
	}
	defer r.Close()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); n != f.Bytes || got != f.SHA256 {
		return fmt.Errorf("%w: %s has %d bytes with SHA-256 %s, the manifest says %d bytes, %s", ErrInvalid, f.Name, n, got, f.Bytes, f.SHA256)
	}
	return nil
}

// MaxLine is the longest line EachLine reads.
const MaxLine = 16 << 20

// EachLine calls fn with each line of a versions.jsonl.gz file, counting from 0, each
// read by gongshi.ParseFeedEvent: its document hashes to its sha256, and its leaf members
// are its document's. Errors about a line (a malformed one, or fn's) wrap ErrInvalid and
// name its number from 1.
func EachLine(path string, fn func(n int64, ev *gongshi.FeedEvent) error) error {
	return eachJSONLine(path, func(n int64, line []byte) error {
		ev, err := gongshi.ParseFeedEvent(line)
		if err != nil {
			return err
		}
		return fn(n, ev)
	})
}

func strictDecode(line []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// eachJSONLine calls fn with each line of a gzip-compressed JSON Lines file.
func eachJSONLine(path string, fn func(n int64, line []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalid, filepath.Base(path), err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 0, 1<<16), MaxLine)
	var n int64
	for sc.Scan() {
		if err := fn(n, sc.Bytes()); err != nil {
			return fmt.Errorf("%w: %s line %d: %w", ErrInvalid, filepath.Base(path), n+1, err)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%w: %s line %d: %w", ErrInvalid, filepath.Base(path), n+1, err)
	}
	return nil
}

// rootBuilder computes the RFC 6962 Merkle tree hash of leaves added one by one, keeping
// only the roots of the complete subtrees on the tree's right edge.
type rootBuilder struct {
	n     int64
	stack []tlog.Hash // complete subtrees, largest first
}

func (b *rootBuilder) add(h tlog.Hash) {
	b.stack = append(b.stack, h)
	for s := b.n; s&1 == 1; s >>= 1 {
		k := len(b.stack)
		b.stack = append(b.stack[:k-2], tlog.NodeHash(b.stack[k-2], b.stack[k-1]))
	}
	b.n++
}

func (b *rootBuilder) root() tlog.Hash {
	if len(b.stack) == 0 {
		h, _ := tlog.TreeHash(0, nil)
		return h
	}
	h := b.stack[len(b.stack)-1]
	for i := len(b.stack) - 2; i >= 0; i-- {
		h = tlog.NodeHash(b.stack[i], h)
	}
	return h
}
