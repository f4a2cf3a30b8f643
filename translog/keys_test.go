package translog

import (
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// TestKeyRotation: AddKey, RetireKey and the Signer that loads the list sign and verify
// as Key says; a list that does not parse is refused.
func TestKeyRotation(t *testing.T) {
	dir := t.TempDir()
	first, err := LoadOrCreateKey(dir, "gongshi.test/log")
	if err != nil {
		t.Fatal(err)
	}
	if got := first.VerifierKey(); strings.Contains(got, "\n") || strings.Contains(got, " ") {
		t.Errorf("a log that never rotated: key list %q, want its one key alone", got)
	}
	t0 := time.Now().Add(-time.Minute)
	added, err := AddKey(dir, t0)
	if err != nil {
		t.Fatal(err)
	}
	both, err := LoadOrCreateKey(dir, "gongshi.test/log")
	if err != nil {
		t.Fatal(err)
	}
	signed, err := both.Sign(tlog.Tree{N: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range both.Verifiers() {
		if _, _, err := ParseCheckpoint(signed, v); err != nil {
			t.Errorf("transition checkpoint does not verify with %s: %v", v.Name(), err)
		}
	}
	if _, err := RetireKey(dir, added.Hash(), time.Now()); err != nil {
		t.Fatalf("retire the new key while the first is active: %v", err)
	}
	if _, err := RetireKey(dir, first.Verifier().Name()+"+nothing", time.Now()); !errors.Is(err, ErrBadKey) {
		t.Errorf("retire an unknown key: got %v, want ErrBadKey", err)
	}
	keys, _ := ListKeys(dir)
	if _, err := RetireKey(dir, keys[0].Hash(), time.Now()); !errors.Is(err, ErrBadKey) || !strings.Contains(err.Error(), "only active key") {
		t.Errorf("retire the last active key: got %v, want a refusal", err)
	}
	for _, bad := range []string{"", "not a key", keys[0].VKey + " since=2026-01-01T00:00:00Z", keys[0].VKey + "\n" + keys[0].VKey} {
		if _, err := ParseKeyList(bad); !errors.Is(err, ErrBadKey) {
			t.Errorf("ParseKeyList(%q) = %v, want ErrBadKey", bad, err)
		}
	}
	// Audit follows: trusting the first key, the list announces the second, which also
	// signed the checkpoint; then the first is retired.
	list := FormatKeyList([]Key{keys[0], {VKey: added.VKey, Verifier: added.Verifier}})
	got, err := followKeys(signed, keys[:1], list, time.Now())
	if err != nil || got != keys[0].VKey+"\n"+added.VKey {
		t.Errorf("followKeys during the transition = %q, %v; want both keys", got, err)
	}
	retired := keys[0]
	retired.Until = time.Now().Add(-time.Second)
	list = FormatKeyList([]Key{retired, {VKey: added.VKey, Verifier: added.Verifier}})
	if got, _ := followKeys(signed, []Key{keys[0], {VKey: added.VKey, Verifier: added.Verifier}}, list, time.Now()); got != added.VKey {
		t.Errorf("followKeys after retirement = %q, want the new key alone", got)
	}
}
