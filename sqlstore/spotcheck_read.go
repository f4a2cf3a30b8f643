package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/gongshi/gongshi"
)

// DrawVersions returns the stored versions of a draw's record.
func (db *DB) DrawVersions(ctx context.Context, number string) ([]gongshi.StoredVersion, error) {
	rows, err := db.read(ctx, `SELECT `+storedColsFor(false)+` FROM draws d JOIN versions v ON v.record = d.record
		WHERE d.number = ? ORDER BY v.version`, number)
	svs, err := db.docs.storedVersions(rows, err)
	if err == nil && len(svs) == 0 {
		return nil, noDraw(number)
	}
	return svs, err
}

func noDraw(number string) error {
	return &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "draw", Message: fmt.Sprintf("no draw %q", number), Fix: "draw numbers look like D2026-310115-0001; list them at GET /api/v1/draws"}
}

func (db *DB) DrawText(ctx context.Context, number, which string) ([]byte, error) {
	var text []byte
	err := db.readRow(ctx, `SELECT t.text FROM draw_texts t JOIN draws d ON d.id = t.draw WHERE d.number = ? AND t.which = ?`, number, which).Scan(&text)
	if err == sql.ErrNoRows {
		if _, err := db.DrawVersions(ctx, number); err != nil {
			return nil, err
		}
		return nil, &gongshi.Error{Code: gongshi.ENOTFOUND, Message: fmt.Sprintf("draw %s has no %s yet", number, which), Fix: "the result exists once the draw has been run"}
	}
	return nonNil(text), err
}

func (db *DB) Draws(ctx context.Context, prefix string, limit int) ([][]gongshi.StoredVersion, error) {
	return db.groupedVersions(db.read(ctx, `SELECT d.id, `+storedColsFor(false)+` FROM draws d JOIN versions v ON v.record = d.record
		WHERE d.id IN (SELECT id FROM draws WHERE jurisdiction LIKE ? ORDER BY id DESC LIMIT ?) ORDER BY d.id DESC, v.version`, prefix+"%", limit))
}

// groupedVersions reads rows of a group key and stored versions (storedColsFor(false)),
// ordered by the key, into one list of versions per key.
func (db *DB) groupedVersions(rows *sql.Rows, err error) ([][]gongshi.StoredVersion, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := [][]gongshi.StoredVersion{}
	last := int64(-1)
	for rows.Next() {
		var id int64
		var sv gongshi.StoredVersion
		if err := rows.Scan(&id, &sv.LogIndex, db.docs.into(&sv.Document), &sv.Private, &sv.Salt); err != nil {
			return nil, err
		}
		if id != last {
			out, last = append(out, nil), id
		}
		out[len(out)-1] = append(out[len(out)-1], sv)
	}
	return out, rows.Err()
}

func (db *DB) SpotCheckResults(ctx context.Context, number string) ([]*gongshi.SpotCheckResult, error) {
	rows, err := db.read(ctx, `SELECT r.log_index
		FROM spot_check_results r JOIN draws d ON d.id = r.draw WHERE d.number = ? ORDER BY r.enterprise`, number)
	return db.resultsAt(ctx, rows, err)
}

// resultsAt reads the results whose log indexes rows hold, from their logged versions.
func (db *DB) resultsAt(ctx context.Context, rows *sql.Rows, err error) ([]*gongshi.SpotCheckResult, error) {
	idx, err := collect(rows, err, "spot-check results", scanInt64)
	if err != nil {
		return nil, err
	}
	vs, err := versionsAt(ctx, db, idx...)
	if err != nil {
		return nil, err
	}
	at := make(map[int64]*gongshi.Version, len(vs))
	for _, v := range vs {
		at[v.LogIndex] = v
	}
	out := []*gongshi.SpotCheckResult{}
	for _, li := range idx {
		v := at[li]
		if v == nil || v.Kind != gongshi.KindSpotCheckResult.Name {
			return nil, gongshi.Errorf(gongshi.EINTERNAL, "the result at log index %d is not a logged spot-check result", li)
		}
		out = append(out, gongshi.ResultOf(v))
	}
	return out, nil
}

func (db *DB) SearchSpotCheckResults(ctx context.Context, q gongshi.ResultQuery) ([]*gongshi.SpotCheckResult, error) {
	where, args := `d.jurisdiction LIKE ?`, []any{q.Prefix + "%"}
	if q.Outcome != "" {
		where, args = where+` AND r.outcome = ?`, append(args, q.Outcome)
	}
	if !q.From.IsZero() {
		where, args = where+` AND r.checked >= ?`, append(args, q.From.String())
	}
	if !q.To.IsZero() {
		where, args = where+` AND r.checked <= ?`, append(args, q.To.String())
	}
	rows, err := db.read(ctx, resultsQuery(where), append(args, q.Limit)...)
	return db.resultsAt(ctx, rows, err)
}

// resultsQuery selects the newest spot-check results matching where, walking the index
// spot_check_results_checked (scanIndexesSchema) from its end until it has enough.
func resultsQuery(where string) string {
	return `SELECT r.log_index FROM spot_check_results r JOIN draws d ON d.id = r.draw
		WHERE ` + where + ` ORDER BY r.checked DESC, r.log_index DESC LIMIT ?`
}

func (db *DB) Roster(ctx context.Context, prefix string) ([]*gongshi.InspectorEntry, error) {
	rows, err := db.read(ctx, `SELECT i.account, COALESCE(a.name, ''), i.jurisdiction, i.added_at, COALESCE(c.enterprise, ''), COALESCE(c.reason, ''), COALESCE(c.declared_at, '')
		FROM inspectors i LEFT JOIN accounts a ON a.id = i.account LEFT JOIN inspector_conflicts c ON c.account = i.account
		WHERE i.jurisdiction LIKE ? ORDER BY i.account, c.enterprise`, prefix+"%")
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
	rows, err := db.read(ctx, `SELECT enterprise, ground, arose, source, source_ref, record, authority, created_at
		FROM listing_grounds WHERE enterprise = ? ORDER BY id`, uscc)
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
