package gongshi

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gongshi/gongshi/calendar"
)

// Check methods (Art. 14: written, on-site or network-monitoring checks, which may be
// delegated to accounting, tax or law firms).
var CheckMethods = []string{"written", "on_site", "network", "delegated"}

// Check outcomes and what each sets in motion (SPEC §6, §8).
const (
	OutcomeNormal         = "normal"            // nothing found
	OutcomeNotDisclosed   = "not_disclosed"     // an item not disclosed: an order to disclose it (Art. 10 ¶2)
	OutcomeFalse          = "false_information" // concealed or false information: listing ground 3
	OutcomeUnreachable    = "unreachable"       // not found at its address: listing ground 4
	OutcomeNonCooperation = "non_cooperation"   // seriously failed to cooperate: published as such (Art. 15)
)

// CheckOutcomes lists the outcomes.
var CheckOutcomes = []string{OutcomeNormal, OutcomeNotDisclosed, OutcomeFalse, OutcomeUnreachable, OutcomeNonCooperation}

// Listing grounds of SPEC §8 that spot checks and reports find.
const (
	GroundFalseInformation = 3 // disclosed information concealed the truth or was falsified
	GroundUnreachable      = 4 // cannot be reached at its registered address
)

// ListingGrounds are the four grounds of the abnormal-operations list (Art. 17; SPEC §8):
// 1 no annual report, 2 an ordered disclosure not made, GroundFalseInformation and
// GroundUnreachable.
var ListingGrounds = []int{1, 2, GroundFalseInformation, GroundUnreachable}

// KindSpotCheckResult is the published result of a spot check of one enterprise (抽查结果,
// Art. 14, 15). It is published only through a draw (POST /api/v1/draws/{draw}/results),
// never as a free-standing record.
var KindSpotCheckResult = defineKind(&Kind{
	Name: "spot_check_result", Label: "抽查检查结果信息", Article: "Art. 14, 15",
	Publishers: []Role{RoleRegulator},
	Hooks:      Hooks{Route: "POST /api/v1/draws/{draw}/results"},
	Fields: []Field{
		{Name: "draw", Label: "抽查编号", Type: TypeText, Required: true},
		{Name: "method", Label: "检查方式", Type: TypeEnum, Required: true, Enum: CheckMethods},
		{Name: "firm", Label: "受委托机构", Type: TypeText, Text: TextEnterpriseName},
		{Name: "inspectors", Label: "检查人员", Type: TypeText, Required: true},
		{Name: "checked", Label: "检查日期", Type: TypeDate, Required: true},
		{Name: "findings", Label: "检查情况", Type: TypeText, Required: true, Text: TextMultiline},
		{Name: "outcome", Label: "检查结果", Type: TypeEnum, Required: true, Enum: CheckOutcomes},
		{Name: "item", Label: "未公示事项", Type: TypeEnum, Enum: OrderItems},
	},
})

// CheckResult is what a regulator reports of one check.
type CheckResult struct {
	Enterprise string `json:"enterprise"`
	Method     string `json:"method"`
	Firm       string `json:"firm,omitempty"` // the accounting, tax or law firm, when delegated
	Checked    string `json:"checked"`        // YYYY-MM-DD
	Findings   string `json:"findings"`
	Outcome    string `json:"outcome"`
	Item       string `json:"item,omitempty"` // the item not disclosed, for not_disclosed
}

// SpotCheckResult is a published check result.
type SpotCheckResult struct {
	Draw       string   `json:"draw"`
	Enterprise string   `json:"enterprise"`
	Name       string   `json:"name"`
	Outcome    string   `json:"outcome"`
	Checked    string   `json:"checked"`
	Version    *Version `json:"version"`
	// Ground is the listing ground found (3 or 4), 0 if none.
	Ground int `json:"ground,omitempty"`
	// Order is the record id of the order to disclose that a not_disclosed outcome issued.
	Order string `json:"order,omitempty"`
}

// ListingGround is a fact that is a ground for the abnormal-operations list (SPEC §8),
// found by a spot check or a report. The enforcement sweep decides the listing within the
// policy's period of Arose.
type ListingGround struct {
	Enterprise string    `json:"enterprise"`
	Ground     int       `json:"ground"`
	Arose      string    `json:"arose"`      // the date the fact was verified
	Source     string    `json:"source"`     // "spot_check" or "case"
	SourceRef  string    `json:"source_ref"` // the draw or case number
	Record     string    `json:"record"`     // the published record that found it
	Authority  string    `json:"authority"`  // the jurisdiction that found it
	CreatedAt  time.Time `json:"created_at"`
}

// RecordResult publishes the result of checking one enterprise of a drawn draw and records
// what follows from it (see the outcomes).
func (s *SpotChecks) RecordResult(ctx context.Context, actor *Account, number string, in CheckResult) (r *SpotCheckResult, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		r, err = s.RecordResultTx(tx, actor, number, in)
		return err
	})
	return r, err
}

// RecordResultTx is RecordResult inside a write transaction.
func (s *SpotChecks) RecordResultTx(tx Tx, actor *Account, number string, in CheckResult) (*SpotCheckResult, error) {
	d, _, err := tx.DrawSecret(number)
	if err != nil {
		return nil, err
	}
	if actor.Role != RoleAdmin && !(actor.Role == RoleRegulator && actor.Covers(d.Jurisdiction)) {
		return nil, Errorf(EFORBIDDEN, "draw %s is in jurisdiction %s, outside yours", d.Number, d.Jurisdiction)
	}
	if d.State != DrawDrawn {
		return nil, Errorf(ECONFLICT, "draw %s has not been drawn yet", d.Number)
	}
	ent, err := tx.EnterpriseByCode(in.Enterprise)
	if err != nil {
		return nil, asField(err, "enterprise")
	}
	as, err := tx.Assignment(d.Number, ent.USCC.String())
	if err != nil {
		return nil, err
	}
	fields := map[string]any{"draw": d.Number, "method": in.Method, "checked": in.Checked, "findings": in.Findings,
		"outcome": in.Outcome, "inspectors": strings.Join(as.Inspectors, ", ")}
	if in.Firm != "" {
		fields["firm"] = in.Firm
	}
	if in.Item != "" {
		fields["item"] = in.Item
	}
	body, err := KindSpotCheckResult.Normalize(fields)
	if err != nil {
		return nil, err
	}
	switch {
	case body["method"] == "delegated" && body["firm"] == nil:
		return nil, Invalid("firm", "a delegated check names the firm", "give the accounting, tax or law firm that checked")
	case body["method"] != "delegated" && body["firm"] != nil:
		return nil, Invalid("firm", "only a delegated check names a firm", "leave it out, or give method delegated")
	case body["outcome"] == OutcomeNotDisclosed && body["item"] == nil:
		return nil, Invalid("item", "an item not disclosed must be named", "give the item the enterprise failed to disclose")
	}
	checked, err := s.checkArose(tx, "checked", stringField(body, "checked"), calendar.DateOf(d.PlannedAt))
	if err != nil {
		return nil, err
	}
	salt := newSalt()
	id, err := tx.NewRecord(KindSpotCheckResult.Name, ent.USCC.String(), salt)
	if err != nil {
		return nil, err
	}
	v, err := s.seal(tx, actor, KindSpotCheckResult, ent, id, salt, checked, body, "", nil)
	if err != nil {
		return nil, err
	}
	v.Fields = body
	res := ResultOf(v)
	switch in.Outcome {
	case OutcomeNotDisclosed:
		// Art. 10 ¶2: the regulator orders the enterprise to disclose the item.
		_, o, err := s.orders.IssueOrderTx(tx, actor, ent.USCC.String(), OrderInput{Item: stringField(body, "item"),
			Content: fmt.Sprintf("抽查（%s）发现未公示：%s", d.Number, body["findings"])})
		if err != nil {
			return nil, prefixField(err, "item")
		}
		res.Order = o.Record
	}
	if res.Ground != 0 {
		g := &ListingGround{Enterprise: ent.USCC.String(), Ground: res.Ground, Arose: checked.String(), Source: "spot_check", SourceRef: d.Number,
			Record: id, Authority: d.Jurisdiction, CreatedAt: tx.Now()}
		if err := tx.AddListingGround(g); err != nil {
			return nil, err
		}
	}
	if err := tx.PutSpotCheckResult(res); err != nil {
		return nil, err
	}
	return res, nil
}

// SpotCheckResults returns the published results of a draw.
func (s *SpotChecks) SpotCheckResults(ctx context.Context, number string) ([]*SpotCheckResult, error) {
	if _, err := s.Draw(ctx, number); err != nil {
		return nil, err
	}
	return s.Store.SpotCheckResults(ctx, number)
}

// SearchResults searches the published results of every draw: by the jurisdiction of the
// draw (a 6-digit division code; "" for all), outcome and the dates checked, latest first,
// at most 500.
func (s *SpotChecks) SearchResults(ctx context.Context, jurisdiction, outcome string, from, to calendar.Date, limit int) ([]*SpotCheckResult, error) {
	q := ResultQuery{Outcome: outcome, From: from, To: to, Limit: limit}
	if jurisdiction != "" {
		if len(jurisdiction) != 6 || strings.Trim(jurisdiction, "0123456789") != "" {
			return nil, Invalid("jurisdiction", fmt.Sprintf("%q is not a 6-digit division code", jurisdiction), "give e.g. 310000 for Shanghai or 310115 for Pudong")
		}
		q.Prefix = JurisdictionPrefix(jurisdiction)
	}
	if outcome != "" && !contains(CheckOutcomes, outcome) {
		return nil, Invalid("outcome", "unknown outcome "+quote(outcome), "use one of "+joinQuoted(CheckOutcomes))
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return nil, Invalid("to", fmt.Sprintf("%s is before from %s", to, from), "give a last day on or after the first")
	}
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 500
	}
	return s.Store.SearchSpotCheckResults(ctx, q)
}

// ListingGrounds returns the listing grounds found for an enterprise; regulators in scope
// and administrators only (the enforcement issue lists on them).
func (s *SpotChecks) ListingGrounds(ctx context.Context, actor *Account, code string) ([]*ListingGround, error) {
	ent, err := s.Store.EnterpriseByCode(ctx, strings.ToUpper(strings.TrimSpace(code)))
	if err != nil {
		return nil, err
	}
	if !actor.Covers(ent.Division) {
		return nil, Errorf(EFORBIDDEN, "enterprise %s is outside your jurisdiction", ent.USCC)
	}
	return s.Store.ListingGrounds(ctx, ent.USCC.String())
}

// ResultOf is the published result a spot-check result version states.
func ResultOf(v *Version) *SpotCheckResult {
	v.Fields = v.Body // every field of a result is public
	r := &SpotCheckResult{Draw: stringField(v.Body, "draw"), Enterprise: v.Subject, Name: v.SubjectName,
		Outcome: stringField(v.Body, "outcome"), Checked: stringField(v.Body, "checked"), Version: v}
	r.Ground = resultGround(r.Outcome)
	return r
}

// resultGround is the listing ground a check's outcome finds, 0 if none.
func resultGround(outcome string) int {
	switch outcome {
	case OutcomeFalse:
		return GroundFalseInformation
	case OutcomeUnreachable:
		return GroundUnreachable
	}
	return 0
}
