package web

import (
	"regexp"
	"testing"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/catalogue"
)

// TestEnumLabels checks that every code a kind's enum fields may hold has a label in both
// languages, so that no page shows a raw code such as in_force.
func TestEnumLabels(t *testing.T) {
	code := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	var walk func(kind string, fs []gongshi.Field)
	walk = func(kind string, fs []gongshi.Field) {
		for _, f := range fs {
			for _, e := range f.Enum {
				if m, ok := catalogue.EnumEntry(e); code.MatchString(e) && (!ok || m[0] == "" || m[1] == "") {
					t.Errorf("%s.%s: code %q has no label in enumLabels", kind, f.Name, e)
				}
			}
			walk(kind, f.Fields)
		}
	}
	for _, k := range gongshi.Kinds() {
		walk(k.Name, k.Fields)
	}
	for _, s := range []string{gongshi.CreditClear, gongshi.CreditListed, gongshi.CreditInvalid, gongshi.CreditNotFound} {
		if _, ok := catalogue.EnumEntry(s); !ok {
			t.Errorf("credit status %q has no label", s)
		}
	}
}
