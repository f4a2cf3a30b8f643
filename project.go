package gongshi

import (
	"fmt"
	"strconv"
	"time"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/initials"
)

// Projection is what a store's current-state rows must say of one enterprise, made from
// its logged documents alone: the rows that find it (its enterprises row and search terms),
// its list entries, filings and orders (the Dossier's), what was withdrawn, the natural
// keys of the decisions taken about it, the listing grounds found and the spot-check
// results published. The write path makes those rows with the same functions (newEntry,
// applyDecision, projectFiling, projectOrder, Enterprise.apply), and `gongshi verify`
// compares every row with a Projection, so a row changed behind the log's back is found.
type Projection struct {
	*Dossier
	Initials    string
	Terms       SearchTerms
	Withdrawals []IndexedWithdrawal // one for each withdrawn version, by log index
	Decisions   []DecisionKey
	Grounds     []*ListingGround
	Results     []*SpotCheckResult
}

// IndexedWithdrawal is a withdrawn version as the store indexes it for its document's 410.
type IndexedWithdrawal struct {
	LogIndex int64
	At       time.Time
	Reason   string
}

// DecisionKey is the natural key of a decision (Tx.PutDecided) and the record it made.
type DecisionKey struct {
	Rule, Subject, Period, Record string
}

// LoggedDecisionRule reports whether the decisions of a rule are logged records, so that
// Project derives their keys: every rule but the end of a ban, which publishes nothing.
func LoggedDecisionRule(rule string) bool { return rule != "ban_end" }

// Project makes the projection of an enterprise's dossier. drawJurisdiction returns the
// jurisdiction of a draw by its number, from the draw's own documents.
func Project(d *Dossier, drawJurisdiction func(number string) string) *Projection {
	e := d.Enterprise
	p := &Projection{Dossier: d, Initials: initials.Of(e.Name), Terms: e.searchTerms()}
	for _, r := range d.Records {
		for _, v := range r.Versions {
			p.project(r, v, drawJurisdiction)
		}
	}
	return p
}

func (p *Projection) project(r *Record, v *Version, drawJurisdiction func(string) string) {
	b := v.Body
	if w := p.Withdrawn[r.ID]; w != nil && v.Withdrawn != nil {
		p.Withdrawals = append(p.Withdrawals, IndexedWithdrawal{LogIndex: v.LogIndex, At: w.At, Reason: w.Reason})
	}
	key := func(rule, subject, period string) {
		p.Decisions = append(p.Decisions, DecisionKey{Rule: rule, Subject: subject, Period: period, Record: v.Record})
	}
	if v.Version != 1 {
		// A settlement of provisional dates (settle.go) is keyed by the year and the
		// version it settled.
		if prev := r.Versions[v.Version-2]; v.Publisher.Account == SettlementAccount && prev.Provisional != nil {
			key(settlementRule, r.ID, fmt.Sprintf("%d@v%d", prev.Provisional.Year, prev.Version))
		}
		return
	}
	ground := func(g int, arose, source, ref, authority string) {
		p.Grounds = append(p.Grounds, &ListingGround{Enterprise: v.Subject, Ground: g, Arose: arose, Source: source,
			SourceRef: ref, Record: v.Record, Authority: authority, CreatedAt: v.PublishedAt})
	}
	switch v.Kind {
	case KindAbnormalListing.Name, KindAbnormalMarking.Name:
		g, period := int(intField(b, "ground")), stringField(b, "period")
		key("ground"+strconv.Itoa(g), v.Subject, period)
		if period == SourceRegulator+":"+stringField(b, "document_no") {
			ground(g, stringField(b, "counted_from"), SourceRegulator, stringField(b, "document_no"), v.Publisher.Jurisdiction)
		}
	case KindAbnormalWarning.Name:
		key("warning", stringField(b, "listing"), "")
	case KindSeriousListing.Name:
		key("serious", v.Subject, stringField(b, "listing"))
	case KindSeriousExpiry.Name:
		key("expiry", stringField(b, "listing"), "")
	case KindWithdrawal.Name:
		if stringField(b, "display_end") != "" {
			key("withdrawal", stringField(b, "record"), "")
		}
	case KindCreditRepair.Name:
		// A granted repair withdraws the penalty in the same write, and records that its
		// display has ended, as the sweep would (RepairCredit).
		if stringField(b, "outcome") == RepairGranted {
			key("withdrawal", stringField(b, "penalty"), "")
		}
	case KindCaseAnswer.Name:
		if stringField(b, "outcome") == OutcomeFalse {
			ground(GroundFalseInformation, calendar.DateOf(v.PublishedAt).String(), "case", stringField(b, "case"), v.Publisher.Jurisdiction)
		}
	case KindSpotCheckResult.Name:
		res := ResultOf(v)
		p.Results = append(p.Results, res)
		if res.Ground != 0 {
			number := stringField(b, "draw")
			ground(res.Ground, res.Checked, "spot_check", number, drawJurisdiction(number))
		}
	}
}

// StateReport is what `gongshi verify` found comparing a store's current-state rows with
// its logged documents (the store's AuditState).
type StateReport struct {
	Enterprises int64    `json:"enterprises"`
	Versions    int64    `json:"versions"`
	Problems    []string `json:"problems,omitempty"` // the first MaxReported
	ProblemN    int      `json:"problem_count"`
}

// MaxReported is how many problems a StateReport lists.
const MaxReported = 100

// Problem records a row that disagrees with the log.
func (r *StateReport) Problem(s string) {
	r.ProblemN++
	if len(r.Problems) < MaxReported {
		r.Problems = append(r.Problems, s)
	}
}
