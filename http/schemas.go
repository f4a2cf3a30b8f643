package http

import (
	"strings"

	"github.com/gongshi/gongshi"
)

// schema is a JSON Schema (2020-12, as OpenAPI 3.1 uses it).
type schema = map[string]any

func strSchema(desc string) schema {
	s := schema{"type": "string"}
	if desc != "" {
		s["description"] = desc
	}
	return s
}

func intSchema(min, max int) schema {
	return schema{"type": "integer", "minimum": min, "maximum": max}
}

func fmtSchema(format, desc string) schema {
	s := strSchema(desc)
	s["format"] = format
	return s
}

func ref(name string) schema { return schema{"$ref": "#/components/schemas/" + name} }

func arr(items schema) schema { return schema{"type": "array", "items": items} }

func enumSchema(desc string, values ...string) schema {
	s := strSchema(desc)
	s["enum"] = values
	return s
}

// obj is an object schema; required lists the properties always present, and no other
// properties are allowed (requests are decoded strictly).
func obj(desc string, required []string, props schema) schema {
	s := schema{"type": "object", "properties": props, "additionalProperties": false}
	if desc != "" {
		s["description"] = desc
	}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func req(names ...string) []string { return names }

var roleNames = []string{string(gongshi.RolePublic), string(gongshi.RoleEnterprise), string(gongshi.RoleRegulator),
	string(gongshi.RoleDepartment), string(gongshi.RoleCourt), string(gongshi.RoleAdmin), string(gongshi.RoleParty)}

const fieldsNote = "The record body as the caller may see it: public fields for everyone; non-public and personal fields only for the publisher, the enterprise itself and regulators in scope (Art. 9). Its shape is the kind's schema, Fields.<kind>."

// componentSchemas are the named schemas of the OpenAPI document.
func componentSchemas() schema {
	sc := schema{
		"Problem": obj("An RFC 9457 problem. `type` is urn:gongshi:problem:<code> with code one of invalid, not_found, conflict, unauthorized, forbidden, gone, unavailable, internal, or a transport problem (no_route, method_not_allowed, too_large, unsupported_media_type, rate_limited, range_not_satisfiable).",
			req("type", "title", "status"), schema{
				"type": strSchema(""), "title": strSchema(""), "status": schema{"type": "integer"},
				"detail":     strSchema("What is wrong, for the person who sent the request."),
				"field":      strSchema("JSON path of the offending input, e.g. fields.legal_representative.name."),
				"fix":        strSchema("What to do about it."),
				"request_id": strSchema("For internal errors: the id of the log line."),
			}),
		"Authority": obj("Who published a version and under which authority.", req("account", "role", "name"), schema{
			"account": strSchema(""), "role": enumSchema("", roleNames...), "name": strSchema(""),
			"jurisdiction": strSchema("Division code of a regulator's jurisdiction."),
		}),
		"Enterprise": obj("The register's current view of an enterprise (SPEC §3).",
			req("uscc", "name", "type", "category", "division", "status", "legal_representative", "established", "registration_record"), schema{
				"uscc":                 strSchema("Unified social credit code (GB 32100-2015)."),
				"registration_number":  strSchema("15-digit registration number."),
				"name":                 strSchema(""),
				"former_names":         arr(strSchema("")),
				"type":                 enumSchema("", gongshi.EnterpriseTypes...),
				"category":             enumSchema("", "enterprise", "individual", "cooperative"),
				"division":             strSchema("6-digit administrative division of the registration authority."),
				"status":               enumSchema("", gongshi.EnterpriseStatuses...),
				"legal_representative": strSchema("Name only; the ID number is never public."),
				"established":          fmtSchema("date", ""),
				"registration_record":  strSchema("Id of the registration record."),
				"list_status":          ref("ListStatus"),
				"registered_at":        fmtSchema("date-time", ""),
				"latest_change_at":     fmtSchema("date-time", ""),
				"profile":              schema{"type": "object", "description": "The latest registration version's fields as the caller may see them (Fields.registration)."},
			}),
		"Change": obj("One changed item (变更事项). Hidden fields show their salted hashes.", req("field", "label"), schema{
			"field": strSchema(""), "label": strSchema(""), "before": schema{}, "after": schema{},
		}),
		"Withdrawal": obj("", req("at", "reason"), schema{"at": fmtSchema("date-time", ""), "reason": strSchema("")}),
		"Version": obj("One published version of a record; a leaf of the transparency log.",
			req("record", "kind", "subject", "version", "arose", "published_at", "on_time", "publisher", "sha256", "log_index"), schema{
				"record": strSchema(""), "kind": strSchema(""), "subject": strSchema("USCC; for a check item (about no enterprise) its publisher's division code."), "subject_name": strSchema(""),
				"version":      schema{"type": "integer", "minimum": 1},
				"arose":        fmtSchema("date", "The date the information arose."),
				"published_at": fmtSchema("date-time", ""),
				"due":          fmtSchema("date", "The publication deadline from the policy table."),
				"on_time":      schema{"type": "boolean"},
				"policy":       strSchema("The policy entry the deadline came from."),
				"publisher":    ref("Authority"),
				"reason":       strSchema("Why this version corrects the previous one."),
				"changes":      arr(ref("Change")),
				"fields":       schema{"type": []string{"object", "null"}, "description": fieldsNote},
				"previous":     strSchema("SHA-256 of the previous version's document."),
				"sha256":       strSchema("Lowercase hex SHA-256 of the version's document: GET /api/v1/documents/{sha256}."),
				"log_index":    schema{"type": "integer", "minimum": 0, "description": "Index of the version's leaf in the log."},
				"withdrawn":    ref("Withdrawal"),
				"provisional":  ref("ProvisionalDates"),
			}),
		"ProvisionalDates": obj("Dates computed before the working-day schedule of their year was loaded (SPEC §10): the nominal day the law states "+
			"(a count of working days taking Monday to Friday as working days; the last day of a period in days, months or years, not yet moved past holidays). "+
			"Once the year's schedule is loaded, the daily sweep settles them: a record gets a new version by the register (publisher account calendar-settlement) "+
			"with the dates moved to the working day the law gives; a case's due date is updated. Absent when every date is exact.",
			req("year", "dates"), schema{
				"year":  schema{"type": "integer", "description": "The first year whose schedule the dates await."},
				"dates": arr(strSchema("due, on_time (a version's deadline and timeliness), deadline (an order's) or fields.<name> (e.g. fields.litigation_by).")),
			}),
		"Record": obj("A published record: a chain of versions, none overwritten (Art. 12).", req("id", "kind", "subject", "section", "versions"), schema{
			"id": strSchema(""), "kind": strSchema(""), "subject": strSchema("USCC."),
			"section":  enumSchema("", string(gongshi.SectionRegistration), string(gongshi.SectionEnterprise), string(gongshi.SectionDepartment), string(gongshi.SectionJudicial)),
			"versions": arr(ref("Version")),
		}),
		"SearchResult": obj("One page of hits.", req("hits"), schema{
			"hits": arr(ref("Enterprise")), "next": strSchema("Cursor of the next page; absent on the last."),
		}),
		"EnterprisePage": obj("", req("enterprise", "sections"), schema{
			"enterprise": ref("Enterprise"),
			"read_at":    ref("ReadAt"),
			"sections": obj("Records by who published them.", req("registration", "enterprise", "department", "judicial"), schema{
				"registration": arr(ref("Record")), "enterprise": arr(ref("Record")), "department": arr(ref("Record")), "judicial": arr(ref("Record")),
			}),
		}),
		"RecordList": obj("", req("enterprise", "records"), schema{"enterprise": ref("Enterprise"), "records": arr(ref("Record")), "read_at": ref("ReadAt")}),
		"ReadAt": obj("What an as-of read was made at.", req("log_size"), schema{
			"as_of":      fmtSchema("date", "The day asked for."),
			"log_size":   schema{"type": "integer", "minimum": 0, "description": "The versions read are those with log_index < log_size."},
			"checkpoint": strSchema("The oldest signed checkpoint (a signed note) whose tree holds those entries; prove the prefix against it with a consistency proof. Absent before the first checkpoint."),
		}),
		"Registration": obj("Art. 6: a new enterprise.", req("uscc", "fields"), schema{
			"uscc":                strSchema("18-character USCC; its division must be in the regulator's jurisdiction."),
			"registration_number": strSchema("15-digit registration number, if it has one."),
			"arose":               fmtSchema("date", "Defaults to the date of establishment."),
			"fields":              ref("Fields.registration"),
		}),
		"Registered": obj("", req("enterprise", "version"), schema{"enterprise": ref("Enterprise"), "version": ref("Version")}),
		"Publication": obj("A new record.", req("kind", "arose", "fields"), schema{
			"kind":   enumSchema("A kind the caller may publish (GET /api/v1/kinds).", kindNames(false)...),
			"arose":  fmtSchema("date", "The date the information arose: not in the future, not before establishment, and not after the record's own date of what it records (a penalty's `decided`, a transfer's `transferred`)."),
			"fields": fieldsOfAnyKind("The body, as Fields.<kind> describes. Numbers are kept exactly."),
		}),
		"Amendment": obj("A new version: fields given replace the old ones, null removes one.", req("fields"), schema{
			"arose":  fmtSchema("date", "Left out, or the record's own: a correction, which keeps the arose, due date and timeliness of what it corrects (Art. 12). Another date is new information that arose then, with its own (a registration change left without one arose today)."),
			"reason": strSchema("Why (shown with the version)."),
			"fields": schema{"type": "object", "description": "The changed fields of Fields.<kind>; null removes a field."},
		}),
		"Document": schema{"type": "object", "description": "The canonical document (type gongshi.record/v1): sorted keys, no insignificant whitespace. Hidden fields hold {\"salted_sha256\": …}. " +
			"A version with provisional dates holds \"provisional\": {\"year\", \"dates\"} (ProvisionalDates).",
			"required": req("type", "kind", "record", "version", "subject", "arose", "published_at", "on_time", "publisher", "fields"),
			"properties": schema{
				"type":         enumSchema("", gongshi.DocumentType),
				"kind":         strSchema("The record's kind (GET /api/v1/kinds)."),
				"record":       strSchema("The record's id."),
				"version":      schema{"type": "integer", "minimum": 1},
				"subject":      obj("", req("uscc"), schema{"uscc": strSchema(""), "name": strSchema("")}),
				"arose":        fmtSchema("date", ""),
				"published_at": fmtSchema("date-time", ""),
				"due":          fmtSchema("date", ""),
				"on_time":      schema{"type": "boolean"},
				"policy":       strSchema("The policy entry that set the due date."),
				"publisher":    ref("Authority"),
				"reason":       strSchema(""),
				"previous":     strSchema("The SHA-256 of the version this one follows."),
				"fields":       fieldsOfAnyKind("The body as Fields.<kind> describes, hidden values as salted hashes."),
			}},
		"KindList": obj("", req("kinds"), schema{"kinds": arr(ref("KindSpec"))}),
		"KindSpec": obj("", req("name", "label", "article", "publishers", "fields"), schema{
			"name": strSchema(""), "label": strSchema(""), "article": strSchema(""),
			"publishers": arr(enumSchema("", roleNames...)), "fields": arr(ref("FieldSpec")),
		}),
		"FieldSpec": obj("", req("name", "label", "type", "required", "visibility"), schema{
			"name": strSchema(""), "label": strSchema(""), "type": strSchema(""), "required": schema{"type": "boolean"},
			"visibility": enumSchema("", "public", "non-public", "personal"),
			"enum":       arr(strSchema("")), "fields": arr(ref("FieldSpec")),
			"text": enumSchema("What a text field may hold besides clean one-line text (gongshi.TextRule): line breaks, or the shape of a name or a document number.",
				string(gongshi.TextMultiline), string(gongshi.TextEnterpriseName), string(gongshi.TextPersonName), string(gongshi.TextPartyName), string(gongshi.TextDocumentNo)),
			"future": schema{"type": "boolean", "description": "A date that may be after today (the end of a term, a deadline)."},
			"prior":  schema{"type": "boolean", "description": "A date that may be before the enterprise was established."},
		}),
		"Account": obj("", req("id", "name", "role"), schema{
			"id": strSchema(""), "name": strSchema(""), "role": enumSchema("", roleNames...),
			"jurisdiction": strSchema(""), "enterprise": strSchema(""), "kinds": arr(strSchema("")),
			"created_at": fmtSchema("date-time", ""),
		}),
		"LoginRequest":  obj("", req("id", "password"), schema{"id": strSchema(""), "password": fmtSchema("password", "")}),
		"LoginResponse": obj("", req("account", "token"), schema{"account": ref("Account"), "token": strSchema("Bearer token, gs_…")}),
		"Health": obj("", req("status", "clock"), schema{"status": enumSchema("", "ok"), "clock": fmtSchema("date-time", ""),
			"simulated": schema{"type": "boolean", "description": "The server runs on a set clock."}}),
		"OpenAPI": schema{"type": "object", "description": "An OpenAPI 3.1 document."},
	}
	for n, d := range disclosureSchemas() {
		sc[n] = d
	}
	for n, d := range checkItemSchemas() {
		sc[n] = d
	}
	for n, d := range spotCheckSchemas() {
		sc[n] = d
	}
	for n, d := range enforcementSchemas() {
		sc[n] = d
	}
	for n, d := range feedSchemas() {
		sc[n] = d
	}
	for n, d := range listingSchemas() {
		sc[n] = d
	}
	for n, d := range deregistrationSchemas() {
		sc[n] = d
	}
	for n, d := range snapshotSchemas() {
		sc[n] = d
	}
	for n, d := range watchSchemas() {
		sc[n] = d
	}
	for _, k := range gongshi.Kinds() {
		sc["Fields."+k.Name] = fieldsSchema(k.Label+" ("+k.Article+"). Publishers: "+joinRoles(k.Publishers)+".", k.Fields)
	}
	return sc
}

// fieldsOfAnyKind is a body of one of the kinds: Fields.<kind> for the kind its record names.
func fieldsOfAnyKind(description string) schema {
	var kinds []schema
	for _, k := range gongshi.Kinds() {
		kinds = append(kinds, ref("Fields."+k.Name))
	}
	return schema{"description": description, "anyOf": kinds}
}

func kindNames(withRegistration bool) []string {
	var out []string
	for _, k := range gongshi.Kinds() {
		if k != gongshi.KindRegistration || withRegistration {
			out = append(out, k.Name)
		}
	}
	return out
}

func joinRoles(rs []gongshi.Role) string {
	ss := make([]string, len(rs))
	for i, r := range rs {
		ss[i] = string(r)
	}
	return strings.Join(ss, ", ")
}

// fieldsSchema describes a record body from its kind's fields, so that the document
// follows the kinds without being edited.
func fieldsSchema(desc string, fs []gongshi.Field) schema {
	props := schema{}
	var required []string
	for _, f := range fs {
		props[f.Name] = fieldSchema(f)
		if f.Required {
			required = append(required, f.Name)
		}
	}
	return obj(desc, required, props)
}

func fieldSchema(f gongshi.Field) schema {
	var s schema
	decimal := `^[0-9]{1,15}(\.[0-9]{1,6})?$`
	switch f.Type {
	case gongshi.TypeDate:
		s = fmtSchema("date", "")
	case gongshi.TypeAmount, gongshi.TypePercent:
		s = schema{"type": []string{"string", "number"}, "pattern": decimal, "minimum": 0}
		if f.Type == gongshi.TypePercent {
			s["maximum"] = 100
		}
	case gongshi.TypeSignedAmount:
		s = schema{"type": []string{"string", "number"}, "pattern": `^-?[0-9]{1,15}(\.[0-9]{1,6})?$`}
	case gongshi.TypeInteger:
		s = schema{"type": "integer", "minimum": 0}
	case gongshi.TypeBool:
		s = schema{"type": "boolean"}
	case gongshi.TypeEnum:
		s = enumSchema("", f.Enum...)
	case gongshi.TypeEmail:
		s = fmtSchema("email", "")
	case gongshi.TypeURL:
		s = fmtSchema("uri", "")
	case gongshi.TypePostal:
		s = schema{"type": "string", "pattern": "^[0-9]{6}$"}
	case gongshi.TypeRegNo:
		s = schema{"type": "string", "pattern": "^[0-9]{15}$"}
	case gongshi.TypeObject:
		s = fieldsSchema("", f.Fields)
	case gongshi.TypeList:
		s = arr(fieldsSchema("", f.Fields))
	default: // text, code, idno, phone
		s = schema{"type": "string", "minLength": 1}
	}
	s["description"] = f.Label + " (" + string(f.Type) + ", " + f.Visibility.String() + ")"
	s["x-visibility"] = f.Visibility.String()
	return s
}
