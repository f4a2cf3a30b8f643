package gongshi

import (
	"context"
	"time"

	"github.com/gongshi/gongshi/calendar"
)

// Clock tells the time. It is injected everywhere so that tests and demos can run any
// rule at any simulated date.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now() }

// FixedClock is a clock that starts at a set instant and runs on from it.
type FixedClock struct {
	Start time.Time
	began time.Time
}

// NewFixedClock returns a clock reading start now and advancing with real time.
func NewFixedClock(start time.Time) *FixedClock { return &FixedClock{Start: start, began: time.Now()} }

func (c *FixedClock) Now() time.Time { return c.Start.Add(time.Since(c.began)) }

// Store is the register's storage: every feature's store. Reads may run concurrently on any
// replica; every change goes through Write, the one write path (DESIGN.md): a sequencer runs
// the function in a batch transaction together with other writes, appends the versions it
// sealed to the log in that same transaction, and returns only once the batch is durable.
type Store interface {
	RegistryStore
	DisclosureStore  // annual reports, orders, consents (disclosure.go)
	EnforcementStore // lists, bans, credit checks, provisional dates (enforcement.go)
	SpotCheckStore   // spot checks (spotcheck_store.go)
	CaseStore        // cases (spotcheck_store.go)
	AccountStore
	FeedStore  // the change feed (feed.go)
	WatchStore // watches (watch.go)

	// OnCommit registers fn to be called after every committed batch with the enterprises
	// (USCCs) whose public view it changed, in commit order, once TreeSize counts the
	// batch's leaves.
	OnCommit(fn func(subjects []string))

	Close() error
}

// Writer is the one write path.
type Writer interface {
	// Write runs fn in a write transaction. If fn returns an error nothing it did is kept
	// and the error is returned; otherwise Write returns nil once the change is durable.
	Write(ctx context.Context, fn func(Tx) error) error
}

// CoreStore is what every feature reads besides its own: the files every answer about an
// enterprise is made from, and the consents a viewer holds over one (Art. 9).
type CoreStore interface {
	Writer
	LogReader // as-of reads (asof.go)
	// EnterpriseByCode returns an enterprise's index row by USCC or registration number:
	// for the checks a write makes before it seals (answers are made from File).
	EnterpriseByCode(ctx context.Context, code string) (*Enterprise, error)
	// Account returns an account by id (a consent's grantee, an inspector).
	Account(ctx context.Context, id string) (*Account, error)
	// File returns the stored versions of every record about the enterprise q selects, in
	// log order: the one read behind an enterprise's page (OpenDossier). ENOTFOUND when
	// there is no such enterprise or record.
	File(ctx context.Context, q FileQuery) ([]StoredVersion, error)
	// Files returns, for each of the enterprises given by USCC, the stored versions (public
	// only) of its records of the given kinds (nil: every kind), in log order; a USCC
	// given twice is read once.
	Files(ctx context.Context, usccs []string, kinds []string) (map[string][]StoredVersion, error)
	// ConsentsHeld returns the consents account holds over an enterprise active on date on.
	ConsentsHeld(ctx context.Context, uscc, account string, on calendar.Date) ([]*Consent, error)
}

// RegistryStore is what the registry reads.
type RegistryStore interface {
	CoreStore
	// Document returns a document's exact bytes by the lowercase hex SHA-256 of them, and
	// its withdrawal when it has been withdrawn from public view.
	Document(ctx context.Context, sha256 string) ([]byte, *Withdrawal, error)
	Search(ctx context.Context, q SearchQuery) (*SearchResult, error)
}

// AccountStore is what accounts read.
type AccountStore interface {
	Writer
	Account(ctx context.Context, id string) (*Account, error)
	// AccountByToken returns a bearer token's account and its expiry (zero: none).
	AccountByToken(ctx context.Context, tokenHash string) (*Account, time.Time, error)
	// AccountBySession returns a web session's account and its expiry.
	AccountBySession(ctx context.Context, sessionHash string) (*Account, time.Time, error)
	PasswordHash(ctx context.Context, accountID string) (string, error)
}

// Tx is one unit of work inside a write batch. Reads see the batch's earlier writes.
type Tx interface {
	// Now is the publication time of everything this unit of work publishes.
	Now() time.Time
	// Touch records that this unit changed what the public sees of an enterprise in a way
	// other than appending a version or putting the enterprise (which touch it themselves).
	Touch(uscc string)
	// SetNow sets the publication time for the rest of the unit. Only loaders of history
	// (imports of a register's past, the demo) use it, so that one batch can carry many
	// days; everything else publishes at the store's clock.
	SetNow(t time.Time)

	EnterpriseByCode(code string) (*Enterprise, error)
	// Versions returns every version of a record, oldest first, with bodies.
	Versions(recordID string) ([]*Version, error)
	// RecordsOf returns the records of the given kinds about an enterprise, each as its
	// versions oldest first with bodies, oldest record first.
	RecordsOf(uscc string, kinds ...string) ([][]*Version, error)
	// RecordSalt returns the salt for a record's hidden fields.
	RecordSalt(recordID string) ([]byte, error)
	// NewRecord creates a record of a kind about an enterprise and returns its id.
	NewRecord(kind, subject string, salt []byte) (string, error)
	// AppendVersion stores a sealed version, its document and its log leaf; it sets v.LogIndex.
	AppendVersion(v *Version) error
	// PutEnterprise creates or updates the enterprise's current view and its search index.
	PutEnterprise(e *Enterprise, search SearchTerms) error

	CreateAccount(a *Account, passwordHash string) error
	// AddToken stores a bearer token's hash with its expiry (zero: none).
	AddToken(accountID, tokenHash string, expires time.Time) error
	// RevokeToken deletes a bearer token by its hash.
	RevokeToken(tokenHash string) error
	// AddSession stores a web session's hash; EndSession deletes it (logout).
	AddSession(accountID, sessionHash string, expires time.Time) error
	EndSession(sessionHash string) error
	SpotCheckTx   // spot checks and cases (spotcheck_store.go)
	CheckItemTx   // the lists of check items (checkitems.go)
	DisclosureTx  // annual reports, orders, consents (disclosure.go)
	EnforcementTx // lists, bans, enforcement cases (enforcement.go)
	ProvisionalTx // dates awaiting a year's working-day schedule (provisional.go)
	WatchTx       // watches (watch.go)
}

// FileQuery selects the file of one enterprise: by Code (a USCC or registration number) or
// by one of its records.
type FileQuery struct {
	Code   string
	Record string
	// Kinds, if not nil, are the only kinds of record to read.
	Kinds []string
	// Private reads the hidden values and salts too, for a viewer who may see them.
	Private bool
}

// SearchTerms are what an enterprise can be found by, besides its codes.
type SearchTerms struct {
	Names    []string // current and former names
	LegalRep string
	Initials string // pinyin initials of the name, lower case ("shjt…"), when known
}

// SearchQuery asks for enterprises matching Q: a name substring of two or more characters,
// a USCC or registration number (exact or prefix), a legal representative's name, or the
// start of a name's pinyin initials in letters of either case ("shjt" for 上海杰图…).
type SearchQuery struct {
	Q      string
	Cursor string // from a previous SearchResult.Next
	Limit  int
}

// SearchResult is one page of hits: exact and prefix matches first, then the rest.
type SearchResult struct {
	Hits []*Enterprise `json:"hits"`
	Next string        `json:"next,omitempty"` // cursor of the next page; empty when there is none
}
