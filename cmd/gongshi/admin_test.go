package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAdminTokenNeedsDataFolder: "gongshi admin token" where there is no data folder —
// given by --data, or the default ./gongshi-data — makes no folder, key or account and
// says which folder it looked for and how to name the right one.
func TestAdminTokenNeedsDataFolder(t *testing.T) {
	cwd := t.TempDir()
	t.Chdir(cwd)
	for _, c := range []struct {
		name string
		args []string
		dir  string
	}{
		{"--data", []string{"--data", filepath.Join(cwd, "elsewhere")}, filepath.Join(cwd, "elsewhere")},
		{"default", nil, filepath.Join(cwd, "gongshi-data")},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"admin", "token", "--role", "regulator", "--jurisdiction", "310000"}, c.args...)
			code, out, errOut := runMain(args...)
			if code != 1 || out != "" {
				t.Fatalf("admin token %v: got exit status %d and stdout %q, want 1 and no token", c.args, code, out)
			}
			if !strings.Contains(errOut, c.dir) || !strings.Contains(errOut, "--data") {
				t.Errorf("admin token %v: got %q, want an error naming %s and --data", c.args, errOut, c.dir)
			}
			if _, err := os.Stat(c.dir); !os.IsNotExist(err) {
				t.Errorf("admin token %v: %s exists afterwards (stat: %v), want it not made", c.args, c.dir, err)
			}
		})
	}
	// An existing folder is a register's, however new: the token is made there.
	dir := filepath.Join(cwd, "gongshi-data")
	if err := os.Mkdir(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	adminToken(t, dir, "--role", "regulator", "--jurisdiction", "310000")
}
