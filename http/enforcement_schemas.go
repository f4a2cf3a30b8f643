package http

import "github.com/gongshi/gongshi"

// enforcementSchemas are the component schemas of the enforcement routes (enforcement.go).
func enforcementSchemas() schema {
	date := func(desc string) schema { return fmtSchema("date", desc) }
	lists := []string{gongshi.ListAbnormal, gongshi.ListSerious, gongshi.ListMarked}
	entry := schema{
		"id": strSchema("The entry's id: its decision's record id."), "uscc": strSchema(""), "name": strSchema(""), "division": strSchema(""),
		"list": enumSchema("", lists...), "ground": intSchema(1, 4),
		"period":       strSchema("The report year (ground 1), the order (2) or the finding (3, 4)."),
		"arose":        date("The day the decision period started counting."),
		"since":        date("On the list from this day."),
		"until":        date("Off the list from this day; absent while listed."),
		"ended":        enumSchema("How it ended.", gongshi.EndCured, gongshi.EndAutomatic, gongshi.EndCorrected),
		"authority":    strSchema("The deciding authority."),
		"jurisdiction": strSchema(""), "document_no": strSchema(""),
		"record":        strSchema("The decision's record."),
		"end_record":    strSchema("The removal or correction's record."),
		"warned":        date("The day the three-year warning was published."),
		"origin":        strSchema("Serious list: the abnormal entry that escalated."),
		"ban_until":     date("Serious list: the last day of the legal representative's ban (Art. 17)."),
		"banned_person": strSchema("Serious list: the banned person's name (never the ID number)."),
	}
	enfCase := schema{
		"id": strSchema(""), "kind": enumSchema("", gongshi.CaseRemoval, gongshi.CaseObjection), "uscc": strSchema(""), "division": strSchema(""),
		"entry": strSchema("The list entry."), "received": date(""), "due": date("The decision's due date."), "policy": strSchema("The policy entry of the due date."),
		"reason": strSchema(""), "cure": strSchema("What the register itself sees of the cure."),
		"state":       enumSchema("`accepted`: an objection accepted (SAIC Order 68 Art. 13), awaiting its answer.", gongshi.CaseStatePending, gongshi.CaseStateAccepted, gongshi.CaseStateDecided),
		"outcome":     enumSchema("", gongshi.OutcomeRemoved, gongshi.OutcomeRefused, gongshi.OutcomeNotAccepted, gongshi.OutcomeRejected, gongshi.OutcomeUpheld),
		"decided":     date("The day of the last decision: while accepted, the acceptance."),
		"answer":      strSchema("The last decision's record: while accepted, the acceptance notice (objection_acceptance); once decided, the answer or the notice of non-acceptance."),
		"by":          strSchema("The liaison account that filed it."),
		"provisional": ref("ProvisionalDates"),
	}
	queueItem := schema{"overdue": schema{"type": "boolean"}}
	for k, v := range enfCase {
		queueItem[k] = v
	}
	caseReq := req("id", "kind", "uscc", "division", "entry", "received", "due", "policy", "reason", "state", "by")
	return schema{
		"ListEntry":   obj("A listing, marking or serious listing (SPEC §8).", req("id", "uscc", "name", "division", "list", "ground", "arose", "since", "authority", "jurisdiction", "document_no", "record"), entry),
		"ListingList": obj("", req("entries"), schema{"entries": arr(ref("ListEntry"))}),
		"ListPage": obj("One page of a list as of a date.", req("list", "as_of", "entries"), schema{
			"list": enumSchema("", gongshi.ListAbnormal, gongshi.ListSerious), "as_of": date(""), "entries": arr(ref("ListEntry")),
			"next":       strSchema("Cursor of the next page; absent on the last."),
			"log_size":   schema{"type": "integer", "minimum": 0, "description": "With as_of: the log prefix read, as of the end of that day (versions with log_index < log_size); entries decided later are not shown, though in force from earlier. A page may then hold fewer entries than asked: follow next."},
			"checkpoint": strSchema("With as_of: the oldest signed checkpoint holding that prefix."),
		}),
		"ListStatus": obj("The enterprise's list status.", req("listed", "entries"), schema{
			"listed": schema{"type": "boolean", "description": "On a list today."}, "entries": arr(ref("ListEntry")),
		}),
		"CreditCheckRequest": obj("Art. 18: codes to check as of a date.", req("codes"), schema{
			"as_of": date("Default today; not in the future."),
			"codes": schema{"type": "array", "items": strSchema("USCC or registration number."), "minItems": 1, "maxItems": gongshi.MaxCreditCheckCodes},
		}),
		"CreditCheck": obj("The answer, to keep as evidence.", req("as_of", "checkpoint", "results"), schema{
			"as_of": date(""), "checkpoint": strSchema("The signed log checkpoint (C2SP signed note) latest at the read; with as_of, the oldest holding the log prefix read. Empty before the first."),
			"log_size": schema{"type": "integer", "minimum": 0, "description": "With as_of: the log prefix read, as of the end of that day (versions with log_index < log_size): what was public then."},
			"results": arr(obj("", req("code", "status", "may_participate"), schema{
				"code":            strSchema("The code as asked, canonical when valid."),
				"status":          enumSchema("", gongshi.CreditClear, gongshi.CreditListed, gongshi.CreditInvalid, gongshi.CreditNotFound),
				"may_participate": schema{"type": "boolean"}, "uscc": strSchema(""), "name": strSchema(""),
				"error": strSchema("Why an invalid or unknown code could not be checked."),
				"lists": arr(obj("", req("list", "ground", "reason", "authority", "document_no", "since", "record"), schema{
					"list": enumSchema("", lists...), "ground": intSchema(1, 4), "reason": strSchema(""), "authority": strSchema(""),
					"document_no": strSchema(""), "since": date(""), "until": date("The day it ended, when after as_of."), "record": strSchema("The decision's record."),
				})),
			})),
		}),
		"CaseInput": obj("A removal application or an objection.", req("entry", "reason"), schema{
			"entry": strSchema("The list entry's id."), "reason": strSchema("How the ground was cured, or why the listing is wrong."),
		}),
		"EnforcementCase": obj("A removal application or an objection.", caseReq, enfCase),
		"CaseDecision": obj("The regulator's written decision.", req("outcome", "document_no", "answer"), schema{
			"outcome": enumSchema("A removal application: removed or refused. An objection: first accepted or not_accepted (SAIC Order 68 Art. 13), then, once accepted, rejected or upheld.",
				gongshi.OutcomeRemoved, gongshi.OutcomeRefused, gongshi.OutcomeAccepted, gongshi.OutcomeNotAccepted, gongshi.OutcomeRejected, gongshi.OutcomeUpheld),
			"document_no": strSchema("The written decision's number (决定书文号)."), "answer": strSchema("Its reasons (not_accepted: why, as the notice states it)."),
		}),
		"CaseDecided":      obj("", req("case", "version", "entry"), schema{"case": ref("EnforcementCase"), "version": ref("Version"), "entry": ref("ListEntry")}),
		"EnforcementQueue": obj("", req("items"), schema{"items": arr(obj("", append(caseReq, "overdue"), queueItem))}),
	}
}
