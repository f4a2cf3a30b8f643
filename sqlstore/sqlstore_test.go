package sqlstore_test

import (
	"context"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
	"github.com/gongshi/gongshi/translog"
	"github.com/gongshi/gongshi/translog/translogtest"
)

// testDictAfter makes the test stores compress their documents with a dictionary after a
// few versions (docs.go), so that the conformance suites read them so; the default, 10,000,
// would have the log's tile test compress 65,000 documents again instead.
const testDictAfter = 50

func openSQLite(t *testing.T, clock gongshi.Clock) (storetest.Store, func() storetest.Store) {
	dir := t.TempDir()
	db, err := sqlstore.Open(context.Background(), sqlstore.Config{Dir: dir, Clock: clock, DictAfter: testDictAfter})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, func() storetest.Store {
		db.Close()
		db2, err := sqlstore.Open(context.Background(), sqlstore.Config{Dir: dir, Clock: clock, DictAfter: testDictAfter})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db2.Close() })
		return db2
	}
}

// PostgresURL is storetest.PostgresURL: a fresh database on the test server, dropped
// when the test ends.
var PostgresURL = storetest.PostgresURL

func openPostgres(t *testing.T, clock gongshi.Clock) (storetest.Store, func() storetest.Store) {
	u := PostgresURL(t)
	db, err := sqlstore.Open(context.Background(), sqlstore.Config{URL: u, Clock: clock, DictAfter: testDictAfter})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, func() storetest.Store {
		db.Close()
		db2, err := sqlstore.Open(context.Background(), sqlstore.Config{URL: u, Clock: clock, DictAfter: testDictAfter})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db2.Close() })
		return db2
	}
}

func TestSQLite(t *testing.T)   { storetest.Run(t, openSQLite) }
func TestPostgres(t *testing.T) { storetest.Run(t, openPostgres) }

func TestSpotChecksSQLite(t *testing.T)   { storetest.RunSpotChecks(t, openSQLite) }
func TestSpotChecksPostgres(t *testing.T) { storetest.RunSpotChecks(t, openPostgres) }

func TestDisclosureSQLite(t *testing.T)   { storetest.RunDisclosure(t, openSQLite) }
func TestDisclosurePostgres(t *testing.T) { storetest.RunDisclosure(t, openPostgres) }

func TestEnforcementSQLite(t *testing.T)   { storetest.RunEnforcement(t, openSQLite) }
func TestEnforcementPostgres(t *testing.T) { storetest.RunEnforcement(t, openPostgres) }

func TestWebSQLite(t *testing.T)   { storetest.RunWeb(t, openSQLite) }
func TestWebPostgres(t *testing.T) { storetest.RunWeb(t, openPostgres) }

// testLog runs the translog conformance suite on the store, with leaves of real documents.
func testLog(t *testing.T, open storetest.Opener) {
	var entries sqlstore.LogEntries
	translogtest.TestStoreEntries(t, func(t *testing.T) (translog.Store, translogtest.AppendFunc) {
		s, _ := open(t, gongshi.SystemClock{})
		db := s.(*sqlstore.DB)
		return db, func(ctx context.Context, leaves [][]byte) error { return entries.AppendDocuments(ctx, db, leaves) }
	}, entries.Make)
}

func TestLogSQLite(t *testing.T)   { testLog(t, openSQLite) }
func TestLogPostgres(t *testing.T) { testLog(t, openPostgres) }

func TestDeregistrationSQLite(t *testing.T)   { storetest.RunDeregistration(t, openSQLite) }
func TestDeregistrationPostgres(t *testing.T) { storetest.RunDeregistration(t, openPostgres) }

func TestWatchesSQLite(t *testing.T)   { storetest.RunWatches(t, openSQLite) }
func TestWatchesPostgres(t *testing.T) { storetest.RunWatches(t, openPostgres) }
