package web_test

import (
	"strings"
	"testing"

	"github.com/gongshi/gongshi/storetest"
)

// TestMissingPage asks for paths no page has: each is answered 404 with the search box,
// and one holding a registered enterprise's code (another register's link) also with a
// link to that enterprise's page; a valid code not registered gets no link.
func TestMissingPage(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	code := e.seed.Enterprise
	link := `<a href="/e/` + code + `">`
	for _, tc := range []struct {
		path string
		link bool
	}{
		{"/enterprise/" + code, true},
		{"/corp/detail/" + strings.ToLower(code) + "/", true},
		{"/enterprise/" + storetest.USCC(999), false},
		{"/nosuch", false},
	} {
		pg := e.get(c, tc.path)
		if pg.status != 404 || !strings.Contains(pg.body, `role="search"`) || !strings.Contains(pg.body, "没有这个页面："+tc.path) {
			t.Errorf("%s: got %d, want 404 saying so, with the search box\n%s", tc.path, pg.status, pg.body)
		}
		if got := strings.Contains(pg.body, link); got != tc.link {
			t.Errorf("%s: a link to %s's page: %v, want %v", tc.path, code, got, tc.link)
		}
	}
}
