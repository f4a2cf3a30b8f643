package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/draw"
)

// AuditState checks every current-state row the register answers from against the logged
// documents (gongshi.Project): the versions' own columns, every hidden value against the
// salted hash its document holds, the rows of enterprises, search, records,
// list_entries, annual_reports, orders, withdrawals, listing_grounds, spot_check_results
// and enforcement_decisions, and list_days against list_entries. `gongshi verify --data`
// runs it after checking the documents against the log, so that what verify covers is
// everything a reader is served.
// progress, if not nil, is told of each batch of enterprises checked.
func (db *DB) AuditState(ctx context.Context, progress func(done, total int64)) (*gongshi.StateReport, error) {
	a := &auditor{db: db, ctx: ctx, rep: &gongshi.StateReport{}, draws: map[string]string{},
		decisions: map[string]bool{}, results: map[int64]*gongshi.SpotCheckResult{}}
	if err := a.plainRecords(); err != nil {
		return nil, err
	}
	var total int64
	if err := db.readRow(ctx, `SELECT COUNT(*) FROM enterprises`).Scan(&total); err != nil {
		return nil, err
	}
	// The versions are read on one goroutine while the batch read before is checked on
	// every core (prepare) and then against the rows on this one.
	batches := make(chan []auditFile, 1)
	readErr := make(chan error, 1)
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	go func() {
		defer close(batches)
		readErr <- a.eachFile(readCtx, func(batch []auditFile) error {
			select {
			case batches <- batch:
				return nil
			case <-readCtx.Done():
				return readCtx.Err()
			}
		})
	}()
	for batch := range batches {
		if err := a.checkBatch(batch); err != nil {
			stopReading()
			for range batches {
			}
			return nil, err
		}
		if progress != nil {
			progress(a.rep.Enterprises, total)
		}
	}
	if err := <-readErr; err != nil {
		return nil, err
	}
	if err := a.checkGlobal(); err != nil {
		return nil, err
	}
	return a.rep, nil
}

// auditor is one run of AuditState.
type auditor struct {
	db  *DB
	ctx context.Context
	rep *gongshi.StateReport
	// draws maps a draw's number to its jurisdiction, from the draws' documents.
	draws     map[string]string
	decisions map[string]bool                    // expected enforcement_decisions, by key
	results   map[int64]*gongshi.SpotCheckResult // expected spot_check_results, by log index
	// expected row counts of the tables checked batch by batch
	counts  map[string]int64
	records int64
	search  searchAudit // SQLite: the search index's pairs, checked at the end
}

// auditFile is one enterprise's stored versions as AuditState reads them.
type auditFile struct {
	ent      int64 // the enterprises row id of the id range
	versions []gongshi.StoredVersion
	rows     []versionRow
}

// versionRow is a version's own columns and its record's.
type versionRow struct {
	id, logIndex, record, shaKey int64
	version                      int
	kind                         sql.NullString
	enterprise                   sql.NullInt64
}

func (a *auditor) problem(format string, args ...any) { a.rep.Problem(fmt.Sprintf(format, args...)) }

// plainRecords checks the versions about no enterprise (draws) and the rows made from
// them: each draw's row, its texts against the hashes its documents hold, and its
// selection against its result text. It notes each draw's jurisdiction for the spot-check
// listing grounds.
func (a *auditor) plainRecords() error {
	rs, err := a.db.read(a.ctx, `SELECT `+storedColsFor(false)+` FROM versions v WHERE v.id >= 0 AND v.id < ? ORDER BY v.id`, perEnterprise)
	svs, err := a.db.docs.storedVersions(rs, err)
	if err != nil {
		return err
	}
	byRecord, items := map[string][]*gongshi.Version{}, map[string][]*gongshi.Version{}
	var order []string
	for _, sv := range svs {
		a.rep.Versions++
		v, err := gongshi.OpenVersion(sv, false)
		if err != nil {
			a.problem("version %d: %v", sv.LogIndex, err)
			continue
		}
		switch v.Kind {
		case gongshi.KindDraw:
			if byRecord[v.Record] == nil {
				order = append(order, v.Record)
			}
			byRecord[v.Record] = append(byRecord[v.Record], v)
		case gongshi.KindCheckItem.Name:
			items[v.Record] = append(items[v.Record], v)
		default:
			a.problem("version %d: a %s record is filed about no enterprise", sv.LogIndex, v.Kind)
		}
	}
	if err := a.checkItems(items); err != nil {
		return err
	}
	want, texts, sel := rows{}, rows{}, rows{}
	for _, rec := range order {
		d, err := gongshi.DrawOf(byRecord[rec])
		if err != nil {
			a.problem("draw record %s: %v", rec, err)
			continue
		}
		a.draws[d.Number] = d.Jurisdiction
		want[d.Number] = []string{d.Jurisdiction, d.State, d.Record}
		texts[d.Number+keySep+"population"] = []string{d.PopulationSHA256}
		texts[d.Number+keySep+"roster"] = []string{d.RosterSHA256}
		if d.ResultSHA256 != "" {
			texts[d.Number+keySep+"result"] = []string{d.ResultSHA256}
		}
	}
	got, err := a.query(1, `SELECT number, jurisdiction, state, record FROM draws`)
	if err != nil {
		return fmt.Errorf("read draws: %w", err)
	}
	a.compare("draws", []string{"jurisdiction", "state", "record"}, want, got)
	r, err := a.db.read(a.ctx, `SELECT d.number, t.which, t.text FROM draw_texts t JOIN draws d ON d.id = t.draw`)
	if err != nil {
		return fmt.Errorf("read draw texts: %w", err)
	}
	defer r.Close()
	gotTexts := rows{}
	for r.Next() {
		var number, which string
		var text []byte
		if err := r.Scan(&number, &which, &text); err != nil {
			return err
		}
		gotTexts[number+keySep+which] = []string{draw.Digest(text)}
		if which != "result" || texts[number+keySep+which] == nil {
			continue
		}
		as, err := draw.ParseResult(text)
		if err != nil {
			a.problem("draw %s: its result text: %v", number, err)
		}
		for _, x := range as {
			sel[number+keySep+x.Code] = []string{strconv.Itoa(x.Rank), strings.Join(x.Inspectors, "\t")}
		}
	}
	if err := r.Err(); err != nil {
		return err
	}
	a.compare("draw_texts", []string{"sha256"}, texts, gotTexts)
	gotSel, err := a.query(2, `SELECT d.number, s.enterprise, s.rank, s.inspectors FROM draw_selection s JOIN draws d ON d.id = s.draw`)
	if err != nil {
		return fmt.Errorf("read draw selections: %w", err)
	}
	a.compare("draw_selection", []string{"rank", "inspectors"}, sel, gotSel)
	return nil
}

// eachFile calls fn with the files of the enterprises, 256 at a time, in id order.
func (a *auditor) eachFile(ctx context.Context, fn func([]auditFile) error) error {
	rows, err := a.db.read(ctx, `SELECT v.id, v.log_index, v.record, v.version, v.sha_key, v.document, v.private, r.salt, r.kind, r.enterprise
		FROM versions v LEFT JOIN records r ON r.id = v.record WHERE v.id >= ? ORDER BY v.id`, perEnterprise)
	if err != nil {
		return fmt.Errorf("read versions: %w", err)
	}
	defer rows.Close()
	var batch []auditFile
	for rows.Next() {
		var vr versionRow
		var sv gongshi.StoredVersion
		if err := rows.Scan(&vr.id, &vr.logIndex, &vr.record, &vr.version, &vr.shaKey, a.db.docs.into(&sv.Document), &sv.Private, &sv.Salt, &vr.kind, &vr.enterprise); err != nil {
			return err
		}
		sv.LogIndex = vr.logIndex
		ent := vr.id / perEnterprise
		if n := len(batch); n == 0 || batch[n-1].ent != ent {
			if n == 256 {
				if err := fn(batch); err != nil {
					return err
				}
				batch = nil // fn may keep it
			}
			batch = append(batch, auditFile{ent: ent})
		}
		f := &batch[len(batch)-1]
		f.versions, f.rows = append(f.versions, sv), append(f.rows, vr)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(batch) > 0 {
		return fn(batch)
	}
	return nil
}

// checkBatch checks a batch of enterprises' versions and every row made from them.
func (a *auditor) checkBatch(batch []auditFile) error {
	preps := make([]prepared, len(batch))
	a.db.eachOnCores(len(batch), func(i int) { preps[i] = a.prepare(batch[i]) })
	projs := make([]projection, 0, len(batch))
	for i, f := range batch {
		if p := a.project(f, &preps[i]); p != nil {
			projs = append(projs, projection{p, f.ent})
		}
	}
	a.rep.Enterprises += int64(len(projs))
	for _, check := range []func([]projection) error{a.checkEnterprises, a.checkSearch, a.checkEntries, a.checkFilings, a.checkOrders, a.checkWithdrawals, a.checkGrounds} {
		if err := check(projs); err != nil {
			return err
		}
	}
	return a.checkPages(batch, preps)
}

// prepared is the work of checking an enterprise's versions that reads nothing but them:
// done for a batch on every core (auditor.prepare), its problems reported in order after.
type prepared struct {
	opened     []*gongshi.Version // nil where the document does not open at all
	revealErr  []error            // why a version did not open with its hidden values
	dossier    *gongshi.Dossier
	dossierErr error
	projection *gongshi.Projection
	page       *gongshi.PageRow // as the documents make it
	pageErr    error
}

// prepare opens f's versions, its dossier, its projection and its page row. It reads the
// auditor's draws, filled before the enterprises are checked, and writes nothing of it.
func (a *auditor) prepare(f auditFile) prepared {
	p := prepared{opened: make([]*gongshi.Version, len(f.versions)), revealErr: make([]error, len(f.versions))}
	for i, sv := range f.versions {
		v, err := gongshi.OpenVersion(sv, true)
		if p.revealErr[i] = err; err != nil {
			if v, err = gongshi.OpenVersion(sv, false); err != nil {
				v = nil
			}
		}
		p.opened[i] = v
	}
	// The public versions, opened once for the page row (OpenPageRow) and the dossier
	// (OpenDossier). PublicPageRow works on copies: DossierOf marks the versions withdrawn.
	public, err := gongshi.OpenVersions(f.versions, false)
	if err != nil {
		p.dossierErr, p.pageErr = err, err
		return p
	}
	p.page, p.pageErr = gongshi.PublicPageRow(public)
	if p.dossier, p.dossierErr = gongshi.DossierOf(public); p.dossierErr == nil {
		p.projection = gongshi.Project(p.dossier, func(number string) string { return a.draws[number] })
	}
	return p
}

// checkPages checks the page row of each enterprise of the batch (PageRow serves it as it
// is) against one made again from its documents. A missing row is no problem: the page is
// then made from the documents.
func (a *auditor) checkPages(batch []auditFile, preps []prepared) error {
	files := map[int64]int{}
	ids := make([]int64, len(batch))
	for i, f := range batch {
		files[f.ent], ids[i] = i, f.ent
	}
	list, args := in(ids)
	r, err := a.db.read(a.ctx, `SELECT key, id, uscc, last_version, listed_at, listed, page FROM pages WHERE id IN `+list, args...)
	if err != nil {
		return fmt.Errorf("read page rows: %w", err)
	}
	defer r.Close()
	for r.Next() {
		var key, ent, last int64
		var got gongshi.PageRow
		if err := r.Scan(&key, &ent, &got.USCC, &last, &got.ListedAt, &got.Listed, &got.Page); err != nil {
			return err
		}
		i, ok := files[ent]
		if !ok {
			return fmt.Errorf("read page rows: row %d was not asked for", ent)
		}
		f := batch[i]
		if want := f.rows[len(f.rows)-1].id; last != want {
			a.problem("pages %d: made from version id %d, the enterprise's last is %d", ent, last, want)
		}
		got.Frame = got.Page
		page, derr := gongshi.DecompressPage(got.Frame)
		got.Page = page
		want, err := preps[i].page, preps[i].pageErr
		switch {
		case derr != nil:
			a.problem("pages %d: the page does not decompress: %v", ent, derr)
		case err != nil:
			a.problem("pages %d: the enterprise's documents make no page (%v), the row serves one", ent, err)
		case !bytes.Equal(got.Page, want.Page):
			a.problem("pages %d: the page is not the one its documents make", ent)
		case got.ListedAt != want.ListedAt || got.Listed != want.Listed:
			a.problem("pages %d: listed_at %d and listed %q, the log says %d and %q", ent, got.ListedAt, got.Listed, want.ListedAt, want.Listed)
		case got.USCC != want.USCC:
			// A read by a code finds the row that names it (pageKeysSchema).
			a.problem("pages %d: the row names USCC %s, its documents %s", ent, got.USCC, want.USCC)
		case key != pageKey(got.USCC) && key != -ent:
			a.problem("pages %d: kept at key %d, neither its USCC's (%d) nor its own (%d)", ent, key, pageKey(got.USCC), -ent)
		default:
			// Sent compressed, the frames are swapped at listed_at (PageRow.FrameOn).
			if err := got.CheckFrames(); err != nil {
				a.problem("pages %d: the stored frames: %v", ent, err)
			}
		}
	}
	return r.Err()
}

// projection is an enterprise's projection and its enterprises row id.
type projection struct {
	*gongshi.Projection
	ID int64
}

// project checks one enterprise's versions against their documents, every hidden value
// against its salted hash, and returns the projection of its dossier; nil if its public
// documents cannot be opened.
func (a *auditor) project(f auditFile, p *prepared) *gongshi.Projection {
	for i, vr := range f.rows {
		a.rep.Versions++
		v := p.opened[i]
		if err := p.revealErr[i]; err != nil {
			a.problem("version %d: %v", vr.logIndex, err)
		}
		if v == nil {
			continue
		}
		if v.Version == 1 {
			a.records++
		}
		sum, _ := hex.DecodeString(v.SHA256) // the document's own hash, or a stand-in's leaf's
		switch {
		case strconv.FormatInt(vr.record, 10) != v.Record || vr.version != v.Version:
			a.problem("version %d: the row says record %d version %d, its document record %s version %d", vr.logIndex, vr.record, vr.version, v.Record, v.Version)
		case vr.shaKey != shaKey(sum):
			a.problem("version %d: its sha_key is not its document's", vr.logIndex)
		case !vr.kind.Valid:
			a.problem("version %d: its record %d has no row", vr.logIndex, vr.record)
		case vr.kind.String != v.Kind || vr.enterprise.Int64 != f.ent:
			a.problem("version %d: record %d's row says %s of enterprise row %d; the document is a %s filed under enterprise row %d", vr.logIndex, vr.record, vr.kind.String, vr.enterprise.Int64, v.Kind, f.ent)
		}
	}
	d := p.dossier
	if p.dossierErr != nil {
		a.problem("enterprise row %d: %v", f.ent, p.dossierErr)
		return nil
	}
	for _, r := range d.Records {
		for _, v := range r.Versions {
			if _, ok := gongshi.StandIn(v.Document); ok && v.Withdrawn == nil {
				a.problem("version %d: the store holds only its leaf, but it is not withdrawn from public view", v.LogIndex)
				a.counts["awaiting_withdrawal"]++
			}
		}
	}
	for _, k := range p.projection.Decisions {
		a.decisions[decisionKeyString(k.Rule, k.Subject, k.Period, k.Record)] = true
	}
	for _, r := range p.projection.Results {
		a.results[r.Version.LogIndex] = r
	}
	return p.projection
}

func decisionKeyString(rule, subject, period, record string) string {
	return strings.Join([]string{rule, subject, period, record}, keySep)
}

// rows is a table's rows by key, each row its columns' values in text. A key of several
// columns joins them with keySep.
type rows map[string][]string

const keySep = "\x1f"

// shownKey is a key as a problem names it.
func shownKey(k string) string { return strings.ReplaceAll(k, keySep, "/") }

// compare reports every row of got that differs from want, and every row missing or extra.
func (a *auditor) compare(table string, cols []string, want, got rows) {
	for _, k := range sortedKeys(want) {
		w := want[k]
		g, ok := got[k]
		if !ok {
			a.problem("%s %s: missing (the log has %s)", table, shownKey(k), strings.Join(w, ", "))
			continue
		}
		for i := range w {
			if w[i] != g[i] {
				a.problem("%s %s: %s is %q, the log says %q", table, shownKey(k), cols[i], g[i], w[i])
			}
		}
	}
	for _, k := range sortedKeys(got) {
		if _, ok := want[k]; !ok {
			a.problem("%s %s: no logged document made this row", table, shownKey(k))
		}
	}
	a.count(table, int64(len(want)))
}

func sortedKeys(r rows) []string {
	ks := make([]string, 0, len(r))
	for k := range r {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func (a *auditor) count(table string, n int64) {
	if a.counts == nil {
		a.counts = map[string]int64{}
	}
	a.counts[table] += n
}

// query reads rows of a table: key is the number of leading columns that make the key.
func (a *auditor) query(key int, q string, args ...any) (rows, error) {
	r, err := a.db.read(a.ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cols, _ := r.Columns()
	out := rows{}
	for r.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			return nil, err
		}
		s := make([]string, len(cols))
		for i, v := range vals {
			s[i] = v.String
		}
		out[strings.Join(s[:key], keySep)] = s[key:]
	}
	return out, r.Err()
}

// in returns "(?,?,…)" and the arguments for keys.
func in[T any](keys []T) (string, []any) {
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	return "(" + strings.TrimSuffix(strings.Repeat("?,", max(len(keys), 1)), ",") + ")", args
}

func usccsOf(ps []projection) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Enterprise.USCC.String()
	}
	return out
}

var enterpriseAuditCols = []string{"uscc", "regno", "name", "former", "legal_rep", "division", "category", "type", "status", "established", "registration", "registered_at", "changed_at", "initials", "industry", "size"}

func (a *auditor) checkEnterprises(ps []projection) error {
	ids := make([]int64, len(ps))
	want := rows{}
	for i, p := range ps {
		ids[i] = p.ID
		e := p.Enterprise
		former, _ := json.Marshal(e.Former)
		if e.Former == nil {
			former = []byte("[]")
		}
		want[strconv.FormatInt(p.ID, 10)] = []string{e.USCC.String(), e.RegNo.String(), e.Name, string(former), e.LegalRep, e.Division, string(e.Category), e.Type, e.Status,
			e.Established.String(), e.Registration, formatTime(e.RegisteredAt), formatTime(e.LatestChangeAt), p.Initials, e.Industry, e.Size}
	}
	list, args := in(ids)
	got, err := a.query(1, `SELECT id, `+strings.Join(enterpriseAuditCols, ", ")+` FROM enterprises WHERE id IN `+list, args...)
	if err != nil {
		return fmt.Errorf("read enterprises: %w", err)
	}
	for _, g := range got {
		g[11], g[12] = formatTime(parseTime(g[11])), formatTime(parseTime(g[12]))
	}
	a.compare("enterprises", enterpriseAuditCols, want, got)
	return nil
}

// checkSearch checks each enterprise's search terms: on PostgreSQL the row's terms, on
// SQLite (whose FTS5 index keeps no text) with every enterprise's, at the end
// (searchaudit.go).
func (a *auditor) checkSearch(ps []projection) error {
	a.count("search", int64(len(ps)))
	if !a.db.dialect.postgres {
		a.addSearchPairs(ps) // the index is checked once, at the end (checkSearchIndex)
		return nil
	}
	for _, p := range ps {
		var terms string
		err := a.db.readRow(a.ctx, `SELECT array_to_string(terms, ' ') FROM search WHERE id = ?`, p.ID).Scan(&terms)
		if err == sql.ErrNoRows {
			a.problem("search %d (%s): missing", p.ID, p.Enterprise.USCC)
			continue
		}
		if err != nil {
			return fmt.Errorf("read search terms: %w", err)
		}
		if want := strings.Join(searchGrams(p.Terms), " "); terms != want {
			a.problem("search %d (%s): terms %q, the log says %q", p.ID, p.Enterprise.USCC, terms, want)
		}
	}
	return nil
}

var entryAuditCols = strings.Split(strings.TrimPrefix(entryCols, "id, "), ", ")

func (a *auditor) checkEntries(ps []projection) error {
	want := rows{}
	for _, p := range ps {
		for _, e := range p.Entries {
			want[e.ID] = []string{e.USCC, e.Name, e.Division, e.List, strconv.Itoa(e.Ground), e.Period, e.Arose, e.Since, e.Until, e.Ended,
				e.Authority, e.Jurisdiction, e.DocumentNo, e.EndRecord, e.Warned, e.Origin, e.BanUntil, e.BannedPerson}
		}
	}
	list, args := in(usccsOf(ps))
	got, err := a.query(1, `SELECT `+entryCols+` FROM list_entries WHERE uscc IN `+list, args...)
	if err != nil {
		return fmt.Errorf("read list entries: %w", err)
	}
	a.compare("list_entries", entryAuditCols, want, got)
	return nil
}

var filingAuditCols = []string{"kind", "record", "filed", "due", "on_time", "paper"}

func (a *auditor) checkFilings(ps []projection) error {
	want := rows{}
	for _, p := range ps {
		for _, f := range p.Filings {
			want[f.USCC+keySep+strconv.Itoa(f.Year)] = []string{f.Kind, f.Record, f.Filed, f.Due, strconv.Itoa(boolInt(f.OnTime)), strconv.Itoa(boolInt(f.Paper))}
		}
	}
	list, args := in(usccsOf(ps))
	got, err := a.query(2, `SELECT uscc, year, `+strings.Join(filingAuditCols, ", ")+` FROM annual_reports WHERE uscc IN `+list, args...)
	if err != nil {
		return fmt.Errorf("read annual reports: %w", err)
	}
	a.compare("annual_reports", filingAuditCols, want, got)
	return nil
}

var orderAuditCols = []string{"uscc", "division", "item", "issued", "deadline", "policy", "issuer", "fulfilled_by", "fulfilled_on", "provisional"}

func (a *auditor) checkOrders(ps []projection) error {
	want := rows{}
	for _, p := range ps {
		for _, o := range p.Orders {
			want[o.Record] = []string{o.USCC, o.Division, o.Item, o.Issued, o.Deadline, o.Policy, o.Issuer, o.FulfilledBy, o.FulfilledOn, strconv.Itoa(o.Provisional.Awaits())}
		}
	}
	list, args := in(usccsOf(ps))
	got, err := a.query(1, `SELECT record, `+strings.Join(orderAuditCols, ", ")+` FROM orders WHERE uscc IN `+list, args...)
	if err != nil {
		return fmt.Errorf("read orders: %w", err)
	}
	a.compare("orders", orderAuditCols, want, got)
	return nil
}

func (a *auditor) checkWithdrawals(ps []projection) error {
	want := rows{}
	var idx []int64
	for _, p := range ps {
		for _, r := range p.Records {
			for _, v := range r.Versions {
				idx = append(idx, v.LogIndex)
			}
		}
		for _, w := range p.Withdrawals {
			want[strconv.FormatInt(w.LogIndex, 10)] = []string{formatTime(w.At), w.Reason}
		}
	}
	got := rows{}
	for i := 0; i < len(idx); i += 500 {
		list, args := in(idx[i:min(i+500, len(idx))])
		part, err := a.query(1, `SELECT log_index, at, reason FROM withdrawals WHERE log_index IN `+list, args...)
		if err != nil {
			return fmt.Errorf("read withdrawals: %w", err)
		}
		for k, g := range part {
			g[0] = formatTime(parseTime(g[0]))
			got[k] = g
		}
	}
	a.compare("withdrawals", []string{"at", "reason"}, want, got)
	return nil
}

var groundAuditCols = []string{"arose", "record", "authority", "created_at"}

func (a *auditor) checkGrounds(ps []projection) error {
	want := rows{}
	for _, p := range ps {
		for _, g := range p.Grounds {
			k := strings.Join([]string{g.Enterprise, strconv.Itoa(g.Ground), g.Source, g.SourceRef}, keySep)
			if _, dup := want[k]; !dup { // the first finding of a key stands (AddListingGround)
				want[k] = []string{g.Arose, g.Record, g.Authority, formatTime(g.CreatedAt)}
			}
		}
	}
	list, args := in(usccsOf(ps))
	got, err := a.query(4, `SELECT enterprise, ground, source, source_ref, `+strings.Join(groundAuditCols, ", ")+` FROM listing_grounds WHERE enterprise IN `+list, args...)
	if err != nil {
		return fmt.Errorf("read listing grounds: %w", err)
	}
	for _, g := range got {
		g[3] = formatTime(parseTime(g[3]))
	}
	a.compare("listing_grounds", groundAuditCols, want, got)
	return nil
}

// checkGlobal checks what is not read enterprise by enterprise: every table's row count
// (a row about no enterprise of the log is extra), the decisions' keys, the spot-check
// results and the lists' sizes by day.
func (a *auditor) checkGlobal() error {
	if !a.db.dialect.postgres {
		if err := a.checkSearchIndex(); err != nil {
			return err
		}
	}
	tables := []string{"enterprises", "list_entries", "annual_reports", "orders", "withdrawals", "listing_grounds", "awaiting_withdrawal"}
	if a.db.dialect.postgres {
		tables = append(tables, "search") // on SQLite, the index's every pair (checkSearchIndex)
	}
	for _, t := range tables {
		var n int64
		if err := a.db.readRow(a.ctx, `SELECT COUNT(*) FROM `+t).Scan(&n); err != nil {
			return fmt.Errorf("count %s: %w", t, err)
		}
		if n != a.counts[t] {
			a.problem("%s: %d rows, the log makes %d", t, n, a.counts[t])
		}
	}
	var recs int64
	if err := a.db.readRow(a.ctx, `SELECT COUNT(*) FROM records WHERE enterprise > 0`).Scan(&recs); err != nil {
		return err
	}
	if recs != a.records {
		a.problem("records: %d rows about enterprises, the log has %d", recs, a.records)
	}
	keys, err := a.query(4, `SELECT rule, subject, period, record FROM enforcement_decisions`)
	if err != nil {
		return fmt.Errorf("read decisions: %w", err)
	}
	got := rows{}
	for k := range keys {
		parts := strings.SplitN(k, keySep, 4)
		if len(parts) == 4 && gongshi.LoggedDecisionRule(parts[0]) {
			got[decisionKeyString(parts[0], parts[1], parts[2], parts[3])] = nil
		}
	}
	want := rows{}
	for k := range a.decisions {
		want[k] = nil
	}
	a.compare("enforcement_decisions", nil, want, got)
	results, err := a.query(1, `SELECT r.log_index, d.number, r.enterprise, r.outcome, r.checked, r.ground FROM spot_check_results r LEFT JOIN draws d ON d.id = r.draw`)
	if err != nil {
		return fmt.Errorf("read spot-check results: %w", err)
	}
	want = rows{}
	for li, r := range a.results {
		want[strconv.FormatInt(li, 10)] = []string{r.Draw, r.Enterprise, r.Outcome, r.Checked, strconv.Itoa(r.Ground)}
	}
	a.compare("spot_check_results", []string{"draw", "enterprise", "outcome", "checked", "ground"}, want, results)
	return a.checkListDays()
}

// checkItems checks each check item's row against its versions.
func (a *auditor) checkItems(items map[string][]*gongshi.Version) error {
	want := rows{}
	for rec, vs := range items {
		c, err := gongshi.CheckItemOf(vs)
		if err != nil {
			a.problem("check item record %s: %v", rec, err)
			continue
		}
		want[rec] = checkItemRow(c)
	}
	got, err := a.query(1, `SELECT record, `+strings.Join(checkItemCols, ", ")+` FROM check_items`)
	if err != nil {
		return fmt.Errorf("read check items: %w", err)
	}
	a.compare("check_items", checkItemCols, want, got)
	return nil
}
