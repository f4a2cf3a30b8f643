package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gongshi/gongshi"
)

// caseHandlerSchema: a case about a department's record is routed to that department
// (gongshi.Case.Handler); its queue is read by handler.
const caseHandlerSchema = `ALTER TABLE cases ADD COLUMN handler TEXT NOT NULL DEFAULT '';
	CREATE INDEX cases_handler ON cases(handler, due)`

// A case's row keeps what the queue filters on in columns and the rest as JSON: info (no
// personal data) and person (the filer's identity, served only through caseAccess), and
// the hash of its check code (gongshi's casecheck.go).

// caseCheckSchema adds the check code's hash; cases filed before it have none, and only
// the regulator in scope can look them up.
const caseCheckSchema = `ALTER TABLE cases ADD COLUMN check_hash TEXT`

func (t *tx) CreateCase(c *gongshi.Case) error {
	info, person, err := caseJSON(c)
	if err != nil {
		return err
	}
	var id int64
	if err := t.queryRow(`SELECT COALESCE(MAX(id), 0) + 1 FROM cases`).Scan(&id); err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO cases (id, number, kind, state, division, enterprise, due, info, person, handler, check_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, c.Number, c.Kind, c.State, c.Division, c.Enterprise, c.Due, info, person, c.Handler, c.CheckHash)
	return err
}

func (t *tx) CaseForUpdate(number string) (*gongshi.Case, error) {
	return readCase(t.queryRow(`SELECT `+caseCols+` FROM cases WHERE number = ?`, number), number)
}

func (t *tx) UpdateCase(c *gongshi.Case) error {
	info, person, err := caseJSON(c)
	if err != nil {
		return err
	}
	var li any
	if c.AnswerVersion != nil {
		li = c.AnswerVersion.LogIndex
	}
	_, err = t.exec(`UPDATE cases SET state = ?, due = ?, info = ?, person = ?, answer_log_index = COALESCE(?, answer_log_index) WHERE number = ?`,
		c.State, c.Due, info, person, li, c.Number)
	return err
}

func caseJSON(c *gongshi.Case) (string, string, error) {
	cp := *c
	cp.Person, cp.AnswerVersion, cp.Check = nil, nil, ""

	info, err := json.Marshal(&cp)
	if err != nil {
		return "", "", err
	}
	person, err := json.Marshal(c.Person)
	return string(info), string(person), err
}

const caseCols = `info, person, answer_log_index`

func readCase(row *sql.Row, number string) (*gongshi.Case, error) {
	var info, person string
	var li sql.NullInt64
	err := row.Scan(&info, &person, &li)
	if err == sql.ErrNoRows {
		return nil, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "number", Message: fmt.Sprintf("no case %q", number), Fix: "case numbers look like J2026-310115-000123, as given when the case was filed"}
	}
	if err != nil {
		return nil, err
	}
	return decodeCase(info, person)
}

func decodeCase(info, person string) (*gongshi.Case, error) {
	var c gongshi.Case
	dec := json.NewDecoder(strings.NewReader(info))
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("case: %w", err)
	}
	if err := json.Unmarshal([]byte(person), &c.Person); err != nil {
		return nil, fmt.Errorf("case person: %w", err)
	}
	return &c, nil
}

func (db *DB) Case(ctx context.Context, number string) (*gongshi.Case, error) {
	var info, person string
	var li sql.NullInt64
	var check sql.NullString
	err := db.readRow(ctx, `SELECT `+caseCols+`, check_hash FROM cases WHERE number = ?`, number).Scan(&info, &person, &li, &check)
	if err == sql.ErrNoRows {
		return nil, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "number", Message: fmt.Sprintf("no case %q", number), Fix: "case numbers look like J2026-310115-000123, as given when the case was filed"}
	}
	if err != nil {
		return nil, err
	}
	c, err := decodeCase(info, person)
	if err != nil {
		return nil, err
	}
	c.CheckHash = check.String
	if li.Valid {
		vs, err := versionsAt(ctx, db, li.Int64)
		if err != nil {
			return nil, err
		}
		if len(vs) == 1 {
			c.AnswerVersion = vs[0]
			c.AnswerVersion.Fields = c.AnswerVersion.Body // every field of an answer is public
		}
	}
	return c, nil
}

func (db *DB) CaseQueue(ctx context.Context, cq gongshi.CaseQueueQuery) ([]*gongshi.Case, error) {
	q, args := caseQueueQuery(cq)
	rows, err := db.read(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*gongshi.Case{}
	for rows.Next() {
		var info, person string
		if err := rows.Scan(&info, &person); err != nil {
			return nil, err
		}
		c, err := decodeCase(info, person)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// caseQueueQuery reads a case queue: a regulator's by the index cases_queue (division,
// handler; divisionIn).
func caseQueueQuery(cq gongshi.CaseQueueQuery) (string, []any) {
	where, args := []string{}, []any{}
	if cond, in := divisionIn("division", cq.Prefix); cond != "" {
		where, args = append(where, cond), in
	}
	if cq.Handler != "*" {
		where, args = append(where, `handler = ?`), append(args, cq.Handler)
	}
	if cq.Open {
		where = append(where, `state IN ('received', 'in_review')`)
	}
	return `SELECT info, person FROM cases` + whereAll(where) + ` ORDER BY due, number LIMIT ?`, append(args, cq.Limit)
}
