package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
)

func testIndividual(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	i1, i2, co := USCC(61), USCC(62), USCC(63)
	f.RegisterTyped(t, i1, "浦东新区张记小吃店", "个体工商户", "2022-04-01")
	f.RegisterTyped(t, i2, "浦东新区李记水果店", "个体工商户", "2022-04-01")
	f.RegisterTyped(t, co, "上海浦东绿野农民专业合作社", "农民专业合作社", "2021-02-01")
	l2, lco := f.Liaison(t, "liaison-i2", i2), f.Liaison(t, "liaison-co", co)
	f.Clock.Set(At("2026-04-01T10:00:00+08:00"))
	report := map[string]any{"operator": "张某", "phone": "13800138000", "operating_status": "operating", "employees": 3, "total_revenue": "45", "total_tax": "1.2"}

	// A regulator enters a paper report; the business chose not to publish it.
	paper, _, err := f.Svc.FileAnnualReport(ctx, f.Reg, i1, gongshi.AnnualReportFiling{Year: 2025, Fields: report})
	if err != nil {
		t.Fatal(err)
	}
	if paper.Kind != "annual_report_individual" || paper.Publisher.Role != gongshi.RoleRegulator || paper.Body["paper_entry"] != true || !paper.OnTime {
		t.Errorf("paper report: kind %s publisher %v paper %v on time %v", paper.Kind, paper.Publisher.Role, paper.Body["paper_entry"], paper.OnTime)
	}
	pub, _ := f.Svc.AnnualReport(ctx, gongshi.Anonymous, i1, 2025)
	if pub.Fields["operator"] != nil || pub.Fields["total_revenue"] != nil || pub.Fields["paper_entry"] != true || !pub.Paper {
		t.Errorf("unpublished individual report shows %v", pub.Fields)
	}
	if strings.Contains(string(paper.Document), "13800138000") {
		t.Errorf("document holds the phone in clear")
	}
	if _, _, err := f.Svc.FileAnnualReport(ctx, regulator("320000"), i2, gongshi.AnnualReportFiling{Year: 2025, Fields: report}); gongshi.ErrorCode(err) != gongshi.EFORBIDDEN {
		t.Errorf("paper entry outside jurisdiction: got %v", err)
	}
	// The other chooses to publish its own.
	if _, _, err := f.Svc.FileAnnualReport(ctx, l2, i2, gongshi.AnnualReportFiling{Year: 2025, Fields: with(report, "publish_report", true)}); err != nil {
		t.Fatal(err)
	}
	if pub, _ := f.Svc.AnnualReport(ctx, gongshi.Anonymous, i2, 2025); pub.Fields["total_revenue"] != "45" || pub.Fields["operator"] != "张某" {
		t.Errorf("published individual report shows %v", pub.Fields)
	}
	// A regulator does not file for an enterprise that is not an individual business.
	if _, _, err := f.Svc.FileAnnualReport(ctx, f.Reg, co, gongshi.AnnualReportFiling{Year: 2025, Fields: report}); gongshi.ErrorCode(err) != gongshi.EFORBIDDEN {
		t.Errorf("paper entry for a cooperative: got %v", err)
	}
	coop := map[string]any{"mailing_address": "上海市浦东新区川沙镇1号", "postal_code": "201200", "phone": "021-58881234", "operating_status": "operating",
		"members": 12, "members_joined": 2, "total_revenue": "300", "surplus": "-4", "total_tax": "0", "publish": map[string]any{"total_revenue": true}}
	v, _, err := f.Svc.FileAnnualReport(ctx, lco, co, gongshi.AnnualReportFiling{Year: 2025, Fields: coop})
	if err != nil {
		t.Fatal(err)
	}
	if v.Kind != "annual_report_cooperative" {
		t.Errorf("cooperative report kind %s", v.Kind)
	}
	if pub, _ := f.Svc.AnnualReport(ctx, gongshi.Anonymous, co, 2025); pub.Fields["total_revenue"] != "300" || pub.Fields["surplus"] != nil || pub.Fields["members"] != int64(12) {
		t.Errorf("cooperative report shows %v", pub.Fields)
	}
}

func testConsent(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	a, b := USCC(71), USCC(72)
	f.Register(t, a, "上海己科技有限公司", "张三")
	f.Register(t, b, "上海庚银行股份有限公司", "李四")
	la, bank := f.Liaison(t, "liaison-f", a), f.Liaison(t, "bank-officer", b)
	f.Clock.Set(At("2026-03-02T10:00:00+08:00"))
	v, _, err := f.Svc.FileAnnualReport(ctx, la, a, gongshi.AnnualReportFiling{Year: 2025, Fields: ReportFields()})
	if err != nil {
		t.Fatal(err)
	}
	// leaks reports whether any read by viewer serves net_profit or the contact phone.
	leaks := func(viewer *gongshi.Account) []string {
		t.Helper()
		var where []string
		check := func(path string, m map[string]any) {
			if m["net_profit"] != nil || m["total_liabilities"] != nil || m["contact_phone"] != nil {
				where = append(where, path)
			}
		}
		ent, err := f.Svc.Enterprise(ctx, viewer, a)
		if err != nil {
			t.Fatal(err)
		}
		check("enterprise profile", ent.Profile)
		_, recs, _ := f.Svc.Records(ctx, viewer, a)
		for _, r := range recs {
			for _, v := range r.Versions {
				check("records "+r.Kind, v.Fields)
			}
		}
		rec, _, _ := f.Svc.Record(ctx, viewer, v.Record)
		check("record", rec.Latest().Fields)
		ar, _ := f.Svc.AnnualReport(ctx, viewer, a, 2025)
		check("annual report", ar.Fields)
		return where
	}
	if l := leaks(gongshi.Anonymous); l != nil {
		t.Errorf("public reads leak non-public items: %v", l)
	}
	// The enterprise page is one read for the public and for those who see everything.
	for _, viewer := range []*gongshi.Account{gongshi.Anonymous, f.Reg, la} {
		if r, w := pageReads(t, f, viewer, a); r != 1 || w != 0 {
			t.Errorf("page of %s for %s: %d reads, %d writes; want 1 read", a, viewer.ID, r, w)
		}
	}
	if l := leaks(bank); l != nil {
		t.Errorf("reads without consent leak non-public items: %v", l)
	}
	doc, _ := f.Svc.Document(ctx, v.SHA256)
	if strings.Contains(string(doc), "-12.5") || strings.Contains(string(doc), `"total_liabilities":"600"`) {
		t.Errorf("document leaks: %s", doc)
	}
	res, _ := f.Svc.Search(ctx, gongshi.SearchQuery{Q: "己科技"})
	for _, h := range res.Hits {
		if h.Profile != nil {
			t.Errorf("search hit carries a profile: %v", h.Profile)
		}
	}

	// Bad grants.
	for _, c := range []struct {
		in    gongshi.ConsentGrant
		field string
	}{
		{gongshi.ConsentGrant{Grantee: "nobody", Items: []string{"net_profit"}, Until: "2026-03-31"}, "grantee"},
		{gongshi.ConsentGrant{Grantee: "bank-officer", Items: []string{"name"}, Until: "2026-03-31"}, "items[0]"},
		{gongshi.ConsentGrant{Grantee: "bank-officer", Items: []string{"net_profit"}, Until: "2026-02-01"}, "until"},
		{gongshi.ConsentGrant{Grantee: "bank-officer", Items: []string{"net_profit"}, From: "2026-01-01", Until: "2026-12-01"}, "from"},
	} {
		_, err := f.Svc.GrantConsent(ctx, la, c.in)
		wantErr(t, "grant "+c.field, err, gongshi.EINVALID, c.field)
	}
	if _, err := f.Svc.GrantConsent(ctx, bank, gongshi.ConsentGrant{Grantee: "liaison-f", Items: []string{"net_profit"}, Until: "2026-03-31"}); err != nil {
		t.Errorf("B's liaison grants for B: %v", err) // consent is for its own enterprise only
	}

	// Given, used, revoked.
	c1, err := f.Svc.GrantConsent(ctx, la, gongshi.ConsentGrant{Grantee: "bank-officer", Items: []string{"net_profit", "total_tax"}, Until: "2026-03-31"})
	if err != nil {
		t.Fatal(err)
	}
	ar, _ := f.Svc.AnnualReport(ctx, bank, a, 2025)
	if ar.Fields["net_profit"] != "-12.5" || ar.Fields["total_tax"] != "30" || ar.Fields["total_liabilities"] != nil {
		t.Errorf("under consent: %v; want net_profit and total_tax only", ar.Fields)
	}
	if ar, _ := f.Svc.AnnualReport(ctx, gongshi.Anonymous, a, 2025); ar.Fields["net_profit"] != nil {
		t.Errorf("consent to one account shows the item to the public")
	}
	views, err := f.Svc.ConsentViews(ctx, la)
	if err != nil || len(views) == 0 || views[0].Viewer != "bank-officer" || views[0].Consent != c1.ID || strings.Join(views[0].Items, ",") != "net_profit,total_tax" {
		t.Fatalf("recorded views: %+v, %v", views, err)
	}
	n := len(views)
	// Under consent: the file, the consents, and one write recording the views.
	if r, w := pageReads(t, f, bank, a); r != 2 || w != 1 {
		t.Errorf("page under consent: %d reads, %d writes; want 2 reads and 1 write", r, w)
	}
	if views, _ := f.Svc.ConsentViews(ctx, la); len(views) != n+1 {
		t.Errorf("the page under consent recorded %d views, want 1", len(views)-n)
	}
	n++
	f.Svc.Enterprise(ctx, bank, a) // the profile has no consented item: nothing to record
	if views, _ := f.Svc.ConsentViews(ctx, la); len(views) != n {
		t.Errorf("a read serving no consented item was recorded: %d views, want %d", len(views), n)
	}
	if _, err := f.Svc.ConsentViews(ctx, bank); err != nil {
		t.Fatal(err) // the bank's own enterprise has no views; it never sees A's
	}
	f.Clock.Set(At("2026-03-10T10:00:00+08:00"))
	if _, err := f.Svc.RevokeConsent(ctx, bank, c1.ID); gongshi.ErrorCode(err) != gongshi.ENOTFOUND {
		t.Errorf("revoking another's consent: got %v, want not found", err)
	}
	r, err := f.Svc.RevokeConsent(ctx, la, c1.ID)
	if err != nil || r.Status != "revoked" {
		t.Fatalf("revoke: %+v, %v", r, err)
	}
	if _, err := f.Svc.RevokeConsent(ctx, la, c1.ID); gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		t.Errorf("second revocation: got %v", err)
	}
	if l := leaks(bank); l != nil {
		t.Errorf("after revocation: %v", l)
	}

	// Given for a period that ends.
	c2, err := f.Svc.GrantConsent(ctx, la, gongshi.ConsentGrant{Grantee: "bank-officer", Items: []string{"net_profit", "contact_phone"}, Until: "2026-03-20"})
	if err != nil {
		t.Fatal(err)
	}
	if ent, _ := f.Svc.Enterprise(ctx, bank, a); ent.Profile["contact_phone"] != "021-68881234" {
		t.Errorf("consent to the registration's contact phone: profile %v", ent.Profile)
	}
	f.Clock.Set(At("2026-03-21T10:00:00+08:00"))
	if l := leaks(bank); l != nil {
		t.Errorf("after expiry: %v", l)
	}
	cs, _ := f.Svc.Consents(ctx, la)
	status := map[string]string{}
	for _, c := range cs {
		status[c.ID] = c.Status
	}
	if status[c1.ID] != "revoked" || status[c2.ID] != "expired" {
		t.Errorf("consent states: %v", status)
	}
}
