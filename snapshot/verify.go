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
}

// Verify checks the snapshot in dir against the log's verifier (see the package
// documentation). Errors about the snapshot wrap ErrInvalid and name the file and line.
func Verify(dir string, verifier note.Verifier, progress func(done, total int64)) (*Report, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	origin, tree, err := translog.ParseCheckpoint([]byte(m.Checkpoint), verifier)
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
	var root rootBuilder
	err = EachLine(filepath.Join(dir, VersionsFile), func(n int64, l *Line) error {
		if l.LogIndex != n {
			return fmt.Errorf("log_index %d, expected %d", l.LogIndex, n)
		}
		leaf, err := l.Leaf()
		if err != nil {
			return err
		}
		switch {
		case l.Document != nil:
			if sum := sha256.Sum256(l.Document); hex.EncodeToString(sum[:]) != l.SHA256 {
				return fmt.Errorf("the document hashes to %x, the line says %s", sum, l.SHA256)
			}
			dl, err := gongshi.LeafOf(l.Document)
			if err != nil {
				return err
			}
			if !bytes.Equal(dl.MarshalCanonical(), leaf.MarshalCanonical()) {
				return fmt.Errorf("the document names leaf %s, the line %s", dl.MarshalCanonical(), leaf.MarshalCanonical())
			}
			rep.Documents++
		case l.Withdrawn != nil:
			rep.Withdrawn++
		default:
			return fmt.Errorf("neither a document nor a withdrawal")
		}
		root.add(tlog.RecordHash(leaf.MarshalCanonical()))
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
	return rep, nil
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

// EachLine calls fn with each line of a versions.jsonl.gz file, counting from 0. Errors
// about a line (a malformed one, or fn's) wrap ErrInvalid and name its number from 1.
func EachLine(path string, fn func(n int64, l *Line) error) error {
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
		var l Line
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		err := dec.Decode(&l)
		if err == nil {
			err = fn(n, &l)
		}
		if err != nil {
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
