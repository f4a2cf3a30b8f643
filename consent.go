package gongshi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/gongshi/gongshi/calendar"
)

// ConsentGrant is an enterprise's consent (Art. 9: non-public items can be seen by a
// citizen, legal person or organisation with the enterprise's consent): to whom, which
// items, from when (default today) until when. The party is an account (Grantee) or, for a
// bank or a citizen without one, named by Party: the consent then comes with a code, shown
// once, that the party presents as its bearer token (ConsentCode).
type ConsentGrant struct {
	Grantee string   `json:"grantee,omitempty"`
	Party   string   `json:"party,omitempty"`
	Items   []string `json:"items"`
	From    string   `json:"from,omitempty"`
	Until   string   `json:"until"`
}

// ConsentItems are the items a consent can name: the top-level non-public fields of any
// record kind, sorted. Personal data (ID numbers) is never served, consent or not.
func ConsentItems() []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range Kinds() {
		for _, f := range k.Fields {
			if f.Visibility == NonPublic && !seen[f.Name] {
				seen[f.Name] = true
				out = append(out, f.Name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// GrantConsent records the consent of the actor's enterprise.
func (s *Disclosure) GrantConsent(ctx context.Context, actor *Account, in ConsentGrant) (*Consent, error) {
	if actor.Role != RoleEnterprise {
		return nil, &Error{Code: EFORBIDDEN, Message: fmt.Sprintf("only an enterprise's liaison gives consent to its non-public items (Art. 9); this account is %s", withArticle(string(actor.Role))), Fix: "use the enterprise's liaison token"}
	}
	today := calendar.DateOf(s.Clock.Now())
	c := &Consent{ID: newConsentID(), USCC: actor.Enterprise, Grantee: strings.TrimSpace(in.Grantee), From: in.From, Until: in.Until, GrantedBy: actor.ID}
	party := in.Party
	if err := s.checkGrantee(ctx, actor, c, &party); err != nil {
		return nil, err
	}
	if len(in.Items) == 0 {
		return nil, Invalid("items", "is empty", "name the non-public items, e.g. [\"total_assets\", \"net_profit\"]")
	}
	allowed := ConsentItems()
	for i, it := range in.Items {
		it = strings.TrimSpace(it)
		if _, ok := slices.BinarySearch(allowed, it); !ok {
			return nil, Invalid(fmt.Sprintf("items[%d]", i), fmt.Sprintf("%q is not a non-public item", it), "use one of "+joinQuoted(allowed))
		}
		if !slices.Contains(c.Items, it) {
			c.Items = append(c.Items, it)
		}
	}
	if c.From == "" {
		c.From = today.String()
	}
	from, err := calendar.ParseDate(c.From)
	if err != nil {
		return nil, Invalid("from", fmt.Sprintf("%q is not a date", c.From), "write it as YYYY-MM-DD, or leave it out for today")
	}
	until, err := calendar.ParseDate(c.Until)
	if err != nil {
		return nil, Invalid("until", fmt.Sprintf("%q is not a date", c.Until), "give the last day of the consent as YYYY-MM-DD")
	}
	if from.Before(today) {
		return nil, Invalid("from", fmt.Sprintf("%s is in the past (today is %s)", from, today), "a consent starts today or later")
	}
	if until.Before(from) {
		return nil, Invalid("until", fmt.Sprintf("%s is before %s", until, from), "give a last day on or after the first")
	}
	c.From, c.Until = from.String(), until.String()
	var code string
	err = s.Store.Write(ctx, func(tx Tx) error {
		c.GrantedAt = tx.Now()
		if party != "" {
			if err := tx.CreateAccount(&Account{ID: c.Grantee, Name: party, Role: RoleParty, CreatedAt: c.GrantedAt}, ""); err != nil {
				return err
			}
			code = newToken()
			// The code ends with the consent's last day.
			if err := tx.AddToken(c.Grantee, HashToken(code), until.AddDays(1).Start()); err != nil {
				return err
			}
		}
		return tx.PutConsent(c)
	})
	if err != nil {
		return nil, err
	}
	c.Status, c.Party, c.Code = c.status(today), party, code
	return c, nil
}

// checkGrantee checks to whom a consent is given: an existing account other than the
// actor's, or a party named by *party (cleaned in place), for whom the consent makes an
// account of role party, named after the consent.
func (s *Disclosure) checkGrantee(ctx context.Context, actor *Account, c *Consent, party *string) error {
	switch {
	case c.Grantee != "" && strings.TrimSpace(*party) != "":
		return Invalid("party", "a consent is given to an account or to a party without one, not both", "leave out grantee or party")
	case strings.TrimSpace(*party) != "":
		if err := cleanTexts(textInput{"party", party, TextPartyName}); err != nil {
			return err
		}
		c.Grantee = "party-" + strings.TrimPrefix(c.ID, "c_")
		return nil
	case c.Grantee == "":
		return Invalid("grantee", "is required", "give the id of the account that may see the items, or name a party without an account in party")
	case c.Grantee == actor.ID:
		return Invalid("grantee", "is this account", "the enterprise sees its own items already; name another account")
	}
	if _, err := s.Store.Account(ctx, c.Grantee); err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return Invalid("grantee", fmt.Sprintf("no account %q", c.Grantee), "give the id of an existing account, or name a party without an account in party")
		}
		return err
	}
	return nil
}

// RevokeConsent ends a consent of the actor's enterprise now.
func (s *Disclosure) RevokeConsent(ctx context.Context, actor *Account, id string) (*Consent, error) {
	if actor.Role != RoleEnterprise {
		return nil, &Error{Code: EFORBIDDEN, Message: fmt.Sprintf("only the enterprise's liaison revokes its consents; this account is %s", withArticle(string(actor.Role))), Fix: "use the enterprise's liaison token"}
	}
	var c *Consent
	err := s.Store.Write(ctx, func(tx Tx) error {
		var err error
		c, err = tx.Consent(id)
		if err != nil {
			return err
		}
		if c.USCC != actor.Enterprise {
			return &Error{Code: ENOTFOUND, Field: "id", Message: fmt.Sprintf("no consent %q", id), Fix: "list your consents with GET /api/v1/consents"}
		}
		if c.RevokedAt != nil {
			return &Error{Code: ECONFLICT, Field: "id", Message: "this consent was revoked on " + c.RevokedAt.Format("2006-01-02"), Fix: "nothing to do"}
		}
		now := tx.Now()
		c.RevokedAt, c.RevokedBy = &now, actor.ID
		return tx.PutConsent(c)
	})
	if err != nil {
		return nil, err
	}
	c.Status = c.status(calendar.DateOf(s.Clock.Now()))
	return c, nil
}

// Consents lists the consents the actor's enterprise has given, with their state today and
// how often each was used.
func (s *Disclosure) Consents(ctx context.Context, actor *Account) ([]*Consent, error) {
	if actor.Role != RoleEnterprise {
		return nil, &Error{Code: EFORBIDDEN, Message: fmt.Sprintf("consents are listed to the enterprise that gave them; this account is %s", withArticle(string(actor.Role))), Fix: "use the enterprise's liaison token"}
	}
	cs, err := s.Store.ConsentsOf(ctx, actor.Enterprise)
	if err != nil {
		return nil, err
	}
	vs, err := s.Store.ConsentViews(ctx, actor.Enterprise)
	if err != nil {
		return nil, err
	}
	n := map[string]int{}
	for _, v := range vs {
		n[v.Consent]++
	}
	today := calendar.DateOf(s.Clock.Now())
	for _, c := range cs {
		c.Status, c.ViewsCount = c.status(today), n[c.ID]
	}
	return cs, nil
}

// ConsentViews lists every view made under the enterprise's consents (Art. 9).
func (s *Disclosure) ConsentViews(ctx context.Context, actor *Account) ([]*ConsentView, error) {
	if actor.Role != RoleEnterprise {
		return nil, &Error{Code: EFORBIDDEN, Message: fmt.Sprintf("views under consent are shown to the enterprise that gave it; this account is %s", withArticle(string(actor.Role))), Fix: "use the enterprise's liaison token"}
	}
	return s.Store.ConsentViews(ctx, actor.Enterprise)
}

func newConsentID() string {
	b := make([]byte, 9)
	rand.Read(b)
	return "c_" + hex.EncodeToString(b)
}

// consentScope is what one read serves under consent: the items viewer holds consent to
// over ent today, and the views to record. nil when viewer holds none.
type consentScope struct {
	viewer   *Account
	ent      *Enterprise
	consents []*Consent
	items    map[string]bool
	views    []*ConsentView
}

// consentScope returns the consents viewer holds over ent today, nil if none. The
// public never holds consent; those who see everything need none.
func (s *core) consentScope(ctx context.Context, viewer *Account, ent *Enterprise) (*consentScope, error) {
	if viewer == nil || viewer.ID == "" || viewer.Role == RolePublic || access(viewer, ent, Authority{}, nil).All {
		return nil, nil
	}
	cs, err := s.Store.ConsentsHeld(ctx, ent.USCC.String(), viewer.ID, calendar.DateOf(s.Clock.Now()))
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	c := &consentScope{viewer: viewer, ent: ent, consents: cs, items: map[string]bool{}}
	for _, cn := range cs {
		for _, it := range cn.Items {
			c.items[it] = true
		}
	}
	return c, nil
}

// access is the access the consents give.
func (c *consentScope) access() Access {
	if c == nil {
		return Access{}
	}
	return Access{Items: c.items}
}

// view returns what a may see of v, noting the non-public items served only because of
// consent.
func (c *consentScope) view(k *Kind, v *Version, a Access) map[string]any {
	out := k.View(v.Body, a)
	if c == nil || a.All {
		return out
	}
	public := k.View(v.Body, Access{})
	var served []string
	for _, f := range k.Fields {
		if _, ok := out[f.Name]; ok && c.items[f.Name] {
			if _, pub := public[f.Name]; !pub {
				served = append(served, f.Name)
			}
		}
	}
	if len(served) > 0 {
		c.views = append(c.views, &ConsentView{Consent: c.consentFor(served[0]), USCC: c.ent.USCC.String(), Viewer: c.viewer.ID,
			Record: v.Record, Kind: v.Kind, Version: v.Version, Items: served})
	}
	return out
}

func (c *consentScope) consentFor(item string) string {
	for _, cn := range c.consents {
		if slices.Contains(cn.Items, item) {
			return cn.ID
		}
	}
	return c.consents[0].ID
}

// recordViews records the views a read made under consent; the read fails if they cannot
// be recorded, so that nothing is served under consent unrecorded.
func (s *core) recordViews(ctx context.Context, c *consentScope) error {
	if c == nil || len(c.views) == 0 {
		return nil
	}
	return s.Store.Write(ctx, func(tx Tx) error {
		for _, v := range c.views {
			v.At = tx.Now()
		}
		return tx.AddConsentViews(c.views)
	})
}
