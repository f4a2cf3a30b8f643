package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestCaseForm: anyone files a report at /case/new (CSRF-protected), fixing one error; the
// answer is a case number and due date; the lookup shows its state; the reporter's
// identity appears on no public page.
func TestCaseForm(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	form := e.get(c, "/case/new?kind=report&enterprise="+e.seed.Enterprise)
	if form.status != 200 || !strings.Contains(form.body, `name="csrf"`) || !strings.Contains(form.body, `value="`+e.seed.Enterprise+`"`) {
		t.Fatalf("form: %d\n%s", form.status, form.body)
	}
	tok := csrf(t, form.body)
	in := url.Values{"kind": {"report"}, "enterprise": {e.seed.Enterprise}, "subject": {"年报从业人数与实际不符"},
		"content": {"该企业实际从业人员不足五人"}, "person.name": {"林秀英"}, "person.phone": {"13912345678"}, "person.email": {"lin@example.cn"}}
	if p := e.post(c, "/case/new", in, nil); p.status != http.StatusForbidden {
		t.Errorf("without the CSRF token: %d, want 403", p.status)
	}
	in.Set("csrf", tok)
	p := e.post(c, "/case/new", in, nil)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="f-person-id_number-err"`) || !strings.Contains(p.body, `value="林秀英"`) {
		t.Fatalf("report without the reporter's ID number: %d\n%s", p.status, p.body)
	}
	in.Set("person.id_number", "11010519491231002X")
	p = e.post(c, "/case/new", in, nil)
	m := regexp.MustCompile(`id="case-number"><a href="/case/([^"?]+)\?check=([^"]+)"`).FindStringSubmatch(p.body)
	if p.status != 200 || m == nil || !strings.Contains(p.body, `id="case-due">2026-06-`) {
		t.Fatalf("filed: %d\n%s", p.status, p.body)
	}
	number, check := m[1], m[2]
	if cc := p.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("the filed case's page, with its check code: Cache-Control %q, want no-store", cc)
	}
	// 2026-06-01 + 20 working days (Dragon Boat Festival 19 June): 30 June.
	if !strings.Contains(p.body, "2026-06-30") {
		t.Errorf("due date not 2026-06-30:\n%s", p.body)
	}
	public := e.client()
	// Without the check code, or with a wrong one, the case is not found: nothing says
	// whom it is about or why.
	for _, path := range []string{"/case/" + number, "/case/" + number + "?check=2222-2222-2222"} {
		if pg := e.get(public, path); pg.status != http.StatusNotFound || strings.Contains(pg.body, "年报从业人数") || strings.Contains(pg.body, e.seed.Enterprise) {
			t.Errorf("%s: got %d, want 404 naming neither the enterprise nor the subject\n%s", path, pg.status, pg.body)
		}
	}
	if pg := e.get(public, "/case?number="+number+"&check="+check); pg.header.Get("Location") != "/case/"+number+"?check="+check {
		t.Errorf("the lookup form: got %d to %q, want 303 to the case with its code", pg.status, pg.header.Get("Location"))
	}
	for _, path := range []string{"/case/" + number + "?check=" + check, "/e/" + e.seed.Enterprise, "/lists/abnormal", "/r/1"} {
		pg := e.get(public, path)
		if pg.status != 200 {
			t.Errorf("%s: %d", path, pg.status)
		}
		for _, secret := range []string{"林秀英", "11010519491231002X", "13912345678", "lin@example.cn", "实际从业人员不足五人"} {
			if strings.Contains(pg.body, secret) {
				t.Errorf("%s shows the reporter's %q", path, secret)
			}
		}
		if strings.HasPrefix(path, "/case/") && !strings.Contains(pg.body, `id="case-state">已受理`) {
			t.Errorf("case lookup does not show its state:\n%s", pg.body)
		}
	}
	// The regulator in scope sees who filed it.
	reg := e.client()
	e.login(reg, e.seed.Regulator)
	if pg := e.get(reg, "/case/"+number); !strings.Contains(pg.body, "林秀英") {
		t.Errorf("the regulator does not see the reporter")
	}
}
