package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2EVerifyAnswers: verify --url checks what a real server answers against the
// documents of its log. A list index edited behind the register's back (an entry in force
// deleted, one made up) makes the lists served disagree with the logged decisions, and
// verify says so; an edit of an index that never reaches an answer (a row's name) leaves
// every answer as the documents say.
func TestE2EVerifyAnswers(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runMain("demo", "--data", dir, "--enterprises", "400", "--seed", "3"); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, tail(errOut, 2000))
	}
	state := filepath.Join(t.TempDir(), "state.json")
	verify := func(want int, what string) string {
		t.Helper()
		s := startServer(t, dir)
		code, out, errOut := verifyMain("--url", s.url, "--state", state)
		s.stop()
		if code != want {
			t.Fatalf("%s: verify exit %d, want %d\nstdout:\n%s\nstderr:\n%s", what, code, want, tail(out, 3000), tail(errOut, 2000))
		}
		return out
	}
	if out := verify(0, "untouched"); !strings.Contains(out, "enterprises and") {
		t.Fatalf("verify did not check the answers:\n%s", out)
	}
	tamper := func(q string) {
		t.Helper()
		db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "gongshi.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if res, err := db.Exec(q); err != nil {
			t.Fatal(err)
		} else if n, _ := res.RowsAffected(); n == 0 {
			t.Fatalf("%s changed nothing", q)
		}
	}
	tamper(`UPDATE enterprises SET name = '假冒科技有限公司' WHERE id = 3`)
	verify(0, "an index row no answer reads")
	tamper(`DELETE FROM list_entries WHERE id = (SELECT MIN(id) FROM list_entries WHERE until_day = '' AND list_name = 'abnormal')`)
	if out := verify(1, "an entry in force deleted"); !strings.Contains(out, "not served") {
		t.Errorf("verify did not name the missing entry:\n%s", tail(out, 2000))
	}
}
