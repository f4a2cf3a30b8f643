package sqlstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/ident"
)

// TestEnterpriseCacheAfterFailedUnit: a batch changes an enterprise in one unit and fails in
// another; the next batch must read the change, not the sequencer's cached copy from before.
func TestEnterpriseCacheAfterFailedUnit(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const uscc = "914403001922038216"
	u, err := ident.ParseUSCC(uscc)
	if err != nil {
		t.Fatal(err)
	}
	ent := &gongshi.Enterprise{USCC: u, Name: "上海甲公司", Division: "310101", Status: "存续", LegalRep: "张三",
		Established: calendar.MustDate(2020, 1, 2), Registration: "1", Type: "有限责任公司", Category: "enterprise"}
	rename := func(name string) func(gongshi.Tx) error {
		return func(tx gongshi.Tx) error {
			e, err := tx.EnterpriseByCode(uscc)
			if err != nil {
				return err
			}
			e.Name = name
			return tx.PutEnterprise(e, gongshi.SearchTerms{Names: []string{name}})
		}
	}
	if err := db.Write(ctx, func(tx gongshi.Tx) error {
		return tx.PutEnterprise(ent, gongshi.SearchTerms{Names: []string{ent.Name}})
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, rename("上海乙公司")); err != nil { // now cached as 乙
		t.Fatal(err)
	}

	// One batch: rename to 丙, then a unit that renames to 丁 and fails.
	release := make(chan struct{})
	blocker := make(chan error, 1)
	go func() { blocker <- db.Write(ctx, func(gongshi.Tx) error { <-release; return nil }) }()
	for len(db.reqs) > 0 { // the sequencer has taken the blocker
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond)
	results := make(chan error, 2)
	go func() { results <- db.Write(ctx, rename("上海丙公司")) }()
	for len(db.reqs) < 1 {
		time.Sleep(time.Millisecond)
	}
	failed := errors.New("refused")
	go func() {
		results <- db.Write(ctx, func(tx gongshi.Tx) error {
			if err := rename("上海丁公司")(tx); err != nil {
				return err
			}
			return failed
		})
	}()
	for len(db.reqs) < 2 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	if err := <-blocker; err != nil {
		t.Fatal(err)
	}
	if a, b := <-results, <-results; (a == nil) == (b == nil) || !errors.Is(errors.Join(a, b), failed) {
		t.Fatalf("units returned %v and %v, want nil and %v", a, b, failed)
	}

	var got string
	if err := db.Write(ctx, func(tx gongshi.Tx) error {
		e, err := tx.EnterpriseByCode(uscc)
		if err == nil {
			got = e.Name
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got != "上海丙公司" {
		t.Fatalf("the sequencer reads the enterprise as %q, want 上海丙公司 (committed by the batch whose other unit failed)", got)
	}
	read, err := db.EnterpriseByCode(ctx, uscc)
	if err != nil || read.Name != "上海丙公司" {
		t.Fatalf("readers see %v, %v", read, err)
	}
}
