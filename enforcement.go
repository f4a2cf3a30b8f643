package gongshi

import (
	"context"
	"time"

	"github.com/gongshi/gongshi/calendar"
)

// Enforcement (Art. 17, 18; SAIC Order 68; SPEC §8): the abnormal-operations list
// (经营异常名录), the marking of individual businesses (经营异常状态), the serious-violation
// list (严重违法企业名单), the ban on their legal representatives and the credit checks that
// read them. Every decision is a published record version (enforcement_kinds.go); the rows
// here are current state, written in the same unit of work as the versions that justify
// them.

// The lists an entry may be on.
const (
	ListAbnormal = "abnormal" // 经营异常名录 (Art. 17)
	ListSerious  = "serious"  // 严重违法企业名单 (Art. 17)
	ListMarked   = "marked"   // 经营异常状态 of an individual business (SPEC §11): never escalates
)

// How an entry ended.
const (
	EndCured     = "cured"     // removed on application after the ground was cured
	EndAutomatic = "automatic" // serious list: removed automatically after five years
	EndCorrected = "corrected" // found wrong on objection: void from the start
)

// ListEntry is one listing or marking of an enterprise: the decision that made it, and,
// once it ended, the decision that ended it. Its ID is the decision's record id.
type ListEntry struct {
	ID           string `json:"id"`
	USCC         string `json:"uscc"`
	Name         string `json:"name"`
	Division     string `json:"division"`
	List         string `json:"list"`
	Ground       int    `json:"ground"`           // 1–4 (SPEC §8); a serious entry carries its abnormal entry's
	Period       string `json:"period,omitempty"` // report year (ground 1), order record (2), finding (3, 4)
	Arose        string `json:"arose"`            // the day the count of the decision period started
	Since        string `json:"since"`            // the decision's date: on the list from this day
	Until        string `json:"until,omitempty"`  // off the list from this day; empty while listed
	Ended        string `json:"ended,omitempty"`  // EndCured, EndAutomatic or EndCorrected
	Authority    string `json:"authority"`        // the deciding authority
	Jurisdiction string `json:"jurisdiction"`
	DocumentNo   string `json:"document_no"`
	Record       string `json:"record"`                  // the decision's record
	EndRecord    string `json:"end_record,omitempty"`    // the removal or correction
	Warned       string `json:"warned,omitempty"`        // the day the three-year warning was published
	Origin       string `json:"origin,omitempty"`        // serious: the abnormal entry that escalated
	BanUntil     string `json:"ban_until,omitempty"`     // serious: last day of the legal representative's ban
	BannedPerson string `json:"banned_person,omitempty"` // serious: the banned person's name (public)
}

// Active reports whether the entry has the enterprise on its list on date on.
func (e *ListEntry) Active(on calendar.Date) bool {
	d := on.String()
	return e.Ended != EndCorrected && e.Since <= d && (e.Until == "" || d < e.Until)
}

// Ban is the bar on a serious-listed enterprise's legal representative (Art. 17): until
// Until (the last day) the register refuses to make the person legal representative or
// person in charge of another enterprise. Person is a keyed hash (HMAC-SHA-256) of the
// person's ID number: never shown, never in a document or the log.
type Ban struct {
	Person     string `json:"-"`
	Name       string `json:"name"`
	Enterprise string `json:"enterprise"` // the serious-listed enterprise
	Entry      string `json:"entry"`      // its serious-list entry
	Since      string `json:"since"`
	Until      string `json:"until"`
}

// EnforcementCase is an enterprise's application for removal (移出申请) or objection to a
// listing (异议), with its due date; the regulator answers each in writing.
type EnforcementCase struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"` // CaseRemoval or CaseObjection
	USCC     string `json:"uscc"`
	Division string `json:"division"`
	Entry    string `json:"entry"`
	Received string `json:"received"`
	Due      string `json:"due"`
	Policy   string `json:"policy"`
	Reason   string `json:"reason"`
	// Cure is what the register itself sees of the cure (every missing report now filed,
	// the ordered item disclosed, the address changed); empty if it sees nothing.
	Cure string `json:"cure,omitempty"`
	// State is pending, decided, or (an objection) accepted: SAIC Order 68 Art. 13 has the
	// regulator decide first whether to accept an objection, then verify and answer it.
	State   string `json:"state"`
	Outcome string `json:"outcome,omitempty"`
	// Decided is the day of the last decision on the case and Answer its written record:
	// while an objection is accepted, the acceptance and its notice (受理通知); once
	// decided, the answer (or the notice of non-acceptance).
	Decided string `json:"decided,omitempty"`
	Answer  string `json:"answer,omitempty"`
	By      string `json:"by"` // the liaison account that filed it
	// Provisional is set while the due date awaits a year's working-day schedule.
	Provisional *ProvisionalDates `json:"provisional,omitempty"`
}

// Enforcement case kinds, states and outcomes.
const (
	CaseRemoval   = "removal"
	CaseObjection = "objection"

	CaseStatePending  = "pending"
	CaseStateAccepted = "accepted" // an objection accepted (受理), awaiting verification
	CaseStateDecided  = "decided"

	OutcomeAccepted = "accepted" // objection accepted: verified and answered next

	OutcomeRemoved     = "removed"      // removal granted
	OutcomeRefused     = "refused"      // removal refused: the ground is not cured
	OutcomeNotAccepted = "not_accepted" // objection not accepted (SAIC Order 68 Art. 13), with the reason
	OutcomeRejected    = "rejected"     // objection verified and rejected: the listing stands
	OutcomeUpheld      = "upheld"       // objection upheld: the listing is corrected (void)
)

// PenaltyShown is a penalty record still shown publicly, for the display-period rule.
type PenaltyShown struct {
	Record    string
	USCC      string
	Published time.Time // of its first version
	Minor     bool
}

// ListQuery selects list entries for GET /api/v1/lists/{list}.
type ListQuery struct {
	List   string        // ListAbnormal (with markings) or ListSerious
	Prefix string        // division prefix ("" for all)
	Ground int           // 0 for all
	AsOf   calendar.Date // entries active on this day
	Since  string        // listed on or after this day ("" for any)
	Cursor string
	Limit  int
}

// EnforcementTx is what enforcement needs of a write transaction. It is part of Tx.
type EnforcementTx interface {
	// Decided reports whether the decision with this natural key was taken.
	Decided(rule, subject, period string) (bool, error)
	// PutDecided notes a decision by its natural key; a second one is ECONFLICT. The
	// sweep writes it in the same unit as the decision, which makes it idempotent.
	PutDecided(rule, subject, period, record string, on calendar.Date) error
	// PutListEntry creates or updates an entry by its ID.
	PutListEntry(e *ListEntry) error
	// ListEntryTx returns an entry by ID, ENOTFOUND if none.
	ListEntryTx(id string) (*ListEntry, error)
	// EntriesOfTx returns every entry of an enterprise, oldest first.
	EntriesOfTx(uscc string) ([]*ListEntry, error)
	// BanKey returns the secret key of the ban's person hash, creating it on first use.
	BanKey() ([]byte, error)
	PutBan(b *Ban) error
	// BansOf returns the bans of a person (by hash).
	BansOf(person string) ([]*Ban, error)
	// PutEnforcementCase creates (ID empty: one is assigned) or updates a case.
	PutEnforcementCase(c *EnforcementCase) error
	EnforcementCaseTx(id string) (*EnforcementCase, error)
	// Withdraw withdraws every version of a record from public view (410 on its
	// documents; the leaves stay) and returns how many were newly withdrawn.
	Withdraw(record string, at time.Time, reason string) (int, error)
}

// Checkpoints is what an answer that names the log's state reads of the log.
type Checkpoints interface {
	// LatestCheckpoint returns the log's latest signed checkpoint (a signed note).
	LatestCheckpoint(ctx context.Context) ([]byte, error)
}

// EnforcementStore is what enforcement reads. It is part of Store.
type EnforcementStore interface {
	CoreStore
	// ListingGrounds returns the listing grounds found for an enterprise (SPEC §8 grounds
	// 3 and 4), oldest first.
	ListingGrounds(ctx context.Context, uscc string) ([]*ListingGround, error)
	ProvisionalStore // dates awaiting a year's working-day schedule (provisional.go)
	// NonFilers returns, by USCC after after, up to limit enterprises established on or
	// before establishedBy, with no annual report for year filed by asOf and no ground-1
	// decision for it, that are in being (存续, 在业) or whose registration changed on or
	// after asOf: they may have been in being on asOf (the sweep checks, StatusOn).
	NonFilers(ctx context.Context, year int, establishedBy string, asOf calendar.Date, after string, limit int) ([]*Enterprise, error)
	// OpenEntries returns, by ID after after, up to limit entries of a list not ended.
	OpenEntries(ctx context.Context, list, after string, limit int) ([]*ListEntry, error)
	// PendingGrounds returns the listing grounds (3, 4) found on or before asOf with no decision.
	PendingGrounds(ctx context.Context, asOf calendar.Date) ([]*ListingGround, error)
	// ShownPenalties returns, by record after after, penalties not yet withdrawn.
	ShownPenalties(ctx context.Context, after string, limit int) ([]*PenaltyShown, error)
	// EntriesOf returns the entries of the given enterprises (by USCC), each once however
	// often its USCC is given.
	EntriesOf(ctx context.Context, usccs []string) (map[string][]*ListEntry, error)
	// ListEntries returns one page of a list as of a date, and the next cursor.
	ListEntries(ctx context.Context, q ListQuery) ([]*ListEntry, string, error)
	// ListSizes counts the entries of list in the divisions starting with prefix on each
	// of days, as ListEntries pages through them.
	ListSizes(ctx context.Context, list, prefix string, days []calendar.Date) ([]int, error)
	// EnterprisesByCodes resolves USCCs and registration numbers to enterprises.
	EnterprisesByCodes(ctx context.Context, codes []string) (map[string]*Enterprise, error)
	EnforcementCase(ctx context.Context, id string) (*EnforcementCase, error)
	// EnforcementCases returns the cases of divisions starting with prefix by due date.
	EnforcementCases(ctx context.Context, prefix string, pendingOnly bool) ([]*EnforcementCase, error)
	Checkpoints // a credit check names the checkpoint it was read at
}
