package translog

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Key file names in the data folder.
const (
	SigningKeyFile  = "log-signing.key"  // note signer key, mode 0600; never served
	VerifierKeyFile = "log-verifier.key" // note verifier key, the text served at /log/key
)

// Signer signs checkpoints with a note Ed25519 key whose name is the log's origin, or,
// once keys were added (AddKey), with every key of the log's key list active at load.
type Signer struct {
	signer   note.Signer
	verifier note.Verifier
	vkey     string
	keys     []Key         // the key list; nil: the one key
	signers  []note.Signer // the keys that sign; nil: signer
}

// NewSigner returns a Signer for a note signer key as note.GenerateKey makes it
// ("PRIVATE+KEY+<name>+<hash>+<base64>"). The key name is the checkpoint origin and must
// pass ValidOrigin. Errors wrap ErrBadKey or ErrBadOrigin.
func NewSigner(skey string) (*Signer, error) {
	skey = strings.TrimSpace(skey)
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("%w: signing key does not parse: %w", ErrBadKey, err)
	}
	if err := ValidOrigin(s.Name()); err != nil {
		return nil, fmt.Errorf("signing key name: %w", err)
	}
	// The encoded key is "PRIVATE+KEY+name+hash+base64(0x01 || ed25519 seed)"; note has no
	// function deriving the verifier key, so derive it from the seed.
	// Names cannot contain '+', but base64 can.
	fields := strings.SplitN(skey, "+", 5)
	raw, err := base64.StdEncoding.DecodeString(fields[len(fields)-1])
	if err != nil || len(fields) != 5 || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return nil, fmt.Errorf("%w: signing key is not an Ed25519 note key", ErrBadKey)
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(s.Name(), pub)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadKey, err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil || v.KeyHash() != s.KeyHash() {
		return nil, fmt.Errorf("%w: signing key hash does not match its key", ErrBadKey)
	}
	return &Signer{signer: s, verifier: v, vkey: vkey}, nil
}

// LoadOrCreateKey returns the Signer whose key is in dir/log-signing.key, creating the key
// (note.GenerateKey with origin as its name, file mode 0600, created exclusively) if the
// file does not exist, and writing dir/log-verifier.key (mode 0644) if it is missing. An
// existing key named other than origin is an error wrapping ErrBadOrigin: the origin of a
// log never changes. Other errors are the file system's or NewSigner's.
func LoadOrCreateKey(dir, origin string) (*Signer, error) {
	if err := ValidOrigin(origin); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, SigningKeyFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		data, err = createKey(path, origin)
	}
	if err != nil {
		return nil, fmt.Errorf("translog: log signing key: %w", err)
	}
	s, err := NewSigner(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if s.Origin() != origin {
		return nil, fmt.Errorf("%w: %s is for origin %q, configured origin is %q", ErrBadOrigin, path, s.Origin(), origin)
	}
	vpath := filepath.Join(dir, VerifierKeyFile)
	if _, err := os.Stat(vpath); errors.Is(err, fs.ErrNotExist) {
		if err := os.WriteFile(vpath, []byte(s.vkey+"\n"), 0o644); err != nil {
			return nil, fmt.Errorf("translog: write verifier key: %w", err)
		}
	}
	if err := s.loadKeyList(dir, time.Now()); err != nil {
		return nil, err
	}
	return s, nil
}

// loadPrimary returns the Signer of the data folder's first key, log-signing.key.
func loadPrimary(dir string) (*Signer, error) {
	path := filepath.Join(dir, SigningKeyFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("translog: log signing key: %w", err)
	}
	s, err := NewSigner(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// loadKeyList loads the data folder's KeysFile, if there is one, and the signing key of
// every key active at now.
func (s *Signer) loadKeyList(dir string, now time.Time) error {
	if _, err := os.Stat(filepath.Join(dir, KeysFile)); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	keys, err := readKeyList(dir, s.vkey)
	if err != nil {
		return fmt.Errorf("translog: %w", err)
	}
	s.keys, s.signers = keys, nil
	for _, k := range keys {
		if !k.Active(now) {
			continue
		}
		if k.VKey == s.vkey {
			s.signers = append(s.signers, s.signer)
			continue
		}
		path := signingKeyFile(dir, k.Hash())
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("translog: signing key of %s: %w", k.VKey, err)
		}
		ks, err := NewSigner(string(b))
		if err != nil || ks.vkey != k.VKey {
			return fmt.Errorf("%w: %s is not the signing key of %s", ErrBadKey, path, k.VKey)
		}
		s.signers = append(s.signers, ks.signer)
	}
	if len(s.signers) == 0 {
		return fmt.Errorf("%w: no key of %s is active now; add one (gongshi admin key add)", ErrBadKey, KeysFile)
	}
	return nil
}

// createKey writes a new key to path, or returns the key another process wrote first.
func createKey(path, origin string) ([]byte, error) {
	skey, _, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString(skey + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return []byte(skey), nil
}

// Origin returns the checkpoint origin, the key's name.
func (s *Signer) Origin() string { return s.signer.Name() }

// VerifierKey returns the text served at /log/key: the note verifier key
// ("<origin>+<hash>+<base64 key>"), or the key list once keys were added (see Key).
func (s *Signer) VerifierKey() string {
	if s.keys == nil {
		return s.vkey
	}
	return strings.TrimSuffix(FormatKeyList(s.keys), "\n")
}

// Verifier returns the note verifier of the log's first key.
func (s *Signer) Verifier() note.Verifier { return s.verifier }

// Verifiers returns the verifiers of every key of the log, retired ones included.
func (s *Signer) Verifiers() []note.Verifier {
	if s.keys == nil {
		return []note.Verifier{s.verifier}
	}
	return Verifiers(s.keys)
}

// Sign returns the signed checkpoint note for tree: FormatCheckpoint's body followed by a
// blank line and one Ed25519 signature line (C2SP signed-note) per signing key.
func (s *Signer) Sign(tree tlog.Tree) ([]byte, error) {
	if tree.N < 0 {
		return nil, fmt.Errorf("translog: sign checkpoint: negative tree size %d", tree.N)
	}
	signers := s.signers
	if signers == nil {
		signers = []note.Signer{s.signer}
	}
	signed, err := note.Sign(&note.Note{Text: string(FormatCheckpoint(s.Origin(), tree))}, signers...)
	if err != nil {
		return nil, fmt.Errorf("translog: sign checkpoint: %w", err)
	}
	return signed, nil
}
