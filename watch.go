package gongshi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/gongshi/gongshi/ident"
)

// Watches (issue 13): an account names a set of enterprises and a webhook URL; every change
// of the feed about one of them is POSTed to the URL, signed with the watch's secret
// (package webhook delivers; gongshi serve runs it), and each attempt is kept in the watch's
// delivery log. The same set can be read as a filtered feed. A watch is the account's own:
// no one else sees or deletes it.

// MaxWatchEnterprises is the most enterprises one watch may name.
const MaxWatchEnterprises = 100_000

// Watch is one account's watch.
type Watch struct {
	ID          string    `json:"id"`
	Account     string    `json:"-"`
	URL         string    `json:"url"`
	Secret      string    `json:"secret,omitempty"` // answered once, at creation; sealed in the store (watchsecret.go)
	Enterprises int       `json:"enterprises"`      // how many it names
	Delivered   int64     `json:"delivered"`        // the log index delivered up to; -1: none yet
	CreatedAt   time.Time `json:"created_at"`
}

// WatchDelivery is one attempt at delivering a change to a watch's URL.
type WatchDelivery struct {
	LogIndex int64     `json:"log_index"`
	Attempt  int       `json:"attempt"`
	At       time.Time `json:"at"`
	Status   int       `json:"status,omitempty"` // the receiver's HTTP status; 0 when none came
	Error    string    `json:"error,omitempty"`
	OK       bool      `json:"ok"`
}

// WatchStore is what watches read.
type WatchStore interface {
	Writer
	// Watches returns an account's watches ("" for every account's), oldest first,
	// without secrets.
	Watches(ctx context.Context, account string) ([]*Watch, error)
	// Watch returns one watch with its secret as stored, sealed (ENOTFOUND if there is none).
	Watch(ctx context.Context, id string) (*Watch, error)
	// WatchSubjects returns the USCCs a watch names.
	WatchSubjects(ctx context.Context, id string) (map[string]bool, error)
	// Deliveries returns a watch's delivery log: every attempt at the first limit changes
	// with a log index after after, in log order, attempts in order.
	Deliveries(ctx context.Context, id string, after int64, limit int) ([]WatchDelivery, error)
}

// WatchTx is what watches write.
type WatchTx interface {
	// AddWatch stores a watch (with Delivered -1) and the USCCs it names.
	AddWatch(w *Watch, usccs []string) error
	// DeleteWatch deletes a watch, its USCCs and its delivery log.
	DeleteWatch(id string) error
	// RecordDelivery appends an attempt to the watch's log (numbered after the attempts
	// already logged at its index, whatever d.Attempt says: a restarted runner starts again
	// at 1) and, if it succeeded, moves the watch's Delivered to its log index. A deleted
	// watch's attempt is dropped.
	RecordDelivery(id string, d WatchDelivery) error
	// ReplaceWatchSecret stores sealed as the watch's secret if it is still old.
	ReplaceWatchSecret(id, old, sealed string) error
}

// Watching serves watches.
type Watching struct {
	*core
	Store WatchStore
	// Webhooks is which addresses the watches' URLs may reach (webhookaddr.go).
	Webhooks WebhookPolicy
	aead     *watchAEAD
}

// NewWatch is what an account asks for.
type NewWatch struct {
	URL         string   `json:"url"`
	Enterprises []string `json:"enterprises"`
}

// CreateWatch stores a's watch and answers it with its secret, the only time it is shown.
func (s *Watching) CreateWatch(ctx context.Context, a *Account, in NewWatch) (*Watch, error) {
	if a == nil {
		return nil, Errorf(EUNAUTHORIZED, "a watch belongs to an account: send its bearer token")
	}
	if len(in.Enterprises) == 0 || len(in.Enterprises) > MaxWatchEnterprises {
		return nil, Invalid("enterprises", fmt.Sprintf("%d enterprises", len(in.Enterprises)), fmt.Sprintf("name 1 to %d enterprises by USCC; split a larger set over several watches", MaxWatchEnterprises))
	}
	u, err := s.Webhooks.CheckURL(ctx, "url", in.URL)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(in.Enterprises))
	codes := make([]string, 0, len(in.Enterprises))
	for i, c := range in.Enterprises {
		if _, err := ident.ParseUSCC(c); err != nil {
			return nil, Invalid(fmt.Sprintf("enterprises[%d]", i), fmt.Sprintf("%q: %v", c, err), "give each enterprise's 18-character USCC")
		}
		if !seen[c] {
			seen[c] = true
			codes = append(codes, c)
		}
	}
	b := make([]byte, 16)
	rand.Read(b)
	secret := make([]byte, 32)
	rand.Read(secret)
	w := &Watch{ID: "w" + hex.EncodeToString(b), Account: a.ID, URL: u.String(),
		Enterprises: len(codes), Delivered: -1, CreatedAt: s.Clock.Now().UTC()}
	w.Secret = s.SealSecret(w.ID, hex.EncodeToString(secret))
	if err := s.Store.Write(ctx, func(tx Tx) error { return tx.AddWatch(w, codes) }); err != nil {
		return nil, err
	}
	w.Secret = hex.EncodeToString(secret)
	return w, nil
}

// ListWatches answers a's watches, without their secrets.
func (s *Watching) ListWatches(ctx context.Context, a *Account) ([]*Watch, error) {
	if a == nil {
		return nil, Errorf(EUNAUTHORIZED, "watches belong to an account: send its bearer token")
	}
	return s.Store.Watches(ctx, a.ID)
}

// OwnWatch answers a's watch id (ENOTFOUND for another account's: its existence is not told).
func (s *Watching) OwnWatch(ctx context.Context, a *Account, id string) (*Watch, error) {
	if a == nil {
		return nil, Errorf(EUNAUTHORIZED, "watches belong to an account: send its bearer token")
	}
	w, err := s.Store.Watch(ctx, id)
	if err != nil {
		return nil, err
	}
	if w.Account != a.ID {
		return nil, Errorf(ENOTFOUND, "no watch %s of yours", id)
	}
	w.Secret = "" // shown once, at creation
	return w, nil
}

// DeleteWatch deletes a's watch: its deliveries stop.
func (s *Watching) DeleteWatch(ctx context.Context, a *Account, id string) error {
	if _, err := s.OwnWatch(ctx, a, id); err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx Tx) error { return tx.DeleteWatch(id) })
}

// WatchDeliveries answers a page of a's watch's delivery log.
func (s *Watching) WatchDeliveries(ctx context.Context, a *Account, id string, after int64, limit int) ([]WatchDelivery, error) {
	if _, err := s.OwnWatch(ctx, a, id); err != nil {
		return nil, err
	}
	return s.Store.Deliveries(ctx, id, after, limit)
}

// RecordDelivery logs an attempt of the runner (gongshi serve).
func (s *Watching) RecordDelivery(ctx context.Context, id string, d WatchDelivery) error {
	return s.Store.Write(ctx, func(tx Tx) error { return tx.RecordDelivery(id, d) })
}
