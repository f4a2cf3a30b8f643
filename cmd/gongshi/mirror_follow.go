package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/translog"
)

// The mirror's follower: it reads the source's signed checkpoint, proves it consistent
// with the last one it verified, reads the change feed up to it, checks each entry's leaf
// hash against the hashes the checkpoint commits to (the source's tiles, authenticated by
// tlog.TileHashReader against the checkpoint's root) before the entry goes into the store,
// and once the store reaches the checkpoint's size checks that the store's own tree has the
// checkpoint's root, then serves that checkpoint. Nothing the source says is stored before
// it is proven to be in the log the source signed; a view of the log that contradicts one
// verified before stops the mirror, with the evidence written to a file.

// MirrorStateFile, in a mirror's data folder, pins the source's key and keeps the last
// checkpoint verified.
const MirrorStateFile = "mirror.json"

// mirrorState is what MirrorStateFile holds.
type mirrorState struct {
	// From is the source's URL last followed (it may move; the key names the log).
	From string `json:"from"`
	// Key is the source's verifier key (or key list, as served at /log/key).
	Key string `json:"key"`
	// Checkpoint is the latest signed checkpoint of the source verified, which every later
	// one must be consistent with.
	Checkpoint string `json:"checkpoint,omitempty"`
}

func readMirrorState(dir string) (*mirrorState, error) {
	b, err := os.ReadFile(filepath.Join(dir, MirrorStateFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var s mirrorState
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w (it is written by gongshi mirror; restore it or start a new data folder)", filepath.Join(dir, MirrorStateFile), err)
	}
	return &s, nil
}

func (s *mirrorState) save(dir string) error {
	b, _ := json.MarshalIndent(s, "", "  ")
	return translog.WriteFileAtomic(filepath.Join(dir, MirrorStateFile), append(b, '\n'), 0o644)
}

// errInconsistent is the source showing a view of its log that contradicts what the mirror
// has verified: the mirror stops. Evidence is the file that holds the proof.
type errInconsistent struct {
	What     string
	Evidence string
}

func (e *errInconsistent) Error() string {
	return fmt.Sprintf("THE SOURCE IS INCONSISTENT: %s; the mirror stopped and serves nothing more (evidence: %s)", e.What, e.Evidence)
}

// transient marks an error of the transport (source down, restarting, timing out): the
// follower waits and tries again.
type transient struct{ err error }

func (t *transient) Error() string { return t.err.Error() }
func (t *transient) Unwrap() error { return t.err }

// follower copies the source's log into the store.
type follower struct {
	base      string // the source's URL, without a trailing slash
	hc        *http.Client
	client    *translog.Client
	store     *sqlstore.DB
	dir       string // the data folder: state and evidence
	state     *mirrorState
	verifiers []note.Verifier
	logger    *slog.Logger
	poll      time.Duration
	// last is the tree of state.Checkpoint.
	last tlog.Tree
	// applied counts the entries appended since the start.
	applied atomic.Int64
	// onVerified, if set, is called each time the store reaches a verified checkpoint.
	onVerified func(size int64)
}

// mirrorBatch is how many feed entries go into one transaction.
const mirrorBatch = 2000

// start reads the last verified checkpoint and checks the store against it.
func (f *follower) start(ctx context.Context) error {
	var tree tlog.Tree
	if f.state.Checkpoint != "" {
		var err error
		if _, tree, err = translog.ParseCheckpoint([]byte(f.state.Checkpoint), f.verifiers...); err != nil {
			return fmt.Errorf("the checkpoint kept in %s does not verify with the pinned key: %w", filepath.Join(f.dir, MirrorStateFile), err)
		}
	}
	f.last = tree
	size, err := f.store.TreeSize(ctx)
	if err != nil {
		return err
	}
	if size > tree.N {
		return fmt.Errorf("the mirror's store has %d entries, more than the %d of the last checkpoint it verified: it holds a register of its own or was written by something else; mirror into a new data folder", size, tree.N)
	}
	return nil
}

// run follows the source until ctx ends or the source is found inconsistent.
func (f *follower) run(ctx context.Context) error {
	wait := f.poll
	for {
		err := f.step(ctx)
		var tr *transient
		switch {
		case err == nil:
			wait = f.poll
		case ctx.Err() != nil:
			return nil
		case errors.As(err, &tr):
			f.logger.Warn("mirror: cannot read the source; trying again", "from", f.base, "err", err, "in", wait)
			wait = min(2*wait, 5*time.Second)
		default:
			return err
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil
		}
	}
}

// step verifies the source's latest checkpoint and brings the store up to it.
func (f *follower) step(ctx context.Context) error {
	signed, err := f.client.Checkpoint(ctx)
	if err != nil {
		if errors.Is(err, translog.ErrNotFound) {
			return &transient{fmt.Errorf("the source has signed no checkpoint yet")}
		}
		return &transient{err}
	}
	_, tree, err := translog.ParseCheckpoint(signed, f.verifiers...)
	if err != nil {
		if errors.Is(err, translog.ErrBadSignature) || errors.Is(err, translog.ErrBadOrigin) {
			return f.inconsistent("its checkpoint is not signed by the key this mirror pinned (if the source rotated its key, check the new one another way and start the mirror with --key)",
				evidence{"pinned key", f.state.Key}, evidence{"last verified checkpoint", f.state.Checkpoint}, evidence{"checkpoint served", string(signed)}, evidence{"error", err.Error()})
		}
		return &transient{fmt.Errorf("the source's checkpoint: %w", err)}
	}
	switch {
	case tree.N < f.last.N:
		return f.inconsistent(fmt.Sprintf("its checkpoint has %d entries, fewer than the %d of a checkpoint it signed before (a rolled-back or rewritten log)", tree.N, f.last.N),
			evidence{"last verified checkpoint", f.state.Checkpoint}, evidence{"checkpoint served", string(signed)})
	case tree.N == f.last.N && tree.Hash != f.last.Hash:
		return f.inconsistent(fmt.Sprintf("it signed two different trees of %d entries (a fork)", tree.N),
			evidence{"last verified checkpoint", f.state.Checkpoint}, evidence{"checkpoint served", string(signed)})
	case tree.N == f.last.N:
		return nil
	}
	src := &tileSource{tr: f.client.TileReader(ctx)}
	hashes := tlog.TileHashReader(tree, src)
	if f.last.N > 0 {
		proof, err := tlog.ProveTree(tree.N, f.last.N, hashes)
		if err == nil {
			err = tlog.CheckTree(proof, tree.N, tree.Hash, f.last.N, f.last.Hash)
		}
		if err != nil {
			if src.err != nil {
				return &transient{src.err}
			}
			return f.inconsistent(fmt.Sprintf("its checkpoint of %d entries is not consistent with the one of %d entries it signed before (a rewritten leaf or a fork)", tree.N, f.last.N),
				evidence{"last verified checkpoint", f.state.Checkpoint}, evidence{"checkpoint served", string(signed)},
				evidence{"consistency proof (hashes from the source's tiles)", formatProof(proof)}, evidence{"error", err.Error()})
		}
	}
	size, err := f.store.TreeSize(ctx)
	if err != nil {
		return err
	}
	for size < tree.N {
		if size, err = f.apply(ctx, size, tree, signed, hashes, src); err != nil {
			return err
		}
	}
	root, err := translog.TreeHash(tree.N, translog.HashReader(ctx, f.store))
	if err != nil {
		return err
	}
	if root != tree.Hash {
		return f.inconsistent(fmt.Sprintf("the mirror's log of %d entries, each proven in a checkpoint of the source, has root %s, the source's checkpoint %s", tree.N, root, tree.Hash),
			evidence{"last verified checkpoint", f.state.Checkpoint}, evidence{"checkpoint served", string(signed)})
	}
	// The store first, then the state: a crash between them leaves a state one behind,
	// which the next checkpoint is proven consistent with.
	if err := f.store.SaveCheckpoint(ctx, tree.N, signed); err != nil {
		return err
	}
	f.state.Checkpoint, f.last = string(signed), tree
	if err := f.state.save(f.dir); err != nil {
		return err
	}
	if f.onVerified != nil {
		f.onVerified(tree.N)
	}
	return nil
}

// apply reads entries from size on from the feed, proves each in tree and appends them;
// it returns the store's new size.
func (f *follower) apply(ctx context.Context, size int64, tree tlog.Tree, signed []byte, hashes tlog.HashReader, src *tileSource) (int64, error) {
	limit := min(tree.N-size, gongshi.MaxFeedLimit)
	events, err := f.readFeed(ctx, size, int(limit))
	if err != nil {
		return size, err
	}
	if len(events) == 0 {
		return size, &transient{fmt.Errorf("the source's feed gave no entry after %d, though its checkpoint has %d", size-1, tree.N)}
	}
	indexes := make([]int64, len(events))
	for i, ev := range events {
		if ev.LogIndex != size+int64(i) {
			return size, f.inconsistent(fmt.Sprintf("its change feed gave log index %d where %d was due (a gap or a duplicate)", ev.LogIndex, size+int64(i)),
				evidence{"checkpoint served", string(signed)}, evidence{"feed line", string(ev.AppendJSON(nil))})
		}
		indexes[i] = tlog.StoredHashIndex(0, ev.LogIndex)
	}
	want, err := hashes.ReadHashes(indexes)
	if err != nil {
		if src.err != nil {
			return size, &transient{src.err}
		}
		return size, f.inconsistent(fmt.Sprintf("its tiles for log entries %d–%d do not hash to the root of its checkpoint of %d entries", size, size+int64(len(events))-1, tree.N),
			evidence{"checkpoint served", string(signed)}, evidence{"error", err.Error()})
	}
	lines := make([]sqlstore.ImportLine, len(events))
	for i, ev := range events {
		leaf := ev.Leaf()
		b := leaf.MarshalCanonical()
		if got := tlog.RecordHash(b); got != want[i] {
			return size, f.inconsistent(fmt.Sprintf("its change feed gives at log index %d a version whose leaf is not the one its checkpoint of %d entries commits to (a rewritten entry)", ev.LogIndex, tree.N),
				evidence{"checkpoint served", string(signed)}, evidence{"feed line", string(ev.AppendJSON(nil))},
				evidence{"leaf of the feed line", string(b)}, evidence{"its leaf hash", got.String()},
				evidence{"the leaf hash the checkpoint proves (tile hash)", want[i].String()})
		}
		lines[i] = sqlstore.ImportLineOf(ev)
	}
	for len(lines) > 0 {
		n := min(len(lines), mirrorBatch)
		if err := f.store.ImportVersions(ctx, lines[:n], f.drawText(ctx)); err != nil {
			return size, fmt.Errorf("append log entries %d–%d: %w", lines[0].LogIndex, lines[n-1].LogIndex, err)
		}
		size += int64(n)
		f.applied.Add(int64(n))
		lines = lines[n:]
	}
	return size, nil
}

// readFeed reads up to limit events of the feed from log index from on.
func (f *follower) readFeed(ctx context.Context, from int64, limit int) ([]*gongshi.FeedEvent, error) {
	u := fmt.Sprintf("%s/api/v1/changes?after=%d&limit=%d", f.base, from-1, limit)
	if from == 0 {
		u = fmt.Sprintf("%s/api/v1/changes?limit=%d", f.base, limit)
	}
	resp, err := translog.GetPolitely(ctx, f.hc, u)
	if err != nil {
		return nil, &transient{err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1000))
		return nil, &transient{fmt.Errorf("GET %s: %s %s", u, resp.Status, b)}
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), translog.MaxDocumentSize+64<<10)
	var events []*gongshi.FeedEvent
	for sc.Scan() {
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if !json.Valid(line) {
			return nil, &transient{fmt.Errorf("GET %s: a line that is not JSON (cut short?) after log index %d", u, from-1+int64(len(events)))}
		}
		ev, err := gongshi.ParseFeedEvent(line)
		if err != nil {
			// A document that is not what its line says: the line proves nothing yet (the
			// checkpoint's hashes do), so it is evidence of a bad feed, not of a bad log.
			return nil, f.inconsistent(fmt.Sprintf("its change feed gave a line that is not what it says after log index %d", from-1+int64(len(events))),
				evidence{"feed line", string(line)}, evidence{"error", err.Error()})
		}
		events = append(events, ev)
	}
	if err := sc.Err(); err != nil {
		return nil, &transient{fmt.Errorf("GET %s: %w", u, err)}
	}
	return events, nil
}

// drawText fetches a spot-check draw's texts from the source, which the store checks
// against the digests the draw's documents name.
func (f *follower) drawText(ctx context.Context) sqlstore.DrawTexts {
	return func(number, which string) ([]byte, bool) {
		resp, err := translog.GetPolitely(ctx, f.hc, f.base+"/api/v1/draws/"+url.PathEscape(number)+"/"+which)
		if err != nil {
			return nil, false
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(io.LimitReader(resp.Body, translog.MaxDocumentSize))
		return b, err == nil && resp.StatusCode == http.StatusOK
	}
}

// evidence is one named part of an evidence file.
type evidence struct{ name, text string }

// inconsistent writes the evidence to a file in the data folder and returns the error
// that stops the mirror.
func (f *follower) inconsistent(what string, parts ...evidence) error {
	var b strings.Builder
	fmt.Fprintf(&b, "gongshi mirror: the source %s is inconsistent with what this mirror verified before.\n", f.base)
	fmt.Fprintf(&b, "when: %s\nwhat: %s\nsource key: %s\n", time.Now().UTC().Format(time.RFC3339), what, strings.TrimSpace(f.state.Key))
	for _, p := range parts {
		fmt.Fprintf(&b, "\n--- %s ---\n%s\n", p.name, strings.TrimRight(p.text, "\n"))
	}
	path := filepath.Join(f.dir, "mirror-evidence-"+time.Now().UTC().Format("20060102T150405.000000000Z")+".txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		f.logger.Error("mirror: cannot write the evidence", "path", path, "err", err)
		fmt.Fprintf(os.Stderr, "%s", b.String())
		path = "(could not be written: printed on stderr)"
	}
	return &errInconsistent{What: what, Evidence: path}
}

func formatProof(p tlog.TreeProof) string {
	var b strings.Builder
	for i, h := range p {
		b.WriteString(strconv.Itoa(i) + " " + h.String() + "\n")
	}
	return b.String()
}

// tileSource reads the source's tiles, remembering a transport error, so that the
// follower can tell a source it cannot reach from tiles that do not verify.
type tileSource struct {
	tr  tlog.TileReader
	err error
}

func (s *tileSource) Height() int { return s.tr.Height() }

func (s *tileSource) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	data, err := s.tr.ReadTiles(tiles)
	if err != nil && !errors.Is(err, translog.ErrInconsistent) {
		s.err = err
	}
	return data, err
}

func (s *tileSource) SaveTiles(tiles []tlog.Tile, data [][]byte) {}
