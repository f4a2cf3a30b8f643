package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
)

// TestDecisionPDFLinks: a listing decision's page links each version to its document to
// print, the enterprise page's list status links the decision's number to it, and a
// penalty's page, not a decision, has no such link.
func TestDecisionPDFLinks(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	reg := e.regulator()
	listed, err := e.svc.DecideListing(ctx, reg, e.seed.Enterprise, gongshi.ListingDecision{Ground: 4, Verified: testNow.Format("2006-01-02"),
		Facts: "经实地核查，通过登记的住所无法联系", DocumentNo: "沪市监异〔2026〕31号"})
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	want := `/api/v1/records/` + listed.Version.Record + `/decision.pdf`
	if p := e.get(c, "/r/"+listed.Version.Record); p.status != 200 || !strings.Contains(p.body, want+"?version=1") {
		t.Errorf("the decision's page (%d) does not link to %s?version=1", p.status, want)
	}
	if p := e.get(c, "/e/"+e.seed.Enterprise); !strings.Contains(p.body, want+`"`) {
		t.Errorf("the enterprise page's list status does not link the decision to %s", want)
	}
	pen, err := e.svc.Publish(ctx, reg, e.seed.Enterprise, gongshi.Publication{Kind: "penalty", Arose: testNow.Format("2006-01-02"), Fields: map[string]any{
		"decision_no": "沪市监罚〔2026〕32号", "violation": "虚假宣传", "content": "罚款", "fine": "5000",
		"authority": "上海市市场监督管理局", "decided": testNow.Format("2006-01-02")}})
	if err != nil {
		t.Fatal(err)
	}
	if p := e.get(c, "/r/"+pen.Record); strings.Contains(p.body, "decision.pdf") {
		t.Error("a penalty's page links to a decision document")
	}
}
