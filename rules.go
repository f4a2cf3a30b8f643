package gongshi

import (
	"fmt"

	"github.com/gongshi/gongshi/calendar"
)

// The rules of who may do and see what (SPEC §1), as predicates that the services, the API
// and the pages call: an edge that offers a form asks the same rule the service applies on
// submission, so the two cannot drift.

// MayPublish checks the actor's role and scope for a new record of kind k about ent (Art.
// 6, 7, 10): the kind's publishers only; a regulator in its jurisdiction, a department for
// the kinds it is authorised for, a liaison for its own enterprise.
func MayPublish(a *Account, k *Kind, ent *Enterprise) error {
	if a == nil || a.Role == RolePublic {
		return Errorf(EUNAUTHORIZED, "log in to publish")
	}
	if !k.MayPublish(a.Role) && a.Role != RoleAdmin {
		return &Error{Code: EFORBIDDEN, Field: "kind", Message: fmt.Sprintf("an account of role %s may not publish %s records (%s)", a.Role, k.Name, k.Article), Fix: "see GET /api/v1/kinds for who publishes what"}
	}
	switch a.Role {
	case RoleRegulator:
		if !a.Covers(ent.Division) {
			return &Error{Code: EFORBIDDEN, Field: "code", Message: fmt.Sprintf("enterprise %s (division %s) is outside jurisdiction %s", ent.USCC, ent.Division, a.Jurisdiction), Fix: "the regulator of the enterprise's division publishes about it"}
		}
	case RoleDepartment:
		if !a.MayPublishKind(k.Name) {
			return &Error{Code: EFORBIDDEN, Field: "kind", Message: fmt.Sprintf("this department is not authorised to publish %s records", k.Name), Fix: "ask an administrator to authorise the kind (Art. 7)"}
		}
		if !a.InJurisdiction(ent.Division) {
			return &Error{Code: EFORBIDDEN, Field: "code", Message: fmt.Sprintf("enterprise %s (division %s) is outside this department's jurisdiction %s", ent.USCC, ent.Division, a.Jurisdiction), Fix: "the department of the enterprise's division publishes about it (Art. 7)"}
		}
	case RoleEnterprise:
		if a.Enterprise != ent.USCC.String() {
			return &Error{Code: EFORBIDDEN, Field: "code", Message: fmt.Sprintf("this liaison account speaks for %s, not %s", a.Enterprise, ent.USCC), Fix: "log in with the liaison account of the enterprise you publish for"}
		}
	}
	return nil
}

// MayAmend checks who may make a new version of a record: the side that published it, in
// scope (Art. 12: a department corrects its own records; an enterprise its own
// information). The record's publisher is its first version's: a settlement of provisional
// dates or an administrator's correction does not change whose record it is.
func MayAmend(a *Account, r *Record, ent *Enterprise) error {
	if a == nil || a.Role == RolePublic {
		return Errorf(EUNAUTHORIZED, "log in to correct a record")
	}
	if a.Role == RoleAdmin {
		return nil
	}
	k, err := LookupKind(r.Kind)
	if err != nil {
		return err
	}
	owner := r.Versions[0].Publisher
	if a.Role != owner.Role {
		return Errorf(EFORBIDDEN, "this record was published by %s; only its publisher corrects it (Art. 12)", withArticle(string(owner.Role)))
	}
	if (a.Role == RoleDepartment || a.Role == RoleCourt) && a.ID != owner.Account {
		return Errorf(EFORBIDDEN, "this record was published by %s; a department or court corrects only its own records (Art. 12)", owner.Name)
	}
	return MayPublish(a, k, ent)
}

// access returns what viewer may see in clear of a record about ent: everything for an
// administrator, a regulator in scope, the enterprise's own liaison and the publisher;
// public fields for everyone else, plus the non-public items a consent the viewer holds
// names (Art. 9; consentScope).
func access(viewer *Account, ent *Enterprise, publisher Authority, consent *consentScope) Access {
	switch {
	case viewer == nil || viewer.Role == RolePublic:
		return Access{}
	case viewer.Role == RoleAdmin,
		viewer.Role == RoleRegulator && viewer.Covers(ent.Division),
		viewer.Role == RoleEnterprise && viewer.Enterprise == ent.USCC.String(),
		viewer.ID != "" && viewer.ID == publisher.Account:
		return Access{All: true}
	}
	return consent.access()
}

// MaySeeCase reports whether viewer may see a case's content and the person who filed it
// (Art. 13): administrators, regulators whose jurisdiction covers the case's division, and
// the department a case about its own record is routed to (MayHandleCase) — never the
// enterprise concerned, whatever its access to its own records.
func MaySeeCase(viewer *Account, c *Case) bool {
	return viewer != nil && (viewer.Role == RoleAdmin || viewer.Role == RoleRegulator && viewer.Covers(c.Division) ||
		viewer.Role == RoleDepartment && viewer.ID == c.Handler)
}

// MayHandleCase checks who reviews, answers and closes a case (Art. 12, 13): the department
// that published the record it is about (Art. 12: a department corrects its own records),
// else the regulator of the enterprise's division; and administrators.
func MayHandleCase(actor *Account, c *Case) error {
	switch {
	case actor.Role == RoleAdmin:
		return nil
	case c.Handler != "":
		if actor.Role == RoleDepartment && actor.ID == c.Handler {
			return nil
		}
		return Errorf(EFORBIDDEN, "case %s is about a record of department %s, which handles it (Art. 12, 13)", c.Number, c.Handler)
	case actor.Role == RoleRegulator && actor.Covers(c.Division):
		return nil
	}
	return Errorf(EFORBIDDEN, "case %s concerns division %s, outside your jurisdiction", c.Number, c.Division)
}

// OwesAnnualReport reports whether the register judges an enterprise, whose registration
// record's first version is registration, for the annual report whose filing window closes
// on closes (Art. 8, 17): only when the registration states the enterprise's history by
// then — the day its registration arose is on or before closes. A registration arises on
// the day of establishment, unless it was loaded without the enterprise's history (gongshi
// import of a CSV of enterprises): then on the day of the import, and the register lists
// it for no report whose window had closed by then, nor shows one owed.
func OwesAnnualReport(registration *Version, closes calendar.Date) bool {
	return registration.Arose.IsZero() || !closes.Before(registration.Arose)
}
