package translog_test

import (
	"context"
	"testing"

	"github.com/gongshi/gongshi/translog"
	"github.com/gongshi/gongshi/translog/translogtest"
)

func TestMemStore(t *testing.T) {
	translogtest.TestStore(t, func(t *testing.T) (translog.Store, translogtest.AppendFunc) {
		m := translog.NewMemStore()
		return m, func(ctx context.Context, leaves [][]byte) error {
			_, err := m.Append(ctx, leaves)
			return err
		}
	})
}
