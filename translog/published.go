package translog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// PublishedFile is the name, in the data folder, of the file keeping the latest checkpoint
// the log published.
const PublishedFile = "log-published.checkpoint"

// ErrBehind: a store whose tree is smaller than, or forked from, the latest checkpoint the
// log published (a database restored from an older backup, or another log's). It wraps
// ErrInconsistent. Signing a checkpoint of such a tree would fork the log.
var ErrBehind = fmt.Errorf("%w: the database is behind the last published checkpoint", ErrInconsistent)

// Published keeps the latest checkpoint a log published outside its store, in a file of
// the data folder, so that a store replaced by an older copy (a restored backup) cannot
// make the log sign a checkpoint inconsistent with one it already published. The file
// holds the signed checkpoint note exactly as served; it is replaced atomically (a
// temporary file, fsync, rename, fsync of the folder) before the checkpoint is served.
// Published is safe for concurrent use.
type Published struct {
	path   string
	origin string

	mu     sync.Mutex
	tree   tlog.Tree
	have   bool
	signed []byte
}

// OpenPublished reads the published checkpoint of the log origin from path, if the file
// exists. A file whose checkpoint does not parse, or is of another origin, is an error
// wrapping ErrMalformedCheckpoint or ErrBadOrigin.
func OpenPublished(path, origin string) (*Published, error) {
	p := &Published{path: path, origin: origin}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return nil, fmt.Errorf("translog: published checkpoint: %w", err)
	}
	tree, err := p.parse(b)
	if err != nil {
		return nil, fmt.Errorf("translog: published checkpoint %s: %w", path, err)
	}
	p.tree, p.have, p.signed = tree, true, b
	return p, nil
}

// parse returns the tree of a signed checkpoint note of p's origin. Its signatures are not
// checked: the file is the server's own record, kept beside its signing key.
func (p *Published) parse(signed []byte) (tlog.Tree, error) {
	i := bytes.LastIndex(signed, []byte("\n\n"))
	if i < 0 {
		return tlog.Tree{}, fmt.Errorf("%w: not a signed note", ErrMalformedCheckpoint)
	}
	origin, tree, err := ParseCheckpointText(signed[:i+1])
	if err != nil {
		return tlog.Tree{}, err
	}
	if origin != p.origin {
		return tlog.Tree{}, fmt.Errorf("%w: checkpoint of %q, log is %q", ErrBadOrigin, origin, p.origin)
	}
	return tree, nil
}

// Path returns the file's path.
func (p *Published) Path() string { return p.path }

// Latest returns the latest published checkpoint and its tree; ok is false if none was.
func (p *Published) Latest() (signed []byte, tree tlog.Tree, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.signed, p.tree, p.have
}

// Save records signed as published. A checkpoint not larger than the recorded one is
// ignored (nil error), as the log's head never moves backwards. The file is durable when
// Save returns.
func (p *Published) Save(signed []byte) error {
	tree, err := p.parse(signed)
	if err != nil {
		return fmt.Errorf("translog: save published checkpoint: %w", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.have && tree.N <= p.tree.N {
		return nil
	}
	if err := WriteFileAtomic(p.path, signed, 0o644); err != nil {
		return fmt.Errorf("translog: save published checkpoint: %w", err)
	}
	p.tree, p.have, p.signed = tree, true, bytes.Clone(signed)
	return nil
}

// Check proves that a tree of size leaves in store extends the published checkpoint: it is
// at least as large, and a consistency proof read from the store's hashes verifies between
// the published root and the store's root. A smaller or forked tree is an error wrapping
// ErrBehind that says what to do; store errors are wrapped as they are.
func (p *Published) Check(ctx context.Context, store Store, size int64) error {
	_, pub, ok := p.Latest()
	if !ok || pub.N == 0 {
		return nil // every tree extends the empty one
	}
	if size < pub.N {
		return fmt.Errorf("%w: it holds %d log entries, but a checkpoint of %d entries was published (%s)%s",
			ErrBehind, size, pub.N, p.path, wayOut)
	}
	hr := HashReader(ctx, store)
	root, err := tlog.TreeHash(size, hr)
	if err != nil {
		return fmt.Errorf("translog: tree hash at %d: %w", size, err)
	}
	consistent := root == pub.Hash
	if size > pub.N {
		proof, err := tlog.ProveTree(size, pub.N, hr)
		if err != nil {
			return fmt.Errorf("translog: consistency proof %d→%d: %w", pub.N, size, err)
		}
		consistent = tlog.CheckTree(proof, size, root, pub.N, pub.Hash) == nil
	}
	if !consistent {
		return fmt.Errorf("%w: its first %d log entries are not those of the published checkpoint (%s)%s",
			ErrBehind, pub.N, p.path, wayOut)
	}
	return nil
}

// wayOut is what an operator can do about a store behind its published checkpoint.
const wayOut = `; signing a checkpoint of it would fork the log, so nothing is published. ` +
	`Restore a backup taken at or after that checkpoint (gongshi restore), or recover the missing entries ` +
	`from a mirror, or, as a last resort, accept the fork as an explicit, logged decision: ` +
	`gongshi admin accept-fork --data DIR --reason "…" (every auditor will see the fork)`

// WriteFileAtomic replaces path by a file holding data: it writes a temporary file in the
// same folder, syncs it, renames it over path and syncs the folder, so that after a crash
// path holds either the old or the new bytes, and the new ones once it returns nil.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := syncFile(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return syncFile(d)
}

// syncFile is f.Sync; tests replace it to fail an fsync.
var syncFile = func(f *os.File) error { return f.Sync() }
