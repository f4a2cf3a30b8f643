package gongshi

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gongshi/gongshi/calendar"
)

// DrawPopulation is what a draw plan would draw from: the size of its population today and
// the smallest sample the policy allows for it (SAIC Order 67: 3%), so that a regulator
// sees the minimum before planning (SPEC §6).
type DrawPopulation struct {
	Jurisdiction string `json:"jurisdiction"`
	Count        int    `json:"count"`
	Minimum      int    `json:"minimum"`
	Policy       string `json:"policy"`
}

var errPreview = errors.New("preview: undone")

// PreviewDraw counts the population of a plan and gives its minimum sample, checking the
// plan's jurisdiction and stratum as PlanDraw does. It reads in a write transaction that
// it then undoes (the population is read as PlanDraw reads it) and publishes nothing.
func (s *SpotChecks) PreviewDraw(ctx context.Context, actor *Account, in DrawPlan) (*DrawPopulation, error) {
	if actor.Role != RoleRegulator && actor.Role != RoleAdmin {
		return nil, Errorf(EFORBIDDEN, "spot checks are drawn by market regulators (Art. 14); this account is %s", withArticle(string(actor.Role)))
	}
	j := strings.TrimSpace(in.Jurisdiction)
	if j == "" {
		j = actor.Jurisdiction
	}
	if len(j) != 6 || strings.Trim(j, "0123456789") != "" {
		return nil, Invalid("jurisdiction", fmt.Sprintf("%q is not a 6-digit division code", j), "give e.g. 310115, or leave it out for your own jurisdiction")
	}
	if !actor.Covers(j) {
		return nil, &Error{Code: EFORBIDDEN, Field: "jurisdiction", Message: fmt.Sprintf("%s is outside your jurisdiction %s", j, actor.Jurisdiction), Fix: "draw in your own jurisdiction"}
	}
	prefix := JurisdictionPrefix(j)
	if err := checkStratum(in.Stratum, prefix); err != nil {
		return nil, err
	}
	out := &DrawPopulation{Jurisdiction: j}
	err := s.Store.Write(ctx, func(tx Tx) error {
		codes, err := tx.PopulationCodes(prefix, in.Stratum)
		if err != nil {
			return err
		}
		minimum, entry, err := s.Rules.SpotCheckMinimum(len(codes), calendar.DateOf(tx.Now()))
		if err != nil {
			return err
		}
		out.Count, out.Minimum, out.Policy = len(codes), minimum, entry.Ref()
		return errPreview
	})
	if err != nil && !errors.Is(err, errPreview) {
		return nil, err
	}
	return out, nil
}
