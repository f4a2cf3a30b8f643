package sqlstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/storetest"
)

// TestMigrateVersions opens a store of the first layout (schema version 5: versions with
// their body, leaf and dates beside the document) and checks that migration 6 keeps every
// document and leaf, moves the hidden values into private values that open to the same
// body, and drops the unlogged withdrawals.
func TestMigrateVersions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	raw, err := sqlstore.MigrateSQLiteTo(ctx, dir, 5)
	if err != nil {
		t.Fatal(err)
	}
	uscc := storetest.USCC(1)
	reg := storetest.Registration(uscc, "上海杰图天下网络科技有限公司", "张三")
	body, err := gongshi.KindRegistration.Normalize(reg.Fields)
	if err != nil {
		t.Fatal(err)
	}
	published := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	salt := []byte("0123456789abcdef")
	v := &gongshi.Version{Record: "1", Kind: "registration", Subject: uscc, SubjectName: "上海杰图天下网络科技有限公司", Version: 1,
		Arose: calendar.MustDate(2020, 3, 15), PublishedAt: published, OnTime: true, Publisher: gongshi.Authority{Account: "reg", Role: gongshi.RoleRegulator, Name: "上海市市场监督管理局", Jurisdiction: "310000"},
		Body: body}
	if err := v.Seal(gongshi.KindRegistration, salt, nil); err != nil {
		t.Fatal(err)
	}
	leaf := v.Leaf().MarshalCanonical()
	bodyJSON, _ := json.Marshal(body)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO enterprises (id, uscc, regno, name, former, legal_rep, division, category, type, status, established, registration, registered_at, changed_at, initials)
			VALUES (1, ?, NULL, '上海杰图天下网络科技有限公司', '[]', '张三', '310115', 'enterprise', '有限责任公司', '存续', '2020-03-15', 1, ?, ?, 'shjttxwlkjyxgs')`,
			[]any{uscc, published.Format(time.RFC3339Nano), published.Format(time.RFC3339Nano)}},
		{`INSERT INTO search (rowid, terms) VALUES (1, ?)`, []any{strings.Join(sqlstore.SearchGrams(gongshi.SearchTerms{Names: []string{v.SubjectName}, LegalRep: "张三"}), " ")}},
		{`INSERT INTO records (id, kind, enterprise, salt) VALUES (1, 'registration', 1, ?)`, []any{salt}},
		{`INSERT INTO versions (log_index, record, version, arose, due, on_time, policy, published_at, publisher, reason, body, sha_key, document, leaf)
			VALUES (0, 1, 1, '2020-03-15', '', 1, '', ?, '{}', '', ?, 7, ?, ?)`, []any{published.Format(time.RFC3339Nano), string(bodyJSON), v.Document, leaf}},
		{`INSERT INTO log_hashes (idx, hash) VALUES (0, ?)`, []any{recordHash(leaf)}},
		{`INSERT INTO withdrawals (log_index, at, reason) VALUES (0, '2026-04-01T00:00:00Z', 'unlogged')`, nil},
	} {
		if _, err := raw.ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("%v\n%s", err, q.sql)
		}
	}
	raw.Close()

	db, err := sqlstore.Open(ctx, sqlstore.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svs, err := db.File(ctx, gongshi.FileQuery{Code: uscc, Private: true})
	if err != nil || len(svs) != 1 {
		t.Fatalf("file after migration: %d versions, %v", len(svs), err)
	}
	got, err := gongshi.OpenVersion(svs[0], true)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(svs[0].Document, v.Document) || !reflect.DeepEqual(got.Body, body) {
		t.Errorf("migrated version: body %v, want %v; document kept: %v", got.Body, body, bytes.Equal(svs[0].Document, v.Document))
	}
	if !strings.Contains(string(svs[0].Private), "110101199003074514") || strings.Contains(string(svs[0].Document), "110101199003074514") {
		t.Errorf("private values %s: want the ID number there and not in the document", svs[0].Private)
	}
	leaves, err := db.ReadLeaves(ctx, 0, 1)
	if err != nil || !bytes.Equal(leaves[0], leaf) {
		t.Errorf("leaf made from the migrated document: %s, %v; want %s", leaves[0], err, leaf)
	}
	if _, w, err := db.Document(ctx, v.SHA256); err != nil || w != nil {
		t.Errorf("the unlogged withdrawal survived the migration: %v, %v", w, err)
	}
	st, err := db.AuditState(ctx, nil)
	if err != nil || st.ProblemN != 0 {
		t.Errorf("audit after migration: %+v, %v", st, err)
	}
}

func recordHash(leaf []byte) []byte {
	h := tlog.RecordHash(leaf)
	return h[:]
}
