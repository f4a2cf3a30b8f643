// Package gongshi holds the domain of the Enterprise Credit Information Publicity System
// (企业信用信息公示系统): enterprises, their published records and every version of them,
// accounts and their authority, and the interfaces the storage and HTTP layers implement.
//
// Article numbers refer to the Interim Regulations on Enterprise Information Disclosure
// (企业信息公示暂行条例, State Council Decree No. 654); see SPEC.md.
package gongshi

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gongshi/gongshi/catalogue"
)

// Error codes. They are translated to HTTP statuses and CLI messages only at the edges.
const (
	EINVALID      = "invalid"      // the input is wrong; Field and Fix say where and how to mend it
	ENOTFOUND     = "not_found"    // no such enterprise, record, document …
	ECONFLICT     = "conflict"     // the change contradicts the current state (a second report, a stale version)
	EUNAUTHORIZED = "unauthorized" // no or an unknown credential
	EFORBIDDEN    = "forbidden"    // authenticated, but outside the caller's role or jurisdiction
	EGONE         = "gone"         // withdrawn from public view; the log entry stays
	EUNAVAILABLE  = "unavailable"  // temporarily unable (shutting down, read-only replica)
	EINTERNAL     = "internal"     // a fault of ours
)

// Error is gongshi's error value. Message is written for the person who sent the input;
// Field names the offending input (a JSON path such as "legal_representative.name")
// and Fix says what to do about it.
type Error struct {
	Code    string
	Field   string
	Message string
	Fix     string
}

func (e *Error) Error() string {
	s := e.Message
	if e.Field != "" {
		s = e.Field + ": " + s
	}
	if e.Fix != "" {
		s += " (" + e.Fix + ")"
	}
	return s
}

// In is the error in language l: its message and fix from the message catalogue
// (catalogue.Sentence, keyed by the English formats they are made from, with their
// parameters in place). ok is false when the catalogue lacks the message or the fix in l;
// then both are the English.
func (e *Error) In(l catalogue.Lang) (message, fix string, ok bool) {
	m, mok := catalogue.Sentence(l, e.Message)
	f, fok := catalogue.Sentence(l, e.Fix)
	if !mok || !fok {
		return e.Message, e.Fix, false
	}
	return m, f, true
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error about field, saying what is wrong and how to fix it.
func Invalid(field, message, fix string) *Error {
	return &Error{Code: EINVALID, Field: field, Message: message, Fix: fix}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any
// other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// AsError returns the first *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// withArticle puts "a" or "an" before a word, as its first letter sounds: "a regulator",
// "an enterprise", "an admin". Messages name roles and kinds with it.
func withArticle(word string) string {
	if word != "" && strings.ContainsRune("aeiouAEIOU", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}
