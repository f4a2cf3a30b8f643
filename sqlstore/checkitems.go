package sqlstore

import (
	"context"
	"fmt"

	"github.com/gongshi/gongshi"
)

// 16: the lists of check items (gongshi.CheckItem): one row per item, made from its latest
// version, by which the lists are selected; the item is read from its versions. prefix is
// the division-code prefix it applies in ("" for a national department's), so that the
// items applying in a division d are those with d LIKE prefix || '%'.
const checkItemsSchema = `CREATE TABLE check_items (
		record {{id}},
		jurisdiction TEXT NOT NULL,
		prefix TEXT NOT NULL,
		authority TEXT NOT NULL,
		state TEXT NOT NULL,
		version INTEGER NOT NULL
	);
	CREATE INDEX check_items_authority ON check_items(authority);`

// checkItemRow is an item's row, in the order of checkItemCols.
func checkItemRow(c *gongshi.CheckItem) []string {
	return []string{c.Jurisdiction, gongshi.ItemPrefix(c.Jurisdiction), c.Publisher.Account, c.State, fmt.Sprint(len(c.Versions))}
}

var checkItemCols = []string{"jurisdiction", "prefix", "authority", "state", "version"}

func (t *tx) PutCheckItem(c *gongshi.CheckItem) error {
	rec, err := parseID(c.ID)
	if err != nil {
		return err
	}
	r := checkItemRow(c)
	_, err = t.exec(`INSERT INTO check_items (record, jurisdiction, prefix, authority, state, version) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (record) DO UPDATE SET state = excluded.state, version = excluded.version`, rec, r[0], r[1], r[2], r[3], len(c.Versions))
	return err
}

// importCheckItem makes the row of an item whose version a snapshot import appended.
func (t *tx) importCheckItem(rec int64) error {
	vs, err := t.recordVersions(rec)
	if err != nil {
		return err
	}
	c, err := gongshi.CheckItemOf(vs)
	if err != nil {
		return err
	}
	return t.PutCheckItem(c)
}

func (db *DB) CheckItemVersions(ctx context.Context, id string) ([]gongshi.StoredVersion, error) {
	rec, err := parseID(id)
	if err == nil {
		var svs []gongshi.StoredVersion
		svs, err = db.docs.storedVersions(db.read(ctx, `SELECT `+storedColsFor(false)+` FROM check_items c JOIN versions v ON v.record = c.record
			WHERE c.record = ? ORDER BY v.version`, rec))
		if err == nil && len(svs) > 0 {
			return svs, nil
		}
	}
	if err != nil && gongshi.ErrorCode(err) != gongshi.EINVALID {
		return nil, err
	}
	return nil, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "id", Message: fmt.Sprintf("no check item %q", id), Fix: "take its id from GET /api/v1/check-items"}
}

func (db *DB) CheckItems(ctx context.Context, q gongshi.CheckItemQuery) ([][]gongshi.StoredVersion, error) {
	where, args := "1 = 1", []any{}
	if q.Division != "" {
		where += ` AND ? LIKE c.prefix || '%'`
		args = append(args, q.Division)
	}
	if q.Authority != "" {
		where += ` AND c.authority = ?`
		args = append(args, q.Authority)
	}
	if q.State != "" {
		where += ` AND c.state = ?`
		args = append(args, q.State)
	}
	return db.groupedVersions(db.read(ctx, `SELECT c.record, `+storedColsFor(false)+` FROM check_items c JOIN versions v ON v.record = c.record
		WHERE `+where+` ORDER BY c.record, v.version`, args...))
}
