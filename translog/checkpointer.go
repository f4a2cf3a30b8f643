package translog

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// MaxCheckpointInterval is the longest interval Run accepts: SPEC §9 and issue 3 ask for a
// fresh checkpoint at least every second while leaves arrive.
const MaxCheckpointInterval = time.Second

// Checkpointer signs and saves checkpoints of a Store's tree as it grows. Checkpoint is
// safe for concurrent use; run one Checkpointer per log (the process holding the sequencer).
type Checkpointer struct {
	store  Store
	signer *Signer
	// published, if set, is the latest checkpoint published outside the store: no
	// checkpoint inconsistent with it is signed, and each new one is saved to it first.
	published *Published

	mu   sync.Mutex
	last int64 // size of the latest saved checkpoint; -1 before the first
}

// NewCheckpointer returns a Checkpointer of store's tree signing with signer.
func NewCheckpointer(store Store, signer *Signer) *Checkpointer {
	return &Checkpointer{store: store, signer: signer, last: -1}
}

// Guard makes c check every tree against p before signing it, and save each checkpoint to
// p (durably) before the store, whence it is served. It returns c.
func (c *Checkpointer) Guard(p *Published) *Checkpointer {
	c.published = p
	return c
}

// Checkpoint signs and saves a checkpoint if the tree grew since the latest saved one, or
// if none is saved (an empty log gets a checkpoint of size 0), and returns the latest
// checkpoint either way. The root is tlog.TreeHash over the store's stored hashes.
// A tree smaller than the latest checkpoint (a store that lost committed leaves) is an
// error wrapping ErrInconsistent; a saved checkpoint that does not verify with the
// signer's key wraps ErrBadSignature or ErrMalformedCheckpoint; store errors are wrapped.
func (c *Checkpointer) Checkpoint(ctx context.Context) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	latest, err := c.store.LatestCheckpoint(ctx)
	switch {
	case errors.Is(err, ErrNotFound):
		latest, c.last = nil, -1
	case err != nil:
		return nil, fmt.Errorf("translog: checkpoint: %w", err)
	default:
		_, tree, err := ParseCheckpoint(latest, c.signer.Verifiers()...)
		if err != nil {
			return nil, fmt.Errorf("translog: latest saved checkpoint: %w", err)
		}
		c.last = tree.N
	}
	size, err := c.store.TreeSize(ctx)
	if err != nil {
		return nil, fmt.Errorf("translog: checkpoint: %w", err)
	}
	if size < c.last {
		return nil, fmt.Errorf("translog: checkpoint: %w: tree has %d leaves, latest checkpoint %d", ErrInconsistent, size, c.last)
	}
	if c.published != nil {
		if err := c.published.Check(ctx, c.store, size); err != nil {
			return nil, fmt.Errorf("translog: checkpoint: %w", err)
		}
	}
	if size == c.last {
		// A log published before its checkpoints were kept outside the store starts so.
		if c.published != nil {
			if err := c.published.Save(latest); err != nil {
				return nil, err
			}
		}
		return latest, nil
	}
	root, err := tlog.TreeHash(size, HashReader(ctx, c.store))
	if err != nil {
		return nil, fmt.Errorf("translog: checkpoint: tree hash at %d: %w", size, err)
	}
	signed, err := c.signer.Sign(tlog.Tree{N: size, Hash: root})
	if err != nil {
		return nil, err
	}
	if c.published != nil {
		if err := c.published.Save(signed); err != nil {
			return nil, err
		}
	}
	if err := c.store.SaveCheckpoint(ctx, size, signed); err != nil {
		return nil, fmt.Errorf("translog: save checkpoint %d: %w", size, err)
	}
	c.last = size
	return signed, nil
}

// grew reports whether the tree is larger than the latest checkpoint this Checkpointer
// knows of, so that idle ticks cost one TreeSize read.
func (c *Checkpointer) grew(ctx context.Context) (bool, error) {
	size, err := c.store.TreeSize(ctx)
	if err != nil {
		return false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last < 0 || size != c.last, nil
}

// Run makes a checkpoint at once and then every interval (at most MaxCheckpointInterval;
// longer or non-positive intervals are clamped to it) whenever the tree grew, until ctx is
// done, when it makes a last checkpoint with a fresh context and returns nil. Errors of a
// tick are passed to onError (if non-nil) and retried on the next tick.
func (c *Checkpointer) Run(ctx context.Context, interval time.Duration, onError func(error)) error {
	if interval <= 0 || interval > MaxCheckpointInterval {
		interval = MaxCheckpointInterval
	}
	report := func(err error) {
		if err != nil && onError != nil {
			onError(err)
		}
	}
	_, err := c.Checkpoint(ctx)
	report(err)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			_, err := c.Checkpoint(final)
			cancel()
			report(err)
			return nil
		case <-t.C:
			grew, err := c.grew(ctx)
			if err == nil && grew {
				_, err = c.Checkpoint(ctx)
			}
			if ctx.Err() == nil {
				report(err)
			}
		}
	}
}

// RunCheckpointer is NewCheckpointer(store, signer).Run(ctx, interval, onError).
func RunCheckpointer(ctx context.Context, store Store, signer *Signer, interval time.Duration, onError func(error)) error {
	return NewCheckpointer(store, signer).Run(ctx, interval, onError)
}
