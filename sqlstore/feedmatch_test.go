package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/ident"
	"github.com/gongshi/gongshi/storetest"
)

func TestLoggedMatchingSQLite(t *testing.T)   { testLoggedMatching(t, openSQLite) }
func TestLoggedMatchingPostgres(t *testing.T) { testLoggedMatching(t, openPostgres) }

// testLoggedMatching: the entries LoggedMatching gives for a kind and a division prefix,
// or for a watch's enterprises, hold every entry the feed's query wants — judged from the
// documents of all entries — read whole or an entry at a time from the last index it
// looked at. Where the store can be told, it is run twice: finding the entries by seeks
// (to the enterprises, the division's, the kinds' records), then never by seeks (the log
// read in order; a watch's by the log's keys, or entry by entry when it names a quarter
// of the register or more).
func testLoggedMatching(t *testing.T, open storetest.Opener) {
	f, _ := storetest.NewFixture(t, open)
	ctx := context.Background()
	var codes []string
	for i, div := range []string{"310115", "310101", "310230", "310115", "310101", "310230"} {
		code, err := ident.GenerateUSCC('9', '1', div, uint64(500+i))
		if err != nil {
			t.Fatal(err)
		}
		e := f.Register(t, code.String(), fmt.Sprintf("筛选%d有限公司", i), "孙八")
		codes = append(codes, code.String())
		if _, err := f.Svc.Publish(ctx, f.Reg, e.USCC.String(), storetest.Penalty(fmt.Sprintf("沪市监处〔2026〕%d号", 300+i))); err != nil {
			t.Fatal(err)
		}
	}
	db := f.Store.(interface {
		gongshi.FeedStore
		TreeSize(context.Context) (int64, error)
	})
	size, err := db.TreeSize(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, err := db.LoggedAfter(ctx, -1, size, 1000)
	if err != nil || int64(len(all)) != size {
		t.Fatalf("LoggedAfter: %d entries (%v), want %d", len(all), err, size)
	}
	wanted := func(q gongshi.FeedQuery, lvs []gongshi.LoggedVersion) []int64 {
		var out []int64
		for _, lv := range lvs {
			c, err := gongshi.FeedEventOf(lv)
			if err != nil {
				t.Fatal(err)
			}
			if q.Wants(c) {
				out = append(out, c.LogIndex)
			}
		}
		return out
	}
	check := func(name string, q gongshi.FeedQuery) {
		t.Helper()
		want := wanted(q, all)
		got, last, err := db.LoggedMatching(ctx, -1, size, 1000, &q)
		if err != nil || last != size-1 || !slices.Equal(wanted(q, got), want) {
			t.Errorf("%s: %v up to %d (%v), want %v up to %d", name, wanted(q, got), last, err, want, size-1)
		}
		var paged []int64
		for after := int64(-1); after < size-1; {
			lvs, last, err := db.LoggedMatching(ctx, after, size, 1, &q)
			if err != nil || last <= after || len(lvs) > 1 {
				t.Fatalf("%s after %d: %d entries up to %d (%v)", name, after, len(lvs), last, err)
			}
			paged, after = append(paged, wanted(q, lvs)...), last
		}
		if !slices.Equal(paged, want) {
			t.Errorf("%s an entry at a time: %v, want %v", name, paged, want)
		}
	}
	unregistered, _ := ident.GenerateUSCC('9', '1', "310115", 999)
	sets := [][]string{{codes[0]}, {codes[1], codes[4]}, codes, {unregistered.String()}, {unregistered.String(), codes[5]}, {}}
	setter, _ := db.(interface{ SetSubjectSeeks(bool, int) func() })
	for _, seek := range []bool{true, false} {
		way := "in log order"
		if seek {
			way = "by seeks to the enterprises"
		}
		restore := func() {}
		if setter != nil {
			restore = setter.SetSubjectSeeks(seek, 2) // the six codes in three statements
		} else if seek {
			continue // the store chooses
		}
		for _, kinds := range [][]string{nil, {"penalty"}, {"registration", "penalty"}, {"licence"}} {
			for _, div := range []string{"", "3", "31", "3101", "310115", "310230", "32"} {
				if kinds == nil && div == "" {
					continue
				}
				check(fmt.Sprintf("kinds %v, division %q %s", kinds, div, way), gongshi.FeedQuery{Kinds: kinds, Division: div})
			}
		}
		for _, set := range sets {
			subjects := map[string]bool{}
			for _, c := range set {
				subjects[c] = true
			}
			q := gongshi.FeedQuery{Subjects: subjects}
			if len(wanted(q, all)) == 0 && len(set) > 0 && set[0] != unregistered.String() {
				t.Fatalf("subjects %v: no entry of the log is theirs", set)
			}
			check(fmt.Sprintf("subjects %v %s", set, way), q)
		}
		restore()
	}
}
