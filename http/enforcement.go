package http

import (
	"net/http"
	"net/url"

	"github.com/gongshi/gongshi"
)

// Enforcement (Art. 17, 18; SPEC §8): the lists, credit checks, listings of an
// enterprise, removal applications, objections and the regulator's decisions on them.

// ListingList is GET /api/v1/enterprises/{code}/listings.
type ListingList struct {
	Entries []*gongshi.ListEntry `json:"entries"`
}

// EnforcementQueue is GET /api/v1/enforcement/queue.
type EnforcementQueue struct {
	Items []*gongshi.QueueItem `json:"items"`
}

func (s *Server) enforcementRoutes() []*route {
	ent := []gongshi.Role{gongshi.RoleEnterprise}
	reg := []gongshi.Role{gongshi.RoleRegulator}
	listQuery := []Param{
		{"division", "Jurisdiction: a division code or prefix (310000 or 31: Shanghai; 310115: Pudong).", patSchema("^[0-9]{1,6}$", 6)},
		{"ground", "Only this ground: 1 annual report, 2 order, 3 false information, 4 unreachable.", intSchema(1, 4)},
		{"as_of", "The list as it stood on this date (default today).", fmtSchema("date", "")},
		{"since", "Only entries listed on or after this date.", fmtSchema("date", "")},
		cursorParam,
		{"limit", "Entries per page, 1–500 (default 50).", intSchema(1, 500)},
	}
	return []*route{
		{Method: "GET", Path: "/api/v1/lists/abnormal", serve: s.listRoute(gongshi.ListAbnormal), Tag: "enforcement",
			Summary:     "The abnormal-operations list (经营异常名录)",
			Description: "Art. 17: enterprises listed on the four grounds of SPEC §8, with the individual businesses marked as in abnormal-operation status (list `marked`), as of a date.",
			Query:       listQuery, Status: 200, Response: "ListPage"},
		{Method: "GET", Path: "/api/v1/lists/serious", serve: s.listRoute(gongshi.ListSerious), Tag: "enforcement",
			Summary:     "The serious-violation list (严重违法企业名单)",
			Description: "Art. 17: enterprises still listed three years after listing, with their legal representative's ban (`ban_until`, last day), as of a date.",
			Query:       listQuery, Status: 200, Response: "ListPage"},
		{Method: "POST", Path: "/api/v1/credit-checks", serve: s.creditCheck, Tag: "enforcement",
			Summary: "Check up to 10,000 enterprises against the lists (Art. 18)",
			Description: "For each code: whether the enterprise may take part (procurement, tendering, land sales, honours) as of `as_of`, and if not every list it is on with ground, authority, since and until. " +
				"Invalid or unknown codes are answered per code. The answer names the signed log checkpoint it was read at, to keep as evidence. With `as_of`, the check reads what was public by the end of that day, as the enterprise page's `as_of` does, and names the log size read (`log_size`). More than 10,000 codes is 400.",
			Request: "CreditCheckRequest", Status: 200, Response: "CreditCheck"},
		{Method: "GET", Path: "/api/v1/credit-checks/{code}", serve: s.creditCheckOne, Tag: "enforcement",
			Summary: "Check one enterprise against the lists (Art. 18)",
			Query:   []Param{{"as_of", "The date to check at (default today).", fmtSchema("date", "")}},
			Status:  200, Response: "CreditCheck"},
		{Method: "GET", Path: "/api/v1/enterprises/{code}/listings", serve: s.listings, Tag: "enforcement",
			Summary: "Every listing, marking and serious listing of an enterprise, with since and until",
			Status:  200, Response: "ListingList"},
		{Method: "POST", Path: "/api/v1/enterprises/{code}/removal-applications", serve: s.caseRoute(gongshi.CaseRemoval), Auth: true, Roles: ent, Tag: "enforcement",
			Summary: "Apply for removal after curing the ground",
			Description: "SAIC Order 68: the enterprise's liaison applies once the ground is cured; the regulator decides within 5 working days (individual businesses: restoration, 5 working days). " +
				"`cure` says what the register itself sees (every missing report filed, the ordered item disclosed, the address changed). " +
				"From 2021-09-01 this removal is also the credit repair of an abnormal listing or marking (SAMR Repair, 国市监信规〔2021〕3号). " +
				"A serious listing is removed early only through POST /api/v1/enterprises/{code}/early-removals (SAMR Order 44): its case is decided here as refused.",
			Request: "CaseInput", Status: 201, Response: "EnforcementCase", Errors: []int{409}},
		{Method: "POST", Path: "/api/v1/enterprises/{code}/objections", serve: s.caseRoute(gongshi.CaseObjection), Auth: true, Roles: ent, Tag: "enforcement",
			Summary:     "Object to a listing",
			Description: "SAIC Order 68 Art. 13: within 30 days of the listing (409 after); accepted or not within 5 working days (the case's `due` until then), verified and answered in writing within 20 working days of the acceptance.",
			Request:     "CaseInput", Status: 201, Response: "EnforcementCase", Errors: []int{409}},
		{Method: "POST", Path: "/api/v1/enforcement-cases/{id}/decision", serve: s.decideCase, Auth: true, Roles: reg, Tag: "enforcement",
			Summary: "Decide a removal application or an objection, in writing",
			Description: "The regulator in scope publishes its written decision: `removed` or `refused` for an application. An objection is decided twice (SAIC Order 68 Art. 13): " +
				"first `accepted` or `not_accepted` (the objection_acceptance record, due 5 working days from its receipt; not accepted: the answer says why), " +
				"then, once accepted, `rejected` or `upheld` (objection_answer, due 20 working days from the acceptance); another order is 409. " +
				"An upheld objection corrects the listing: its record gets a new version marked void and it is off the list from the start.",
			Request: "CaseDecision", Status: 201, Response: "CaseDecided", Errors: []int{409}},
		{Method: "GET", Path: "/api/v1/enforcement-cases/{id}", serve: s.enforcementCase, Auth: true, Roles: []gongshi.Role{gongshi.RoleEnterprise, gongshi.RoleRegulator}, Tag: "enforcement",
			Summary:     "A removal application or objection, as its enterprise and regulator follow it",
			Description: "Its state (`pending`; an objection `accepted` under SAIC Order 68 Art. 13; `decided`), the due date of the next decision and the policy entry it comes from, and the record of the last decision (the acceptance notice, the answer).",
			Status:      200, Response: "EnforcementCase"},
		{Method: "GET", Path: "/api/v1/enforcement/queue", serve: s.enforcementQueue, Auth: true, Roles: reg, Tag: "enforcement",
			Summary: "The regulator's work queue: applications and objections awaiting a decision, by due date, overdue ones marked",
			Status:  200, Response: "EnforcementQueue"},
	}
}

func (s *Server) listRoute(list string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		page, err := s.Service.List(r.Context(), gongshi.ListInput{List: list, Division: q.Get("division"), Ground: q.Get("ground"),
			AsOf: q.Get("as_of"), Since: q.Get("since"), Cursor: q.Get("cursor"), Limit: q.Get("limit")})
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, page)
		return nil
	}
}

func (s *Server) creditCheck(w http.ResponseWriter, r *http.Request) error {
	var in gongshi.CreditCheckRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	cc, err := s.Service.CreditCheck(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cc)
	return nil
}

// creditCheckOne checks one enterprise. Unlike a batch, whose answer says per code which
// codes are invalid, a code that is not one is the request's error (400).
func (s *Server) creditCheckOne(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	cc, err := s.Service.CreditCheck(r.Context(), gongshi.CreditCheckRequest{AsOf: r.URL.Query().Get("as_of"), Codes: []string{code}})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cc)
	return nil
}

func (s *Server) listings(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	es, err := s.Service.EnterpriseListings(r.Context(), code)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &ListingList{Entries: es})
	return nil
}

func (s *Server) enforcementCase(w http.ResponseWriter, r *http.Request) error {
	c, err := s.Service.EnforcementCaseOf(r.Context(), accountFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) caseRoute(kind string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		code, err := pathCode(r)
		if err != nil {
			return err
		}
		var in gongshi.CaseInput
		if err := decode(r, &in); err != nil {
			return err
		}
		var c *gongshi.EnforcementCase
		if kind == gongshi.CaseRemoval {
			c, err = s.Service.ApplyForRemoval(r.Context(), accountFrom(r.Context()), code, in)
		} else {
			c, err = s.Service.Object(r.Context(), accountFrom(r.Context()), code, in)
		}
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/enforcement-cases/"+url.PathEscape(c.ID))
		writeJSON(w, http.StatusCreated, c)
		return nil
	}
}

func (s *Server) decideCase(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id") // digits: pathParams
	var in gongshi.CaseDecision
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.Service.DecideCase(r.Context(), accountFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	return created(w, d.Version.Record, d)
}

func (s *Server) enforcementQueue(w http.ResponseWriter, r *http.Request) error {
	items, err := s.Service.EnforcementQueue(r.Context(), accountFrom(r.Context()))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &EnforcementQueue{Items: items})
	return nil
}
