package gongshi

import (
	"context"
	"fmt"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

// OrderItems are what an order may name (Art. 10 ¶2): the instant disclosures of Art. 10.
var OrderItems = []string{"capital_contribution", "equity_transfer", "licence", "ip_pledge", "penalty"}

// KindOrder is a regulator's order to an enterprise to disclose, by a deadline, an item of
// Art. 10 it failed to disclose (责令限期公示, Art. 10 ¶2; SAIC Order 68: 10 days). The
// enterprise's disclosure of the item fulfils it: a new version, published, naming the
// disclosure's record. Unfulfilled past its deadline it is ground 2 of the abnormal list.
var KindOrder = defineKind(&Kind{
	Name: "order", Label: "责令限期公示", Article: "Art. 10 ¶2",
	Publishers: []Role{RoleRegulator},
	Fields: []Field{
		{Name: "item", Label: "应公示事项", Type: TypeEnum, Required: true, Enum: OrderItems},
		{Name: "content", Label: "责令内容", Type: TypeText, Required: true, Text: TextMultiline},
		{Name: "document_no", Label: "责令通知书文号", Type: TypeText, Text: TextDocumentNo},
		{Name: "issued", Label: "责令日期", Type: TypeDate, Required: true},
		{Name: "deadline", Label: "公示期限", Type: TypeDate, Required: true, Future: true},
		{Name: "deadline_policy", Label: "期限依据", Type: TypeText, Required: true},
		{Name: "status", Label: "状态", Type: TypeEnum, Required: true, Enum: []string{"open", "fulfilled"}},
		{Name: "fulfilled_by", Label: "履行公示记录", Type: TypeText},
		{Name: "fulfilled_on", Label: "履行日期", Type: TypeDate},
	},
	Hooks: Hooks{Route: "POST /api/v1/enterprises/{code}/orders", Dates: orderDates},
})

// orderDates sets an order's deadline from the day it was issued (Art. 10 ¶2; SAIC Order
// 68: 10 days, rolled forward to a working day: policy.Rules.OrderDeadline).
func orderDates(r policy.Rules, body map[string]any) (map[string]policy.Due, error) {
	issued, err := calendar.ParseDate(fmt.Sprint(body["issued"]))
	if err != nil {
		return nil, fmt.Errorf("issued: %w", err)
	}
	due, err := r.OrderDeadline(issued)
	if err != nil {
		return nil, err
	}
	body["deadline"], body["deadline_policy"] = due.Date.String(), due.Entry.Ref()
	return map[string]policy.Due{"fields.deadline": due}, nil
}

// OrderInput is a regulator's order: the item to disclose and what exactly.
type OrderInput struct {
	Item       string `json:"item"`
	Content    string `json:"content"`
	DocumentNo string `json:"document_no,omitempty"`
}

// IssueOrder publishes an order to the enterprise to disclose an item; the deadline is the
// policy's (Rules.OrderDeadline: 10 days from today, rolled forward to a working day).
func (s *Disclosure) IssueOrder(ctx context.Context, actor *Account, code string, in OrderInput) (ver *Version, o *Order, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		ver, o, err = s.IssueOrderTx(tx, actor, code, in)
		return err
	})
	return ver, o, err
}

// IssueOrderTx is IssueOrder inside a write transaction.
func (s *Disclosure) IssueOrderTx(tx Tx, actor *Account, code string, in OrderInput) (*Version, *Order, error) {
	ent, err := tx.EnterpriseByCode(code)
	if err != nil {
		return nil, nil, err
	}
	if actor.Role != RoleRegulator && actor.Role != RoleAdmin {
		return nil, nil, &Error{Code: EFORBIDDEN, Message: fmt.Sprintf("only a market regulator orders an enterprise to disclose (Art. 10 ¶2); this account is %s", withArticle(string(actor.Role))), Fix: "ask the regulator of the enterprise's division"}
	}
	if !actor.Covers(ent.Division) {
		return nil, nil, &Error{Code: EFORBIDDEN, Field: "code", Message: fmt.Sprintf("enterprise %s (division %s) is outside jurisdiction %s", ent.USCC, ent.Division, actor.Jurisdiction), Fix: "the regulator of the enterprise's division issues the order"}
	}
	today := calendar.DateOf(tx.Now())
	fs := map[string]any{"item": in.Item, "content": in.Content, "issued": today.String(), "status": "open"}
	if in.DocumentNo != "" {
		fs["document_no"] = in.DocumentNo
	}
	if _, err := orderDates(s.Rules, fs); err != nil {
		return nil, nil, err
	}
	body, err := KindOrder.Normalize(fs)
	if err != nil {
		return nil, nil, err
	}
	salt := newSalt()
	id, err := tx.NewRecord(KindOrder.Name, ent.USCC.String(), salt)
	if err != nil {
		return nil, nil, err
	}
	ver, err := s.seal(tx, actor, KindOrder, ent, id, salt, today, body, "", nil)
	if err != nil {
		return nil, nil, err
	}
	o := projectOrder(&Record{ID: id, Kind: KindOrder.Name, Subject: ent.USCC.String(), Versions: []*Version{ver}})
	return ver, o, tx.PutOrder(o)
}

// fulfilOrders marks as fulfilled the open orders to disclose what the enterprise has just
// disclosed (ver, of kind k): each gets a new version naming the disclosure.
func (s *Disclosure) fulfilOrders(tx Tx, actor *Account, ent *Enterprise, k *Kind, ver *Version) error {
	if actor.Role != RoleEnterprise {
		return nil
	}
	pending, err := tx.OpenOrders(ent.USCC.String(), k.Name)
	if err != nil || len(pending) == 0 {
		return err
	}
	today := calendar.DateOf(tx.Now()).String()
	for _, o := range pending {
		vs, err := tx.Versions(o.Record)
		if err != nil {
			return err
		}
		prev := vs[len(vs)-1]
		body := mergeFields(prev.Body, map[string]any{"status": "fulfilled", "fulfilled_by": ver.Record, "fulfilled_on": today})
		salt, err := tx.RecordSalt(o.Record)
		if err != nil {
			return err
		}
		reason := fmt.Sprintf("企业已公示：记录 %s (the enterprise disclosed the ordered item)", ver.Record)
		v, err := s.seal(tx, actor, KindOrder, ent, o.Record, salt, calendar.DateOf(tx.Now()), body, reason, prev)
		if err != nil {
			return err
		}
		if err := tx.PutOrder(projectOrder(&Record{ID: o.Record, Kind: KindOrder.Name, Subject: ent.USCC.String(), Versions: append(vs, v)})); err != nil {
			return err
		}
	}
	return nil
}

// OrderView is an order with its state as of a date.
type OrderView struct {
	*Order
	Status string `json:"status"`
}

// Orders lists the orders issued to an enterprise with their state today (orders are
// published records: public).
func (s *Disclosure) Orders(ctx context.Context, code string) ([]*OrderView, error) {
	d, err := s.publicDossier(ctx, code)
	if err != nil {
		return nil, err
	}
	all := d.Orders
	today := calendar.DateOf(s.Clock.Now())
	out := make([]*OrderView, len(all))
	for i, o := range all {
		out[i] = &OrderView{Order: o, Status: o.Status(today)}
	}
	return out, nil
}

// OrdersLapsed returns the orders known not to have been fulfilled by their deadline as of
// asOf, for the enforcement sweep (ground 2, Art. 17), each with its deadline as the
// calendar now gives it: an order whose deadline is provisional and may not have passed
// waits for its year's schedule (policy.Due.Passed).
func (s *Disclosure) OrdersLapsed(ctx context.Context, asOf calendar.Date) ([]*Order, error) {
	all, err := s.Store.OrdersLapsed(ctx, asOf)
	if err != nil {
		return nil, err
	}
	var out []*Order
	for _, o := range all {
		issued, err := calendar.ParseDate(o.Issued)
		if err != nil {
			return nil, fmt.Errorf("order %s: issued: %w", o.Record, err)
		}
		due, err := s.Rules.OrderDeadline(issued)
		if err != nil {
			return nil, fmt.Errorf("order %s: %w", o.Record, err)
		}
		passed, known := due.Passed(asOf)
		if !passed || !known || o.FulfilledOn != "" && o.FulfilledOn <= due.Date.String() {
			continue
		}
		o.Deadline, o.Provisional = due.Date.String(), nil
		out = append(out, o)
	}
	return out, nil
}
