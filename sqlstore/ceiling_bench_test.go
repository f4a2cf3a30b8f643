package sqlstore_test

import (
	"context"
	crand "crypto/rand"
	"database/sql"
	"encoding/binary"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi/sqlstore"
)

// BenchmarkInsertCeiling measures what no loader of this schema on SQLite can beat: it only
// inserts rows built beforehand, durably, in transactions of 1,700 enterprises (a demo
// batch), with none of the rules, sealing, JSON or compression. Per enterprise, as a bulk
// load of the demo stores them (measured on a 100k load): the enterprise and its search
// terms, 3.35 records, 4.71 versions with a compressed document of 371 bytes (two in five
// with 165 bytes of private values), 9.4 log hashes, and its page row of 1,935 bytes.
// "deferred" builds the secondary indexes after the load; "deferred-8500" also commits
// 8,500 enterprises a transaction. The indexes of random keys (USCCs, registration numbers)
// take each insert into another of their B-tree pages, and a transaction writes each page
// it changed whole to the WAL, so once such an index has more pages than a transaction
// inserts keys, each key costs a page: on this machine at 1M, the last tenth was 55%
// slower than the first in transactions of 1,700 enterprises, 9% in those of 8,500.
func BenchmarkInsertCeiling(b *testing.B) {
	for _, c := range []struct {
		name     string
		deferred bool
		perTx    int
	}{{"inline", false, 1700}, {"deferred", true, 1700}, {"deferred-8500", true, 8500}} {
		b.Run(c.name, func(b *testing.B) {
			dir := b.TempDir()
			st, err := sqlstore.Open(context.Background(), sqlstore.Config{Dir: dir})
			if err != nil {
				b.Fatal(err)
			}
			st.Close()
			db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "gongshi.db")+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=cache_size(-1048576)&_txlock=immediate")
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			db.SetMaxOpenConns(1)
			var indexes []string
			if c.deferred {
				indexes = dropIndexes(b, db)
			}
			b.ResetTimer()
			first, last := insertRows(b, db, b.N, c.perTx)
			for _, create := range indexes {
				if _, err := db.Exec(create); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "enterprises/s")
			if first > 0 && last > 0 {
				b.ReportMetric(100*(last-first)/first, "last-tenth-vs-first-%")
			}
		})
	}
}

// dropIndexes drops the secondary indexes of the register's tables and returns the
// statements that make them again.
func dropIndexes(b *testing.B, db *sql.DB) []string {
	rows, err := db.Query(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('versions', 'records', 'enterprises')`)
	if err != nil {
		b.Fatal(err)
	}
	var names, creates []string
	for rows.Next() {
		var n, c string
		if err := rows.Scan(&n, &c); err != nil {
			b.Fatal(err)
		}
		names, creates = append(names, n), append(creates, c)
	}
	rows.Close()
	for _, n := range names {
		if _, err := db.Exec("DROP INDEX " + n); err != nil {
			b.Fatal(err)
		}
	}
	return creates
}

// insertRows inserts n enterprises' rows, perTx a transaction, and returns the
// enterprises/s of the first and the last tenth of them (0 when there are too few to tell).
func insertRows(b *testing.B, db *sql.DB, n, perTx int) (first, last float64) {
	han := []rune("上海杰图天下网络科技有限公司北京深圳广州贸易建筑工程餐饮管理服务生物医药物流电子商务咨询文化传媒")
	pick := func(k int, from string) string {
		out := make([]rune, k)
		rs := []rune(from)
		for i := range out {
			out[i] = rs[rand.IntN(len(rs))]
		}
		return string(out)
	}
	doc, private, salt, page := make([]byte, 371), []byte(strings.Repeat("x", 165)), make([]byte, 16), make([]byte, 1935)
	var rec, ver int64 = 1, 0
	tenth := n / 10
	start, lastFrom, lastAt := time.Now(), 0, time.Time{} // lastFrom: enterprises in before the last tenth
	for e := 1; e <= n; {
		if tenth >= perTx {
			switch {
			case first == 0 && e > tenth:
				first = float64(e-1) / time.Since(start).Seconds()
			case lastFrom == 0 && e > n-tenth:
				lastFrom, lastAt = e-1, time.Now()
			}
		}
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		prep := func(q string) *sql.Stmt {
			st, err := tx.Prepare(q)
			if err != nil {
				b.Fatal(err)
			}
			return st
		}
		insE := prep(`INSERT INTO enterprises (id, uscc, regno, name, former, legal_rep, division, category, type, status, established, registration, registered_at, changed_at, initials)
			VALUES (?, ?, ?, ?, '[]', '张三', '310101', 'enterprise', '有限责任公司', '存续', '2020-01-01', ?, '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', ?)`)
		insS := prep(`INSERT INTO search (rowid, terms) VALUES (?, ?)`)
		insR := prep(`INSERT INTO records (id, kind, enterprise, salt) VALUES (?, 'penalty', ?, ?)`)
		insV := prep(`INSERT INTO versions (id, log_index, record, version, sha_key, document, private) VALUES (?, ?, ?, ?, ?, ?, ?)`)
		insH := prep(`INSERT INTO log_hashes (idx, hash) VALUES (?, ?)`)
		insP := prep(`INSERT INTO pages (key, id, uscc, last_version, listed_at, listed, page) VALUES (?, ?, ?, ?, -1, '', ?)`)
		for k := 0; k < perTx && e <= n; k, e = k+1, e+1 {
			name := pick(12, string(han))
			rs := []rune(name)
			grams := make([]string, 0, len(rs))
			for i := 0; i+1 < len(rs); i++ {
				grams = append(grams, string(rs[i:i+2]))
			}
			uscc := "9131" + pick(14, "0123456789ABCDEFGHJKLMNPQRTUWXY")
			exec(b, insE, e, uscc, pick(15, "0123456789"), name, rec, pick(12, "abcdefghijklmnopqrstuvwxyz"))
			exec(b, insS, e, strings.Join(grams, " "))
			for ; rec*100 < int64(e)*335; rec++ { // 3.35 records an enterprise
				exec(b, insR, rec, e, salt)
			}
			for ; ver*100 < int64(e)*471; ver++ { // 4.71 versions, each with 2 stored hashes
				crand.Read(doc[:32])
				var priv []byte
				if ver%5 < 2 {
					priv = private
				}
				exec(b, insV, int64(e)<<20|ver, ver, rec-1, ver+1, int64(binary.BigEndian.Uint64(doc[:8])), doc, priv)
				exec(b, insH, 2*ver, doc[:32])
				exec(b, insH, 2*ver+1, doc[:32])
			}
			crand.Read(page[:64])
			exec(b, insP, -int64(e), e, uscc, int64(e)<<20|(ver-1), page) // its last version
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	if lastFrom > 0 {
		last = float64(n-lastFrom) / time.Since(lastAt).Seconds()
	}
	return first, last
}

func exec(b *testing.B, st *sql.Stmt, args ...any) {
	if _, err := st.Exec(args...); err != nil {
		b.Fatal(err)
	}
}
