package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gongshi/gongshi/storetest"
)

// TestSecretsOffArgv: the PostgreSQL URL comes from --db-file or $GONGSHI_DB, never needing
// argv; a password on argv still works but is warned about. The accounts land in
// PostgreSQL, not in a SQLite database in the data folder.
func TestSecretsOffArgv(t *testing.T) {
	base := storetest.PostgresURL(t) // a fresh database; trust auth ignores the password
	withPW := strings.Replace(base, "postgres@", "postgres:hunter2hunter2@", 1)
	if withPW == base {
		t.Fatalf("cannot put a password in %s", base)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "db-url")
	if err := os.WriteFile(file, []byte(withPW+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pwFile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwFile, []byte("a long enough password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(getenv map[string]string, args ...string) (int, string) {
		var out, errOut syncBuffer
		code := Main(context.Background(), args, &Env{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return getenv[k] }})
		return code, errOut.String()
	}
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o750); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		env    map[string]string
		args   []string
		warned bool
	}{
		{"--db-file", nil, []string{"admin", "create", "--data", data, "--db-file", file, "--role", "admin", "--id", "a1", "--password-file", pwFile}, false},
		{"$GONGSHI_DB", map[string]string{"GONGSHI_DB": withPW, "GONGSHI_PASSWORD": "another long password"}, []string{"admin", "create", "--data", data, "--role", "admin", "--id", "a2"}, false},
		{"--db on argv", nil, []string{"admin", "create", "--data", data, "--db", withPW, "--role", "admin", "--id", "a3"}, true},
		{"--password on argv", map[string]string{"GONGSHI_DB": base}, []string{"admin", "create", "--data", data, "--role", "admin", "--id", "a4", "--password", "yet another password"}, true},
	}
	for _, c := range cases {
		code, stderr := run(c.env, c.args...)
		if code != 0 {
			t.Fatalf("%s: got exit status %d, want 0; stderr:\n%s", c.name, code, stderr)
		}
		if got := strings.Contains(stderr, "warning:"); got != c.warned {
			t.Errorf("%s: warned %v, want %v; stderr:\n%s", c.name, got, c.warned, stderr)
		}
		if strings.Contains(stderr, "hunter2") {
			t.Errorf("%s: the password is in the output:\n%s", c.name, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(data, "gongshi.db")); err == nil {
		t.Error("a SQLite database was made in the data folder; want everything in PostgreSQL")
	}
	// The accounts are in PostgreSQL: an existing one gets a token, with its password kept.
	if code, stderr := run(map[string]string{"GONGSHI_DB": base}, "admin", "create", "--data", data, "--role", "admin", "--id", "a1"); code == 0 {
		t.Errorf("creating a1 again: got exit status 0, want an error; stderr:\n%s", stderr)
	}
	// Both a flag and its file is an error, not a silent choice.
	if code, stderr := run(nil, "admin", "token", "--data", data, "--db", base, "--db-file", file, "--role", "admin"); code == 0 || !strings.Contains(stderr, "give one") {
		t.Errorf("--db and --db-file: got exit status %d, stderr:\n%s\nwant an error saying to give one", code, stderr)
	}
}

// TestAdminTokenRevoke: admin token says until when a token is valid, and --revoke ends one
// (read from stdin, off argv); revoking it again says it is unknown.
func TestAdminTokenRevoke(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := runMain("admin", "token", "--data", dir, "--role", "admin", "--expires", "1h")
	if code != 0 || !strings.Contains(stderr, "valid until") {
		t.Fatalf("admin token: got exit status %d, stderr:\n%s\nwant 0 and when it expires", code, stderr)
	}
	tok := checkToken(t, out)
	var errOut syncBuffer
	env := &Env{Stdin: strings.NewReader(tok + "\n"), Stdout: &syncBuffer{}, Stderr: &errOut, Getenv: func(string) string { return "" }}
	if code := Main(context.Background(), []string{"admin", "token", "--data", dir, "--revoke", "-"}, env); code != 0 || !strings.Contains(errOut.String(), "revoked") {
		t.Fatalf("admin token --revoke -: got exit status %d, stderr:\n%s", code, errOut.String())
	}
	if code, _, stderr := runMain("admin", "token", "--data", dir, "--revoke", tok); code == 0 || !strings.Contains(stderr, "unknown or revoked") {
		t.Errorf("revoking it again: got exit status %d, stderr:\n%s\nwant an error saying it is unknown", code, stderr)
	}
}
