package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// 4: enforcement (Art. 17, 18; SPEC §8). enforcement_decisions holds the natural key of
// every decision the sweep takes, written in the same unit of work as the decision: its
// primary key is what makes a sweep idempotent and resumable. list_entries are the list
// memberships with since/until, so as-of reads are one indexed query. bans name persons by
// a keyed hash whose key is in private_config, which nothing serves.
const enforcementSchema = `CREATE TABLE enforcement_decisions (
		rule TEXT NOT NULL,
		subject TEXT NOT NULL,
		period TEXT NOT NULL,
		record BIGINT NOT NULL,
		decided TEXT NOT NULL,
		PRIMARY KEY (rule, subject, period)
	);
	CREATE TABLE list_entries (
		id BIGINT PRIMARY KEY,
		uscc TEXT NOT NULL,
		name TEXT NOT NULL,
		division TEXT NOT NULL,
		list_name TEXT NOT NULL,
		ground INTEGER NOT NULL,
		period TEXT NOT NULL,
		arose TEXT NOT NULL,
		since TEXT NOT NULL,
		until_day TEXT NOT NULL,
		ended TEXT NOT NULL,
		authority TEXT NOT NULL,
		jurisdiction TEXT NOT NULL,
		document_no TEXT NOT NULL,
		end_record TEXT NOT NULL,
		warned TEXT NOT NULL,
		origin TEXT NOT NULL,
		ban_until TEXT NOT NULL,
		banned_person TEXT NOT NULL
	);
	CREATE INDEX list_entries_uscc ON list_entries(uscc);
	CREATE INDEX list_entries_open ON list_entries(list_name, ended, id);
	CREATE TABLE bans (
		person TEXT NOT NULL,
		entry BIGINT NOT NULL,
		name TEXT NOT NULL,
		enterprise TEXT NOT NULL,
		since TEXT NOT NULL,
		until_day TEXT NOT NULL,
		PRIMARY KEY (person, entry)
	);
	CREATE TABLE enforcement_cases (
		id BIGINT PRIMARY KEY,
		kind TEXT NOT NULL,
		uscc TEXT NOT NULL,
		division TEXT NOT NULL,
		entry BIGINT NOT NULL,
		received TEXT NOT NULL,
		due TEXT NOT NULL,
		policy TEXT NOT NULL,
		reason TEXT NOT NULL,
		cure TEXT NOT NULL,
		state TEXT NOT NULL,
		outcome TEXT NOT NULL,
		decided TEXT NOT NULL,
		answer TEXT NOT NULL,
		by_account TEXT NOT NULL
	);
	CREATE INDEX enforcement_cases_due ON enforcement_cases(state, due);
	CREATE TABLE private_config (name TEXT PRIMARY KEY, value {{blob}} NOT NULL);
	CREATE INDEX records_kind ON records(kind, id);`

const entryCols = `id, uscc, name, division, list_name, ground, period, arose, since, until_day, ended, authority, jurisdiction, document_no, end_record, warned, origin, ban_until, banned_person`

func scanEntry(row scanner) (*gongshi.ListEntry, error) {
	var e gongshi.ListEntry
	var id int64
	if err := row.Scan(&id, &e.USCC, &e.Name, &e.Division, &e.List, &e.Ground, &e.Period, &e.Arose, &e.Since, &e.Until, &e.Ended,
		&e.Authority, &e.Jurisdiction, &e.DocumentNo, &e.EndRecord, &e.Warned, &e.Origin, &e.BanUntil, &e.BannedPerson); err != nil {
		return nil, err
	}
	e.ID = strconv.FormatInt(id, 10)
	e.Record = e.ID
	return &e, nil
}

func scanEntries(rows *sql.Rows, err error) ([]*gongshi.ListEntry, error) {
	return collect(rows, err, "list entries", scanEntry)
}

// Write side (gongshi.EnforcementTx).

func (t *tx) Decided(rule, subject, period string) (bool, error) {
	var n int
	err := t.queryRow(`SELECT COUNT(*) FROM enforcement_decisions WHERE rule = ? AND subject = ? AND period = ?`, rule, subject, period).Scan(&n)
	return n > 0, err
}

func (t *tx) PutDecided(rule, subject, period, record string, on calendar.Date) error {
	rec, _ := strconv.ParseInt(record, 10, 64)
	_, err := t.exec(`INSERT INTO enforcement_decisions (rule, subject, period, record, decided) VALUES (?, ?, ?, ?, ?)`, rule, subject, period, rec, on.String())
	if isUniqueViolation(err) {
		return gongshi.Errorf(gongshi.ECONFLICT, "the %s decision on %s (%s) was already taken", rule, subject, period)
	}
	return err
}

func (t *tx) PutListEntry(e *gongshi.ListEntry) error {
	id, err := parseID(e.ID)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO list_entries (`+entryCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET until_day = excluded.until_day, ended = excluded.ended, end_record = excluded.end_record, warned = excluded.warned`,
		id, e.USCC, e.Name, e.Division, e.List, e.Ground, e.Period, e.Arose, e.Since, e.Until, e.Ended,
		e.Authority, e.Jurisdiction, e.DocumentNo, e.EndRecord, e.Warned, e.Origin, e.BanUntil, e.BannedPerson)
	if err != nil {
		return fmt.Errorf("put list entry: %w", err)
	}
	return nil
}

func (t *tx) ListEntryTx(id string) (*gongshi.ListEntry, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, gongshi.Invalid("entry", fmt.Sprintf("%q is not a list entry id", id), "take the id from GET /api/v1/enterprises/{code}/listings")
	}
	e, err := scanEntry(t.queryRow(`SELECT `+entryCols+` FROM list_entries WHERE id = ?`, n))
	if err == sql.ErrNoRows {
		return nil, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "entry", Message: fmt.Sprintf("no list entry %s", id), Fix: "take the id from GET /api/v1/enterprises/{code}/listings"}
	}
	return e, err
}

func (t *tx) EntriesOfTx(uscc string) ([]*gongshi.ListEntry, error) {
	return scanEntries(t.query(`SELECT `+entryCols+` FROM list_entries WHERE uscc = ? ORDER BY id`, uscc))
}

func (t *tx) BanKey() ([]byte, error) {
	var key []byte
	err := t.queryRow(`SELECT value FROM private_config WHERE name = 'ban_key'`).Scan(&key)
	if err == nil {
		return key, nil
	}
	if err != sql.ErrNoRows {
		return nil, err
	}
	key = make([]byte, 32)
	rand.Read(key)
	if _, err := t.exec(`INSERT INTO private_config (name, value) VALUES ('ban_key', ?)`, key); err != nil {
		return nil, fmt.Errorf("create the ban key: %w", err)
	}
	return key, nil
}

func (t *tx) PutBan(b *gongshi.Ban) error {
	entry, err := parseID(b.Entry)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO bans (person, entry, name, enterprise, since, until_day) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (person, entry) DO UPDATE SET until_day = excluded.until_day`, b.Person, entry, b.Name, b.Enterprise, b.Since, b.Until)
	return err
}

func (t *tx) BansOf(person string) ([]*gongshi.Ban, error) {
	rows, err := t.query(`SELECT person, entry, name, enterprise, since, until_day FROM bans WHERE person = ? ORDER BY entry`, person)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*gongshi.Ban
	for rows.Next() {
		var b gongshi.Ban
		var entry int64
		if err := rows.Scan(&b.Person, &entry, &b.Name, &b.Enterprise, &b.Since, &b.Until); err != nil {
			return nil, err
		}
		b.Entry = strconv.FormatInt(entry, 10)
		out = append(out, &b)
	}
	return out, rows.Err()
}

const enfCaseCols = `id, kind, uscc, division, entry, received, due, policy, reason, cure, state, outcome, decided, answer, by_account, provisional`

func scanEnfCase(row interface{ Scan(...any) error }) (*gongshi.EnforcementCase, error) {
	var c gongshi.EnforcementCase
	var id, entry int64
	var prov int
	if err := row.Scan(&id, &c.Kind, &c.USCC, &c.Division, &entry, &c.Received, &c.Due, &c.Policy, &c.Reason, &c.Cure, &c.State, &c.Outcome, &c.Decided, &c.Answer, &c.By, &prov); err != nil {
		return nil, err
	}
	c.ID, c.Entry = strconv.FormatInt(id, 10), strconv.FormatInt(entry, 10)
	c.Provisional = gongshi.ProvisionalOf(prov, "due")
	return &c, nil
}

func (t *tx) PutEnforcementCase(c *gongshi.EnforcementCase) error {
	entry, err := parseID(c.Entry)
	if err != nil {
		return err
	}
	if c.ID == "" {
		var next int64
		if err := t.queryRow(`SELECT COALESCE(MAX(id), 0) + 1 FROM enforcement_cases`).Scan(&next); err != nil {
			return err
		}
		c.ID = strconv.FormatInt(next, 10)
	}
	id, err := parseID(c.ID)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO enforcement_cases (`+enfCaseCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET state = excluded.state, outcome = excluded.outcome, decided = excluded.decided, answer = excluded.answer,
			due = excluded.due, policy = excluded.policy, provisional = excluded.provisional`,
		id, c.Kind, c.USCC, c.Division, entry, c.Received, c.Due, c.Policy, c.Reason, c.Cure, c.State, c.Outcome, c.Decided, c.Answer, c.By, c.Provisional.Awaits())
	return err
}

func (t *tx) EnforcementCaseTx(id string) (*gongshi.EnforcementCase, error) {
	return enfCase(context.Background(), t, id)
}

func enfCase(ctx context.Context, r reads, id string) (*gongshi.EnforcementCase, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err == nil {
		var c *gongshi.EnforcementCase
		c, err = scanEnfCase(r.readRow(ctx, `SELECT `+enfCaseCols+` FROM enforcement_cases WHERE id = ?`, n))
		if err == nil {
			return c, nil
		}
	}
	if err == sql.ErrNoRows || err != nil && strings.Contains(err.Error(), "invalid syntax") {
		return nil, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "id", Message: fmt.Sprintf("no removal application or objection %q", id), Fix: "take the id from the answer to the application, or from GET /api/v1/enforcement/queue"}
	}
	return nil, err
}

func (t *tx) Withdraw(record string, at time.Time, reason string) (int, error) {
	rec, err := parseID(record)
	if err != nil {
		return 0, err
	}
	res, err := t.exec(`INSERT INTO withdrawals (log_index, at, reason) SELECT v.log_index, ?, ? FROM versions v
		WHERE v.record = ? AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.log_index = v.log_index)`, formatTime(at), reason, rec)
	if err != nil {
		return 0, fmt.Errorf("withdraw record %s: %w", record, err)
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return int(n), err
	}
	// The public page changed without a new version: say so to the response caches.
	var uscc string
	if err := t.queryRow(`SELECT e.uscc FROM records r JOIN enterprises e ON e.id = r.enterprise WHERE r.id = ?`, rec).Scan(&uscc); err != nil {
		return 0, fmt.Errorf("withdraw record %s: %w", record, err)
	}
	t.Touch(uscc)
	return int(n), nil
}

// Read side (gongshi.EnforcementStore).

func (db *DB) NonFilers(ctx context.Context, year int, establishedBy string, asOf calendar.Date, after string, limit int) ([]*gongshi.Enterprise, error) {
	rows, err := db.read(ctx, `SELECT `+entCols("e.")+` FROM enterprises e
		WHERE e.uscc > ? AND e.established <= ? AND (e.status IN ('存续', '在业') OR e.changed_at >= ?)
		AND NOT EXISTS (SELECT 1 FROM annual_reports a WHERE a.uscc = e.uscc AND a.year = ? AND a.filed <= ?)
		AND NOT EXISTS (SELECT 1 FROM enforcement_decisions d WHERE d.rule = 'ground1' AND d.subject = e.uscc AND d.period = ?)
		ORDER BY e.uscc LIMIT ?`, after, establishedBy, formatTime(asOf.Start()), year, asOf.String(), strconv.Itoa(year), limit)
	if err != nil {
		return nil, fmt.Errorf("read non-filers: %w", err)
	}
	defer rows.Close()
	var out []*gongshi.Enterprise
	for rows.Next() {
		e, _, err := scanEnterprise(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (db *DB) OpenEntries(ctx context.Context, list, after string, limit int) ([]*gongshi.ListEntry, error) {
	a, _ := strconv.ParseInt(after, 10, 64)
	return scanEntries(db.read(ctx, `SELECT `+entryCols+` FROM list_entries WHERE list_name = ? AND ended = '' AND id > ? ORDER BY id LIMIT ?`, list, a, limit))
}

func (db *DB) PendingGrounds(ctx context.Context, asOf calendar.Date) ([]*gongshi.ListingGround, error) {
	rows, err := db.read(ctx, `SELECT g.enterprise, g.ground, g.arose, g.source, g.source_ref, g.record, g.authority, g.created_at
		FROM listing_grounds g WHERE g.arose <= ? AND NOT EXISTS (SELECT 1 FROM enforcement_decisions d
			WHERE d.rule = CASE g.ground WHEN 3 THEN 'ground3' WHEN 4 THEN 'ground4' ELSE 'ground' END
			AND d.subject = g.enterprise AND d.period = g.source || ':' || g.source_ref) ORDER BY g.id`, asOf.String())
	return collect(rows, err, "listing grounds", scanGround)
}

func (db *DB) ShownPenalties(ctx context.Context, after string, limit int) ([]*gongshi.PenaltyShown, error) {
	a, _ := strconv.ParseInt(after, 10, 64)
	rows, err := db.read(ctx, `SELECT `+storedColsFor(false)+` FROM records r
		JOIN versions v ON v.record = r.id AND v.version = 1
		WHERE r.kind = 'penalty' AND r.id > ? AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.log_index = v.log_index)
		ORDER BY r.id LIMIT ?`, a, limit)
	svs, err := db.docs.storedVersions(rows, err)
	if err != nil {
		return nil, fmt.Errorf("read penalties: %w", err)
	}
	out := make([]*gongshi.PenaltyShown, len(svs))
	for i, sv := range svs {
		v, err := gongshi.OpenVersion(sv, false)
		if err != nil {
			return nil, err
		}
		minor, _ := v.Body["minor"].(bool)
		out[i] = &gongshi.PenaltyShown{Record: v.Record, USCC: v.Subject, Published: v.PublishedAt, Minor: minor}
	}
	return out, nil
}

// inChunks runs query, whose "IN (%s)" takes the placeholders, over keys 500 at a time.
// A key given twice is asked for once: in two chunks it would find its rows twice.
func (db *DB) inChunks(ctx context.Context, query string, keys []string, each func(*sql.Rows) error) error {
	keys = distinct(keys)
	for i := 0; i < len(keys); i += 500 {
		part := keys[i:min(i+500, len(keys))]
		args := make([]any, len(part))
		for j, k := range part {
			args[j] = k
		}
		q := fmt.Sprintf(query, strings.TrimSuffix(repeat("?,", len(part)), ","))
		rows, err := db.read(ctx, q, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := each(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) EntriesOf(ctx context.Context, usccs []string) (map[string][]*gongshi.ListEntry, error) {
	out := make(map[string][]*gongshi.ListEntry)
	err := db.inChunks(ctx, `SELECT `+entryCols+` FROM list_entries WHERE uscc IN (%s) ORDER BY id`, usccs, func(rows *sql.Rows) error {
		e, err := scanEntry(rows)
		if err == nil {
			out[e.USCC] = append(out[e.USCC], e)
		}
		return err
	})
	return out, err
}

func (db *DB) EnterprisesByCodes(ctx context.Context, codes []string) (map[string]*gongshi.Enterprise, error) {
	var usccs, regnos []string
	for _, c := range codes {
		if len(c) == 15 {
			regnos = append(regnos, c)
		} else {
			usccs = append(usccs, c)
		}
	}
	out := make(map[string]*gongshi.Enterprise, len(codes))
	for _, q := range []struct {
		col  string
		keys []string
	}{{"uscc", usccs}, {"regno", regnos}} {
		err := db.inChunks(ctx, `SELECT `+enterpriseCols+` FROM enterprises WHERE `+q.col+` IN (%s)`, q.keys, func(rows *sql.Rows) error {
			e, _, err := scanEnterprise(rows)
			if err == nil {
				if q.col == "uscc" {
					out[e.USCC.String()] = e
				} else {
					out[e.RegNo.String()] = e
				}
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("read enterprises: %w", err)
		}
	}
	return out, nil
}

func (db *DB) EnforcementCase(ctx context.Context, id string) (*gongshi.EnforcementCase, error) {
	return enfCase(ctx, db, id)
}

func (db *DB) EnforcementCases(ctx context.Context, prefix string, pendingOnly bool) ([]*gongshi.EnforcementCase, error) {
	q := `SELECT ` + enfCaseCols + ` FROM enforcement_cases WHERE division LIKE ?`
	if pendingOnly {
		q += ` AND state IN ('pending', 'accepted')`
	}
	rows, err := db.read(ctx, q+` ORDER BY due, id`, prefix+"%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*gongshi.EnforcementCase{}
	for rows.Next() {
		c, err := scanEnfCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// distinct returns keys without repeats, in their first order.
func distinct(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
