package gongshi

import (
	"context"
	"fmt"
)

// AmendRecord is Amend as POST /api/v1/records/{id}/versions offers it: the correction
// (更正, Art. 12) or change of a record that has no flow of its own. Records with their own
// flow are refused with the route to use:
//
//   - enforcement decisions (abnormal_listing … removal_answer) are changed only through
//     an objection or a removal application and the regulator's written decision on it
//     (SAIC Order 68), never by editing the decision;
//   - annual reports are corrected through their own route, until the deadline of
//     Art. 12 (policy.Rules.AnnualReportCorrectionDeadline);
//   - every other kind made elsewhere (Hooks.Route: orders, spot-check results, case
//     answers) is published once by its route.
func (s *Registry) AmendRecord(ctx context.Context, actor *Account, recordID string, in Amendment) (ver *Version, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		vs, err := tx.Versions(recordID)
		if err != nil {
			return err
		}
		if err := ownFlow(vs); err != nil {
			return err
		}
		ver, err = s.AmendTx(tx, actor, recordID, in)
		return err
	})
	return ver, err
}

// decisionKinds are the enforcement decisions (enforcement_kinds.go).
var decisionKinds = map[*Kind]bool{
	KindAbnormalListing: true, KindAbnormalRemoval: true, KindAbnormalWarning: true, KindAbnormalMarking: true,
	KindMarkingRestoration: true, KindSeriousListing: true, KindSeriousRemoval: true, KindSeriousExpiry: true,
	KindObjectionAnswer: true, KindRemovalAnswer: true,
}

// AmendedByForm reports whether records of kind k are corrected by the generic amendment
// (a form or POST /api/v1/records/{id}/versions) rather than a flow of their own. Annual
// reports are, on the web, through Amend's correction rules; decisions never are.
func (k *Kind) AmendedByForm() bool { return !decisionKinds[k] && (k.Route == "" || k.IsAnnual()) }

// ownFlow refuses to amend, by the generic route, a record whose kind has its own flow.
func ownFlow(vs []*Version) error {
	first := vs[0]
	k, err := LookupKind(first.Kind)
	if err != nil {
		return err
	}
	code := first.Subject
	switch {
	case decisionKinds[k]:
		return &Error{Code: EINVALID, Field: "id", Message: fmt.Sprintf("record %s is %s decision (%s); a decision is not amended", first.Record, withArticle(k.Name), k.Label),
			Fix: fmt.Sprintf("the enterprise objects (POST /api/v1/enterprises/%s/objections) or applies for removal (POST /api/v1/enterprises/%s/removal-applications); the regulator decides it in writing (POST /api/v1/enforcement-cases/{id}/decision)", code, code)}
	case k.IsAnnual():
		return &Error{Code: EINVALID, Field: "id", Message: fmt.Sprintf("record %s is an annual report (%s); it is corrected through its own route (Art. 12)", first.Record, k.Label),
			Fix: fmt.Sprintf("POST /api/v1/enterprises/%s/annual-reports/%v/corrections", code, first.Body["year"])}
	case k.Route != "":
		return &Error{Code: EINVALID, Field: "id", Message: fmt.Sprintf("record %s is %s record (%s), made only by %s; it is not amended here", first.Record, withArticle(k.Name), k.Label, k.Route),
			Fix: "use " + k.Route}
	}
	return nil
}
