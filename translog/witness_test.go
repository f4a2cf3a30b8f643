package translog

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// node is a log with a witness, as a gongshi node runs them.
type node struct {
	signer  *Signer
	store   *MemStore
	cosign  *Cosigner
	witness *Witness
	url     string
	refused []string
}

// TestWitnessSplitView: three logs witness each other. Each cosigns the others'
// checkpoints as they grow; when log a shows one witness a checkpoint from a forked tree
// (a split view: another history of the same log, signed by its key), the witness refuses
// it, 409 for the same size with another root and 422 for a larger tree that does not
// extend what it cosigned, and a reader requiring two of the two witnesses rejects it.
func TestWitnessSplitView(t *testing.T) {
	ctx := context.Background()
	names := []string{"a.test/log", "b.test/log", "c.test/log"}
	nodes := make([]*node, 3)
	for i, origin := range names {
		dir := t.TempDir()
		s, err := LoadOrCreateKey(dir, origin)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := LoadOrCreateCosigner(filepath.Join(dir, WitnessKeyFile), WitnessName(origin))
		if err != nil {
			t.Fatal(err)
		}
		nodes[i] = &node{signer: s, store: NewMemStore(), cosign: cs}
	}
	for i, n := range nodes {
		var logs []string
		for j, o := range nodes {
			if j != i {
				logs = append(logs, o.signer.VerifierKey())
			}
		}
		w, err := NewWitness(n.cosign, filepath.Join(t.TempDir(), "witness.json"), logs)
		if err != nil {
			t.Fatal(err)
		}
		n := n
		w.Refused = func(origin string, err error) { n.refused = append(n.refused, origin+": "+err.Error()) }
		n.witness = w
		srv := httptest.NewServer(w)
		t.Cleanup(srv.Close)
		n.url = srv.URL
	}
	peers := func(i int) (ps []WitnessPeer, vs []note.Verifier) {
		for j, o := range nodes {
			if j != i {
				v, err := NewCosignatureVerifier(o.cosign.VerifierKey())
				if err != nil {
					t.Fatal(err)
				}
				ps, vs = append(ps, WitnessPeer{URL: o.url, Verifier: v}), append(vs, v)
			}
		}
		return ps, vs
	}

	a := nodes[0]
	aPeers, aWitnesses := peers(0)
	cosigning := NewCosigning(a.store, aPeers, nil)
	for _, grow := range []int{10, 5, 1} {
		a.store.Append(ctx, testLeaves(a.store.size(), grow))
		signed, err := NewCheckpointer(a.store, a.signer).Checkpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := cosigning.Collect(ctx, signed)
		if err != nil {
			t.Fatalf("collect at %d: %v", a.store.size(), err)
		}
		if got := CountCosignatures(cs, aWitnesses); got != 2 {
			t.Fatalf("checkpoint of %d: %d cosignatures, want 2:\n%s", a.store.size(), got, cs)
		}
	}

	// The split view: the same key signs checkpoints of another history.
	forked := NewMemStore()
	forked.Append(ctx, testLeaves(0, 12))
	forked.Append(ctx, testLeaves(500, 4)) // as many leaves (16) as a's, the last 4 different
	signed, err := NewCheckpointer(forked, a.signer).Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := NewCosigning(forked, aPeers, nil).Collect(ctx, signed)
	if !errors.Is(err, ErrBehind) || !strings.Contains(err.Error(), "cosigned before with root") || CountCosignatures(cs, aWitnesses) != 0 {
		t.Errorf("forked checkpoint of the same size: got %v and %d cosignatures, want a 409 Conflict (ErrBehind) and none", err, CountCosignatures(cs, aWitnesses))
	}
	forked.Append(ctx, testLeaves(600, 8))
	signed, err = NewCheckpointer(forked, a.signer).Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cs, err = NewCosigning(forked, aPeers, nil).Collect(ctx, signed)
	if !errors.Is(err, ErrBehind) || !strings.Contains(err.Error(), "not consistent with the checkpoint of size 16") || CountCosignatures(cs, aWitnesses) != 0 {
		t.Errorf("forked larger checkpoint: got %v and %d cosignatures, want a 422 (ErrBehind) and none", err, CountCosignatures(cs, aWitnesses))
	}
	for _, w := range nodes[1:] {
		if len(w.refused) != 2 || !strings.HasPrefix(w.refused[0], "a.test/log: ") {
			t.Errorf("witness %s: refusals recorded %q, want the two forked checkpoints of a.test/log", w.cosign.Name(), w.refused)
		}
	}

	// Witnesses refuse a log they do not witness, and a checkpoint not signed by its key.
	other, _ := LoadOrCreateKey(t.TempDir(), "a.test/log")
	signed, _ = other.Sign(tlog.Tree{N: 16})
	if _, err := NewCosigning(a.store, aPeers[:1], nil).Collect(ctx, signed); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("checkpoint signed by another key: got %v, want 403", err)
	}
	stranger, _ := LoadOrCreateKey(t.TempDir(), "z.test/log")
	signed, _ = NewCheckpointer(NewMemStore(), stranger).Checkpoint(ctx)
	if _, err := NewCosigning(NewMemStore(), aPeers[:1], nil).Collect(ctx, signed); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("checkpoint of an unknown log: got %v, want 404", err)
	}

	// A restarted witness remembers what it cosigned.
	b := nodes[1]
	w2, err := NewWitness(b.cosign, b.witness.path, []string{a.signer.VerifierKey()})
	if err != nil {
		t.Fatal(err)
	}
	if got := w2.state["a.test/log"].Size; got != 16 {
		t.Errorf("restarted witness: last cosigned size %d, want 16", got)
	}
}

func (m *MemStore) size() int {
	n, _ := m.TreeSize(context.Background())
	return int(n)
}
