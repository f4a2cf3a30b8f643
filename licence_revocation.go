package gongshi

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// Revocation of the business licence (吊销营业执照) of an enterprise that has not filed its
// annual reports for 2 consecutive years and cannot be reached at its registered address,
// as the policy entry licence.revocation.unreported says (Decree 777, in force 1 May 2024,
// amending Decree 654). The rule is the entry's: its amount is the number of consecutive
// report years, the latest whose filing windows have closed, with no report; the enterprise
// must also be on the abnormal list as unreachable (ground 4) on the day. Before the entry
// there is no such revocation, and a request is refused naming the day it begins. The
// decision is a published record naming the entry; the registration's status becomes 吊销.

// statusRevoked is the registration status of an enterprise whose licence was revoked.
const statusRevoked = "吊销"

// KindLicenceRevocation is the decision revoking the business licence.
var KindLicenceRevocation = defineKind(&Kind{
	Name: "licence_revocation", Label: "吊销营业执照决定", Article: "Decree 777 (2024); Decree 654 Art. 18 as amended",
	Publishers: []Role{RoleRegulator},
	Fields: []Field{
		{Name: "reason", Label: "事由", Type: TypeText, Required: true, Text: TextMultiline},
		{Name: "unreported_years", Label: "连续未报送年度报告的年度", Type: TypeText, Required: true},
		{Name: "listing", Label: "所涉无法联系的列入决定", Type: TypeText, Required: true},
		{Name: "rule", Label: "适用的政策条目", Type: TypeText, Required: true},
		{Name: "basis", Label: "依据", Type: TypeText, Required: true},
		{Name: "authority", Label: "作出决定机关", Type: TypeText, Required: true},
		{Name: "document_no", Label: "决定书文号", Type: TypeText, Required: true, Text: TextDocumentNo},
		{Name: "decided", Label: "作出决定日期", Type: TypeDate, Required: true},
		{Name: "review_by", Label: "申请行政复议期限至", Type: TypeDate, Future: true},
		{Name: "litigation_by", Label: "提起行政诉讼期限至", Type: TypeDate, Future: true},
		{Name: "remedies", Label: "救济途径", Type: TypeText, Text: TextMultiline},
	},
	Hooks: Hooks{Route: "POST /api/v1/enterprises/{code}/licence-revocation", Dates: remedyDates},
})

// LicenceRevocationInput is the regulator's decision to revoke.
type LicenceRevocationInput struct {
	DocumentNo string `json:"document_no"`
}

// RevokeLicence revokes the business licence of enterprise code under the entry in force
// today, when its conditions hold: a conflict naming each unmet one otherwise.
func (s *Registry) RevokeLicence(ctx context.Context, actor *Account, code string, in LicenceRevocationInput) (ver *Version, err error) {
	if err := cleanTexts(textInput{"document_no", &in.DocumentNo, TextDocumentNo}); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.DocumentNo) == "" {
		return nil, Invalid("document_no", "is required", "give the number of the written decision (决定书文号)")
	}
	err = s.Store.Write(ctx, func(tx Tx) error {
		ent, err := tx.EnterpriseByCode(strings.TrimSpace(code))
		if err != nil {
			return err
		}
		if err := MayPublish(actor, KindLicenceRevocation, ent); err != nil {
			return err
		}
		today := calendar.DateOf(tx.Now())
		rule, err := s.Rules.Entry("licence.revocation.unreported", today)
		if errors.Is(err, policy.ErrNoEntry) {
			return &Error{Code: ECONFLICT, Field: "code", Message: fmt.Sprintf("no revocation for unreported years and unreachability on %s: the rule applies from 1 May 2024 (Decree 777)", today),
				Fix: "before it, the abnormal list and the serious list apply (Art. 17)"}
		}
		if err != nil {
			return err
		}
		years, listing, unmet, err := s.revocationUnmet(tx, ent, rule, today)
		if err != nil {
			return err
		}
		if len(unmet) > 0 {
			return &Error{Code: ECONFLICT, Field: "code", Message: fmt.Sprintf("%s does not meet %s: %s", ent.USCC, rule.Ref(), strings.Join(unmet, "; ")),
				Fix: "revoke only an enterprise that meets every condition of the rule"}
		}
		ys := make([]string, len(years))
		for i, y := range years {
			ys[i] = strconv.Itoa(y)
		}
		body, err := KindLicenceRevocation.Normalize(map[string]any{
			"reason":           fmt.Sprintf("连续%d年未按规定报送年度报告（%s年度），且通过登记的住所或者经营场所无法联系", rule.Amount, strings.Join(ys, "、")),
			"unreported_years": strings.Join(ys, ","), "listing": listing, "rule": rule.Ref(),
			"basis":     "《企业信息公示暂行条例》（2024年修订，国务院令第777号）",
			"authority": actor.Name, "document_no": strings.TrimSpace(in.DocumentNo), "decided": today.String(),
		})
		if err != nil {
			return err
		}
		if ver, err = s.publishAs(tx, actor, KindLicenceRevocation, ent, today, body); err != nil {
			return err
		}
		_, err = s.AmendTx(tx, actor, ent.Registration, Amendment{Reason: "吊销营业执照 " + strings.TrimSpace(in.DocumentNo), Fields: map[string]any{"status": statusRevoked}})
		return err
	})
	return ver, err
}

// revocationUnmet returns the report years the rule looks at (the latest rule.Amount whose
// windows closed before today), the unreachable listing in force, and the conditions not met.
func (s *Registry) revocationUnmet(tx Tx, ent *Enterprise, rule policy.Entry, today calendar.Date) (years []int, listing string, unmet []string, err error) {
	if ent.Status != "存续" && ent.Status != "在业" {
		unmet = append(unmet, "it is not in business ("+ent.Status+")")
	}
	if ent.Category == CategoryIndividual {
		unmet = append(unmet, "an individual business is not an enterprise under Decree 654")
	}
	last := today.Year() - 1
	for {
		w, err := s.Rules.AnnualReportWindow(last, calendar.Date{})
		if err != nil {
			return nil, "", nil, err
		}
		if w.Closes.Before(today) {
			break
		}
		last--
	}
	established := ent.Established
	for y := last - rule.Amount + 1; y <= last; y++ {
		years = append(years, y)
		if y < established.Year() {
			unmet = append(unmet, fmt.Sprintf("no report was owed for %d (established %s)", y, ent.Established))
			continue
		}
		f, err := tx.AnnualReport(ent.USCC.String(), y)
		switch {
		case ErrorCode(err) == ENOTFOUND:
		case err != nil:
			return nil, "", nil, err
		case f.Filed <= today.String():
			unmet = append(unmet, fmt.Sprintf("the %d report was filed on %s", y, f.Filed))
		}
	}
	entries, err := tx.EntriesOfTx(ent.USCC.String())
	if err != nil {
		return nil, "", nil, err
	}
	for _, e := range entries {
		if e.Ground == int(policy.GroundUnreachable) && e.List != ListSerious && e.Active(today) {
			listing = e.ID
		}
	}
	if listing == "" {
		unmet = append(unmet, "it is not on the abnormal list as unreachable at its registered address (ground 4)")
	}
	return years, listing, unmet, nil
}
