package main

import (
	"fmt"
	"io"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// dueInput is what "gongshi policy due" was given.
type dueInput struct {
	date        calendar.Date
	established calendar.Date
	year        int
	population  int
}

// dueKind is one kind of due date "gongshi policy due" computes.
type dueKind struct {
	name, help string
	run        func(w io.Writer, r policy.Rules, in dueInput) error
}

// simpleDue is a kind whose due date is a function of DATE alone.
func simpleDue(name, help string, f func(r policy.Rules, d calendar.Date) (policy.Due, error)) dueKind {
	return dueKind{name, help, func(w io.Writer, r policy.Rules, in dueInput) error {
		due, err := f(r, in.date)
		if err != nil {
			return err
		}
		printDue(w, "due", due)
		return nil
	}}
}

var dueKinds = []dueKind{
	simpleDue("disclosure.regulator", "DATE information arose: regulator publishes by (Art. 6)", func(r policy.Rules, d calendar.Date) (policy.Due, error) { return r.DisclosureDue(policy.Regulator, d) }),
	simpleDue("disclosure.department", "DATE information arose: department publishes by (Art. 7)", func(r policy.Rules, d calendar.Date) (policy.Due, error) {
		return r.DisclosureDue(policy.Department, d)
	}),
	simpleDue("disclosure.enterprise", "DATE information arose: enterprise discloses by (Art. 10)", func(r policy.Rules, d calendar.Date) (policy.Due, error) {
		return r.DisclosureDue(policy.Enterprise, d)
	}),
	simpleDue("order", "DATE order issued: the order's deadline", policy.Rules.OrderDeadline),
	{"annual-report", "DATE filed [--year N] [--established DATE]: the window and whether on time (Art. 8)", runAnnualReportDue},
	{"first-report", "DATE established: the first report year and its window (Art. 8)", runFirstReportDue},
	simpleDue("annual-correction", "DATE report filed: last day to correct it (Art. 12)", policy.Rules.AnnualReportCorrectionDeadline),
	simpleDue("case.report", "DATE received: answer a report by (Art. 13)", func(r policy.Rules, d calendar.Date) (policy.Due, error) { return r.CaseDue(policy.Report, d) }),
	simpleDue("case.inquiry", "DATE received: answer an inquiry by (Art. 13)", func(r policy.Rules, d calendar.Date) (policy.Due, error) { return r.CaseDue(policy.Inquiry, d) }),
	simpleDue("case.correction", "DATE received: answer a correction request by (Art. 12, 13)", func(r policy.Rules, d calendar.Date) (policy.Due, error) {
		return r.CaseDue(policy.CorrectionRequest, d)
	}),
	simpleDue("listing.1", "DATE window closed (30 Jun): listing decision by, ground 1", listingDue(policy.GroundAnnualReport)),
	simpleDue("listing.2", "DATE order deadline: listing decision by, ground 2", listingDue(policy.GroundOrder)),
	simpleDue("listing.3", "DATE falsification verified: listing decision by, ground 3", listingDue(policy.GroundFalsified)),
	simpleDue("listing.4", "DATE unreachability verified: listing decision by, ground 4", listingDue(policy.GroundUnreachable)),
	simpleDue("removal", "DATE removal applied for: decision by", policy.Rules.RemovalDecisionDue),
	simpleDue("objection", "DATE listed: last day to object", policy.Rules.ObjectionDeadline),
	simpleDue("objection.accept", "DATE objection received: accept or refuse by", policy.Rules.ObjectionAcceptDue),
	simpleDue("objection.verify", "DATE objection accepted: verify and answer by", policy.Rules.ObjectionVerifyDue),
	simpleDue("correction", "DATE wrong listing or removal found: correct by", policy.Rules.CorrectionDue),
	simpleDue("warning", "DATE listed: publish the warning on", policy.Rules.WarningDate),
	simpleDue("escalation", "DATE listed: third anniversary (Art. 17)", policy.Rules.EscalationDate),
	simpleDue("serious-listing", "DATE listed: serious-listing decision by", policy.Rules.SeriousListingDue),
	simpleDue("serious-removal", "DATE removal applied for: serious-list removal decision by", policy.Rules.SeriousRemovalDecisionDue),
	simpleDue("serious-automatic-removal", "DATE serious-listed: removed automatically on", policy.Rules.SeriousAutomaticRemoval),
	simpleDue("ban-end", "DATE serious-listed: last day of the legal-representative ban (Art. 17)", policy.Rules.BanEnd),
	simpleDue("penalty-display", "DATE published: last day a penalty is shown", func(r policy.Rules, d calendar.Date) (policy.Due, error) {
		return r.PenaltyDisplayEnd(policy.StandardPenalty, d)
	}),
	simpleDue("penalty-display.minor", "DATE published: last day a criticism or small fine is shown", func(r policy.Rules, d calendar.Date) (policy.Due, error) {
		return r.PenaltyDisplayEnd(policy.MinorPenalty, d)
	}),
	simpleDue("restoration", "DATE individual business applied: restored by", policy.Rules.RestorationDue),
	simpleDue("simple-deregistration", "DATE notice published: last day of the simplified-deregistration notice (objections until then)", policy.Rules.SimpleDeregistrationNotice),
	simpleDue("review", "DATE decision notified: last day to apply for administrative review", policy.Rules.ReviewDeadline),
	simpleDue("litigation", "DATE decision notified: last day to sue", policy.Rules.LitigationDeadline),
	{"spot-check", "DATE of the draw --population N: minimum sample (3%)", runSpotCheckDue},
}

func findDueKind(name string) (dueKind, bool) {
	for _, k := range dueKinds {
		if k.name == name {
			return k, true
		}
	}
	return dueKind{}, false
}

func listingDue(g policy.Ground) func(policy.Rules, calendar.Date) (policy.Due, error) {
	return func(r policy.Rules, d calendar.Date) (policy.Due, error) { return r.ListingDecisionDue(g, d) }
}

func runAnnualReportDue(w io.Writer, r policy.Rules, in dueInput) error {
	year := in.year
	if year == 0 {
		year = in.date.Year() - 1
	}
	win, err := r.AnnualReportWindow(year, in.established)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "report    %d\n", win.ReportYear)
	fmt.Fprintf(w, "window    %s to %s\n", win.Opens, win.Closes)
	fmt.Fprintf(w, "filed     %s: %s\n", in.date, win.Timeliness(in.date))
	printEntry(w, win.Entry)
	return nil
}

func runFirstReportDue(w io.Writer, r policy.Rules, in dueInput) error {
	year, _, err := r.FirstReportYear(in.date)
	if err != nil {
		return err
	}
	win, err := r.AnnualReportWindow(year, in.date)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "report    %d (first)\n", year)
	fmt.Fprintf(w, "window    %s to %s\n", win.Opens, win.Closes)
	printEntry(w, win.Entry)
	return nil
}

func runSpotCheckDue(w io.Writer, r policy.Rules, in dueInput) error {
	if in.population < 0 {
		return fmt.Errorf("spot-check needs --population N")
	}
	n, e, err := r.SpotCheckMinimum(in.population, in.date)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "minimum   %d of %d\n", n, in.population)
	printEntry(w, e)
	return nil
}
