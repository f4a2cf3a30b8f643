package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/ident"
)

// RunWatches checks watches (gongshi watch.go): their sets, their owners, their delivery log
// and the position it moves.
func RunWatches(t *testing.T, open Opener) {
	t.Run("Watches", func(t *testing.T) { testWatches(t, open) })
}

func testWatches(t *testing.T, open Opener) {
	f, _ := NewFixture(t, open)
	ctx := context.Background()
	owner := &gongshi.Account{ID: "bank", Role: gongshi.RoleDepartment, Jurisdiction: "310000"}
	other := &gongshi.Account{ID: "other", Role: gongshi.RoleDepartment, Jurisdiction: "310000"}
	// More codes than one INSERT stores, with a duplicate.
	var codes []string
	for i := 0; i < 1203; i++ {
		c, _ := ident.GenerateUSCC('9', '1', "310115", uint64(5000+i))
		codes = append(codes, c.String())
	}
	codes = append(codes, codes[7])

	for _, bad := range []struct {
		in    gongshi.NewWatch
		field string
	}{
		{gongshi.NewWatch{URL: "ftp://example.com/x", Enterprises: codes[:1]}, "url"},
		{gongshi.NewWatch{URL: "/relative", Enterprises: codes[:1]}, "url"},
		{gongshi.NewWatch{URL: "http://127.0.0.1:8080/x", Enterprises: codes[:1]}, "url"},       // loopback
		{gongshi.NewWatch{URL: "http://localhost/x", Enterprises: codes[:1]}, "url"},            // a name for loopback
		{gongshi.NewWatch{URL: "http://[::ffff:10.1.2.3]/x", Enterprises: codes[:1]}, "url"},    // private, IPv4-mapped
		{gongshi.NewWatch{URL: "http://169.254.169.254/latest", Enterprises: codes[:1]}, "url"}, // the cloud's metadata
		{gongshi.NewWatch{URL: "http://[fe80::1]/x", Enterprises: codes[:1]}, "url"},            // link-local
		{gongshi.NewWatch{URL: "http://224.0.0.1/x", Enterprises: codes[:1]}, "url"},            // multicast
		{gongshi.NewWatch{URL: "http://0.0.0.0/x", Enterprises: codes[:1]}, "url"},              // unspecified
		{gongshi.NewWatch{URL: "https://user:pw@203.0.113.7/x", Enterprises: codes[:1]}, "url"}, // credentials
		{gongshi.NewWatch{URL: "https://203.0.113.7/x"}, "enterprises"},
		{gongshi.NewWatch{URL: "https://203.0.113.7/x", Enterprises: []string{codes[0], "91310115NOTACODE"}}, "enterprises[1]"},
		{gongshi.NewWatch{URL: "https://203.0.113.7/x", Enterprises: make([]string, gongshi.MaxWatchEnterprises+1)}, "enterprises"},
	} {
		_, err := f.Svc.CreateWatch(ctx, owner, bad.in)
		if e, ok := err.(*gongshi.Error); !ok || e.Code != gongshi.EINVALID || e.Field != bad.field {
			t.Errorf("CreateWatch(%.60v): got %v, want invalid %s", bad.in, err, bad.field)
		}
	}
	if _, err := f.Svc.CreateWatch(ctx, nil, gongshi.NewWatch{URL: "https://203.0.113.7/x", Enterprises: codes[:1]}); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
		t.Errorf("CreateWatch without an account: got %v, want unauthorized", err)
	}

	// A public address is taken (a documentation one: nothing is sent to it here).
	w, err := f.Svc.CreateWatch(ctx, owner, gongshi.NewWatch{URL: "https://203.0.113.7/hook", Enterprises: codes})
	if err != nil {
		t.Fatal(err)
	}
	if w.Secret == "" || w.Enterprises != 1203 || w.Delivered != -1 {
		t.Errorf("created watch: %+v, want a secret, 1203 enterprises, delivered -1", w)
	}
	ws, err := f.Svc.ListWatches(ctx, owner)
	if err != nil || len(ws) != 1 || ws[0].ID != w.ID || ws[0].Secret != "" || ws[0].URL != w.URL || ws[0].Enterprises != 1203 {
		t.Fatalf("ListWatches: %+v, %v; want the one watch without its secret", ws, err)
	}
	if ws, _ := f.Svc.ListWatches(ctx, other); len(ws) != 0 {
		t.Errorf("another account's ListWatches: %+v, want none", ws)
	}
	// The store keeps the secret sealed: neither it nor its hex is in the row, and it opens
	// only as this watch's.
	got, err := f.Store.Watch(ctx, w.ID)
	if err != nil || got.Account != "bank" || strings.Contains(got.Secret, w.Secret) || len(got.Secret) < len(w.Secret) {
		t.Errorf("Watch: %+v, %v; want it with its owner and its secret sealed", got, err)
	}
	if open, sealed, err := f.Svc.OpenSecret(got); err != nil || !sealed || string(open) != w.Secret {
		t.Errorf("OpenSecret: %q, sealed %v, %v; want the secret answered at creation", open, sealed, err)
	}
	moved := *got
	moved.ID = "wanother"
	if open, _, err := f.Svc.OpenSecret(&moved); err == nil {
		t.Errorf("a sealed secret moved to another watch opened: %q", open)
	}
	if own, err := f.Svc.OwnWatch(ctx, owner, w.ID); err != nil || own.Secret != "" {
		t.Errorf("OwnWatch: %+v, %v; want it without its secret", own, err)
	}
	// A secret an earlier version stored in clear opens as it is, and can be sealed.
	if err := f.Store.Write(ctx, func(tx gongshi.Tx) error { return tx.ReplaceWatchSecret(w.ID, got.Secret, "abc123") }); err != nil {
		t.Fatal(err)
	}
	clear, _ := f.Store.Watch(ctx, w.ID)
	if open, sealed, err := f.Svc.OpenSecret(clear); err != nil || sealed || string(open) != "abc123" {
		t.Errorf("OpenSecret of a clear secret: %q, sealed %v, %v", open, sealed, err)
	}
	if err := f.Store.Write(ctx, func(tx gongshi.Tx) error {
		return tx.ReplaceWatchSecret(w.ID, "abc123", f.Svc.SealSecret(w.ID, "abc123"))
	}); err != nil {
		t.Fatal(err)
	}
	resealed, _ := f.Store.Watch(ctx, w.ID)
	if open, sealed, err := f.Svc.OpenSecret(resealed); err != nil || !sealed || string(open) != "abc123" {
		t.Errorf("OpenSecret once sealed again: %q, sealed %v, %v", open, sealed, err)
	}
	subj, err := f.Store.WatchSubjects(ctx, w.ID)
	if err != nil || len(subj) != 1203 || !subj[codes[0]] || !subj[codes[1202]] {
		t.Errorf("WatchSubjects: %d codes, %v; want the 1203", len(subj), err)
	}
	if _, err := f.Svc.OwnWatch(ctx, other, w.ID); gongshi.ErrorCode(err) != gongshi.ENOTFOUND {
		t.Errorf("another account's OwnWatch: got %v, want not found", err)
	}
	if err := f.Svc.DeleteWatch(ctx, other, w.ID); gongshi.ErrorCode(err) != gongshi.ENOTFOUND {
		t.Errorf("another account's DeleteWatch: got %v, want not found", err)
	}

	// Two failed attempts at 5, then success; a restarted runner's attempt at 9 numbered on.
	at := At("2026-06-01T10:00:00+08:00")
	for i, d := range []gongshi.WatchDelivery{
		{LogIndex: 5, Attempt: 1, At: at, Error: "connection refused"},
		{LogIndex: 5, Attempt: 2, At: at.Add(time.Second), Status: 503, Error: "the receiver answered 503"},
		{LogIndex: 5, Attempt: 3, At: at.Add(3 * time.Second), Status: 200, OK: true},
		{LogIndex: 9, Attempt: 1, At: at.Add(4 * time.Second), Status: 500, Error: "the receiver answered 500"},
		{LogIndex: 9, Attempt: 1, At: at.Add(5 * time.Second), Status: 204, OK: true},
		{LogIndex: 12, Attempt: 1, At: at.Add(6 * time.Second), Status: 200, OK: true},
	} {
		if err := f.Svc.RecordDelivery(ctx, w.ID, d); err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			if got, _ := f.Store.Watch(ctx, w.ID); got.Delivered != 5 {
				t.Errorf("after acknowledging 5: delivered %d", got.Delivered)
			}
		}
	}
	if got, _ := f.Store.Watch(ctx, w.ID); got.Delivered != 12 {
		t.Errorf("after acknowledging 12: delivered %d", got.Delivered)
	}
	all, err := f.Svc.WatchDeliveries(ctx, owner, w.ID, -1, 100)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(attempts(all)); got != "[5/1/0/false 5/2/503/false 5/3/200/true 9/1/500/false 9/2/204/true 12/1/200/true]" {
		t.Errorf("delivery log: %s", got)
	}
	if !all[0].At.Equal(at) || all[0].Error != "connection refused" {
		t.Errorf("first attempt: %+v", all[0])
	}
	// Pages count changes, each whole.
	if p, _ := f.Svc.WatchDeliveries(ctx, owner, w.ID, -1, 1); fmt.Sprint(attempts(p)) != "[5/1/0/false 5/2/503/false 5/3/200/true]" {
		t.Errorf("first page of one change: %v", attempts(p))
	}
	if p, _ := f.Svc.WatchDeliveries(ctx, owner, w.ID, 5, 1); fmt.Sprint(attempts(p)) != "[9/1/500/false 9/2/204/true]" {
		t.Errorf("page after 5: %v", attempts(p))
	}
	if _, err := f.Svc.WatchDeliveries(ctx, other, w.ID, -1, 100); gongshi.ErrorCode(err) != gongshi.ENOTFOUND {
		t.Errorf("another account's WatchDeliveries: got %v, want not found", err)
	}

	if err := f.Svc.DeleteWatch(ctx, owner, w.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.Watch(ctx, w.ID); gongshi.ErrorCode(err) != gongshi.ENOTFOUND {
		t.Errorf("deleted watch: got %v, want not found", err)
	}
	if err := f.Svc.RecordDelivery(ctx, w.ID, gongshi.WatchDelivery{LogIndex: 13, At: at, OK: true}); err != nil {
		t.Errorf("an attempt for a deleted watch: %v, want it dropped", err)
	}
	if ds, _ := f.Store.Deliveries(ctx, w.ID, -1, 100); len(ds) != 0 {
		t.Errorf("deleted watch's deliveries: %v", attempts(ds))
	}
	if subj, _ := f.Store.WatchSubjects(ctx, w.ID); len(subj) != 0 {
		t.Errorf("deleted watch's enterprises: %d", len(subj))
	}
}

func attempts(ds []gongshi.WatchDelivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%d/%d/%d/%v", d.LogIndex, d.Attempt, d.Status, d.OK))
	}
	return out
}
