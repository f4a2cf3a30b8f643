package sqlstore

import (
	"reflect"
	"testing"

	"github.com/gongshi/gongshi"
)

func TestDocumentChanges(t *testing.T) {
	for _, tt := range []struct {
		doc  string
		want []gongshi.Change
	}{
		{`{"arose":"2026-06-25","changes":[{"after":"3000","before":"5000","field":"fine","label":"罚款"}],"due":"2026-07-23","fields":{"changes":[]},"previous":"ab"}`,
			[]gongshi.Change{{Field: "fine", Label: "罚款", Before: "5000", After: "3000"}}},
		{`{"changes":[{"after":{"salted_sha256":"cd"},"before":null,"field":"id_number","label":"证件号码"}],"fields":{}}`,
			[]gongshi.Change{{Field: "id_number", Label: "证件号码", After: map[string]any{"salted_sha256": "cd"}}}},
		{`{"arose":"2026-06-25","due":"2026-07-23","fields":{"changes":[{"field":"x"}]}}`, nil},
		{`{}`, nil},
	} {
		got, err := documentChanges([]byte(tt.doc))
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("documentChanges(%s) = %+v, %v; want %+v", tt.doc, got, err, tt.want)
		}
	}
	if _, err := documentChanges([]byte(`[1]`)); err == nil {
		t.Error("documentChanges of an array: no error")
	}
}
