package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/gongshi/gongshi"
)

// Draw returns a draw as published: the seed is in its info only once drawn.
func (db *DB) Draw(ctx context.Context, number string) (*gongshi.Draw, error) {
	d, _, _, err := readDraw(db.r, db.dialect, number)
	return d, err
}

func (db *DB) DrawText(ctx context.Context, number, which string) ([]byte, error) {
	var text []byte
	err := db.r.QueryRowContext(ctx, db.dialect.rebind(`SELECT t.text FROM draw_texts t JOIN draws d ON d.id = t.draw WHERE d.number = ? AND t.which = ?`), number, which).Scan(&text)
	if err == sql.ErrNoRows {
		if _, err := db.Draw(ctx, number); err != nil {
			return nil, err
		}
		return nil, &gongshi.Error{Code: gongshi.ENOTFOUND, Message: fmt.Sprintf("draw %s has no %s yet", number, which), Fix: "the result exists once the draw has been run"}
	}
	return nonNil(text), err
}

func (db *DB) Draws(ctx context.Context, prefix string, limit int) ([]*gongshi.Draw, error) {
	rows, err := db.r.QueryContext(ctx, db.dialect.rebind(`SELECT info FROM draws WHERE jurisdiction LIKE ? ORDER BY id DESC LIMIT ?`), prefix+"%", limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*gongshi.Draw{}
	for rows.Next() {
		var info string
		if err := rows.Scan(&info); err != nil {
			return nil, err
		}
		var d gongshi.Draw
		if err := json.Unmarshal([]byte(info), &d); err != nil {
			return nil, err
		}
		out = append(out, &d)
	}
	return out, rows.Err()
}

func (db *DB) SpotCheckResults(ctx context.Context, number string) ([]*gongshi.SpotCheckResult, error) {
	rows, err := db.r.QueryContext(ctx, db.dialect.rebind(`SELECT r.enterprise, r.outcome, r.checked, r.ground, r.log_index, COALESCE(e.name, '')
		FROM spot_check_results r JOIN draws d ON d.id = r.draw LEFT JOIN enterprises e ON e.uscc = r.enterprise
		WHERE d.number = ? ORDER BY r.enterprise`), number)
	if err != nil {
		return nil, err
	}
	var out []*gongshi.SpotCheckResult
	var idx []int64
	for rows.Next() {
		r := &gongshi.SpotCheckResult{Draw: number}
		var li int64
		if err := rows.Scan(&r.Enterprise, &r.Outcome, &r.Checked, &r.Ground, &li, &r.Name); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
		idx = append(idx, li)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, r := range out {
		recs, err := readRecords(db.r, db.dialect, `v.log_index = ?`, idx[i])
		if err != nil {
			return nil, err
		}
		if len(recs) == 1 {
			r.Version = recs[0].Versions[0]
			r.Version.Fields = r.Version.Body // every field of a result is public
		}
	}
	if out == nil {
		out = []*gongshi.SpotCheckResult{}
	}
	return out, nil
}

func (db *DB) Roster(ctx context.Context, prefix string) ([]*gongshi.InspectorEntry, error) {
	rows, err := db.r.QueryContext(ctx, db.dialect.rebind(`SELECT i.account, COALESCE(a.name, ''), i.jurisdiction, i.added_at, COALESCE(c.enterprise, ''), COALESCE(c.reason, ''), COALESCE(c.declared_at, '')
		FROM inspectors i LEFT JOIN accounts a ON a.id = i.account LEFT JOIN inspector_conflicts c ON c.account = i.account
		WHERE i.jurisdiction LIKE ? ORDER BY i.account, c.enterprise`), prefix+"%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*gongshi.InspectorEntry{}
	for rows.Next() {
		var in gongshi.InspectorEntry
		var added, ent, reason, declared string
		if err := rows.Scan(&in.Account, &in.Name, &in.Jurisdiction, &added, &ent, &reason, &declared); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].Account != in.Account {
			in.AddedAt, in.Conflicts = parseTime(added), []gongshi.Conflict{}
			out = append(out, &in)
		}
		if ent != "" {
			last := out[len(out)-1]
			last.Conflicts = append(last.Conflicts, gongshi.Conflict{Enterprise: ent, Reason: reason, DeclaredAt: parseTime(declared)})
		}
	}
	return out, rows.Err()
}

func (db *DB) ListingGrounds(ctx context.Context, uscc string) ([]*gongshi.ListingGround, error) {
	rows, err := db.r.QueryContext(ctx, db.dialect.rebind(`SELECT enterprise, ground, arose, source, source_ref, record, authority, created_at
		FROM listing_grounds WHERE enterprise = ? ORDER BY id`), uscc)
	return collect(rows, err, "listing grounds", scanGround)
}

// scanGround scans a row of listing_grounds: enterprise, ground, arose, source, source_ref,
// record, authority, created_at.
func scanGround(row scanner) (*gongshi.ListingGround, error) {
	var g gongshi.ListingGround
	var rec int64
	var created string
	if err := row.Scan(&g.Enterprise, &g.Ground, &g.Arose, &g.Source, &g.SourceRef, &rec, &g.Authority, &created); err != nil {
		return nil, err
	}
	g.Record, g.CreatedAt = strconv.FormatInt(rec, 10), parseTime(created)
	return &g, nil
}
