package snapshot

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"sync"

	"github.com/klauspost/compress/gzip"
)

// A snapshot's big files are made in chunks, each a range of the log or of the
// enterprises read, encoded and compressed on its own into a gzip member (RFC 1952 §2.2:
// a gzip file is a series of members, read as one stream). The chunks are made on every
// core, each by its own read of the store, and written in order; at most two per worker
// are held in memory, compressed.

// Chunk sizes: small enough that a chunk held in memory is a few MiB compressed, large
// enough that its query and its member's header cost next to nothing.
// (Variables for the tests, which make many chunks of a small register.)
var (
	versionsPerChunk int64 = 1 << 14
	filesPerChunk    int64 = 1 << 12
)

// chunks returns how many chunks of size per cover n things: at least one, so that an
// empty file is still a gzip member.
func chunks(n, per int64) int64 { return max(1, (n+per-1)/per) }

// inOrder makes chunks 0 … n-1 with build on workers goroutines and hands them to write
// in order, holding at most 2×workers made and not yet written. The first error stops
// it and is returned.
func inOrder[T any](ctx context.Context, n int64, workers int, build func(ctx context.Context, i int64) (T, error), write func(T) error) error {
	type result struct {
		v   T
		err error
	}
	type job struct {
		i   int64
		out chan result
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel() // before the wait: stops the feeder and the workers' reads
	jobs, queue := make(chan job), make(chan chan result, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				v, err := build(ctx, j.i)
				j.out <- result{v, err}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(jobs)
		defer close(queue)
		for i := int64(0); i < n; i++ {
			j := job{i, make(chan result, 1)} // never waited on by its sender
			select {
			case queue <- j.out:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	for out := range queue {
		select {
		case r := <-out:
			if r.err == nil {
				r.err = write(r.v)
			}
			if r.err != nil {
				return r.err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return ctx.Err()
}

// member is a gzip member being compressed into memory.
type member struct {
	buf bytes.Buffer
	zw  *gzip.Writer
}

// members keeps members of chunks written for the next chunks (release). A chunk of
// versions is ~6 MB compressed, and a buffer grown from nothing to that size for each one
// was cleared as it grew, in memory new to the process at each step: bytes.growSlice took
// 6% of the CPU of a 1M-enterprise snapshot, beside the page faults in its system time.
// (A sync.Pool kept none: a collection empties it, and the chunks' garbage makes many.)
// As many are kept as inOrder holds chunks on two cores or four.
var members = make(chan *member, 8)

func newMember() *member {
	select {
	case m := <-members:
		m.buf.Reset()
		m.zw.Reset(&m.buf)
		return m
	default:
	}
	m := &member{}
	m.zw, _ = gzip.NewWriterLevel(&m.buf, gzip.BestSpeed) // a valid level: no error
	return m
}

// release gives m back for another chunk once its bytes are written.
func (m *member) release() {
	select {
	case members <- m:
	default: // enough are kept
	}
}

func (m *member) Write(p []byte) (int, error) { return m.zw.Write(p) }

// end ends the member: its bytes are m.buf's.
func (m *member) end() error { return m.zw.Close() }

// bytes ends the member and returns it.
func (m *member) bytes() ([]byte, error) {
	err := m.end()
	return m.buf.Bytes(), err
}

// outFile is a file of a snapshot being written, hashed and counted as it goes.
type outFile struct {
	name string
	f    *os.File
	h    hash.Hash
	n    int64
}

func createFile(dir, name string) (*outFile, error) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	return &outFile{name: name, f: f, h: sha256.New()}, nil
}

func (o *outFile) Write(p []byte) (int, error) {
	n, err := o.f.Write(p)
	o.h.Write(p[:n])
	o.n += int64(n)
	return n, err
}

// finish syncs and closes the file and returns its manifest entry.
func (o *outFile) finish(rows int64, contentType string) (File, error) {
	err := o.f.Sync()
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return File{}, fmt.Errorf("write %s: %w", o.name, err)
	}
	return File{Name: o.name, SHA256: hex.EncodeToString(o.h.Sum(nil)), Bytes: o.n, Rows: rows, ContentType: contentType}, nil
}
