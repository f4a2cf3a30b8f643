package gongshi

// DrawOf is the draw its record's versions (the plan, then the draw) publish: every draw
// answer is read from them, as enterprise answers are from theirs (dossier.go).
func DrawOf(vs []*Version) (*Draw, error) {
	if len(vs) == 0 || len(vs) > 2 || vs[0].Kind != KindDraw {
		return nil, Errorf(EINTERNAL, "a draw's record has %d versions, or is not a draw", len(vs))
	}
	plan, last := vs[0], vs[len(vs)-1]
	b := last.Body
	pop, _ := b["population"].(map[string]any)
	cp, _ := pop["checkpoint"].(map[string]any)
	roster, _ := b["roster"].(map[string]any)
	directed, _ := b["directed"].(bool)
	d := &Draw{Number: stringField(b, "number"), Title: stringField(b, "title"), Jurisdiction: stringField(b, "jurisdiction"),
		Directed: directed, State: stringField(b, "state"), SampleSize: int(intField(b, "sample_size")), Minimum: int(intField(b, "minimum")),
		MinimumPolicy: stringField(b, "minimum_policy"), InspectorsPerEnterprise: int(intField(b, "inspectors_per_enterprise")),
		PopulationCount: int(intField(pop, "count")), PopulationSHA256: stringField(pop, "sha256"),
		RosterCount: int(intField(roster, "count")), RosterSHA256: stringField(roster, "sha256"),
		Checkpoint: Checkpoint{Size: intField(cp, "size"), Root: stringField(cp, "root")}, SeedSHA256: stringField(b, "seed_sha256"),
		Seed: stringField(b, "seed"), ResultSHA256: stringField(b, "result_sha256"),
		PlannedAt: plan.PublishedAt, PlannedBy: plan.Publisher, Record: plan.Record}
	if st, ok := b["stratum"].(map[string]any); ok {
		d.Stratum = &Stratum{Divisions: stringList(st["divisions"]), Types: stringList(st["types"]),
			Categories: stringList(st["categories"]), Statuses: stringList(st["statuses"]), Lists: stringList(st["lists"]),
			Industries: stringList(st["industries"]), Sizes: stringList(st["sizes"])}
	}
	items, _ := b["check_items"].([]any)
	for _, x := range items {
		m, _ := x.(map[string]any)
		d.CheckItems = append(d.CheckItems, DrawCheckItem{ID: stringField(m, "id"), Name: stringField(m, "name"), SHA256: stringField(m, "sha256")})
	}
	d.Versions = []DrawVersion{{DrawPlanned, plan.LogIndex, plan.SHA256}}
	if len(vs) == 2 {
		at, by := last.PublishedAt, last.Publisher
		d.DrawnAt, d.DrawnBy = &at, &by
		d.Versions = append(d.Versions, DrawVersion{DrawDrawn, last.LogIndex, last.SHA256})
	}
	return d, nil
}

// textSHA256 is the hash a draw's document holds of its population, roster or result text.
func (d *Draw) textSHA256(which string) string {
	return map[string]string{"population": d.PopulationSHA256, "roster": d.RosterSHA256, "result": d.ResultSHA256}[which]
}

func stringList(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
