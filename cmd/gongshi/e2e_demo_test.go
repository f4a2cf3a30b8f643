package main

import (
	"net/http"
	"testing"
	"time"
)

// TestE2EDemoRunsOnRealTime: "gongshi serve --demo" without --clock writes the demo's
// history up to the moment it starts and then serves in real time: a record published
// once it listens is stamped at the time of the answer's Date header, not behind it by
// however long the demo took to write.
func TestE2EDemoRunsOnRealTime(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startServer(t, dir, "--demo", "--enterprises", "60")
	reg := adminToken(t, dir, "--role", "regulator", "--jurisdiction", "310000")
	var rg registered
	before := time.Now()
	r := call(t, "POST", s.url+"/api/v1/enterprises", reg, registrationBody(usccFor(t, "310115", 987654), "上海准时样本贸易有限公司")).want(t, 201, &rg)
	after := time.Now()
	pub := rg.Version.PublishedAt
	// Publication times are kept to the microsecond.
	if pub.Before(before.Add(-time.Millisecond)) || pub.After(after) {
		t.Errorf("published_at %s: want it between the request, sent at %s, and its answer at %s",
			pub.UTC().Format(time.RFC3339Nano), before.UTC().Format(time.RFC3339Nano), after.UTC().Format(time.RFC3339Nano))
	}
	date, err := http.ParseTime(r.header.Get("Date"))
	if err != nil {
		t.Fatalf("Date header %q: %v", r.header.Get("Date"), err)
	}
	if lag := date.Sub(pub); lag > time.Second || lag < -time.Second { // Date is to the second
		t.Errorf("published_at %s, Date %s: %v apart, want less than a second", pub.UTC().Format(time.RFC3339Nano), date.Format(time.RFC3339), lag)
	}
}
