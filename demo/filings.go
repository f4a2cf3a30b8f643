package demo

import (
	"fmt"

	"github.com/gongshi/gongshi"
)

// FilingStats count the annual reports (Art. 8, 9, 12) and orders to disclose (Art. 10 ¶2)
// Generate wrote.
type FilingStats struct {
	Reports   int `json:"reports"`   // annual reports filed
	Late      int `json:"late"`      // filed after 30 June (补报)
	Paper     int `json:"paper"`     // individual businesses' reports entered by the regulator
	Corrected int `json:"corrected"` // corrected before 30 June of the year filed
	Missing   int `json:"missing"`   // due, window closed, never filed
	Orders    int `json:"orders"`    // orders to disclose issued
	Fulfilled int `json:"fulfilled"` // … fulfilled by the disclosure they asked for
	Lapsed    int `json:"lapsed"`    // … past their deadline before the demo clock, unfulfilled
}

func (s *FilingStats) merge(b *FilingStats) {
	s.Reports += b.Reports
	s.Late += b.Late
	s.Paper += b.Paper
	s.Corrected += b.Corrected
	s.Missing += b.Missing
	s.Orders += b.Orders
	s.Fulfilled += b.Fulfilled
	s.Lapsed += b.Lapsed
}

// count adds what the plan files, corrects, misses and is ordered to the pure counts, and
// the enterprise to its area's count for the finale.
func (x *extra) count(p *plan) {
	x.fs.Missing += int(p.missing)
	if p.n == 0 {
		return
	}
	if p.end < 0 {
		if x.areaN == nil {
			x.areaN = make([]int32, len(p.w.areas))
		}
		x.areaN[p.area]++
	}
	var order int32 = -1
	fulfilled := false
	for i := uint8(0); i < p.n; i++ {
		switch e := &p.evs[i]; {
		case e.op == opAnnualFix:
			x.fs.Corrected++
		case e.op == opOrder:
			order = e.pub
		case e.fulfils:
			fulfilled = true
		}
	}
	if order >= 0 {
		x.fs.Orders++
		switch {
		case fulfilled:
			x.fs.Fulfilled++
		case order+20 < p.until: // ten days, rolled to a working day: long past
			x.fs.Lapsed++
		}
	}
}

// file writes a report or an order.
func (g *gen) file(tx gongshi.Tx, svc *gongshi.Service, u *unit, st *Stats) (*gongshi.Version, error) {
	switch u.op {
	case opAnnual:
		ver, _, err := svc.FileAnnualReportTx(tx, u.actor, u.code, u.filing)
		if err != nil {
			return nil, fmt.Errorf("annual report %d: %w", u.filing.Year, err)
		}
		st.Filings.Reports++
		if !ver.OnTime {
			st.Filings.Late++
		}
		if u.actor.Role == gongshi.RoleRegulator {
			st.Filings.Paper++
		}
		return ver, nil
	default:
		ver, _, err := svc.IssueOrderTx(tx, u.actor, u.code, u.order)
		if err != nil {
			return nil, fmt.Errorf("order: %w", err)
		}
		return ver, nil
	}
}
