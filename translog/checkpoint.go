package translog

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// DefaultOrigin is the checkpoint origin used when no name is given.
const DefaultOrigin = "gongshi.example/log"

// OriginFor derives a checkpoint origin from a name: the name with any "https://" or
// "http://" prefix and trailing slashes removed, followed by "/log" ("gongshi.sh.gov.cn"
// gives "gongshi.sh.gov.cn/log"); an empty name gives DefaultOrigin. The origin is also the
// note key name, so check it with ValidOrigin.
func OriginFor(name string) string {
	name = strings.TrimPrefix(strings.TrimPrefix(name, "https://"), "http://")
	name = strings.TrimRight(name, "/")
	if name == "" {
		return DefaultOrigin
	}
	return name + "/log"
}

// ValidOrigin reports whether origin can be a checkpoint origin line and a note key name:
// non-empty valid UTF-8 with no Unicode space, no '+' and no control character. The error
// wraps ErrBadOrigin.
func ValidOrigin(origin string) error {
	if origin == "" || !utf8.ValidString(origin) || strings.ContainsRune(origin, '+') ||
		strings.IndexFunc(origin, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return fmt.Errorf("%w: %q must be non-empty UTF-8 without spaces, control characters or '+'", ErrBadOrigin, origin)
	}
	return nil
}

// FormatCheckpoint returns the body of a C2SP tlog-checkpoint for tree: the origin line,
// the tree size in decimal and the root hash in standard base64, each ending in a newline,
// with no extension lines:
//
//	gongshi.example/log
//	1234
//	3qS8…=
func FormatCheckpoint(origin string, tree tlog.Tree) []byte {
	return fmt.Appendf(nil, "%s\n%d\n%s\n", origin, tree.N, base64.StdEncoding.EncodeToString(tree.Hash[:]))
}

// ParseCheckpointText parses a checkpoint body as FormatCheckpoint writes it. Extension
// lines after the root hash are allowed (C2SP tlog-checkpoint) and ignored, but each must be
// non-empty. The size must be decimal without sign or leading zeros. Errors wrap
// ErrMalformedCheckpoint, or ErrBadOrigin for an invalid origin line.
func ParseCheckpointText(text []byte) (origin string, tree tlog.Tree, err error) {
	if !bytes.HasSuffix(text, []byte("\n")) {
		return "", tlog.Tree{}, fmt.Errorf("%w: no final newline", ErrMalformedCheckpoint)
	}
	lines := strings.Split(string(text[:len(text)-1]), "\n")
	if len(lines) < 3 {
		return "", tlog.Tree{}, fmt.Errorf("%w: %d lines, want origin, size and root hash", ErrMalformedCheckpoint, len(lines))
	}
	for _, l := range lines[3:] {
		if l == "" {
			return "", tlog.Tree{}, fmt.Errorf("%w: empty extension line", ErrMalformedCheckpoint)
		}
	}
	origin = lines[0]
	if err := ValidOrigin(origin); err != nil {
		return "", tlog.Tree{}, fmt.Errorf("checkpoint: %w", err)
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || lines[1] != strconv.FormatInt(n, 10) {
		return "", tlog.Tree{}, fmt.Errorf("%w: size %q", ErrMalformedCheckpoint, lines[1])
	}
	h, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil || len(h) != tlog.HashSize {
		return "", tlog.Tree{}, fmt.Errorf("%w: root hash %q", ErrMalformedCheckpoint, lines[2])
	}
	tree.N = n
	copy(tree.Hash[:], h)
	return origin, tree, nil
}

// ParseCheckpoint opens a signed checkpoint note, requires a valid signature by one of the
// verifiers (the keys of one log: one name) and an origin line equal to their key name, and
// returns the origin and tree.
// Errors wrap ErrBadSignature (no valid signature by verifier: wraps note's
// UnverifiedNoteError or InvalidSignatureError), ErrMalformedCheckpoint (not a signed
// note, or a body ParseCheckpointText rejects) or ErrBadOrigin.
func ParseCheckpoint(signed []byte, verifiers ...note.Verifier) (origin string, tree tlog.Tree, err error) {
	if len(verifiers) == 0 {
		return "", tlog.Tree{}, fmt.Errorf("%w: no verifier key", ErrBadKey)
	}
	verifier := verifiers[0]
	n, err := note.Open(signed, note.VerifierList(verifiers...))
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		if errors.As(err, &unverified) || errors.As(err, &invalid) {
			return "", tlog.Tree{}, fmt.Errorf("%w: %w", ErrBadSignature, err)
		}
		return "", tlog.Tree{}, fmt.Errorf("%w: %w", ErrMalformedCheckpoint, err)
	}
	origin, tree, err = ParseCheckpointText([]byte(n.Text))
	if err != nil {
		return "", tlog.Tree{}, err
	}
	if origin != verifier.Name() {
		return "", tlog.Tree{}, fmt.Errorf("%w: checkpoint origin %q, key name %q", ErrBadOrigin, origin, verifier.Name())
	}
	return origin, tree, nil
}

// NewVerifier parses a note verifier key ("<name>+<hash>+<base64 key>"), as served at
// /log/key. The error wraps ErrBadKey.
func NewVerifier(vkey string) (note.Verifier, error) {
	v, err := note.NewVerifier(strings.TrimSpace(vkey))
	if err != nil {
		return nil, fmt.Errorf("%w: verifier key: %w", ErrBadKey, err)
	}
	return v, nil
}
