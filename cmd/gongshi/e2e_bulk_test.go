package main

import (
	"bytes"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
)

// finishedRE is the last line of a bulk load's finish's progress (finishProgress).
var finishedRE = regexp.MustCompile(`pages \[#+\] 100% (\d+)/(\d+) enterprises`)

// TestE2EBulkSameAsOnline: a demo loaded in bulk (the default) and the same demo loaded as
// a server writes (--bulk=false) have logs of one size and answer every enterprise page,
// record list, list, search and the change feed alike but for the hashes (each store salts
// its hidden values at random); verify --data passes on the bulk one, which has its
// read-only indexes back and no marker left. Its snapshot imported in bulk and imported as
// a server writes makes two registers with its log root that answer byte for byte alike.
func TestE2EBulkSameAsOnline(t *testing.T) {
	t.Parallel()
	const clock = "2026-07-01T09:00:00+08:00"
	bulk, online := t.TempDir(), t.TempDir()
	var finishes []string // the bulk loads' standard error
	for _, run := range []struct{ dir, flag string }{{bulk, "--bulk=true"}, {online, "--bulk=false"}} {
		code, _, errOut := runMain("demo", "--data", run.dir, "--enterprises", "120", "--seed", "5", "--clock", clock, run.flag)
		if code != 0 {
			t.Fatalf("demo %s: exit %d\n%s", run.flag, code, tail(errOut, 2000))
		}
		if run.dir == bulk {
			finishes = append(finishes, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(bulk, sqlstore.BulkFile)); !os.IsNotExist(err) {
		t.Errorf("the bulk load left its marker %s (%v)", sqlstore.BulkFile, err)
	}
	if missing := indexesMissing(t, bulk, "versions_log", "versions_sha", "enterprises_name", "enterprises_initials"); len(missing) > 0 {
		t.Errorf("after the bulk load the indexes %v are missing", missing)
	}
	// The bulk load ends compacted: its versions, inserted at random into their
	// enterprise-ordered table, lie in full pages; the online load leaves them as B-tree
	// splits do.
	if b, o := unusedShare(t, bulk, "versions"), unusedShare(t, online, "versions"); b > 0.05 || b >= o {
		t.Errorf("unused space in the versions table's pages: %.0f%% after the bulk load, %.0f%% after the online one; want under 5%% and less", 100*b, 100*o)
	}
	// The same pages, compressed once by the bulk load's finish at zstd's best level
	// (CompressSmall), by the sequencer at each write at its better one.
	if b, o := pageBytes(t, bulk), pageBytes(t, online); b >= o {
		t.Errorf("page rows: %d bytes after the bulk load, %d after the online one; want fewer", b, o)
	}
	if before := beforePages(t, bulk); len(before) > 0 || len(beforePages(t, online)) == 0 {
		t.Errorf("after the bulk load %v lie before the page rows in the file; want the page rows before them, as the online load has them after", before)
	}
	cpBulk, cpOnline := checkpointHead(t, bulk), checkpointHead(t, online)
	if strings.Split(cpBulk, "\n")[1] != strings.Split(cpOnline, "\n")[1] {
		t.Fatalf("checkpoints: bulk %q, online %q; want logs of one size", cpBulk, cpOnline)
	}
	if code, out, errOut := verifyMain("--data", bulk, "--state", filepath.Join(t.TempDir(), "state.json")); code != 0 {
		t.Fatalf("verify --data of the bulk load: exit %d\n%s\n%s", code, tail(out, 3000), tail(errOut, 2000))
	}
	codes := enterpriseCodes(t, bulk)
	if len(codes) < 120 {
		t.Fatalf("%d enterprises in the bulk load, want at least 120", len(codes))
	}
	paths := []string{"/api/v1/lists/abnormal", "/api/v1/lists/serious", "/api/v1/changes?limit=1000"}
	for _, q := range []string{"有限", "公司", "科技", "shjt"} {
		paths = append(paths, "/api/v1/enterprises?q="+url.QueryEscape(q))
	}
	for _, c := range codes {
		paths = append(paths, "/api/v1/enterprises/"+c, "/api/v1/enterprises/"+c+"/records")
	}

	// The snapshot of the bulk demo, imported both ways.
	if code, out, errOut := runMain("snapshot", "--data", bulk); code != 0 {
		t.Fatalf("snapshot: exit %d\n%s\n%s", code, out, tail(errOut, 2000))
	}
	snaps, _ := filepath.Glob(filepath.Join(bulk, "snapshots", "*", "manifest.json"))
	if len(snaps) != 1 {
		t.Fatalf("%d snapshots, want 1", len(snaps))
	}
	impBulk, impOnline := t.TempDir(), t.TempDir()
	for _, run := range []struct{ dir, flag string }{{impBulk, "--bulk=true"}, {impOnline, "--bulk=false"}} {
		code, _, errOut := runMain("import", "--data", run.dir, "--batch", "300", run.flag, filepath.Dir(snaps[0]))
		if code != 0 {
			t.Fatalf("import %s: exit %d\n%s", run.flag, code, tail(errOut, 2000))
		}
		if run.dir == impBulk {
			finishes = append(finishes, errOut)
		}
	}
	// Each bulk load's finish shows its progress through every enterprise.
	for i, errOut := range finishes {
		m := finishedRE.FindStringSubmatch(errOut)
		if m == nil || m[1] != m[2] || m[1] != strconv.Itoa(len(codes)) {
			t.Errorf("bulk load %d: its finish's progress %q; want it through the %d enterprises\n%s", i, m, len(codes), tail(errOut, 1500))
		}
	}
	if a, b := checkpointHead(t, impBulk), checkpointHead(t, impOnline); a != cpBulk || b != cpBulk {
		t.Errorf("checkpoints: the bulk import %q, the online import %q; want the source's %q", a, b, cpBulk)
	}

	servers := []*e2eServer{startServer(t, bulk, "--clock", clock), startServer(t, online, "--clock", clock),
		startServer(t, impBulk, "--clock", clock), startServer(t, impOnline, "--clock", clock)}
	for _, p := range paths {
		var rs [4]*apiResp
		for i, s := range servers {
			rs[i] = get(t, s.url+p)
			rs[i].body = cursorRE.ReplaceAll(rs[i].body, nil)
		}
		if rs[0].status != 200 || rs[1].status != 200 || !bytes.Equal(hashRE.ReplaceAll(rs[0].body, nil), hashRE.ReplaceAll(rs[1].body, nil)) {
			t.Errorf("GET %s: the bulk demo answers %d %.300s\nthe online demo %d %.300s", p, rs[0].status, rs[0].body, rs[1].status, rs[1].body)
		}
		if rs[2].status != 200 || rs[3].status != 200 || !bytes.Equal(rs[2].body, rs[3].body) {
			t.Errorf("GET %s: the bulk import answers %d %.300s\nthe online import %d %.300s", p, rs[2].status, rs[2].body, rs[3].status, rs[3].body)
		}
	}
}

// hashRE matches a SHA-256 in hexadecimal: salted hashes and document hashes differ
// between two stores of the same demo (each salts at random).
var hashRE = regexp.MustCompile(`[0-9a-f]{64}`)

// TestE2EBulkMarker: a data folder whose bulk load did not finish is refused by every
// command but gongshi import, which carries it on; one whose machine stopped during the
// load (another boot) is refused by all, with what to do.
func TestE2EBulkMarker(t *testing.T) {
	t.Parallel()
	src := t.TempDir()
	if code, _, errOut := runMain("demo", "--data", src, "--enterprises", "40", "--seed", "3", "--report-years", "-1"); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, tail(errOut, 2000))
	}
	if code, out, errOut := runMain("snapshot", "--data", src); code != 0 {
		t.Fatalf("snapshot: exit %d\n%s\n%s", code, out, tail(errOut, 2000))
	}
	snaps, _ := filepath.Glob(filepath.Join(src, "snapshots", "*", "manifest.json"))
	if len(snaps) != 1 {
		t.Fatalf("%d snapshots, want 1", len(snaps))
	}
	snap := filepath.Dir(snaps[0])

	// This boot's marker: a load whose process was stopped.
	dst := t.TempDir()
	if code, _, errOut := runMain("import", "--data", dst, snap); code != 0 {
		t.Fatalf("import: exit %d\n%s", code, tail(errOut, 2000))
	}
	boot, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if len(boot) == 0 {
		t.Skip("no boot id on this system: every marker is refused")
	}
	marker := filepath.Join(dst, sqlstore.BulkFile)
	if err := os.WriteFile(marker, []byte(strings.TrimSpace(string(boot))+" 2026-07-01T01:00:00Z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := verifyMain("--data", dst); code == 0 || !strings.Contains(errOut, "did not finish") || !strings.Contains(errOut, "gongshi import again") {
		t.Errorf("verify of a folder with an unfinished bulk load: exit %d, want a refusal saying how to carry on\n%s", code, tail(errOut, 1000))
	}
	if code, out, errOut := runMain("import", "--data", dst, snap); code != 0 || !strings.Contains(out, "already in") {
		t.Fatalf("import carrying on an unfinished bulk load: exit %d\n%s\n%s", code, out, tail(errOut, 2000))
	}
	if _, err := os.Stat(marker); !os.IsNotExist(err) {
		t.Errorf("the import that carried the load on left the marker (%v)", err)
	}
	if code, out, errOut := verifyMain("--data", dst, "--state", filepath.Join(t.TempDir(), "state.json")); code != 0 {
		t.Errorf("verify after the import carried on: exit %d\n%s\n%s", code, tail(out, 2000), tail(errOut, 2000))
	}

	// Another boot's marker: the database may be damaged.
	if err := os.WriteFile(marker, []byte("00000000-another-boot 2026-07-01T01:00:00Z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"import", "--data", dst, snap}, {"verify", "--data", dst}} {
		if code, _, errOut := runMain(args...); code == 0 || !strings.Contains(errOut, "the machine stopped during a bulk load") || !strings.Contains(errOut, "delete the data folder") {
			t.Errorf("%s with another boot's marker: exit %d, want a refusal saying the database may be damaged\n%s", args[0], code, tail(errOut, 1000))
		}
	}
}

// checkpointHead is the origin, size and root of the data folder's published checkpoint
// (the signature lines differ: each folder has its own key).
func checkpointHead(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "log-published.checkpoint"))
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(string(b), "\n\n")
	return head
}

func openDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "gongshi.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func enterpriseCodes(t *testing.T, dir string) []string {
	t.Helper()
	return queryTexts(t, openDB(t, dir), `SELECT uscc FROM enterprises ORDER BY id`)
}

// queryTexts answers a query's one column of text.
func queryTexts(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func indexesMissing(t *testing.T, dir string, names ...string) []string {
	t.Helper()
	var missing []string
	db := openDB(t, dir)
	for _, n := range names {
		var k int
		if err := db.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ?`, n).Scan(&k); err != nil {
			t.Fatal(err)
		}
		if k != 1 {
			missing = append(missing, n)
		}
	}
	return missing
}

// unusedShare is the share of the pages of a table of the SQLite store in dir left unused.
func unusedShare(t *testing.T, dir, table string) float64 {
	t.Helper()
	var unused, size float64
	db := openDB(t, dir)
	defer db.Close() // at once: gongshi compact wants the database to itself
	if err := db.QueryRow(`SELECT SUM(unused), SUM(pgsize) FROM dbstat WHERE name = ?`, table).Scan(&unused, &size); err != nil {
		t.Fatal(err)
	}
	return unused / size
}

// pageBytes is the size of the store's page rows' pages (compressed).
func pageBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	db := openDB(t, dir)
	defer db.Close()
	if err := db.QueryRow(`SELECT SUM(length(page)) FROM pages`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// beforePages are the tables of the versions, records and log hashes that have pages of
// the file before the last of the page rows': those a compaction places after them. Root
// pages are left out: VACUUM makes every table's first.
func beforePages(t *testing.T, dir string) []string {
	t.Helper()
	db := openDB(t, dir)
	defer db.Close()
	return queryTexts(t, db, `SELECT name FROM dbstat WHERE name IN ('versions', 'records', 'log_hashes') AND path <> '/'
		GROUP BY name HAVING MIN(pageno) < (SELECT MAX(pageno) FROM dbstat WHERE name = 'pages') ORDER BY name`)
}

// TestE2EBulkPostgres: on PostgreSQL a bulk load is written on SQLite in the data folder
// and copied with COPY. A snapshot imported so has the snapshot's root and answers every
// page, record list and list as the source does; a demo loaded so leaves no SQLite
// database behind, serves, and a second bulk demo into the same database is refused
// before it loads anything.
func TestE2EBulkPostgres(t *testing.T) {
	t.Parallel()
	const clock = "2026-07-01T09:00:00+08:00"
	src := t.TempDir()
	if code, _, errOut := runMain("demo", "--data", src, "--enterprises", "60", "--seed", "9", "--clock", clock); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, tail(errOut, 2000))
	}
	if code, out, errOut := runMain("snapshot", "--data", src); code != 0 {
		t.Fatalf("snapshot: exit %d\n%s\n%s", code, out, tail(errOut, 2000))
	}
	snaps, _ := filepath.Glob(filepath.Join(src, "snapshots", "*", "manifest.json"))
	if len(snaps) != 1 {
		t.Fatalf("%d snapshots, want 1", len(snaps))
	}
	dst, pgURL := t.TempDir(), storetest.PostgresURL(t)
	if code, out, errOut := runMain("import", "--data", dst, "--db", pgURL, filepath.Dir(snaps[0])); code != 0 || !strings.Contains(out, "as the snapshot's checkpoint") {
		t.Fatalf("import into PostgreSQL: exit %d\n%s\n%s", code, out, tail(errOut, 2000))
	}
	if fileExists(filepath.Join(dst, "gongshi.db")) {
		t.Errorf("the import into PostgreSQL left its SQLite database in the data folder")
	}
	if a, b := checkpointHead(t, src), checkpointHead(t, dst); a != b {
		t.Errorf("checkpoints: the source %q, the import into PostgreSQL %q", a, b)
	}
	a, b := startServer(t, src, "--clock", clock), startServer(t, dst, "--db", pgURL, "--clock", clock)
	paths := []string{"/api/v1/lists/abnormal", "/api/v1/lists/serious", "/api/v1/enterprises?q=" + url.QueryEscape("有限")}
	for _, c := range enterpriseCodes(t, src) {
		paths = append(paths, "/api/v1/enterprises/"+c, "/api/v1/enterprises/"+c+"/records")
	}
	for _, p := range paths {
		ra, rb := get(t, a.url+p), get(t, b.url+p)
		ca, cb := cursorRE.ReplaceAll(ra.body, nil), cursorRE.ReplaceAll(rb.body, nil)
		if ra.status != 200 || rb.status != ra.status || !bytes.Equal(ca, cb) {
			t.Errorf("GET %s: SQLite answers %d %.300s\nPostgreSQL %d %.300s", p, ra.status, ra.body, rb.status, rb.body)
		}
	}

	demoDir, demoURL := t.TempDir(), storetest.PostgresURL(t)
	if code, _, errOut := runMain("demo", "--data", demoDir, "--db", demoURL, "--enterprises", "30", "--report-years", "-1"); code != 0 {
		t.Fatalf("demo into PostgreSQL: exit %d\n%s", code, tail(errOut, 2000))
	}
	if fileExists(filepath.Join(demoDir, "gongshi.db")) {
		t.Errorf("the demo into PostgreSQL left its SQLite database in the data folder")
	}
	s := startServer(t, demoDir, "--db", demoURL)
	if r := get(t, s.url+"/api/v1/lists/abnormal"); r.status != 200 {
		t.Errorf("the demo loaded into PostgreSQL: GET /api/v1/lists/abnormal answers %d", r.status)
	}
	s.stop()
	if code, _, errOut := runMain("demo", "--data", t.TempDir(), "--db", demoURL, "--enterprises", "30"); code == 0 || !strings.Contains(errOut, "already holds") {
		t.Errorf("a second demo into the same database: exit %d, want a refusal\n%s", code, tail(errOut, 1000))
	}
}
