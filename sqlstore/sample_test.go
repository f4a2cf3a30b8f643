package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
)

// testSampleCodes: the benchmarks' sample is spread over every enterprise (every k-th),
// whatever its name, and asks for no more than there are.
func testSampleCodes(t *testing.T, open storetest.Opener) {
	ctx := context.Background()
	clock := storetest.NewClock(storetest.At("2026-06-01T09:00:00+08:00"))
	s, _ := open(t, clock)
	db := s.(*sqlstore.DB)
	svc := gongshi.New(gongshi.Config{Store: db, Clock: clock, Rules: policy.DefaultRules()})
	reg := &gongshi.Account{ID: "reg", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"}
	var all []string
	for i := range 30 {
		name := fmt.Sprintf("上海抽样%d有限公司", i)
		if i%2 == 1 {
			name = fmt.Sprintf("上海抽样%d合伙企业", i) // not found by a search for 有限
		}
		ent, _, err := svc.Register(ctx, reg, storetest.Registration(storetest.USCC(i), name, "李四"))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ent.USCC.String())
	}
	got, err := db.SampleCodes(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := 0; i < 30; i += 3 {
		want = append(want, all[i])
	}
	if !slices.Equal(got, want) {
		t.Errorf("a sample of 10 of 30: got %v, want every third %v", got, want)
	}
	if got, err := db.SampleCodes(ctx, 100); err != nil || !slices.Equal(got, all) {
		t.Errorf("a sample of 100 of 30: got %v (%v), want all 30", got, err)
	}
}

func TestSampleCodesSQLite(t *testing.T)   { testSampleCodes(t, openSQLite) }
func TestSampleCodesPostgres(t *testing.T) { testSampleCodes(t, openPostgres) }
