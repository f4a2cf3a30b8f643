package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/gongshi/gongshi/storetest"
)

func TestAmendFormKeepsTimelinessSQLite(t *testing.T) { testAmendFormKeepsTimeliness(t, newEnv(t)) }

func TestAmendFormKeepsTimelinessPostgres(t *testing.T) {
	testAmendFormKeepsTimeliness(t, newEnvOn(t, storetest.PostgresURL(t)))
}

var aroseInput = regexp.MustCompile(`<input[^>]*id="f-arose"[^>]*>`)

// testAmendFormKeepsTimeliness: the form that corrects a record offers the day its
// information arose, not today, and the correction sent as offered keeps the record's
// arose and its timeliness (a penalty published late stays late).
func testAmendFormKeepsTimeliness(t *testing.T, e *env) {
	ctx := context.Background()
	c := e.client()
	e.login(c, e.seed.Regulator)
	_, recs, err := e.svc.Records(ctx, nil, e.seed.Enterprise)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, r := range recs {
		if r.Kind == "penalty" {
			id = r.ID
		}
	}
	if id == "" {
		t.Fatal("the seed has no penalty")
	}
	rec, _, err := e.svc.Record(ctx, nil, id)
	if err != nil {
		t.Fatal(err)
	}
	v1 := rec.Latest()
	form := e.get(c, "/r/"+id+"/amend")
	in := aroseInput.FindString(form.body)
	if want := `value="` + v1.Arose.String() + `"`; !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(in) {
		t.Fatalf("amend form: got date input %s, want it to hold the record's arose (%s)", in, want)
	}
	pg := e.post(c, "/r/"+id+"/amend", url.Values{"csrf": {csrf(t, form.body)}, "arose": {v1.Arose.String()}, "reason": {"罚款金额有误"},
		"decision_no": {"沪市监浦处〔2025〕152号"}, "violation": {"虚假宣传"}, "content": {"警告，罚款人民币一万元"}, "fine": {"10000"},
		"authority": {"上海市浦东新区市场监督管理局"}, "decided": {"2025-03-12"}}, nil)
	if pg.status != http.StatusSeeOther {
		t.Fatalf("correct the penalty: got status %d, want 303\n%s", pg.status, pg.body)
	}
	rec, _, err = e.svc.Record(ctx, nil, id)
	if err != nil {
		t.Fatal(err)
	}
	v2 := rec.Latest()
	if v2.Version != 2 || v2.Arose != v1.Arose || v2.Due != v1.Due || v2.OnTime != v1.OnTime {
		t.Errorf("correction: version %d, arose %s, due %s, on_time %v; want version 2 keeping arose %s, due %s, on_time %v",
			v2.Version, v2.Arose, v2.Due, v2.OnTime, v1.Arose, v1.Due, v1.OnTime)
	}
}
