package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// runCodeCmd runs "gongshi code" with args and returns its exit status, stdout and stderr.
func runCodeCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	status := Main(context.Background(), append([]string{"code"}, args...), &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	return status, out.String(), errb.String()
}

func TestCodeCommand(t *testing.T) {
	tests := []struct {
		args   []string
		status int
		out    []string // substrings of stdout
	}{
		{[]string{"914403001922038216"}, 0, []string{
			"914403001922038216: valid USCC",
			"authority      9  工商",
			"entity type    1  企业",
			"division       440300 广东省深圳市\n",
			"org code       19220382-1 (valid)",
		}},
		{[]string{"91440300192203821X"}, 1, []string{
			"INVALID USCC",
			`check character at position 18 is 'X', should be '6'`,
			"expected       6 at position 18",
			"division       440300 广东省深圳市",
		}},
		{[]string{"914403001922038236"}, 1, []string{
			"position 17 is '3', should be '1'",
			"org code       19220382-3 (invalid: check character should be 1)",
		}},
		{[]string{"440301103097413", "19220382-1", "d2143569x"}, 0, []string{
			"440301103097413: valid registration number",
			"division       440301 广东省深圳市市辖区",
			"sector         内资企业",
			"19220382-1: valid organisation code",
			"canonical      D2143569-X",
		}},
		{[]string{"914403001922038216", "9144O3001922038216"}, 1, []string{
			"914403001922038216: valid USCC",
			"illegal character 'O' at position 5",
		}},
		{[]string{"12345"}, 1, []string{`code "12345": 5 characters, want 18 (USCC) or 15 (registration number)`}},
	}
	for _, tt := range tests {
		status, out, errs := runCodeCmd(t, tt.args...)
		if status != tt.status {
			t.Errorf("gongshi code %v: exit status %d, want %d\n%s%s", tt.args, status, tt.status, out, errs)
		}
		for _, want := range tt.out {
			if !strings.Contains(out, want) {
				t.Errorf("gongshi code %v: output lacks %q; got\n%s", tt.args, want, out)
			}
		}
	}
}

func TestCodeCommandJSON(t *testing.T) {
	status, out, errs := runCodeCmd(t, "--json", "91110108551385082Q", "91110108551385082R", "110108012660422")
	if status != 1 {
		t.Errorf("exit status %d, want 1; stderr %s", status, errs)
	}
	var got []codeReport
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not a JSON array of reports: %v\n%s", err, out)
	}
	if len(got) != 3 {
		t.Fatalf("got %d reports, want 3", len(got))
	}
	if r := got[0]; !r.Valid || r.Kind != "uscc" || r.Division == nil || r.Division.FullName != "北京市海淀区" ||
		r.EntityType == nil || r.EntityType.Name != "企业" || r.OrgCode == nil || r.OrgCode.Code != "55138508-2" {
		t.Errorf("report 0 = %+v", r)
	}
	if r := got[1]; r.Valid || r.Problem != "check" || r.Position != 18 || r.Got != "R" || r.Want != "Q" {
		t.Errorf("report 1 = %+v, want a check error at 18: R, should be Q", r)
	}
	if r := got[2]; !r.Valid || r.Kind != "reg_no" || r.Division == nil || r.Division.Code != "110108" {
		t.Errorf("report 2 = %+v", r)
	}

	// Flags after the codes work too, and every valid code gives status 0.
	if status, out, _ := runCodeCmd(t, "110108012660422", "--json"); status != 0 || !strings.HasPrefix(out, "[") {
		t.Errorf("gongshi code CODE --json: status %d, output %q", status, out)
	}
}

func TestCodeCommandUsage(t *testing.T) {
	if status, _, errs := runCodeCmd(t); status != 2 || !strings.Contains(errs, "usage: gongshi code") {
		t.Errorf("gongshi code: status %d, stderr %q; want 2 and the usage", status, errs)
	}
	if status, _, _ := runCodeCmd(t, "--yaml", "110108012660422"); status != 2 {
		t.Errorf("gongshi code --yaml: status %d, want 2", status)
	}
}
