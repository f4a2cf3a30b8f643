package gongshi

import (
	"time"

	"github.com/gongshi/gongshi/calendar"

	"github.com/gongshi/gongshi/translog"
)

// Record is a published record: a chain of versions of which none is ever overwritten
// (Art. 12: both the information before and after a correction are published).
type Record struct {
	ID       string     `json:"id"`
	Kind     string     `json:"kind"`
	Subject  string     `json:"subject"` // USCC of the enterprise the record is about
	Section  Section    `json:"section"`
	Versions []*Version `json:"versions"`
}

// Latest returns the newest version.
func (r *Record) Latest() *Version { return r.Versions[len(r.Versions)-1] }

// Version is one published version of a record. Every version is a leaf of the
// transparency log (SPEC §9) whose document is its canonical public form.
type Version struct {
	Record      string        `json:"record"`
	Kind        string        `json:"kind"`
	Subject     string        `json:"subject"`
	SubjectName string        `json:"subject_name"`
	Version     int           `json:"version"`
	Arose       calendar.Date `json:"arose"` // the date the information arose
	PublishedAt time.Time     `json:"published_at"`
	Due         calendar.Date `json:"due,omitzero"` // the publication deadline, from the policy table
	OnTime      bool          `json:"on_time"`
	Policy      string        `json:"policy,omitempty"` // the policy entry the deadline came from
	Publisher   Authority     `json:"publisher"`
	Reason      string        `json:"reason,omitempty"` // why a later version corrects an earlier one
	Changes     []Change      `json:"changes,omitempty"`
	// Fields are the body as the caller may see it (see Kind.View).
	Fields    map[string]any `json:"fields"`
	Previous  string         `json:"previous,omitempty"` // SHA-256 of the previous version's document
	SHA256    string         `json:"sha256"`
	LogIndex  int64          `json:"log_index"`
	Withdrawn *Withdrawal    `json:"withdrawn,omitempty"`
	// Provisional names the dates of this version that await a year's working-day
	// schedule: nominal days, settled by a later version once it is loaded (provisional.go).
	Provisional *ProvisionalDates `json:"provisional,omitempty"`

	// Body is the normalised body: with hidden fields when the version was sealed or
	// opened with its private values (OpenVersion), else its public fields. Never served
	// as is: Fields is what a caller may see of it.
	Body map[string]any `json:"-"`
	// Document is the exact bytes whose SHA-256 the log leaf names.
	Document []byte `json:"-"`
	// Private is the canonical JSON of the values Document holds only as salted hashes
	// (StoredVersion.Private); nil when there are none.
	Private []byte `json:"-"`

	public map[string]any // the document's fields
}

// hideWithdrawn reduces a withdrawn version to what its log leaf says (kind, record,
// version, subject, publication time, document hash) and the withdrawal: all that is
// public of a document withdrawn from public view. Its fields, dates, publisher, reason
// and changes were the document's, and a correction's before and after would show them.
func (v *Version) hideWithdrawn() {
	*v = Version{Record: v.Record, Kind: v.Kind, Subject: v.Subject, Version: v.Version, PublishedAt: v.PublishedAt,
		SHA256: v.SHA256, LogIndex: v.LogIndex, Withdrawn: v.Withdrawn}
}

// Withdrawal records that a version's document was withdrawn from public view (a penalty
// past its display period, a court-ordered redaction). Its leaf stays in the log.
type Withdrawal struct {
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
	// Record is the withdrawal's own record (KindWithdrawal), when read from a dossier.
	Record string `json:"record,omitempty"`

	logIndex int64   // of the withdrawal: it withdraws the versions logged before it
	section  Section // of the record withdrawn (its publisher's side)
}

// DocumentType names the format of record documents.
const DocumentType = "gongshi.record/v1"

// Seal computes the version's public document, its SHA-256 and its change list against
// prev (nil for a first version). salt is the record's salt for hidden fields.
//
// The document is canonical JSON (translog.CanonicalJSON) of:
//
//	{"type": "gongshi.record/v1", "kind", "record", "version", "subject": {"uscc", "name"}
//	 (of a check item, about no enterprise: {"division", "name"}),
//	 "arose", "published_at", "due", "on_time", "policy", "publisher", "fields",
//	 "changes" (from version 2), "previous" (from version 2), "reason" (when given),
//	 "provisional" (when a date is: {"year", "dates"}, see ProvisionalDates)}
//
// where fields holds public fields in clear and salted hashes of the rest (Kind.PublicFields).
func (v *Version) Seal(k *Kind, salt []byte, prev *Version) error {
	pub := k.PublicFields(v.Body, salt)
	v.public, v.Private = pub, k.PrivateValues(v.Body)
	doc := map[string]any{
		"type":         DocumentType,
		"kind":         v.Kind,
		"record":       v.Record,
		"version":      v.Version,
		"subject":      v.subjectFields(),
		"arose":        v.Arose.String(),
		"published_at": v.PublishedAt.UTC().Format(time.RFC3339Nano),
		"on_time":      v.OnTime,
		"publisher":    v.Publisher.fields(),
		"fields":       pub,
	}
	if !v.Due.IsZero() {
		doc["due"] = v.Due.String()
		doc["policy"] = v.Policy
	}
	if v.Reason != "" {
		doc["reason"] = v.Reason
	}
	if v.Provisional != nil {
		doc["provisional"] = v.Provisional.fields()
	}
	if prev != nil {
		v.Changes = k.Diff(k.PublicFields(prev.Body, salt), pub)
		changes := make([]any, len(v.Changes))
		for i, c := range v.Changes {
			changes[i] = map[string]any{"field": c.Field, "label": c.Label, "before": c.Before, "after": c.After}
		}
		doc["changes"] = changes
		doc["previous"] = prev.SHA256
		v.Previous = prev.SHA256
	}
	b, err := translog.CanonicalJSON(doc)
	if err != nil {
		return err
	}
	v.Document = b
	v.SHA256 = translog.DocumentHash(b)
	return nil
}

// subjectFields is the document's subject: the enterprise's USCC and name, or for a record
// about no enterprise (AboutNoEnterprise: a check item) the division code and name of its
// publisher's jurisdiction.
func (v *Version) subjectFields() map[string]any {
	if AboutNoEnterprise(v.Kind) {
		return map[string]any{"division": v.Subject, "name": v.SubjectName}
	}
	return map[string]any{"uscc": v.Subject, "name": v.SubjectName}
}

// Leaf returns the version's log leaf (SPEC §9).
func (v *Version) Leaf() translog.Leaf {
	return translog.Leaf{Kind: v.Kind, Subject: v.Subject, Record: v.Record, Version: v.Version,
		PublishedAt: v.PublishedAt, SHA256: v.SHA256}
}
