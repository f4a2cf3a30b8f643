// Package webhook delivers the change feed's events to a receiver's URL (issue 13, watches):
// each event is POSTed on its own, in log order, signed with HMAC-SHA256; a delivery that
// fails is retried with exponential backoff and never skipped, so that a receiver that
// acknowledges with a 2xx status gets every event once, in order, whatever its outages.
// Every attempt is recorded in a delivery log the watch's owner can read.
//
// # The request
//
// The body is the event's line of the change feed (gongshi.FeedEvent.AppendJSON: the
// document's exact bytes included), Content-Type application/json, with the headers
//
//	Gongshi-Log-Index: 1234
//	Gongshi-Signature: t=1764684000,sha256=<64 hex digits>
//
// where the digest is HMAC-SHA256(secret, "<t>.<body>") and t the sending time in Unix
// seconds: a receiver recomputes it, compares in constant time (Verify) and refuses old
// timestamps to stop replays. A receiver should also keep the last log index it
// acknowledged: a delivery whose acknowledgement was lost is sent again, and the index tells
// it apart.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gongshi/gongshi"
)

// Sign returns the Gongshi-Signature header of body sent at t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",sha256=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret []byte, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks a Gongshi-Signature header against body, and that it was made within
// maxAge of now.
func Verify(secret []byte, header string, body []byte, now time.Time, maxAge time.Duration) error {
	ts, sig, ok := strings.Cut(header, ",sha256=")
	ts, ok2 := strings.CutPrefix(ts, "t=")
	if !ok || !ok2 {
		return errors.New("webhook: malformed Gongshi-Signature")
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("webhook: malformed Gongshi-Signature time")
	}
	if d := now.Sub(time.Unix(n, 0)); d > maxAge || d < -maxAge {
		return fmt.Errorf("webhook: signature made %s from now, more than %s", d.Round(time.Second), maxAge)
	}
	want, err := hex.DecodeString(sig)
	if err != nil || !hmac.Equal(want, mac(secret, ts, body)) {
		return errors.New("webhook: signature does not match")
	}
	return nil
}

// Delivery is one attempt, as the delivery log records it.
type Delivery struct {
	LogIndex int64     `json:"log_index"`
	Attempt  int       `json:"attempt"` // 1 for the first
	At       time.Time `json:"at"`
	Status   int       `json:"status,omitempty"` // the receiver's HTTP status; 0 when none came
	Error    string    `json:"error,omitempty"`
	OK       bool      `json:"ok"`
}

// Source reads the events a watch follows after an index (a filtered read of the feed).
type Source func(ctx context.Context, after int64) ([]*gongshi.FeedEvent, error)

// State keeps a watch's progress: the last index delivered, and the delivery log.
type State interface {
	// Delivered returns the index of the last event acknowledged (-1: none yet).
	Delivered(ctx context.Context) (int64, error)
	// Record logs an attempt and, when it succeeded, moves Delivered to its index, in one
	// step: a crash never loses an acknowledgement nor records one not made.
	Record(ctx context.Context, d Delivery) error
}

// Deliverer delivers one watch's events.
type Deliverer struct {
	URL    string
	Secret []byte
	Source Source
	State  State
	Client *http.Client // nil: NewClient of the default policy (public addresses only)
	Now    func() time.Time
	// MinBackoff and MaxBackoff bound the wait between attempts at one event: it doubles
	// from MinBackoff (default 1 s) up to MaxBackoff (default 10 min).
	MinBackoff, MaxBackoff time.Duration
	// Wait returns a channel that is ready when there may be new events (the feed's commit
	// signal); nil polls every MaxBackoff.
	Wait func() <-chan struct{}
}

// Run delivers until ctx ends, returning its error.
func (d *Deliverer) Run(ctx context.Context) error {
	client, now := d.Client, d.Now
	if client == nil {
		client = NewClient(gongshi.WebhookPolicy{})
	}
	if now == nil {
		now = time.Now
	}
	lo, hi := d.MinBackoff, d.MaxBackoff
	if lo <= 0 {
		lo = time.Second
	}
	if hi < lo {
		hi = max(lo, 10*time.Minute)
	}
	for {
		var wake <-chan struct{}
		if d.Wait != nil {
			wake = d.Wait()
		}
		after, err := d.State.Delivered(ctx)
		if err != nil {
			return err
		}
		evs, err := d.Source(ctx, after)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			for attempt, wait := 1, lo; ; attempt, wait = attempt+1, min(2*wait, hi) {
				rec := d.post(ctx, client, now(), ev)
				rec.Attempt = attempt
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if err := d.State.Record(ctx, rec); err != nil {
					return err
				}
				if rec.OK {
					break
				}
				if err := sleep(ctx, wait); err != nil {
					return err
				}
			}
		}
		if len(evs) > 0 {
			continue
		}
		if wake == nil {
			if err := sleep(ctx, hi); err != nil {
				return err
			}
			continue
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// post makes one attempt at delivering ev.
func (d *Deliverer) post(ctx context.Context, client *http.Client, at time.Time, ev *gongshi.FeedEvent) Delivery {
	rec := Delivery{LogIndex: ev.LogIndex, At: at.UTC()}
	body := ev.AppendJSON(nil)
	req, err := http.NewRequestWithContext(ctx, "POST", d.URL, bytes.NewReader(body))
	if err != nil {
		rec.Error = err.Error()
		return rec
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "gongshi-webhook")
	req.Header.Set("Gongshi-Log-Index", strconv.FormatInt(ev.LogIndex, 10))
	req.Header.Set("Gongshi-Signature", Sign(d.Secret, at, body))
	resp, err := client.Do(req)
	if err != nil {
		rec.Error = err.Error()
		return rec
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	rec.Status = resp.StatusCode
	rec.OK = resp.StatusCode >= 200 && resp.StatusCode < 300
	if !rec.OK {
		rec.Error = "the receiver answered " + resp.Status
	}
	return rec
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
