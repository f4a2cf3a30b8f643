package sqlstore

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gongshi/gongshi"
)

// tx is a batch transaction seen by one unit of work (gongshi.Tx).
type tx struct {
	db         *DB
	tx         *sql.Tx
	now        time.Time
	leaves     [][]byte
	nextRecord int64
	nextEnt    int64
	logSize    int64 // the log's size when the batch began: its leaves follow
	// ents caches the batch's enterprises by USCC (and their row ids, allocated for those
	// registered in this batch). A unit that fails clears it: rows of earlier units are in
	// the transaction, so the cache can always be rebuilt from it.
	ents map[string]cachedEnt
	// unsure is set once a unit has failed: the batch's earlier units may have changed
	// enterprises that the sequencer's cache of committed ones (db.ents) still holds as
	// they were, so the rest of the batch reads the transaction instead.
	unsure bool
	broken error
	// touched lists the enterprises (USCCs) whose public view the batch changed, for the
	// OnCommit subscribers (response caches).
	touched []string
	// recordEnt maps the records the batch touched to their enterprise's row id, entNext the
	// enterprises to the id of their next version (versionID). A unit that fails clears both.
	recordEnt map[int64]int64
	entNext   map[int64]int64
	// pages are the enterprise rows whose page rows finish makes again (pages.go).
	pages map[int64]bool
	// stmts are the prepared statements bound to the transaction (stmt).
	stmts map[string]*sql.Stmt
}

// Touch records that the batch changed what the public sees of an enterprise. Appending a
// version and putting an enterprise touch it; a change to public views by any other table
// (a withdrawal, a list membership) must touch it too.
func (t *tx) Touch(uscc string) { t.touched = append(t.touched, uscc) }

type cachedEnt struct {
	id  int64
	ent *gongshi.Enterprise // nil for one allocated but not yet put
	new bool
}

func (t *tx) Now() time.Time { return t.now }

func (t *tx) SetNow(now time.Time) { t.now = publicationTime(now) }

// publicationTime is an instant as versions are published at it: in UTC, to the microsecond,
// the precision of a log leaf (translog.TimeLayout), so that a document and its leaf say the
// same time.
func publicationTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func (t *tx) q(query string) string { return t.db.dialect.rebind(query) }

func (t *tx) EnterpriseByCode(code string) (*gongshi.Enterprise, error) {
	if c, ok := t.cached(code); ok && c.ent != nil {
		e := *c.ent
		return &e, nil
	}
	e, id, err := enterpriseByCode(context.Background(), t, code)
	if err != nil {
		return nil, err
	}
	t.cache(e.USCC.String(), cachedEnt{id: id, ent: e})
	c := *e
	return &c, nil
}

// cached returns what the batch, or else the sequencer's cache of committed enterprises,
// knows of an enterprise.
func (t *tx) cached(uscc string) (cachedEnt, bool) {
	if c, ok := t.ents[uscc]; ok {
		return c, true
	}
	if t.unsure {
		return cachedEnt{}, false
	}
	c, ok := t.db.ents.get(uscc)
	if ok {
		t.cache(uscc, c)
	}
	return c, ok
}

func (t *tx) cache(uscc string, c cachedEnt) {
	if t.ents == nil {
		t.ents = make(map[string]cachedEnt)
	}
	t.ents[uscc] = c
}

func (t *tx) Versions(recordID string) ([]*gongshi.Version, error) {
	id, err := parseID(recordID)
	if err != nil {
		return nil, err
	}
	return t.recordVersions(id)
}

func (t *tx) RecordsOf(uscc string, kinds ...string) ([][]*gongshi.Version, error) {
	ent, isNew, err := t.entID(uscc)
	if err != nil || isNew || len(kinds) == 0 {
		return nil, err
	}
	args := []any{ent}
	for _, k := range kinds {
		args = append(args, k)
	}
	rows, err := t.query(`SELECT id FROM records WHERE enterprise = ? AND kind IN (?`+strings.Repeat(", ?", len(kinds)-1)+`) ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	out := make([][]*gongshi.Version, 0, len(ids))
	for _, id := range ids {
		vs, err := t.recordVersions(id)
		if err != nil {
			return nil, err
		}
		out = append(out, vs)
	}
	return out, nil
}

func (t *tx) RecordSalt(recordID string) ([]byte, error) {
	id, err := parseID(recordID)
	if err != nil {
		return nil, err
	}
	var salt []byte
	err = t.queryRow(`SELECT salt FROM records WHERE id = ?`, id).Scan(&salt)
	if err == sql.ErrNoRows {
		return nil, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "id", Message: fmt.Sprintf("no record %s", recordID), Fix: "take the id from a record of GET /api/v1/enterprises/{code}/records"}
	}
	return salt, err
}

// entID returns the row id of an enterprise, allocating one for an enterprise being
// registered in this batch.
func (t *tx) entID(uscc string) (int64, bool, error) {
	if c, ok := t.cached(uscc); ok {
		return c.id, c.new, nil
	}
	var id int64
	err := t.queryRow(`SELECT id FROM enterprises WHERE uscc = ?`, uscc).Scan(&id)
	if err == nil {
		t.cache(uscc, cachedEnt{id: id})
		return id, false, nil
	}
	if err != sql.ErrNoRows {
		return 0, false, err
	}
	id = t.nextEnt
	t.nextEnt++
	t.cache(uscc, cachedEnt{id: id, new: true})
	return id, true, nil
}

func (t *tx) NewRecord(kind, subject string, salt []byte) (string, error) {
	ent, _, err := t.entID(subject)
	if err != nil {
		return "", err
	}
	id := t.nextRecord
	t.nextRecord++
	if _, err := t.exec(`INSERT INTO records (id, kind, enterprise, salt) VALUES (?, ?, ?, ?)`, id, kind, ent, salt); err != nil {
		return "", fmt.Errorf("insert record: %w", err)
	}
	t.noteRecord(id, ent)
	return strconv.FormatInt(id, 10), nil
}

func (t *tx) PutEnterprise(e *gongshi.Enterprise, terms gongshi.SearchTerms) error {
	id, isNew, err := t.entID(e.USCC.String())
	if err != nil {
		return err
	}
	// Most changes (address, scope, capital) leave the names and the legal representative
	// as they were: then their indexes and the search index are left alone.
	if old := t.ents[e.USCC.String()]; !isNew && old.ent != nil && sameTerms(old.ent, e) {
		_, err = t.exec(`UPDATE enterprises SET category = ?, type = ?, status = ?, established = ?, changed_at = ?, industry = ?, size = ? WHERE id = ?`,
			string(e.Category), e.Type, e.Status, e.Established, formatTime(e.LatestChangeAt), e.Industry, e.Size, id)
		if err != nil {
			return fmt.Errorf("put enterprise: %w", err)
		}
	} else if err := t.upsertEnterprise(id, isNew, e, terms); err != nil {
		return err
	}
	e2 := *e
	t.cache(e.USCC.String(), cachedEnt{id: id, ent: &e2})
	t.Touch(e.USCC.String())
	return nil
}

// upsertEnterprise writes every column of an enterprise and its search terms.
func (t *tx) upsertEnterprise(id int64, isNew bool, e *gongshi.Enterprise, terms gongshi.SearchTerms) error {
	reg, err := parseID(e.Registration)
	if err != nil {
		return err
	}
	former, _ := json.Marshal(e.Former)
	if e.Former == nil {
		former = []byte("[]")
	}
	var regNo any
	if !e.RegNo.IsZero() {
		regNo = e.RegNo
	}
	_, err = t.exec(`INSERT INTO enterprises (id, uscc, regno, name, former, legal_rep, division, category, type, status, established, registration, registered_at, changed_at, initials, industry, size)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, former = excluded.former, legal_rep = excluded.legal_rep,
			category = excluded.category, type = excluded.type, status = excluded.status, established = excluded.established, changed_at = excluded.changed_at,
			initials = excluded.initials, industry = excluded.industry, size = excluded.size`,
		id, e.USCC, regNo, e.Name, string(former), e.LegalRep, e.Division, string(e.Category), e.Type, e.Status,
		e.Established, reg, formatTime(e.RegisteredAt), formatTime(e.LatestChangeAt), terms.Initials, e.Industry, e.Size)
	if isUniqueViolation(err) {
		return &gongshi.Error{Code: gongshi.ECONFLICT, Field: "registration_number", Message: "another enterprise has this registration number", Fix: "check the number"}
	}
	if err != nil {
		return fmt.Errorf("put enterprise: %w", err)
	}
	return t.putSearch(id, isNew, terms)
}

func (t *tx) CreateAccount(a *gongshi.Account, passwordHash string) error {
	kinds, _ := json.Marshal(a.Kinds)
	_, err := t.exec(`INSERT INTO accounts (id, name, role, jurisdiction, enterprise, kinds, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Name, string(a.Role), a.Jurisdiction, a.Enterprise, string(kinds), passwordHash, formatTime(a.CreatedAt))
	if isUniqueViolation(err) {
		return &gongshi.Error{Code: gongshi.ECONFLICT, Field: "id", Message: fmt.Sprintf("account %q exists", a.ID), Fix: "choose another id, or issue a token for the existing account"}
	}
	return err
}

func (t *tx) AddToken(accountID, tokenHash string, expires time.Time) error {
	var n int
	if err := t.queryRow(`SELECT COUNT(*) FROM accounts WHERE id = ?`, accountID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return gongshi.Errorf(gongshi.ENOTFOUND, "no account %q", accountID)
	}
	_, err := t.exec(`INSERT INTO tokens (hash, account, created_at, expires_at) VALUES (?, ?, ?, ?)`, tokenHash, accountID, formatTime(t.now), nullTime(expires))
	return err
}

func sameTerms(a, b *gongshi.Enterprise) bool {
	return a.Name == b.Name && a.LegalRep == b.LegalRep && slices.Equal(a.Former, b.Former)
}

// entCache keeps enterprises as committed, for the sequencer's batches: a bulk load reads
// each enterprise for every record it publishes. Only the sequencer goroutine uses it, and
// only the sequencer changes enterprises, so it is exact; it forgets everything when full
// (2,000,000 enterprises, about 1 GB).
type entCache struct{ m map[string]cachedEnt }

const entCacheMax = 2_000_000

func (c *entCache) get(uscc string) (cachedEnt, bool) {
	e, ok := c.m[uscc]
	return e, ok
}

// commit takes in what a committed batch read and wrote. A batch in which a unit failed
// no longer knows which enterprises its other units changed: the cache starts again.
func (c *entCache) commit(ents map[string]cachedEnt, unsure bool) {
	if c.m == nil || unsure || len(c.m)+len(ents) > entCacheMax {
		c.m = make(map[string]cachedEnt, len(ents))
	}
	for uscc, e := range ents {
		if e.ent != nil {
			e.new = false
			c.m[uscc] = e
		}
	}
}

// shaKey is the first 8 bytes of a SHA-256 as an int64: a compact index key for documents.
func shaKey(sum []byte) int64 { return int64(binary.BigEndian.Uint64(sum[:8])) }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "id", Message: fmt.Sprintf("no record %q", s), Fix: "record ids are positive whole numbers"}
	}
	return id, nil
}

func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505") || strings.Contains(s, "duplicate key value")
}

var errNoRows = errors.New("no rows")
