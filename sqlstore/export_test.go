package sqlstore

import (
	"context"
	"crypto/sha256"

	"github.com/gongshi/gongshi"
)

// AppendRawLeaves appends arbitrary leaves as versions of placeholder records, so that the
// translog conformance suite can drive the store's log through the real sequencer.
func AppendRawLeaves(ctx context.Context, db *DB, leaves [][]byte) error {
	return db.Write(ctx, func(gtx gongshi.Tx) error {
		t := gtx.(*tx)
		for _, l := range leaves {
			idx := t.db.appender.Size() + int64(len(t.leaves))
			sum := sha256.Sum256(l)
			if _, err := t.exec(`INSERT INTO versions (log_index, record, version, arose, due, on_time, policy, published_at, publisher, reason, body, sha_key, document, leaf)
				VALUES (?, ?, 1, '', '', 0, '', '', '{}', '', '{}', ?, ?, ?)`, idx, -idx-1, shaKey(sum[:]), l, l); err != nil {
				return err
			}
			t.leaves = append(t.leaves, l)
		}
		return nil
	})
}
