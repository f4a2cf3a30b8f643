package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
)

// TestMigrateTokens: a token made before tokens expired gets a token's life from the
// migration on, rather than lasting forever.
func TestMigrateTokens(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	raw, err := sqlstore.MigrateSQLiteTo(ctx, dir, sqlstore.MigrationNumber("web sessions; tokens expire")-1)
	if err != nil {
		t.Fatal(err)
	}
	const token = "gs_made-before-expiry"
	for _, q := range []string{
		`INSERT INTO accounts (id, name, role, jurisdiction, enterprise, kinds, password_hash, created_at) VALUES ('old', 'old', 'admin', '', '', '[]', '', '2026-01-01T00:00:00Z')`,
		`INSERT INTO tokens (hash, account, created_at) VALUES ('` + gongshi.HashToken(token) + `', 'old', '2026-01-01T00:00:00Z')`,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	migrated := time.Now()
	db, err := sqlstore.Open(ctx, sqlstore.Config{Dir: dir, Clock: gongshi.SystemClock{}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := gongshi.New(gongshi.Config{Store: db, Clock: gongshi.SystemClock{}, Rules: policy.DefaultRules()})
	wall := storetest.NewClock(migrated)
	svc.Accounts.Wall = wall
	if a, err := svc.Authenticate(ctx, token); err != nil || a.ID != "old" {
		t.Fatalf("the old token after the migration: got %+v, %v; want account old", a, err)
	}
	wall.Set(migrated.Add(gongshi.TokenLife + time.Minute))
	if _, err := svc.Authenticate(ctx, token); gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
		t.Errorf("the old token a token's life after the migration: got %v, want unauthorized", err)
	}
}
