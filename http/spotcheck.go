package http

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// Spot checks by verifiable lottery (Art. 14, 15) and cases (Art. 12, 13).

// DrawList is GET /api/v1/draws.
type DrawList struct {
	Draws []*gongshi.Draw `json:"draws"`
}

// ResultList is GET /api/v1/draws/{draw}/results.
type ResultList struct {
	Results []*gongshi.SpotCheckResult `json:"results"`
}

// Roster is GET /api/v1/inspectors.
type Roster struct {
	Inspectors []*gongshi.InspectorEntry `json:"inspectors"`
}

// InspectorRequest adds an account to the roster.
type InspectorRequest struct {
	Account string `json:"account"`
}

// CaseList is GET /api/v1/cases: the regulator's queue.
type CaseList struct {
	Cases []*gongshi.Case `json:"cases"`
}

// GroundList is GET /api/v1/enterprises/{code}/listing-grounds.
type GroundList struct {
	Grounds []*gongshi.ListingGround `json:"grounds"`
}

// Empty is the body of an action that needs no input: {}.
type Empty struct{}

func init() {
	pathParams["draw"] = Param{"draw", "A draw's number, e.g. D2026-310115-0001.", patSchema("^D[0-9]{4}-[0-9]{6}-[0-9]{4,}$", 40)}
	pathParams["number"] = Param{"number", "A case's number, e.g. J2026-310115-000123.", patSchema("^J[0-9]{4}-[0-9]{6}-[0-9]{6,}$", 40)}
	pathParams["account"] = Param{"account", "An inspector's account id.", schema{"type": "string", "maxLength": 64}}
}

func (s *Server) spotCheckRoutes() []*route {
	reg := []gongshi.Role{gongshi.RoleRegulator}
	handlers := []gongshi.Role{gongshi.RoleRegulator, gongshi.RoleDepartment} // cases about a department's record go to it
	text := "text/plain; charset=utf-8"
	return []*route{
		{Method: "GET", Path: "/api/v1/inspectors", serve: s.roster, Auth: true, Roles: reg, Tag: "spot checks",
			Summary: "The inspector roster of the caller's jurisdiction", Description: "Regulator accounts on the roster and the conflicts of interest they declared.",
			Status: 200, Response: "Roster"},
		{Method: "POST", Path: "/api/v1/inspectors", serve: s.addInspector, Auth: true, Roles: []gongshi.Role{gongshi.RoleRegulator, gongshi.RoleAdmin}, Tag: "spot checks",
			Summary: "Put a regulator account on the inspector roster", Request: "InspectorRequest", Status: 201, Response: "Inspector"},
		{Method: "POST", Path: "/api/v1/inspectors/{account}/conflicts", serve: s.declareConflict, Auth: true, Roles: reg, Tag: "spot checks",
			Summary:     "Declare a conflict of interest",
			Description: "The inspector, or a regulator over its jurisdiction, declares a conflict with an enterprise: no later draw assigns the inspector to it. Conflicts are part of the published roster text.",
			Request:     "Conflict", Status: 201, Response: "Conflict"},
		{Method: "GET", Path: "/api/v1/draws", serve: s.draws, Tag: "spot checks",
			Summary: "Spot-check draws", Query: []Param{{"jurisdiction", "Only draws inside this 6-digit division code.", patSchema("^[0-9]{6}$", 6)}},
			Status: 200, Response: "DrawList"},
		{Method: "POST", Path: "/api/v1/draws", serve: s.planDraw, Auth: true, Roles: reg, Tag: "spot checks",
			Summary:     "Plan a draw: commit to its population, roster and seed",
			Description: "Takes the population (all enterprises of the jurisdiction, or a stratum of them) and the roster, makes a secret seed and publishes a log leaf committing to their digests and to SHA-256 of the seed, pinned to the log's size and root. A sample below the policy minimum (3%) is refused. The algorithm is specified in package draw.",
			Request:     "DrawPlan", Status: 201, Response: "Draw"},
		{Method: "GET", Path: "/api/v1/draws/{draw}", serve: s.draw, Tag: "spot checks",
			Summary:     "A draw: population checkpoint, seed commitment, seed, result digest",
			Description: "The seed appears once drawn. `versions` locate the plan's and the draw's log leaves and documents.",
			Status:      200, Response: "Draw"},
		{Method: "POST", Path: "/api/v1/draws/{draw}/run", serve: s.runDraw, Auth: true, Roles: reg, Tag: "spot checks",
			Summary:     "Run a planned draw: reveal the seed, publish the selection and assignments",
			Description: "Body: {}. Selects the sample and assigns at least two inspectors without a declared conflict to each selected enterprise, load spread evenly, by the published algorithm.",
			Request:     "Empty", Status: 200, Response: "Draw", Errors: []int{409}},
		{Method: "GET", Path: "/api/v1/draws/{draw}/population", serve: s.drawText("population"), Tag: "spot checks",
			Summary:     "The population text",
			Description: "The codes in ascending order, one per line; its SHA-256 is the draw's population_sha256 (`sha256sum`).",
			Status:      200, ContentType: text},
		{Method: "GET", Path: "/api/v1/draws/{draw}/roster", serve: s.drawText("roster"), Tag: "spot checks",
			Summary:     "The roster text",
			Description: "One line per inspector: its id, then a tab and a code for each declared conflict; its SHA-256 is roster_sha256.",
			Status:      200, ContentType: text},
		{Method: "GET", Path: "/api/v1/draws/{draw}/result", serve: s.drawText("result"), Tag: "spot checks",
			Summary:     "The result text: selection and inspectors",
			Description: "One line per selected enterprise in rank order: rank, code and inspectors, tab-separated; its SHA-256 is result_sha256. 404 before the draw.",
			Status:      200, ContentType: text},
		{Method: "GET", Path: "/api/v1/draws/{draw}/results", serve: s.results, Tag: "spot checks",
			Summary: "The published results of a draw's checks", Status: 200, Response: "ResultList"},
		{Method: "GET", Path: "/api/v1/spot-check-results", serve: s.searchResults, Tag: "spot checks",
			Summary:     "Search the published results of every draw",
			Description: "Art. 14: by the authority that drew (a 6-digit division code: its jurisdiction and those inside it), the outcome and the dates checked; latest check first, at most `limit` (default and most 500).",
			Query: []Param{
				{"jurisdiction", "A 6-digit division code, e.g. 310000.", patSchema("^[0-9]{6}$", 6)},
				{"outcome", "One outcome.", enumSchema("", gongshi.CheckOutcomes...)},
				{"from", "Checked on or after.", fmtSchema("date", "")},
				{"to", "Checked on or before.", fmtSchema("date", "")},
				{"limit", "At most this many, 1–500.", intSchema(1, 500)},
			},
			Status: 200, Response: "ResultList"},
		{Method: "POST", Path: "/api/v1/draws/{draw}/results", serve: s.recordResult, Auth: true, Roles: reg, Tag: "spot checks",
			Summary:     "Publish the result of checking a selected enterprise",
			Description: "Art. 14, 15. Outcomes: normal; not_disclosed issues an order to disclose the item; false_information is listing ground 3; unreachable is ground 4; non_cooperation is published as such (Art. 15).",
			Request:     "CheckResult", Status: 201, Response: "SpotCheckResult", Errors: []int{409}},
		{Method: "GET", Path: "/api/v1/enterprises/{code}/listing-grounds", serve: s.listingGrounds, Auth: true, Roles: reg, Tag: "spot checks",
			Summary: "Listing grounds found by spot checks and reports", Description: "SPEC §8 grounds 3 and 4, with the date each was verified; the enforcement sweep lists on them.",
			Status: 200, Response: "GroundList"},
		{Method: "POST", Path: "/api/v1/cases", serve: s.fileCase, Tag: "cases",
			Summary:     "File a report, an inquiry or a correction request",
			Description: "Art. 12, 13: anyone, anonymous callers included. A report names its reporter (name, ID number, a contact), who is never made public. Answers the case number, the due date (20 working days) and the case's check code (`check`), shown only this once: looking the case up needs both.",
			Request:     "CaseForm", Status: 201, Response: "Case", Private: true},
		{Method: "GET", Path: "/api/v1/cases", serve: s.caseQueue, Auth: true, Roles: handlers, Tag: "cases",
			Summary:     "The queue of cases the caller handles, due and overdue",
			Description: "A regulator's: the cases of its jurisdiction not routed to a department. A department's: the cases about records it published (Art. 12), with the same deadlines.",
			Query:       []Param{{"all", "true to include answered and closed cases.", schema{"type": "boolean"}}},
			Status:      200, Response: "CaseList"},
		{Method: "GET", Path: "/api/v1/cases/{number}", serve: s.caseStatus, Tag: "cases",
			Summary: "A case's status by its number and check code",
			Description: "The filer gives the number and the check code it got when filing (`check`) and sees the kind, subject, state, dates and the answer. " +
				"Without the right code a case is not found (404), as a number that does not exist: nobody can list who was reported, for what. " +
				"Who handles the case (the regulator in scope, or the department whose record it is about) needs no code and also sees the content and the person who filed it.",
			Query:  []Param{{"check", "The check code given when the case was filed, e.g. `7KQ3-M9XD-4HTW` (case, dashes and spaces do not matter).", patSchema("^[0-9A-Za-z -]+$", 32)}},
			Status: 200, Response: "Case", Errors: []int{404}, Private: true},
		{Method: "POST", Path: "/api/v1/cases/{number}/review", serve: s.caseAction("review"), Auth: true, Roles: handlers, Tag: "cases",
			Summary: "Take a case into review", Description: "Body: {}.", Request: "Empty", Status: 200, Response: "Case", Errors: []int{409}},
		{Method: "POST", Path: "/api/v1/cases/{number}/answer", serve: s.answerCase, Auth: true, Roles: handlers, Tag: "cases",
			Summary:     "Answer a case in writing",
			Description: "The answer to a report or correction request is published as a case_answer record about the enterprise; a report found true is listing ground 3.",
			Request:     "CaseAnswer", Status: 200, Response: "Case", Errors: []int{409}},
		{Method: "POST", Path: "/api/v1/cases/{number}/close", serve: s.caseAction("close"), Auth: true, Roles: handlers, Tag: "cases",
			Summary: "Close an answered case", Description: "Body: {}.", Request: "Empty", Status: 200, Response: "Case", Errors: []int{409}},
	}
}

func (s *Server) roster(w http.ResponseWriter, r *http.Request) error {
	in, err := s.Service.Roster(r.Context(), accountFrom(r.Context()))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &Roster{Inspectors: in})
	return nil
}

func (s *Server) addInspector(w http.ResponseWriter, r *http.Request) error {
	var in InspectorRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	e, err := s.Service.AddInspector(r.Context(), accountFrom(r.Context()), in.Account)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/inspectors")
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) declareConflict(w http.ResponseWriter, r *http.Request) error {
	var in gongshi.Conflict
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.Service.DeclareConflict(r.Context(), accountFrom(r.Context()), r.PathValue("account"), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/inspectors")
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) draws(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.Service.Draws(r.Context(), r.URL.Query().Get("jurisdiction"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &DrawList{Draws: ds})
	return nil
}

func (s *Server) planDraw(w http.ResponseWriter, r *http.Request) error {
	var in gongshi.DrawPlan
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.Service.PlanDraw(r.Context(), accountFrom(r.Context()), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/draws/"+url.PathEscape(d.Number))
	writeJSON(w, http.StatusCreated, d)
	return nil
}

func (s *Server) draw(w http.ResponseWriter, r *http.Request) error {
	d, err := s.Service.Draw(r.Context(), r.PathValue("draw"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) runDraw(w http.ResponseWriter, r *http.Request) error {
	var in Empty
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.Service.RunDraw(r.Context(), accountFrom(r.Context()), r.PathValue("draw"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// drawText serves a draw's text exactly as hashed; it never changes once it exists.
func (s *Server) drawText(which string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		b, err := s.Service.DrawText(r.Context(), r.PathValue("draw"), which)
		if err != nil {
			return err
		}
		h := w.Header()
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Content-Length", strconv.Itoa(len(b)))
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		w.WriteHeader(http.StatusOK)
		w.Write(b)
		return nil
	}
}

func (s *Server) results(w http.ResponseWriter, r *http.Request) error {
	rs, err := s.Service.SpotCheckResults(r.Context(), r.PathValue("draw"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &ResultList{Results: rs})
	return nil
}

func (s *Server) recordResult(w http.ResponseWriter, r *http.Request) error {
	var in gongshi.CheckResult
	if err := decode(r, &in); err != nil {
		return err
	}
	res, err := s.Service.RecordResult(r.Context(), accountFrom(r.Context()), r.PathValue("draw"), in)
	if err != nil {
		return err
	}
	return created(w, res.Version.Record, res)
}

func (s *Server) listingGrounds(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	gs, err := s.Service.ListingGrounds(r.Context(), accountFrom(r.Context()), code)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &GroundList{Grounds: gs})
	return nil
}

func (s *Server) fileCase(w http.ResponseWriter, r *http.Request) error {
	var in gongshi.CaseForm
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.Service.FileCase(r.Context(), in)
	if err != nil {
		return err
	}
	// The filer sees what it sent back, and nothing of anyone else's.
	w.Header().Set("Location", "/api/v1/cases/"+url.PathEscape(c.Number))
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) caseQueue(w http.ResponseWriter, r *http.Request) error {
	all := false
	switch v := r.URL.Query().Get("all"); v {
	case "", "false":
	case "true":
		all = true
	default:
		return gongshi.Invalid("all", strconv.Quote(v)+" is not true or false", "give all=true to include answered and closed cases")
	}
	cs, err := s.Service.CaseQueue(r.Context(), accountFrom(r.Context()), all)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &CaseList{Cases: cs})
	return nil
}

func (s *Server) caseStatus(w http.ResponseWriter, r *http.Request) error {
	c, err := s.Service.Case(r.Context(), accountFrom(r.Context()), r.PathValue("number"), r.URL.Query().Get("check"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) caseAction(action string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		var in Empty
		if err := decode(r, &in); err != nil {
			return err
		}
		do := s.Service.ReviewCase
		if action == "close" {
			do = s.Service.CloseCase
		}
		c, err := do(r.Context(), accountFrom(r.Context()), r.PathValue("number"))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, c)
		return nil
	}
}

func (s *Server) answerCase(w http.ResponseWriter, r *http.Request) error {
	var in gongshi.CaseAnswer
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.Service.AnswerCase(r.Context(), accountFrom(r.Context()), r.PathValue("number"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) searchResults(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var dates [2]calendar.Date
	for i, name := range []string{"from", "to"} {
		if v := q.Get(name); v != "" {
			d, err := calendar.ParseDate(v)
			if err != nil {
				return gongshi.Invalid(name, strconv.Quote(v)+" is not a date", "write it as YYYY-MM-DD")
			}
			dates[i] = d
		}
	}
	limit := 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return gongshi.Invalid("limit", strconv.Quote(v)+" is not a number from 1 to 500", "give e.g. limit=100")
		}
		limit = n
	}
	rs, err := s.Service.SearchResults(r.Context(), q.Get("jurisdiction"), q.Get("outcome"), dates[0], dates[1], limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &ResultList{Results: rs})
	return nil
}
