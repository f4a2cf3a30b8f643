package storetest

import (
	"context"
	"testing"

	"github.com/gongshi/gongshi"
)

// CheckItemFields returns the fields of a check item named name.
func CheckItemFields(name string) map[string]any {
	return map[string]any{"category": "企业公示信息抽查", "name": name, "object": "辖区内企业",
		"content": "企业年度报告公示信息；企业即时公示信息", "methods": []any{map[string]any{"method": "written"}, map[string]any{"method": "on_site"}},
		"basis": "《企业信息公示暂行条例》第十四条；《企业公示信息抽查暂行办法》", "authority": "市场监督管理部门"}
}

// testCheckItems: the lists of check items — published, corrected and withdrawn as
// versions, listed by the division they apply in, by authority and state — and a plan
// naming items, which must exist, be in force on the day of the plan, and apply across
// the draw's jurisdiction.
func testCheckItems(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	SpotCheckWorld(t, f, 1, 2)
	pudong := regulator("310115")
	health := &gongshi.Account{ID: "sh-health", Name: "上海市卫生健康委员会", Role: gongshi.RoleDepartment, Jurisdiction: "310000"}
	national := &gongshi.Account{ID: "mofcom", Name: "商务部", Role: gongshi.RoleDepartment}

	shanghai, err := f.Svc.PublishCheckItem(ctx, f.Reg, CheckItemFields("企业公示信息的抽查"))
	if err != nil {
		t.Fatal(err)
	}
	if shanghai.Jurisdiction != "310000" || shanghai.State != gongshi.CheckItemInForce || len(shanghai.Versions) != 1 {
		t.Fatalf("published: %+v", shanghai)
	}
	own, err := f.Svc.PublishCheckItem(ctx, pudong, CheckItemFields("浦东新区食品经营者的抽查"))
	if err != nil {
		t.Fatal(err)
	}
	hf := CheckItemFields("公共场所卫生的抽查")
	hf["authority"] = "卫生健康部门"
	dept, err := f.Svc.PublishCheckItem(ctx, health, hf)
	if err != nil {
		t.Fatal(err)
	}
	nat, err := f.Svc.PublishCheckItem(ctx, national, CheckItemFields("单用途商业预付卡发卡企业的抽查"))
	if err != nil || nat.Jurisdiction != gongshi.NationalDivision {
		t.Fatalf("national: %+v %v", nat, err)
	}

	// Bad input names the field; only regulators and departments publish.
	noName := CheckItemFields("")
	delete(noName, "name")
	_, err = f.Svc.PublishCheckItem(ctx, f.Reg, noName)
	wantCode(t, err, gongshi.EINVALID, "fields.name")
	bad := CheckItemFields("x")
	bad["methods"] = []any{map[string]any{"method": "phone"}}
	_, err = f.Svc.PublishCheckItem(ctx, f.Reg, bad)
	wantCode(t, err, gongshi.EINVALID, "fields.methods[0].method")
	_, err = f.Svc.PublishCheckItem(ctx, &gongshi.Account{ID: "x", Role: gongshi.RoleEnterprise}, CheckItemFields("x"))
	wantCode(t, err, gongshi.EFORBIDDEN, "")

	list := func(q gongshi.CheckItemQuery) []string {
		t.Helper()
		items, err := f.Svc.CheckItems(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range items {
			ids = append(ids, c.ID)
		}
		return ids
	}
	same := func(got []string, want ...*gongshi.CheckItem) bool {
		if len(got) != len(want) {
			return false
		}
		for i := range want {
			if got[i] != want[i].ID {
				return false
			}
		}
		return true
	}
	if got := list(gongshi.CheckItemQuery{Division: "310115"}); !same(got, shanghai, own, dept, nat) {
		t.Errorf("items applying in Pudong: %v", got)
	}
	if got := list(gongshi.CheckItemQuery{Division: "310101"}); !same(got, shanghai, dept, nat) {
		t.Errorf("items applying in Huangpu: %v", got)
	}
	if got := list(gongshi.CheckItemQuery{Division: "440300"}); !same(got, nat) {
		t.Errorf("items applying in Shenzhen: %v", got)
	}
	if got := list(gongshi.CheckItemQuery{Authority: "sh-health"}); !same(got, dept) {
		t.Errorf("the health department's items: %v", got)
	}
	_, err = f.Svc.CheckItems(ctx, gongshi.CheckItemQuery{Division: "31"})
	wantCode(t, err, gongshi.EINVALID, "division")

	// A correction is a version with a reason and the changes; the publisher makes it, or
	// a regulator over a regulator's item.
	_, err = f.Svc.CorrectCheckItem(ctx, health, shanghai.ID, gongshi.Amendment{Reason: "x", Fields: map[string]any{"object": "y"}})
	wantCode(t, err, gongshi.EFORBIDDEN, "")
	_, err = f.Svc.CorrectCheckItem(ctx, f.Reg, shanghai.ID, gongshi.Amendment{Fields: map[string]any{"object": "y"}})
	wantCode(t, err, gongshi.EINVALID, "reason")
	c, err := f.Svc.CorrectCheckItem(ctx, f.Reg, own.ID, gongshi.Amendment{Reason: "检查对象表述有误", Fields: map[string]any{"object": "浦东新区食品经营者"}})
	if err != nil || len(c.Versions) != 2 || c.Fields["object"] != "浦东新区食品经营者" || len(c.Versions[1].Changes) != 1 || c.Versions[1].Previous != own.Versions[0].SHA256 {
		t.Fatalf("correction: %+v %v", c, err)
	}
	// Not through the records' route.
	_, err = f.Svc.Amend(ctx, f.Reg, own.ID, gongshi.Amendment{Reason: "x", Fields: map[string]any{"object": "z"}})
	wantCode(t, err, gongshi.EINVALID, "id")

	// A plan names items: in force, of an authority over the jurisdiction, once each.
	plan := func(j string, ids ...string) (*gongshi.Draw, error) {
		return f.Svc.PlanDraw(ctx, f.Reg, gongshi.DrawPlan{Title: "按抽查事项抽查", Jurisdiction: j, SampleSize: 1, CheckItems: ids})
	}
	d, err := plan("310000", shanghai.ID, dept.ID)
	if err != nil {
		t.Fatal(err)
	}
	back, err := f.Svc.Draw(ctx, d.Number)
	if err != nil || len(back.CheckItems) != 2 || back.CheckItems[0] != (gongshi.DrawCheckItem{ID: shanghai.ID, Name: "企业公示信息的抽查", SHA256: shanghai.Versions[0].SHA256}) {
		t.Fatalf("the plan's items, read back: %+v %v", back, err)
	}
	doc := document(t, f, d.Versions[0].SHA256)
	if items, _ := doc["check_items"].([]any); len(items) != 2 {
		t.Errorf("the plan's document names %v", doc["check_items"])
	}
	_, err = plan("310000", own.ID)
	wantCode(t, err, gongshi.EINVALID, "check_items[0]") // Pudong's item, not Shanghai-wide
	if _, err := plan("310115", own.ID, nat.ID); err != nil {
		t.Errorf("Pudong's and a national item in a Pudong draw: %v", err)
	}
	_, err = plan("310000", shanghai.ID, shanghai.ID)
	wantCode(t, err, gongshi.EINVALID, "check_items[1]")
	_, err = plan("310000", "999999")
	wantCode(t, err, gongshi.EINVALID, "check_items[0]")
	_, err = plan("310000", "abc")
	wantCode(t, err, gongshi.EINVALID, "check_items[0]")

	// Withdrawn on 1 July: a plan of 30 June names it, one of 2 July may not; it stays
	// listed as void, and is no longer amended.
	f.Clock.Set(At("2026-06-30T10:00:00+08:00"))
	if _, err := plan("310000", dept.ID); err != nil {
		t.Errorf("30 June: %v", err)
	}
	f.Clock.Set(At("2026-07-01T10:00:00+08:00"))
	w, err := f.Svc.WithdrawCheckItem(ctx, health, dept.ID, "该事项已调整为重点检查")
	if err != nil || w.State != gongshi.CheckItemVoid || len(w.Versions) != 2 || w.Versions[1].Reason == "" {
		t.Fatalf("withdrawn: %+v %v", w, err)
	}
	f.Clock.Set(At("2026-07-02T10:00:00+08:00"))
	_, err = plan("310000", dept.ID)
	wantCode(t, err, gongshi.EINVALID, "check_items[0]")
	if got := list(gongshi.CheckItemQuery{Division: "310101", State: gongshi.CheckItemInForce}); !same(got, shanghai, nat) {
		t.Errorf("in force in Huangpu after the withdrawal: %v", got)
	}
	if got := list(gongshi.CheckItemQuery{State: gongshi.CheckItemVoid}); !same(got, dept) {
		t.Errorf("void: %v", got)
	}
	_, err = f.Svc.WithdrawCheckItem(ctx, health, dept.ID, "again")
	wantCode(t, err, gongshi.ECONFLICT, "")
	got, err := f.Svc.CheckItem(ctx, dept.ID)
	if err != nil || got.State != gongshi.CheckItemVoid || got.Publisher.Account != "sh-health" {
		t.Errorf("read back: %+v %v", got, err)
	}
	_, err = f.Svc.CheckItem(ctx, back.Record) // a draw's record is no check item
	wantCode(t, err, gongshi.ENOTFOUND, "id")
}
