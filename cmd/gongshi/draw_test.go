package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi/translog"
)

func drawMain(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = Main(context.Background(), append([]string{"draw"}, args...), &Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }})
	return code, out.String(), errOut.String()
}

// TestDrawVerifyAgainstRunningServer: a draw published by a running server is re-derived
// exactly by "gongshi draw --verify"; a wrong log key fails it.
func TestDrawVerifyAgainstRunningServer(t *testing.T) {
	dir := t.TempDir()
	reg := adminToken(t, dir, "--role", "regulator", "--jurisdiction", "310115")
	var inspectors []string
	for i := 0; i < 3; i++ {
		adminToken(t, dir, "--role", "regulator", "--jurisdiction", "310115", "--id", fmt.Sprintf("cli-inspector-%d", i))
		inspectors = append(inspectors, fmt.Sprintf("cli-inspector-%d", i))
	}
	s := startServer(t, dir)
	for i := 0; i < 35; i++ {
		call(t, "POST", s.url+"/api/v1/enterprises", reg, registrationBody(usccFor(t, "310115", uint64(4000+i)), fmt.Sprintf("上海命令行抽查%02d有限公司", i))).want(t, 201, nil)
	}
	for _, id := range inspectors {
		call(t, "POST", s.url+"/api/v1/inspectors", reg, map[string]any{"account": id}).want(t, 201, nil)
	}

	code, out, errOut := drawMain("plan", "--url", s.url, "--token", reg, "--title", "命令行抽查", "--sample", "1")
	if code == 0 || !strings.Contains(errOut, "sample_size") {
		t.Fatalf("a draw below the minimum: exit %d, stderr %s", code, errOut)
	}
	code, out, errOut = drawMain("plan", "--url", s.url, "--token", reg, "--title", "命令行抽查", "--sample", "4")
	if code != 0 {
		t.Fatalf("plan: exit %d: %s %s", code, out, errOut)
	}
	number := regexp.MustCompile(`D2\d{3}-310115-\d{4}`).FindString(out)
	if code, _, _ := drawMain("--verify", "--url", s.url, number); code == 0 {
		t.Error("a planned, not yet drawn draw verified")
	}
	if code, out, errOut = drawMain("run", "--url", s.url, "--token", reg, number); code != 0 {
		t.Fatalf("run: exit %d: %s %s", code, out, errOut)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, out, errOut = drawMain("--verify", "--url", s.url, number)
		if code != 0 {
			t.Fatalf("verify: exit %d\n%s\n%s", code, out, errOut)
		}
		if strings.Contains(out, "proven in the signed log") || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond) // the checkpointer signs once a second
	}
	if !strings.Contains(out, "OK: draw "+number+" re-derived: 4 enterprises") || !strings.Contains(out, "proven in the signed log") {
		t.Errorf("verify output: %s", out)
	}

	other, err := translog.LoadOrCreateKey(t.TempDir(), translog.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	if code, out, _ := drawMain("--verify", "--url", s.url, "--key", other.VerifierKey(), number); code != 1 || !strings.Contains(out, "MISMATCH") {
		t.Errorf("verify with another log's key: exit %d, %s", code, out)
	}
	if code, _, _ := drawMain("--verify", "--url", s.url, "D2026-310115-9999"); code == 0 {
		t.Error("an unknown draw verified")
	}
}
