package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
	"github.com/gongshi/gongshi/translog"
	"github.com/gongshi/gongshi/translog/translogtest"
)

// PostgresEnv names the environment variable with the URL of a PostgreSQL server on which
// the tests may create and drop databases. .ci/run sets it; in CI (CI=true) its absence
// fails the tests rather than skipping them.
const PostgresEnv = "GONGSHI_TEST_POSTGRES"

func openSQLite(t *testing.T, clock gongshi.Clock) (storetest.Store, func() storetest.Store) {
	dir := t.TempDir()
	db, err := sqlstore.Open(context.Background(), sqlstore.Config{Dir: dir, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, func() storetest.Store {
		db.Close()
		db2, err := sqlstore.Open(context.Background(), sqlstore.Config{Dir: dir, Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db2.Close() })
		return db2
	}
}

// PostgresURL creates a fresh database with a random name on the test server, drops it when
// the test ends, and returns its URL.
func PostgresURL(t *testing.T) string {
	base := os.Getenv(PostgresEnv)
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set: CI must run the PostgreSQL tests", PostgresEnv)
		}
		t.Skipf("%s not set; set it to e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable", PostgresEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "gongshi_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database on %s: %v", base, err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	return u.String()
}

func openPostgres(t *testing.T, clock gongshi.Clock) (storetest.Store, func() storetest.Store) {
	u := PostgresURL(t)
	db, err := sqlstore.Open(context.Background(), sqlstore.Config{URL: u, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, func() storetest.Store {
		db.Close()
		db2, err := sqlstore.Open(context.Background(), sqlstore.Config{URL: u, Clock: clock})
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
