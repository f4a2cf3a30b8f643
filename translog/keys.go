package translog

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// KeysFile, in the data folder, is the log's key list once a key was added (AddKey): the
// text served at /log/key. Without it the list is the one key of log-verifier.key.
const KeysFile = "log-keys.txt"

// Key is one entry of a log's key list: a note verifier key and when it signs checkpoints.
//
// A key list is text, one key a line: the note verifier key ("<origin>+<hash>+<base64>"),
// then optionally "from=<RFC 3339 UTC>" (the key signs from then) and "until=<RFC 3339
// UTC>" (it signs no checkpoint from then: it is retired), separated by single spaces:
//
//	gongshi.local/log+1a2b3c4d+AXb…= until=2026-12-20T08:00:00Z
//	gongshi.local/log+5e6f7a8b+AQc…= from=2026-12-02T08:00:00Z
//
// A log that never rotated its key serves a list of one line with the key alone. During a
// transition, checkpoints carry a signature by every key active then (a note holds several
// signatures), so a reader trusting the old key can check the new one signed a checkpoint
// it trusts before trusting it (Audit does so).
type Key struct {
	VKey        string
	Verifier    note.Verifier
	From, Until time.Time // zero: no bound
}

// Active reports whether the key signs checkpoints at t.
func (k Key) Active(t time.Time) bool {
	return (k.From.IsZero() || !t.Before(k.From)) && (k.Until.IsZero() || t.Before(k.Until))
}

// Hash returns the key's hash as the verifier key spells it (8 hexadecimal digits).
func (k Key) Hash() string { return fmt.Sprintf("%08x", k.Verifier.KeyHash()) }

// String returns the key's line in a key list.
func (k Key) String() string {
	s := k.VKey
	if !k.From.IsZero() {
		s += " from=" + k.From.UTC().Format(time.RFC3339)
	}
	if !k.Until.IsZero() {
		s += " until=" + k.Until.UTC().Format(time.RFC3339)
	}
	return s
}

// FormatKeyList returns the key list text of keys, each line ending in a newline.
func FormatKeyList(keys []Key) string {
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// ParseKeyList parses a key list (see Key). Every key must have the same name, the log's
// origin, and appear once. Errors wrap ErrBadKey.
func ParseKeyList(text string) ([]Key, error) {
	var keys []Key
	seen := map[string]bool{}
	for i, line := range strings.Split(strings.TrimSpace(text), "\n") {
		fields := strings.Split(strings.TrimSpace(line), " ")
		v, err := NewVerifier(fields[0])
		if err != nil {
			return nil, fmt.Errorf("key list line %d: %w", i+1, err)
		}
		k := Key{VKey: fields[0], Verifier: v}
		for _, f := range fields[1:] {
			name, val, _ := strings.Cut(f, "=")
			t, err := time.Parse(time.RFC3339, val)
			switch {
			case err != nil || (name != "from" && name != "until"):
				return nil, fmt.Errorf("%w: key list line %d: %q is not from=TIME or until=TIME (RFC 3339)", ErrBadKey, i+1, f)
			case name == "from":
				k.From = t
			default:
				k.Until = t
			}
		}
		if len(keys) > 0 && v.Name() != keys[0].Verifier.Name() {
			return nil, fmt.Errorf("%w: key list line %d: key %q, the log is %q", ErrBadKey, i+1, v.Name(), keys[0].Verifier.Name())
		}
		if seen[k.VKey] {
			return nil, fmt.Errorf("%w: key list line %d: key listed twice", ErrBadKey, i+1)
		}
		seen[k.VKey] = true
		keys = append(keys, k)
	}
	return keys, nil
}

// Verifiers returns the verifiers of keys.
func Verifiers(keys []Key) []note.Verifier {
	vs := make([]note.Verifier, len(keys))
	for i, k := range keys {
		vs[i] = k.Verifier
	}
	return vs
}

// signingKeyFile is the file of an added signing key, named by its hash.
func signingKeyFile(dir, hash string) string {
	return filepath.Join(dir, "log-signing-"+hash+".key")
}

// readKeyList returns the data folder's key list: KeysFile, or the one key vkey.
func readKeyList(dir, vkey string) ([]Key, error) {
	b, err := os.ReadFile(filepath.Join(dir, KeysFile))
	if errors.Is(err, fs.ErrNotExist) {
		return ParseKeyList(vkey)
	}
	if err != nil {
		return nil, err
	}
	keys, err := ParseKeyList(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", KeysFile, err)
	}
	return keys, nil
}

// AddKey makes a new signing key for the log in the data folder dir (whose first key
// LoadOrCreateKey made) and lists it in KeysFile as signing from now. The log signs with
// it, beside the keys active already, from its next start. It returns the new key.
func AddKey(dir string, now time.Time) (Key, error) {
	s, err := loadPrimary(dir)
	if err != nil {
		return Key{}, err
	}
	keys, err := readKeyList(dir, s.vkey)
	if err != nil {
		return Key{}, err
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, s.Origin())
	if err != nil {
		return Key{}, err
	}
	v, err := NewVerifier(vkey)
	if err != nil {
		return Key{}, err
	}
	k := Key{VKey: vkey, Verifier: v, From: now.UTC().Truncate(time.Second)}
	if err := WriteFileAtomic(signingKeyFile(dir, k.Hash()), []byte(skey+"\n"), 0o600); err != nil {
		return Key{}, fmt.Errorf("translog: write signing key: %w", err)
	}
	keys = append(keys, k)
	if err := WriteFileAtomic(filepath.Join(dir, KeysFile), []byte(FormatKeyList(keys)), 0o644); err != nil {
		return Key{}, fmt.Errorf("translog: write key list: %w", err)
	}
	return k, nil
}

// RetireKey marks the key whose hash (8 hex digits) or verifier key is which as signing
// nothing from now, in KeysFile. Retiring the last active key is refused.
func RetireKey(dir, which string, now time.Time) (Key, error) {
	s, err := loadPrimary(dir)
	if err != nil {
		return Key{}, err
	}
	keys, err := readKeyList(dir, s.vkey)
	if err != nil {
		return Key{}, err
	}
	now = now.UTC().Truncate(time.Second)
	found, active := -1, 0
	for i, k := range keys {
		if k.Hash() == which || k.VKey == which {
			found = i
		} else if k.Active(now) || k.From.After(now) {
			active++
		}
	}
	switch {
	case found < 0:
		return Key{}, fmt.Errorf("%w: no key %q in the key list (gongshi admin key list)", ErrBadKey, which)
	case !keys[found].Until.IsZero():
		return Key{}, fmt.Errorf("%w: key %s was retired at %s", ErrBadKey, which, keys[found].Until.Format(time.RFC3339))
	case active == 0:
		return Key{}, fmt.Errorf("%w: key %s is the log's only active key; add another first (gongshi admin key add)", ErrBadKey, which)
	}
	keys[found].Until = now
	if err := WriteFileAtomic(filepath.Join(dir, KeysFile), []byte(FormatKeyList(keys)), 0o644); err != nil {
		return Key{}, fmt.Errorf("translog: write key list: %w", err)
	}
	return keys[found], nil
}

// ListKeys returns the key list of the data folder dir.
func ListKeys(dir string) ([]Key, error) {
	s, err := loadPrimary(dir)
	if err != nil {
		return nil, err
	}
	return readKeyList(dir, s.vkey)
}
