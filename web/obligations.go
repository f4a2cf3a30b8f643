package web

import (
	"fmt"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// obligations lists what an enterprise owes and by when (Service.Obligations): its annual
// reports (Art. 8) and the orders to disclose it has to meet (Art. 10 ¶2).
func (h *Handler) obligations(p *page, ent *gongshi.Enterprise) ([]obligation, error) {
	ob, err := h.svc.Obligations(p.r.Context(), ent.USCC.String(), calendar.DateOf(h.now()))
	if err != nil {
		return nil, err
	}
	var out []obligation
	for i := len(ob.AnnualReports) - 1; i >= 0; i-- {
		r := ob.AnnualReports[i]
		o := obligation{What: fmt.Sprintf(p.T("annual.title"), r.Year), Due: r.Due, Policy: r.Policy, State: p.T("state." + r.Status)}
		switch r.Status {
		case gongshi.ReportDue:
			o.Link = fmt.Sprintf("/my/annual/%d", r.Year)
		case gongshi.ReportOverdue:
			o.Link, o.Overdue = fmt.Sprintf("/my/annual/%d", r.Year), true
		default:
			o.Link, o.Done = "/r/"+r.Record, true
		}
		out = append(out, o)
	}
	for _, or := range ob.Orders {
		o := obligation{What: p.T("order.to") + p.KindLabel(or.Item), Due: or.Deadline, Policy: or.Policy, State: p.T("state." + or.Status)}
		switch or.Status {
		case gongshi.OrderFulfilled:
			o.Done, o.Link = true, "/r/"+or.FulfilledBy
		case gongshi.OrderLapsed:
			o.Overdue, o.Link = true, "/e/"+ent.USCC.String()+"/publish/"+or.Item
		default:
			o.Link = "/e/" + ent.USCC.String() + "/publish/" + or.Item
		}
		out = append(out, o)
	}
	return out, nil
}
