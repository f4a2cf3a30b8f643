package storetest

import (
	"context"
	"testing"

	"github.com/gongshi/gongshi"
)

// testTruthfulDates: a record's own date of what it records bounds the day its
// information arose, and a correction keeps the arose and the timeliness of what it
// corrects (Art. 6, 10, 12), while new information has its own.
func testTruthfulDates(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	code := USCC(40)
	f.Register(t, code, "上海如实贸易有限公司", "李四")
	penalty := func(no, decided, arose string) gongshi.Publication {
		return gongshi.Publication{Kind: "penalty", Arose: arose, Fields: map[string]any{
			"decision_no": no, "violation": "虚假宣传", "content": "警告，罚款", "fine": "5000",
			"authority": "上海市浦东新区市场监督管理局", "decided": decided}}
	}
	f.Clock.Set(At("2026-12-01T10:00:00+08:00"))
	// Decided on 1 June, said to have arisen on 30 November: it would count as on time.
	_, err := f.Svc.Publish(ctx, f.Reg, code, penalty("沪市监浦处〔2026〕21号", "2026-06-01", "2026-11-30"))
	if p, ok := err.(*gongshi.Error); !ok || p.Code != gongshi.EINVALID || p.Field != "arose" {
		t.Fatalf("penalty decided 2026-06-01 said to arise 2026-11-30: got %v, want invalid naming arose", err)
	}
	v1, err := f.Svc.Publish(ctx, f.Reg, code, penalty("沪市监浦处〔2026〕21号", "2026-06-01", "2026-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	if v1.OnTime || v1.Due.String() != "2026-06-30" {
		t.Fatalf("penalty decided 2026-06-01 published 2026-12-01: on_time %v, due %s; want late, due 2026-06-30", v1.OnTime, v1.Due)
	}

	// A correction a week later keeps the record late, dated as it was.
	f.Clock.Set(At("2026-12-08T10:00:00+08:00"))
	v2, err := f.Svc.Amend(ctx, f.Reg, v1.Record, gongshi.Amendment{Reason: "罚款金额有误", Fields: map[string]any{"fine": "3000"}})
	if err != nil {
		t.Fatal(err)
	}
	if v2.Arose != v1.Arose || v2.Due != v1.Due || v2.OnTime || !v2.PublishedAt.After(v1.PublishedAt) {
		t.Errorf("correction: arose %s, due %s, on_time %v, published %s; want arose %s, due %s, late, published after %s",
			v2.Arose, v2.Due, v2.OnTime, v2.PublishedAt, v1.Arose, v1.Due, v1.PublishedAt)
	}
	// Nor can a correction claim it arose today.
	_, err = f.Svc.Amend(ctx, f.Reg, v1.Record, gongshi.Amendment{Arose: "2026-12-08", Reason: "罚款金额有误", Fields: map[string]any{"fine": "2000"}})
	if p, ok := err.(*gongshi.Error); !ok || p.Code != gongshi.EINVALID || p.Field != "arose" {
		t.Errorf("correction said to arise today, after the decision: got %v, want invalid naming arose", err)
	}
	// A correction of the decision's date moves the day the information arose with it.
	v3, err := f.Svc.Amend(ctx, f.Reg, v1.Record, gongshi.Amendment{Reason: "决定日期有误", Fields: map[string]any{"decided": "2026-05-20"}})
	if err != nil {
		t.Fatal(err)
	}
	if v3.Arose.String() != "2026-05-20" || v3.Due.String() != "2026-06-17" || v3.OnTime {
		t.Errorf("correction of decided to 2026-05-20: arose %s, due %s, on_time %v; want arose 2026-05-20, due 2026-06-17, late", v3.Arose, v3.Due, v3.OnTime)
	}

	// An on-time disclosure corrected after its deadline stays on time; its cancellation
	// later is new information, on time by itself.
	liaison := f.Liaison(t, "l-dates", code)
	pledge, err := f.Svc.Publish(ctx, liaison, code, gongshi.Publication{Kind: "ip_pledge", Arose: "2026-12-07", Fields: map[string]any{
		"ip_type": "trademark", "ip_no": "第12345678号", "ip_name": "如实", "pledgee": "上海银行", "term_from": "2026-12-07", "status": "valid"}})
	if err != nil || !pledge.OnTime {
		t.Fatalf("IP pledge disclosed the next day: %+v, %v", pledge, err)
	}
	f.Clock.Set(At("2027-03-01T10:00:00+08:00"))
	fixed, err := f.Svc.Amend(ctx, liaison, pledge.Record, gongshi.Amendment{Reason: "名称有误", Fields: map[string]any{"ip_name": "如实牌"}})
	if err != nil || fixed.Arose != pledge.Arose || fixed.Due != pledge.Due || !fixed.OnTime {
		t.Errorf("correction after the deadline of an on-time disclosure: %+v, %v; want arose %s, due %s, on time", fixed, err, pledge.Arose, pledge.Due)
	}
	cancelled, err := f.Svc.Amend(ctx, liaison, pledge.Record, gongshi.Amendment{Arose: "2027-02-26", Fields: map[string]any{"status": "cancelled"}})
	if err != nil || cancelled.Arose.String() != "2027-02-26" || !cancelled.OnTime {
		t.Errorf("cancellation that arose on 2027-02-26: %+v, %v; want its own arose, on time", cancelled, err)
	}
}
