package translog

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func TestSignAndParseCheckpoint(t *testing.T) {
	dir := t.TempDir()
	s, err := LoadOrCreateKey(dir, "gongshi.test/log")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, SigningKeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("signing key file mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	vk, err := os.ReadFile(filepath.Join(dir, VerifierKeyFile))
	if err != nil || strings.TrimSpace(string(vk)) != s.VerifierKey() {
		t.Fatalf("verifier key file = %q, %v; want %q", vk, err, s.VerifierKey())
	}
	again, err := LoadOrCreateKey(dir, "gongshi.test/log")
	if err != nil || again.VerifierKey() != s.VerifierKey() {
		t.Fatalf("reloaded key %q, %v; want %q", again.VerifierKey(), err, s.VerifierKey())
	}
	if _, err := LoadOrCreateKey(dir, "other.test/log"); !errors.Is(err, ErrBadOrigin) {
		t.Errorf("LoadOrCreateKey with another origin: got %v, want ErrBadOrigin", err)
	}

	tree := tlog.Tree{N: 1234, Hash: tlog.RecordHash([]byte("x"))}
	signed, err := s.Sign(tree)
	if err != nil {
		t.Fatal(err)
	}
	body := "gongshi.test/log\n1234\n" + tree.Hash.String() + "\n\n"
	if !strings.HasPrefix(string(signed), body) || !strings.HasPrefix(string(signed[len(body):]), "— gongshi.test/log ") {
		t.Errorf("signed checkpoint =\n%s", signed)
	}
	origin, got, err := ParseCheckpoint(signed, s.Verifier())
	if err != nil || origin != "gongshi.test/log" || got != tree {
		t.Errorf("ParseCheckpoint = %q, %v, %v; want %q, %v", origin, got, err, "gongshi.test/log", tree)
	}

	other, _ := LoadOrCreateKey(t.TempDir(), "gongshi.test/log")
	if _, _, err := ParseCheckpoint(signed, other.Verifier()); !errors.Is(err, ErrBadSignature) {
		t.Errorf("ParseCheckpoint with another key: got %v, want ErrBadSignature", err)
	}
	tampered := bytes.Replace(signed, []byte("1234"), []byte("1235"), 1)
	if _, _, err := ParseCheckpoint(tampered, s.Verifier()); !errors.Is(err, ErrBadSignature) {
		t.Errorf("ParseCheckpoint of tampered note: got %v, want ErrBadSignature", err)
	}
	if _, _, err := ParseCheckpoint([]byte("garbage"), s.Verifier()); !errors.Is(err, ErrMalformedCheckpoint) {
		t.Errorf("ParseCheckpoint(garbage): got %v, want ErrMalformedCheckpoint", err)
	}
}

func TestParseCheckpointText(t *testing.T) {
	root := tlog.RecordHash(nil).String()
	for _, c := range []struct {
		text string
		ok   bool
	}{
		{"o\n5\n" + root + "\n", true},
		{"o\n5\n" + root + "\next\n", true},
		{"o\n5\n" + root, false},
		{"o\n05\n" + root + "\n", false},
		{"o\n-5\n" + root + "\n", false},
		{"o\n+5\n" + root + "\n", false},
		{"o\n5\n" + root[:20] + "\n", false},
		{"o\n5\n" + root + "\n\n", false},
		{"\n5\n" + root + "\n", false},
		{"o o\n5\n" + root + "\n", false},
		{"o\n5\n", false},
	} {
		_, _, err := ParseCheckpointText([]byte(c.text))
		if (err == nil) != c.ok {
			t.Errorf("ParseCheckpointText(%q): got error %v, want ok=%v", c.text, err, c.ok)
		}
	}
}

func TestOrigin(t *testing.T) {
	for in, want := range map[string]string{"": DefaultOrigin, "https://gongshi.sh.gov.cn/": "gongshi.sh.gov.cn/log", "example.org": "example.org/log"} {
		if got := OriginFor(in); got != want {
			t.Errorf("OriginFor(%q) = %q, want %q", in, got, want)
		}
	}
	for _, bad := range []string{"", "a b", "a+b", "a\x00"} {
		if err := ValidOrigin(bad); !errors.Is(err, ErrBadOrigin) {
			t.Errorf("ValidOrigin(%q) = %v, want ErrBadOrigin", bad, err)
		}
	}
}

func TestCheckpointer(t *testing.T) {
	ctx := context.Background()
	m := NewMemStore()
	s, _ := LoadOrCreateKey(t.TempDir(), "gongshi.test/log")
	cp := NewCheckpointer(m, s)
	first, err := cp.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, tree, err := ParseCheckpoint(first, s.Verifier()); err != nil || tree.N != 0 || tree.Hash != emptyRoot {
		t.Errorf("first checkpoint tree %v, %v; want the empty tree", tree, err)
	}
	m.Append(ctx, testLeaves(0, 300))
	signed, err := cp.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, tree, _ := ParseCheckpoint(signed, s.Verifier())
	want, _ := tlog.TreeHash(300, HashReader(ctx, m))
	if tree.N != 300 || tree.Hash != want {
		t.Errorf("checkpoint tree %v, want {300 %v}", tree, want)
	}
	if again, _ := cp.Checkpoint(ctx); !bytes.Equal(again, signed) {
		t.Errorf("Checkpoint without growth signed a new note")
	}
	// Run signs growth within its interval and once more when stopped.
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- cp.Run(runCtx, 10e6, func(err error) { t.Error(err) }) }()
	m.Append(ctx, testLeaves(300, 5))
	for {
		latest, _ := m.LatestCheckpoint(ctx)
		if _, tree, _ := ParseCheckpoint(latest, s.Verifier()); tree.N == 305 {
			break
		}
	}
	m.Append(ctx, testLeaves(305, 1))
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	latest, _ := m.LatestCheckpoint(ctx)
	if _, tree, _ := ParseCheckpoint(latest, s.Verifier()); tree.N != 306 {
		t.Errorf("after Run stopped: checkpoint size %d, want 306", tree.N)
	}
}

func FuzzParseCheckpoint(f *testing.F) {
	skey, vkey, _ := note.GenerateKey(nil, "gongshi.test/log")
	s, _ := NewSigner(skey)
	v, _ := NewVerifier(vkey)
	good, _ := s.Sign(tlog.Tree{N: 7, Hash: tlog.RecordHash(nil)})
	f.Add(good)
	f.Add([]byte("gongshi.test/log\n7\nAAAA\n\n— gongshi.test/log AAAA\n"))
	f.Add([]byte("o\n7\n" + tlog.RecordHash(nil).String() + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if origin, tree, err := ParseCheckpoint(data, v); err == nil && (origin != "gongshi.test/log" || tree.N < 0) {
			t.Fatalf("ParseCheckpoint(%q) = %q, %v", data, origin, tree)
		}
		origin, tree, err := ParseCheckpointText(data)
		if err != nil {
			return
		}
		if bytes.Count(data, []byte("\n")) == 3 && !bytes.Equal(FormatCheckpoint(origin, tree), data) {
			t.Fatalf("ParseCheckpointText accepted %q, which formats back as %q", data, FormatCheckpoint(origin, tree))
		}
	})
}
