package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
)

// openReplica opens a store on the test server whose reads go to its streaming replica,
// each seeing the writes this store acknowledged before it (ReadOwnWrites). Most reads
// must be the replica's: a replica that never caught up would pass the suite on the primary.
func openReplica(t *testing.T, clock gongshi.Clock) (storetest.Store, func() storetest.Store) {
	u := PostgresURL(t)
	cfg := sqlstore.Config{URL: u, ReadURL: storetest.PostgresReplicaURL(t, u), ReadOwnWrites: true, Clock: clock,
		ReplicaWait: 5 * time.Second} // the machine may be busy: lag is not what is tested
	open := func() *sqlstore.DB {
		db, err := sqlstore.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			onReplica, onPrimary := db.ReplicaReads()
			if onReplica < onPrimary {
				t.Errorf("the replica served %d reads, the primary %d: want most on the replica", onReplica, onPrimary)
			}
			db.Close()
		})
		return db
	}
	db := open()
	return db, func() storetest.Store {
		db.Close()
		return open()
	}
}

func TestReplica(t *testing.T)           { storetest.Run(t, openReplica) }
func TestReplicaDisclosure(t *testing.T) { storetest.RunDisclosure(t, openReplica) }
func TestReplicaWeb(t *testing.T)        { storetest.RunWeb(t, openReplica) }

// TestReadYourWrites: without ReadOwnWrites, a read asking for the log size a write was
// acknowledged with sees that write, from the replica when it catches up in time and from
// the primary when it does not.
func TestReadYourWrites(t *testing.T) {
	for _, wait := range []struct {
		name string
		cfg  sqlstore.Config
	}{
		{"replica", sqlstore.Config{ReplicaWait: sqlstore.DefaultReplicaWait}},
		{"primary", sqlstore.Config{ReplicaWait: 1}}, // never waits: the primary answers
	} {
		t.Run(wait.name, func(t *testing.T) {
			cfg, u := wait.cfg, PostgresURL(t)
			cfg.URL, cfg.ReadURL = u, storetest.PostgresReplicaURL(t, u)
			f, _ := storetest.NewFixture(t, func(t *testing.T, clock gongshi.Clock) (storetest.Store, func() storetest.Store) {
				cfg.Clock = clock
				db, err := sqlstore.Open(context.Background(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return db, nil
			})
			db := f.Store.(*sqlstore.DB)
			for i := range 20 {
				code := storetest.USCC(9000 + i)
				f.Register(t, code, "上海读写一致测试有限公司", "张三")
				size, _ := db.TreeSize(context.Background())
				ctx := gongshi.WithMinLogSize(context.Background(), size)
				if _, err := f.Store.EnterpriseByCode(ctx, code); err != nil {
					t.Fatalf("read at log size %d after registering %s: %v", size, code, err)
				}
			}
			onReplica, onPrimary := db.ReplicaReads()
			t.Logf("reads: %d on the replica, %d on the primary", onReplica, onPrimary)
			if wait.name == "replica" && onReplica == 0 {
				t.Errorf("no read went to the replica")
			}
		})
	}
}
