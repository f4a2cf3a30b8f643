package http

import "github.com/gongshi/gongshi"

// spotCheckSchemas are the component schemas of spot checks and cases.
func spotCheckSchemas() schema {
	date := fmtSchema("date", "")
	ts := fmtSchema("date-time", "")
	caseKinds := []string{gongshi.CaseReport, gongshi.CaseInquiry, gongshi.CaseCorrection}
	return schema{
		"Stratum": obj("A directed draw's stratum: enterprises matching every non-empty list.", nil, schema{
			"divisions":  arr(strSchema("A division-code prefix inside the jurisdiction.")),
			"types":      arr(enumSchema("", gongshi.EnterpriseTypes...)),
			"categories": arr(enumSchema("", "enterprise", "individual", "cooperative")),
			"statuses":   arr(enumSchema("", gongshi.EnterpriseStatuses...)),
			"lists":      arr(enumSchema("List status on the day of the draw: on the abnormal or serious list, marked (individual businesses), or none.", gongshi.ListAbnormal, gongshi.ListSerious, gongshi.ListMarked, gongshi.ListNone)),
			"industries": arr(enumSchema("A section of GB/T 4754-2017 that the latest registration names (field industry); an enterprise naming none is in no industry's stratum.", gongshi.Industries...)),
			"sizes": arr(enumSchema("A band of the latest registration's registered capital in yuan (万元): micro below 100, small below 1000, medium below 10000, large from 10000; "+
				"unstated for no capital or capital in another currency. (Employees and revenue, which the statistical classification uses, are published only if the enterprise chooses.)", gongshi.Sizes...)),
		}),
		"DrawPlan": obj("A draw's plan.", req("title", "sample_size"), schema{
			"title":                     strSchema(""),
			"jurisdiction":              strSchema("6-digit division code inside the caller's; default its own."),
			"stratum":                   ref("Stratum"),
			"sample_size":               schema{"type": "integer", "minimum": 1, "description": "At least the policy minimum (3% of the population, rounded up)."},
			"inspectors_per_enterprise": intSchema(2, 10),
			"check_items":               arr(strSchema("The id of a check item the draw covers: in force, of an authority over the jurisdiction (GET /api/v1/check-items?division=…).")),
		}),
		"DrawVersion": obj("A published step of a draw.", req("state", "log_index", "sha256"), schema{
			"state": enumSchema("", gongshi.DrawPlanned, gongshi.DrawDrawn), "log_index": schema{"type": "integer"},
			"sha256": strSchema("Its document: GET /api/v1/documents/{sha256}."),
		}),
		"Draw": obj("A spot-check draw (Art. 14; SPEC §6). Its documents have type gongshi.spotcheck/v1.",
			req("number", "title", "jurisdiction", "directed", "state", "sample_size", "minimum", "minimum_policy", "inspectors_per_enterprise",
				"population_count", "population_sha256", "roster_count", "roster_sha256", "checkpoint", "seed_sha256", "planned_at", "planned_by", "record", "versions"), schema{
				"number": strSchema("D<year>-<jurisdiction>-<seq>"), "title": strSchema(""), "jurisdiction": strSchema(""),
				"directed": schema{"type": "boolean"}, "stratum": ref("Stratum"), "check_items": arr(ref("DrawCheckItem")),
				"state":       enumSchema("", gongshi.DrawPlanned, gongshi.DrawDrawn),
				"sample_size": schema{"type": "integer"}, "minimum": schema{"type": "integer"}, "minimum_policy": strSchema("The policy entry of the minimum."),
				"inspectors_per_enterprise": schema{"type": "integer"},
				"population_count":          schema{"type": "integer"}, "population_sha256": strSchema("SHA-256 of the population text."),
				"roster_count": schema{"type": "integer"}, "roster_sha256": strSchema("SHA-256 of the roster text."),
				"checkpoint": obj("The log's size and root hash when the population was taken.", req("size", "root"), schema{
					"size": schema{"type": "integer"}, "root": strSchema("Base64 root hash, as in a checkpoint.")}),
				"seed_sha256":   strSchema("SHA-256 of the 32 seed bytes, published before the draw."),
				"seed":          strSchema("The seed, 64 hex digits; once drawn."),
				"result_sha256": strSchema("SHA-256 of the result text; once drawn."),
				"planned_at":    ts, "planned_by": ref("Authority"), "drawn_at": ts, "drawn_by": ref("Authority"),
				"record": strSchema("The draw's record id."), "versions": arr(ref("DrawVersion")),
			}),
		"DrawList": obj("", req("draws"), schema{"draws": arr(ref("Draw"))}),
		"Empty":    obj("No input: {}.", nil, schema{}),
		"CheckResult": obj("The result of checking one selected enterprise.", req("enterprise", "method", "checked", "findings", "outcome"), schema{
			"enterprise": strSchema("USCC of a selected enterprise."),
			"method":     enumSchema("", gongshi.CheckMethods...),
			"firm":       strSchema("The accounting, tax or law firm; for delegated checks only."),
			"checked":    fmtSchema("date", "The date of the check."),
			"findings":   strSchema(""),
			"outcome":    enumSchema("", gongshi.CheckOutcomes...),
			"item":       enumSchema("The item not disclosed; for not_disclosed.", gongshi.OrderItems...),
		}),
		"SpotCheckResult": obj("A published check result.", req("draw", "enterprise", "name", "outcome", "checked", "version"), schema{
			"draw": strSchema(""), "enterprise": strSchema(""), "name": strSchema(""),
			"outcome": enumSchema("", gongshi.CheckOutcomes...), "checked": date, "version": ref("Version"),
			"ground": schema{"type": "integer", "description": "Listing ground found: 3 (false information) or 4 (unreachable)."},
			"order":  strSchema("Record id of the order a not_disclosed outcome issued."),
		}),
		"ResultList":       obj("", req("results"), schema{"results": arr(ref("SpotCheckResult"))}),
		"InspectorRequest": obj("", req("account"), schema{"account": strSchema("A regulator account id.")}),
		"Conflict": obj("A declared conflict of interest.", req("enterprise"), schema{
			"enterprise": strSchema("USCC or registration number."), "reason": strSchema(""), "declared_at": ts,
		}),
		"Inspector": obj("", req("account", "name", "jurisdiction", "added_at", "conflicts"), schema{
			"account": strSchema(""), "name": strSchema(""), "jurisdiction": strSchema(""), "added_at": ts, "conflicts": arr(ref("Conflict")),
		}),
		"Roster": obj("", req("inspectors"), schema{"inspectors": arr(ref("Inspector"))}),
		"ListingGround": obj("A listing ground found (SPEC §8).", req("enterprise", "ground", "arose", "source", "source_ref", "record", "authority", "created_at"), schema{
			"enterprise": strSchema(""), "ground": intSchema(1, 4), "arose": fmtSchema("date", "The date the fact was verified."),
			"source": enumSchema("", "spot_check", "case"), "source_ref": strSchema("The draw or case number."),
			"record": strSchema("The record that found it."), "authority": strSchema(""), "created_at": ts,
		}),
		"GroundList": obj("", req("grounds"), schema{"grounds": arr(ref("ListingGround"))}),
		"CaseForm": obj("Art. 12, 13: a report, an inquiry or a correction request.", req("kind", "subject", "content", "person"), schema{
			"kind":       enumSchema("", caseKinds...),
			"enterprise": strSchema("USCC or registration number; required for reports and correction requests."),
			"division":   strSchema("For an inquiry about no one enterprise: the 6-digit division asked."),
			"record":     strSchema("The record concerned, if one."),
			"subject":    strSchema(""), "content": strSchema(""),
			"evidence": arr(obj("", req("description"), schema{"description": strSchema(""), "url": fmtSchema("uri", "")})),
			"person": obj("Who files it. Personal: never public, never in a document.", req("name"), schema{
				"name": strSchema(""), "id_number": strSchema("Identity document number; required for a report."),
				"phone": strSchema(""), "email": fmtSchema("email", ""), "address": strSchema(""),
			}),
		}),
		"CaseAnswer": obj("A written answer.", req("outcome", "answer"), schema{
			"outcome": enumSchema("report: unfounded, false_information, other_handling; inquiry: answered; correction_request: corrected, refused.",
				"unfounded", gongshi.OutcomeFalse, "other_handling", "answered", "corrected", "refused"),
			"answer": strSchema(""),
		}),
		"Case": obj("A tracked case. content, evidence and person only for the regulator in scope (and the filer, in the answer to filing).",
			req("number", "kind", "state", "division", "subject", "received", "due", "policy", "overdue", "received_at"), schema{
				"number": strSchema("J<year>-<division>-<seq>"), "kind": enumSchema("", caseKinds...),
				"state":      enumSchema("", gongshi.CaseReceived, gongshi.CaseInReview, gongshi.CaseAnswered, gongshi.CaseClosed),
				"enterprise": strSchema(""), "enterprise_name": strSchema(""), "division": strSchema(""), "record": strSchema(""),
				"subject": strSchema(""), "received": date, "due": fmtSchema("date", "20 working days after receipt (policy)."),
				"policy": strSchema(""), "overdue": schema{"type": "boolean"}, "received_at": ts,
				"reviewed_at": ts, "answered_at": ts, "closed_at": ts,
				"outcome": strSchema(""), "answer": strSchema(""), "answered_by": ref("Authority"), "answer_version": ref("Version"),
				"content": strSchema(""), "evidence": arr(schema{"type": "object"}), "person": schema{"type": "object"},
				"provisional": ref("ProvisionalDates"),
				"check":       strSchema("The check code: in the answer to filing only, never again."),
			}),
		"CaseList": obj("", req("cases"), schema{"cases": arr(ref("Case"))}),
	}
}
