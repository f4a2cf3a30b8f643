package gongshi

import (
	"context"
	"slices"
	"testing"
	"time"
)

// unitsStore runs each unit of work at once: the units' sizes are what is tested here.
type unitsStore struct{ EnforcementStore }

func (unitsStore) Write(ctx context.Context, fn func(Tx) error) error { return fn(nil) }

// unitSizes runs a sweep's batches over n items, each taking per, and returns the number
// of items of each unit of work in order.
func unitSizes(t *testing.T, opts SweepOptions, n int, per time.Duration) []int {
	t.Helper()
	var sizes []int
	last := 0
	opts.Progress = func(_ string, done, _ int) { sizes = append(sizes, done-last); last = done }
	s := &Enforcement{Store: unitsStore{}}
	sum := &SweepSummary{Counts: map[string]int{}}
	err := s.batches(context.Background(), &opts, sum, "r", n, func(Tx, int) (int, error) {
		time.Sleep(per)
		return 1, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Counts["r"] != n || last != n {
		t.Fatalf("%d decisions counted, %d items done; want %d", sum.Counts["r"], last, n)
	}
	return sizes
}

// TestSweepUnitTime: with UnitTime, units start small, grow while quick, up to Batch, and
// shrink while slow; without it, every unit is Batch.
func TestSweepUnitTime(t *testing.T) {
	quick := unitSizes(t, SweepOptions{Batch: 100, UnitTime: time.Hour}, 400, 0)
	want := []int{8, 16, 32, 64, 100, 100, 80}
	if !slices.Equal(quick, want) {
		t.Errorf("quick decisions: units of %v, want %v", quick, want)
	}
	// A decision takes 5 ms, a unit should take 10: a unit of 8 is halved until units
	// are of one decision, which is over half the time and stays so.
	slow := unitSizes(t, SweepOptions{Batch: 100, UnitTime: 10 * time.Millisecond}, 20, 5*time.Millisecond)
	if want := []int{8, 4, 2, 1, 1, 1, 1, 1, 1}; !slices.Equal(slow, want) {
		t.Errorf("slow decisions: units of %v, want %v", slow, want)
	}
	if plain := unitSizes(t, SweepOptions{Batch: 100}, 250, 0); !slices.Equal(plain, []int{100, 100, 50}) {
		t.Errorf("without UnitTime: units of %v, want 100, 100, 50", plain)
	}
}
