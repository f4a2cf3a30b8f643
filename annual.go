package gongshi

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// AnnualReportFiling is what an enterprise files (POST …/annual-reports): the report year
// and the report's fields as its form (AnnualKindFor) describes them. With Draft the report
// is only saved, privately, to be submitted later.
type AnnualReportFiling struct {
	Year   int            `json:"year"`
	Draft  bool           `json:"draft,omitempty"`
	Fields map[string]any `json:"fields"`
}

// AnnualReport is a filed report as a caller may see it: the filing and its record, every
// version (corrections included) presented by the one visibility path.
type AnnualReport struct {
	ReportFiling
	// CorrectableUntil is the last day a correction is accepted (Art. 12: 30 June of the
	// year the report was filed); a late report can no longer be corrected.
	CorrectableUntil string  `json:"correctable_until"`
	Record           *Record `json:"report"`
	// Fields are the latest version's fields as the caller may see them.
	Fields map[string]any `json:"fields"`
}

// FileAnnualReport files an enterprise's annual report for a year (Art. 8, 9), or saves it
// as a draft. Art. 8: the report for year Y is filed from 1 January to 30 June of Y+1; a
// later filing is accepted and marked late (补报). A second report for the same year is
// ECONFLICT: a filed report is corrected, not filed again (Art. 12). A regulator may enter
// the paper report of an individual business in its jurisdiction (SPEC §11).
func (s *Disclosure) FileAnnualReport(ctx context.Context, actor *Account, code string, in AnnualReportFiling) (ver *Version, draft *AnnualReportDraft, err error) {
	// Everything is checked on a read of the enterprise before the sequencer is taken, which
	// then only seals and stores: the last week of June is the peak (SPEC §14). A
	// registration change committed in between is ordered before the filing; the filing
	// is judged on the enterprise as read (its type, date of establishment, name).
	ent, err := s.Store.EnterpriseByCode(ctx, code)
	if err != nil {
		return nil, nil, err
	}
	pre, err := s.prepareFiling(ent, actor, in, calendar.DateOf(s.Clock.Now()))
	if e := AsError(err); e != nil && e.Code == EINVALID && strings.HasPrefix(e.Field, "fields") && !in.Draft {
		// A second report is refused as such, whatever it holds: a correction is the way.
		if c := s.alreadyFiled(ctx, ent, in.Year); c != nil {
			return nil, nil, c
		}
	}
	if err != nil {
		return nil, nil, err
	}
	err = s.Store.Write(ctx, func(tx Tx) error {
		p := pre
		if today := calendar.DateOf(tx.Now()); today != pre.today {
			// The batch runs on the next day: judge the filing on that day.
			var err error
			if p, err = s.prepareFiling(ent, actor, in, today); err != nil {
				return err
			}
		}
		ver, draft, err = s.fileTx(tx, actor, in, p)
		return err
	})
	return ver, draft, err
}

// FileAnnualReportTx is FileAnnualReport inside a write transaction.
func (s *Disclosure) FileAnnualReportTx(tx Tx, actor *Account, code string, in AnnualReportFiling) (*Version, *AnnualReportDraft, error) {
	ent, err := tx.EnterpriseByCode(code)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.prepareFiling(ent, actor, in, calendar.DateOf(tx.Now()))
	if err != nil {
		return nil, nil, err
	}
	return s.fileTx(tx, actor, in, p)
}

// preparedFiling is a filing checked against the enterprise it is for.
type preparedFiling struct {
	ent   *Enterprise
	today calendar.Date
	kind  *Kind
	body  map[string]any // nil for a draft
	paper bool
}

// prepareFiling checks a filing: who files, the year, and the report itself.
func (s *Disclosure) prepareFiling(ent *Enterprise, actor *Account, in AnnualReportFiling, today calendar.Date) (*preparedFiling, error) {
	p := &preparedFiling{ent: ent, today: today, kind: AnnualKindFor(ent)}
	var err error
	if p.paper, err = mayFile(actor, ent); err != nil {
		return nil, err
	}
	if err := s.checkReportYear(in.Year, ent, today); err != nil {
		return nil, err
	}
	if in.Draft {
		if p.paper {
			return nil, Invalid("draft", "a paper report is entered, not drafted", "leave draft out")
		}
		return p, nil
	}
	if p.body, err = reportBody(p.kind, in, p.paper); err != nil {
		return nil, err
	}
	if err := p.kind.check(p.body, ent, today); err != nil {
		return nil, prefixField(err, "fields")
	}
	return p, nil
}

// fileTx saves the draft or publishes the report of a prepared filing.
func (s *Disclosure) fileTx(tx Tx, actor *Account, in AnnualReportFiling, p *preparedFiling) (*Version, *AnnualReportDraft, error) {
	ent, k := p.ent, p.kind
	if in.Draft {
		d := &AnnualReportDraft{USCC: ent.USCC.String(), Year: in.Year, Fields: in.Fields, SavedAt: tx.Now(), SavedBy: actor.ID}
		if d.Fields == nil {
			d.Fields = map[string]any{}
		}
		return nil, d, tx.PutAnnualReportDraft(d)
	}
	arose := calendar.MustDate(in.Year+1, 1, 1) // the obligation arises when the window opens
	salt := newSalt()
	id, err := tx.NewRecord(k.Name, ent.USCC.String(), salt)
	if err != nil {
		return nil, nil, err
	}
	ver, err := s.seal(tx, actor, k, ent, id, salt, arose, p.body, "", nil)
	if err != nil {
		return nil, nil, err
	}
	if err := tx.PutAnnualReport(projectFiling(&Record{ID: id, Kind: k.Name, Subject: ent.USCC.String(), Versions: []*Version{ver}})); err != nil {
		if ErrorCode(err) == ECONFLICT {
			return nil, nil, secondReport(ent, in.Year, "")
		}
		return nil, nil, err
	}
	// Orders name instant disclosures only (OrderItems), so a report fulfils none.
	return ver, nil, tx.DeleteAnnualReportDraft(ent.USCC.String(), in.Year)
}

// alreadyFiled returns the conflict of a second report for year, nil if none is filed.
func (s *Disclosure) alreadyFiled(ctx context.Context, ent *Enterprise, year int) error {
	fs, err := s.Store.AnnualReports(ctx, ent.USCC.String())
	if err != nil {
		return nil
	}
	for _, f := range fs {
		if f.Year == year {
			return secondReport(ent, year, f.Filed)
		}
	}
	return nil
}

func secondReport(ent *Enterprise, year int, filed string) error {
	msg := fmt.Sprintf("the annual report for %d is already filed", year)
	if filed != "" {
		msg += " (on " + filed + ")"
	}
	return &Error{Code: ECONFLICT, Field: "year", Message: msg,
		Fix: fmt.Sprintf("correct it: POST /api/v1/enterprises/%s/annual-reports/%d/corrections (Art. 12)", ent.USCC, year)}
}

// mayFile checks who files: the enterprise's own liaison; for an individual business also
// a regulator in scope, entering its paper report (paper is then true).
func mayFile(a *Account, ent *Enterprise) (paper bool, err error) {
	switch {
	case a.Role == RoleEnterprise && a.Enterprise == ent.USCC.String(), a.Role == RoleAdmin:
		return false, nil
	case a.Role == RoleEnterprise:
		return false, &Error{Code: EFORBIDDEN, Field: "code", Message: fmt.Sprintf("this liaison account files for %s, not %s", a.Enterprise, ent.USCC), Fix: "file with the token of the enterprise's own liaison"}
	case a.Role == RoleRegulator && ent.Category == CategoryIndividual && a.Covers(ent.Division):
		return true, nil
	case a.Role == RoleRegulator && ent.Category == CategoryIndividual:
		return false, &Error{Code: EFORBIDDEN, Field: "code", Message: fmt.Sprintf("enterprise %s (division %s) is outside jurisdiction %s", ent.USCC, ent.Division, a.Jurisdiction), Fix: "the regulator of the business's division enters its paper report"}
	}
	return false, &Error{Code: EFORBIDDEN, Field: "code", Message: fmt.Sprintf("%s does not file annual reports for an enterprise (Art. 8); regulators enter paper reports of individual businesses only", withArticle(string(a.Role))), Fix: "file with the enterprise's liaison token"}
}

// checkReportYear checks that a report year has ended and is not before the enterprise's
// first report year (Art. 8: established in Y, it reports from Y+1 on year Y).
func (s *Disclosure) checkReportYear(year int, ent *Enterprise, today calendar.Date) error {
	if year == 0 {
		return Invalid("year", "is required", "give the report year, e.g. "+fmt.Sprint(today.Year()-1))
	}
	if year >= today.Year() {
		return Invalid("year", fmt.Sprintf("the year %d has not ended (today is %s)", year, today), fmt.Sprintf("file the report for %d from 1 January %d", year, year+1))
	}
	est := ent.Established
	if est.IsZero() {
		return nil
	}
	first, _, err := s.Rules.FirstReportYear(est)
	if err != nil && !errors.Is(err, policy.ErrNoEntry) {
		return err
	}
	if year < first {
		return Invalid("year", fmt.Sprintf("the enterprise was established on %s; its first annual report covers %d", ent.Established, first), fmt.Sprintf("file for %d or later", first))
	}
	return nil
}

// reportBody builds and normalises a report body from a filing.
func reportBody(k *Kind, in AnnualReportFiling, paper bool) (map[string]any, error) {
	fs := make(map[string]any, len(in.Fields)+2)
	for n, v := range in.Fields {
		fs[n] = v
	}
	if y, ok := fs["year"]; ok && fmt.Sprint(y) != fmt.Sprint(in.Year) {
		return nil, Invalid("fields.year", fmt.Sprintf("%v differs from the report year %d", y, in.Year), "leave fields.year out; the year is given once, as year")
	}
	if _, ok := fs["paper_entry"]; ok {
		return nil, Invalid("fields.paper_entry", "is set by the register", "leave it out; a report a regulator enters is marked as entered on paper")
	}
	fs["year"] = int64(in.Year)
	if paper {
		fs["paper_entry"] = true
	}
	body, err := k.Normalize(fs)
	if err != nil {
		return nil, prefixField(err, "fields")
	}
	return body, nil
}

// checkAmendment applies the rules of a kind to a new version: an annual report is
// corrected only until 30 June of the year it was filed (Art. 12) and keeps its year; an
// order changes only by its fulfilment; every kind's own check runs.
func (s *Registry) checkAmendment(tx Tx, actor *Account, k *Kind, ent *Enterprise, vs []*Version, body map[string]any) error {
	today := calendar.DateOf(tx.Now())
	switch {
	case k == KindOrder:
		return &Error{Code: ECONFLICT, Field: "record", Message: "an order changes only when the enterprise discloses the ordered item", Fix: "issue a new order if this one was wrong"}
	case k == KindRegistration:
		if stringField(body, "registration_number") != stringField(vs[len(vs)-1].Body, "registration_number") {
			return Invalid("fields.registration_number", "a registration number never changes", "leave it as it is")
		}
	case k.IsAnnual():
		first := vs[0]
		if fmt.Sprint(body["year"]) != fmt.Sprint(first.Body["year"]) {
			return Invalid("fields.year", "the report year cannot be corrected", "correct the report of the right year, or file it")
		}
		if fmt.Sprint(body["paper_entry"]) != fmt.Sprint(first.Body["paper_entry"]) {
			return Invalid("fields.paper_entry", "is set by the register", "leave it out")
		}
		filed := calendar.DateOf(first.PublishedAt)
		due, err := s.Rules.AnnualReportCorrectionDeadline(filed)
		if err != nil && !errors.Is(err, policy.ErrNoEntry) {
			return err
		}
		if err == nil && today.After(due.Date) {
			return &Error{Code: ECONFLICT, Field: "fields", Message: fmt.Sprintf("the %v annual report, filed on %s, could be corrected until %s (Art. 12, %s)", first.Body["year"], filed, due.Date, due.Entry.Ref()),
				Fix: "a report can no longer be corrected after 30 June of the year it was filed; ask the registration authority if the record is wrong"}
		}
	}
	if err := k.check(body, ent, today); err != nil {
		return prefixField(err, "fields")
	}
	return nil
}

// AnnualReport returns an enterprise's report of a year as viewer may see it: item 7 only
// where the enterprise published it or viewer holds its consent (Art. 9).
func (s *Disclosure) AnnualReport(ctx context.Context, viewer *Account, code string, year int) (*AnnualReport, error) {
	code, err := canonicalCode(code)
	if err != nil {
		return nil, err
	}
	p, err := s.page(ctx, viewer, FileQuery{Code: code}, func(r *Record) bool {
		return isAnnualKind(r.Kind) && projectFiling(r).Year == year
	}, AsOf{})
	if err != nil {
		return nil, err
	}
	ent := p.Enterprise
	for _, rec := range p.Records {
		f := projectFiling(rec)
		ar := &AnnualReport{ReportFiling: *f, Record: rec, Fields: rec.Latest().Fields}
		if filed, err := calendar.ParseDate(f.Filed); err == nil {
			if due, err := s.Rules.AnnualReportCorrectionDeadline(filed); err == nil {
				ar.CorrectableUntil = due.Date.String()
			}
		}
		return ar, nil
	}
	return nil, &Error{Code: ENOTFOUND, Field: "year", Message: fmt.Sprintf("%s has filed no annual report for %d", ent.USCC, year), Fix: "see GET /api/v1/enterprises/" + ent.USCC.String() + "/obligations for what is filed and due"}
}

// AnnualReports lists an enterprise's filings (public: that a report was filed, when and
// whether on time, is public information).
func (s *Disclosure) AnnualReports(ctx context.Context, code string) ([]*ReportFiling, error) {
	d, err := s.publicDossier(ctx, code)
	if err != nil {
		return nil, err
	}
	if d.Filings == nil {
		return []*ReportFiling{}, nil
	}
	return d.Filings, nil
}

// CorrectAnnualReport publishes a correction of a filed report (Art. 12): a new version;
// the earlier ones stay published and the new one lists what changed.
func (s *Disclosure) CorrectAnnualReport(ctx context.Context, actor *Account, code string, year int, in Amendment) (*Version, error) {
	ent, err := s.Store.EnterpriseByCode(ctx, strings.ToUpper(strings.TrimSpace(code)))
	if err != nil {
		return nil, err
	}
	if _, err := mayFile(actor, ent); err != nil {
		return nil, err
	}
	fs, err := s.Store.AnnualReports(ctx, ent.USCC.String())
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		if f.Year == year {
			return s.registry.Amend(ctx, actor, f.Record, in)
		}
	}
	return nil, &Error{Code: ENOTFOUND, Field: "year", Message: fmt.Sprintf("no annual report for %d is filed", year), Fix: "file it first: POST /api/v1/enterprises/" + ent.USCC.String() + "/annual-reports"}
}

// AnnualReportDraft returns the enterprise's saved draft of a year: only to its liaison.
func (s *Disclosure) AnnualReportDraft(ctx context.Context, actor *Account, code string, year int) (*AnnualReportDraft, error) {
	ent, err := s.Store.EnterpriseByCode(ctx, strings.ToUpper(strings.TrimSpace(code)))
	if err != nil {
		return nil, err
	}
	if !(actor.Role == RoleEnterprise && actor.Enterprise == ent.USCC.String()) && actor.Role != RoleAdmin {
		return nil, &Error{Code: EFORBIDDEN, Field: "code", Message: "a draft is private to the enterprise's liaison", Fix: "read it with the enterprise's liaison token"}
	}
	return s.Store.AnnualReportDraft(ctx, ent.USCC.String(), year)
}
