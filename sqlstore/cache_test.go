package sqlstore

import (
	"context"
	"database/sql"
	"testing"
)

// TestCacheSizes: the writer and the readers keep the page caches db.go gives them. The
// driver runs a DSN's pragmas sorted by their text, so a second cache_size in a DSN is not
// sure to be the one applied (the writer's 1 GiB was not).
func TestCacheSizes(t *testing.T) {
	db, err := Open(context.Background(), Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct {
		name string
		pool *sql.DB
		want int
	}{{"writer", db.w, writerCache}, {"reader", db.r, readerCache}} {
		var got int
		if err := c.pool.QueryRow(`PRAGMA cache_size`).Scan(&got); err != nil || got != c.want {
			t.Errorf("the %s's cache_size is %d (%v), want %d", c.name, got, err, c.want)
		}
	}
}
