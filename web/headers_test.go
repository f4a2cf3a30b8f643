package web_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestHeaders: every answer, API and pages, says nosniff; every answer to a logged-in
// visitor or an authenticated caller, and every answer carrying personal data, is no-store.
func TestHeaders(t *testing.T) {
	e := newEnv(t)
	anon := e.client()
	reg := e.client()
	e.login(reg, e.seed.Regulator)
	token, err := e.svc.IssueToken(context.Background(), e.seed.Regulator)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, path string
		c          *http.Client
		bearer     string
		noStore    bool
	}{
		{"public page", "/e/" + e.seed.Enterprise, anon, "", false},
		{"public API", "/api/v1/enterprises/" + e.seed.Enterprise, anon, "", false},
		{"API problem", "/api/v1/nothing", anon, "", true},
		{"openapi", "/api/openapi.json", anon, "", false},
		{"log key", "/log/key", anon, "", false},
		{"page for a regulator", "/e/" + e.seed.Enterprise, reg, "", true},
		{"API for a regulator", "/api/v1/enterprises/" + e.seed.Enterprise, anon, token, true},
		{"document for a regulator", "/api/v1/kinds", anon, token, true},
	} {
		req, _ := http.NewRequest("GET", e.url+c.path, nil)
		if c.bearer != "" {
			req.Header.Set("Authorization", "Bearer "+c.bearer)
		}
		resp, err := c.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options: got %q, want nosniff", c.name, got)
		}
		cc := resp.Header.Get("Cache-Control")
		if c.noStore != strings.Contains(cc, "no-store") {
			t.Errorf("%s: Cache-Control: got %q, want no-store: %v", c.name, cc, c.noStore)
		}
	}
	// Filing a case answers with the case as filed, personal data included: no-store.
	body := `{"kind":"inquiry","division":"310000","subject":"问","content":"内容","person":{"name":"李四","phone":"13800138000"}}`
	resp, err := http.Post(e.url+"/api/v1/cases", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("file a case: got %d with Cache-Control %q, want 201 with no-store", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
}

// TestTooLarge sends 50 MB bodies through the real listener in each way a client can, to
// the API and to a page, several times each: every try gets a clean 413, never a 100
// Continue followed by a reset.
func TestTooLarge(t *testing.T) {
	e := newEnv(t)
	addr := strings.TrimPrefix(e.url, "http://")
	const size = 50 << 20
	for _, target := range []struct{ path, ctype string }{
		{"/api/v1/cases", "application/json"},
		{"/case/new", "application/x-www-form-urlencoded"},
	} {
		for _, mode := range []string{"expect", "length", "chunked"} {
			for try := range 4 {
				status, continued, err := sendLarge(addr, target.path, target.ctype, mode, size)
				if err != nil || status != http.StatusRequestEntityTooLarge {
					t.Errorf("%s %s try %d: got status %d, error %v; want 413", target.path, mode, try, status, err)
				}
				if mode == "expect" && continued {
					t.Errorf("%s %s try %d: got 100 Continue for a Content-Length over the limit; want the 413 at once", target.path, mode, try)
				}
			}
		}
	}
	// A body within the limit still gets through, with Expect too.
	status, _, err := sendLarge(addr, "/api/v1/cases", "application/json", "expect", 100)
	if err != nil || status != http.StatusBadRequest {
		t.Errorf("small body with Expect: got %d, %v; want 400 (the body is not JSON)", status, err)
	}
}

// sendLarge sends a POST of size bytes on a raw connection and returns the final status
// and whether the server said 100 Continue first:
//   - expect: Content-Length and "Expect: 100-continue"; the body only after a 100;
//   - length: Content-Length and the body at once, as a client that does not wait;
//   - chunked: chunked with "Expect: 100-continue"; the body after the 100.
func sendLarge(addr, path, ctype, mode string, size int) (status int, continued bool, err error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, false, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	hdr := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\n", path, addr, ctype)
	switch mode {
	case "expect":
		hdr += fmt.Sprintf("Content-Length: %d\r\nExpect: 100-continue\r\n", size)
	case "length":
		hdr += fmt.Sprintf("Content-Length: %d\r\n", size)
	case "chunked":
		hdr += "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n"
	}
	if _, err := io.WriteString(conn, hdr+"\r\n"); err != nil {
		return 0, false, err
	}
	sent := make(chan error, 1)
	send := func() {
		var w io.Writer = conn
		var cw io.WriteCloser
		if mode == "chunked" {
			cw = newChunkedWriter(conn)
			w = cw
		}
		chunk := []byte(strings.Repeat("a", 64<<10))
		for n := 0; n < size; n += len(chunk) {
			if _, err := w.Write(chunk[:min(len(chunk), size-n)]); err != nil {
				sent <- err
				return
			}
		}
		if cw != nil {
			cw.Close()
		}
		sent <- nil
	}
	if mode == "length" {
		go send()
	}
	br := bufio.NewReader(conn)
	for {
		resp, err := http.ReadResponse(br, &http.Request{Method: "POST", URL: &url.URL{Path: path}})
		if err != nil {
			return 0, continued, err
		}
		if resp.StatusCode == http.StatusContinue {
			continued = true
			go send()
			continue
		}
		io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, continued, nil
	}
}

// chunkedWriter writes HTTP/1.1 chunked encoding.
type chunkedWriter struct{ w io.Writer }

func newChunkedWriter(w io.Writer) *chunkedWriter { return &chunkedWriter{w} }

func (c *chunkedWriter) Write(p []byte) (int, error) {
	if _, err := fmt.Fprintf(c.w, "%x\r\n", len(p)); err != nil {
		return 0, err
	}
	n, err := c.w.Write(p)
	if err == nil {
		_, err = io.WriteString(c.w, "\r\n")
	}
	return n, err
}

func (c *chunkedWriter) Close() error {
	_, err := io.WriteString(c.w, "0\r\n\r\n")
	return err
}
