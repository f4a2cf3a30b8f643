package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/gongshi/gongshi"
)

// 15: an enterprise's industry (the GB/T 4754-2017 section its registration names) and size
// band (gongshi.SizeOf), which a draw's stratum selects by. Both are made from the latest
// registration version, like the other columns of the row, and AuditState checks them
// against the projection of the enterprise's documents.
const strataSchema = `ALTER TABLE enterprises ADD COLUMN industry TEXT NOT NULL DEFAULT '';
	ALTER TABLE enterprises ADD COLUMN size TEXT NOT NULL DEFAULT ''`

// fillStrata sets the industry and size of the enterprises already registered, from their
// documents.
func fillStrata(ctx context.Context, sqlTx *sql.Tx, d dialect) error {
	return eachEnterprise(ctx, sqlTx, d, `SELECT id FROM enterprises ORDER BY id`, func(ctx context.Context, r pageWriter, ent int64) error {
		_, svs, err := entVersions(ctx, r, ent)
		if err != nil {
			return err
		}
		dossier, err := gongshi.OpenDossier(svs, false)
		if err != nil {
			return nil // AuditState names what is wrong with the versions
		}
		e := gongshi.Project(dossier, func(string) string { return "" }).Enterprise
		if e == nil {
			return nil
		}
		if err := r.write(ctx, `UPDATE enterprises SET industry = ?, size = ? WHERE id = ?`, e.Industry, e.Size, ent); err != nil {
			return fmt.Errorf("fill industry and size: %w", err)
		}
		return nil
	})
}
