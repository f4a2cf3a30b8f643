package policy_test

import (
	"fmt"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/policy"
)

func ExampleRules_DisclosureDue() {
	r := policy.DefaultRules()
	arose, _ := calendar.ParseDate("2026-09-15")
	due, _ := r.DisclosureDue(policy.Enterprise, arose)
	fmt.Println(due.Date, due.Entry)
	// Output: 2026-10-19 disclosure.enterprise@2014-10-01 (20 working days; Decree 654 Art. 10)
}

func ExampleRules_AnnualReportWindow() {
	r := policy.DefaultRules()
	established, _ := calendar.ParseDate("2025-03-01")
	w, _ := r.AnnualReportWindow(2025, established)
	filed, _ := calendar.ParseDate("2026-07-02")
	fmt.Println(w.Opens, w.Closes, w.Timeliness(filed))
	// Output: 2026-01-01 2026-06-30 late
}
