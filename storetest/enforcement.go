package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/ident"
)

// RunEnforcement is the enforcement suite (Art. 17, 18; SPEC §8).
func RunEnforcement(t *testing.T, open Opener) {
	t.Run("SixYears", func(t *testing.T) { testSixYears(t, open) })
	t.Run("CrashedSweep", func(t *testing.T) { testCrashedSweep(t, open) })
	t.Run("PastSweepByStatusThen", func(t *testing.T) { testPastSweepByStatusThen(t, open) })
	t.Run("CreditCheckOneEnterpriseByTwoCodes", func(t *testing.T) { testCreditCheckTwoCodes(t, open) })
	t.Run("ObjectionNotAccepted", func(t *testing.T) { testObjectionNotAccepted(t, open) })
	t.Run("LicenceRevocationDecree777", func(t *testing.T) { testLicenceRevocation(t, open) })
	t.Run("EarlyRemovalOrder44", func(t *testing.T) { testEarlyRemoval(t, open) })
	t.Run("CreditRepairAudited", func(t *testing.T) { testCreditRepair(t, open) })
	t.Run("ListSizes", func(t *testing.T) { testListSizes(t, open) })
}

// testLicenceRevocation: Decree 777 (in force 2024-05-01) as its policy entry says: A, with
// no report for 2021 and 2022 (the latest two years whose windows closed) and listed as
// unreachable, has its licence revoked on 2024-05-06 but not on 2024-04-30; B filed its
// 2022 report, C is not listed as unreachable: both refused, naming what is unmet.
func testLicenceRevocation(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	a, b, c := USCC(720), USCC(721), USCC(722)
	f.Clock.Set(At("2023-01-10T10:00:00+08:00"))
	f.RegisterTyped(t, a, "上海失联甲贸易有限公司", "有限责任公司", "2020-03-15")
	f.RegisterTyped(t, b, "上海失联乙贸易有限公司", "有限责任公司", "2020-03-15")
	f.RegisterTyped(t, c, "上海未报丙贸易有限公司", "有限责任公司", "2020-03-15")
	f.Clock.Set(At("2023-03-01T10:00:00+08:00"))
	if _, _, err := f.Svc.FileAnnualReport(ctx, f.Liaison(t, "l-721", b), b, gongshi.AnnualReportFiling{Year: 2022, Fields: ReportFields()}); err != nil {
		t.Fatal(err)
	}
	f.Clock.Set(At("2024-04-29T10:00:00+08:00"))
	for i, code := range []string{a, b} {
		if _, err := f.Svc.DecideListing(ctx, f.Reg, code, gongshi.ListingDecision{Ground: gongshi.GroundUnreachable, Verified: "2024-04-26",
			Facts: "经实地核查，通过登记的住所无法联系", DocumentNo: fmt.Sprintf("浦市监异〔2024〕%d号", 30+i)}); err != nil {
			t.Fatal(err)
		}
	}
	in := gongshi.LicenceRevocationInput{DocumentNo: "浦市监吊〔2024〕1号"}
	f.Clock.Set(At("2024-04-30T10:00:00+08:00"))
	if _, err := f.Svc.RevokeLicence(ctx, f.Reg, a, in); gongshi.ErrorCode(err) != gongshi.ECONFLICT || !strings.Contains(err.Error(), "1 May 2024") {
		t.Errorf("revocation on 2024-04-30, before Decree 777: got %v, want a conflict naming 1 May 2024", err)
	}
	f.Clock.Set(At("2024-05-06T10:00:00+08:00"))
	if _, err := f.Svc.RevokeLicence(ctx, f.Reg, a, gongshi.LicenceRevocationInput{}); gongshi.ErrorCode(err) != gongshi.EINVALID {
		t.Errorf("revocation without a document number: got %v, want invalid", err)
	}
	if _, err := f.Svc.RevokeLicence(ctx, f.Reg, b, in); gongshi.ErrorCode(err) != gongshi.ECONFLICT || !strings.Contains(err.Error(), "the 2022 report was filed") {
		t.Errorf("B, which filed 2022: got %v, want a conflict naming the filed report", err)
	}
	if _, err := f.Svc.RevokeLicence(ctx, f.Reg, c, in); gongshi.ErrorCode(err) != gongshi.ECONFLICT || !strings.Contains(err.Error(), "ground 4") {
		t.Errorf("C, not listed as unreachable: got %v, want a conflict naming ground 4", err)
	}
	v, err := f.Svc.RevokeLicence(ctx, f.Reg, a, in)
	if err != nil {
		t.Fatal(err)
	}
	if v.Kind != "licence_revocation" || v.Fields["unreported_years"] != "2021,2022" || v.Fields["rule"] != "licence.revocation.unreported@2024-05-01" || v.Fields["review_by"] == nil {
		t.Errorf("revocation: kind %s fields %v", v.Kind, v.Fields)
	}
	if ent, err := f.Svc.Enterprise(ctx, gongshi.Anonymous, a); err != nil || ent.Status != "吊销" {
		t.Errorf("A after the revocation: %+v (%v), want status 吊销", ent, err)
	}
	if _, err := f.Svc.RevokeLicence(ctx, f.Reg, a, in); gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		t.Errorf("a second revocation: got %v, want conflict", err)
	}
}

// testObjectionNotAccepted objects, the day before National Day 2016, to a listing; the
// regulator decides after the 5 working days of SAIC Order 68 Art. 13 (counted over the
// holiday and the make-up working weekend) not to accept it: a published notice, late,
// saying why and stating the remedies; the case is decided and leaves the queue.
func testObjectionNotAccepted(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	code := USCC(710)
	f.Clock.Set(At("2016-09-20T10:00:00+08:00"))
	f.RegisterTyped(t, code, "上海不予受理贸易有限公司", "有限责任公司", "2015-03-15")
	l, err := f.Svc.DecideListing(ctx, f.Reg, code, gongshi.ListingDecision{Ground: gongshi.GroundUnreachable, Verified: "2016-09-19",
		Facts: "经实地核查，通过登记的住所无法联系", DocumentNo: "浦市监异〔2016〕21号"})
	if err != nil {
		t.Fatal(err)
	}
	f.Clock.Set(At("2016-09-30T10:00:00+08:00"))
	obj, err := f.Svc.Object(ctx, f.Liaison(t, "l-710", code), code, gongshi.CaseInput{Entry: l.Entry.ID, Reason: "住所可以联系"})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := f.Svc.Rules.ObjectionAcceptDue(calendar.MustDate(2016, 9, 30))
	if err != nil || obj.Due != acc.Date.String() || obj.Due != "2016-10-12" {
		t.Errorf("objection of 2016-09-30: due %s (%v), want %s = 2016-10-12 (5 working days over National Day)", obj.Due, err, acc.Date)
	}
	f.Clock.Set(At("2016-10-13T10:00:00+08:00"))
	for _, bad := range []gongshi.CaseDecision{
		{Outcome: gongshi.OutcomeRemoved, DocumentNo: "浦市监异受〔2016〕3号", Answer: "x"},
		{Outcome: gongshi.OutcomeNotAccepted, DocumentNo: "", Answer: "x"},
		{Outcome: gongshi.OutcomeNotAccepted, DocumentNo: "浦市监异受〔2016〕3号", Answer: ""},
	} {
		if _, err := f.Svc.DecideCase(ctx, f.Reg, obj.ID, bad); gongshi.ErrorCode(err) != gongshi.EINVALID {
			t.Errorf("decision %+v: got %v, want invalid", bad, err)
		}
	}
	d, err := f.Svc.DecideCase(ctx, f.Reg, obj.ID, gongshi.CaseDecision{Outcome: gongshi.OutcomeNotAccepted, DocumentNo: "浦市监异受〔2016〕3号",
		Answer: "未提交相关证明材料，不予受理"})
	if err != nil {
		t.Fatal(err)
	}
	v := d.Version
	if v.Kind != "objection_acceptance" || v.OnTime || v.Due.String() != "2016-10-12" || v.Fields["outcome"] != gongshi.OutcomeNotAccepted ||
		v.Fields["reason"] != "未提交相关证明材料，不予受理" || v.Fields["review_by"] == nil || v.Fields["remedies"] == nil || v.Fields["verify_by"] != nil {
		t.Errorf("notice of non-acceptance: kind %s on time %v due %s fields %v", v.Kind, v.OnTime, v.Due, v.Fields)
	}
	if c := d.Case; c.State != gongshi.CaseStateDecided || c.Outcome != gongshi.OutcomeNotAccepted || c.Answer != v.Record {
		t.Errorf("case: %+v, want decided, not accepted, answered by the notice", c)
	}
	if q, _ := f.Svc.EnforcementQueue(ctx, f.Reg); len(q) != 0 {
		t.Errorf("queue: %+v, want empty", q)
	}
	if es, _ := f.Svc.EnterpriseListings(ctx, code); len(es) != 1 || !es[0].Active(calendar.MustDate(2016, 10, 13)) {
		t.Errorf("listing after the objection was not accepted: %+v, want still in force", es)
	}
	if _, err := f.Svc.DecideCase(ctx, f.Reg, obj.ID, gongshi.CaseDecision{Outcome: gongshi.OutcomeUpheld, DocumentNo: "浦市监异〔2016〕4号", Answer: "x"}); gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		t.Errorf("an objection not accepted, then upheld: got %v, want conflict", err)
	}
}

// testCreditCheckTwoCodes checks a batch that names one listed enterprise by its USCC and
// by its registration number among more than 500 enterprises, so that the store reads it
// in chunks: every answer about it lists its one entry once. The store's batched reads
// are also asked for keys given twice on both sides of a chunk boundary.
func testCreditCheckTwoCodes(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	code := USCC(700)
	regNo, err := ident.GenerateRegNo("310115", 1_0000700)
	if err != nil {
		t.Fatal(err)
	}
	in := Registration(code, "上海两码一家贸易有限公司", "李四")
	in.RegNo = regNo.String()
	codes := []string{code, regNo.String()}
	err = f.Store.Write(ctx, func(tx gongshi.Tx) error {
		if _, _, err := f.Svc.RegisterTx(tx, f.Reg, in); err != nil {
			return err
		}
		for i := range 560 {
			c := USCC(3000 + i)
			if _, _, err := f.Svc.RegisterTx(tx, f.Reg, Registration(c, fmt.Sprintf("上海第%d贸易有限公司", i), "王五")); err != nil {
				return err
			}
			codes = append(codes, c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.DecideListing(ctx, f.Reg, code, gongshi.ListingDecision{Ground: gongshi.GroundUnreachable, Verified: "2026-05-28",
		Facts: "经实地核查，通过登记的住所无法联系", DocumentNo: "浦市监异〔2026〕7号"}); err != nil {
		t.Fatal(err)
	}
	codes = append(codes, code, regNo.String())
	// Which chunk a code falls in depends on the order of a map: ask a few times.
	for run := range 8 {
		cc, err := f.Svc.CreditCheck(ctx, gongshi.CreditCheckRequest{AsOf: "2026-06-01", Codes: codes})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range cc.Results {
			if codes[i] != code && codes[i] != regNo.String() {
				if r.Status != gongshi.CreditClear || len(r.Lists) != 0 {
					t.Fatalf("run %d, result %d (%s): got status %s with %d lists, want %s", run, i, r.Code, r.Status, len(r.Lists), gongshi.CreditClear)
				}
				continue
			}
			if r.Code != codes[i] || r.USCC != code || r.Status != gongshi.CreditListed || len(r.Lists) != 1 {
				t.Fatalf("run %d, result %d: got code %s, uscc %s, status %s with %d lists, want code %s, uscc %s, listed on 1 list",
					run, i, r.Code, r.USCC, r.Status, len(r.Lists), codes[i], code)
			}
		}
	}
	twice := append([]string{code}, codes[2:562]...)
	twice = append(twice, code)
	files, err := f.Store.Files(ctx, twice, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(files[code]); n != 2 { // the registration and the listing decision
		t.Errorf("Files with %s first and last of %d keys: got %d versions of it, want 2", code, len(twice), n)
	}
	entries, err := f.Store.EntriesOf(ctx, twice)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(entries[code]); n != 1 {
		t.Errorf("EntriesOf with %s first and last of %d keys: got %d entries of it, want 1", code, len(twice), n)
	}
}

// acceptObjection has the regulator accept objection obj, received 2016-07-12 (a
// Tuesday), on 2016-07-14 (SAIC Order 68 Art. 13): its answer is not given before, the
// acceptance is a published record on time, and the answer is then due 20 working days
// from the acceptance (2016-08-11), the case still in the queue.
func (k *cohort) acceptObjection(obj *gongshi.EnforcementCase) {
	t, f, ctx := k.t, k.f, context.Background()
	t.Helper()
	acc, _ := f.Svc.Rules.ObjectionAcceptDue(calendar.MustDate(2016, 7, 12))
	if obj.State != gongshi.CaseStatePending || obj.Due != "2016-07-19" || obj.Due != acc.Date.String() || obj.Policy != acc.Entry.Ref() {
		t.Errorf("objection: state %s due %s policy %s, want pending, due 2016-07-19 (%s)", obj.State, obj.Due, obj.Policy, acc.Entry.Ref())
	}
	k.at("2016-07-14T10:00:00+08:00")
	if _, err := f.Svc.DecideCase(ctx, f.Reg, obj.ID, gongshi.CaseDecision{Outcome: gongshi.OutcomeUpheld, DocumentNo: "浦市监异议〔2016〕1号", Answer: "列入有误"}); gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		t.Errorf("objection answered before it is accepted: got %v, want conflict", err)
	}
	d, err := f.Svc.DecideCase(ctx, f.Reg, obj.ID, gongshi.CaseDecision{Outcome: gongshi.OutcomeAccepted, DocumentNo: "浦市监异受〔2016〕1号", Answer: "异议材料齐全，予以受理"})
	if err != nil {
		t.Fatal(err)
	}
	v := d.Version
	if v.Kind != "objection_acceptance" || !v.OnTime || v.Due.String() != "2016-07-19" || v.Policy != acc.Entry.Ref() ||
		v.Fields["verify_by"] != "2016-08-11" || v.Fields["basis"] != "《企业经营异常名录管理暂行办法》第十三条" || v.Fields["objection"] != obj.ID {
		t.Errorf("acceptance: kind %s on time %v due %s policy %s fields %v", v.Kind, v.OnTime, v.Due, v.Policy, v.Fields)
	}
	if c := d.Case; c.State != gongshi.CaseStateAccepted || c.Due != "2016-08-11" || c.Answer != v.Record || c.Decided != "2016-07-14" {
		t.Errorf("accepted objection: %+v, want accepted, due 2016-08-11, the acceptance its answer so far", c)
	}
	if _, err := f.Svc.DecideCase(ctx, f.Reg, obj.ID, gongshi.CaseDecision{Outcome: gongshi.OutcomeNotAccepted, DocumentNo: "浦市监异受〔2016〕2号", Answer: "x"}); gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		t.Errorf("an accepted objection not accepted: got %v, want conflict", err)
	}
	if q, _ := f.Svc.EnforcementQueue(ctx, f.Reg); len(q) != 1 || q[0].ID != obj.ID || q[0].State != gongshi.CaseStateAccepted {
		t.Errorf("queue after the acceptance: %+v, want the accepted objection", q)
	}
	// The objector sees the acceptance notice among its enterprise's records.
	if r, _, err := f.Svc.Record(ctx, gongshi.Anonymous, v.Record); err != nil || r.Latest().Fields["outcome"] != gongshi.OutcomeAccepted {
		t.Errorf("acceptance notice in public: %v", err)
	}
}

// cohort is a register of enterprises established in 2015, run through the years.
type cohort struct {
	t *testing.T
	f *Fixture
	// a never reports; b cures and applies; c objects; d is an individual business; e
	// always reports; h misses an order's deadline.
	a, b, c, d, e, h   string
	lb, lc, ld, le, lh *gongshi.Account
}

var coopReport = map[string]any{"mailing_address": "上海市浦东新区川沙镇1号", "postal_code": "201200", "phone": "021-58881234", "operating_status": "operating",
	"members": 12, "members_joined": 2, "total_revenue": "300", "surplus": "-4", "total_tax": "0"}
var individualReport = map[string]any{"operator": "张某", "phone": "13800138000", "operating_status": "operating", "employees": 3, "total_revenue": "45", "total_tax": "1.2"}

func newCohort(t *testing.T, open Opener) *cohort {
	f, _ := NewFixture(t, open)
	k := &cohort{t: t, f: f, a: USCC(501), b: USCC(502), c: USCC(503), d: USCC(504), e: USCC(505), h: USCC(506)}
	k.at("2015-03-20T10:00:00+08:00")
	f.RegisterTyped(t, k.a, "上海从不年报贸易有限公司", "有限责任公司", "2015-03-15")
	f.RegisterTyped(t, k.b, "上海补报农民专业合作社", "农民专业合作社", "2015-03-15")
	f.RegisterTyped(t, k.c, "上海异议农民专业合作社", "农民专业合作社", "2015-03-15")
	f.RegisterTyped(t, k.d, "浦东新区张记小吃店", "个体工商户", "2015-03-15")
	f.RegisterTyped(t, k.e, "上海守信农民专业合作社", "农民专业合作社", "2015-03-15")
	f.RegisterTyped(t, k.h, "上海逾期农民专业合作社", "农民专业合作社", "2015-03-15")
	k.lb, k.lc, k.ld = f.Liaison(t, "l-b", k.b), f.Liaison(t, "l-c", k.c), f.Liaison(t, "l-d", k.d)
	k.le, k.lh = f.Liaison(t, "l-e", k.e), f.Liaison(t, "l-h", k.h)
	return k
}

func (k *cohort) at(instant string) { k.f.Clock.Set(At(instant)) }

func (k *cohort) file(who *gongshi.Account, code string, year int, fields map[string]any) {
	k.t.Helper()
	if _, _, err := k.f.Svc.FileAnnualReport(context.Background(), who, code, gongshi.AnnualReportFiling{Year: year, Fields: fields}); err != nil {
		k.t.Fatalf("file %d report of %s: %v", year, code, err)
	}
}

// sweep sweeps as of the clock's date twice: the second changes nothing.
func (k *cohort) sweep() *gongshi.SweepSummary {
	k.t.Helper()
	ctx := context.Background()
	asOf := calendar.DateOf(k.f.Clock.Now())
	dry, err := k.f.Svc.Sweep(ctx, gongshi.SweepOptions{AsOf: asOf, DryRun: true})
	if err != nil {
		k.t.Fatalf("dry sweep %s: %v", asOf, err)
	}
	before, _ := k.f.Store.TreeSize(ctx)
	s, err := k.f.Svc.Sweep(ctx, gongshi.SweepOptions{AsOf: asOf})
	if err != nil {
		k.t.Fatalf("sweep %s: %v", asOf, err)
	}
	if dryMid, _ := k.f.Store.TreeSize(ctx); before == 0 || dryMid < before {
		k.t.Fatalf("tree size %d after sweep, %d before", dryMid, before)
	}
	for r, n := range s.Counts {
		if dry.Counts[r] != n {
			k.t.Errorf("sweep %s: %s: dry run said %d, sweep did %d", asOf, r, dry.Counts[r], n)
		}
	}
	size, _ := k.f.Store.TreeSize(ctx)
	again, err := k.f.Svc.Sweep(ctx, gongshi.SweepOptions{AsOf: asOf})
	if err != nil {
		k.t.Fatalf("second sweep %s: %v", asOf, err)
	}
	for r, n := range again.Counts {
		if n != 0 {
			k.t.Errorf("second sweep %s: %s decided %d again, want 0", asOf, r, n)
		}
	}
	if size2, _ := k.f.Store.TreeSize(ctx); size2 != size {
		k.t.Errorf("second sweep %s grew the log from %d to %d", asOf, size, size2)
	}
	return s
}

func (k *cohort) entries(code string) []*gongshi.ListEntry {
	k.t.Helper()
	es, err := k.f.Svc.EnterpriseListings(context.Background(), code)
	if err != nil {
		k.t.Fatal(err)
	}
	return es
}

func (k *cohort) check(asOf, code string) *gongshi.CreditResult {
	k.t.Helper()
	cc, err := k.f.Svc.CreditCheck(context.Background(), gongshi.CreditCheckRequest{AsOf: asOf, Codes: []string{code}})
	if err != nil {
		k.t.Fatal(err)
	}
	return cc.Results[0]
}

func wantCounts(t *testing.T, when string, got *gongshi.SweepSummary, want map[string]int) {
	t.Helper()
	for r, n := range got.Counts {
		if n != want[r] {
			t.Errorf("%s: %s: got %d decisions, want %d", when, r, n, want[r])
		}
	}
}

func testSixYears(t *testing.T, open Opener) { sixYears(t, open) }

// sixYears is the story of six enterprises from 2015 to 2024, with its checks: filings,
// orders, listings and markings, an objection upheld, removals on application, warnings,
// an escalation to the serious list with its ban, a penalty withdrawn and the five-year
// expiry. It returns the cohort at 2024-07-05.
func sixYears(t *testing.T, open Opener) *cohort {
	k := newCohort(t, open)
	f, ctx := k.f, context.Background()

	// 2016: E files on time and is fined (a small fine, shown for 3 months); H is ordered.
	k.at("2016-04-01T10:00:00+08:00")
	for _, c := range []struct {
		l    *gongshi.Account
		code string
	}{{k.le, k.e}, {k.lh, k.h}} {
		k.file(c.l, c.code, 2015, coopReport)
	}
	pen, err := f.Svc.Publish(ctx, f.Reg, k.e, gongshi.Publication{Kind: "penalty", Arose: "2016-03-20", Fields: map[string]any{
		"decision_no": "浦市监罚〔2016〕1号", "violation": "虚假宣传", "content": "罚款", "fine": "500", "minor": true,
		"authority": "上海市浦东新区市场监督管理局", "decided": "2016-03-20"}})
	if err != nil {
		t.Fatal(err)
	}
	k.at("2016-06-01T10:00:00+08:00")
	if _, _, err := f.Svc.IssueOrder(ctx, f.Reg, k.h, gongshi.OrderInput{Item: "licence", Content: "公示食品经营许可"}); err != nil {
		t.Fatal(err)
	}

	// July 2016: the non-filers are listed (the individual business marked) within the period.
	k.at("2016-07-04T10:00:00+08:00")
	s := k.sweep()
	wantCounts(t, "2016-07-04", s, map[string]int{"ground1": 4, "ground2": 1, "penalty_withdrawals": 1})
	ea := k.entries(k.a)
	if len(ea) != 1 || ea[0].List != gongshi.ListAbnormal || ea[0].Ground != 1 || ea[0].Since != "2016-07-04" || ea[0].Period != "2015" {
		t.Fatalf("A's entries: %+v", ea)
	}
	rec, _, err := f.Svc.Record(ctx, gongshi.Anonymous, ea[0].Record)
	if err != nil {
		t.Fatal(err)
	}
	v := rec.Latest()
	due, _ := f.Svc.Rules.ListingDecisionDue(1, calendar.MustDate(2016, 6, 30))
	if v.Kind != "abnormal_listing" || !v.OnTime || v.Due.String() != due.Date.String() || v.Policy != due.Entry.Ref() ||
		v.Fields["review_by"] == nil || v.Fields["litigation_by"] == nil || v.Fields["document_no"] == "" || v.Fields["authority"] == "" {
		t.Errorf("listing decision: kind %s on time %v due %s policy %s fields %v", v.Kind, v.OnTime, v.Due, v.Policy, v.Fields)
	}
	if ed := k.entries(k.d); len(ed) != 1 || ed[0].List != gongshi.ListMarked {
		t.Errorf("individual business: %+v, want one marking", ed)
	}
	if eh := k.entries(k.h); len(eh) != 1 || eh[0].Ground != 2 {
		t.Errorf("H: %+v, want a ground-2 listing", eh)
	}
	if _, err := f.Svc.Document(ctx, pen.SHA256); gongshi.ErrorCode(err) != gongshi.EGONE {
		t.Errorf("penalty after its display period: got %v, want gone", err)
	}

	// C objects in time and is found wrongly listed: the listing is corrected.
	k.at("2016-07-12T10:00:00+08:00")
	ec := k.entries(k.c)
	obj, err := f.Svc.Object(ctx, k.lc, k.c, gongshi.CaseInput{Entry: ec[0].ID, Reason: "已于6月28日通过邮寄报送年度报告"})
	if err != nil {
		t.Fatal(err)
	}
	if q, _ := f.Svc.EnforcementQueue(ctx, f.Reg); len(q) != 1 || q[0].ID != obj.ID || q[0].Overdue {
		t.Errorf("queue: %+v", q)
	}
	k.acceptObjection(obj)
	k.at("2016-07-20T10:00:00+08:00")
	dec, err := f.Svc.DecideCase(ctx, f.Reg, obj.ID, gongshi.CaseDecision{Outcome: gongshi.OutcomeUpheld, DocumentNo: "浦市监异议〔2016〕1号", Answer: "经核实，该社已按期报送，列入有误"})
	if err != nil {
		t.Fatal(err)
	}
	if dec.Entry.Ended != gongshi.EndCorrected || dec.Version.Kind != "objection_answer" {
		t.Errorf("objection upheld: entry %+v version %s", dec.Entry, dec.Version.Kind)
	}
	if r, _, _ := f.Svc.Record(ctx, gongshi.Anonymous, ec[0].Record); len(r.Versions) != 2 || r.Latest().Fields["status"] != "void" {
		t.Errorf("corrected listing: %d versions, latest %v", len(r.Versions), r.Latest().Fields)
	}
	// A credit check answers what the register said on its date (as-of reads): before the
	// correction C was listed, and that stays so; from the correction on it is clear.
	if r := k.check("2016-07-05", k.c); r.Status != gongshi.CreditListed {
		t.Errorf("credit check of C as of before the correction: %+v, want listed as it was then", r)
	}
	if r := k.check("2016-07-20", k.c); r.Status != gongshi.CreditClear {
		t.Errorf("credit check of C after the correction: %+v", r)
	}
	if _, err := f.Svc.DecideCase(ctx, f.Reg, obj.ID, gongshi.CaseDecision{Outcome: gongshi.OutcomeRejected, DocumentNo: "浦市监异议〔2016〕2号", Answer: "异议已处理"}); gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		t.Errorf("second decision: got %v, want conflict", err)
	}

	// B files its missing report late and applies; the register sees the cure. D likewise.
	k.at("2016-08-01T10:00:00+08:00")
	k.file(k.lb, k.b, 2015, coopReport)
	k.file(f.Reg, k.d, 2015, individualReport)
	app, err := f.Svc.ApplyForRemoval(ctx, k.lb, k.b, gongshi.CaseInput{Entry: k.entries(k.b)[0].ID, Reason: "已补报2015年度报告"})
	if err != nil {
		t.Fatal(err)
	}
	rd, _ := f.Svc.Rules.RemovalDecisionDue(calendar.MustDate(2016, 8, 1))
	if app.Cure == "" || app.Due != rd.Date.String() {
		t.Errorf("application: cure %q due %s, want the cure seen and due %s", app.Cure, app.Due, rd.Date)
	}
	appD, err := f.Svc.ApplyForRemoval(ctx, k.ld, k.d, gongshi.CaseInput{Entry: k.entries(k.d)[0].ID, Reason: "已补报"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.Publish(ctx, k.lh, k.h, gongshi.Publication{Kind: "licence", Arose: "2016-07-25", Fields: map[string]any{
		"licence_no": "JY23101150001", "name": "食品经营许可证", "action": "granted", "issuer": "上海市浦东新区市场监督管理局", "valid_from": "2016-07-25"}}); err != nil {
		t.Fatal(err)
	}
	appH, err := f.Svc.ApplyForRemoval(ctx, k.lh, k.h, gongshi.CaseInput{Entry: k.entries(k.h)[0].ID, Reason: "已公示许可信息"})
	if err != nil || appH.Cure == "" {
		t.Fatalf("H's application: %v %+v, want the cure seen", err, appH)
	}
	if _, err := f.Svc.Object(ctx, k.lb, k.a, gongshi.CaseInput{Entry: ea[0].ID, Reason: "x"}); gongshi.ErrorCode(err) != gongshi.EFORBIDDEN {
		t.Errorf("objection by another enterprise's liaison: got %v", err)
	}
	k.at("2016-08-03T10:00:00+08:00")
	if _, err := f.Svc.DecideCase(ctx, f.Reg, app.ID, gongshi.CaseDecision{Outcome: gongshi.OutcomeRemoved, DocumentNo: "浦市监移出〔2016〕1号", Answer: "已补报，准予移出"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Svc.DecideCase(ctx, f.Reg, appH.ID, gongshi.CaseDecision{Outcome: gongshi.OutcomeRemoved, DocumentNo: "浦市监移出〔2016〕2号", Answer: "已履行公示义务"}); err != nil {
		t.Fatal(err)
	}
	if d, err := f.Svc.DecideCase(ctx, f.Reg, appD.ID, gongshi.CaseDecision{Outcome: gongshi.OutcomeRemoved, DocumentNo: "浦市监恢复〔2016〕1号", Answer: "恢复正常记载状态"}); err != nil || d.Version.Kind != "marking_restoration" {
		t.Fatalf("restoration: %v", err)
	}
	if r := k.check("2016-07-20", k.b); r.Status != gongshi.CreditListed || len(r.Lists) != 1 || r.Lists[0].Since != "2016-07-04" {
		t.Errorf("credit check of B in the past: %+v", r)
	}
	if r := k.check("2016-08-03", k.b); r.Status != gongshi.CreditClear || !r.MayParticipate {
		t.Errorf("credit check of B after removal: %+v", r)
	}
	k.at("2016-09-01T10:00:00+08:00")
	if _, err := f.Svc.Object(ctx, f.Liaison(t, "l-a", k.a), k.a, gongshi.CaseInput{Entry: ea[0].ID, Reason: "迟到的异议"}); gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		t.Errorf("objection after 30 days: got %v, want conflict", err)
	}

	// The years go by: everyone but A files; A is listed again each July.
	for y := 2017; y <= 2024; y++ {
		k.at(itoa(y) + "-04-01T10:00:00+08:00")
		for _, c := range []struct {
			l    *gongshi.Account
			code string
		}{{k.lb, k.b}, {k.lc, k.c}, {k.le, k.e}, {k.lh, k.h}} {
			k.file(c.l, c.code, y-1, coopReport)
		}
		k.file(k.ld, k.d, y-1, individualReport)
		if y == 2019 {
			// 60 days before the third anniversary: the warning.
			k.at("2019-05-06T10:00:00+08:00")
			wantCounts(t, "2019-05-06", k.sweep(), map[string]int{"warnings": 1})
		}
		if y == 2024 {
			break
		}
		k.at(itoa(y) + "-07-04T10:00:00+08:00")
		want := map[string]int{"ground1": 1}
		switch y {
		case 2019:
			want["escalations"] = 1
		case 2023:
			want["ground1"], want["ban_expiries"] = 2, 1 // G, registered in 2022, does not report either
		}
		wantCounts(t, itoa(y)+"-07-04", k.sweep(), want)
		if y == 2019 {
			k.seriousYear()
		}
		if y == 2022 {
			// The ban ends with its last day, 2022-07-04.
			k.at("2022-07-05T10:00:00+08:00")
			in := Registration(USCC(511), "上海重新开始有限公司", "王五")
			in.Fields["established"] = "2022-07-05"
			if _, _, err := f.Svc.Register(ctx, f.Reg, in); err != nil {
				t.Errorf("after the ban: %v", err)
			}
		}
	}
	// Five years on the serious list: removed automatically.
	k.at("2024-07-04T10:00:00+08:00")
	wantCounts(t, "2024-07-04", k.sweep(), map[string]int{"ground1": 2, "serious_expiries": 1})
	k.at("2024-07-05T10:00:00+08:00")
	if r := k.check("2024-07-05", k.a); r.MayParticipate || hasList(r, gongshi.ListSerious) {
		t.Errorf("credit check of A after five years: %+v, want abnormal listings only", r)
	}
	if r := k.check("2024-07-03", k.a); !hasList(r, gongshi.ListSerious) {
		t.Errorf("credit check of A the day before: %+v, want the serious list", r)
	}
	if r := k.check("2024-07-04", k.e); !r.MayParticipate {
		t.Errorf("E: %+v", r)
	}
	return k
}

// seriousYear checks A's serious listing and its legal representative's ban.
func (k *cohort) seriousYear() {
	f, ctx := k.f, context.Background()
	var serious *gongshi.ListEntry
	for _, e := range k.entries(k.a) {
		if e.List == gongshi.ListSerious {
			serious = e
		}
	}
	if serious == nil || serious.Since != "2019-07-04" || serious.BanUntil != "2022-07-04" || serious.BannedPerson != "王五" {
		k.t.Fatalf("serious entry of A: %+v", serious)
	}
	if r, _, _ := f.Svc.Record(ctx, gongshi.Anonymous, serious.Record); strings.Contains(string(r.Latest().Document), "110101199003074514") {
		k.t.Errorf("the serious listing's document holds the ID number")
	}

	// A's legal representative is refused elsewhere, with why and until when.
	k.at("2019-07-10T10:00:00+08:00")
	in := Registration(USCC(510), "上海新开张有限公司", "王五")
	in.Fields["established"] = "2019-07-10"
	_, _, err := f.Svc.Register(ctx, f.Reg, in)
	if e := gongshi.AsError(err); e == nil || e.Code != gongshi.ECONFLICT || !strings.Contains(e.Message, "2022-07-04") || strings.Contains(e.Error(), "110101199003074514") {
		k.t.Errorf("banned legal representative: got %v, want a conflict saying until 2022-07-04 without the ID number", err)
	}
	ent, _ := f.Svc.Enterprise(ctx, f.Reg, k.e)
	_, err = f.Svc.Amend(ctx, f.Reg, ent.Registration, gongshi.Amendment{Fields: map[string]any{"legal_representative": map[string]any{"name": "赵六", "id_number": "11010519491231002X"}}})
	if err != nil {
		k.t.Fatalf("appoint an unbanned person: %v", err)
	}
	_, err = f.Svc.Amend(ctx, f.Reg, ent.Registration, gongshi.Amendment{Fields: map[string]any{"legal_representative": map[string]any{"name": "王五", "id_number": "110101199003074514"}}})
	if gongshi.ErrorCode(err) != gongshi.ECONFLICT {
		k.t.Errorf("appoint the banned person by a change: got %v, want conflict", err)
	}
	if r := k.check("2019-07-10", k.a); r.MayParticipate || len(r.Lists) != 5 {
		k.t.Errorf("credit check of A: %+v, want the serious list and four listings", r)
	}
	if p, _ := f.Svc.Enterprise(ctx, gongshi.Anonymous, k.a); p.ListStatus == nil || !p.ListStatus.Listed {
		k.t.Errorf("enterprise page list status: %+v", p.ListStatus)
	}
	if page, err := f.Svc.List(ctx, gongshi.ListInput{List: "serious", Division: "310115"}); err != nil || len(page.Entries) != 1 {
		k.t.Errorf("serious list: %v %+v", err, page)
	}
	// The list's size over time counts what the list showed at each year's end.
	today := calendar.DateOf(f.Clock.Now())
	sizes, err := f.Svc.ListSizes(ctx, "serious", "310115", today)
	if err != nil || len(sizes) != today.Year()-2014+1 || sizes[len(sizes)-1].Count != 1 || sizes[0].Count != 0 {
		k.t.Errorf("serious list sizes: %v %+v, want one a year since 2014, none then, one now", err, sizes)
	}
	for _, sz := range sizes {
		page, err := f.Svc.List(ctx, gongshi.ListInput{List: "abnormal", AsOf: sz.AsOf.String()})
		n, _ := f.Svc.ListSizes(ctx, "abnormal", "", sz.AsOf)
		if err != nil || len(page.Entries) < 50 && n[len(n)-1].Count != len(page.Entries) {
			k.t.Errorf("abnormal list on %s: size %+v, %d entries listed (%v)", sz.AsOf, n[len(n)-1], len(page.Entries), err)
		}
	}

}

func hasList(r *gongshi.CreditResult, list string) bool {
	for _, l := range r.Lists {
		if l.List == list {
			return true
		}
	}
	return false
}

func itoa(n int) string { return calendar.MustDate(n, 1, 1).String()[:4] }

// testCrashedSweep: a sweep that fails part-way or is cancelled keeps what it committed
// and loses nothing; re-run, it ends in the same state as one clean run.
func testCrashedSweep(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	f.Clock.Set(At("2016-03-01T10:00:00+08:00"))
	for i := 0; i < 7; i++ {
		f.RegisterTyped(t, USCC(600+i), "上海崩溃测试"+itoa(2000+i)+"有限公司", "有限责任公司", "2015-01-10")
	}
	f.Clock.Set(At("2016-07-05T10:00:00+08:00"))
	asOf := calendar.DateOf(f.Clock.Now())
	crash := errors.New("crash")
	_, err := f.Svc.Sweep(ctx, gongshi.SweepOptions{AsOf: asOf, Batch: 2, Fault: func(rule string, i int) error {
		if rule == "ground1" && i == 3 {
			return crash
		}
		return nil
	}})
	if !errors.Is(err, crash) {
		t.Fatalf("faulty sweep: got %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	_, err = f.Svc.Sweep(cctx, gongshi.SweepOptions{AsOf: asOf, Batch: 1, Progress: func(string, int, int) { cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled sweep: got %v", err)
	}
	s, err := f.Svc.Sweep(ctx, gongshi.SweepOptions{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if s.Counts["ground1"] != 7-2-1 {
		t.Errorf("re-run listed %d, want the 4 left", s.Counts["ground1"])
	}
	for i := 0; i < 7; i++ {
		es, _ := f.Svc.EnterpriseListings(ctx, USCC(600+i))
		if len(es) != 1 {
			t.Errorf("enterprise %d: %d entries, want exactly 1", i, len(es))
		}
	}
	size, _ := f.Store.TreeSize(ctx)
	checkLog(t, f.Store, size)
}

// testPastSweepByStatusThen sweeps for a past date: an enterprise that was in being then
// and has been deregistered since is listed for the report it did not file; one
// deregistered before the date is not.
func testPastSweepByStatusThen(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	closedSince, closedBefore, inBeing := USCC(601), USCC(602), USCC(603)
	f.Clock.Set(At("2015-03-20T10:00:00+08:00"))
	f.RegisterTyped(t, closedSince, "上海其后注销贸易有限公司", "有限责任公司", "2015-03-15")
	f.RegisterTyped(t, closedBefore, "上海其前注销贸易有限公司", "有限责任公司", "2015-03-15")
	f.RegisterTyped(t, inBeing, "上海存续贸易有限公司", "有限责任公司", "2015-03-15")
	deregister := func(code, day string) {
		t.Helper()
		f.Clock.Set(At(day + "T10:00:00+08:00"))
		ent, err := f.Svc.Enterprise(ctx, nil, code)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Svc.Amend(ctx, f.Reg, ent.Registration, gongshi.Amendment{Reason: "注销登记", Fields: map[string]any{"status": "注销"}}); err != nil {
			t.Fatalf("deregister %s: %v", code, err)
		}
	}
	deregister(closedBefore, "2016-05-10") // before the 2015 reports' window closed
	deregister(closedSince, "2016-08-10")  // after the sweep's date
	f.Clock.Set(At("2016-09-01T10:00:00+08:00"))
	asOf, _ := calendar.ParseDate("2016-07-15")
	sum, err := f.Svc.Sweep(ctx, gongshi.SweepOptions{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if n := sum.Counts["ground1"]; n != 2 {
		t.Errorf("sweep as of %s: %d ground-1 listings, want 2 (the enterprise in being and the one deregistered since)", asOf, n)
	}
	for code, want := range map[string]int{closedSince: 1, closedBefore: 0, inBeing: 1} {
		es, err := f.Svc.EnterpriseListings(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != want {
			t.Errorf("%s: %d list entries after the sweep as of %s, want %d", code, len(es), asOf, want)
		}
	}
}

// testListSizes: the lists' sizes by day (ListSizes) agree with the entries' own rule
// (ListEntry.Active) for every list, division prefix of every length and day, as entries
// are listed, removed and corrected — also entries that end before they begin or on the
// day they begin, and a day asked twice or out of order.
func testListSizes(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	divisions := []string{"310115", "310101", "310230", "320102", "320500", "110105"}
	lists := []string{gongshi.ListAbnormal, gongshi.ListMarked, gongshi.ListSerious}
	days := []string{"2014-03-01", "2014-12-31", "2015-07-01", "2015-07-02", "2016-01-01", "2017-06-30", "2018-02-28"}
	var entries []*gongshi.ListEntry
	for i := 0; i < 60; i++ {
		e := &gongshi.ListEntry{ID: fmt.Sprint(9000 + i), USCC: USCC(900 + i), Name: "规模测试" + itoa(2000+i), Division: divisions[i%len(divisions)],
			List: lists[i%len(lists)], Ground: 1 + 2*(i%7/6) /* every seventh 3 */, Since: days[i%5+1], Authority: "上海市市场监督管理局", Jurisdiction: "310000", DocumentNo: "沪市监异〔2015〕1号"}
		switch i % 6 {
		case 1:
			e.Until = days[i%5+2] // removed later
		case 2:
			e.Until = e.Since // on and off the same day
		case 3:
			e.Until = days[0] // ends before it begins
		}
		entries = append(entries, e)
	}
	put := func(es []*gongshi.ListEntry) {
		err := f.Store.Write(ctx, func(tx gongshi.Tx) error {
			for _, e := range es {
				if err := tx.PutListEntry(e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	asked := []calendar.Date{calendar.MustDate(2018, 1, 1), calendar.MustDate(2013, 1, 1)}
	for _, d := range days {
		day, err := calendar.ParseDate(d)
		if err != nil {
			t.Fatal(err)
		}
		asked = append(asked, day)
	}
	asked = append(asked, asked[3])
	var checkFiltered func(when, list, prefix string, d calendar.Date)
	check := func(when string) {
		for _, list := range []string{gongshi.ListAbnormal, gongshi.ListSerious} {
			for _, prefix := range []string{"", "3", "31", "310", "3101", "31011", "310115", "32", "320500", "440"} {
				got, err := f.Store.ListSizes(ctx, list, prefix, asked)
				if err != nil || len(got) != len(asked) {
					t.Fatalf("%s: ListSizes(%s, %q): %v %v", when, list, prefix, got, err)
				}
				for i, d := range asked {
					want := 0
					for _, e := range entries {
						onList := e.List == list || list == gongshi.ListAbnormal && e.List == gongshi.ListMarked
						if onList && strings.HasPrefix(e.Division, prefix) && e.Active(d) {
							want++
						}
					}
					if got[i] != want {
						t.Errorf("%s: the %s list in %q on %s: %d entries, want %d", when, list, prefix, d, got[i], want)
					}
					// A page holds them all, whichever way it is read (ListEntries).
					page, _, err := f.Store.ListEntries(ctx, gongshi.ListQuery{List: list, Prefix: prefix, AsOf: d, Limit: 500})
					if err != nil || len(page) != want {
						t.Errorf("%s: a page of the %s list in %q on %s: %d entries (%v), want %d", when, list, prefix, d, len(page), err, want)
					}
					if prefix == "" || prefix == "31" || prefix == "310115" {
						checkFiltered(when, list, prefix, d)
					}
				}
			}
		}
	}
	// checkFiltered pages, three entries a page, through the list filtered by listing date
	// and ground, and compares the entries, in order, with the entries' own rule.
	checkFiltered = func(when, list, prefix string, d calendar.Date) {
		for _, since := range []string{"", days[1], days[3], days[5], "2030-01-01"} {
			for _, ground := range []int{0, 1, 3} {
				var want, got []string
				for _, e := range entries { // in id order
					onList := e.List == list || list == gongshi.ListAbnormal && e.List == gongshi.ListMarked
					if onList && strings.HasPrefix(e.Division, prefix) && e.Active(d) && e.Since >= since && (ground == 0 || e.Ground == ground) {
						want = append(want, e.ID)
					}
				}
				q := gongshi.ListQuery{List: list, Prefix: prefix, AsOf: d, Since: since, Ground: ground, Limit: 3}
				for pages := 0; pages < 30; pages++ {
					page, next, err := f.Store.ListEntries(ctx, q)
					if err != nil {
						t.Fatalf("%+v: %v", q, err)
					}
					for _, e := range page {
						got = append(got, e.ID)
					}
					if q.Cursor = next; next == "" {
						break
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: the %s list in %q on %s since %q, ground %d: %v, want %v", when, list, prefix, d, since, ground, got, want)
				}
			}
		}
	}
	put(entries)
	check("listed")
	// A store that chooses how to read a filtered page by how many entries pass the
	// filter (sqlstore's, in its tests) is made to read these few both ways.
	checkFew := func(when string) {
		if few, ok := f.Store.(interface{ SetFewListEntries(int) int }); ok {
			was := few.SetFewListEntries(3)
			check(when + ", few")
			few.SetFewListEntries(was)
		}
	}
	checkFew("listed")
	var changed []*gongshi.ListEntry
	for i, e := range entries {
		switch i % 4 {
		case 0:
			e.Until, e.Ended = days[6], gongshi.EndCured
		case 1:
			e.Ended = gongshi.EndCorrected
		default:
			continue
		}
		changed = append(changed, e)
	}
	put(changed)
	check("removed and corrected")
	checkFew("removed and corrected")
	// The entries were put as they are, not made from logged decisions: the audit finds
	// them unlogged, but list_days agrees with them.
	f.audited = true
	rep, err := f.Store.AuditState(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ProblemN == 0 || rep.ProblemN > len(rep.Problems) {
		t.Fatalf("the audit found %d problems, %d of them listed: want the unlogged entries, every problem listed", rep.ProblemN, len(rep.Problems))
	}
	for _, p := range rep.Problems {
		if strings.HasPrefix(p, "list_days") {
			t.Errorf("audit: %s", p)
		}
	}
}
