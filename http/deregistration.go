package http

import (
	"context"
	"net/http"

	"github.com/gongshi/gongshi"
)

// Simplified deregistration (简易注销; gongshi deregistration.go): the notice, objections
// from anyone during it, the registration authority's decision; and credit repair of a
// penalty (信用修复; credit_repair.go) and early removal from the serious list (early_removal.go). Each is
// a published record.

func (s *Server) deregistrationRoutes() []*route {
	return []*route{
		{Method: "POST", Path: "/api/v1/enterprises/{code}/simple-deregistration", serve: deregistrationStep(s.Service.ApplySimpleDeregistration), Auth: true,
			Roles: []gongshi.Role{gongshi.RoleEnterprise, gongshi.RoleRegulator}, Tag: "deregistration",
			Summary: "Apply for simplified deregistration: publish the notice",
			Description: "SAIC 2016-253; SAMR 2021-45 §2; Decree 746 Art. 33. The enterprise's liaison or the regulator in scope publishes the notice with the investors' commitment; " +
				"the period of objections (fields.notice_from … notice_to) is 45 days from 2017-03-01 and 20 days from 2021-07-30 (policy deregistration.simple.notice, named in fields.notice_policy). " +
				"409 names every bar: on a list, equity frozen or pledged, a chattel mortgage, a branch not deregistered, a notice awaiting its decision. An individual business needs no notice (400).",
			Request: "DeregistrationApplication", Status: 201, Response: "Version", Errors: []int{409}},
		{Method: "POST", Path: "/api/v1/enterprises/{code}/simple-deregistration/objections", serve: deregistrationStep(s.Service.ObjectToSimpleDeregistration), Tag: "deregistration",
			Summary:     "Object to a simplified-deregistration notice",
			Description: "Anyone, anonymous callers included, during the notice period; the objection is published, naming the objector. An objection bars the deregistration.",
			Request:     "DeregistrationObjection", Status: 201, Response: "Version", Errors: []int{409}},
		{Method: "POST", Path: "/api/v1/enterprises/{code}/simple-deregistration/decision", serve: deregistrationStep(s.Service.DecideSimpleDeregistration), Auth: true,
			Roles: []gongshi.Role{gongshi.RoleRegulator}, Tag: "deregistration",
			Summary: "Deregister the enterprise or refuse",
			Description: "After the notice period, without objections and with no bar on the day, outcome deregistered publishes the decision and a new registration version with status 注销; " +
				"refused gives its reason. An individual business is decided without a notice.",
			Request: "DeregistrationDecision", Status: 201, Response: "Version", Errors: []int{409}},
		{Method: "POST", Path: "/api/v1/enterprises/{code}/credit-repairs", serve: deregistrationStep(s.Service.RepairCredit), Auth: true,
			Roles: []gongshi.Role{gongshi.RoleRegulator}, Tag: "deregistration",
			Summary: "Decide an application for credit repair of a penalty (信用修复)",
			Description: "市场监督管理信用修复管理办法 Art. 6, from 2021-09-01: a penalty shown at least 6 months (food, drugs, special equipment: 1 year; policy repair.penalty.after[.special], named in fields.eligibility_policy), " +
				"its obligations fulfilled and harm removed, no later penalty for the same violation, the enterprise on no list: granted, the penalty is withdrawn from public view at once (a published withdrawal). " +
				"Otherwise refused, fields.unmet naming each condition not met. Both are published credit_repair records.",
			Request: "CreditRepairApplication", Status: 201, Response: "Version"},
		{Method: "POST", Path: "/api/v1/enterprises/{code}/early-removals", serve: deregistrationStep(s.Service.RemoveEarly), Auth: true,
			Roles: []gongshi.Role{gongshi.RoleRegulator}, Tag: "deregistration",
			Summary: "Decide an application for early removal from the serious list (提前移出, credit repair of a listing)",
			Description: "SAMR Order 44, for listings made from 2021-09-01: listed at least 1 year (policy list.serious.early, judged on the listing's day and named in fields.eligibility_policy), " +
				"the obligations fulfilled and harm removed, no listing and no penalty other than a warning, criticism or small fine since: granted, a serious_removal decision is published and the entry ends at once. " +
				"Otherwise refused, fields.unmet naming each condition not met; a listing made under the 2014 rules is refused naming them (no early removal: removed at the end of its term). " +
				"Both are published serious_early_removal records. An abnormal listing's credit repair is its removal application (POST /api/v1/enterprises/{code}/removal-applications).",
			Request: "EarlyRemovalApplication", Status: 201, Response: "Version", Errors: []int{409}},
		{Method: "POST", Path: "/api/v1/enterprises/{code}/licence-revocation", serve: deregistrationStep(s.Service.RevokeLicence), Auth: true,
			Roles: []gongshi.Role{gongshi.RoleRegulator}, Tag: "deregistration",
			Summary: "Revoke the business licence of an enterprise unreported for years and unreachable (Decree 777)",
			Description: "Decree 777 (2024), amending Decree 654, from 2024-05-01 (policy licence.revocation.unreported, named in fields.rule): no annual report for the latest 2 report years whose windows have closed, " +
				"and on the abnormal list as unreachable at its registered address (ground 4) on the day. The licence_revocation record is published and the registration's status becomes 吊销. " +
				"Before 2024-05-01, or with a condition unmet (each named), 409.",
			Request: "LicenceRevocationInput", Status: 201, Response: "Version", Errors: []int{409}},
	}
}

func deregistrationSchemas() schema {
	return schema{
		"DeregistrationApplication": obj("An application for simplified deregistration.", req("commitment"), schema{
			"commitment": strSchema("The investors' written commitment (全体投资人承诺书) that the enterprise has no debts outstanding.")}),
		"DeregistrationObjection": obj("An objection to a notice.", req("objector", "objector_kind", "content"), schema{
			"objector":      strSchema("Who objects: a person's or an organisation's name, published."),
			"objector_kind": enumSchema("", "creditor", "employee", "tax", "department", "other"),
			"content":       strSchema("The objection."),
		}),
		"CreditRepairApplication": obj("An application for credit repair of a penalty, with what the regulator verified.", req("penalty", "obligations_fulfilled", "harm_removed", "document_no"), schema{
			"penalty":               strSchema("The penalty's record id."),
			"special":               schema{"type": "boolean", "description": "A penalty in the food, drug or special-equipment field (1 year before repair)."},
			"obligations_fulfilled": schema{"type": "boolean", "description": "The penalty's obligations fulfilled."},
			"harm_removed":          schema{"type": "boolean", "description": "Its harmful effects and bad influence removed."},
			"document_no":           strSchema("The decision's document number."),
		}),
		"EarlyRemovalApplication": obj("An application for early removal of a serious listing, with what the regulator verified.", req("entry", "obligations_fulfilled", "harm_removed", "document_no"), schema{
			"entry":                 strSchema("The serious list entry's id."),
			"obligations_fulfilled": schema{"type": "boolean", "description": "The obligations of the decisions that led to the listing fulfilled."},
			"harm_removed":          schema{"type": "boolean", "description": "Their harmful effects and bad influence removed."},
			"document_no":           strSchema("The decision's document number."),
		}),
		"LicenceRevocationInput": obj("The regulator's decision to revoke a business licence.", req("document_no"), schema{
			"document_no": strSchema("The decision's document number (决定书文号)."),
		}),
		"DeregistrationDecision": obj("The registration authority's decision.", req("outcome", "document_no"), schema{
			"outcome":     enumSchema("", gongshi.DeregistrationGranted, gongshi.DeregistrationRefused),
			"reason":      strSchema("Required for a refusal."),
			"document_no": strSchema("The decision's document number."),
		}),
	}
}

// deregistrationStep serves a step: the body decoded as T, the service's method called
// with the caller and the path's code, the version made answered as created.
func deregistrationStep[T any](step func(context.Context, *gongshi.Account, string, T) (*gongshi.Version, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		code, err := pathCode(r)
		if err != nil {
			return err
		}
		var in T
		if err := decode(r, &in); err != nil {
			return err
		}
		ver, err := step(r.Context(), accountFrom(r.Context()), code, in)
		if err != nil {
			return err
		}
		return created(w, ver.Record, ver)
	}
}
