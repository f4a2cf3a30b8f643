package gongshi

import (
	"fmt"
	"reflect"

	"github.com/gongshi/gongshi/calendar"
)

// CheckDocumentScan reports whether scanDocument read doc, and an error if it read it
// otherwise than decodeDocument (encoding/json) does.
func CheckDocumentScan(doc []byte) (scanned bool, err error) {
	got, ok := scanDocument(doc)
	if !ok {
		return false, nil
	}
	want, err := decodeDocument(doc)
	if err != nil {
		return true, fmt.Errorf("the scan reads %s, the decoder refuses it: %v", doc, err)
	}
	if !reflect.DeepEqual(got, want) {
		return true, fmt.Errorf("%s: the scan reads %#v, the decoder %#v", doc, got, want)
	}
	return true, nil
}

// CheckPrivateScan reports an error if readPrivate reads b otherwise than the decoder.
func CheckPrivateScan(b []byte) error {
	got, err1 := readPrivate(b)
	want, err2 := decodePrivate(b)
	if (err1 == nil) != (err2 == nil) || !reflect.DeepEqual(got, want) {
		return fmt.Errorf("%s: the scan reads %#v (%v), the decoder %#v (%v)", b, got, err1, want, err2)
	}
	return nil
}

// OnInPlace is PageRow.onInPlace, for the tests.
func (r *PageRow) OnInPlace(day calendar.Date) []byte { return r.onInPlace(day) }

// PublishedAt is when a logged version was published (as-of reads by date).
var PublishedAt = publishedAt
