package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
)

// TestProvisionalPages: on 20 December 2027, with the built-in calendar (up to 2027),
// regulators are warned on every page that 2028's schedule is missing and the public is
// not; a penalty whose deadline falls in 2028 shows it marked provisional.
func TestProvisionalPages(t *testing.T) {
	e := newEnvAt(t, time.Date(2027, 12, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)), "")
	reg := e.regulator()
	v, err := e.svc.Publish(context.Background(), reg, e.seed.Enterprise, gongshi.Publication{Kind: "penalty", Arose: "2027-12-20", Fields: map[string]any{
		"decision_no": "沪市监罚〔2027〕12号", "violation": "虚假宣传", "content": "罚款", "fine": "5000",
		"authority": "上海市市场监督管理局", "decided": "2027-12-20"}})
	if err != nil {
		t.Fatal(err)
	}
	public := e.client()
	rec := e.get(public, "/r/"+v.Record)
	if rec.status != 200 || !strings.Contains(rec.body, "2028-01-17 （暂定）") || !strings.Contains(rec.body, "节假日安排尚未载入") {
		t.Errorf("record page: status %d, want the due date 2028-01-17 marked （暂定） with the note\n%s", rec.status, rec.body)
	}
	if strings.Contains(rec.body, "工作日历缺少2028年节假日安排") {
		t.Error("the public sees the regulators' warning")
	}
	officer := e.client()
	e.login(officer, e.seed.Regulator)
	for _, path := range []string{"/reg", "/r/" + v.Record} {
		if p := e.get(officer, path); !strings.Contains(p.body, "工作日历缺少2028年节假日安排（自2027-10-01起预警）") {
			t.Errorf("%s for a regulator: no warning that 2028 is missing\n%s", path, p.body)
		}
	}
	if p := e.get(officer, "/reg"); !strings.Contains(p.body, "等待节假日安排确定的暂定日期") {
		t.Errorf("/reg: no count of provisional dates awaiting 2028\n%s", p.body)
	}
}
