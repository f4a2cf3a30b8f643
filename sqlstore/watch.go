package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/gongshi/gongshi"
)

// Watches (gongshi watch.go): the watch, the USCCs it names, and its delivery log. Neither
// is public: they are not in the log. The secret is stored sealed (gongshi watchsecret.go).
const watchSchema = `CREATE TABLE watches (
		id TEXT PRIMARY KEY,
		account TEXT NOT NULL,
		url TEXT NOT NULL,
		secret TEXT NOT NULL,
		enterprises INTEGER NOT NULL,
		delivered BIGINT NOT NULL,
		created_at TEXT NOT NULL
	);
	CREATE INDEX watches_account ON watches(account);
	CREATE TABLE watch_enterprises (watch TEXT NOT NULL, uscc TEXT NOT NULL, PRIMARY KEY (watch, uscc)) {{without rowid}};
	CREATE TABLE watch_deliveries (
		watch TEXT NOT NULL,
		log_index BIGINT NOT NULL,
		attempt INTEGER NOT NULL,
		at TEXT NOT NULL,
		status INTEGER NOT NULL,
		error TEXT NOT NULL,
		ok INTEGER NOT NULL,
		PRIMARY KEY (watch, log_index, attempt)
	) {{without rowid}}`

// watchChunk is how many USCCs one INSERT stores.
const watchChunk = 500

func (t *tx) AddWatch(w *gongshi.Watch, usccs []string) error {
	if _, err := t.exec(`INSERT INTO watches (id, account, url, secret, enterprises, delivered, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		w.ID, w.Account, w.URL, w.Secret, len(usccs), w.Delivered, formatTime(w.CreatedAt)); err != nil {
		return fmt.Errorf("store watch: %w", err)
	}
	full := `INSERT INTO watch_enterprises (watch, uscc) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?), ", watchChunk), ", ")
	args := make([]any, 0, 2*watchChunk)
	for len(usccs) >= watchChunk {
		args = args[:0]
		for _, c := range usccs[:watchChunk] {
			args = append(args, w.ID, c)
		}
		if _, err := t.exec(full, args...); err != nil {
			return fmt.Errorf("store watch's enterprises: %w", err)
		}
		usccs = usccs[watchChunk:]
	}
	for _, c := range usccs { // one statement for every remainder, not one per length
		if _, err := t.exec(`INSERT INTO watch_enterprises (watch, uscc) VALUES (?, ?)`, w.ID, c); err != nil {
			return fmt.Errorf("store watch's enterprises: %w", err)
		}
	}
	return nil
}

func (t *tx) DeleteWatch(id string) error {
	for _, q := range []string{`DELETE FROM watch_deliveries WHERE watch = ?`, `DELETE FROM watch_enterprises WHERE watch = ?`, `DELETE FROM watches WHERE id = ?`} {
		if _, err := t.exec(q, id); err != nil {
			return fmt.Errorf("delete watch: %w", err)
		}
	}
	return nil
}

func (t *tx) RecordDelivery(id string, d gongshi.WatchDelivery) error {
	var n int
	err := t.queryRow(`SELECT COALESCE(MAX(d.attempt), 0) FROM watches w LEFT JOIN watch_deliveries d ON d.watch = w.id AND d.log_index = ? WHERE w.id = ? GROUP BY w.id`, d.LogIndex, id).Scan(&n)
	if err == sql.ErrNoRows {
		return nil // deleted meanwhile
	}
	if err != nil {
		return fmt.Errorf("record delivery: %w", err)
	}
	ok := 0
	if d.OK {
		ok = 1
	}
	if _, err := t.exec(`INSERT INTO watch_deliveries (watch, log_index, attempt, at, status, error, ok) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, d.LogIndex, n+1, formatTime(d.At), d.Status, d.Error, ok); err != nil {
		return fmt.Errorf("record delivery: %w", err)
	}
	if d.OK {
		if _, err := t.exec(`UPDATE watches SET delivered = ? WHERE id = ? AND delivered < ?`, d.LogIndex, id, d.LogIndex); err != nil {
			return fmt.Errorf("record delivery: %w", err)
		}
	}
	return nil
}

func (t *tx) ReplaceWatchSecret(id, old, sealed string) error {
	if _, err := t.exec(`UPDATE watches SET secret = ? WHERE id = ? AND secret = ?`, sealed, id, old); err != nil {
		return fmt.Errorf("seal watch's secret: %w", err)
	}
	return nil
}

const watchCols = `id, account, url, secret, enterprises, delivered, created_at`

func scanWatch(sc interface{ Scan(...any) error }) (*gongshi.Watch, error) {
	var w gongshi.Watch
	var at string
	if err := sc.Scan(&w.ID, &w.Account, &w.URL, &w.Secret, &w.Enterprises, &w.Delivered, &at); err != nil {
		return nil, err
	}
	w.CreatedAt = parseTime(at)
	return &w, nil
}

func (db *DB) Watches(ctx context.Context, account string) ([]*gongshi.Watch, error) {
	q, args := `SELECT `+watchCols+` FROM watches ORDER BY created_at, id`, []any{}
	if account != "" {
		q, args = `SELECT `+watchCols+` FROM watches WHERE account = ? ORDER BY created_at, id`, []any{account}
	}
	rows, err := db.read(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read watches: %w", err)
	}
	defer rows.Close()
	out := []*gongshi.Watch{}
	for rows.Next() {
		w, err := scanWatch(rows)
		if err != nil {
			return nil, fmt.Errorf("read watches: %w", err)
		}
		w.Secret = ""
		out = append(out, w)
	}
	return out, rows.Err()
}

func (db *DB) Watch(ctx context.Context, id string) (*gongshi.Watch, error) {
	if !isText(id) {
		return nil, gongshi.Errorf(gongshi.ENOTFOUND, "no such watch")
	}
	w, err := scanWatch(db.readPrimaryRow(ctx, `SELECT `+watchCols+` FROM watches WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return nil, gongshi.Errorf(gongshi.ENOTFOUND, "no watch %s", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read watch: %w", err)
	}
	return w, nil
}

func (db *DB) WatchSubjects(ctx context.Context, id string) (map[string]bool, error) {
	rows, err := db.read(ctx, `SELECT uscc FROM watch_enterprises WHERE watch = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("read watch's enterprises: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("read watch's enterprises: %w", err)
		}
		out[c] = true
	}
	return out, rows.Err()
}

func (db *DB) Deliveries(ctx context.Context, id string, after int64, limit int) ([]gongshi.WatchDelivery, error) {
	rows, err := db.read(ctx, `SELECT log_index, attempt, at, status, error, ok FROM watch_deliveries
		WHERE watch = ? AND log_index > ? AND log_index IN (SELECT DISTINCT log_index FROM watch_deliveries WHERE watch = ? AND log_index > ? ORDER BY log_index LIMIT ?)
		ORDER BY log_index, attempt`, id, after, id, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read deliveries: %w", err)
	}
	defer rows.Close()
	out := []gongshi.WatchDelivery{}
	for rows.Next() {
		var d gongshi.WatchDelivery
		var at string
		var ok int
		if err := rows.Scan(&d.LogIndex, &d.Attempt, &at, &d.Status, &d.Error, &ok); err != nil {
			return nil, fmt.Errorf("read deliveries: %w", err)
		}
		d.At, d.OK = parseTime(at), ok == 1
		out = append(out, d)
	}
	return out, rows.Err()
}
