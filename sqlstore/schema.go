package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// migrations are the schema's changes, in order: each is applied once, at start, in a
// transaction of its own, and its number is its place in this list. Never edit one that has
// shipped: append a new one. Each names its SQL (kept beside the code that uses the
// tables) and, when SQL cannot do it alone, a Go step run in the same transaction after
// the statements (filling a new column with values computed in Go). In the SQL, {{id}} is
// an integer primary key (SQLite's rowid; BIGINT on PostgreSQL), {{blob}} a byte string,
// {{without rowid}} makes a SQLite table live in its primary key's B-tree (nothing on
// PostgreSQL); statements only for SQLite or PostgreSQL start with "sqlite:" or "postgres:".
var migrations = []migration{
	{"the register, its records and the log", registerSchema, nil},
	{"self-disclosure: annual reports, orders, consents", disclosureSchema, nil},
	{"spot checks and cases", spotCheckSchema, nil},
	{"enforcement: decisions, lists, bans", enforcementSchema, nil},
	{"pinyin initials of names", initialsSchema, fillInitials},
	{"versions as their documents and private values", versionsSchema, convertVersions},
	{"provisional dates", provisionalSchema, nil},
	{"cases routed to departments", caseHandlerSchema, nil},
	{"case check codes", caseCheckSchema, nil},
	{"web sessions; tokens expire", sessionsSchema, expireOldTokens},
	{"the sequencer's holder", sequencerSchema, nil},
	{"watches and their deliveries", watchSchema, nil},
	{"enterprise pages kept by the sequencer", pagesSchema, nil}, // rows made by 22's step
	{"documents compressed, with dictionaries", dictsSchema, nil},
	{"enterprises' industry and size, for draws", strataSchema, fillStrata},
	{"the lists of check items", checkItemsSchema, nil},
	{"indexes for statements that scanned growing tables", scanIndexesSchema, nil},
	{"entries held as their leaf until their withdrawal is in", awaitingSchema, nil},
	{"the lists' entries and the cases by division", divisionIndexesSchema, nil},
	{"the lists' sizes by day", listDaysSchema, fillListDays},
	{"the lists' entries by listing date and by ground", listFilterIndexesSchema, nil},
	{"enterprise pages found by their code in one lookup", pageKeysSchema, keyPages},
}

// 17: indexes for statements that scanned tables growing with the register, found by
// planning every statement the tests run on a 20,000-enterprise demo:
//   - enforcement_decisions by record and spot_check_results by log index: the deletes
//     before an enterprise's projection is written again (projectionDeletes), which a bulk
//     import's finish runs for every enterprise;
//   - spot_check_results by the day checked: the public search of results, newest first
//     (resultsQuery), sorted all of them at every request;
//   - annual_reports by year and division: a regulator's filing progress
//     (filingCountsQuery) counted every year's reports of the whole register.
const scanIndexesSchema = `CREATE INDEX enforcement_decisions_record ON enforcement_decisions(record);
	CREATE INDEX spot_check_results_log ON spot_check_results(log_index);
	CREATE INDEX spot_check_results_checked ON spot_check_results(checked, log_index);
	CREATE INDEX annual_reports_progress ON annual_reports(year, substr(uscc, 3, 6), filed);`

// migration is one change of the schema.
type migration struct {
	what string
	sql  string
	step func(ctx context.Context, tx *sql.Tx, d dialect) error
}

// 1: the register, its records and the log.
const registerSchema = `CREATE TABLE enterprises (
		id {{id}},
		uscc TEXT NOT NULL UNIQUE,
		regno TEXT UNIQUE,
		name TEXT NOT NULL,
		former TEXT NOT NULL DEFAULT '[]',
		legal_rep TEXT NOT NULL,
		division TEXT NOT NULL,
		category TEXT NOT NULL,
		type TEXT NOT NULL,
		status TEXT NOT NULL,
		established TEXT NOT NULL,
		registration BIGINT NOT NULL,
		registered_at TEXT NOT NULL,
		changed_at TEXT NOT NULL
	);
	CREATE INDEX enterprises_name ON enterprises(name);
	CREATE TABLE records (
		id {{id}},
		kind TEXT NOT NULL,
		enterprise BIGINT NOT NULL,
		salt {{blob}} NOT NULL
	);
	CREATE INDEX records_enterprise ON records(enterprise);
	CREATE TABLE versions (
		log_index {{id}},
		record BIGINT NOT NULL,
		version INTEGER NOT NULL,
		arose TEXT NOT NULL,
		due TEXT NOT NULL,
		on_time INTEGER NOT NULL,
		policy TEXT NOT NULL,
		published_at TEXT NOT NULL,
		publisher TEXT NOT NULL,
		reason TEXT NOT NULL,
		body TEXT NOT NULL,
		sha_key BIGINT NOT NULL,
		document {{blob}} NOT NULL,
		leaf {{blob}} NOT NULL
	);
	CREATE UNIQUE INDEX versions_record ON versions(record, version);
	CREATE INDEX versions_sha ON versions(sha_key);
	CREATE TABLE log_hashes (idx {{id}}, hash {{blob}} NOT NULL);
	CREATE TABLE checkpoints (size {{id}}, note {{blob}} NOT NULL, created_at TEXT NOT NULL);
	CREATE TABLE withdrawals (log_index {{id}}, at TEXT NOT NULL, reason TEXT NOT NULL);
	CREATE TABLE accounts (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL,
		role TEXT NOT NULL,
		jurisdiction TEXT NOT NULL,
		enterprise TEXT NOT NULL,
		kinds TEXT NOT NULL,
		password_hash TEXT NOT NULL,
		created_at TEXT NOT NULL
	);
	CREATE TABLE tokens (hash TEXT PRIMARY KEY, account TEXT NOT NULL, created_at TEXT NOT NULL);
	sqlite: CREATE VIRTUAL TABLE search USING fts5(terms, content='', contentless_delete=1, detail=none, tokenize='unicode61 remove_diacritics 0');
	postgres: CREATE TABLE search (id BIGINT PRIMARY KEY, terms TEXT[] NOT NULL);
	postgres: CREATE INDEX search_terms ON search USING GIN (terms);`

// migrate applies the migrations not yet applied, each in its own transaction.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	var done int
	if err := db.w.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&done); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if done > len(migrations) {
		return fmt.Errorf("the database has schema version %d but this gongshi knows only %d: run a newer gongshi", done, len(migrations))
	}
	// A database of an earlier gongshi is told about: a migration over a big register
	// (an index, a table filled from another) takes seconds to minutes before the server
	// answers. A new one's are not.
	upgrade := done > 0 && done < len(migrations)
	if upgrade {
		db.log.Info("migrating the database", "from_version", done, "to_version", len(migrations))
	}
	for i := done; i < len(migrations); i++ {
		m := migrations[i]
		began := time.Now()
		tx, err := db.w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for _, stmt := range db.dialect.statements(m.sql) {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				tx.Rollback()
				return fmt.Errorf("migration %d (%s): %w\n%s", i+1, m.what, err, stmt)
			}
		}
		if m.step != nil {
			if upgrade {
				// A step over every enterprise runs for minutes on millions of them.
				db.log.Info("applying a migration", "version", i+1, "what", m.what)
			}
			if err := m.step(ctx, tx, db.dialect); err != nil {
				tx.Rollback()
				return fmt.Errorf("migration %d (%s): %w", i+1, m.what, err)
			}
		}
		if _, err := tx.ExecContext(ctx, db.dialect.rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), i+1, formatTime(db.clock.Now())); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		if upgrade {
			db.log.Info("applied a migration", "version", i+1, "what", m.what, "duration", time.Since(began).Round(time.Millisecond))
		}
	}
	return nil
}

// dialect is the little that differs between SQLite and PostgreSQL.
type dialect struct {
	name     string // "sqlite" or "postgres"
	postgres bool
}

// statements splits a migration into statements for this dialect.
func (d dialect) statements(m string) []string {
	withoutRowid := " WITHOUT ROWID"
	if d.postgres {
		withoutRowid = ""
	}
	r := strings.NewReplacer("{{id}}", d.idType(), "{{blob}}", d.blobType(), "{{without rowid}}", withoutRowid)
	var out []string
	for _, s := range strings.Split(m, ";") {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
			continue
		case strings.HasPrefix(s, "sqlite:"):
			if d.postgres {
				continue
			}
			s = strings.TrimPrefix(s, "sqlite:")
		case strings.HasPrefix(s, "postgres:"):
			if !d.postgres {
				continue
			}
			s = strings.TrimPrefix(s, "postgres:")
		}
		out = append(out, r.Replace(s))
	}
	return out
}

func (d dialect) idType() string {
	if d.postgres {
		return "BIGINT PRIMARY KEY"
	}
	return "INTEGER PRIMARY KEY"
}

func (d dialect) blobType() string {
	if d.postgres {
		return "BYTEA"
	}
	return "BLOB"
}

// rebind turns the ? placeholders of a query into PostgreSQL's $1, $2, … .
func (d dialect) rebind(q string) string {
	if !d.postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}
