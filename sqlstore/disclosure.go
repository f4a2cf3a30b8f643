package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// 2: self-disclosure (Art. 8–12): annual-report filings, drafts, orders, consents and the
// views made under them. Current state only; what is published is in versions.
// annual_reports is keyed by (uscc, year), which is also how the enforcement sweep asks
// "has this enterprise filed for year Y" (ground 1, Art. 17); on SQLite it is stored in
// its key's B-tree (WITHOUT ROWID): the peak of filings writes one tree, not two.
const disclosureSchema = `CREATE TABLE annual_reports (
		uscc TEXT NOT NULL,
		year INTEGER NOT NULL,
		kind TEXT NOT NULL,
		record BIGINT NOT NULL,
		filed TEXT NOT NULL,
		due TEXT NOT NULL,
		on_time INTEGER NOT NULL,
		paper INTEGER NOT NULL,
		PRIMARY KEY (uscc, year)
	){{without rowid}};
	CREATE TABLE annual_report_drafts (
		uscc TEXT NOT NULL,
		year INTEGER NOT NULL,
		fields TEXT NOT NULL,
		saved_at TEXT NOT NULL,
		saved_by TEXT NOT NULL,
		PRIMARY KEY (uscc, year)
	);
	CREATE TABLE orders (
		record BIGINT PRIMARY KEY,
		uscc TEXT NOT NULL,
		division TEXT NOT NULL,
		item TEXT NOT NULL,
		issued TEXT NOT NULL,
		deadline TEXT NOT NULL,
		policy TEXT NOT NULL,
		issuer TEXT NOT NULL,
		fulfilled_by TEXT NOT NULL,
		fulfilled_on TEXT NOT NULL
	);
	CREATE INDEX orders_uscc ON orders(uscc, item);
	CREATE INDEX orders_deadline ON orders(deadline);
	CREATE TABLE consents (
		id TEXT PRIMARY KEY,
		uscc TEXT NOT NULL,
		grantee TEXT NOT NULL,
		items TEXT NOT NULL,
		valid_from TEXT NOT NULL,
		valid_until TEXT NOT NULL,
		granted_at TEXT NOT NULL,
		granted_by TEXT NOT NULL,
		revoked_at TEXT NOT NULL,
		revoked_by TEXT NOT NULL
	);
	CREATE INDEX consents_uscc ON consents(uscc, grantee);
	CREATE TABLE consent_views (
		consent TEXT NOT NULL,
		uscc TEXT NOT NULL,
		viewer TEXT NOT NULL,
		record BIGINT NOT NULL,
		kind TEXT NOT NULL,
		version INTEGER NOT NULL,
		items TEXT NOT NULL,
		at TEXT NOT NULL
	);
	CREATE INDEX consent_views_uscc ON consent_views(uscc, at);`

const filingCols = `uscc, year, kind, record, filed, due, on_time, paper`

func scanFiling(row scanner) (*gongshi.ReportFiling, error) {
	var f gongshi.ReportFiling
	var rec int64
	var onTime, paper int
	if err := row.Scan(&f.USCC, &f.Year, &f.Kind, &rec, &f.Filed, &f.Due, &onTime, &paper); err != nil {
		return nil, err
	}
	f.Record = strconv.FormatInt(rec, 10)
	f.OnTime, f.Paper = onTime == 1, paper == 1
	return &f, nil
}

func (db *DB) AnnualReports(ctx context.Context, uscc string) ([]*gongshi.ReportFiling, error) {
	rows, err := db.read(ctx, `SELECT `+filingCols+` FROM annual_reports WHERE uscc = ? ORDER BY year`, uscc)
	return collect(rows, err, "annual reports", scanFiling)
}

func (db *DB) AnnualReportDraft(ctx context.Context, uscc string, year int) (*gongshi.AnnualReportDraft, error) {
	d := gongshi.AnnualReportDraft{USCC: uscc, Year: year}
	var fields, saved string
	err := db.readRow(ctx, `SELECT fields, saved_at, saved_by FROM annual_report_drafts WHERE uscc = ? AND year = ?`, uscc, year).Scan(&fields, &saved, &d.SavedBy)
	if err == sql.ErrNoRows {
		return nil, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "year", Message: fmt.Sprintf("no draft of the %d annual report is saved", year), Fix: "save one with \"draft\": true"}
	}
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(fields))
	dec.UseNumber()
	if err := dec.Decode(&d.Fields); err != nil {
		return nil, fmt.Errorf("draft fields: %w", err)
	}
	d.SavedAt = parseTime(saved)
	return &d, nil
}

const orderCols = `record, uscc, division, item, issued, deadline, policy, issuer, fulfilled_by, fulfilled_on, provisional`

func scanOrders(rows *sql.Rows, err error) ([]*gongshi.Order, error) {
	return collect(rows, err, "orders", scanOrder)
}

func scanOrder(row scanner) (*gongshi.Order, error) {
	var o gongshi.Order
	var rec int64
	var prov int
	if err := row.Scan(&rec, &o.USCC, &o.Division, &o.Item, &o.Issued, &o.Deadline, &o.Policy, &o.Issuer, &o.FulfilledBy, &o.FulfilledOn, &prov); err != nil {
		return nil, err
	}
	o.Record = strconv.FormatInt(rec, 10)
	o.Provisional = gongshi.ProvisionalOf(prov, "deadline")
	return &o, nil
}

func (db *DB) Orders(ctx context.Context, uscc string) ([]*gongshi.Order, error) {
	return scanOrders(db.read(ctx, `SELECT `+orderCols+` FROM orders WHERE uscc = ? ORDER BY record`, uscc))
}

func (db *DB) OrdersLapsed(ctx context.Context, asOf calendar.Date) ([]*gongshi.Order, error) {
	return scanOrders(db.read(ctx, `SELECT `+orderCols+` FROM orders
		WHERE deadline < ? AND (fulfilled_on = '' OR fulfilled_on > deadline) ORDER BY deadline, record`, asOf.String()))
}

const consentCols = `id, uscc, grantee, items, valid_from, valid_until, granted_at, granted_by, revoked_at, revoked_by`

func scanConsent(row scanner) (*gongshi.Consent, error) {
	var c gongshi.Consent
	var items, granted, revoked string
	if err := row.Scan(&c.ID, &c.USCC, &c.Grantee, &items, &c.From, &c.Until, &granted, &c.GrantedBy, &revoked, &c.RevokedBy); err != nil {
		return nil, err
	}
	json.Unmarshal([]byte(items), &c.Items)
	c.GrantedAt = parseTime(granted)
	if revoked != "" {
		t := parseTime(revoked)
		c.RevokedAt = &t
	}
	return &c, nil
}

func scanConsents(rows *sql.Rows, err error) ([]*gongshi.Consent, error) {
	return collect(rows, err, "consents", scanConsent)
}

func (db *DB) ConsentsOf(ctx context.Context, uscc string) ([]*gongshi.Consent, error) {
	return scanConsents(db.read(ctx, `SELECT `+consentCols+` FROM consents WHERE uscc = ? ORDER BY granted_at DESC, id`, uscc))
}

func (db *DB) ConsentsHeld(ctx context.Context, uscc, account string, on calendar.Date) ([]*gongshi.Consent, error) {
	d := on.String()
	return scanConsents(db.read(ctx, `SELECT `+consentCols+` FROM consents
		WHERE uscc = ? AND grantee = ? AND revoked_at = '' AND valid_from <= ? AND valid_until >= ? ORDER BY id`, uscc, account, d, d))
}

func (db *DB) ConsentViews(ctx context.Context, uscc string) ([]*gongshi.ConsentView, error) {
	rows, err := db.read(ctx, `SELECT consent, uscc, viewer, record, kind, version, items, at FROM consent_views WHERE uscc = ? ORDER BY at DESC`, uscc)
	if err != nil {
		return nil, fmt.Errorf("read consent views: %w", err)
	}
	defer rows.Close()
	var out []*gongshi.ConsentView
	for rows.Next() {
		var v gongshi.ConsentView
		var rec int64
		var items, at string
		if err := rows.Scan(&v.Consent, &v.USCC, &v.Viewer, &rec, &v.Kind, &v.Version, &items, &at); err != nil {
			return nil, err
		}
		v.Record = strconv.FormatInt(rec, 10)
		json.Unmarshal([]byte(items), &v.Items)
		v.At = parseTime(at)
		out = append(out, &v)
	}
	return out, rows.Err()
}

// Write side (gongshi.DisclosureTx).

func (t *tx) AnnualReport(uscc string, year int) (*gongshi.ReportFiling, error) {
	f, err := scanFiling(t.queryRow(`SELECT `+filingCols+` FROM annual_reports WHERE uscc = ? AND year = ?`, uscc, year))
	if err == sql.ErrNoRows {
		return nil, gongshi.Errorf(gongshi.ENOTFOUND, "no annual report of %s for %d is filed", uscc, year)
	}
	return f, err
}

func (t *tx) PutAnnualReport(f *gongshi.ReportFiling) error {
	rec, err := parseID(f.Record)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO annual_reports (`+filingCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		f.USCC, f.Year, f.Kind, rec, f.Filed, f.Due, boolInt(f.OnTime), boolInt(f.Paper))
	if isUniqueViolation(err) {
		return &gongshi.Error{Code: gongshi.ECONFLICT, Field: "year", Message: fmt.Sprintf("the annual report for %d is already filed", f.Year), Fix: "correct the filed report instead (Art. 12)"}
	}
	return err
}

func (t *tx) PutAnnualReportDraft(d *gongshi.AnnualReportDraft) error {
	fields, err := json.Marshal(d.Fields)
	if err != nil {
		return fmt.Errorf("draft fields: %w", err)
	}
	_, err = t.exec(`INSERT INTO annual_report_drafts (uscc, year, fields, saved_at, saved_by) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (uscc, year) DO UPDATE SET fields = excluded.fields, saved_at = excluded.saved_at, saved_by = excluded.saved_by`,
		d.USCC, d.Year, string(fields), formatTime(d.SavedAt), d.SavedBy)
	return err
}

func (t *tx) DeleteAnnualReportDraft(uscc string, year int) error {
	_, err := t.exec(`DELETE FROM annual_report_drafts WHERE uscc = ? AND year = ?`, uscc, year)
	return err
}

func (t *tx) PutOrder(o *gongshi.Order) error {
	rec, err := parseID(o.Record)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO orders (`+orderCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (record) DO UPDATE SET fulfilled_by = excluded.fulfilled_by, fulfilled_on = excluded.fulfilled_on,
			deadline = excluded.deadline, policy = excluded.policy, provisional = excluded.provisional`,
		rec, o.USCC, o.Division, o.Item, o.Issued, o.Deadline, o.Policy, o.Issuer, o.FulfilledBy, o.FulfilledOn, o.Provisional.Awaits())
	return err
}

func (t *tx) OpenOrders(uscc, item string) ([]*gongshi.Order, error) {
	return scanOrders(t.query(`SELECT `+orderCols+` FROM orders WHERE uscc = ? AND item = ? AND fulfilled_on = '' ORDER BY record`, uscc, item))
}

func (t *tx) PutConsent(c *gongshi.Consent) error {
	items, _ := json.Marshal(c.Items)
	revoked := ""
	if c.RevokedAt != nil {
		revoked = formatTime(*c.RevokedAt)
	}
	_, err := t.exec(`INSERT INTO consents (`+consentCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET revoked_at = excluded.revoked_at, revoked_by = excluded.revoked_by`,
		c.ID, c.USCC, c.Grantee, string(items), c.From, c.Until, formatTime(c.GrantedAt), c.GrantedBy, revoked, c.RevokedBy)
	return err
}

func (t *tx) Consent(id string) (*gongshi.Consent, error) {
	c, err := scanConsent(t.queryRow(`SELECT `+consentCols+` FROM consents WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return nil, &gongshi.Error{Code: gongshi.ENOTFOUND, Field: "id", Message: fmt.Sprintf("no consent %q", id), Fix: "list your consents with GET /api/v1/consents"}
	}
	return c, err
}

func (t *tx) AddConsentViews(vs []*gongshi.ConsentView) error {
	for _, v := range vs {
		rec, err := parseID(v.Record)
		if err != nil {
			return err
		}
		items, _ := json.Marshal(v.Items)
		if _, err := t.exec(`INSERT INTO consent_views (consent, uscc, viewer, record, kind, version, items, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			v.Consent, v.USCC, v.Viewer, rec, v.Kind, v.Version, string(items), formatTime(v.At)); err != nil {
			return fmt.Errorf("record consent view: %w", err)
		}
	}
	return nil
}
