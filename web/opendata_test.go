package web_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/snapshot"
	"github.com/gongshi/gongshi/web"
)

// TestOpenDataPage: the 数据下载 page describes the change feed and lists the snapshots with
// a link to each file, which the API serves.
func TestOpenDataPage(t *testing.T) {
	st := testserver.Start(t, testserver.Options{Now: testNow, Pages: true})
	if _, err := web.Seed(context.Background(), st.Svc); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, url: st.URL, svc: st.Svc, db: st.DB}
	c := e.client()
	if pg := e.get(c, "/data"); pg.status != 200 || !strings.Contains(pg.body, "/api/v1/changes") || !strings.Contains(pg.body, "尚无快照") {
		t.Fatalf("/data before any snapshot: status %d\n%s", pg.status, pg.body)
	}
	var m *snapshot.Manifest
	for deadline := time.Now().Add(10 * time.Second); m == nil; {
		var err error
		m, err = snapshot.Write(context.Background(), st.DB, filepath.Join(st.Dir, "snapshots"), snapshot.Options{Now: time.Now()})
		if err != nil && time.Now().After(deadline) {
			t.Fatal(err) // the checkpointer signs the first checkpoint within 100 ms
		}
		time.Sleep(50 * time.Millisecond)
	}
	pg := e.get(c, "/data?lang=en")
	if pg.status != 200 || !strings.Contains(pg.body, m.Name) || !strings.Contains(pg.body, "Open data") {
		t.Fatalf("/data: status %d, want the snapshot %s listed\n%s", pg.status, m.Name, pg.body)
	}
	// The commands to download, verify and import the newest are to be run as they are:
	// the server's address, every file of the manifest, the snapshot's name.
	files := "manifest.json"
	for _, f := range m.Files {
		files += " " + f.Name
	}
	for _, want := range []string{
		"curl -s '" + st.URL + "/api/v1/changes?after=0&amp;limit=1000'",
		"for f in " + files + "; do\n  curl -C - -O " + st.URL + "/api/v1/snapshots/" + m.Name + "/$f || break\ndone",
		"gongshi verify --snapshot " + m.Name + " --url " + st.URL,
		"gongshi import --data NEW-DATA " + m.Name,
	} {
		if !strings.Contains(pg.body, want) {
			t.Errorf("/data has no command %q\n%s", want, pg.body)
		}
	}
	for _, f := range m.Files {
		link := "/api/v1/snapshots/" + m.Name + "/" + f.Name
		if !strings.Contains(pg.body, `href="`+link+`"`) {
			t.Errorf("/data links no %s", link)
			continue
		}
		if r := e.get(c, link); r.status != 200 || int64(len(r.body)) != f.Bytes {
			t.Errorf("GET %s: status %d, %d bytes; want 200, %d", link, r.status, len(r.body), f.Bytes)
		}
	}
}
