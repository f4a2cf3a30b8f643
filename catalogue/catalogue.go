// Package catalogue is gongshi's one message catalogue: the labels of the web pages and of
// the snapshots' spreadsheets, the names of enum codes, and the sentences of the service's
// errors, each in Chinese and English. The web pages, the snapshots and the errors
// (gongshi.Error.In) all read it, so that a Chinese reader sees Chinese everywhere and
// one place says how a thing is called.
//
// It imports nothing of gongshi: the domain package renders its errors with it.
package catalogue

import "strings"

// Lang is a language of the catalogue.
type Lang int

const (
	Chinese Lang = iota // the default: the register is Chinese
	English
)

// LangOf is the language of a language tag: English for "en…", else Chinese.
func LangOf(tag string) Lang {
	if strings.HasPrefix(tag, "en") {
		return English
	}
	return Chinese
}

// T is the message key in l; a key the catalogue lacks is itself (web's TestCatalogue
// checks every key used is here).
func T(l Lang, key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	return m[l]
}

// Entry is a message's Chinese and English.
func Entry(key string) ([2]string, bool) {
	m, ok := messages[key]
	return m, ok
}

// Enum names an enum code of a record's fields (natural_person, in_force, on_site …) in l;
// ok is false for a code it does not name.
func Enum(l Lang, code string) (string, bool) {
	m, ok := enumLabels[code]
	return m[l], ok
}

// KindEnum names an enum code of a field of kind in l, where that kind names it otherwise
// than Enum does (a refused credit repair is 不予信用修复, not the cases' 不予采纳).
func KindEnum(l Lang, kind, code string) (string, bool) {
	if m, ok := kindEnumLabels[kind+"."+code]; ok {
		return m[l], true
	}
	return Enum(l, code)
}

// EnumEntry is an enum code's Chinese and English names.
func EnumEntry(code string) ([2]string, bool) {
	m, ok := enumLabels[code]
	return m, ok
}

// KindEN is a record kind's English name; its Chinese one is the kind's label.
func KindEN(kind string) (string, bool) {
	s, ok := kindEN[kind]
	return s, ok
}

// FieldEN is a field's English name; its Chinese one is the field's label.
func FieldEN(field string) (string, bool) {
	s, ok := fieldEN[field]
	return s, ok
}
