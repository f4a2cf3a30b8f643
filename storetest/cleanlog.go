package storetest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/translog"
)

// LeafReader reads the log's leaves [start, end).
type LeafReader interface {
	ReadLeaves(ctx context.Context, start, end int64) ([][]byte, error)
}

// CheckPublishedClean checks that every document published as leaves [from, to) holds
// clean text only: gongshi.CleanText leaves every string of it, and every member name, as
// it is. The fuzz tests of the API and of the web forms check what a write let in with it.
func CheckPublishedClean(t testing.TB, log LeafReader, svc *gongshi.Service, from, to int64) {
	t.Helper()
	if from == to {
		return
	}
	ctx := context.Background()
	leaves, err := log.ReadLeaves(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range leaves {
		leaf, err := translog.ParseLeaf(l)
		if err != nil {
			t.Fatalf("leaf %s: %v", l, err)
		}
		doc, err := svc.Document(ctx, leaf.SHA256)
		if err != nil {
			t.Fatalf("document %s: %v", leaf.SHA256, err)
		}
		var v any
		if err := json.Unmarshal(doc, &v); err != nil {
			t.Fatalf("document %s: %v", doc, err)
		}
		walkStrings(v, func(s string) {
			if clean, err := gongshi.CleanText("", s, gongshi.TextMultiline); err != nil || clean != strings.TrimSpace(s) {
				t.Errorf("published %q (document %s): %v", s, leaf.SHA256, err)
			}
		})
	}
}

func walkStrings(v any, fn func(string)) {
	switch x := v.(type) {
	case string:
		fn(x)
	case []any:
		for _, it := range x {
			walkStrings(it, fn)
		}
	case map[string]any:
		for k, it := range x {
			fn(k)
			walkStrings(it, fn)
		}
	}
}
