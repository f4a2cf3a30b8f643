package http

import "github.com/gongshi/gongshi"

// disclosureSchemas are the component schemas of the disclosure routes (disclosure.go).
func disclosureSchemas() schema {
	date := func(desc string) schema { return fmtSchema("date", desc) }
	filing := schema{
		"uscc": strSchema(""), "year": schema{"type": "integer"}, "kind": strSchema("The report form."),
		"record": strSchema("The report's record id."), "filed": date("The date it was filed."),
		"due": date("The end of its filing window (Art. 8)."), "on_time": schema{"type": "boolean", "description": "False for a late report (补报)."},
		"paper": schema{"type": "boolean", "description": "Entered by a regulator from a paper report."},
	}
	report := schema{}
	for k, v := range filing {
		report[k] = v
	}
	report["correctable_until"] = date("Art. 12: the last day a correction is accepted.")
	report["report"] = ref("Record")
	report["fields"] = schema{"type": "object", "description": "The latest version's fields as the caller may see them."}
	order := schema{
		"record": strSchema("The order's record id."), "uscc": strSchema(""), "division": strSchema(""),
		"item": enumSchema("The record kind to disclose.", gongshi.OrderItems...), "issued": date(""), "deadline": date(""),
		"policy": strSchema("The policy entry of the deadline."), "issuer": strSchema("The account that issued it."),
		"fulfilled_by": strSchema("The record of the disclosure that fulfilled it."), "fulfilled_on": date(""),
		"provisional": ref("ProvisionalDates"),
	}
	orderView := schema{"status": enumSchema("", gongshi.OrderOpen, gongshi.OrderFulfilled, gongshi.OrderLapsed)}
	for k, v := range order {
		orderView[k] = v
	}
	orderReq := req("record", "uscc", "item", "issued", "deadline")
	return schema{
		"AnnualReportFiling": obj("An annual report to file, or with draft to save.", req("year", "fields"), schema{
			"year":   schema{"type": "integer", "description": "The report year: a year that has ended."},
			"draft":  schema{"type": "boolean", "description": "Only save it, privately."},
			"fields": schema{"type": "object", "description": "The report as the enterprise's form describes it (Fields.annual_report, Fields.annual_report_individual, Fields.annual_report_cooperative), without year."},
		}),
		"AnnualReportDraft": obj("A saved, unpublished draft.", req("uscc", "year", "fields", "saved_at", "saved_by"), schema{
			"uscc": strSchema(""), "year": schema{"type": "integer"}, "fields": schema{"type": "object"},
			"saved_at": fmtSchema("date-time", ""), "saved_by": strSchema(""),
		}),
		"AnnualReportFiled": schema{"oneOf": []schema{ref("Version"), ref("AnnualReportDraft")},
			"description": "The published first version, or the saved draft."},
		"ReportFiling":     obj("An annual report filed.", req("uscc", "year", "kind", "record", "filed", "on_time"), filing),
		"ReportFilingList": obj("", req("filings"), schema{"filings": arr(ref("ReportFiling"))}),
		"AnnualReport":     obj("A filed annual report as the caller may see it.", req("uscc", "year", "kind", "record", "filed", "on_time", "report", "fields"), report),
		"OrderInput": obj("An order to disclose (Art. 10 ¶2).", req("item", "content"), schema{
			"item":        enumSchema("The Art. 10 item to disclose.", gongshi.OrderItems...),
			"content":     strSchema("What exactly the enterprise is to disclose."),
			"document_no": strSchema("The order's document number (责令通知书文号)."),
		}),
		"Order":       obj("An order's state.", orderReq, order),
		"OrderView":   obj("An order with its state as of the read.", append(orderReq, "status"), orderView),
		"OrderIssued": obj("", req("order", "version"), schema{"order": ref("Order"), "version": ref("Version")}),
		"OrderList":   obj("", req("orders"), schema{"orders": arr(ref("OrderView"))}),
		"Obligations": obj("What the enterprise owes as of a date.", req("uscc", "as_of", "annual_reports", "orders"), schema{
			"uscc": strSchema(""), "as_of": date(""),
			"annual_reports": arr(obj("", req("year", "kind", "opens", "due", "status"), schema{
				"year": schema{"type": "integer"}, "kind": strSchema(""), "opens": date(""), "due": date(""), "policy": strSchema(""),
				"status": enumSchema("", gongshi.ReportFiled, gongshi.ReportFiledLate, gongshi.ReportDue, gongshi.ReportOverdue),
				"filed":  date(""), "record": strSchema(""),
			})),
			"orders": arr(ref("OrderView")),
		}),
		"ConsentGrant": obj("Art. 9: consent to a named account, or to a party without one, to see named non-public items for a period.", req("items", "until"), schema{
			"grantee": strSchema("The account id of the party; or leave it out and name the party in party."),
			"party":   strSchema("A party without an account (a bank, a citizen): the answer's code, shown once, is its bearer token, good for reads while the consent is active; every view is recorded."),
			"items":   arr(enumSchema("", gongshi.ConsentItems()...)),
			"from":    date("First day (default today)."), "until": date("Last day."),
		}),
		"Consent": obj("", req("id", "uscc", "grantee", "items", "from", "until", "granted_at", "granted_by", "status"), schema{
			"id": strSchema(""), "uscc": strSchema(""), "grantee": strSchema(""), "items": arr(strSchema("")),
			"from": date(""), "until": date(""), "granted_at": fmtSchema("date-time", ""), "granted_by": strSchema(""),
			"revoked_at": fmtSchema("date-time", ""), "revoked_by": strSchema(""),
			"status": enumSchema("As of the read.", "active", "pending", "expired", "revoked"),
			"views":  schema{"type": "integer", "description": "Views made under it."},
			"party":  strSchema("The party without an account it was given to."),
			"code":   strSchema("Only in the answer to the grant to a party: its bearer token (Authorization: Bearer …), shown once."),
		}),
		"ConsentList": obj("", req("consents"), schema{"consents": arr(ref("Consent"))}),
		"ConsentView": obj("One view under consent.", req("consent", "uscc", "viewer", "record", "kind", "version", "items", "at"), schema{
			"consent": strSchema(""), "uscc": strSchema(""), "viewer": strSchema("The account that saw the items."),
			"record": strSchema(""), "kind": strSchema(""), "version": schema{"type": "integer"},
			"items": arr(strSchema("")), "at": fmtSchema("date-time", ""),
		}),
		"ConsentViewList": obj("", req("views"), schema{"views": arr(ref("ConsentView"))}),
	}
}
