package translog

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// Cosignatures (C2SP tlog-cosignature, Ed25519, cosignature/v1): a witness's note signature
// on a checkpoint, a timestamped statement that the checkpoint is the largest consistent one
// the witness has seen of the log. The signature line is
//
//	— <witness name> base64(key ID || u64 timestamp || Ed25519 signature)
//
// with key ID = SHA-256(name || "\n" || 0x04 || public key)[:4], and the Ed25519 signature
// over "cosignature/v1\ntime <timestamp>\n" followed by the checkpoint body. A witness key is
// written as note keys are, with algorithm byte 0x04: the verifier key is
// "<name>+<key ID hex>+base64(0x04 || public key)", the signing key
// "PRIVATE+KEY+<name>+<key ID hex>+base64(0x04 || seed)".

const algCosignatureV1 = 0x04

// cosignKeyID returns the key ID of an Ed25519 cosigner.
func cosignKeyID(name string, pub ed25519.PublicKey) uint32 {
	h := sha256.Sum256(append(append([]byte(name+"\n"), algCosignatureV1), pub...))
	return binary.BigEndian.Uint32(h[:4])
}

// cosignedMessage is the message a cosignature signs.
func cosignedMessage(ts uint64, body []byte) []byte {
	return append([]byte("cosignature/v1\ntime "+strconv.FormatUint(ts, 10)+"\n"), body...)
}

// Cosigner makes cosignatures; it is a note.Signer.
type Cosigner struct {
	name string
	id   uint32
	priv ed25519.PrivateKey
	vkey string
	// Now is the clock of the timestamps; nil means time.Now.
	Now func() time.Time
}

// Name implements note.Signer.
func (c *Cosigner) Name() string { return c.name }

// KeyHash implements note.Signer.
func (c *Cosigner) KeyHash() uint32 { return c.id }

// Sign implements note.Signer: the timestamped signature of msg, a checkpoint body.
func (c *Cosigner) Sign(msg []byte) ([]byte, error) {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	ts := uint64(now().Unix())
	sig := binary.BigEndian.AppendUint64(nil, ts)
	return append(sig, ed25519.Sign(c.priv, cosignedMessage(ts, msg))...), nil
}

// VerifierKey returns the cosigner's verifier key.
func (c *Cosigner) VerifierKey() string { return c.vkey }

// cosignVerifier checks cosignatures; it is a note.Verifier.
type cosignVerifier struct {
	name string
	id   uint32
	pub  ed25519.PublicKey
}

func (v *cosignVerifier) Name() string    { return v.name }
func (v *cosignVerifier) KeyHash() uint32 { return v.id }
func (v *cosignVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	ts := binary.BigEndian.Uint64(sig)
	return ts < 1<<63 && ed25519.Verify(v.pub, cosignedMessage(ts, msg), sig[8:])
}

// NewCosignatureVerifier parses a witness verifier key. The error wraps ErrBadKey.
func NewCosignatureVerifier(vkey string) (note.Verifier, error) {
	name, id, key, err := splitKey(strings.TrimSpace(vkey), "")
	if err != nil {
		return nil, err
	}
	if len(key) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: witness key %q: not an Ed25519 key", ErrBadKey, vkey)
	}
	pub := ed25519.PublicKey(key)
	if cosignKeyID(name, pub) != id {
		return nil, fmt.Errorf("%w: witness key %q: key ID does not match", ErrBadKey, vkey)
	}
	return &cosignVerifier{name: name, id: id, pub: pub}, nil
}

// splitKey parses "<prefix><name>+<hex id>+base64(0x04 || key)".
func splitKey(s, prefix string) (name string, id uint32, key []byte, err error) {
	bad := fmt.Errorf("%w: %q is not a witness key (<name>+<id>+<base64>)", ErrBadKey, s)
	if !strings.HasPrefix(s, prefix) {
		return "", 0, nil, bad
	}
	f := strings.SplitN(strings.TrimPrefix(s, prefix), "+", 3)
	if len(f) != 3 || ValidOrigin(f[0]) != nil || len(f[1]) != 8 {
		return "", 0, nil, bad
	}
	n, err := strconv.ParseUint(f[1], 16, 32)
	if err != nil {
		return "", 0, nil, bad
	}
	raw, err := base64.StdEncoding.DecodeString(f[2])
	if err != nil || len(raw) < 1 || raw[0] != algCosignatureV1 {
		return "", 0, nil, bad
	}
	return f[0], uint32(n), raw[1:], nil
}

// WitnessKeyFile, in the data folder, is the node's witness signing key (mode 0600).
const WitnessKeyFile = "witness-signing.key"

// LoadOrCreateCosigner returns the Cosigner whose key is in path, creating it (named name)
// if the file does not exist. An existing key of another name is an error wrapping ErrBadKey.
func LoadOrCreateCosigner(path, name string) (*Cosigner, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		seed := make([]byte, ed25519.SeedSize)
		rand.Read(seed)
		pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
		skey := fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s\n", name, cosignKeyID(name, pub),
			base64.StdEncoding.EncodeToString(append([]byte{algCosignatureV1}, seed...)))
		if err := WriteFileAtomic(path, []byte(skey), 0o600); err != nil {
			return nil, fmt.Errorf("translog: witness key: %w", err)
		}
		b = []byte(skey)
	} else if err != nil {
		return nil, fmt.Errorf("translog: witness key: %w", err)
	}
	kname, id, seed, err := splitKey(strings.TrimSpace(string(b)), "PRIVATE+KEY+")
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("%w: %s is not a witness signing key", ErrBadKey, path)
	}
	if kname != name {
		return nil, fmt.Errorf("%w: %s is the key of witness %q, not %q", ErrBadKey, path, kname, name)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	pub := priv.Public().(ed25519.PublicKey)
	if cosignKeyID(name, pub) != id {
		return nil, fmt.Errorf("%w: %s: key ID does not match", ErrBadKey, path)
	}
	vkey := fmt.Sprintf("%s+%08x+%s", name, id, base64.StdEncoding.EncodeToString(append([]byte{algCosignatureV1}, pub...)))
	return &Cosigner{name: name, id: id, priv: priv, vkey: vkey}, nil
}

// WitnessName is the witness name of the node whose log has origin: the origin with its
// final "/log" replaced by "/witness" ("gongshi.sh.gov.cn/log" → "gongshi.sh.gov.cn/witness").
func WitnessName(origin string) string {
	return strings.TrimSuffix(origin, "/log") + "/witness"
}
