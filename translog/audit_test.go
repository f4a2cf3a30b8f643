package translog_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gongshi/gongshi/translog"
)

func TestAuditHTTP(t *testing.T) {
	ctx := context.Background()
	s := newTestServer(t)
	vkey := s.signer.VerifierKey()

	// An empty log audits.
	if _, err := s.cp.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := translog.Audit(ctx, s.URL, vkey, translog.AuditState{}, translog.AuditOptions{})
	if err != nil || rep.Tree.N != 0 {
		t.Fatalf("Audit(empty) = %+v, %v", rep, err)
	}
	state := rep.State

	var lastDone, lastTotal int64
	opt := translog.AuditOptions{Progress: func(done, total int64) { lastDone, lastTotal = done, total }, Workers: 4}
	for _, n := range []int{1, 511, 300} {
		s.publish(t, n)
		rep, err := translog.Audit(ctx, s.URL, vkey, state, opt)
		if err != nil {
			t.Fatalf("Audit: %v; problems %q", err, rep.Problems)
		}
		if rep.Previous != state.Size || rep.Documents != rep.Tree.N || rep.Leaves != rep.Tree.N {
			t.Errorf("Audit report %+v; want previous %d and every document matched", rep, state.Size)
		}
		if lastDone != rep.Tree.N || lastTotal != rep.Tree.N {
			t.Errorf("last progress %d/%d, want %d/%d", lastDone, lastTotal, rep.Tree.N, rep.Tree.N)
		}
		state = rep.State
	}

	// A withdrawn document is counted, not a problem; a changed or missing one is.
	leaves, _ := s.store.ReadLeaves(ctx, 0, 3)
	shas := make([]string, 3)
	for i, b := range leaves {
		l, _ := translog.ParseLeaf(b)
		shas[i] = l.SHA256
	}
	s.mu.Lock()
	s.withdrawn[shas[0]] = "publication period ended"
	s.mu.Unlock()
	rep, err = translog.Audit(ctx, s.URL, vkey, state, opt)
	if err != nil || rep.Withdrawn != 1 || rep.Documents != rep.Tree.N-1 {
		t.Fatalf("Audit with a withdrawn document = %+v, %v; want 1 withdrawn", rep, err)
	}
	s.mu.Lock()
	s.docs[shas[1]] = []byte(`{"tampered":true}`)
	delete(s.docs, shas[2])
	s.mu.Unlock()
	rep, err = translog.Audit(ctx, s.URL, vkey, state, opt)
	if !errors.Is(err, translog.ErrAuditFailed) || rep.ProblemCount != 2 || rep.State.Size != 0 {
		t.Fatalf("Audit with a changed and a missing document = %+v, %v; want 2 problems and ErrAuditFailed", rep, err)
	}
	if !strings.Contains(rep.Problems[0]+rep.Problems[1], "missing") {
		t.Errorf("problems %q do not mention the missing document", rep.Problems)
	}

	// A different key, or a log that does not extend the state, fails.
	other := newTestServer(t)
	if _, err := translog.Audit(ctx, s.URL, other.signer.VerifierKey(), translog.AuditState{}, opt); !errors.Is(err, translog.ErrBadSignature) {
		t.Errorf("Audit with another key: got %v, want ErrBadSignature", err)
	}
	if _, err := translog.Audit(ctx, s.URL, other.signer.VerifierKey(), state, opt); !errors.Is(err, translog.ErrBadKey) {
		t.Errorf("Audit with a key other than the state's: got %v, want ErrBadKey", err)
	}
	forked := state
	forked.Root = state.Root[:2] + "AA" + state.Root[4:]
	if forked.Root == state.Root {
		forked.Root = "AAAA" + state.Root[4:]
	}
	rep, err = translog.Audit(ctx, s.URL, vkey, forked, opt)
	if !errors.Is(err, translog.ErrAuditFailed) || !strings.Contains(strings.Join(rep.Problems, "\n"), "forked") {
		t.Errorf("Audit against a forked state = %q, %v; want a fork problem", rep.Problems, err)
	}
	bigger := state
	bigger.Size++
	if _, err := translog.Audit(ctx, s.URL, vkey, bigger, opt); !errors.Is(err, translog.ErrInconsistent) {
		t.Errorf("Audit of a log smaller than the state: got %v, want ErrInconsistent", err)
	}
}
