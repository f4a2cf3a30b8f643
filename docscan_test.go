package gongshi_test

import (
	"context"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/demo"
	"github.com/gongshi/gongshi/policy"
	"github.com/gongshi/gongshi/sqlstore"
)

// FuzzScanDocument checks that the scan of a document accepts nothing encoding/json
// refuses and reads what it reads: numbers (int64s where they fit, json.Numbers in
// changes), escapes, bad UTF-8, duplicate and differently cased members.
func FuzzScanDocument(f *testing.F) {
	head := `{"arose":"2024-03-01","changes":[{"after":{"n":12},"before":null,"field":"capital","label":"注册资本"}],`
	f.Add([]byte(head + `"fields":{"capital":-9223372036854775808,"big":9223372036854775808,"list":[{"a":true},[],{}],"s":"\u00e9\"\\"},"kind":"penalty","on_time":true,"provisional":{"dates":["due"],"year":2025},"published_at":"2026-06-01T02:00:00.123456Z","publisher":{"account":"a","name":"沪","role":"department"},"record":"7091","subject":{"name":"","uscc":"91310115MA1FL0001X"},"type":"` + gongshi.DocumentType + `","version":1}`))
	f.Add([]byte(`{"fields":{"a":1.5,"b":1e3,"c":01,"d":-0},"type":"` + gongshi.DocumentType + `","Kind":"x","kind":"y","version":1.0}`))
	f.Add([]byte(`{"fields":{"a":"\xff","b":"\u0000"},"type":"` + gongshi.DocumentType + `","changes":[],"provisional":{"dates":[]}} x`))
	f.Add([]byte(`{"fields":{"a":[[[[1]]]],"a":{}},"subject":null,"on_time":truex,"type":"` + gongshi.DocumentType + `"}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		if _, err := gongshi.CheckDocumentScan(doc); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzScanPrivate checks that the scan of private values reads them as encoding/json does.
func FuzzScanPrivate(f *testing.F) {
	f.Add([]byte(`{"capital":100,"holders[0].id_number":"310115199001011234","n":-0,"x":1.5,"y":{"z":[null,true]}}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"a":1} {"b":2}`))
	f.Add([]byte(`{"a":"\ud800","a":99999999999999999999}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := gongshi.CheckPrivateScan(b); err != nil {
			t.Fatal(err)
		}
	})
}

// TestScanDemoDocuments checks the scan against encoding/json on every document of a
// demo with annual reports, spot checks and cases, and that it reads nearly all of them.
func TestScanDemoDocuments(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a demo")
	}
	ctx := context.Background()
	until := time.Date(2026, 11, 27, 12, 0, 0, 0, calendar.CST())
	clock := demo.NewClock(until)
	db, err := sqlstore.Open(ctx, sqlstore.Config{Dir: t.TempDir(), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := gongshi.New(gongshi.Config{Store: db, Clock: clock, Rules: policy.DefaultRules()})
	if _, err := demo.Generate(ctx, svc, clock, demo.Options{Enterprises: 300, Seed: 3, Until: until}); err != nil {
		t.Fatal(err)
	}
	docs, scanned := 0, 0
	err = db.EachVersion(ctx, 0, 1<<62, func(lv gongshi.LoggedVersion) error {
		docs++
		ok, err := gongshi.CheckDocumentScan(lv.Document)
		if ok {
			scanned++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if docs < 1500 || scanned < docs*99/100 {
		t.Errorf("the scan read %d of %d documents, want 1,500 or more and all but a few", scanned, docs)
	}
	t.Logf("the scan read %d of %d documents", scanned, docs)
}
