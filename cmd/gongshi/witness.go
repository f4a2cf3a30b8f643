package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	gshttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/translog"
)

// WitnessStateFile, in the data folder, holds the latest checkpoint this node cosigned of
// each log it witnesses.
const WitnessStateFile = "witness-state.json"

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ", ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// witnessFlags are serve's flags for witnessing.
type witnessFlags struct {
	witnessFor listFlag // key lists of the logs this node witnesses
	witnesses  listFlag // "<witness vkey>@<submission prefix URL>"
}

func (w *witnessFlags) add(fs *flag.FlagSet) {
	fs.Var(&w.witnessFor, "witness-for", "witness (cosign) the log with this verifier key; repeat for each log")
	fs.Var(&w.witnesses, "witness", "ask this witness to cosign the checkpoints, as VKEY@URL (URL: its submission prefix, e.g. http://host:8080/log/witness); repeat for each")
}

// peers parses --witness.
func (w *witnessFlags) peers() ([]translog.WitnessPeer, error) {
	var ps []translog.WitnessPeer
	for _, s := range w.witnesses {
		vkey, url, ok := strings.Cut(s, "@")
		if !ok || url == "" {
			return nil, fmt.Errorf("--witness %q: want VKEY@URL", s)
		}
		v, err := translog.NewCosignatureVerifier(vkey)
		if err != nil {
			return nil, fmt.Errorf("--witness: %w", err)
		}
		ps = append(ps, translog.WitnessPeer{URL: url, Verifier: v})
	}
	return ps, nil
}

// cosigner returns the node's witness key (made on first use) from the data folder.
func cosigner(dir, origin string) (*translog.Cosigner, error) {
	return translog.LoadOrCreateCosigner(filepath.Join(dir, translog.WitnessKeyFile), translog.WitnessName(origin))
}

// startWitnessing sets up both sides of witnessing for a server: the add-checkpoint
// endpoint for the logs of --witness-for, and, with --witness, a loop asking those
// witnesses to cosign each new checkpoint, whose cosigned form /log/checkpoint serves.
func startWitnessing(ctx context.Context, a *app, dir string, wf *witnessFlags, srv *gshttp.Server, logh *translog.Handler) error {
	cs, err := cosigner(dir, a.signer.Origin())
	if err != nil {
		return err
	}
	a.logger.Info("witness key", "vkey", cs.VerifierKey(), "witnessing", len(wf.witnessFor), "witnesses", len(wf.witnesses))
	if len(wf.witnessFor) > 0 {
		w, err := translog.NewWitness(cs, filepath.Join(dir, WitnessStateFile), wf.witnessFor)
		if err != nil {
			return err
		}
		w.Refused = func(origin string, err error) {
			a.logger.Error("WITNESS REFUSED a checkpoint inconsistent with the one it cosigned: a split view or a fork", "log", origin, "err", err)
		}
		srv.Witness = w
	}
	peers, err := wf.peers()
	if err != nil || len(peers) == 0 {
		return err
	}
	c := translog.NewCosigning(a.store, peers, nil)
	logh.Cosigned = c.Latest
	collect := func(signed []byte) {
		_, err := c.Collect(ctx, signed)
		switch {
		case errors.Is(err, translog.ErrBehind):
			a.fence(err) // the witnesses saw more of this log than its database holds
		case err != nil && !errors.Is(err, context.Canceled):
			a.logger.Warn("witnesses did not all cosign", "err", err)
		}
	}
	// Before serving: the witnesses remember what this log published, even if the data
	// folder forgot it.
	last, err := a.store.LatestCheckpoint(ctx)
	if err == nil {
		collect(last)
	}
	go func() {
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			signed, err := a.store.LatestCheckpoint(ctx)
			if err != nil || bytes.Equal(signed, last) {
				continue
			}
			collect(signed)
			last = signed
		}
	}()
	return nil
}
