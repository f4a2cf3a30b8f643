package sqlstore

import "context"

// RefillInitials blanks the initials of every enterprise and runs the Go step of their
// migration again, as on a database that an older gongshi left.
func RefillInitials(ctx context.Context, db *DB) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE enterprises SET initials = ''`); err != nil {
		return err
	}
	if err := fillInitials(ctx, tx, db.dialect); err != nil {
		return err
	}
	return tx.Commit()
}
