package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestEnforcementForms: a regulator orders a disclosure, which the enterprise sees among its
// obligations; the enterprise applies for removal from the list, and the regulator decides
// the application from its queue.
func TestEnforcementForms(t *testing.T) {
	e := newEnv(t)
	e.sweep()
	reg, liaison := e.client(), e.client()
	e.login(reg, e.seed.Regulator)
	e.login(liaison, e.seed.Liaison)
	code := e.seed.Enterprise

	form := e.get(reg, "/e/"+code+"/order")
	pg := e.post(reg, "/e/"+code+"/order", url.Values{"csrf": {csrf(t, form.body)}, "item": {"licence"}, "content": {"公示食品经营许可证"}, "document_no": {"沪市监责〔2026〕1号"}}, nil)
	if pg.status != http.StatusSeeOther {
		t.Fatalf("order: got %d, want 303\n%s", pg.status, pg.body)
	}
	if my := e.get(liaison, "/my"); !strings.Contains(my.body, "责令限期公示：") {
		t.Errorf("the order is not among the enterprise's obligations")
	}

	page := e.get(liaison, "/e/"+code)
	m := regexp.MustCompile(`action="(/e/` + code + `/lists/[^"]+)"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatal("no removal form on the listed enterprise's page")
	}
	pg = e.post(liaison, m[1], url.Values{"csrf": {csrf(t, page.body)}, "kind": {"removal"}, "reason": {"已补报2024年度报告"}}, nil)
	if pg.status != http.StatusSeeOther {
		t.Fatalf("removal application: got %d, want 303\n%s", pg.status, pg.body)
	}
	queue := e.get(reg, "/reg")
	m = regexp.MustCompile(`href="(/reg/enforcement/[^"]+)"`).FindStringSubmatch(queue.body)
	if m == nil {
		t.Fatal("the removal application is not in the regulator's queue")
	}
	dform := e.get(reg, m[1])
	if dform.status != 200 {
		t.Fatalf("decision form: %d", dform.status)
	}
	bad := e.post(reg, m[1], url.Values{"csrf": {csrf(t, dform.body)}, "outcome": {"refused"}, "answer": {"年报仍未补报"}}, nil)
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "document_no") {
		t.Errorf("decision without a document number: got %d, want 422 naming document_no", bad.status)
	}
	pg = e.post(reg, m[1], url.Values{"csrf": {csrf(t, dform.body)}, "outcome": {"refused"}, "document_no": {"沪市监移〔2026〕1号"}, "answer": {"年报仍未补报"}}, nil)
	if pg.status != http.StatusSeeOther {
		t.Fatalf("decision: got %d, want 303\n%s", pg.status, pg.body)
	}
	if q := e.get(reg, "/reg"); strings.Contains(q.body, m[1]) {
		t.Errorf("a decided application stays in the queue")
	}
}

// TestObjectionAcceptanceForm: the enterprise objects to its listing; the regulator's form
// offers first only to accept it or not (SAIC Order 68 Art. 13), then, once accepted, shows
// the acceptance and offers only to reject or uphold it.
func TestObjectionAcceptanceForm(t *testing.T) {
	e := newEnv(t)
	e.sweep()
	reg, liaison := e.client(), e.client()
	e.login(reg, e.seed.Regulator)
	e.login(liaison, e.seed.Liaison)
	code := e.seed.Enterprise
	page := e.get(liaison, "/e/"+code)
	m := regexp.MustCompile(`action="(/e/` + code + `/lists/[^"]+)"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatal("no objection form on the listed enterprise's page")
	}
	if pg := e.post(liaison, m[1], url.Values{"csrf": {csrf(t, page.body)}, "kind": {"objection"}, "reason": {"已按期报送"}}, nil); pg.status != http.StatusSeeOther {
		t.Fatalf("objection: got %d, want 303\n%s", pg.status, pg.body)
	}
	m = regexp.MustCompile(`href="(/reg/enforcement/[^"]+)"`).FindStringSubmatch(e.get(reg, "/reg").body)
	if m == nil {
		t.Fatal("the objection is not in the regulator's queue")
	}
	options := func(body string) string {
		var out []string
		for _, o := range regexp.MustCompile(`<option value="([a-z_]+)"`).FindAllStringSubmatch(body, -1) {
			out = append(out, o[1])
		}
		return strings.Join(out, ",")
	}
	dform := e.get(reg, m[1])
	if got := options(dform.body); got != "accepted,not_accepted" {
		t.Errorf("outcomes of a pending objection: %s, want accepted,not_accepted", got)
	}
	if pg := e.post(reg, m[1], url.Values{"csrf": {csrf(t, dform.body)}, "outcome": {"upheld"}, "document_no": {"沪市监异〔2026〕1号"}, "answer": {"列入有误"}}, nil); pg.status != http.StatusUnprocessableEntity {
		t.Errorf("upheld before accepted: got %d, want 422", pg.status)
	}
	if pg := e.post(reg, m[1], url.Values{"csrf": {csrf(t, dform.body)}, "outcome": {"accepted"}, "document_no": {"沪市监异受〔2026〕1号"}, "answer": {"予以受理"}}, nil); pg.status != http.StatusSeeOther {
		t.Fatalf("acceptance: got %d, want 303\n%s", pg.status, pg.body)
	}
	dform = e.get(reg, m[1])
	if got := options(dform.body); got != "rejected,upheld" || !strings.Contains(dform.body, "受理日期") {
		t.Errorf("accepted objection's form: outcomes %s, want rejected,upheld, and the acceptance shown", got)
	}
	if pg := e.post(reg, m[1], url.Values{"csrf": {csrf(t, dform.body)}, "outcome": {"upheld"}, "document_no": {"沪市监异〔2026〕1号"}, "answer": {"列入有误"}}, nil); pg.status != http.StatusSeeOther {
		t.Fatalf("answer: got %d, want 303\n%s", pg.status, pg.body)
	}
}
