package http

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/draw"
	"github.com/gongshi/gongshi/translog"
)

// DrawCheck is what VerifyDraw found.
type DrawCheck struct {
	Number   string
	Selected int
	// InLog is true when both steps' leaves were proven in the log's signed checkpoint
	// and the population's pinned checkpoint proven a prefix of it.
	InLog    bool
	Notes    []string // what could not be checked yet (no checkpoint covers the draw)
	Problems []string // mismatches: the draw is not what was published
}

// OK reports whether nothing failed.
func (c *DrawCheck) OK() bool { return len(c.Problems) == 0 }

func (c *DrawCheck) fail(format string, args ...any) {
	c.Problems = append(c.Problems, fmt.Sprintf(format, args...))
}

// VerifyDraw re-derives a drawn draw from what the server published, trusting nothing it
// says about the result: the plan and draw documents (whose bytes must hash to the
// versions' sha256), the population and roster texts (which must hash to the digests the
// plan committed to), the seed (which must hash to the commitment), and package draw's
// algorithm, whose output must equal the served result text and the draw's result digest.
// If vkey is not empty, it also proves both leaves in the signed checkpoint and the
// plan's pinned log state a prefix of it. An error means the check could not be made.
func (c *Client) VerifyDraw(ctx context.Context, number, vkey string) (*DrawCheck, error) {
	d, err := c.Draw(ctx, number)
	if err != nil {
		return nil, err
	}
	chk := &DrawCheck{Number: d.Number}
	if d.State != gongshi.DrawDrawn || len(d.Versions) != 2 {
		return nil, fmt.Errorf("draw %s is %s: there is nothing to verify until it is drawn", d.Number, d.State)
	}
	var plan, run map[string]any
	for i, m := range []*map[string]any{&plan, &run} {
		b, err := c.Document(ctx, d.Versions[i].SHA256)
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.UseNumber()
		if err := dec.Decode(m); err != nil {
			return nil, fmt.Errorf("document %s: %w", d.Versions[i].SHA256, err)
		}
		if (*m)["type"] != gongshi.SpotCheckDocumentType || (*m)["number"] != d.Number {
			chk.fail("document %s is not this draw's", d.Versions[i].SHA256)
		}
	}
	str := func(m map[string]any, path ...string) string {
		var x any = m
		for _, p := range path {
			o, _ := x.(map[string]any)
			x = o[p]
		}
		switch v := x.(type) {
		case string:
			return v
		case json.Number:
			return v.String()
		}
		return ""
	}
	for _, k := range [][]string{{"population", "sha256"}, {"population", "count"}, {"roster", "sha256"}, {"seed_sha256"}, {"sample_size"}, {"inspectors_per_enterprise"}, {"population", "checkpoint", "root"}} {
		if a, b := str(plan, k...), str(run, k...); a != b {
			chk.fail("the draw document's %s (%s) differs from the plan's (%s)", strings.Join(k, "."), b, a)
		}
	}
	if str(run, "previous") != d.Versions[0].SHA256 {
		chk.fail("the draw document does not name the plan document as previous")
	}
	pop, err := c.DrawText(ctx, number, "population")
	if err != nil {
		return nil, err
	}
	if got := draw.Digest(pop); got != str(plan, "population", "sha256") {
		chk.fail("the population text hashes to %s, the plan committed to %s", got, str(plan, "population", "sha256"))
	}
	codes, err := draw.ParsePopulation(pop)
	if err != nil {
		chk.fail("population: %v", err)
	}
	if fmt.Sprint(len(codes)) != str(plan, "population", "count") {
		chk.fail("the population has %d codes, the plan says %s", len(codes), str(plan, "population", "count"))
	}
	rosterText, err := c.DrawText(ctx, number, "roster")
	if err != nil {
		return nil, err
	}
	if got := draw.Digest(rosterText); got != str(plan, "roster", "sha256") {
		chk.fail("the roster text hashes to %s, the plan committed to %s", got, str(plan, "roster", "sha256"))
	}
	roster, err := draw.ParseRoster(rosterText)
	if err != nil {
		chk.fail("roster: %v", err)
	}
	seed, err := draw.ParseSeed(str(run, "seed"))
	if err != nil {
		chk.fail("the revealed seed: %v", err)
	} else if seed.Commitment() != str(plan, "seed_sha256") {
		chk.fail("the revealed seed hashes to %s, the plan committed to %s", seed.Commitment(), str(plan, "seed_sha256"))
	}
	var k, per, minimum int
	fmt.Sscan(str(plan, "sample_size"), &k)
	fmt.Sscan(str(plan, "inspectors_per_enterprise"), &per)
	fmt.Sscan(str(plan, "minimum"), &minimum)
	if k < minimum || per < 2 {
		chk.fail("the plan draws %d (minimum %d) with %d inspectors each (at least 2)", k, minimum, per)
	}
	served, err := c.DrawText(ctx, number, "result")
	if err != nil {
		return nil, err
	}
	if chk.OK() {
		as, err := draw.Run(seed, codes, k, roster, per)
		if err != nil {
			chk.fail("re-deriving: %v", err)
		} else {
			mine := draw.Result(as)
			chk.Selected = len(as)
			if string(mine) != string(served) {
				chk.fail("the served result differs from the re-derived one (first line: %q vs %q)", firstLine(served), firstLine(mine))
			}
			if draw.Digest(mine) != str(run, "result_sha256") {
				chk.fail("the re-derived result hashes to %s, the draw published %s", draw.Digest(mine), str(run, "result_sha256"))
			}
		}
	}
	if vkey != "" {
		c.proveDraw(ctx, d, []map[string]any{plan, run}, vkey, chk)
	}
	return chk, nil
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	return s
}

// proveDraw proves the draw's two leaves in the latest signed checkpoint, and the log
// state the population was pinned to a prefix of it.
func (c *Client) proveDraw(ctx context.Context, d *gongshi.Draw, docs []map[string]any, vkey string, chk *DrawCheck) {
	tc := translog.NewClient(c.BaseURL, c.HTTP)
	keys, err := translog.ParseKeyList(vkey)
	if err != nil {
		chk.fail("log key: %v", err)
		return
	}
	signed, err := tc.Checkpoint(ctx)
	if err != nil {
		chk.Notes = append(chk.Notes, "no checkpoint to prove the draw's leaves in yet: "+err.Error())
		return
	}
	_, tree, err := translog.ParseCheckpoint(signed, translog.Verifiers(keys)...)
	if err != nil {
		chk.fail("checkpoint: %v", err)
		return
	}
	if tree.N <= d.Versions[1].LogIndex {
		chk.Notes = append(chk.Notes, fmt.Sprintf("the latest checkpoint (size %d) does not cover the draw yet; retry in a second", tree.N))
		return
	}
	hr := tlog.TileHashReader(tree, tc.TileReader(ctx))
	for i, ver := range d.Versions {
		at, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(docs[i]["published_at"]))
		leaf := translog.Leaf{Kind: gongshi.KindDraw, Subject: d.Jurisdiction, Record: d.Record, Version: i + 1, PublishedAt: at, SHA256: ver.SHA256}
		p, err := tlog.ProveRecord(tree.N, ver.LogIndex, hr)
		if err == nil {
			err = tlog.CheckRecord(p, tree.N, tree.Hash, ver.LogIndex, tlog.RecordHash(leaf.MarshalCanonical()))
		}
		if err != nil {
			chk.fail("the %s leaf %d is not proven in the log: %v", ver.State, ver.LogIndex, err)
			return
		}
	}
	if d.Checkpoint.Size > d.Versions[0].LogIndex {
		chk.fail("the population was pinned to log size %d, after the plan's own leaf %d", d.Checkpoint.Size, d.Versions[0].LogIndex)
		return
	}
	if d.Checkpoint.Size > 0 {
		root, err := base64.StdEncoding.DecodeString(d.Checkpoint.Root)
		var h tlog.Hash
		if err != nil || len(root) != len(h) {
			chk.fail("the pinned root %q is not a base64 hash", d.Checkpoint.Root)
			return
		}
		copy(h[:], root)
		p, err := tlog.ProveTree(tree.N, d.Checkpoint.Size, hr)
		if err == nil {
			err = tlog.CheckTree(p, tree.N, tree.Hash, d.Checkpoint.Size, h)
		}
		if err != nil {
			chk.fail("the pinned log state (size %d) is not a prefix of the log: %v", d.Checkpoint.Size, err)
			return
		}
	}
	chk.InLog = true
}
