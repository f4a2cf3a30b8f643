package http_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	ghttp "github.com/gongshi/gongshi/http"
)

// redoclyPath is where .ci/run installs Redocly CLI from npm (npm install --prefix .ci
// @redocly/cli), the linter the API's users run on its document.
const redoclyPath = "../.ci/node_modules/.bin/redocly"

// TestOpenAPILint: Redocly CLI, with its recommended rules (.ci/redocly.yaml), finds no error
// and no warning in /api/openapi.json.
func TestOpenAPILint(t *testing.T) {
	bin, err := filepath.Abs(redoclyPath)
	if err == nil {
		_, err = os.Stat(bin)
	}
	if err != nil {
		t.Fatalf("Redocly CLI is needed at %s (.ci/run installs it: npm install --prefix .ci @redocly/cli): %v", redoclyPath, err)
	}
	e := newEnv(t, ghttp.Options{})
	r := e.call("GET", "/api/openapi.json", "", nil)
	if r.status != 200 {
		t.Fatalf("GET /api/openapi.json: %d", r.status)
	}
	file := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(file, r.body, 0o600); err != nil {
		t.Fatal(err)
	}
	config, err := filepath.Abs("../.ci/redocly.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "lint", "--config", config, "--format", "json", file)
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true")
	out, err := cmd.Output()
	var report struct {
		Totals   struct{ Errors, Warnings int } `json:"totals"`
		Problems []struct {
			RuleID   string `json:"ruleId"`
			Severity string `json:"severity"`
			Message  string `json:"message"`
			Location []struct {
				Pointer string `json:"pointer"`
			} `json:"location"`
		} `json:"problems"`
	}
	if jerr := json.Unmarshal(out, &report); jerr != nil {
		t.Fatalf("redocly lint: %v; its output:\n%s", err, out)
	}
	for _, p := range report.Problems {
		where := ""
		if len(p.Location) > 0 {
			where = p.Location[0].Pointer
		}
		t.Errorf("%s %s at %s: %s", p.Severity, p.RuleID, where, p.Message)
	}
	if report.Totals.Errors+report.Totals.Warnings != len(report.Problems) || err != nil && len(report.Problems) == 0 {
		t.Errorf("redocly lint: %v, totals %+v", err, report.Totals)
	}
}
