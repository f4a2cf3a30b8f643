package gongshi

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/translog"
)

// As-of reads (SPEC §12; DESIGN.md "Reads"): what the register showed at a point of its
// past is what a prefix of its log says. A read as of a day is made at the log size at the
// end of that day in China Standard Time — the entries published by then, the log being in
// publication order — and a read at a log size at that size directly; either way the
// answer names the size, and the signed checkpoint to check it against. What has since
// been withdrawn from public view stays withdrawn in an as-of read: its documents answer
// 410 today, and a past date does not bring them back.

// LogReader reads the log's entries and checkpoints for as-of reads.
type LogReader interface {
	FeedStore
	// TreeSize is the number of entries of the log committed so far.
	TreeSize(ctx context.Context) (int64, error)
	// CheckpointCovering returns the oldest signed checkpoint of a tree of size or more
	// entries (translog.ErrNotFound when none is signed yet).
	CheckpointCovering(ctx context.Context, size int64) ([]byte, error)
}

// AsOf asks for a read of the past: a day (YYYY-MM-DD) or a log size; the zero value
// asks for the present.
type AsOf struct {
	Date    string
	LogSize int64 // 0: not asked
}

// ReadAt names what an as-of read was made at.
type ReadAt struct {
	// AsOf is the day asked for, when one was.
	AsOf string `json:"as_of,omitempty"`
	// LogSize is the size of the log read: the versions with log_index < LogSize.
	LogSize int64 `json:"log_size"`
	// Checkpoint is the oldest signed checkpoint whose tree holds those entries (its size
	// may be larger: the prefix is proven against it with a consistency proof); empty when
	// none is signed yet.
	Checkpoint string `json:"checkpoint,omitempty"`
}

// Past reports whether a read of the past is asked.
func (a AsOf) Past() bool { return a.Date != "" || a.LogSize != 0 }

// readAt resolves an as-of request to the log size it reads at: nil for the present.
func (s *core) readAt(ctx context.Context, a AsOf) (*ReadAt, calendar.Date, error) {
	today := calendar.DateOf(s.Clock.Now())
	if !a.Past() {
		return nil, today, nil
	}
	if a.Date != "" && a.LogSize != 0 {
		return nil, today, Invalid("log_size", "is given with as_of", "give one of as_of and log_size")
	}
	size, err := s.Store.TreeSize(ctx)
	if err != nil {
		return nil, today, fmt.Errorf("log size: %w", err)
	}
	at := &ReadAt{AsOf: a.Date, LogSize: a.LogSize}
	day := today
	if a.Date != "" {
		if day, err = s.checkAsOf(a.Date); err != nil {
			return nil, today, err
		}
		if at.LogSize, err = s.sizeAt(ctx, day.AddDays(1).Start(), size); err != nil {
			return nil, today, err
		}
	} else if a.LogSize < 1 || a.LogSize > size {
		return nil, today, Invalid("log_size", fmt.Sprintf("%d is not a size of the log, which has %d entries", a.LogSize, size), "give a size from 1 to the latest checkpoint's")
	}
	cp, err := s.Store.CheckpointCovering(ctx, at.LogSize)
	if err != nil && !errors.Is(err, translog.ErrNotFound) {
		return nil, today, fmt.Errorf("checkpoint: %w", err)
	}
	at.Checkpoint = string(cp)
	return at, day, nil
}

// sizeAt is the number of the log's first entries published before t: a binary search of
// the entries' publication times, which the log holds in order.
func (s *core) sizeAt(ctx context.Context, t time.Time, size int64) (int64, error) {
	var ferr error
	n := sort.Search(int(size), func(i int) bool {
		if ferr != nil {
			return true
		}
		lvs, err := s.Store.LoggedAfter(ctx, int64(i)-1, int64(i)+1, 1)
		if err == nil && len(lvs) != 1 {
			err = Errorf(EINTERNAL, "log entry %d is missing from the store", i)
		}
		if err != nil {
			ferr = err
			return true
		}
		at, err := publishedAt(lvs[0])
		if err != nil {
			ferr = err
			return true
		}
		return !at.Before(t)
	})
	return int64(n), ferr
}

// publishedAt is when a logged version was published: its leaf says so too, which is all a
// store holds of some (StandIn).
func publishedAt(lv LoggedVersion) (time.Time, error) {
	if l, ok := StandIn(lv.Document); ok {
		return l.PublishedAt, nil
	}
	ev, err := FeedEventOf(lv)
	if err != nil {
		return time.Time{}, err
	}
	return ev.PublishedAt, nil
}

// openDossierAt is OpenDossier of the versions logged before at.LogSize (dossierAt).
func openDossierAt(svs []StoredVersion, reveal bool, at *ReadAt) (*Dossier, error) {
	vs, err := OpenVersions(svs, reveal)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, Errorf(EINTERNAL, "an enterprise file with no versions")
	}
	return dossierAt(vs, at)
}

// dossierAt is the dossier of the versions vs (an enterprise's, in log order) logged
// before size, keeping withdrawn what is withdrawn now. ENOTFOUND when the enterprise was
// not registered by then.
func dossierAt(vs []*Version, at *ReadAt) (*Dossier, error) {
	now, err := DossierOf(vs) // marks every version withdrawn today
	if err != nil {
		return nil, err
	}
	n := sort.Search(len(vs), func(i int) bool { return vs[i].LogIndex >= at.LogSize })
	registered := false
	for _, v := range vs[:n] {
		registered = registered || v.Kind == KindRegistration.Name
	}
	if !registered {
		when := fmt.Sprintf("at log size %d", at.LogSize)
		if at.AsOf != "" {
			when = "as of " + at.AsOf
		}
		return nil, &Error{Code: ENOTFOUND, Field: "code", Message: fmt.Sprintf("%s was not registered %s", vs[0].Subject, when), Fix: "ask about a later day, or leave as_of out"}
	}
	d, err := DossierOf(vs[:n])
	if err != nil {
		return nil, err
	}
	for _, r := range d.Records {
		if w := now.Withdrawn[r.ID]; w != nil && w.section != "" {
			r.Section = w.section
		}
	}
	return d, nil
}
