package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestRepairFormErrorsInChinese: on the Chinese pages the register's complaints about an
// application show in Chinese next to the input they name: no penalty chosen, the decision's
// number missing, and a listing that is not a serious one. The enterprise page offers the
// credit repair only where a penalty is shown and the early removal only where a serious
// listing is in force.
func TestRepairFormErrorsInChinese(t *testing.T) {
	e := newEnv(t)
	reg := e.client()
	e.login(reg, e.seed.Regulator)
	fined, other := e.seed.Enterprise, e.seed.Others[0]
	if ent := e.get(reg, "/e/"+fined).body; !strings.Contains(ent, `id="repair-action"`) || strings.Contains(ent, `id="early-action"`) {
		t.Errorf("the fined enterprise's page: want the credit repair and no early removal")
	}
	if ent := e.get(reg, "/e/"+other).body; strings.Contains(ent, `id="repair-action"`) {
		t.Errorf("an enterprise with no penalty is offered a credit repair")
	}
	form := e.get(reg, "/e/"+fined+"/credit-repair")
	if form.status != http.StatusOK || !strings.Contains(form.body, "沪市监浦处〔2025〕152号（虚假宣传，2025-03-12）") {
		t.Fatalf("credit repair form: %d, want the seed's penalty among the choices\n%s", form.status, form.body)
	}
	for _, c := range []struct{ path, field, want string }{
		{"/e/" + fined + "/credit-repair", "penalty", "该企业没有行政处罚"},
		{"/e/" + other + "/early-removal", "entry", "该企业没有严重违法失信名单列入记录"},
	} {
		pg := e.post(reg, c.path, url.Values{"csrf": {csrf(t, form.body)}, c.field: {"1"}, "obligations_fulfilled": {"on"}, "document_no": {"浦市监信修〔2026〕1号"}}, nil)
		if pg.status != http.StatusUnprocessableEntity || !strings.Contains(pg.body, c.want) || !strings.Contains(pg.body, `id="f-`+c.field+`-err"`) {
			t.Errorf("%s: %d, want 422 with %q next to the input\n%s", c.path, pg.status, c.want, pg.body)
		}
	}
	pg := e.post(reg, "/e/"+fined+"/early-removal", url.Values{"csrf": {csrf(t, form.body)}, "entry": {"x"}}, nil)
	if pg.status != http.StatusUnprocessableEntity || !strings.Contains(pg.body, `id="f-document_no-err"`) || !strings.Contains(pg.body, "决定书文号") {
		t.Errorf("early removal without a number: %d, want the number's input marked\n%s", pg.status, pg.body)
	}
}
