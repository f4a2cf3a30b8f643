package snapshot

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/catalogue"
)

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

// writeCSVs writes enterprises.csv.gz and lists.csv.gz from each enterprise's file, with
// list status on day on, in chunks of the enterprises.
func writeCSVs(ctx context.Context, src Source, dir string, n int64, on calendar.Date) (File, File, error) {
	const csvType = "text/csv; charset=utf-8"
	files, err := src.FileCount(ctx, n)
	if err != nil {
		return File{}, File{}, err
	}
	ef, err := createFile(dir, EnterprisesFile)
	if err != nil {
		return File{}, File{}, err
	}
	defer ef.f.Close()
	lf, err := createFile(dir, ListsFile)
	if err != nil {
		return File{}, File{}, err
	}
	defer lf.f.Close()
	var ents, entries int64
	err = inOrder(ctx, chunks(files, filesPerChunk), runtime.GOMAXPROCS(0), func(ctx context.Context, i int64) (*csvChunk, error) {
		first := 1 + i*filesPerChunk
		return makeCSVChunk(ctx, src, n, first, min(first+filesPerChunk, files+1), on)
	}, func(c *csvChunk) error {
		if _, err := ef.Write(c.ents); err != nil {
			return err
		}
		if _, err := lf.Write(c.entries); err != nil {
			return err
		}
		ents, entries = ents+c.entRows, entries+c.entryRows
		return nil
	})
	if err != nil {
		return File{}, File{}, fmt.Errorf("write %s and %s: %w", EnterprisesFile, ListsFile, err)
	}
	e, err := ef.finish(ents, csvType)
	if err != nil {
		return File{}, File{}, err
	}
	l, err := lf.finish(entries, csvType)
	return e, l, err
}

// csvChunk is the gzip members of the CSV rows of a range of enterprises.
type csvChunk struct {
	ents, entries      []byte
	entRows, entryRows int64
}

// makeCSVChunk makes the rows of enterprises first … end-1; the first chunk starts each
// file with its header. An enterprise's row is made from the versions of SummaryKinds
// alone, which make its current view and its list entries.
func makeCSVChunk(ctx context.Context, src Source, n, first, end int64, on calendar.Date) (*csvChunk, error) {
	em, lm := newMember(), newMember()
	ew, lw := csv.NewWriter(em), csv.NewWriter(lm)
	if first == 1 {
		startCSV(em, ew, EnterpriseHeader)
		startCSV(lm, lw, ListHeader)
	}
	c := &csvChunk{}
	err := src.EachFile(ctx, n, first, end, gongshi.SummaryKinds, func(svs []gongshi.StoredVersion) error {
		d, err := gongshi.OpenDossier(svs, false)
		if err != nil {
			return err
		}
		ew.Write(enterpriseRow(d, on))
		c.entRows++
		for _, e := range d.Entries {
			lw.Write(listRow(e))
			c.entryRows++
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
	if c.ents, err = em.bytes(); err != nil {
		return nil, err
	}
	c.entries, err = lm.bytes()
	return c, err
}

// startCSV starts a CSV file: a byte-order mark (spreadsheets then read UTF-8) and header.
func startCSV(w io.Writer, cw *csv.Writer, header []string) {
	io.WriteString(w, "\ufeff")
	cw.Write(header)
}

func enterpriseRow(d *gongshi.Dossier, on calendar.Date) []string {
	e := d.Enterprise
	var address string
	if r := d.Record(e.Registration); r != nil {
		address, _ = r.Latest().Body["address"].(string)
	}
	abnormal, serious := zh("no"), zh("no")
	for _, le := range d.Entries {
		if le.Active(on) {
			if le.List == gongshi.ListSerious {
				serious = zh("yes")
			} else {
				abnormal = zh("yes")
			}
		}
	}
	return []string{e.USCC.String(), e.RegNo.String(), e.Name, strings.Join(e.Former, "；"), e.Type, e.Status, e.LegalRep,
		e.Established.String(), address, e.Division, abnormal, serious, e.Registration, e.LatestChangeAt.UTC().Format(time.RFC3339)}
}

func listRow(e *gongshi.ListEntry) []string {
	ended := ""
	if e.Ended != "" {
		ended = zh("list.end." + e.Ended)
	}
	return []string{zh("list." + e.List), e.USCC, e.Name, groundLabel(e.Ground), e.Since, e.Until, ended,
		e.Authority, e.DocumentNo, e.Record, e.EndRecord}
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
