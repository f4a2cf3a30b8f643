package web

import (
	"bytes"
	"errors"
	"strconv"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// verifyData is what a reader needs to check a record version against the log (SPEC §9):
// the document's SHA-256, the leaf that names it, the leaf's index and hash, the inclusion
// proof from the leaf to the root of the latest signed checkpoint, and that checkpoint.
type verifyData struct {
	Record  *gongshi.Record
	Version *gongshi.Version
	Ent     *gongshi.Enterprise

	Leaf       string // the leaf's canonical JSON, as the log stores it
	LeafHash   string // tlog.RecordHash of the leaf, base64
	StoredLeaf bool   // the log's leaf at LogIndex is exactly Leaf
	DocOK      bool   // the served document hashes to the version's SHA-256
	DocGone    string // why the document is withdrawn, when it is

	Checkpoint string // the signed checkpoint text
	TreeSize   int64
	RootHash   string
	Signed     bool // the checkpoint verified with the server's key
	Pending    bool // the latest checkpoint does not cover the leaf yet
	Proof      []string
	Verified   bool // the proof checks against the checkpoint's root
	Problem    string
}

// verify shows a record version's log entry and its inclusion proof, computed with
// tlog.ProveRecord over the store's stored hashes and checked with tlog.CheckRecord.
func (h *Handler) verify(p *page) error {
	ctx := p.r.Context()
	r, ent, err := h.svc.Record(ctx, p.Account, p.r.PathValue("id"))
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(p.r.PathValue("n"))
	if err != nil || n < 1 || n > len(r.Versions) {
		return gongshi.Errorf(gongshi.ENOTFOUND, "record %s has no version %s", r.ID, p.r.PathValue("n"))
	}
	v := r.Versions[n-1]
	d := &verifyData{Record: r, Version: v, Ent: ent}
	leaf := v.Leaf().MarshalCanonical()
	d.Leaf = string(leaf)
	d.LeafHash = tlog.RecordHash(leaf).String()
	p.Title = p.T("verify.title") + " · " + ent.Name

	if doc, err := h.svc.Document(ctx, v.SHA256); err == nil {
		d.DocOK = translog.DocumentHash(doc) == v.SHA256
	} else if e := gongshi.AsError(err); e != nil && e.Code == gongshi.EGONE {
		d.DocGone = p.localError(e).Message // in the page's language
	} else {
		return err
	}
	if h.cfg.Log == nil {
		d.Problem = p.T("verify.nolog")
		return p.render("verify", d)
	}
	if err := h.prove(p, d, leaf); err != nil {
		h.cfg.Logger.Error("inclusion proof", "record", r.ID, "version", n, "err", err)
		d.Problem = err.Error()
	}
	return p.render("verify", d)
}

func (h *Handler) prove(p *page, d *verifyData, leaf []byte) error {
	ctx := p.r.Context()
	log := h.cfg.Log
	idx := d.Version.LogIndex
	stored, err := log.ReadLeaves(ctx, idx, idx+1)
	if err == nil && len(stored) == 1 {
		d.StoredLeaf = string(stored[0]) == string(leaf)
	}
	signed, err := log.LatestCheckpoint(ctx)
	if errors.Is(err, translog.ErrNotFound) {
		d.Pending = true
		return nil
	}
	if err != nil {
		return err
	}
	d.Checkpoint = string(signed)
	var tree tlog.Tree
	if h.cfg.VerifierKey != "" {
		keys, err := translog.ParseKeyList(h.cfg.VerifierKey)
		if err != nil {
			return err
		}
		if _, tree, err = translog.ParseCheckpoint(signed, translog.Verifiers(keys)...); err != nil {
			return err
		}
		d.Signed = true
	} else {
		body := signed
		if i := bytes.Index(signed, []byte("\n\n")); i >= 0 {
			body = signed[:i+1]
		}
		if _, tree, err = translog.ParseCheckpointText(body); err != nil {
			return err
		}
	}
	d.TreeSize, d.RootHash = tree.N, tree.Hash.String()
	if idx >= tree.N {
		d.Pending = true
		return nil
	}
	proof, err := tlog.ProveRecord(tree.N, idx, translog.HashReader(ctx, log))
	if err != nil {
		return err
	}
	for _, h := range proof {
		d.Proof = append(d.Proof, h.String())
	}
	d.Verified = d.StoredLeaf && tlog.CheckRecord(proof, tree.N, tree.Hash, idx, tlog.RecordHash(leaf)) == nil
	return nil
}
