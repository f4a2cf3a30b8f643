package gongshi

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// A watch's HMAC secret must stay the account's and the server's: whoever has it can sign
// deliveries its receiver will believe. So the store keeps it sealed with AES-256-GCM under
// the watch key (gongshi serve keeps it in the data folder's watch.key, beside the cursor
// key, never in the database), bound to the watch's id: a copy of the database, a backup or
// a replica reveals no secret, and a sealed secret moved to another watch's row does not
// open. The secret is answered once, at creation, and opened only to sign deliveries.

// sealedPrefix marks a sealed secret; a stored secret without it was kept in clear by an
// earlier version (the runner seals it: webhook.Runner).
const sealedPrefix = "aesgcm1:"

// watchAEAD is the cipher of the watch key.
type watchAEAD struct {
	key  []byte
	once sync.Once
	aead cipher.AEAD
}

func (w *watchAEAD) get() cipher.AEAD {
	w.once.Do(func() {
		if len(w.key) == 0 {
			// Without a configured key, secrets open only in this process.
			w.key = make([]byte, 32)
			rand.Read(w.key)
		}
		block, err := aes.NewCipher(w.key)
		if err != nil {
			panic(fmt.Sprintf("watch key: %v", err)) // checked by New
		}
		w.aead, _ = cipher.NewGCM(block)
	})
	return w.aead
}

// SealSecret returns a watch's secret as the store keeps it.
func (s *Watching) SealSecret(id, secret string) string {
	a := s.aead.get()
	nonce := make([]byte, a.NonceSize(), a.NonceSize()+len(secret)+a.Overhead())
	rand.Read(nonce)
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(a.Seal(nonce, nonce, []byte(secret), []byte("gongshi watch\x00"+id)))
}

// OpenSecret returns the secret of a watch read from the store (Store.Watch). A secret
// still kept in clear is answered as it is, with sealed false.
func (s *Watching) OpenSecret(w *Watch) (secret []byte, sealed bool, err error) {
	text, ok := strings.CutPrefix(w.Secret, sealedPrefix)
	if !ok {
		return []byte(w.Secret), false, nil
	}
	b, err := base64.RawStdEncoding.DecodeString(text)
	a := s.aead.get()
	if err != nil || len(b) < a.NonceSize() {
		return nil, true, fmt.Errorf("watch %s: its sealed secret is malformed", w.ID)
	}
	out, err := a.Open(nil, b[:a.NonceSize()], b[a.NonceSize():], []byte("gongshi watch\x00"+w.ID))
	if err != nil {
		return nil, true, fmt.Errorf("watch %s: its secret does not open with this server's watch key (was watch.key replaced or not copied with the data folder?): %w", w.ID, errSealed)
	}
	return out, true, nil
}

var errSealed = errors.New("message authentication failed")
