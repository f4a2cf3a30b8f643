package http_test

import (
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/storetest"
)

// The social-insurance section is on the enterprise report form from report year 2017:
// refused in a 2016 report, accepted in a 2017 one, numbers insured public and amounts
// non-public unless published.
func TestAnnualReportSocialInsuranceByYear(t *testing.T) {
	e := newDeregEnv(t, "2018-03-01T10:00:00+08:00")
	code := e.register(21, "有限责任公司")
	la := e.account(gongshi.NewAccount{ID: "liaison-si", Role: gongshi.RoleEnterprise, Enterprise: code})
	report := func(year int, publishBase bool) map[string]any {
		f := storetest.ReportFields()
		delete(f, "contributions")
		f["si_pension"], f["si_medical"], f["si_base"], f["si_paid"] = 5, 5, "42.5", "12.8"
		if publishBase {
			f["publish"].(map[string]any)["si_base"] = true
		}
		return filing(year, f)
	}
	post := "/api/v1/enterprises/" + code + "/annual-reports"
	e.call("POST", post, la.Token, report(2016, false)).problem(t, 400, "fields.si_pension")
	e.call("POST", post, la.Token, report(2017, false)).expect(t, 201)
	pub := string(e.call("GET", reportPath(code, 2017), "", nil).expect(t, 200).body)
	if !strings.Contains(pub, `"si_pension":5`) || strings.Contains(pub, "42.5") || strings.Contains(pub, "12.8") {
		t.Errorf("public 2017 report: want the numbers insured and no amounts: %.400s", pub)
	}
	if own := string(e.call("GET", reportPath(code, 2017), la.Token, nil).body); !strings.Contains(own, "42.5") {
		t.Error("the enterprise does not see its own contribution base")
	}
	e.call("POST", reportPath(code, 2017)+"/corrections", la.Token, map[string]any{"reason": "公示缴费基数", "fields": map[string]any{
		"publish": map[string]any{"employees": true, "total_assets": true, "si_base": true}}}).expect(t, 201)
	if pub := string(e.call("GET", reportPath(code, 2017), "", nil).body); !strings.Contains(pub, "42.5") || strings.Contains(pub, "12.8") {
		t.Errorf("after publishing the base: want it and not the amount paid: %.400s", pub)
	}
}
