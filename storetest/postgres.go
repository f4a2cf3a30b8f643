package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// PostgresEnv names the environment variable with the URL of a PostgreSQL server on which
// the tests may create and drop databases. .ci/run sets it; in CI (CI=true) its absence
// fails the tests rather than skipping them.
const PostgresEnv = "GONGSHI_TEST_POSTGRES"

// PostgresURL creates a fresh database with a random name on the test server, drops it when
// the test ends, and returns its URL. Without PostgresEnv the test is skipped (failed in CI).
func PostgresURL(t testing.TB) string {
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

// PostgresReplicaEnv names the environment variable with the URL of a streaming replica of
// the PostgresEnv server (.ci/pg-replica starts one); in CI its absence fails the tests.
const PostgresReplicaEnv = "GONGSHI_TEST_POSTGRES_REPLICA"

// PostgresReplicaURL returns the URL, on the replica, of the database primary names (one
// PostgresURL made), once the replica has replayed its creation. Without
// PostgresReplicaEnv the test is skipped (failed in CI).
func PostgresReplicaURL(t testing.TB, primary string) string {
	base := os.Getenv(PostgresReplicaEnv)
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set: CI must run the replica tests (.ci/pg-replica starts one)", PostgresReplicaEnv)
		}
		t.Skipf("%s not set; run .ci/pg-replica and set it to e.g. postgres://postgres@127.0.0.1:5433/test?sslmode=disable", PostgresReplicaEnv)
	}
	p, err := url.Parse(primary)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresReplicaEnv, err)
	}
	u.Path = p.Path
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var recovery bool
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		err = db.QueryRow(`SELECT pg_is_in_recovery()`).Scan(&recovery)
		if err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("the replica %s has not replayed the creation of %s: %v", base, p.Path, err)
	}
	if !recovery {
		t.Fatalf("%s is not a replica (pg_is_in_recovery is false)", base)
	}
	return u.String()
}
