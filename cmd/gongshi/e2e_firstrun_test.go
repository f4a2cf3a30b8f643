package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

var buildingLine = regexp.MustCompile(`gongshi: building the demo register; (http://[0-9.]+:[0-9]+) shows`)

// TestE2EDemoAnswersWhileBuilding: "serve --demo" on an empty folder listens before it
// writes the demo: its front page shows the build's progress and the API answers 503 until
// the register is filled; then the same address serves the register.
func TestE2EDemoAnswersWhileBuilding(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"serve", "--demo", "--enterprises", "600", "--data", dir, "--addr", "127.0.0.1:0", "--no-rate-limit"},
			&Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: errOut})
	}()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve: exit status %d\n%s", code, tail(errOut.String(), 2000))
		}
	}()
	var url string
	if !waitFor(30*time.Second, func() bool {
		m := buildingLine.FindStringSubmatch(out.String())
		if m != nil {
			url = m[1]
		}
		return m != nil
	}) {
		t.Fatalf("serve --demo printed no %q line; stdout %q", "building the demo register", out.String())
	}
	get := func(path string) (int, string) {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := get("/")
	api, _ := get("/api/v1/enterprises?q=%E7%A7%91%E6%8A%80")
	ready := strings.Contains(out.String(), "gongshi: serving on")
	if !ready && (status != 200 || !strings.Contains(body, "正在生成演示数据") || !strings.Contains(body, `id="build-progress"`) || api != http.StatusServiceUnavailable) {
		t.Errorf("while building: front page %d, API %d, want 200 with the progress and 503:\n%s", status, api, body)
	}
	if !waitFor(5*time.Minute, func() bool { return strings.Contains(out.String(), "gongshi: serving on "+url) }) {
		t.Fatalf("serve --demo did not finish; stderr:\n%s", tail(errOut.String(), 2000))
	}
	if status, body := get("/"); status != 200 || !strings.Contains(body, `id="q"`) {
		t.Errorf("once built: front page %d, want the search page:\n%.500s", status, body)
	}
	if api, _ := get("/api/v1/enterprises?q=%E7%A7%91%E6%8A%80"); api != 200 {
		t.Errorf("once built: API %d, want 200", api)
	}
}
