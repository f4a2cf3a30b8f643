package gongshi

import (
	"strings"
	"time"
)

// Role is what an account is allowed to do (SPEC §1).
type Role string

const (
	RolePublic     Role = "public"     // anonymous: reads public information
	RoleEnterprise Role = "enterprise" // an enterprise's liaison (联络员), bound to one enterprise
	RoleRegulator  Role = "regulator"  // a market-regulation officer, bound to a jurisdiction
	RoleDepartment Role = "department" // another government department (Art. 7), authorised for record kinds
	RoleCourt      Role = "court"      // a people's court: judicial-assistance notices (司法协助)
	RoleAdmin      Role = "admin"      // runs the system: accounts, calendar, policy
	// RoleParty is a party without an account of its own (a bank, a citizen) to whom an
	// enterprise gave consent by a code (Art. 9): it sees what the public sees, and the
	// items of its consent. Its account is made by the consent, never by an administrator.
	RoleParty Role = "party"
)

// Roles lists the roles an account can have.
var Roles = []Role{RoleEnterprise, RoleRegulator, RoleDepartment, RoleCourt, RoleAdmin}

// Account is someone who may write, or read more than the public.
type Account struct {
	ID   string `json:"id"`
	Name string `json:"name"` // shown on what the account publishes, e.g. "上海市浦东新区市场监督管理局"
	Role Role   `json:"role"`
	// Jurisdiction is the administrative division code a regulator or a department acts in:
	// 310000 is all of Shanghai, 310100 its city districts, 310115 Pudong. A department
	// without one is a national department (国务院部门), acting everywhere; empty for
	// enterprises and administrators.
	Jurisdiction string `json:"jurisdiction,omitempty"`
	// Enterprise is the USCC of the enterprise a liaison account speaks for.
	Enterprise string `json:"enterprise,omitempty"`
	// Kinds are the record kinds a department may publish (Art. 7).
	Kinds     []string  `json:"kinds,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Anonymous is the public caller, not logged in.
var Anonymous = &Account{ID: "", Name: "public", Role: RolePublic}

// JurisdictionPrefix returns the prefix of division codes inside a jurisdiction code:
// trailing "00" pairs are dropped, so 310000 → "31", 310100 → "3101", 310115 → "310115".
func JurisdictionPrefix(code string) string {
	p := code
	for len(p) > 2 && strings.HasSuffix(p, "00") {
		p = p[:len(p)-2]
	}
	return p
}

// Covers reports whether a regulator acts over the given 6-digit division code.
func (a *Account) Covers(division string) bool {
	if a == nil {
		return false
	}
	switch a.Role {
	case RoleAdmin:
		return true
	case RoleRegulator:
		return a.Jurisdiction != "" && strings.HasPrefix(division, JurisdictionPrefix(a.Jurisdiction))
	}
	return false
}

// InJurisdiction reports whether a department acts over the given 6-digit division code
// (Art. 7: a department publishes what it decided in its own jurisdiction); a national
// department (no jurisdiction) acts everywhere. It is false for every other role.
func (a *Account) InJurisdiction(division string) bool {
	return a != nil && a.Role == RoleDepartment && strings.HasPrefix(division, JurisdictionPrefix(a.Jurisdiction))
}

// MayPublishKind reports whether a department account is authorised for a record kind.
func (a *Account) MayPublishKind(kind string) bool {
	for _, k := range a.Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// Authority is the publisher stamp on every record version: who published it and
// under which authority (SPEC §1: every write records who did it and under which authority).
type Authority struct {
	Account      string `json:"account"`
	Role         Role   `json:"role"`
	Name         string `json:"name"`
	Jurisdiction string `json:"jurisdiction,omitempty"`
}

// fields is the stamp as a document holds it (the same members as its JSON form).
func (a Authority) fields() map[string]any {
	m := map[string]any{"account": a.Account, "role": string(a.Role), "name": a.Name}
	if a.Jurisdiction != "" {
		m["jurisdiction"] = a.Jurisdiction
	}
	return m
}

// Authority returns the stamp this account puts on what it publishes.
func (a *Account) Authority() Authority {
	return Authority{Account: a.ID, Role: a.Role, Name: a.Name, Jurisdiction: a.Jurisdiction}
}
