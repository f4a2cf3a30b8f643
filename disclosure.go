package gongshi

import (
	"context"
	"time"

	"github.com/gongshi/gongshi/calendar"
)

// The enterprise's own disclosures (Art. 8–12): the current-state rows kept beside the
// published records, written in the same transaction as the versions that justify them.

// ReportFiling is the register's note that an annual report was filed (年报报送): one per
// enterprise and report year. The enforcement sweep lists those without one (Art. 17).
type ReportFiling struct {
	USCC   string `json:"uscc"`
	Year   int    `json:"year"`
	Kind   string `json:"kind"`
	Record string `json:"record"`
	Filed  string `json:"filed"` // the date the first version was published
	Due    string `json:"due,omitempty"`
	OnTime bool   `json:"on_time"`
	// Paper is true when a regulator entered a paper report on the enterprise's behalf.
	Paper bool `json:"paper,omitempty"`
}

// AnnualReportDraft is a report saved before it is submitted: private to the enterprise,
// not published, not in the log.
type AnnualReportDraft struct {
	USCC    string         `json:"uscc"`
	Year    int            `json:"year"`
	Fields  map[string]any `json:"fields"`
	SavedAt time.Time      `json:"saved_at"`
	SavedBy string         `json:"saved_by"`
}

// Order is a regulator's order to an enterprise to disclose an item it failed to disclose
// (责令限期公示, Art. 10 ¶2). Its record is published; this is its current state.
type Order struct {
	Record   string `json:"record"`
	USCC     string `json:"uscc"`
	Division string `json:"division"`
	Item     string `json:"item"` // the record kind to disclose
	Issued   string `json:"issued"`
	Deadline string `json:"deadline"`
	Policy   string `json:"policy"`
	Issuer   string `json:"issuer"` // the account that issued it
	// FulfilledBy is the record of the disclosure that fulfilled the order, FulfilledOn the
	// date; a fulfilment after the deadline cures the ground but does not undo the lapse.
	FulfilledBy string `json:"fulfilled_by,omitempty"`
	FulfilledOn string `json:"fulfilled_on,omitempty"`
	// Provisional is set while the deadline awaits a year's working-day schedule.
	Provisional *ProvisionalDates `json:"provisional,omitempty"`
}

// Order states as of a date.
const (
	OrderOpen      = "open"      // not fulfilled, deadline not passed
	OrderFulfilled = "fulfilled" // fulfilled by the deadline
	OrderLapsed    = "lapsed"    // not fulfilled by the deadline: ground 2 of the abnormal list (Art. 17)
)

// Status returns the order's state as of a date: lapsed once its deadline is known to have
// passed without a disclosure on or before it (a provisional deadline: once settled).
func (o *Order) Status(asOf calendar.Date) string {
	deadline := dueOf(o.Deadline, o.Provisional)
	if o.FulfilledOn != "" && o.FulfilledOn <= asOf.String() {
		on, _ := calendar.ParseDate(o.FulfilledOn)
		// Fulfilled by a provisional deadline unless it is known to have passed.
		if late, known := deadline.Passed(on); !late || !known {
			return OrderFulfilled
		}
	}
	if overdue(o.Deadline, o.Provisional, asOf) {
		return OrderLapsed
	}
	return OrderOpen
}

// Consent is an enterprise's consent to a named account to see named non-public items for a
// period (Art. 9). Items are top-level field names of its records (ConsentItems).
type Consent struct {
	ID         string     `json:"id"`
	USCC       string     `json:"uscc"`
	Grantee    string     `json:"grantee"`
	Items      []string   `json:"items"`
	From       string     `json:"from"`
	Until      string     `json:"until"`
	GrantedAt  time.Time  `json:"granted_at"`
	GrantedBy  string     `json:"granted_by"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	RevokedBy  string     `json:"revoked_by,omitempty"`
	Status     string     `json:"status"` // active, pending, expired or revoked as of the read
	ViewsCount int        `json:"views,omitempty"`
	// Party names a party without an account, and Code is its bearer token: answered once,
	// to the grant, and never stored (only its hash is).
	Party string `json:"party,omitempty"`
	Code  string `json:"code,omitempty"`
}

// Active reports whether the consent lets its grantee see its items on date on.
func (c *Consent) Active(on calendar.Date) bool {
	d := on.String()
	return c.RevokedAt == nil && c.From <= d && d <= c.Until
}

func (c *Consent) status(on calendar.Date) string {
	switch d := on.String(); {
	case c.RevokedAt != nil:
		return "revoked"
	case d < c.From:
		return "pending"
	case d > c.Until:
		return "expired"
	}
	return "active"
}

// ConsentView records one serving of non-public items under a consent: who saw what, when
// (Art. 9). The enterprise sees every one.
type ConsentView struct {
	Consent string    `json:"consent"`
	USCC    string    `json:"uscc"`
	Viewer  string    `json:"viewer"`
	Record  string    `json:"record"`
	Kind    string    `json:"kind"`
	Version int       `json:"version"`
	Items   []string  `json:"items"`
	At      time.Time `json:"at"`
}

// DisclosureStore is the store's side of self-disclosure (reads).
type DisclosureStore interface {
	CoreStore
	// FilingCounts counts the reports for year filed per day and division, for enterprises
	// whose division starts with prefix ("" for all).
	FilingCounts(ctx context.Context, year int, prefix string) ([]FilingCount, error)
	// AnnualReports returns an enterprise's filings, oldest report year first.
	AnnualReports(ctx context.Context, uscc string) ([]*ReportFiling, error)
	// AnnualReportDraft returns the saved draft of a report year, ENOTFOUND if none.
	AnnualReportDraft(ctx context.Context, uscc string, year int) (*AnnualReportDraft, error)
	// Orders returns the orders issued to an enterprise, oldest first.
	Orders(ctx context.Context, uscc string) ([]*Order, error)
	// OrdersLapsed returns every order whose deadline is before asOf and that was not
	// fulfilled on or before its deadline, by deadline: ground 2 for the enforcement sweep.
	OrdersLapsed(ctx context.Context, asOf calendar.Date) ([]*Order, error)
	// ConsentsOf returns the consents an enterprise has given, newest first.
	ConsentsOf(ctx context.Context, uscc string) ([]*Consent, error)
	// ConsentViews returns the views under an enterprise's consents, newest first.
	ConsentViews(ctx context.Context, uscc string) ([]*ConsentView, error)
}

// DisclosureTx is the write side of self-disclosure, inside a write transaction.
type DisclosureTx interface {
	// AnnualReport returns the filing of a report year, ENOTFOUND if none.
	AnnualReport(uscc string, year int) (*ReportFiling, error)
	// PutAnnualReport notes a filing; a second one for the year is ECONFLICT.
	PutAnnualReport(f *ReportFiling) error
	PutAnnualReportDraft(d *AnnualReportDraft) error
	DeleteAnnualReportDraft(uscc string, year int) error
	// PutOrder creates or updates an order's state, by its record.
	PutOrder(o *Order) error
	// OpenOrders returns the orders to disclose item not yet fulfilled.
	OpenOrders(uscc, item string) ([]*Order, error)
	// PutConsent creates or updates a consent, by its id.
	PutConsent(c *Consent) error
	// Consent returns a consent by id, ENOTFOUND if none.
	Consent(id string) (*Consent, error)
	AddConsentViews(vs []*ConsentView) error
}
