package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var (
	// englishSentence is three English words in a row: a sentence of the service's errors
	// left untranslated (a code such as in_force is a raw code, checked elsewhere).
	englishSentence = regexp.MustCompile(`[A-Za-z]{2,}(?:[ ,;:'’()]+[A-Za-z]{2,}){2,}`)
	// machineOnly are elements whose text is data for machines, and the page's scripts.
	machineOnly = regexp.MustCompile(`(?is)<(script|style|pre|code)\b.*?</(script|style|pre|code)>`)
	anyTag      = regexp.MustCompile(`(?s)<[^>]*>`)
)

// shownText is a page's text as a reader sees it, without the machine data.
func shownText(body string) string {
	return html.UnescapeString(anyTag.ReplaceAllString(machineOnly.ReplaceAllString(body, " "), " "))
}

// TestErrorsShowInChinese submits bad forms and queries to the Chinese pages — a search
// too short, a list filtered by a bad division, a case form without its matter, a
// published amount in words, a wrong password — and fails when the error they show is not
// in Chinese, or any English sentence is on the page; the same error on an English page
// is in English.
func TestErrorsShowInChinese(t *testing.T) {
	e := newEnv(t)
	anon := e.client()
	liaison := e.client()
	e.login(liaison, e.seed.Liaison)
	pub := "/e/" + e.seed.Enterprise + "/publish/capital_contribution"
	token := func(c *http.Client, path string) string { return csrf(t, e.get(c, path).body) }
	cases := []struct {
		name   string
		run    func() page
		status int
		zh     string // the Chinese the error says
	}{
		{"search too short", func() page { return e.get(anon, "/search?q=x") }, http.StatusBadRequest, "至少需要两个字符"},
		{"list by a bad division", func() page { return e.get(anon, "/lists/abnormal?division=abc") }, http.StatusBadRequest, "行政区划代码或其前几位"},
		{"case without its matter", func() page {
			return e.post(anon, "/case/new", url.Values{"csrf": {token(anon, "/case/new")}, "kind": {"inquiry"}, "subject": {"年报截止日期"}, "content": {"请问年报何时截止？"},
				"person.name": {"张三"}, "person.phone": {"021-68881234"}}, nil)
		}, http.StatusUnprocessableEntity, "询问须写明企业或行政区划"},
		{"amount in words", func() page {
			return e.post(liaison, pub, url.Values{"csrf": {token(liaison, pub)}, "arose": {"2026-05-20"}, "shareholder": {"张伟"},
				"subscribed": {"五百"}, "subscribed_date": {"2026-05-20"}, "subscribed_form": {"currency"}}, nil)
		}, http.StatusUnprocessableEntity, "不是有效金额"},
		{"wrong password", func() page {
			c := e.client()
			return e.post(c, "/login", url.Values{"csrf": {token(c, "/login")}, "id": {e.seed.Liaison}, "password": {"not-the-password"}}, nil)
		}, 0, "账号或密码不正确"},
	}
	for _, c := range cases {
		pg := c.run()
		if c.status != 0 && pg.status != c.status {
			t.Errorf("%s: status %d, want %d\n%s", c.name, pg.status, c.status, pg.body)
			continue
		}
		text := shownText(pg.body)
		if !strings.Contains(text, c.zh) {
			t.Errorf("%s: the page does not say %q:\n%s", c.name, c.zh, text)
		}
		if m := englishSentence.FindString(text); m != "" {
			t.Errorf("%s: a Chinese page shows English: %q", c.name, m)
		}
	}
	if pg := e.get(e.client(), "/search?q=x&lang=en"); !strings.Contains(pg.body, "must have at least two characters") {
		t.Errorf("the English search page does not give the error in English:\n%s", shownText(pg.body))
	}
}
