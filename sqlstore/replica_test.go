package sqlstore_test

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/policy"
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

// TestRangeReadsOnLaggingReplica: the change feed's and the entry bundles' range reads run
// up to the sequencer's log size, which a lagging replica has not reached; they must not
// answer short. The "replica" here is a copy of the database made before the last writes,
// which never catches up: each such read waits for it, then reads the primary.
func TestRangeReadsOnLaggingReplica(t *testing.T) {
	ctx := context.Background()
	u := PostgresURL(t)
	c := storetest.NewClock(storetest.At("2026-06-01T09:00:00+08:00"))
	reg := &gongshi.Account{ID: "reg-310000", Name: "市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"}
	register := func(db *sqlstore.DB, from, n int) {
		svc := gongshi.New(gongshi.Config{Store: db, Clock: c, Rules: policy.DefaultRules()})
		for i := from; i < from+n; i++ {
			if _, _, err := svc.Register(ctx, reg, storetest.Registration(storetest.USCC(9100+i), "上海滞后副本测试有限公司", "张三")); err != nil {
				t.Fatal(err)
			}
		}
	}
	db, err := sqlstore.Open(ctx, sqlstore.Config{URL: u, Clock: c})
	if err != nil {
		t.Fatal(err)
	}
	register(db, 0, 2)
	db.Close()
	stale := staleCopy(t, u)
	db, err = sqlstore.Open(ctx, sqlstore.Config{URL: u, ReadURL: stale, Clock: c, ReplicaWait: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	register(db, 2, 3)
	size, _ := db.TreeSize(ctx)
	lvs, err := db.LoggedAfter(ctx, -1, size, 1000)
	if err != nil || int64(len(lvs)) != size {
		t.Errorf("LoggedAfter(-1, %d): got %d entries, %v; want all %d", size, len(lvs), err, size)
	}
	leaves, err := db.ReadLeaves(ctx, 0, size)
	if err != nil || int64(len(leaves)) != size {
		t.Errorf("ReadLeaves(0, %d): got %d leaves, %v; want all %d", size, len(leaves), err, size)
	}
	// A snapshot at size numbers the files of all five enterprises.
	if files, err := db.FileCount(ctx, size); err != nil || files != 5 {
		t.Errorf("FileCount(%d): got %d, %v; want the 5 enterprises registered", size, files, err)
	}
	// What the stale copy holds it answers: it is a replica, only behind.
	if lvs, err := db.LoggedAfter(ctx, -1, 2, 1000); err != nil || len(lvs) != 2 {
		t.Errorf("LoggedAfter(-1, 2): got %d entries, %v; want 2", len(lvs), err)
	}
	if onReplica, _ := db.ReplicaReads(); onReplica == 0 {
		t.Errorf("no read went to the stale copy: the test does not test a lagging replica")
	}
}

// staleCopy makes a copy of the PostgreSQL database at u (which no one may be connected
// to) and returns its URL; it is dropped when the test ends.
func staleCopy(t *testing.T, u string) string {
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := strings.TrimPrefix(p.Path, "/") + "_stale"
	if _, err := admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + strings.TrimPrefix(p.Path, "/")); err != nil {
		t.Fatalf("copy the database: %v", err)
	}
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", u); err == nil {
			a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			a.Close()
		}
	})
	p.Path = "/" + name
	return p.String()
}
