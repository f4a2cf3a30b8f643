package snapshot

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"
)

// validName is the shape of a snapshot's name (see the package documentation).
var validName = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z-[0-9]+$`)

// ValidName reports whether name can be a snapshot's name: a request naming anything else
// is refused before the file system is touched.
func ValidName(name string) bool { return validName.MatchString(name) }

// ReadManifest reads the manifest of the snapshot in dir.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	if m.Format != Format {
		return nil, fmt.Errorf("%s: format %q, this gongshi reads %q", filepath.Join(dir, ManifestFile), m.Format, Format)
	}
	return &m, nil
}

// List returns the manifests of the complete snapshots under root, newest first. A
// missing root holds none.
func List(root string) ([]*Manifest, error) {
	des, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []*Manifest
	for _, de := range des {
		if !de.IsDir() || !ValidName(de.Name()) {
			continue
		}
		m, err := ReadManifest(filepath.Join(root, de.Name()))
		if err != nil || m.Name != de.Name() {
			continue
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *Manifest) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return out, nil
}

// Prune removes all but the newest keep snapshots under root (keep < 1 keeps one), and
// what an interrupted Write left behind; it returns the names removed.
func Prune(root string, keep int) ([]string, error) {
	keep = max(keep, 1)
	ms, err := List(root)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, m := range ms[min(keep, len(ms)):] {
		if err := os.RemoveAll(filepath.Join(root, m.Name)); err != nil {
			return removed, err
		}
		removed = append(removed, m.Name)
	}
	leftovers, _ := filepath.Glob(filepath.Join(root, ".writing-*"))
	for _, p := range leftovers {
		// A day old: not a Write still running beside this one.
		if fi, err := os.Stat(p); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			os.RemoveAll(p)
		}
	}
	return removed, nil
}
