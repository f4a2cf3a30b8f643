package gongshi

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/draw"
	"github.com/gongshi/gongshi/translog"
)

// Spot checks by verifiable lottery (随机抽查, "double random, one public" 双随机、一公开;
// Art. 14, 15; SPEC §6).
//
// A draw is one record about no single enterprise (its subject is the jurisdiction's
// division code), with two versions, each a log leaf whose document has the type
// "gongshi.spotcheck/v1":
//
//  1. the plan (state "planned") commits to the population (its size and digest, the
//     snapshot pinned to the log's size and root hash when it was taken), the inspector
//     roster (its size and digest), the sample size, the inspectors per enterprise and
//     SHA-256 of the secret seed;
//  2. the draw (state "drawn") reveals the seed and publishes the result digest.
//
// The population is read in the plan's own write transaction: it is the register as of the
// leaf just before the plan's, and the pinned log state (committed size and root when the
// plan's batch began) is at or before that leaf — `gongshi draw --verify` proves it a prefix
// of the signed log. The seed is stored, never served, until the draw.
//
// The texts whose digests are published are served as they were hashed, and package draw
// specifies how the result follows from them. The result of each check is a
// spot_check_result record about the checked enterprise.

// Draw states.
const (
	DrawPlanned = "planned"
	DrawDrawn   = "drawn"
)

// KindDraw names the records and log leaves of draws.
const KindDraw = "spot_check_draw"

// SpotCheckDocumentType is the type of a draw version's document.
const SpotCheckDocumentType = "gongshi.spotcheck/v1"

// Stratum narrows a directed draw (定向抽查) to enterprises matching every non-empty list.
type Stratum struct {
	Divisions  []string `json:"divisions,omitempty"`  // division-code prefixes (districts, areas) inside the jurisdiction
	Types      []string `json:"types,omitempty"`      // registered types (EnterpriseTypes)
	Categories []string `json:"categories,omitempty"` // enterprise, individual, cooperative
	Statuses   []string `json:"statuses,omitempty"`   // registration statuses (EnterpriseStatuses)
	// Lists selects by list status on the day of the draw (SPEC §6: a stratum of list
	// status): ListAbnormal, ListSerious or ListMarked for those on that list, ListNone for
	// those on none.
	Lists []string `json:"lists,omitempty"`
	// Industries are sections of GB/T 4754-2017 (Industries) the registration names; an
	// enterprise whose registration names none is in no industry's stratum.
	Industries []string `json:"industries,omitempty"`
	// Sizes are size bands of the registered capital (Sizes; industry.go says why).
	Sizes []string `json:"sizes,omitempty"`
}

// ListNone is the list status of an enterprise on no list, in a stratum.
const ListNone = "none"

// DrawPlan is a regulator's plan of a draw.
type DrawPlan struct {
	Title string `json:"title"`
	// Jurisdiction defaults to the regulator's own; it must lie inside it.
	Jurisdiction string   `json:"jurisdiction,omitempty"`
	Stratum      *Stratum `json:"stratum,omitempty"` // nil: undirected (all enterprises of the jurisdiction)
	SampleSize   int      `json:"sample_size"`
	// InspectorsPerEnterprise defaults to, and is at least, 2 (双随机).
	InspectorsPerEnterprise int `json:"inspectors_per_enterprise,omitempty"`
	// CheckItems are the ids of the check items the draw covers (checkitems.go): in force
	// on the day of the plan, of authorities over the jurisdiction.
	CheckItems []string `json:"check_items,omitempty"`
}

// Checkpoint is a log size and root hash (standard base64).
type Checkpoint struct {
	Size int64  `json:"size"`
	Root string `json:"root"`
}

// Draw is a spot-check draw.
type Draw struct {
	Number       string   `json:"number"` // D<year>-<jurisdiction>-<seq>
	Title        string   `json:"title"`
	Jurisdiction string   `json:"jurisdiction"`
	Directed     bool     `json:"directed"`
	Stratum      *Stratum `json:"stratum,omitempty"`
	// CheckItems are the check items the plan named, each pinned to its version then.
	CheckItems              []DrawCheckItem `json:"check_items,omitempty"`
	State                   string          `json:"state"`
	SampleSize              int             `json:"sample_size"`
	Minimum                 int             `json:"minimum"`
	MinimumPolicy           string          `json:"minimum_policy"`
	InspectorsPerEnterprise int             `json:"inspectors_per_enterprise"`
	PopulationCount         int             `json:"population_count"`
	PopulationSHA256        string          `json:"population_sha256"`
	RosterCount             int             `json:"roster_count"`
	RosterSHA256            string          `json:"roster_sha256"`
	Checkpoint              Checkpoint      `json:"checkpoint"`
	SeedSHA256              string          `json:"seed_sha256"`
	Seed                    string          `json:"seed,omitempty"` // revealed at the draw
	ResultSHA256            string          `json:"result_sha256,omitempty"`
	PlannedAt               time.Time       `json:"planned_at"`
	PlannedBy               Authority       `json:"planned_by"`
	DrawnAt                 *time.Time      `json:"drawn_at,omitempty"`
	DrawnBy                 *Authority      `json:"drawn_by,omitempty"`
	Record                  string          `json:"record"`
	// Versions are the plan's and the draw's log leaves: log index and document SHA-256.
	Versions []DrawVersion `json:"versions"`
}

// DrawVersion locates one published step of a draw in the log.
type DrawVersion struct {
	State    string `json:"state"`
	LogIndex int64  `json:"log_index"`
	SHA256   string `json:"sha256"`
}

// InspectorEntry is a regulator account on the inspector roster (执法检查人员名录库).
type InspectorEntry struct {
	Account      string     `json:"account"`
	Name         string     `json:"name"`
	Jurisdiction string     `json:"jurisdiction"`
	AddedAt      time.Time  `json:"added_at"`
	Conflicts    []Conflict `json:"conflicts"`
}

// Conflict is a declared conflict of interest of an inspector with an enterprise.
type Conflict struct {
	Enterprise string    `json:"enterprise"`
	Reason     string    `json:"reason,omitempty"`
	DeclaredAt time.Time `json:"declared_at"`
}

// Inspectors adds a regulator account to the inspector roster. The caller is an
// administrator or a regulator whose jurisdiction covers the account's.
func (s *SpotChecks) AddInspector(ctx context.Context, actor *Account, accountID string) (*InspectorEntry, error) {
	a, err := s.Store.Account(ctx, accountID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Invalid("account", fmt.Sprintf("no account %q", accountID), "give the id of a regulator account")
	} else if err != nil {
		return nil, err
	}
	if a.Role != RoleRegulator {
		return nil, Invalid("account", fmt.Sprintf("%s is %s account", accountID, withArticle(string(a.Role))), "inspectors are market-regulation officers: give a regulator account")
	}
	if !actor.Covers(a.Jurisdiction) {
		return nil, Errorf(EFORBIDDEN, "account %s (jurisdiction %s) is outside your jurisdiction %s", a.ID, a.Jurisdiction, actor.Jurisdiction)
	}
	in := &InspectorEntry{Account: a.ID, Name: a.Name, Jurisdiction: a.Jurisdiction, Conflicts: []Conflict{}}
	err = s.Store.Write(ctx, func(tx Tx) error {
		in.AddedAt = tx.Now()
		return tx.PutInspector(in)
	})
	return in, err
}

// DeclareConflict records that an inspector has a conflict of interest with an enterprise:
// no draw assigns it to check that enterprise. The inspector declares it, or a regulator
// covering the inspector's jurisdiction.
func (s *SpotChecks) DeclareConflict(ctx context.Context, actor *Account, accountID string, c Conflict) (*Conflict, error) {
	a, err := s.Store.Account(ctx, accountID)
	if err != nil {
		return nil, err
	}
	if actor.ID != a.ID && !actor.Covers(a.Jurisdiction) {
		return nil, Errorf(EFORBIDDEN, "only the inspector or a regulator over %s declares its conflicts", a.Jurisdiction)
	}
	if err := cleanTexts(textInput{"reason", &c.Reason, TextLine}); err != nil {
		return nil, err
	}
	err = s.Store.Write(ctx, func(tx Tx) error {
		ent, err := tx.EnterpriseByCode(c.Enterprise)
		if err != nil {
			return asField(err, "enterprise")
		}
		c.Enterprise, c.DeclaredAt = ent.USCC.String(), tx.Now()
		return tx.PutConflict(a.ID, c)
	})
	return &c, err
}

// Roster returns the inspectors of the caller's jurisdiction.
func (s *SpotChecks) Roster(ctx context.Context, actor *Account) ([]*InspectorEntry, error) {
	if actor.Role != RoleRegulator && actor.Role != RoleAdmin {
		return nil, Errorf(EFORBIDDEN, "the inspector roster is for regulators")
	}
	return s.Store.Roster(ctx, JurisdictionPrefix(actor.Jurisdiction))
}

// PlanDraw publishes a draw's plan: it takes the population snapshot and the roster,
// makes a secret seed and commits to all three (SPEC §6). A sample below the policy's
// minimum (SAIC Order 67: 3%) is refused.
func (s *SpotChecks) PlanDraw(ctx context.Context, actor *Account, in DrawPlan) (d *Draw, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		d, err = s.PlanDrawTx(tx, actor, in)
		return err
	})
	return d, err
}

// PlanDrawTx is PlanDraw inside a write transaction.
func (s *SpotChecks) PlanDrawTx(tx Tx, actor *Account, in DrawPlan) (*Draw, error) {
	if actor.Role != RoleRegulator && actor.Role != RoleAdmin {
		return nil, Errorf(EFORBIDDEN, "spot checks are drawn by market regulators (Art. 14); this account is %s", withArticle(string(actor.Role)))
	}
	j := in.Jurisdiction
	if j == "" {
		j = actor.Jurisdiction
	}
	if len(j) != 6 || strings.Trim(j, "0123456789") != "" {
		return nil, Invalid("jurisdiction", fmt.Sprintf("%q is not a 6-digit division code", j), "give e.g. 310115, or leave it out for your own jurisdiction")
	}
	if !actor.Covers(j) {
		return nil, &Error{Code: EFORBIDDEN, Field: "jurisdiction", Message: fmt.Sprintf("%s is outside your jurisdiction %s", j, actor.Jurisdiction), Fix: "draw in your own jurisdiction"}
	}
	title := in.Title
	if err := cleanTexts(textInput{"title", &title, TextLine}); err != nil {
		return nil, err
	}
	if title == "" {
		return nil, Invalid("title", "is required", "name the draw, e.g. 2026年度浦东新区双随机抽查")
	}
	per := in.InspectorsPerEnterprise
	if per == 0 {
		per = 2
	}
	if per < 2 || per > 10 {
		return nil, Invalid("inspectors_per_enterprise", fmt.Sprintf("%d is not from 2 to 10", per), "at least two inspectors check each enterprise (双随机)")
	}
	prefix := JurisdictionPrefix(j)
	if err := checkStratum(in.Stratum, prefix); err != nil {
		return nil, err
	}
	items, err := drawItems(tx, in.CheckItems, j)
	if err != nil {
		return nil, err
	}
	codes, err := tx.PopulationCodes(prefix, in.Stratum)
	if err != nil {
		return nil, err
	}
	today := calendar.DateOf(tx.Now())
	minimum, entry, err := s.Rules.SpotCheckMinimum(len(codes), today)
	if err != nil {
		return nil, err
	}
	switch {
	case len(codes) == 0:
		return nil, Invalid("stratum", "no enterprise is in this population", "widen the stratum or choose another jurisdiction")
	case in.SampleSize < minimum:
		return nil, Invalid("sample_size", fmt.Sprintf("%d is below the minimum of %d for a population of %d (policy %s)", in.SampleSize, minimum, len(codes), entry.Ref()),
			fmt.Sprintf("draw at least %d enterprises", minimum))
	case in.SampleSize > len(codes):
		return nil, Invalid("sample_size", fmt.Sprintf("%d is more than the population of %d", in.SampleSize, len(codes)), fmt.Sprintf("draw at most %d", len(codes)))
	}
	pop, err := draw.Population(codes)
	if err != nil {
		return nil, err
	}
	roster, err := tx.RosterOf(prefix)
	if err != nil {
		return nil, err
	}
	if len(roster) < per {
		return nil, Invalid("inspectors_per_enterprise", fmt.Sprintf("the roster of %s has %d inspectors, fewer than %d", j, len(roster), per), "add inspectors to the roster (POST /api/v1/inspectors)")
	}
	rosterText, err := draw.Roster(roster)
	if err != nil {
		return nil, err
	}
	var seed draw.Seed
	if _, err := rand.Read(seed[:]); err != nil {
		return nil, err
	}
	seq, err := tx.NextNumber(DrawNumbers, fmt.Sprintf("D%d-%s-", today.Year(), j))
	if err != nil {
		return nil, err
	}
	size, root := tx.LogHead()
	d := &Draw{
		Number: fmt.Sprintf("D%d-%s-%04d", today.Year(), j, seq), Title: title, Jurisdiction: j,
		Directed: in.Stratum != nil, Stratum: in.Stratum, CheckItems: items, State: DrawPlanned,
		SampleSize: in.SampleSize, Minimum: minimum, MinimumPolicy: entry.Ref(), InspectorsPerEnterprise: per,
		PopulationCount: len(codes), PopulationSHA256: draw.Digest(pop),
		RosterCount: len(roster), RosterSHA256: draw.Digest(rosterText),
		Checkpoint: Checkpoint{Size: size, Root: root}, SeedSHA256: seed.Commitment(),
		PlannedAt: tx.Now(), PlannedBy: actor.Authority(),
	}
	if d.Record, err = tx.NewPlainRecord(KindDraw); err != nil {
		return nil, err
	}
	v, err := s.sealDraw(tx, actor, d, 1)
	if err != nil {
		return nil, err
	}
	d.Versions = []DrawVersion{{DrawPlanned, v.LogIndex, v.SHA256}}
	return d, tx.CreateDraw(d, pop, rosterText, seed[:])
}

func checkStratum(st *Stratum, prefix string) error {
	if st == nil {
		return nil
	}
	for i, d := range st.Divisions {
		if len(d) < 2 || len(d) > 6 || strings.Trim(d, "0123456789") != "" || !(strings.HasPrefix(d, prefix) || strings.HasPrefix(prefix, d)) {
			return Invalid(fmt.Sprintf("stratum.divisions[%d]", i), fmt.Sprintf("%q is not a division-code prefix inside the jurisdiction (%s…)", d, prefix), "give a district's code such as 310115")
		}
	}
	lists := []struct {
		name   string
		values []string
		allow  []string
		fix    string // "" for "use one of" the allowed values
	}{
		{"types", st.Types, EnterpriseTypes, ""},
		{"categories", st.Categories, []string{string(CategoryEnterprise), string(CategoryIndividual), string(CategoryCooperative)}, ""},
		{"statuses", st.Statuses, EnterpriseStatuses, ""},
		{"lists", st.Lists, []string{ListAbnormal, ListSerious, ListMarked, ListNone}, ""},
		{"industries", st.Industries, Industries, "give a section letter of GB/T 4754-2017, A (农、林、牧、渔业) to T (国际组织)"},
		{"sizes", st.Sizes, Sizes, ""},
	}
	for _, l := range lists {
		for i, v := range l.values {
			if !contains(l.allow, v) {
				fix := l.fix
				if fix == "" {
					fix = "use one of " + joinQuoted(l.allow)
				}
				return Invalid(fmt.Sprintf("stratum.%s[%d]", l.name, i), "unknown value "+quote(v), fix)
			}
		}
	}
	return nil
}

// RunDraw reveals a planned draw's seed and publishes its result: the selection and the
// inspectors assigned to each selected enterprise, by package draw's algorithm.
func (s *SpotChecks) RunDraw(ctx context.Context, actor *Account, number string) (d *Draw, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		d, err = s.RunDrawTx(tx, actor, number)
		return err
	})
	return d, err
}

// RunDrawTx is RunDraw inside a write transaction.
func (s *SpotChecks) RunDrawTx(tx Tx, actor *Account, number string) (*Draw, error) {
	d, seedBytes, err := tx.DrawSecret(number)
	if err != nil {
		return nil, err
	}
	if actor.Role != RoleAdmin && !(actor.Role == RoleRegulator && actor.Covers(d.Jurisdiction)) {
		return nil, Errorf(EFORBIDDEN, "draw %s is in jurisdiction %s, outside yours", d.Number, d.Jurisdiction)
	}
	if d.State != DrawPlanned {
		return nil, Errorf(ECONFLICT, "draw %s was already drawn on %s", d.Number, d.DrawnAt.Format(time.DateOnly))
	}
	pop, err := s.drawText(context.Background(), d, "population")
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(ECONFLICT, "draw %s is being planned; try again in a moment", d.Number)
	} else if err != nil {
		return nil, err
	}
	rosterText, err := s.drawText(context.Background(), d, "roster")
	if err != nil {
		return nil, err
	}
	codes, err := draw.ParsePopulation(pop)
	if err != nil {
		return nil, err
	}
	roster, err := draw.ParseRoster(rosterText)
	if err != nil {
		return nil, err
	}
	var seed draw.Seed
	copy(seed[:], seedBytes)
	as, err := draw.Run(seed, codes, d.SampleSize, roster, d.InspectorsPerEnterprise)
	if err != nil {
		return nil, Invalid("roster", err.Error(), "declare fewer conflicts or add inspectors, then plan a new draw")
	}
	result := draw.Result(as)
	now := tx.Now()
	by := actor.Authority()
	d.State, d.Seed, d.ResultSHA256, d.DrawnAt, d.DrawnBy = DrawDrawn, seed.String(), draw.Digest(result), &now, &by
	v, err := s.sealDraw(tx, actor, d, 2)
	if err != nil {
		return nil, err
	}
	d.Versions = append(d.Versions, DrawVersion{DrawDrawn, v.LogIndex, v.SHA256})
	return d, tx.SaveDrawResult(d, result, as)
}

// sealDraw publishes version n of a draw's record: the plan (1) or the draw (2). The
// document is canonical JSON (translog.CanonicalJSON) of
//
//	{"type": "gongshi.spotcheck/v1", "kind": "spot_check_draw", "record", "version",
//	 "number", "title", "jurisdiction", "directed", "stratum" (directed only: its non-empty
//	 lists of divisions, types, categories, statuses, lists, industries, sizes),
//	 "check_items" (when named: [{"id", "name", "sha256"}]), "state",
//	 "sample_size", "minimum", "minimum_policy", "inspectors_per_enterprise",
//	 "population": {"count", "sha256", "checkpoint": {"size", "root"}},
//	 "roster": {"count", "sha256"}, "seed_sha256", "published_at", "publisher",
//	 and from version 2: "seed", "result_sha256", "previous" (the plan document's SHA-256)}
func (s *SpotChecks) sealDraw(tx Tx, actor *Account, d *Draw, n int) (*Version, error) {
	body := map[string]any{
		"number": d.Number, "title": d.Title, "jurisdiction": d.Jurisdiction, "directed": d.Directed,
		"state": d.State, "sample_size": int64(d.SampleSize), "minimum": int64(d.Minimum), "minimum_policy": d.MinimumPolicy,
		"inspectors_per_enterprise": int64(d.InspectorsPerEnterprise),
		"population": map[string]any{"count": int64(d.PopulationCount), "sha256": d.PopulationSHA256,
			"checkpoint": map[string]any{"size": d.Checkpoint.Size, "root": d.Checkpoint.Root}},
		"roster":      map[string]any{"count": int64(d.RosterCount), "sha256": d.RosterSHA256},
		"seed_sha256": d.SeedSHA256,
	}
	if d.Stratum != nil {
		body["stratum"] = stratumMap(d.Stratum)
	}
	if len(d.CheckItems) > 0 {
		l := make([]any, len(d.CheckItems))
		for i, c := range d.CheckItems {
			l[i] = map[string]any{"id": c.ID, "name": c.Name, "sha256": c.SHA256}
		}
		body["check_items"] = l
	}
	if n == 2 {
		body["seed"], body["result_sha256"] = d.Seed, d.ResultSHA256
	}
	v := &Version{Record: d.Record, Kind: KindDraw, Subject: d.Jurisdiction, SubjectName: d.Title, Version: n,
		Arose: calendar.DateOf(tx.Now()), PublishedAt: tx.Now(), Publisher: actor.Authority(), OnTime: true, Body: body}
	doc := map[string]any{"type": SpotCheckDocumentType, "kind": KindDraw, "record": v.Record, "version": int64(n),
		"published_at": v.PublishedAt.UTC().Format(time.RFC3339Nano), "publisher": v.Publisher}
	for k, x := range body {
		doc[k] = x
	}
	if n == 2 {
		doc["previous"] = d.Versions[0].SHA256
		v.Previous = d.Versions[0].SHA256
	}
	b, err := translog.CanonicalJSON(doc)
	if err != nil {
		return nil, err
	}
	v.Document, v.SHA256 = b, translog.DocumentHash(b)
	if err := tx.AppendVersion(v); err != nil {
		return nil, err
	}
	return v, nil
}

func stratumMap(st *Stratum) map[string]any {
	m := map[string]any{}
	add := func(k string, vs []string) {
		if len(vs) > 0 {
			l := make([]any, len(vs))
			for i, v := range vs {
				l[i] = v
			}
			m[k] = l
		}
	}
	add("divisions", st.Divisions)
	add("types", st.Types)
	add("categories", st.Categories)
	add("statuses", st.Statuses)
	add("lists", st.Lists)
	add("industries", st.Industries)
	add("sizes", st.Sizes)
	return m
}

// Draw returns a draw as its logged documents publish it: the seed only once drawn.
func (s *SpotChecks) Draw(ctx context.Context, number string) (*Draw, error) {
	svs, err := s.Store.DrawVersions(ctx, strings.TrimSpace(number))
	if err != nil {
		return nil, err
	}
	return openDraw(svs)
}

func openDraw(svs []StoredVersion) (*Draw, error) {
	vs := make([]*Version, len(svs))
	for i, sv := range svs {
		v, err := OpenVersion(sv, false)
		if err != nil {
			return nil, err
		}
		vs[i] = v
	}
	return DrawOf(vs)
}

// DrawText returns a draw's population, roster or result text (package draw), checked
// against the hash its document holds; the result exists once drawn.
func (s *SpotChecks) DrawText(ctx context.Context, number, which string) ([]byte, error) {
	d, err := s.Draw(ctx, number)
	if err != nil {
		return nil, err
	}
	return s.drawText(ctx, d, which)
}

// drawText reads one of d's texts and checks it against d's document.
func (s *SpotChecks) drawText(ctx context.Context, d *Draw, which string) ([]byte, error) {
	text, err := s.Store.DrawText(ctx, d.Number, which)
	if err != nil {
		return nil, err
	}
	if want := d.textSHA256(which); draw.Digest(text) != want {
		return nil, Errorf(EINTERNAL, "the %s of draw %s does not hash to the %s its document holds", which, d.Number, want)
	}
	return text, nil
}

// Draws lists the latest draws of divisions starting with jurisdiction's prefix.
func (s *SpotChecks) Draws(ctx context.Context, jurisdiction string) ([]*Draw, error) {
	if jurisdiction != "" && (len(jurisdiction) != 6 || strings.Trim(jurisdiction, "0123456789") != "") {
		return nil, Invalid("jurisdiction", fmt.Sprintf("%q is not a 6-digit division code", jurisdiction), "give e.g. 310115 or leave it out")
	}
	p := ""
	if jurisdiction != "" {
		p = JurisdictionPrefix(jurisdiction)
	}
	all, err := s.Store.Draws(ctx, p, 100)
	if err != nil {
		return nil, err
	}
	out := make([]*Draw, len(all))
	for i, svs := range all {
		if out[i], err = openDraw(svs); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// asField names field as the offending input of a domain error (an enterprise not found
// by the code given in field, say).
func asField(err error, field string) error {
	if e := AsError(err); e != nil {
		c := *e
		c.Field = field
		return &c
	}
	return err
}
