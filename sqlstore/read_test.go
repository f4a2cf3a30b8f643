package sqlstore

import (
	"reflect"
	"testing"

	"github.com/gongshi/gongshi"
)

func TestDocumentMember(t *testing.T) {
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
		var got []gongshi.Change
		err := documentMember([]byte(tt.doc), "changes", &got)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("documentMember(%s, changes) = %+v, %v; want %+v", tt.doc, got, err, tt.want)
		}
	}
	if err := documentMember([]byte(`[1]`), "changes", new(any)); err == nil {
		t.Error("documentMember of an array: no error")
	}
	// A provisional mark is read from the top level only, never from inside the fields.
	var p *gongshi.ProvisionalDates
	doc := `{"due":"2028-01-17","fields":{"provisional":{"year":1999,"dates":[]}},"provisional":{"dates":["due","fields.litigation_by"],"year":2028},"reason":"x"}`
	if err := documentMember([]byte(doc), "provisional", &p); err != nil || p == nil || p.Year != 2028 || !p.Has("fields.litigation_by") {
		t.Errorf("provisional: got %+v, %v; want year 2028 with fields.litigation_by", p, err)
	}
}
