package snapshot_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/snapshot"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
)

func TestImportSQLite(t *testing.T) { testImport(t, "", "") }

func TestImportPostgres(t *testing.T) {
	testImport(t, storetest.PostgresURL(t), storetest.PostgresURL(t))
}

// testImport: the conformance suite's register (draws and their results, withdrawals,
// listing grounds, decisions) through a snapshot into a new store, 100 versions a
// transaction: its state audit finds nothing, its log has the source's root, and every
// enterprise's file opens to the same page.
func testImport(t *testing.T, srcURL, dstURL string) {
	ctx := context.Background()
	src, _ := populated(t, srcURL)
	root := t.TempDir()
	m, err := snapshot.Write(ctx, src, root, snapshot.Options{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, m.Name)
	if m.File(snapshot.DrawsFile).Rows == 0 {
		t.Fatal("the snapshot holds no draw texts")
	}
	dst, err := sqlstore.Open(ctx, sqlstore.Config{URL: dstURL, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	texts := map[string][]byte{}
	snapshot.EachDrawText(filepath.Join(dir, snapshot.DrawsFile), func(_ int64, d *snapshot.DrawText) error {
		texts[d.Number+"/"+d.Which] = []byte(d.Text)
		return nil
	})
	var batch []sqlstore.ImportLine
	flush := func() {
		if err := dst.ImportVersions(ctx, batch, func(n, w string) ([]byte, bool) { b, ok := texts[n+"/"+w]; return b, ok }); err != nil {
			t.Fatal(err)
		}
		batch = batch[:0]
	}
	err = snapshot.EachLine(filepath.Join(dir, snapshot.VersionsFile), func(n int64, ev *gongshi.FeedEvent) error {
		batch = append(batch, sqlstore.ImportLineOf(ev))
		if len(batch) == 100 {
			flush()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	flush()
	st, err := dst.AuditState(ctx, nil)
	if err != nil || st.ProblemN != 0 || st.Enterprises == 0 {
		t.Fatalf("audit of the imported store: %v, %+v", err, st)
	}
	pages := func(db *sqlstore.DB) map[string]string {
		out := map[string]string{}
		files, err := db.FileCount(ctx, m.Size)
		if err != nil {
			t.Fatal(err)
		}
		db.EachFile(ctx, m.Size, 1, files+1, nil, func(svs []gongshi.StoredVersion) error {
			vs := make([]*gongshi.Version, len(svs))
			for i, sv := range svs {
				v, err := gongshi.OpenVersion(sv, false)
				if err != nil {
					return err
				}
				vs[i] = v
			}
			p, err := gongshi.PublicPage(vs, calendar.DateOf(time.Now()))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(p)
			out[vs[0].Subject] = string(b)
			return nil
		})
		return out
	}
	want, got := pages(src), pages(dst)
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("%d enterprises imported of %d", len(got), len(want))
	}
	for code, p := range want {
		if got[code] != p {
			t.Errorf("%s: the imported page\n%s\nthe source's\n%s", code, got[code], p)
		}
	}
}

// TestImportStandInBeforeItsWithdrawal: a version the snapshot carries as withdrawn (its
// leaf only), imported without the withdrawal record that comes later in the log — as a
// mirror holds it between two batches — is not answered as a document (the leaf is not
// the document); once its withdrawal is in, it is answered as withdrawn.
func TestImportStandInBeforeItsWithdrawal(t *testing.T) {
	ctx := context.Background()
	src, _ := populated(t, "")
	root := t.TempDir()
	m, err := snapshot.Write(ctx, src, root, snapshot.Options{Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, m.Name)
	var lines []sqlstore.ImportLine
	texts := map[string][]byte{}
	snapshot.EachDrawText(filepath.Join(dir, snapshot.DrawsFile), func(_ int64, d *snapshot.DrawText) error {
		texts[d.Number+"/"+d.Which] = []byte(d.Text)
		return nil
	})
	err = snapshot.EachLine(filepath.Join(dir, snapshot.VersionsFile), func(n int64, ev *gongshi.FeedEvent) error {
		lines = append(lines, sqlstore.ImportLineOf(ev))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	first := -1
	for i, l := range lines {
		if l.Withdrawn {
			first = i
			break
		}
	}
	if first < 0 {
		t.Fatal("the register holds no withdrawn version")
	}
	dst, err := sqlstore.Open(ctx, sqlstore.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	draws := func(n, w string) ([]byte, bool) { b, ok := texts[n+"/"+w]; return b, ok }
	if err := dst.ImportVersions(ctx, lines[:first+1], draws); err != nil {
		t.Fatal(err)
	}
	sha := lines[first].Leaf.SHA256
	if doc, w, err := dst.Document(ctx, sha); gongshi.ErrorCode(err) != gongshi.ENOTFOUND {
		t.Errorf("document %s before its withdrawal is in: got %.100s, %v, %v; want not found", sha, doc, w, err)
	}
	// The feed ends before it: it has neither the document nor a withdrawal to give.
	at := lines[first].LogIndex
	feed := gongshi.New(gongshi.Config{Store: dst}).Feed
	readAll := func() *gongshi.FeedPage {
		t.Helper()
		p, err := feed.Events(ctx, gongshi.FeedQuery{After: -1, Limit: gongshi.MaxFeedLimit})
		if err != nil {
			t.Fatalf("the feed: %v", err)
		}
		return p
	}
	if p := readAll(); p.LogSize != at || p.Next != at-1 || len(p.Events) != int(at) {
		t.Errorf("the feed before entry %d's withdrawal is in: %d events up to %d of log size %d; want %d events, all up to it", at, len(p.Events), p.Next, p.LogSize, at)
	}
	if err := dst.ImportVersions(ctx, lines[first+1:], draws); err != nil {
		t.Fatal(err)
	}
	if _, w, err := dst.Document(ctx, sha); err != nil || w == nil {
		t.Errorf("document %s after its withdrawal is in: got %v, %v; want it withdrawn", sha, w, err)
	}
	size := lines[len(lines)-1].LogIndex + 1
	if p := readAll(); p.LogSize != size || len(p.Events) != int(min(size, gongshi.MaxFeedLimit)) || p.Events[at].Withdrawn == nil {
		t.Errorf("the feed after the withdrawal is in: %d events of log size %d; want them all (%d), entry %d withdrawn", len(p.Events), p.LogSize, size, at)
	}
	if st, err := dst.AuditState(ctx, nil); err != nil || st.ProblemN != 0 {
		t.Errorf("audit after the withdrawal is in: %v, %+v", err, st)
	}
}
