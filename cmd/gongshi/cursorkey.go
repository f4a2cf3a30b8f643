package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// CursorKeyFile holds the secret the register's page cursors are sealed with
// (gongshi.Service.CursorKey): 32 random bytes in lowercase hex and a newline, mode 0600,
// made on first use and never served. Servers of one register share it as they share the
// log's signing key, so that a cursor one gave another accepts.
const CursorKeyFile = "cursor.key"

// WatchKeyFile holds the AES-256 key the watches' webhook secrets are sealed with in the
// database (gongshi.Config.WatchKey), so that a copy of the database reveals none; made
// and kept like the cursor key. Losing it stops the watches' deliveries (their secrets no
// longer open): keep it with the other keys.
const WatchKeyFile = "watch.key"

// loadOrCreateCursorKey returns the key in dir/cursor.key, creating the file (exclusively,
// so that of two processes starting at once both use the first one's key) if it is missing.
func loadOrCreateCursorKey(dir string) ([]byte, error) {
	return loadOrCreateKey(dir, CursorKeyFile, "cursor key")
}

// loadOrCreateKey returns the 32-byte key in dir/name, creating it as CursorKeyFile says.
func loadOrCreateKey(dir, name, what string) ([]byte, error) {
	path := filepath.Join(dir, name)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		data, err = createKeyFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("%s %s: want 64 hex digits", what, path)
	}
	return key, nil
}

func createKeyFile(path string) ([]byte, error) {
	key := make([]byte, 32)
	rand.Read(key)
	text := []byte(hex.EncodeToString(key) + "\n")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	_, err = f.Write(text)
	if err == nil {
		err = f.Sync()
	}
	return text, errors.Join(err, f.Close())
}
