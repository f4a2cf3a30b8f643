package snapshot

import (
	"context"
	"errors"
	"runtime"
	"testing"
)

// Chunks made out of order on several workers are written in order; the first error
// stops the making and is returned.
func TestInOrder(t *testing.T) {
	ctx := context.Background()
	build := func(_ context.Context, i int64) (int64, error) {
		for range (100 - i%7) * 10 { // later chunks of a round finish first
			runtime.Gosched()
		}
		return i, nil
	}
	var got []int64
	if err := inOrder(ctx, 100, 4, build, func(i int64) error { got = append(got, i); return nil }); err != nil {
		t.Fatal(err)
	}
	for i, v := range got {
		if v != int64(i) {
			t.Fatalf("chunk %d written in place %d", v, i)
		}
	}
	if len(got) != 100 {
		t.Fatalf("got %d chunks, want 100", len(got))
	}

	broken := errors.New("broken")
	for _, tc := range []struct {
		name        string
		build       func(context.Context, int64) (int64, error)
		write       func(int64) error
		wantWritten int
	}{
		{"making", func(ctx context.Context, i int64) (int64, error) {
			if i == 37 {
				return 0, broken
			}
			return build(ctx, i)
		}, func(int64) error { return nil }, 37},
		{"writing", build, func(i int64) error {
			if i == 37 {
				return broken
			}
			return nil
		}, 37},
	} {
		written := 0
		err := inOrder(ctx, 1000, 4, tc.build, func(i int64) error {
			if err := tc.write(i); err != nil {
				return err
			}
			written++
			return nil
		})
		if !errors.Is(err, broken) || written != tc.wantWritten {
			t.Errorf("%s fails at chunk 37: %v after %d chunks written, want %v after %d", tc.name, err, written, broken, tc.wantWritten)
		}
	}
}
