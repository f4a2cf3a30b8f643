package http

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// The enterprise's own disclosures (Art. 8–12): annual reports, corrections, orders,
// obligations and consents.

// ReportFilingList is GET /api/v1/enterprises/{code}/annual-reports.
type ReportFilingList struct {
	Filings []*gongshi.ReportFiling `json:"filings"`
}

// OrderIssued answers an order: its state and its record's first version.
type OrderIssued struct {
	Order   *gongshi.Order   `json:"order"`
	Version *gongshi.Version `json:"version"`
}

// OrderList is GET /api/v1/enterprises/{code}/orders.
type OrderList struct {
	Orders []*gongshi.OrderView `json:"orders"`
}

// ConsentList is GET /api/v1/consents.
type ConsentList struct {
	Consents []*gongshi.Consent `json:"consents"`
}

// ConsentViewList is GET /api/v1/consent-views.
type ConsentViewList struct {
	Views []*gongshi.ConsentView `json:"views"`
}

func (s *Server) disclosureRoutes() []*route {
	ent := []gongshi.Role{gongshi.RoleEnterprise}
	filers := []gongshi.Role{gongshi.RoleEnterprise, gongshi.RoleRegulator}
	return []*route{
		{Method: "POST", Path: "/api/v1/enterprises/{code}/annual-reports", serve: s.fileAnnualReport, Auth: true, Roles: filers, Tag: "disclosure",
			Summary: "File an annual report",
			Description: "Art. 8, 9: the enterprise files its report for a year that has ended, from 1 January to 30 June of the next year; later it is accepted and marked late (补报). " +
				"The form is the enterprise's (Fields.annual_report, Fields.annual_report_individual or Fields.annual_report_cooperative); item 7 is public only where `fields.publish` says so. " +
				"With `\"draft\": true` the report is saved privately (answered as an AnnualReportDraft) and published only when filed. " +
				"A second report for a year is 409: correct it instead. A regulator enters the paper report of an individual business in its jurisdiction.",
			Request: "AnnualReportFiling", Status: 201, Response: "AnnualReportFiled", Errors: []int{409}},
		{Method: "GET", Path: "/api/v1/enterprises/{code}/annual-reports", serve: s.annualReports, Tag: "disclosure",
			Summary: "The annual reports an enterprise has filed",
			Status:  200, Response: "ReportFilingList"},
		{Method: "GET", Path: "/api/v1/enterprises/{code}/annual-reports/{year}", serve: s.annualReport, Tag: "disclosure",
			Summary:     "An annual report",
			Description: "The report with every version (corrections included). Item 7 fields appear only where the enterprise published them, or to a caller holding its consent (every such view is recorded), to the enterprise itself and to regulators in scope.",
			Status:      200, Response: "AnnualReport"},
		{Method: "GET", Path: "/api/v1/enterprises/{code}/annual-reports/{year}/draft", serve: s.annualReportDraft, Auth: true, Roles: ent, Tag: "disclosure",
			Summary: "The saved draft of an annual report", Description: "Private to the enterprise's liaison.",
			Status: 200, Response: "AnnualReportDraft"},
		{Method: "POST", Path: "/api/v1/enterprises/{code}/annual-reports/{year}/corrections", serve: s.correctAnnualReport, Auth: true, Roles: filers, Tag: "disclosure",
			Summary:     "Correct an annual report",
			Description: "Art. 12: a new version, accepted until 30 June of the year the report was filed (409 after). Both versions stay published, the new one with what changed. Same as POST /api/v1/records/{id}/versions on the report's record.",
			Request:     "Amendment", Status: 201, Response: "Version", Errors: []int{409}},
		{Method: "POST", Path: "/api/v1/enterprises/{code}/orders", serve: s.issueOrder, Auth: true, Roles: []gongshi.Role{gongshi.RoleRegulator}, Tag: "disclosure",
			Summary:     "Order an enterprise to disclose",
			Description: "Art. 10 ¶2: a regulator in scope orders the enterprise to disclose an item of Art. 10 within the policy's period (10 days). The enterprise's next disclosure of that item fulfils it; unfulfilled past the deadline, it lapses (ground 2 of the abnormal list).",
			Request:     "OrderInput", Status: 201, Response: "OrderIssued"},
		{Method: "GET", Path: "/api/v1/enterprises/{code}/orders", serve: s.orders, Tag: "disclosure",
			Summary: "The orders issued to an enterprise, with their state today",
			Status:  200, Response: "OrderList"},
		{Method: "GET", Path: "/api/v1/enterprises/{code}/obligations", serve: s.obligations, Tag: "disclosure",
			Summary:     "What an enterprise owes and by when",
			Description: "Its annual reports from its first report year (filed, filed late, due, overdue) and its orders (open, fulfilled, lapsed) as of a date.",
			Query:       []Param{{"as_of", "The date to judge at (default today).", fmtSchema("date", "")}},
			Status:      200, Response: "Obligations"},
		{Method: "POST", Path: "/api/v1/consents", serve: s.grantConsent, Auth: true, Roles: ent, Tag: "disclosure",
			Summary:     "Give consent to see non-public items",
			Description: "Art. 9: the enterprise lets a named account see named non-public items (GET /api/v1/kinds shows which fields are non-public) from a date until a date. A party without an account (a bank, a citizen) is named in party instead: the answer's code, shown once, is its bearer token for reads while the consent is active, and every view it makes is recorded like any other.",
			Request:     "ConsentGrant", Status: 201, Response: "Consent"},
		{Method: "GET", Path: "/api/v1/consents", serve: s.consents, Auth: true, Roles: ent, Tag: "disclosure",
			Summary: "The consents the enterprise has given",
			Status:  200, Response: "ConsentList"},
		{Method: "DELETE", Path: "/api/v1/consents/{consent}", serve: s.revokeConsent, Auth: true, Roles: ent, Tag: "disclosure",
			Summary: "Revoke a consent", Description: "It ends at once; views made under it stay recorded.",
			Status: 200, Response: "Consent", Errors: []int{409}},
		{Method: "GET", Path: "/api/v1/consent-views", serve: s.consentViews, Auth: true, Roles: ent, Tag: "disclosure",
			Summary: "Every view made under the enterprise's consents", Description: "Art. 9: who saw which items of which record, and when.",
			Status: 200, Response: "ConsentViewList"},
	}
}

func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < 1 || y > 9999 {
		return 0, gongshi.Invalid("year", strconv.Quote(r.PathValue("year"))+" is not a year", "give the report year, e.g. 2025")
	}
	return y, nil
}

func (s *Server) fileAnnualReport(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	var in gongshi.AnnualReportFiling
	if err := decode(r, &in); err != nil {
		return err
	}
	ver, draft, err := s.Service.FileAnnualReport(r.Context(), accountFrom(r.Context()), code, in)
	if err != nil {
		return err
	}
	loc := fmt.Sprintf("/api/v1/enterprises/%s/annual-reports/%d", url.PathEscape(code), in.Year)
	if draft != nil {
		w.Header().Set("Location", loc+"/draft")
		writeJSON(w, http.StatusCreated, draft)
		return nil
	}
	w.Header().Set("Location", loc)
	writeJSON(w, http.StatusCreated, ver)
	return nil
}

func (s *Server) annualReports(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	fs, err := s.Service.AnnualReports(r.Context(), code)
	if err != nil {
		return err
	}
	if fs == nil {
		fs = []*gongshi.ReportFiling{}
	}
	writeJSON(w, http.StatusOK, &ReportFilingList{Filings: fs})
	return nil
}

func (s *Server) annualReport(w http.ResponseWriter, r *http.Request) error {
	code, year, err := pathCodeYear(r)
	if err != nil {
		return err
	}
	ar, err := s.Service.AnnualReport(r.Context(), accountFrom(r.Context()), code, year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ar)
	return nil
}

func (s *Server) annualReportDraft(w http.ResponseWriter, r *http.Request) error {
	code, year, err := pathCodeYear(r)
	if err != nil {
		return err
	}
	d, err := s.Service.AnnualReportDraft(r.Context(), accountFrom(r.Context()), code, year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) correctAnnualReport(w http.ResponseWriter, r *http.Request) error {
	code, year, err := pathCodeYear(r)
	if err != nil {
		return err
	}
	var in gongshi.Amendment
	if err := decode(r, &in); err != nil {
		return err
	}
	ver, err := s.Service.CorrectAnnualReport(r.Context(), accountFrom(r.Context()), code, year, in)
	if err != nil {
		return err
	}
	return created(w, ver.Record, ver)
}

func (s *Server) issueOrder(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	var in gongshi.OrderInput
	if err := decode(r, &in); err != nil {
		return err
	}
	ver, o, err := s.Service.IssueOrder(r.Context(), accountFrom(r.Context()), code, in)
	if err != nil {
		return err
	}
	return created(w, ver.Record, &OrderIssued{Order: o, Version: ver})
}

func (s *Server) orders(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	list, err := s.Service.Orders(r.Context(), code)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*gongshi.OrderView{}
	}
	writeJSON(w, http.StatusOK, &OrderList{Orders: list})
	return nil
}

func (s *Server) obligations(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	asOf := calendar.DateOf(s.Service.Clock.Now())
	if q := r.URL.Query().Get("as_of"); q != "" {
		d, err := calendar.ParseDate(q)
		if err != nil {
			return gongshi.Invalid("as_of", strconv.Quote(q)+" is not a date", "write it as YYYY-MM-DD, or leave it out for today")
		}
		asOf = d
	}
	ob, err := s.Service.Obligations(r.Context(), code, asOf)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ob)
	return nil
}

func (s *Server) grantConsent(w http.ResponseWriter, r *http.Request) error {
	var in gongshi.ConsentGrant
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.Service.GrantConsent(r.Context(), accountFrom(r.Context()), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/consents/"+url.PathEscape(c.ID))
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) consents(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.Service.Consents(r.Context(), accountFrom(r.Context()))
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []*gongshi.Consent{}
	}
	writeJSON(w, http.StatusOK, &ConsentList{Consents: cs})
	return nil
}

func (s *Server) revokeConsent(w http.ResponseWriter, r *http.Request) error {
	c, err := s.Service.RevokeConsent(r.Context(), accountFrom(r.Context()), r.PathValue("consent"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) consentViews(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.Service.ConsentViews(r.Context(), accountFrom(r.Context()))
	if err != nil {
		return err
	}
	if vs == nil {
		vs = []*gongshi.ConsentView{}
	}
	writeJSON(w, http.StatusOK, &ConsentViewList{Views: vs})
	return nil
}

// pathCodeYear reads the {code} and {year} of a report route.
func pathCodeYear(r *http.Request) (string, int, error) {
	code, err := pathCode(r)
	if err != nil {
		return "", 0, err
	}
	year, err := pathYear(r)
	return code, year, err
}
