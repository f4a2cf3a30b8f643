package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// csvColumns are the columns of a CSV of enterprises (gongshi import FILE.csv), by their
// Chinese header (as enterprises.csv of a snapshot has them) or the registration field's
// name, with the registration field each fills.
var csvColumns = []struct{ zh, field string }{
	{"统一社会信用代码", "uscc"},
	{"注册号", "registration_number"},
	{"企业名称", "name"},
	{"类型", "type"},
	{"登记状态", "status"},
	{"法定代表人", "legal_representative"},
	{"成立日期", "established"},
	{"住所", "address"},
	{"注册资本（万元）", "registered_capital"},
	{"经营范围", "scope"},
}

const csvImportUsage = `
A CSV file of enterprises (FILE.csv, or .csv.gz) is loaded row by row as registrations
published today, through the same rules as "POST /api/v1/enterprises": its header names
the columns, in Chinese or by field name, in any order:

  统一社会信用代码 uscc (required)      企业名称 name (required)      类型 type (required)
  登记状态 status (required)           法定代表人 legal_representative (required: the name)
  成立日期 established (required)      住所 address (required)       注册号 registration_number
  注册资本（万元） registered_capital   经营范围 scope

Other columns are left out (a snapshot's enterprises.csv loads as it is). A row the rules
refuse is written to the report file with its line number and the reason, and the others
are loaded; a row whose enterprise is registered already is passed over, so a crashed
import is run again as it was. Such enterprises come without history: the register holds
them from the day of the import, so they are judged for no annual report whose filing
window closed before it (gongshi.OwesAnnualReport), and their pages show none owed.
`

// csvRow is one data row: its line number and its registration.
type csvRow struct {
	line int
	reg  gongshi.Registration
}

// importCSV loads a CSV of enterprises in batches of batch rows.
func importCSV(ctx context.Context, env *Env, a *app, path, report string, batch int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		r = zr
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: no header: %w", path, err)
	}
	cols := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		for _, c := range csvColumns {
			if h == c.zh || h == c.field {
				cols[c.field] = i
			}
		}
	}
	if _, ok := cols["uscc"]; !ok {
		return fmt.Errorf("%s: the header names no 统一社会信用代码 (uscc) column; the columns are listed by gongshi import -h", path)
	}
	rep, err := os.Create(report)
	if err != nil {
		return err
	}
	defer rep.Close()
	actor := &gongshi.Account{ID: "import", Name: "数据导入 (gongshi import)", Role: gongshi.RoleAdmin}
	today := calendar.DateOf(a.clock.Now()).String()
	var loaded, already, refused, line int
	refuse := func(line int, why string) {
		refused++
		fmt.Fprintf(rep, "line %d: %s\n", line, why)
	}
	var rows []csvRow
	flush := func() error {
		for len(rows) > 0 {
			bad := -1
			var badErr error
			var n, skipped int
			err := a.store.Write(ctx, func(tx gongshi.Tx) error {
				n, skipped = 0, 0
				for i := range rows {
					if _, err := tx.EnterpriseByCode(rows[i].reg.USCC); err == nil {
						skipped++
						continue
					}
					if _, _, err := a.svc.RegisterTx(tx, actor, rows[i].reg); err != nil {
						bad, badErr = i, err
						return err
					}
					n++
				}
				return nil
			})
			if err == nil {
				loaded, already, rows = loaded+n, already+skipped, rows[:0]
				return nil
			}
			var ge *gongshi.Error
			if bad < 0 || !errors.As(badErr, &ge) || ge.Code == gongshi.EINTERNAL || ge.Code == gongshi.EUNAVAILABLE {
				return err
			}
			refuse(rows[bad].line, badErr.Error())
			rows = append(rows[:bad], rows[bad+1:]...)
		}
		return nil
	}
	for line = 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			refuse(line, err.Error())
			continue
		}
		rows = append(rows, csvRow{line: line, reg: registrationOf(rec, cols, today)})
		if len(rows) >= batch {
			if err := flush(); err != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "\rimport: %d rows read, %d loaded", line-1, loaded)
		}
	}
	if err := flush(); err != nil {
		return err
	}
	fmt.Fprintln(env.Stderr)
	fmt.Fprintf(env.Stdout, "imported %d enterprises from %s (%d registered already, %d rows refused: see %s)\n", loaded, path, already, refused, report)
	return nil
}

// registrationOf makes the registration a row states.
func registrationOf(rec []string, cols map[string]int, today string) gongshi.Registration {
	get := func(field string) string {
		if i, ok := cols[field]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	fields := map[string]any{}
	for _, c := range csvColumns {
		v := get(c.field)
		switch {
		case v == "" || c.field == "uscc" || c.field == "registration_number":
		case c.field == "legal_representative":
			fields[c.field] = map[string]any{"name": v}
		default:
			fields[c.field] = v
		}
	}
	return gongshi.Registration{USCC: get("uscc"), RegNo: get("registration_number"), Arose: today, Fields: fields}
}
