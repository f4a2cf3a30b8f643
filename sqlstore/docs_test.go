package sqlstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"path/filepath"
	"testing"

	"github.com/gongshi/gongshi/sqlstore"
)

// TestDocumentsCompressed: a store of documents stored plain (as a gongshi before
// compression left them, with the conversion the migration notes) opens with every
// document compressed with a dictionary trained on them, each opening to the very bytes
// that were logged, and `verify --data` finds nothing wrong.
func TestDocumentsCompressed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	vkey := populated(t, sqlstore.Config{Dir: dir, DictAfter: 1 << 30})
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "gongshi.db"))
	if err != nil {
		t.Fatal(err)
	}
	open, _, err := sqlstore.StoredDocuments(raw)
	if err != nil {
		t.Fatal(err)
	}
	// Before: compressed without a dictionary. Store them plain, as before compression.
	logged := map[int64][32]byte{}
	plain := 0
	rows, err := raw.Query(`SELECT log_index, document FROM versions`)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[int64][]byte{}
	for rows.Next() {
		var idx int64
		var stored []byte
		if err := rows.Scan(&idx, &stored); err != nil {
			t.Fatal(err)
		}
		doc, err := open(stored)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored) >= len(doc) {
			t.Errorf("version %d: stored in %d bytes, its document has %d", idx, len(stored), len(doc))
		}
		docs[idx], logged[idx] = doc, sha256.Sum256(doc)
		plain += len(doc)
	}
	rows.Close()
	for idx, doc := range docs {
		mustExec(t, raw, `UPDATE versions SET document = ? WHERE log_index = ?`, doc, idx)
	}
	mustExec(t, raw, `INSERT INTO docs_to_compress (next, below) VALUES (0, ?)`, len(docs))
	raw.Close()

	db, err := sqlstore.Open(ctx, sqlstore.Config{Dir: dir, DictAfter: 20})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.DictID() == 0 {
		t.Fatal("no dictionary was trained")
	}
	if n := verify(t, db, vkey); n != 0 {
		t.Fatalf("verify found %d problems in the compressed store", n)
	}
	raw, err = sql.Open("sqlite", "file:"+filepath.Join(dir, "gongshi.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	open, _, err = sqlstore.StoredDocuments(raw)
	if err != nil {
		t.Fatal(err)
	}
	var left int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM docs_to_compress`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("docs_to_compress holds %d rows (%v), want none once converted", left, err)
	}
	stored := 0
	rows, err = raw.Query(`SELECT log_index, document FROM versions`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var idx int64
		var b []byte
		if err := rows.Scan(&idx, &b); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte{0x28, 0xb5, 0x2f, 0xfd}) {
			t.Fatalf("version %d is stored uncompressed", idx)
		}
		doc, err := open(b)
		if err != nil {
			t.Fatal(err)
		}
		if sha256.Sum256(doc) != logged[idx] {
			t.Fatalf("version %d opens to another document", idx)
		}
		stored += len(b)
	}
	if stored*2 > plain {
		t.Errorf("%d documents of %d bytes stored in %d bytes: less than halved", len(docs), plain, stored)
	}
	t.Logf("%d documents: %d bytes plain, %d stored", len(docs), plain, stored)
	// Reads through the store open them too.
	sum := logged[3]
	if got, _, err := db.Document(ctx, hex.EncodeToString(sum[:])); err != nil || sha256.Sum256(got) != logged[3] {
		t.Fatalf("Document: %v", err)
	}
}
