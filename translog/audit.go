package translog

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// AuditState is what an auditor remembers of a log between runs: the verifier key it trusts
// and the last checkpoint it verified. The zero AuditState is a first audit. It is kept as
// JSON (gongshi verify keeps one per log in its state file).
type AuditState struct {
	VerifierKey string `json:"verifier_key,omitempty"`
	Origin      string `json:"origin,omitempty"`
	Size        int64  `json:"size"`
	Root        string `json:"root,omitempty"`       // standard base64 of the root hash
	Checkpoint  string `json:"checkpoint,omitempty"` // the signed checkpoint note
}

// AuditOptions tune an audit; the zero value is usable.
type AuditOptions struct {
	// Progress, if set, is called from one goroutine as leaves are checked, with the
	// number done and the total; the last call has done == total.
	Progress func(done, total int64)
	// Workers is the number of documents fetched at once; default 8.
	Workers int
	// HTTPClient is used by Audit; default http.DefaultClient.
	HTTPClient *http.Client
	// Keys is the log's key list as it publishes it (/log/key), if known. The audit
	// follows a key rotation with it: a listed key that signed the audited checkpoint
	// beside a trusted key is trusted from then on, and a trusted key the list says is
	// retired is trusted no longer (see Key).
	Keys string
	// Now is the time key validity is judged at; zero means the system clock.
	Now time.Time
}

// MaxProblems is the number of problems an AuditReport lists; more are only counted.
const MaxProblems = 100

// AuditReport is the outcome of an audit.
type AuditReport struct {
	Origin       string
	Tree         tlog.Tree  // the checkpoint audited
	Previous     int64      // size of the earlier checkpoint the tree was proven consistent with
	Leaves       int64      // leaves read and hashed into the tree
	Documents    int64      // documents fetched whose SHA-256 matched their leaf
	Withdrawn    int64      // documents withdrawn from view (410 Gone); their leaves are still proven
	Problems     []string   // the first MaxProblems problems found
	ProblemCount int64      // all problems found
	State        AuditState // the state to keep for the next audit; set only when the audit passed
}

func (r *AuditReport) problem(format string, args ...any) {
	r.ProblemCount++
	if len(r.Problems) < MaxProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

// Audit checks the log of the gongshi server at baseURL against the note verifier key vkey
// and the state of an earlier audit:
//
//  1. the key (or key list, see Key) equals state.VerifierKey, if the state has one (else
//     ErrBadKey);
//  2. GET /log/checkpoint verifies with one of the keys and names the keys' origin;
//  3. every leaf, read from the entry bundles, is canonical Leaf JSON, and its document
//     from GET /api/v1/documents/{sha256} hashes to the leaf's sha256 (410 Gone counts as
//     withdrawn, not as a problem);
//  4. the tree recomputed from all leaves has the checkpoint's root;
//  5. the leaves also give the earlier checkpoint's root, and a consistency proof built
//     from the served tiles (authenticated with tlog.TileHashReader) checks with
//     tlog.CheckTree; inclusion proofs of the first, middle and last leaves check with
//     tlog.CheckRecord.
//
// Problems with individual leaves are collected in the report and the audit goes on; at
// the end the error wraps ErrAuditFailed if there were any. An error that stops the audit
// (no checkpoint: ErrNotFound; bad signature: ErrBadSignature; a tree smaller than the
// state's or a different origin: ErrInconsistent, ErrBadOrigin; an unreadable bundle) is
// returned at once with the report as far as it got. On success report.State is the new
// state to keep.
func Audit(ctx context.Context, baseURL, vkey string, state AuditState, opt AuditOptions) (AuditReport, error) {
	return runAudit(ctx, httpSource{NewClient(baseURL, opt.HTTPClient)}, vkey, state, opt)
}

// AuditStore is Audit reading the log directly from store, and documents with document,
// which must return an error wrapping ErrWithdrawn for a withdrawn document and ErrNotFound
// for an unknown one. Proofs are built from the store's hashes.
func AuditStore(ctx context.Context, store Store, vkey string, document func(ctx context.Context, sha256 string) ([]byte, error), state AuditState, opt AuditOptions) (AuditReport, error) {
	return runAudit(ctx, storeSource{store, document}, vkey, state, opt)
}

// auditSource is where an audit reads the log from.
type auditSource interface {
	checkpoint(ctx context.Context) ([]byte, error)
	leaves(ctx context.Context, start, end int64) ([][]byte, error) // within one bundle
	document(ctx context.Context, sha string) ([]byte, error)
	hashes(ctx context.Context, tree tlog.Tree) tlog.HashReader
}

type httpSource struct{ c *Client }

func (s httpSource) checkpoint(ctx context.Context) ([]byte, error) { return s.c.Checkpoint(ctx) }
func (s httpSource) leaves(ctx context.Context, start, end int64) ([][]byte, error) {
	return s.c.Entries(ctx, start/TileWidth, int(end-start))
}
func (s httpSource) document(ctx context.Context, sha string) ([]byte, error) {
	return s.c.Document(ctx, sha)
}
func (s httpSource) hashes(ctx context.Context, tree tlog.Tree) tlog.HashReader {
	return tlog.TileHashReader(tree, s.c.TileReader(ctx))
}

type storeSource struct {
	s   Store
	doc func(ctx context.Context, sha string) ([]byte, error)
}

func (s storeSource) checkpoint(ctx context.Context) ([]byte, error) {
	return s.s.LatestCheckpoint(ctx)
}
func (s storeSource) leaves(ctx context.Context, start, end int64) ([][]byte, error) {
	return s.s.ReadLeaves(ctx, start, end)
}
func (s storeSource) document(ctx context.Context, sha string) ([]byte, error) {
	return s.doc(ctx, sha)
}
func (s storeSource) hashes(ctx context.Context, tree tlog.Tree) tlog.HashReader {
	return HashReader(ctx, s.s)
}

// docResult is the outcome of checking one leaf.
type docResult struct {
	index     int64
	ok        bool // document matched
	withdrawn bool
	problem   string
}

// followKeys returns the key list to trust after signed was verified by a trusted key:
// the trusted keys, less those the log's key list published says are retired at now, plus
// the keys of published, active at now, that signed this checkpoint too. It never returns
// an empty list: with no key left it keeps the trusted ones.
func followKeys(signed []byte, trusted []Key, published string, now time.Time) (string, error) {
	plain := func(keys []Key) string {
		var b strings.Builder
		for i, k := range keys {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(k.VKey)
		}
		return b.String()
	}
	if strings.TrimSpace(published) == "" {
		return plain(trusted), nil
	}
	pub, err := ParseKeyList(published)
	if err != nil {
		return "", err
	}
	listed := map[string]Key{}
	for _, k := range pub {
		listed[k.VKey] = k
	}
	all := append([]Key{}, trusted...)
	for _, k := range pub {
		if !slices.ContainsFunc(trusted, func(t Key) bool { return t.VKey == k.VKey }) {
			all = append(all, k)
		}
	}
	n, err := note.Open(signed, note.VerifierList(Verifiers(all)...))
	if err != nil {
		return "", err
	}
	var out []Key
	for _, k := range all {
		p, isListed := listed[k.VKey]
		trustedKey := slices.ContainsFunc(trusted, func(t Key) bool { return t.VKey == k.VKey })
		signedIt := slices.ContainsFunc(n.Sigs, func(s note.Signature) bool { return s.Hash == k.Verifier.KeyHash() })
		switch {
		case isListed && !p.Until.IsZero() && !now.Before(p.Until):
			// retired
		case trustedKey, isListed && p.Active(now) && signedIt:
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		out = trusted
	}
	return plain(out), nil
}

func runAudit(ctx context.Context, src auditSource, vkey string, state AuditState, opt AuditOptions) (AuditReport, error) {
	var rep AuditReport
	if state.VerifierKey != "" && state.VerifierKey != vkey {
		return rep, fmt.Errorf("%w: verifier key %q is not the trusted %q", ErrBadKey, vkey, state.VerifierKey)
	}
	trusted, err := ParseKeyList(vkey)
	if err != nil {
		return rep, err
	}
	signed, err := src.checkpoint(ctx)
	if err != nil {
		return rep, fmt.Errorf("translog: audit: checkpoint: %w", err)
	}
	origin, tree, err := ParseCheckpoint(signed, Verifiers(trusted)...)
	if err != nil {
		return rep, fmt.Errorf("translog: audit: %w", err)
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	follow, err := followKeys(signed, trusted, opt.Keys, now)
	if err != nil {
		return rep, fmt.Errorf("translog: audit: the log's key list: %w", err)
	}
	rep.Origin, rep.Tree = origin, tree
	oldRoot, err := checkState(state, origin, tree)
	if err != nil {
		return rep, err
	}

	leafHashes, oldRecomputed, err := auditLeaves(ctx, src, tree, state.Size, &rep, opt)
	if err != nil {
		return rep, err
	}
	if oldRecomputed != oldRoot {
		rep.problem("leaves 0…%d hash to %s, but the earlier checkpoint of that size had root %s: the log was rewritten", state.Size-1, oldRecomputed, oldRoot)
	}
	auditProofs(src.hashes(ctx, tree), tree, state.Size, oldRoot, leafHashes, &rep)
	if rep.ProblemCount > 0 {
		return rep, fmt.Errorf("%w: %d problems", ErrAuditFailed, rep.ProblemCount)
	}
	rep.Previous = state.Size
	rep.State = AuditState{
		VerifierKey: follow,
		Origin:      origin,
		Size:        tree.N,
		Root:        base64.StdEncoding.EncodeToString(tree.Hash[:]),
		Checkpoint:  string(signed),
	}
	return rep, nil
}

// checkState returns the root hash of the state's checkpoint (the empty tree's for a
// first audit) after checking that tree can follow it.
func checkState(state AuditState, origin string, tree tlog.Tree) (tlog.Hash, error) {
	if state.Origin != "" && state.Origin != origin {
		return tlog.Hash{}, fmt.Errorf("%w: checkpoint origin %q, earlier %q", ErrBadOrigin, origin, state.Origin)
	}
	if state.Size < 0 || state.Size > tree.N {
		return tlog.Hash{}, fmt.Errorf("%w: checkpoint has %d leaves, an earlier one had %d: the log shrank", ErrInconsistent, tree.N, state.Size)
	}
	if state.Size == 0 {
		return emptyRoot, nil
	}
	h, err := base64.StdEncoding.DecodeString(state.Root)
	if err != nil || len(h) != tlog.HashSize {
		return tlog.Hash{}, fmt.Errorf("translog: audit state: root %q is not a base64 hash", state.Root)
	}
	return tlog.Hash(h), nil
}

// auditLeaves reads every leaf of tree, checks it and its document, and checks that the
// leaves hash to the tree's root. It returns the leaf hashes the proofs need (first,
// middle, last) and the recomputed root of the first oldSize leaves.
func auditLeaves(ctx context.Context, src auditSource, tree tlog.Tree, oldSize int64, rep *AuditReport, opt AuditOptions) (map[int64]tlog.Hash, tlog.Hash, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := opt.Workers
	if workers <= 0 {
		workers = 8
	}
	jobs := make(chan docResult, 4*TileWidth) // index and, in problem, the sha256 to fetch
	results := make(chan docResult, 4*TileWidth)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- checkDocument(ctx, src, j.index, j.problem)
			}
		}()
	}
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		var done int64
		for r := range results {
			done++
			switch {
			case r.ok:
				rep.Documents++
			case r.withdrawn:
				rep.Withdrawn++
			default:
				rep.problem("%s", r.problem)
			}
			if opt.Progress != nil && (done%TileWidth == 0 || done == tree.N) {
				opt.Progress(done, tree.N)
			}
		}
	}()

	sample := map[int64]tlog.Hash{0: {}, tree.N / 2: {}, tree.N - 1: {}}
	var edge Edge
	oldRoot := emptyRoot
	var scratch, stored []tlog.Hash
	var readErr error
	hashes := src.hashes(ctx, tree)
	for start := int64(0); start < tree.N && readErr == nil; start += TileWidth {
		end := min(start+TileWidth, tree.N)
		leaves, err := src.leaves(ctx, start, end)
		if err == nil && int64(len(leaves)) != end-start {
			err = fmt.Errorf("%w: %d leaves, want %d", ErrInconsistent, len(leaves), end-start)
		}
		if err != nil {
			readErr = fmt.Errorf("translog: audit: read leaves [%d, %d): %w", start, end, err)
			break
		}
		stored = stored[:0]
		for i, leaf := range leaves {
			n := start + int64(i)
			h := tlog.RecordHash(leaf)
			if _, ok := sample[n]; ok {
				sample[n] = h
			}
			scratch = edge.appendHash(h, scratch[:0])
			stored = append(stored, scratch...)
			if edge.size == oldSize {
				oldRoot = edge.Root()
			}
			l, err := ParseLeaf(leaf)
			if err != nil {
				results <- docResult{index: n, problem: fmt.Sprintf("leaf %d: %v", n, err)}
				continue
			}
			select {
			case jobs <- docResult{index: n, problem: l.SHA256}:
			case <-ctx.Done():
				readErr = ctx.Err()
			}
		}
		if readErr == nil {
			readErr = checkStoredHashes(hashes, start, stored, rep)
		}
	}
	close(jobs)
	wg.Wait()
	close(results)
	<-collected
	if readErr != nil {
		return nil, tlog.Hash{}, readErr
	}
	rep.Leaves = edge.size
	if opt.Progress != nil && tree.N == 0 {
		opt.Progress(0, 0)
	}
	if root := edge.Root(); root != tree.Hash {
		rep.problem("the %d leaves hash to %s, but the checkpoint's root is %s", tree.N, root, tree.Hash)
	}
	return sample, oldRoot, nil
}

// checkStoredHashes compares the stored hashes the log serves (its tiles) for the leaves
// from start on with want, the hashes recomputed from those leaves (tlog.StoredHashes of
// each, in order): a stored hash changed behind the log's back would make every proof and
// tile that uses it wrong.
func checkStoredHashes(r tlog.HashReader, start int64, want []tlog.Hash, rep *AuditReport) error {
	first := tlog.StoredHashCount(start)
	idx := make([]int64, len(want))
	for i := range idx {
		idx[i] = first + int64(i)
	}
	got, err := r.ReadHashes(idx)
	if err != nil {
		return fmt.Errorf("translog: audit: read stored hashes from leaf %d: %w", start, err)
	}
	for i := range want {
		if got[i] != want[i] {
			rep.problem("stored hash %d is %s, but the leaves hash to %s", idx[i], got[i], want[i])
		}
	}
	return nil
}

// checkDocument fetches the document of leaf n and checks its hash, retrying transient
// failures twice.
func checkDocument(ctx context.Context, src auditSource, n int64, sha string) docResult {
	var doc []byte
	var err error
	for attempt, wait := 0, 100*time.Millisecond; attempt < 3; attempt, wait = attempt+1, wait*4 {
		doc, err = src.document(ctx, sha)
		if err == nil || errors.Is(err, ErrNotFound) || errors.Is(err, ErrWithdrawn) || ctx.Err() != nil {
			break
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
		}
	}
	switch {
	case errors.Is(err, ErrWithdrawn):
		return docResult{index: n, withdrawn: true}
	case errors.Is(err, ErrNotFound):
		return docResult{index: n, problem: fmt.Sprintf("leaf %d: document %s is missing", n, sha)}
	case err != nil:
		return docResult{index: n, problem: fmt.Sprintf("leaf %d: document %s: %v", n, sha, err)}
	}
	if got := DocumentHash(doc); got != sha {
		return docResult{index: n, problem: fmt.Sprintf("leaf %d: document hashes to %s, leaf says %s", n, got, sha)}
	}
	return docResult{index: n, ok: true}
}

// auditProofs checks a consistency proof from the old tree to tree and inclusion proofs
// of the sampled leaves, built from r.
func auditProofs(r tlog.HashReader, tree tlog.Tree, oldSize int64, oldRoot tlog.Hash, leafHashes map[int64]tlog.Hash, rep *AuditReport) {
	if oldSize > 0 && oldSize < tree.N {
		p, err := tlog.ProveTree(tree.N, oldSize, r)
		if err == nil {
			err = tlog.CheckTree(p, tree.N, tree.Hash, oldSize, oldRoot)
		}
		if err != nil {
			rep.problem("consistency proof from tree %d to %d: %v", oldSize, tree.N, err)
		}
	}
	if oldSize == tree.N && oldRoot != tree.Hash {
		rep.problem("checkpoint of size %d has root %s, an earlier one of the same size had %s: the log forked", tree.N, tree.Hash, oldRoot)
	}
	if tree.N == 0 {
		return
	}
	for n, h := range leafHashes {
		p, err := tlog.ProveRecord(tree.N, n, r)
		if err == nil {
			err = tlog.CheckRecord(p, tree.N, tree.Hash, n, h)
		}
		if err != nil {
			rep.problem("inclusion proof of leaf %d in tree %d: %v", n, tree.N, err)
		}
	}
}
