package main

import (
	"strings"
	"testing"
)

func TestPolicyCommand(t *testing.T) {
	tests := []struct {
		args      []string
		code      int
		contains  []string
		errSubstr string
	}{
		{[]string{"policy"}, 0, []string{"ID ", "disclosure.enterprise", "20      working days", "Decree 654 Art. 10", "licence.revocation.unreported", "2024-05-01"}, ""},
		{[]string{"policy", "due"}, 0, []string{"disclosure.enterprise", "annual-report", "spot-check"}, ""},
		{[]string{"policy", "due", "disclosure.enterprise", "2026-09-15"}, 0, []string{"due       2026-10-19 (Monday)", "entry     disclosure.enterprise@2014-10-01"}, ""},
		{[]string{"policy", "due", "case.report", "2027-01-20"}, 0, []string{"due       2027-02-23"}, ""},
		{[]string{"policy", "due", "listing.1", "2026-06-30"}, 0, []string{"due       2026-07-14", "list.abnormal.decision.report"}, ""},
		{[]string{"policy", "due", "annual-report", "2026-07-02", "--established", "2020-01-01"}, 0, []string{"report    2025", "2026-01-01 to 2026-06-30", "late"}, ""},
		{[]string{"policy", "due", "annual-report", "2026-07-02", "--established", "2026-01-01"}, 1, nil, "first report covers 2026"},
		{[]string{"policy", "due", "first-report", "2025-03-01"}, 0, []string{"report    2025 (first)", "2026-01-01 to 2026-06-30"}, ""},
		{[]string{"policy", "due", "spot-check", "2026-01-01", "--population", "1001"}, 0, []string{"minimum   31 of 1001"}, ""},
		{[]string{"policy", "due", "ban-end", "2026-07-28"}, 0, []string{"2029-07-28"}, ""},
		{[]string{"policy", "due", "order", "2027-12-28"}, 0, []string{"due       2028-01-07 (Friday) PROVISIONAL", "no schedule for 2028"}, ""},
		{[]string{"policy", "due", "order", "2027-12-21"}, 0, []string{"due       2027-12-31 (Friday)\n"}, ""},
		{[]string{"policy", "due", "nonsense", "2026-01-01"}, 1, nil, "unknown kind"},
		{[]string{"policy", "due", "order", "2026-13-01"}, 1, nil, "month 13"},
		{[]string{"policy", "bogus"}, 2, nil, "usage"},
	}
	for _, tt := range tests {
		code, out, errs := runGongshiCal(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.errSubstr) {
			t.Errorf("gongshi %s: got %d, stderr %q; want %d, %q", strings.Join(tt.args, " "), code, errs, tt.code, tt.errSubstr)
		}
		for _, s := range tt.contains {
			if !strings.Contains(out, s) {
				t.Errorf("gongshi %s: output lacks %q:\n%s", strings.Join(tt.args, " "), s, out)
			}
		}
	}
}
