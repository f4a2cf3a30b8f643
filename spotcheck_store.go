package gongshi

import (
	"context"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/draw"
)

// SpotCheckTx is what spot checks (Art. 14, 15) and cases (Art. 12, 13) need of a write
// transaction. It is part of Tx.
type SpotCheckTx interface {
	// LogHead returns the committed log's size and root hash (standard base64, as in a
	// checkpoint) before this batch.
	LogHead() (size int64, root string)
	// NewPlainRecord creates a record that is about no single enterprise (a draw): its
	// versions are log leaves and documents but appear on no enterprise page.
	NewPlainRecord(kind string) (string, error)
	// PopulationCodes returns the USCCs of the enterprises whose division starts with prefix
	// and that match the stratum (nil: all), in ascending order.
	PopulationCodes(prefix string, s *Stratum) ([]string, error)
	// RosterOf returns the inspectors whose jurisdiction lies in prefix, with their conflicts.
	RosterOf(prefix string) ([]draw.Inspector, error)
	PutInspector(in *InspectorEntry) error
	PutConflict(account string, c Conflict) error
	// NextNumber returns 1 + the largest sequence number of the numbers of series that
	// start with prefix (D2026-310115-0001: prefix D2026-310115-, sequence 1).
	NextNumber(series Series, prefix string) (int, error)
	CreateDraw(d *Draw, population, roster []byte, seed []byte) error
	// DrawSecret returns a draw with its secret seed.
	DrawSecret(number string) (*Draw, []byte, error)
	SaveDrawResult(d *Draw, result []byte, as []draw.Assignment) error
	Assignment(number, code string) (*draw.Assignment, error)
	PutSpotCheckResult(r *SpotCheckResult) error
	AddListingGround(g *ListingGround) error
	CreateCase(c *Case) error
	CaseForUpdate(number string) (*Case, error)
	UpdateCase(c *Case) error
}

// SpotCheckStore is what spot checks and cases read. It is part of Store.
type SpotCheckStore interface {
	CoreStore
	CheckItemStore // the lists of check items (checkitems.go)
	// DrawVersions returns the stored versions of a draw's record (DrawOf), oldest first.
	DrawVersions(ctx context.Context, number string) ([]StoredVersion, error)
	// DrawText returns a draw's "population", "roster" or "result" text (package draw).
	DrawText(ctx context.Context, number, which string) ([]byte, error)
	// Draws returns the stored versions of the latest draws of divisions starting with
	// prefix, newest first.
	Draws(ctx context.Context, prefix string, limit int) ([][]StoredVersion, error)
	SpotCheckResults(ctx context.Context, number string) ([]*SpotCheckResult, error)
	// SearchSpotCheckResults returns the results q selects, latest check first.
	SearchSpotCheckResults(ctx context.Context, q ResultQuery) ([]*SpotCheckResult, error)
	Roster(ctx context.Context, prefix string) ([]*InspectorEntry, error)
	// ListingGrounds returns the listing grounds found for an enterprise (SPEC §8 grounds
	// 3 and 4), oldest first.
	ListingGrounds(ctx context.Context, uscc string) ([]*ListingGround, error)
}

// CaseStore is what cases read.
type CaseStore interface {
	CoreStore
	Case(ctx context.Context, number string) (*Case, error)
	// CaseQueue returns the cases q selects, by due date.
	CaseQueue(ctx context.Context, q CaseQueueQuery) ([]*Case, error)
}

// Series is a numbering series: the draws' numbers, the cases' numbers.
type Series string

const (
	DrawNumbers Series = "draws"
	CaseNumbers Series = "cases"
)

// CaseQueueQuery selects a queue of cases.
type CaseQueueQuery struct {
	// Prefix selects the cases of divisions starting with it.
	Prefix string
	// Handler selects the cases routed to a department account; "" the cases of no
	// department (the regulator's); "*" every case.
	Handler string
	Open    bool // received or in review only
	Limit   int
}

// ResultQuery selects published spot-check results across draws (Art. 14: results are
// published): by the authority that drew (a division-code prefix of the draw's
// jurisdiction), outcome and the date checked.
type ResultQuery struct {
	Prefix   string
	Outcome  string        // "" for any
	From, To calendar.Date // checked on or after From, on or before To; zero: open
	Limit    int
}
