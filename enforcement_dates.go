package gongshi

import (
	"fmt"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// The dates an enforcement decision states (Hooks.Dates), all counted from the day it was
// decided: the remedies of every decision but a warning (SPEC §8: administrative review
// within 60 days, ARL; litigation within 6 months, ALL Art. 46), and the last day to object
// to a listing or marking (SAIC Order 68: 30 days).

// remedyDates sets review_by, litigation_by and the remedies' text of a decision.
func remedyDates(r policy.Rules, body map[string]any) (map[string]policy.Due, error) {
	decided, err := calendar.ParseDate(fmt.Sprint(body["decided"]))
	if err != nil {
		return nil, fmt.Errorf("decided: %w", err)
	}
	rev, err := r.ReviewDeadline(decided)
	if err != nil {
		return nil, err
	}
	lit, err := r.LitigationDeadline(decided)
	if err != nil {
		return nil, err
	}
	body["review_by"], body["litigation_by"] = rev.Date.String(), lit.Date.String()
	body["remedies"] = remediesText(rev, lit)
	text := lit
	if rev.Provisional() {
		text = rev
	}
	return map[string]policy.Due{"fields.review_by": rev, "fields.litigation_by": lit, "fields.remedies": text}, nil
}

// remediesText states the remedies; a provisional date says so, and that it moves to the
// next working day if the year's holidays make it one.
func remediesText(rev, lit policy.Due) string {
	text := fmt.Sprintf("如不服本决定，可于%s前申请行政复议（%s），或于%s前提起行政诉讼（%s）",
		dueText(rev), rev.Entry.Ref(), dueText(lit), lit.Entry.Ref())
	if y := max(rev.Uncovered, lit.Uncovered); y != 0 {
		text += fmt.Sprintf("。标注“暂定”的期限为法定期限的名义末日，%d年节假日安排公布后依法顺延至工作日并另行公示", y)
	}
	return text
}

func dueText(d policy.Due) string {
	if d.Provisional() {
		return d.Date.String() + "（暂定）"
	}
	return d.Date.String()
}

// listingDates are a listing's or marking's: the remedies and objection_by.
func listingDates(r policy.Rules, body map[string]any) (map[string]policy.Due, error) {
	dues, err := remedyDates(r, body)
	if err != nil {
		return nil, err
	}
	decided, _ := calendar.ParseDate(fmt.Sprint(body["decided"]))
	obj, err := r.ObjectionDeadline(decided)
	if err != nil {
		return nil, err
	}
	body["objection_by"] = obj.Date.String()
	dues["fields.objection_by"] = obj
	return dues, nil
}

// acceptanceDates are an objection acceptance's (SAIC Order 68 Art. 13): an accepted
// objection's verify_by, 20 working days from the acceptance; a refusal to accept is a
// decision open to review and litigation, so it states the remedies.
func acceptanceDates(r policy.Rules, body map[string]any) (map[string]policy.Due, error) {
	if body["outcome"] == OutcomeNotAccepted {
		return remedyDates(r, body)
	}
	decided, err := calendar.ParseDate(fmt.Sprint(body["decided"]))
	if err != nil {
		return nil, fmt.Errorf("decided: %w", err)
	}
	v, err := r.ObjectionVerifyDue(decided)
	if err != nil {
		return nil, err
	}
	body["verify_by"] = v.Date.String()
	return map[string]policy.Due{"fields.verify_by": v}, nil
}
