package gongshi

import (
	"context"
	"fmt"
)

// FilingCount is how many annual reports for a year were filed on one day in one division.
type FilingCount struct {
	Filed    string `json:"filed"`    // the filing date
	Division string `json:"division"` // the 6-digit division of the enterprises
	Count    int    `json:"count"`
}

// FilingProgress returns the filing of year's annual reports (Art. 8: 1 Jan – 30 Jun of the
// next year, late ones after) per day and division in the actor's jurisdiction, for the
// regulator's progress chart.
func (s *Disclosure) FilingProgress(ctx context.Context, actor *Account, year int) ([]FilingCount, error) {
	if actor == nil || (actor.Role != RoleRegulator && actor.Role != RoleAdmin) {
		return nil, Errorf(EFORBIDDEN, "filing progress is for regulators")
	}
	prefix := ""
	if actor.Role == RoleRegulator {
		prefix = JurisdictionPrefix(actor.Jurisdiction)
	}
	cs, err := s.Store.FilingCounts(ctx, year, prefix)
	if err != nil {
		return nil, fmt.Errorf("filing counts: %w", err)
	}
	return cs, nil
}
