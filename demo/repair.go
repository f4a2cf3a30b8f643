package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// Credit repair in a demo register whose lists have been swept (gongshi demo runs Repairs
// after its sweeps: before them the register has no lists to judge by). Enterprises fined
// in the last three years apply for credit repair of a penalty (市场监督管理信用修复管理办法
// Art. 6): most are repaired, the penalty leaving public view; some are refused, their
// obligations unfulfilled or the enterprise on a list. Enterprises on the serious list
// apply for early removal (SAMR Order 44): removed once listed a year with no new ground,
// refused otherwise. Each decision is the regulator's of the enterprise's division, on the
// clock's day.

// LaterKinds are the record kinds of the rules after 2014 (issue 16) a full demo shows —
// the finale's (later.go) and Repairs' — each on at least one enterprise.
func LaterKinds() []string {
	return []string{gongshi.KindJudicialAssistance.Name, gongshi.KindDeregistrationNotice.Name, gongshi.KindDeregistrationObjection.Name,
		gongshi.KindDeregistrationDecision.Name, gongshi.KindObjectionAcceptance.Name, gongshi.KindLicenceRevocation.Name,
		gongshi.KindCreditRepair.Name, gongshi.KindEarlyRemoval.Name, gongshi.KindSeriousRemoval.Name}
}

// RepairStats count the decisions Repairs published.
type RepairStats struct {
	CreditRepaired int `json:"credit_repaired"`
	CreditRefused  int `json:"credit_refused"`
	EarlyRemoved   int `json:"early_removed"`
	EarlyRefused   int `json:"early_refused"`
}

// How many decisions of each outcome Repairs aims at, and how many applications it makes
// at most of each kind.
const (
	repairGrants, repairRefusals, repairAttempts = 4, 2, 16
)

// Repairs decides a few applications for credit repair of penalties and for early removal
// from the serious list, as of svc's clock.
func Repairs(ctx context.Context, svc *gongshi.Service) (RepairStats, error) {
	var st RepairStats
	if err := creditRepairs(ctx, svc, &st); err != nil {
		return st, fmt.Errorf("demo credit repairs: %w", err)
	}
	if err := earlyRemovals(ctx, svc, &st); err != nil {
		return st, fmt.Errorf("demo early removals: %w", err)
	}
	return st, nil
}

// officer is the regulator of division div deciding as authority.
func officer(div, authority string) *gongshi.Account {
	return &gongshi.Account{ID: "demo-officer-" + div, Name: authority, Role: gongshi.RoleRegulator, Jurisdiction: div}
}

// creditRepairs applies for repair of penalties published between three years and seven
// months before today (shown, and shown long enough), every third with its obligations
// unfulfilled.
func creditRepairs(ctx context.Context, svc *gongshi.Service, st *RepairStats) error {
	now := svc.Clock.Now()
	from, to := now.AddDate(-3, 1, 0), now.AddDate(0, -7, 0)
	q := gongshi.FeedQuery{After: -1, Limit: gongshi.MaxFeedLimit, Kinds: []string{gongshi.KindPenalty.Name}}
	attempts := 0
	for attempts < repairAttempts && (st.CreditRepaired < repairGrants || st.CreditRefused < repairRefusals) {
		page, err := svc.Events(ctx, q)
		if err != nil {
			return err
		}
		for _, ev := range page.Events {
			if attempts >= repairAttempts || ev.Version != 1 || ev.Withdrawn != nil || ev.PublishedAt.Before(from) || ev.PublishedAt.After(to) {
				continue
			}
			rec, _, err := svc.Record(ctx, gongshi.Anonymous, ev.Record)
			if err != nil {
				continue // withdrawn since
			}
			v := rec.Latest()
			// A market regulator's penalty: it decides the repair (another department's
			// penalty is repaired by that department).
			authority := fmt.Sprint(v.Fields["authority"])
			if minor, _ := v.Fields["minor"].(bool); minor || v.Withdrawn != nil || !strings.Contains(authority, "市场监督管理") {
				continue
			}
			listed, err := onAList(ctx, svc, ev.Subject)
			if err != nil {
				return err
			}
			attempts++
			fulfilled := attempts%3 != 0
			if (listed || !fulfilled) && st.CreditRefused >= repairRefusals || !listed && fulfilled && st.CreditRepaired >= repairGrants {
				continue
			}
			div := ev.Subject[2:8]
			out, err := svc.RepairCredit(ctx, officer(div, authority), ev.Subject, gongshi.CreditRepairApplication{Penalty: ev.Record,
				ObligationsFulfilled: fulfilled, HarmRemoved: true, DocumentNo: fmt.Sprintf("%s市监信修〔%d〕%d号", div, now.Year(), attempts)})
			if err != nil {
				return err
			}
			if out.Fields["outcome"] == gongshi.RepairGranted {
				st.CreditRepaired++
			} else {
				st.CreditRefused++
			}
		}
		if len(page.Events) == 0 && page.Next >= page.LogSize-1 || page.Next == q.After {
			break
		}
		q.After = page.Next
	}
	return nil
}

// onAList says whether enterprise code is on a list today (credit repair is then refused).
func onAList(ctx context.Context, svc *gongshi.Service, code string) (bool, error) {
	es, err := svc.EnterpriseListings(ctx, code)
	if err != nil {
		return false, err
	}
	today := calendar.DateOf(svc.Clock.Now())
	for _, e := range es {
		if e.Active(today) {
			return true, nil
		}
	}
	return false, nil
}

// earlyRemovals applies for early removal of serious listings in force, oldest first.
func earlyRemovals(ctx context.Context, svc *gongshi.Service, st *RepairStats) error {
	page, err := svc.List(ctx, gongshi.ListInput{List: gongshi.ListSerious, Limit: "500"})
	if err != nil {
		return err
	}
	year := calendar.DateOf(svc.Clock.Now()).Year()
	for i, e := range page.Entries {
		if i >= repairAttempts || st.EarlyRemoved >= repairGrants-1 && st.EarlyRefused >= repairRefusals {
			break
		}
		out, err := svc.RemoveEarly(ctx, officer(e.Division, e.Authority), e.USCC, gongshi.EarlyRemovalApplication{Entry: e.ID,
			ObligationsFulfilled: true, HarmRemoved: true, DocumentNo: fmt.Sprintf("%s市监信移〔%d〕%d号", e.Division, year, i+1)})
		if err != nil {
			return err
		}
		if out.Fields["outcome"] == gongshi.OutcomeRemoved {
			st.EarlyRemoved++
		} else {
			st.EarlyRefused++
		}
	}
	return nil
}
