package snapshot

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/catalogue"
)

// The tables of a snapshot: the enterprises as they stand and the entries of the lists,
// each as CSV with Chinese headers (for spreadsheets) and as Parquet (for programs: pandas,
// DuckDB, Spark read it with its column types), made in one pass over the enterprises'
// files. A row of either format is one EnterpriseRow or ListRow.

// EnterpriseRow is an enterprise as the snapshot's tables state it: a row of
// enterprises.parquet, and, its values in Chinese, of enterprises.csv.gz.
type EnterpriseRow struct {
	USCC                string    `parquet:"uscc"`
	RegNo               string    `parquet:"regno,optional"`
	Name                string    `parquet:"name"`
	Former              []string  `parquet:"former,list"` // earlier names, oldest first
	Type                string    `parquet:"type"`
	Status              string    `parquet:"status"`
	LegalRepresentative string    `parquet:"legal_representative,optional"`
	Established         *int32    `parquet:"established,date"` // days since 1970-01-01
	Address             string    `parquet:"address,optional"`
	Division            string    `parquet:"division"`
	Abnormal            bool      `parquet:"abnormal"` // on the abnormal operations list on the snapshot's day
	Serious             bool      `parquet:"serious"`  // on the serious violation list on the snapshot's day
	RegistrationRecord  string    `parquet:"registration_record"`
	LatestChangeAt      time.Time `parquet:"latest_change_at,timestamp(millisecond)"`
}

// ListRow is an entry of the abnormal operations or serious violation list: a row of
// lists.parquet, and, its values in Chinese, of lists.csv.gz.
type ListRow struct {
	List           string `parquet:"list"` // abnormal or serious
	USCC           string `parquet:"uscc"`
	Name           string `parquet:"name"`
	Ground         int32  `parquet:"ground"`         // 1–4 (SPEC §8)
	Since          *int32 `parquet:"since,date"`     // days since 1970-01-01
	Until          *int32 `parquet:"until,date"`     // off the list from this day; null while listed
	Ended          string `parquet:"ended,optional"` // cured, automatic or corrected
	Authority      string `parquet:"authority"`
	DocumentNo     string `parquet:"document_no"`
	DecisionRecord string `parquet:"decision_record"`
	EndRecord      string `parquet:"end_record,optional"` // the removal or correction
}

// EnterpriseHeader is the header of enterprises.csv.gz, in the catalogue's Chinese.
var EnterpriseHeader = header("ent.uscc", "ent.regno", "csv.name", "ent.former", "snapshot.type", "ent.status", "ent.legalrep",
	"ent.established", "snapshot.address", "snapshot.division", "snapshot.abnormal", "snapshot.serious", "snapshot.registration", "snapshot.changed")

// ListHeader is the header of lists.csv.gz.
var ListHeader = header("list.which", "ent.uscc", "csv.name", "list.ground", "list.since", "list.until", "snapshot.ended",
	"list.authority", "list.docno", "snapshot.decision", "snapshot.removal")

func header(keys ...string) []string {
	h := make([]string, len(keys))
	for i, k := range keys {
		h[i] = zh(k)
	}
	return h
}

// The tables' media types. Parquet's is registered with IANA (2024).
const (
	csvType     = "text/csv; charset=utf-8"
	parquetType = "application/vnd.apache.parquet"
)

// parquetRowGroup is how many rows a row group of a Parquet file holds: its columns are
// kept in memory until it is written, about 1.8 KB a row (a snapshot of the 20,000 demo
// took 200 MB with groups of 5,000 rows, 229 MB with one of 21,177).
const parquetRowGroup = 25_000

// writeTables writes enterprises.csv.gz, lists.csv.gz, enterprises.parquet and
// lists.parquet from each enterprise's file, with list status on day on, in chunks of the
// enterprises.
func writeTables(ctx context.Context, src Source, dir string, n int64, on calendar.Date) ([]File, error) {
	files, err := src.FileCount(ctx, n)
	if err != nil {
		return nil, err
	}
	names := [4]string{EnterprisesFile, ListsFile, EnterprisesParquetFile, ListsParquetFile}
	var out [4]*outFile
	for i, name := range names {
		if out[i], err = createFile(dir, name); err != nil {
			return nil, err
		}
		defer out[i].f.Close()
	}
	ents := parquet.NewGenericWriter[EnterpriseRow](out[2], parquetOptions()...)
	lists := parquet.NewGenericWriter[ListRow](out[3], parquetOptions()...)
	var rows [2]int64 // enterprises, list entries
	err = inOrder(ctx, chunks(files, filesPerChunk), runtime.GOMAXPROCS(0), func(ctx context.Context, i int64) (*tableChunk, error) {
		first := 1 + i*filesPerChunk
		return makeTableChunk(ctx, src, n, first, min(first+filesPerChunk, files+1), on)
	}, func(c *tableChunk) error {
		if _, err := out[0].Write(c.entsCSV); err != nil {
			return err
		}
		if _, err := out[1].Write(c.listsCSV); err != nil {
			return err
		}
		if _, err := ents.Write(c.ents); err != nil {
			return err
		}
		if _, err := lists.Write(c.lists); err != nil {
			return err
		}
		rows[0], rows[1] = rows[0]+int64(len(c.ents)), rows[1]+int64(len(c.lists))
		return nil
	})
	if err == nil {
		err = ents.Close()
	}
	if err == nil {
		err = lists.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("write the tables of enterprises and lists: %w", err)
	}
	written := make([]File, len(out))
	for i, o := range out {
		typ := csvType
		if i >= 2 {
			typ = parquetType
		}
		if written[i], err = o.finish(rows[i%2], typ); err != nil {
			return nil, err
		}
	}
	return written, nil
}

// parquetOptions are the Parquet writers' settings: zstd at its default level (at the
// fastest, the files of the 20,000 demo were 15% larger and the snapshot took 42 MB less),
// row groups of parquetRowGroup.
func parquetOptions() []parquet.WriterOption {
	return []parquet.WriterOption{
		parquet.Compression(&zstd.Codec{Level: zstd.SpeedDefault}),
		parquet.MaxRowsPerRowGroup(parquetRowGroup),
		parquet.CreatedBy("gongshi", "1", ""),
	}
}

// tableChunk is the rows of a range of enterprises: as the gzip members of the CSV files,
// and as values for the Parquet files.
type tableChunk struct {
	entsCSV, listsCSV []byte
	ents              []EnterpriseRow
	lists             []ListRow
}

// makeTableChunk makes the rows of enterprises first … end-1; the first chunk starts each
// CSV file with its header. An enterprise's row is made from the versions of SummaryKinds
// alone, which make its current view and its list entries.
func makeTableChunk(ctx context.Context, src Source, n, first, end int64, on calendar.Date) (*tableChunk, error) {
	em, lm := newMember(), newMember()
	ew, lw := csv.NewWriter(em), csv.NewWriter(lm)
	if first == 1 {
		startCSV(em, ew, EnterpriseHeader)
		startCSV(lm, lw, ListHeader)
	}
	c := &tableChunk{}
	err := src.EachFile(ctx, n, first, end, gongshi.SummaryKinds, func(svs []gongshi.StoredVersion) error {
		d, err := gongshi.OpenDossier(svs, false)
		if err != nil {
			return err
		}
		e := enterpriseRow(d, on)
		ew.Write(e.csv())
		c.ents = append(c.ents, e)
		for _, le := range d.Entries {
			l := listRow(le)
			lw.Write(l.csv())
			c.lists = append(c.lists, l)
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, err
	}
	for _, w := range []*csv.Writer{ew, lw} {
		if w.Flush(); w.Error() != nil {
			return nil, w.Error()
		}
	}
	if c.entsCSV, err = em.bytes(); err != nil {
		return nil, err
	}
	c.listsCSV, err = lm.bytes()
	return c, err
}

// startCSV starts a CSV file: a byte-order mark (spreadsheets then read UTF-8) and header.
func startCSV(w io.Writer, cw *csv.Writer, header []string) {
	io.WriteString(w, "\ufeff")
	cw.Write(header)
}

func enterpriseRow(d *gongshi.Dossier, on calendar.Date) EnterpriseRow {
	e := d.Enterprise
	r := EnterpriseRow{USCC: e.USCC.String(), RegNo: e.RegNo.String(), Name: e.Name, Former: e.Former, Type: e.Type,
		Status: e.Status, LegalRepresentative: e.LegalRep, Established: dateValue(e.Established), Division: e.Division,
		RegistrationRecord: e.Registration, LatestChangeAt: e.LatestChangeAt.UTC()}
	if rec := d.Record(e.Registration); rec != nil {
		r.Address, _ = rec.Latest().Body["address"].(string)
	}
	for _, le := range d.Entries {
		if le.Active(on) {
			if le.List == gongshi.ListSerious {
				r.Serious = true
			} else {
				r.Abnormal = true
			}
		}
	}
	return r
}

// csv is the row's CSV record, in Chinese.
func (r *EnterpriseRow) csv() []string {
	return []string{r.USCC, r.RegNo, r.Name, strings.Join(r.Former, "；"), r.Type, r.Status, r.LegalRepresentative,
		dateText(r.Established), r.Address, r.Division, yesNo(r.Abnormal), yesNo(r.Serious), r.RegistrationRecord,
		r.LatestChangeAt.Format(time.RFC3339)}
}

func listRow(e *gongshi.ListEntry) ListRow {
	return ListRow{List: e.List, USCC: e.USCC, Name: e.Name, Ground: int32(e.Ground), Since: dateOf(e.Since), Until: dateOf(e.Until),
		Ended: e.Ended, Authority: e.Authority, DocumentNo: e.DocumentNo, DecisionRecord: e.Record, EndRecord: e.EndRecord}
}

// csv is the row's CSV record, in Chinese.
func (r *ListRow) csv() []string {
	ended := ""
	if r.Ended != "" {
		ended = zh("list.end." + r.Ended)
	}
	return []string{zh("list." + r.List), r.USCC, r.Name, groundLabel(int(r.Ground)), dateText(r.Since), dateText(r.Until), ended,
		r.Authority, r.DocumentNo, r.DecisionRecord, r.EndRecord}
}

// unixEpoch is the day a Parquet DATE counts from.
var unixEpoch = calendar.MustDate(1970, time.January, 1)

// dateValue is a date as a Parquet DATE column holds it, the days since 1970-01-01; nil
// for none.
func dateValue(d calendar.Date) *int32 {
	if d.IsZero() {
		return nil
	}
	n := int32(d.Sub(unixEpoch))
	return &n
}

// dateOf is dateValue of a date written YYYY-MM-DD ("" for none).
func dateOf(s string) *int32 {
	d, err := calendar.ParseDate(s)
	if err != nil {
		return nil
	}
	return dateValue(d)
}

// dateText writes a dateValue as YYYY-MM-DD.
func dateText(days *int32) string {
	if days == nil {
		return ""
	}
	return unixEpoch.AddDays(int(*days)).String()
}

func yesNo(b bool) string {
	if b {
		return zh("yes")
	}
	return zh("no")
}

// zh is a label of the catalogue in Chinese, as the web pages name the same thing; a
// code the catalogue does not know yet shows as itself.
func zh(key string) string { return catalogue.T(catalogue.Chinese, key) }

// groundLabel names a listing ground (SPEC §8; Art. 17 and the 2014 measures) by its
// number and its name on the web pages: "1 未按规定报送年度报告".
func groundLabel(g int) string {
	if l, ok := catalogue.Entry(fmt.Sprintf("list.ground.%d", g)); ok && g > 0 {
		return fmt.Sprintf("%d %s", g, l[catalogue.Chinese])
	}
	return fmt.Sprint(g)
}
