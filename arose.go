package gongshi

import (
	"fmt"

	"github.com/gongshi/gongshi/calendar"
)

// Dates that tell the truth. A record says when its information arose; its publication
// deadline counts from that day (Art. 6, 7, 10), so a later day would make a late record
// look on time. The record's own date of what it records bounds it (Field.Event), and a
// correction (Art. 12) keeps the day and the timeliness of what it corrects.

// boundArose refuses an arose after a date the body gives for what the record records:
// the information arose that day at the latest.
func boundArose(k *Kind, body map[string]any, arose calendar.Date) error {
	for _, f := range k.Fields {
		if !f.Event {
			continue
		}
		d, err := calendar.ParseDate(stringField(body, f.Name))
		if err != nil {
			continue // absent: Normalize requires it where the kind does
		}
		if arose.After(d) {
			return Invalid("arose", fmt.Sprintf("%s is after fields.%s %s (%s): the information arose that day at the latest", arose, f.Name, d, f.Label),
				fmt.Sprintf("give the day the information arose, %s or earlier", d))
		}
	}
	return nil
}

// eventDate returns the earliest date the body gives for what the record records.
func eventDate(k *Kind, body map[string]any) (calendar.Date, bool) {
	var first calendar.Date
	for _, f := range k.Fields {
		if d, err := calendar.ParseDate(stringField(body, f.Name)); f.Event && err == nil && (first.IsZero() || d.Before(first)) {
			first = d
		}
	}
	return first, !first.IsZero()
}

// amendedArose returns the day the information of a new version of a record arose, and
// the version whose publication judges it on time or late (nil: its own publication).
//
// A correction — no arose given, or the record's own — keeps what it corrects: its arose
// and its timeliness, however much later it comes; only if it moves the record's own
// date of what it records (Field.Event) before that arose does the arose follow it. A
// registration change given no arose arose today: the regulator registers it itself.
// Any other arose is new information (a cancellation, a change) with a timeliness of its
// own, and bounded like a first publication.
func (s *core) amendedArose(tx Tx, k *Kind, ent *Enterprise, vs []*Version, body map[string]any, given string) (calendar.Date, *Version, error) {
	prev := vs[len(vs)-1]
	if given == "" && k == KindRegistration {
		given = calendar.DateOf(tx.Now()).String()
	}
	if given == "" || given == prev.Arose.String() {
		arose := prev.Arose
		if d, ok := eventDate(k, body); ok && arose.After(d) {
			arose = d
		}
		return arose, judgedBy(vs), nil
	}
	arose, err := s.checkArose(tx, "arose", given, ent.Established)
	if err != nil {
		return arose, nil, err
	}
	return arose, nil, boundArose(k, body, arose)
}

// judgedBy returns the version whose publication judges the timeliness of a record's
// latest information: the first of the latest versions that share its arose. The
// corrections and settlements after it keep its timeliness (Art. 12).
func judgedBy(vs []*Version) *Version {
	j := len(vs) - 1
	for j > 0 && vs[j-1].Arose == vs[j].Arose {
		j--
	}
	return vs[j]
}
