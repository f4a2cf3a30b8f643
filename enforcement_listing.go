package gongshi

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi/calendar"
)

// A regulator's own listing decision (SAIC Order 68 Art. 6, 7; SPEC §8). Grounds 1 and 2
// follow from dates the register knows and are decided by the sweep; grounds 3 (the
// enterprise's disclosed information concealed the truth or was falsified, found by a spot
// check or a report) and 4 (it cannot be reached at its registered address) are facts a
// regulator verifies, and it decides the listing within 10 working days of verifying them
// (policy.Rules.ListingDecisionDue). The decision is published at once through the same
// decision code as the sweep's (enforcement_decide.go), under the same natural key, so a
// later sweep never lists the enterprise a second time for the same finding.

// ListingDecision is what a regulator decides when it lists an enterprise itself.
type ListingDecision struct {
	Ground     int    `json:"ground"`      // 3 false information, 4 unreachable
	Verified   string `json:"verified"`    // YYYY-MM-DD: the day the fact was verified
	Facts      string `json:"facts"`       // what was found, in the decision's words
	DocumentNo string `json:"document_no"` // the decision's number (决定书文号)
}

// ListingDecided is the published decision and the list entry it made.
type ListingDecided struct {
	Version *Version   `json:"version"`
	Entry   *ListEntry `json:"entry"`
	// Due is the last day the decision was due (10 working days after Verified) and Policy
	// the entry applied; OnTime says whether it was decided by then. They are the version's,
	// so a provisional due date is named in Version.Provisional.
	Due    string `json:"due"`
	Policy string `json:"policy"`
	OnTime bool   `json:"on_time"`
	// Finding is the listing ground decided on: "regulator:<document no>" for a fact the
	// regulator verified itself, or the spot check or case that found it.
	Finding string `json:"finding"`
}

// SourceRegulator is the source of a listing ground a regulator verified itself.
const SourceRegulator = "regulator"

// DecideListing lists (an individual business: marks) the enterprise code on ground 3 or
// 4 by the decision of a regulator in scope, and publishes the decision at once. If a spot
// check or a report found the same ground and it awaits a decision, the decision is on that
// finding (and the sweep will not decide it again); otherwise the ground is recorded with
// source "regulator".
func (s *Enforcement) DecideListing(ctx context.Context, actor *Account, code string, in ListingDecision) (out *ListingDecided, err error) {
	if err := checkListingDecision(actor, &in); err != nil {
		return nil, err
	}
	ent, err := s.Store.EnterpriseByCode(ctx, strings.ToUpper(strings.TrimSpace(code)))
	if err != nil {
		return nil, err
	}
	if actor.Role != RoleAdmin && !actor.Covers(ent.Division) {
		return nil, &Error{Code: EFORBIDDEN, Field: "code", Message: fmt.Sprintf("enterprise %s (division %s) is outside your jurisdiction %s", ent.USCC, ent.Division, actor.Jurisdiction),
			Fix: "the regulator of the enterprise's division decides its listing"}
	}
	found, err := s.Store.ListingGrounds(ctx, ent.USCC.String())
	if err != nil {
		return nil, err
	}
	err = s.Store.Write(ctx, func(tx Tx) error {
		out, err = s.decideListingTx(tx, actor, ent.USCC.String(), in, found)
		return err
	})
	return out, err
}

// checkListingDecision checks what can be checked without the register, cleaning the
// texts in place.
func checkListingDecision(actor *Account, in *ListingDecision) error {
	if actor.Role != RoleRegulator && actor.Role != RoleAdmin {
		return &Error{Code: EFORBIDDEN, Message: fmt.Sprintf("listings are decided by market regulators (Art. 17; SAIC Order 68); this account is %s", withArticle(string(actor.Role))),
			Fix: "log in with a regulator account covering the enterprise's division"}
	}
	switch in.Ground {
	case GroundFalseInformation, GroundUnreachable:
	case 1, 2:
		return Invalid("ground", fmt.Sprintf("ground %d is decided by the daily sweep from the register's own dates", in.Ground),
			"give 3 (information concealed or falsified) or 4 (cannot be reached at the registered address)")
	default:
		return Invalid("ground", fmt.Sprintf("%d is not a listing ground a regulator decides", in.Ground),
			"give 3 (information concealed or falsified) or 4 (cannot be reached at the registered address)")
	}
	if strings.TrimSpace(in.Verified) == "" {
		return Invalid("verified", "is required", "give the day the fact was verified, YYYY-MM-DD: the 10 working days to decide count from it")
	}
	if _, err := calendar.ParseDate(strings.TrimSpace(in.Verified)); err != nil {
		return Invalid("verified", fmt.Sprintf("%q is not a date", in.Verified), "give the day the fact was verified as YYYY-MM-DD")
	}
	if err := cleanTexts(textInput{"facts", &in.Facts, TextMultiline}, textInput{"document_no", &in.DocumentNo, TextDocumentNo}); err != nil {
		return err
	}
	if strings.TrimSpace(in.Facts) == "" {
		return Invalid("facts", "is required", "state the facts verified: what was false, or how the enterprise could not be reached")
	}
	if strings.TrimSpace(in.DocumentNo) == "" {
		return Invalid("document_no", "is required", "give the number of the listing decision (决定书文号)")
	}
	return nil
}

// decideListingTx is DecideListing inside a write transaction; found are the enterprise's
// listing grounds as read before it.
func (s *Enforcement) decideListingTx(tx Tx, actor *Account, uscc string, in ListingDecision, found []*ListingGround) (*ListingDecided, error) {
	ent, err := tx.EnterpriseByCode(uscc)
	if err != nil {
		return nil, err
	}
	verified, _ := calendar.ParseDate(strings.TrimSpace(in.Verified))
	today := calendar.DateOf(tx.Now())
	if verified.After(today) {
		return nil, Invalid("verified", fmt.Sprintf("%s is in the future (today is %s)", verified, today), "decide once the fact is verified")
	}
	if err := checkNotBefore("verified", verified, ent.Established); err != nil {
		return nil, err
	}
	docNo := strings.TrimSpace(in.DocumentNo)
	rule := "ground" + strconv.Itoa(in.Ground)
	// A finding of the same ground by a spot check or a report that awaits its decision is
	// decided now, under its own key: the sweep then passes it by.
	period, arose := "", verified
	for _, g := range found {
		if g.Ground != in.Ground || g.Source == SourceRegulator {
			continue
		}
		p := g.Source + ":" + g.SourceRef
		done, err := tx.Decided(rule, ent.USCC.String(), p)
		if err != nil {
			return nil, err
		}
		if !done {
			if a, err := calendar.ParseDate(g.Arose); err == nil {
				arose = a // counted from the finding, as the sweep counts
			}
			period = p
			break
		}
	}
	if period == "" {
		period = SourceRegulator + ":" + docNo
		if done, err := tx.Decided(rule, ent.USCC.String(), period); err != nil {
			return nil, err
		} else if done {
			return nil, &Error{Code: ECONFLICT, Field: "document_no", Message: fmt.Sprintf("decision %s listing %s on ground %d was already taken", docNo, ent.USCC, in.Ground),
				Fix: "a decision is taken once; give the number of a new decision"}
		}
	}
	k, list := listingKind(ent)
	entries, err := tx.EntriesOfTx(ent.USCC.String())
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.List == list && e.Ground == in.Ground && e.Active(today) {
			return nil, &Error{Code: ECONFLICT, Field: "ground", Message: fmt.Sprintf("%s is already listed on ground %d since %s (%s)", ent.USCC, in.Ground, e.Since, e.DocumentNo),
				Fix: "an enterprise is not listed twice on the same ground while the first listing stands"}
		}
	}
	reason := groundReasons[in.Ground] + "：" + strings.TrimSpace(in.Facts)
	v, err := s.publishDecision(tx, decision{kind: k, ent: ent, actor: actor, list: list, ground: in.Ground, reason: reason, period: period,
		documentNo: docNo, countedFrom: arose, decided: today})
	if err != nil {
		return nil, err
	}
	if err := tx.PutDecided(rule, ent.USCC.String(), period, v.Record, today); err != nil {
		return nil, err
	}
	if strings.HasPrefix(period, SourceRegulator+":") {
		if err := tx.AddListingGround(&ListingGround{Enterprise: ent.USCC.String(), Ground: in.Ground, Arose: arose.String(), Source: SourceRegulator,
			SourceRef: docNo, Record: v.Record, Authority: actor.Jurisdiction, CreatedAt: tx.Now()}); err != nil {
			return nil, err
		}
	}
	e := newEntry(v)
	if err := tx.PutListEntry(e); err != nil {
		return nil, err
	}
	// The decision's due date is its version's (the kind's deadline: policy.Rules.ListingDecisionDue).
	return &ListingDecided{Version: v, Entry: e, Due: v.Due.String(), Policy: v.Policy, OnTime: v.OnTime, Finding: period}, nil
}
