package web_test

import (
	"io"
	"net/http"
	"net/url"
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

// TestSearchMistypedCode searches for the seeded enterprise's code with its check
// character mistyped (in lower case too): nothing is found, and the page says which
// character is wrong; a valid code not registered, or a name, finds nothing without it.
func TestSearchMistypedCode(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	code := e.seed.Enterprise
	wrong := code[:17] + "0"
	if code[17] == '0' {
		wrong = code[:17] + "1"
	}
	for q, want := range map[string]string{wrong: "第18位校验码", strings.ToLower(wrong): "第18位校验码",
		code[:8] + "O" + code[9:]: "第9位的字符", storetest.USCC(999): "", "不存在的企业名称": ""} {
		pg := e.get(c, "/search?q="+url.QueryEscape(q))
		if pg.status != 200 || !strings.Contains(pg.body, "没有找到") {
			t.Fatalf("search %s: status %d, want 200 and nothing found\n%s", q, pg.status, pg.body)
		}
		said := strings.Contains(pg.body, `<p class="error">`)
		if want == "" && said || want != "" && (!said || !strings.Contains(pg.body, want) || !strings.Contains(pg.body, "代码不确定时")) {
			t.Errorf("search %s: want the code's fault %q said (said: %v)\n%s", q, want, said, pg.body)
		}
	}
}

// TestPageMethod sends pages a method they do not take: 405 naming the methods they do
// (Allow), not the 404 of a page that is not there.
func TestPageMethod(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ method, path, allow string }{
		{"POST", "/search", "GET, HEAD"},
		{"DELETE", "/login", "GET, POST, HEAD"},
		{"PUT", "/e/" + e.seed.Enterprise, "GET, HEAD"},
	} {
		req, _ := http.NewRequest(tc.method, e.url+tc.path, nil)
		resp, err := e.client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 405 || resp.Header.Get("Allow") != tc.allow || !strings.Contains(string(b), "不接受"+tc.method+"请求") {
			t.Errorf("%s %s: %d, Allow %q; want 405, Allow %q, saying so\n%s", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Allow"), tc.allow, b)
		}
	}
}
