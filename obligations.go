package gongshi

import (
	"context"
	"errors"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// Obligations is what an enterprise owes as of a date and by when (SPEC §4): its annual
// reports (Art. 8) and the orders it has to meet (Art. 10 ¶2), as data for its pages and
// reminders. Instant disclosures (Art. 10) are due 20 working days after a fact only the
// enterprise knows, so they appear here only once a regulator orders them.
type Obligations struct {
	USCC          string             `json:"uscc"`
	AsOf          string             `json:"as_of"`
	AnnualReports []ReportObligation `json:"annual_reports"`
	Orders        []*OrderView       `json:"orders"`
}

// Report obligation states.
const (
	ReportFiled     = "filed"      // filed in its window
	ReportFiledLate = "filed_late" // filed after its window (补报)
	ReportDue       = "due"        // window open, not yet filed
	ReportOverdue   = "overdue"    // window closed, not filed: ground 1 (Art. 17)
)

// ReportObligation is one report year's annual report.
type ReportObligation struct {
	Year   int    `json:"year"`
	Kind   string `json:"kind"`
	Opens  string `json:"opens"`
	Due    string `json:"due"`
	Policy string `json:"policy,omitempty"`
	Status string `json:"status"`
	Filed  string `json:"filed,omitempty"`
	Record string `json:"record,omitempty"`
}

// Obligations returns what the enterprise owes as of asOf: a report for each year from its
// first report year (Art. 8) whose window has opened by asOf, and its orders. Filings and
// fulfilments after asOf are not counted.
func (s *Disclosure) Obligations(ctx context.Context, code string, asOf calendar.Date) (*Obligations, error) {
	d, err := s.publicDossier(ctx, code)
	if err != nil {
		return nil, err
	}
	ent, filings := d.Enterprise, d.Filings
	byYear := map[int]*ReportFiling{}
	for _, f := range filings {
		if f.Filed <= asOf.String() {
			byYear[f.Year] = f
		}
	}
	ob := &Obligations{USCC: ent.USCC.String(), AsOf: asOf.String(), AnnualReports: []ReportObligation{}, Orders: []*OrderView{}}
	est := ent.Established
	if est.IsZero() {
		return nil, Errorf(EINTERNAL, "enterprise %s has no date of establishment", ent.USCC)
	}
	reg := d.Record(ent.Registration)
	k := AnnualKindFor(ent)
	end := ceased(d)
	for y := est.Year(); y < asOf.Year(); y++ {
		w, err := s.Rules.AnnualReportWindow(y, est)
		if errors.Is(err, policy.ErrNoEntry) {
			continue // before the regulation's annual reports (in force 2014-10-01)
		}
		if err != nil {
			return nil, err
		}
		if byYear[y] == nil && reg != nil && !OwesAnnualReport(reg.Versions[0], w.Closes) {
			continue // before the register held its registration (an import without history)
		}
		if !end.IsZero() && !w.Closes.Before(end) && byYear[y] == nil {
			break // it ceased before the window closed: nothing owed (the sweep lists only the operating)
		}
		o := ReportObligation{Year: y, Kind: k.Name, Opens: w.Opens.String(), Due: w.Closes.String(), Policy: w.Entry.Ref()}
		switch f := byYear[y]; {
		case f != nil && f.OnTime:
			o.Status, o.Filed, o.Record = ReportFiled, f.Filed, f.Record
		case f != nil:
			o.Status, o.Filed, o.Record = ReportFiledLate, f.Filed, f.Record
		case asOf.After(w.Closes):
			o.Status = ReportOverdue
		default:
			o.Status = ReportDue
		}
		ob.AnnualReports = append(ob.AnnualReports, o)
	}
	for _, o := range d.Orders {
		if o.Issued > asOf.String() {
			continue
		}
		c := *o
		if c.FulfilledOn > asOf.String() {
			c.FulfilledBy, c.FulfilledOn = "", ""
		}
		ob.Orders = append(ob.Orders, &OrderView{Order: &c, Status: c.Status(asOf)})
	}
	return ob, nil
}

// operating are the registration statuses of an enterprise that owes annual reports and
// is listed for not filing them (Store.NonFilers).
var operating = map[string]bool{"存续": true, "在业": true}

// ceased returns the day an enterprise stopped operating (deregistered 注销, licence
// revoked 吊销, moved out 迁出, suspended 歇业): the arose of the registration version
// that last took its status out of the operating ones; the zero Date while it operates.
func ceased(d *Dossier) calendar.Date {
	if operating[d.Enterprise.Status] {
		return calendar.Date{}
	}
	var end calendar.Date
	was := true
	for _, r := range d.Records {
		if r.Kind != KindRegistration.Name {
			continue
		}
		for _, v := range r.Versions {
			now := operating[stringField(v.Body, "status")]
			if was && !now {
				end = v.Arose
			}
			was = now
		}
	}
	return end
}
