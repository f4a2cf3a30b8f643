package sqlstore

import (
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/draw"
)

// 3: spot checks (Art. 14, 15) and cases (Art. 12, 13). A draw's population, roster and
// result texts are kept exactly as hashed (package draw); its seed is kept here and served
// only once drawn. listing_grounds is what the enforcement sweep lists on (SPEC §8).
const spotCheckSchema = `CREATE INDEX enterprises_division ON enterprises(division);
	CREATE TABLE inspectors (
		account TEXT PRIMARY KEY,
		jurisdiction TEXT NOT NULL,
		added_at TEXT NOT NULL
	);
	CREATE TABLE inspector_conflicts (
		account TEXT NOT NULL,
		enterprise TEXT NOT NULL,
		reason TEXT NOT NULL,
		declared_at TEXT NOT NULL,
		PRIMARY KEY (account, enterprise)
	);
	CREATE TABLE draws (
		id {{id}},
		number TEXT NOT NULL UNIQUE,
		jurisdiction TEXT NOT NULL,
		state TEXT NOT NULL,
		record BIGINT NOT NULL,
		info TEXT NOT NULL,
		seed {{blob}} NOT NULL,
		planned_at TEXT NOT NULL
	);
	CREATE INDEX draws_jurisdiction ON draws(jurisdiction);
	CREATE TABLE draw_texts (
		draw BIGINT NOT NULL,
		which TEXT NOT NULL,
		text {{blob}} NOT NULL,
		PRIMARY KEY (draw, which)
	);
	CREATE TABLE draw_selection (
		draw BIGINT NOT NULL,
		enterprise TEXT NOT NULL,
		rank INTEGER NOT NULL,
		inspectors TEXT NOT NULL,
		PRIMARY KEY (draw, enterprise)
	);
	CREATE TABLE spot_check_results (
		draw BIGINT NOT NULL,
		enterprise TEXT NOT NULL,
		outcome TEXT NOT NULL,
		checked TEXT NOT NULL,
		ground INTEGER NOT NULL,
		log_index BIGINT NOT NULL,
		PRIMARY KEY (draw, enterprise)
	);
	CREATE TABLE listing_grounds (
		id {{id}},
		enterprise TEXT NOT NULL,
		ground INTEGER NOT NULL,
		arose TEXT NOT NULL,
		source TEXT NOT NULL,
		source_ref TEXT NOT NULL,
		record BIGINT NOT NULL,
		authority TEXT NOT NULL,
		created_at TEXT NOT NULL
	);
	CREATE UNIQUE INDEX listing_grounds_key ON listing_grounds(enterprise, ground, source, source_ref);
	CREATE INDEX listing_grounds_arose ON listing_grounds(arose);
	CREATE TABLE cases (
		id {{id}},
		number TEXT NOT NULL UNIQUE,
		kind TEXT NOT NULL,
		state TEXT NOT NULL,
		division TEXT NOT NULL,
		enterprise TEXT NOT NULL,
		due TEXT NOT NULL,
		info TEXT NOT NULL,
		person TEXT NOT NULL,
		answer_log_index BIGINT
	);
	CREATE INDEX cases_queue ON cases(division, due);`

func (t *tx) LogHead() (int64, string) {
	root := t.db.appender.Root()
	return t.db.appender.Size(), base64.StdEncoding.EncodeToString(root[:])
}

// NewPlainRecord creates a record about no enterprise (enterprise 0): readRecords joins
// enterprises, so it appears on no page, while its versions are leaves and documents.
func (t *tx) NewPlainRecord(kind string) (string, error) {
	id := t.nextRecord
	t.nextRecord++
	if _, err := t.exec(`INSERT INTO records (id, kind, enterprise, salt) VALUES (?, ?, 0, ?)`, id, kind, []byte{}); err != nil {
		return "", fmt.Errorf("insert record: %w", err)
	}
	t.noteRecord(id, 0)
	return strconv.FormatInt(id, 10), nil
}

func (t *tx) PopulationCodes(prefix string, s *gongshi.Stratum) ([]string, error) {
	query, args := t.populationQuery(prefix, s)
	rows, err := t.query(query, args...)
	return collect(rows, err, "population", scanText)
}

// populationQuery is PopulationCodes' statement. A draw runs in the sequencer: by division
// LIKE, it read every enterprise of the register to find its district's, and held every
// write meanwhile (2.3 s a draw on a 1M-enterprise store); by the index enterprises_division
// (divisionIn), a district's take milliseconds.
func (t *tx) populationQuery(prefix string, s *gongshi.Stratum) (string, []any) {
	var where []string
	cond, args := divisionIn("division", prefix)
	if cond != "" {
		where = append(where, cond)
	}
	in := func(col string, vs []string, like bool) {
		if len(vs) == 0 {
			return
		}
		var ors []string
		for _, v := range vs {
			if like {
				ors = append(ors, col+` LIKE ?`)
				args = append(args, v+"%")
			} else {
				ors = append(ors, col+` = ?`)
				args = append(args, v)
			}
		}
		where = append(where, "("+strings.Join(ors, " OR ")+")")
	}
	if s != nil {
		in("division", s.Divisions, true)
		in("type", s.Types, false)
		in("category", s.Categories, false)
		in("status", s.Statuses, false)
		in("industry", s.Industries, false)
		in("size", s.Sizes, false)
		t.inLists(&where, &args, s.Lists)
	}
	return `SELECT uscc FROM enterprises` + whereAll(where) + ` ORDER BY uscc`, args
}

// inLists adds the stratum's list statuses to a population query: on a list on the day of
// the batch (since ≤ today < until), or, for gongshi.ListNone, on none.
func (t *tx) inLists(where *[]string, args *[]any, lists []string) {
	if len(lists) == 0 {
		return
	}
	today := calendar.DateOf(t.now).String()
	open := `SELECT uscc FROM list_entries WHERE since <= ? AND (until_day = '' OR until_day > ?)`
	var ors []string
	for _, l := range lists {
		if l == gongshi.ListNone {
			ors = append(ors, `uscc NOT IN (`+open+`)`)
			*args = append(*args, today, today)
			continue
		}
		ors = append(ors, `uscc IN (`+open+` AND list_name = ?)`)
		*args = append(*args, today, today, l)
	}
	*where = append(*where, "("+strings.Join(ors, " OR ")+")")
}

func (t *tx) RosterOf(prefix string) ([]draw.Inspector, error) {
	rows, err := t.query(`SELECT i.account, COALESCE(c.enterprise, '') FROM inspectors i
		LEFT JOIN inspector_conflicts c ON c.account = i.account
		WHERE i.jurisdiction LIKE ? ORDER BY i.account, c.enterprise`, prefix+"%")
	if err != nil {
		return nil, fmt.Errorf("read roster: %w", err)
	}
	defer rows.Close()
	var out []draw.Inspector
	for rows.Next() {
		var a, c string
		if err := rows.Scan(&a, &c); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != a {
			out = append(out, draw.Inspector{ID: a})
		}
		if c != "" {
			out[len(out)-1].Conflicts = append(out[len(out)-1].Conflicts, c)
		}
	}
	return out, rows.Err()
}

func (t *tx) PutInspector(in *gongshi.InspectorEntry) error {
	_, err := t.exec(`INSERT INTO inspectors (account, jurisdiction, added_at) VALUES (?, ?, ?)
		ON CONFLICT (account) DO UPDATE SET jurisdiction = excluded.jurisdiction`, in.Account, in.Jurisdiction, formatTime(in.AddedAt))
	return err
}

func (t *tx) PutConflict(account string, c gongshi.Conflict) error {
	var n int
	if err := t.queryRow(`SELECT COUNT(*) FROM inspectors WHERE account = ?`, account).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return gongshi.Errorf(gongshi.ENOTFOUND, "%s is not on the inspector roster", account)
	}
	_, err := t.exec(`INSERT INTO inspector_conflicts (account, enterprise, reason, declared_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (account, enterprise) DO UPDATE SET reason = excluded.reason`, account, c.Enterprise, c.Reason, formatTime(c.DeclaredAt))
	return err
}

// NextNumber reads the series' table: draws or cases (never input).
func (t *tx) NextNumber(series gongshi.Series, prefix string) (int, error) {
	table := map[gongshi.Series]string{gongshi.DrawNumbers: "draws", gongshi.CaseNumbers: "cases"}[series]
	if table == "" {
		return 0, fmt.Errorf("next number: unknown series %q", series)
	}
	var last string
	switch err := t.queryRow(nextNumberQuery(table, prefix, t.db.dialect)).Scan(&last); {
	case errors.Is(err, sql.ErrNoRows):
		return 1, nil
	case err != nil:
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimPrefix(last, prefix))
	if err != nil {
		return 0, fmt.Errorf("next sequence after %q: %w", last, err)
	}
	return n + 1, nil
}

// nextNumberQuery reads the last number of a series that starts with prefix (its numbers
// are of one width) by the table's index on number. In the sequencer, by LIKE on SQLite,
// which ignores case where the index does not, it read every case of the register at each
// new one; SQLite's GLOB is case-sensitive and reads the index's range.
func nextNumberQuery(table, prefix string, d dialect) (string, any) {
	match, pattern := `number GLOB ?`, prefix+"*"
	if d.postgres {
		match, pattern = `number LIKE ?`, prefix+"%"
	}
	return `SELECT number FROM ` + table + ` WHERE ` + match + ` ORDER BY number DESC LIMIT 1`, pattern
}

// CreateDraw indexes a draw by its number and keeps its texts and secret seed; what the
// draw is, is read from its record's documents (its info column is no longer written).
func (t *tx) CreateDraw(d *gongshi.Draw, population, roster, seed []byte) error {
	var id int64
	if err := t.queryRow(`SELECT COALESCE(MAX(id), 0) + 1 FROM draws`).Scan(&id); err != nil {
		return err
	}
	if _, err := t.exec(`INSERT INTO draws (id, number, jurisdiction, state, record, info, seed, planned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		id, d.Number, d.Jurisdiction, d.State, d.Record, "{}", seed, formatTime(d.PlannedAt)); err != nil {
		return fmt.Errorf("insert draw: %w", err)
	}
	for _, x := range []struct {
		which string
		text  []byte
	}{{"population", population}, {"roster", roster}} {
		if _, err := t.exec(`INSERT INTO draw_texts (draw, which, text) VALUES (?, ?, ?)`, id, x.which, nonNil(x.text)); err != nil {
			return fmt.Errorf("insert draw %s: %w", x.which, err)
		}
	}
	return nil
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func (t *tx) DrawSecret(number string) (*gongshi.Draw, []byte, error) {
	d, _, seed, err := readDraw(t, number)
	return d, seed, err
}

func readDraw(t *tx, number string) (*gongshi.Draw, int64, []byte, error) {
	var id, record int64
	var seed []byte
	err := t.queryRow(`SELECT id, record, seed FROM draws WHERE number = ?`, number).Scan(&id, &record, &seed)
	if err == sql.ErrNoRows {
		return nil, 0, nil, noDraw(number)
	}
	if err != nil {
		return nil, 0, nil, err
	}
	rows, err := t.query(`SELECT `+storedColsFor(false)+` FROM versions v WHERE v.record = ? ORDER BY v.version`, record)
	svs, err := t.db.docs.storedVersions(rows, err)
	if err != nil {
		return nil, 0, nil, err
	}
	vs := make([]*gongshi.Version, len(svs))
	for i, sv := range svs {
		if vs[i], err = gongshi.OpenVersion(sv, false); err != nil {
			return nil, 0, nil, err
		}
	}
	d, err := gongshi.DrawOf(vs)
	return d, id, seed, err
}

func (t *tx) SaveDrawResult(d *gongshi.Draw, result []byte, as []draw.Assignment) error {
	var id int64
	if err := t.queryRow(`SELECT id FROM draws WHERE number = ?`, d.Number).Scan(&id); err != nil {
		return err
	}
	if _, err := t.exec(`UPDATE draws SET state = ? WHERE id = ?`, d.State, id); err != nil {
		return err
	}
	if _, err := t.exec(`INSERT INTO draw_texts (draw, which, text) VALUES (?, 'result', ?)`, id, nonNil(result)); err != nil {
		return fmt.Errorf("insert draw result: %w", err)
	}
	const per = 200
	for i := 0; i < len(as); i += per {
		end := min(i+per, len(as))
		args := make([]any, 0, 4*(end-i))
		for _, a := range as[i:end] {
			args = append(args, id, a.Code, a.Rank, strings.Join(a.Inspectors, "\t"))
		}
		if _, err := t.exec(`INSERT INTO draw_selection (draw, enterprise, rank, inspectors) VALUES `+placeholders(end-i, 4), args...); err != nil {
			return fmt.Errorf("insert selection: %w", err)
		}
	}
	return nil
}

func (t *tx) Assignment(number, code string) (*draw.Assignment, error) {
	var rank int
	var insp string
	err := t.queryRow(`SELECT s.rank, s.inspectors FROM draw_selection s JOIN draws d ON d.id = s.draw WHERE d.number = ? AND s.enterprise = ?`, number, code).Scan(&rank, &insp)
	if err == sql.ErrNoRows {
		return nil, &gongshi.Error{Code: gongshi.EINVALID, Field: "enterprise", Message: fmt.Sprintf("%s was not selected in draw %s", code, number), Fix: "record results only for the enterprises the draw selected (GET /api/v1/draws/" + number + "/result)"}
	}
	if err != nil {
		return nil, err
	}
	return &draw.Assignment{Rank: rank, Code: code, Inspectors: strings.Split(insp, "\t")}, nil
}

func (t *tx) PutSpotCheckResult(r *gongshi.SpotCheckResult) error {
	_, err := t.exec(`INSERT INTO spot_check_results (draw, enterprise, outcome, checked, ground, log_index)
		SELECT id, ?, ?, ?, ?, ? FROM draws WHERE number = ?`, r.Enterprise, r.Outcome, r.Checked, r.Ground, r.Version.LogIndex, r.Draw)
	if isUniqueViolation(err) {
		return &gongshi.Error{Code: gongshi.ECONFLICT, Field: "enterprise", Message: fmt.Sprintf("the result of checking %s in draw %s is already published", r.Enterprise, r.Draw), Fix: "each selected enterprise has one result"}
	}
	return err
}

func (t *tx) AddListingGround(g *gongshi.ListingGround) error {
	rec, err := parseID(g.Record)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO listing_grounds (id, enterprise, ground, arose, source, source_ref, record, authority, created_at)
		SELECT COALESCE(MAX(id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ? FROM listing_grounds WHERE 1 = 1
		ON CONFLICT (enterprise, ground, source, source_ref) DO NOTHING`,
		g.Enterprise, g.Ground, g.Arose, g.Source, g.SourceRef, rec, g.Authority, formatTime(g.CreatedAt))
	return err
}
