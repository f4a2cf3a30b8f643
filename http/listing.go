package http

import (
	"net/http"

	"github.com/gongshi/gongshi"
)

// A regulator's own listing decision on ground 3 or 4 (SAIC Order 68; SPEC §8), published
// at once through the decision code the sweep uses (gongshi.Service.DecideListing).

func (s *Server) listingRoutes() []*route {
	reg := []gongshi.Role{gongshi.RoleRegulator}
	return []*route{
		{Method: "POST", Path: "/api/v1/enterprises/{code}/listings", serve: s.decideListing, Auth: true, Roles: reg, Tag: "enforcement",
			Summary: "List an enterprise on ground 3 or 4 (regulator's decision)",
			Description: "SAIC Order 68: the regulator in scope lists an enterprise whose disclosed information concealed the truth or was falsified (ground 3) or that cannot be reached at its registered address (ground 4), " +
				"within 10 working days of verifying the fact (`due`, `on_time`). Individual businesses are marked instead. The decision is published at once; a spot check's or report's finding of the same ground " +
				"that awaits its decision is decided by it, so the sweep never lists twice. Grounds 1 and 2 are the sweep's (400). Already listed on the ground: 409.",
			Request: "ListingDecision", Status: 201, Response: "ListingDecided", Errors: []int{409}},
	}
}

func (s *Server) decideListing(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	var in gongshi.ListingDecision
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.Service.DecideListing(r.Context(), accountFrom(r.Context()), code, in)
	if err != nil {
		return err
	}
	return created(w, d.Version.Record, d)
}

// listingSchemas are the component schemas of listingRoutes.
func listingSchemas() schema {
	return schema{
		"ListingDecision": obj("A regulator's listing decision (SAIC Order 68).", req("ground", "verified", "facts", "document_no"), schema{
			"ground":      intSchema(3, 4),
			"verified":    fmtSchema("date", "The day the fact was verified: the 10 working days to decide count from it. Not in the future."),
			"facts":       strSchema("The facts verified, in the decision's words."),
			"document_no": strSchema("The decision's number (决定书文号)."),
		}),
		"ListingDecided": obj("The published decision and the list entry it made.", req("version", "entry", "due", "policy", "on_time", "finding"), schema{
			"version": ref("Version"), "entry": ref("ListEntry"),
			"due":     fmtSchema("date", "The last day the decision was due: the version's due (provisional when version.provisional names it)."),
			"policy":  strSchema("The policy entry of the due date."),
			"on_time": schema{"type": "boolean", "description": "Decided by the due date."},
			"finding": strSchema("The finding decided on: `regulator:<document no>`, or the spot check (`spot_check:<draw>`) or case (`case:<number>`) that found it."),
		}),
	}
}
