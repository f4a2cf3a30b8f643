package gongshi

// List entries are a projection of the decisions (SPEC §8): a listing or marking decision
// opens an entry, a serious listing opens one on the serious list, a warning marks its
// entry, and a removal, a restoration, an upheld objection or the five-year expiry ends one.
// The write path and `gongshi verify` both make entries with these functions, so the
// list_entries rows can be checked against the logged decisions.

// newEntry is the entry a listing, marking or serious-listing decision opens.
func newEntry(v *Version) *ListEntry {
	b := v.Body
	e := &ListEntry{ID: v.Record, USCC: v.Subject, Name: v.SubjectName, List: stringField(b, "list"),
		Ground: int(intField(b, "ground")), Period: stringField(b, "period"), Arose: stringField(b, "counted_from"),
		Since: stringField(b, "decided"), Authority: stringField(b, "authority"), Jurisdiction: v.Publisher.Jurisdiction,
		DocumentNo: stringField(b, "document_no"), Record: v.Record}
	if len(v.Subject) == 18 {
		e.Division = v.Subject[2:8]
	}
	if v.Kind == KindSeriousListing.Name {
		e.Origin, e.BanUntil, e.BannedPerson = stringField(b, "listing"), stringField(b, "ban_until"), stringField(b, "banned_person")
	}
	return e
}

// applyDecision applies the first version of a decision to the entries it concerns (by
// ID) and returns the entry it opened or changed; nil when it changes none (a refusal, a
// rejected objection, a decision about an entry not in entries). A kind it reads is one of
// SummaryKinds.
func applyDecision(entries map[string]*ListEntry, v *Version) *ListEntry {
	if v.Version != 1 {
		return nil // a later version corrects the decision's text; its effect stands
	}
	switch v.Kind {
	case KindAbnormalListing.Name, KindAbnormalMarking.Name, KindSeriousListing.Name:
		e := newEntry(v)
		entries[e.ID] = e
		return e
	}
	e := entries[stringField(v.Body, "listing")]
	if e == nil {
		return nil
	}
	decided, outcome := stringField(v.Body, "decided"), stringField(v.Body, "outcome")
	end := func(how string) *ListEntry {
		e.Until, e.Ended, e.EndRecord = decided, how, v.Record
		return e
	}
	switch {
	case v.Kind == KindAbnormalWarning.Name:
		e.Warned = decided
		return e
	case outcome == OutcomeRemoved && (v.Kind == KindAbnormalRemoval.Name || v.Kind == KindMarkingRestoration.Name || v.Kind == KindSeriousRemoval.Name):
		return end(EndCured)
	case v.Kind == KindSeriousExpiry.Name:
		return end(EndAutomatic)
	case v.Kind == KindObjectionAnswer.Name && outcome == OutcomeUpheld:
		return end(EndCorrected)
	}
	return nil
}

// ProjectEntries is every list entry an enterprise's versions (in log order) make, oldest
// first.
func ProjectEntries(vs []*Version) []*ListEntry {
	out := []*ListEntry{}
	byID := map[string]*ListEntry{}
	for _, v := range vs {
		if e := applyDecision(byID, v); e != nil && e.ID == v.Record {
			out = append(out, e)
		}
	}
	return out
}

// intField returns an integer field of a body, 0 when absent.
func intField(body map[string]any, name string) int64 {
	n, _ := body[name].(int64)
	return n
}
