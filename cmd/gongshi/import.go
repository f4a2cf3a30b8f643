package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/snapshot"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/translog"
)

func init() {
	register("import", "load a register into a new data folder: from a snapshot (gongshi snapshot), or enterprises from a CSV file", runImport)
}

const importUsage = `usage: gongshi import [--data DIR | --db URL] [--report FILE] [--batch N] [--bulk=false] SNAPSHOT | FILE.csv

Loads the snapshot in the folder SNAPSHOT (written by gongshi snapshot) into the register of
the data folder, which must be empty or hold an earlier, interrupted import of the same
snapshot: every version is appended to the log at the index it had, so the new log is the
source's leaf for leaf and reaches the root of the snapshot's checkpoint (checked at the
end, then signed with this data folder's own key), and every enterprise's pages, records
and list entries are made from the documents as the source made them. Records keep their
ids. Run it again after a crash or interruption: it checks what is in already and carries
on after it.

What a snapshot does not carry, the new register does not have: hidden values (Art. 9:
only their salted hashes are public, so consented and regulators' views show the public
fields), the documents of versions withdrawn from public view (their leaves stand in their
place: they answer 410 Gone as before), accounts, cases and drafts. The history is whole:
every annual report filed, order and decision is in the versions, so no enterprise is
judged for a report the snapshot did not carry.

The import runs as a bulk load (--bulk=false writes as a server does): batches are not
flushed to the disk one by one, and the indexes only reads use are built at the end, when
the database is compacted (VACUUM: it needs free space of about two and a half times its
size, in the data folder and in $TMPDIR) and everything is made durable at once.
Meanwhile the data folder is marked (gongshi.bulk): a stopped import leaves it for
gongshi import to carry on, and no other command opens it; if the machine itself
stopped, the database may be damaged: delete the folder and import again. With --db
(PostgreSQL) a snapshot is loaded so into the SQLite database of the data folder, then
copied into the empty PostgreSQL database with COPY and removed.

A line that is not what its leaf says stops the import there (a log has no gaps): what came
before it is kept, and the line's number and the reason are written to the report file.

flags:
`

func runImport(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var df dataFlags
	df.add(fs)
	report := fs.String("report", "import-report.txt", "where refused lines are written, with their number and the reason")
	batch := fs.Int("batch", defaultImportBatch, "versions per transaction")
	bulk := fs.Bool("bulk", true, "load in bulk: no disk flush per batch, the read-only indexes built at the end (sqlstore.StartBulk); --bulk=false writes as a server does")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the import to this file")
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, importUsage)
		fs.PrintDefaults()
		fmt.Fprint(env.Stderr, csvImportUsage)
	}
	if err := fs.Parse(args); err != nil {
		return exitStatus(2) // the flag package has shown the usage
	}
	if fs.NArg() != 1 || *batch < 1 {
		fs.Usage()
		return exitStatus(2)
	}
	dir := fs.Arg(0)
	df.bulk = *bulk
	if env.Getenv("GOGC") == "" {
		// As gongshi demo: a load allocates many short-lived documents, maps and rows; a
		// larger GC target trades memory for speed.
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	stop, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stop()
	if strings.HasSuffix(dir, ".csv") || strings.HasSuffix(dir, ".csv.gz") {
		a, err := df.open(ctx, env, nil)
		if err != nil {
			return err
		}
		defer a.Close()
		return withBulk(ctx, env, a, func() error { return importCSV(ctx, env, a, dir, *report, *batch) })
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		dir = filepath.Dir(dir) // its manifest.json or versions file
	}
	m, err := snapshot.ReadManifest(dir)
	if err != nil {
		return fmt.Errorf("%s is not a snapshot folder: %w", fs.Arg(0), err)
	}
	url, err := secretSource{df.db, df.dbFile, "GONGSHI_DB", "db"}.resolve(env)
	if err != nil {
		return err
	}
	start := time.Now()
	load := func(a *app) error { return importSnapshot(ctx, env, a, dir, m, *batch, *report, start, nil) }
	if *bulk && url != "" {
		return bulkViaSQLite(ctx, env, df, url, nil, true, load)
	}
	a, err := df.open(ctx, env, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	return load(a)
}

// defaultImportBatch is the versions of an import's transaction.
const defaultImportBatch = 2000

// importSnapshot loads the snapshot in dir into a's register. loaded, if not nil, is
// called after each batch with the enterprises registered and the versions imported so
// far (gongshi bench bulk --snapshot).
func importSnapshot(ctx context.Context, env *Env, a *app, dir string, m *snapshot.Manifest, batch int, report string, start time.Time, loaded func(ents, vers int)) error {
	im := &importer{env: env, db: a.store, dir: dir, m: m, batch: batch, report: report, loaded: loaded}
	if err := withBulk(ctx, env, a, func() error { return im.run(ctx) }); err != nil {
		return err
	}
	if n, err := a.store.TreeSize(ctx); err != nil || n != m.Size {
		return fmt.Errorf("the snapshot's versions file gave %d versions, its checkpoint has %d (%v)", n, m.Size, err)
	}
	if _, err := translog.NewCheckpointer(a.store, a.signer).Checkpoint(ctx); err != nil {
		return fmt.Errorf("sign the checkpoint: %w", err)
	}
	root, err := translog.TreeHash(m.Size, translog.HashReader(ctx, a.store))
	if err != nil {
		return err
	}
	if got := root.String(); got != m.Root {
		return fmt.Errorf("the imported log has root %s at size %d, the snapshot's checkpoint %s: the data folder held another log", got, m.Size, m.Root)
	}
	took := time.Since(start)
	fmt.Fprintf(env.Stdout, "imported %s: %d versions (%d already in), log root %s as the snapshot's checkpoint; signed with %s (%s%s)\n",
		m.Name, m.Size, im.skipped, m.Root, a.signer.VerifierKey(), took.Round(time.Millisecond), im.rates(took))
	return nil
}

// rates says how fast the import went: versions imported a second, and enterprises when
// it imported them all (not carrying on an interrupted one).
func (im *importer) rates(took time.Duration) string {
	sec := max(took.Seconds(), 1e-3)
	s := fmt.Sprintf(", %.0f versions/s", float64(im.m.Size-im.skipped)/sec)
	if f := im.m.File(snapshot.EnterprisesFile); f != nil && im.skipped == 0 {
		s = fmt.Sprintf(", %.0f enterprises/s", float64(f.Rows)/sec) + s
	}
	return s
}

// finishProgress shows the bulk load's finish making the enterprises' page rows (and, for
// an import, their current-state rows): minutes at a million enterprises, hours at the
// nation's, which would otherwise pass without a word.
func finishProgress(env *Env, a *app) func(done, total int) {
	p := newProgress(env.Stderr, "pages", "enterprises")
	p.observe = a.observeBuild
	return p.update
}

// withBulk runs load as a bulk load (sqlstore.StartBulk), finished even when load fails:
// what it loaded is sound, and the import is carried on from it. An import stopped
// midway leaves a marked data folder that only gongshi import opens, to carry on.
func withBulk(ctx context.Context, env *Env, a *app, load func() error) error {
	if !a.bulk {
		return load()
	}
	if err := a.store.StartBulk(ctx); err != nil {
		return err
	}
	err := load()
	if ferr := a.store.FinishBulk(context.WithoutCancel(ctx), finishProgress(env, a)); err == nil {
		err = ferr
	}
	return err
}

// importer is one run of gongshi import from a snapshot.
type importer struct {
	env     *Env
	db      *sqlstore.DB
	dir     string
	m       *snapshot.Manifest
	batch   int
	report  string
	skipped int64
	loaded  func(ents, vers int)
}

func (im *importer) run(ctx context.Context) error {
	texts := map[string][]byte{}
	if im.m.File(snapshot.DrawsFile) != nil {
		err := snapshot.EachDrawText(filepath.Join(im.dir, snapshot.DrawsFile), func(_ int64, t *snapshot.DrawText) error {
			texts[t.Number+"/"+t.Which] = []byte(t.Text)
			return nil
		})
		if err != nil {
			return err
		}
	}
	drawTexts := func(number, which string) ([]byte, bool) { b, ok := texts[number+"/"+which]; return b, ok }
	have, err := im.db.TreeSize(ctx)
	if err != nil {
		return err
	}
	if have > im.m.Size {
		return fmt.Errorf("the data folder's log has %d versions, more than the snapshot's %d: import into an empty data folder", have, im.m.Size)
	}
	bar := newProgress(im.env.Stderr, "import", "versions")
	w := im.startWriter(ctx, drawTexts, bar)
	var pending []sqlstore.ImportLine
	var seen [][]byte // leaves of lines already in, to compare with the log's
	flush := func() error {
		if len(seen) > 0 {
			if err := im.same(ctx, seen); err != nil {
				return err
			}
			im.skipped += int64(len(seen))
			seen = seen[:0]
			bar.update(int(im.skipped), int(im.m.Size)) // the writer has nothing yet: lines already in come first
		}
		if len(pending) == 0 {
			return nil
		}
		err := w.send(pending)
		pending = nil // the writer has it
		return err
	}
	err = snapshot.EachLine(filepath.Join(im.dir, snapshot.VersionsFile), func(n int64, ev *gongshi.FeedEvent) error {
		if n < have {
			seen = append(seen, ev.Leaf().MarshalCanonical())
		} else {
			pending = append(pending, sqlstore.ImportLineOf(ev))
		}
		if len(pending)+len(seen) >= im.batch {
			return flush()
		}
		return ctx.Err()
	})
	if errors.Is(err, snapshot.ErrInvalid) {
		// A line that is not what it says: the lines before it go in, then the report.
		if ferr := errors.Join(flush(), w.wait()); ferr != nil {
			return ferr
		}
		im.writeReport(err.Error())
		return fmt.Errorf("%w (the versions before it are in; the report is in %s)", err, im.report)
	}
	if err == nil {
		err = flush()
	}
	if werr := w.wait(); err == nil || werr != nil {
		err = werr // the writer's error says why reading stopped
	}
	if err == nil {
		bar.update(int(im.m.Size), int(im.m.Size))
	}
	return err
}

// importWriter imports the batches of lines it is sent, in order, on its own goroutine:
// gongshi import reads and prepares (sqlstore.PrepareImport) the next batch while the
// store's sequencer writes one. After its first error it imports no more.
type importWriter struct {
	db      *sqlstore.DB
	batches chan importBatch
	done    chan struct{}
	err     error // set before done is closed
	failed  chan struct{}
}

type importBatch struct {
	lines    []sqlstore.ImportLine
	prepared *sqlstore.ImportBatch
}

func (im *importer) startWriter(ctx context.Context, texts sqlstore.DrawTexts, bar *progress) *importWriter {
	w := &importWriter{db: im.db, batches: make(chan importBatch, 1), done: make(chan struct{}), failed: make(chan struct{})}
	go func() {
		defer close(w.done)
		ents, vers := 0, 0
		for b := range w.batches {
			if w.err != nil {
				continue // drain
			}
			if err := im.db.ImportPrepared(ctx, b.prepared, texts); err != nil {
				w.err = im.refuse(ctx, b.lines, texts, err)
				close(w.failed)
				continue
			}
			last := b.lines[len(b.lines)-1].LogIndex
			bar.update(int(last+1), int(im.m.Size))
			if im.loaded != nil {
				for _, l := range b.lines {
					if l.Leaf.Kind == gongshi.KindRegistration.Name && l.Leaf.Version == 1 {
						ents++
					}
				}
				vers += len(b.lines)
				im.loaded(ents, vers)
			}
		}
	}()
	return w
}

// send prepares lines and queues them for the writer; it returns the writer's error
// if it stopped.
func (w *importWriter) send(lines []sqlstore.ImportLine) error {
	select {
	case <-w.failed:
		return errImportStopped
	default:
	}
	b := importBatch{lines: lines, prepared: w.db.PrepareImport(lines)}
	select {
	case w.batches <- b:
		return nil
	case <-w.failed:
		return errImportStopped
	}
}

// errImportStopped is what send returns once the writer stopped; wait says why.
var errImportStopped = errors.New("the import stopped")

// wait returns once the writer has imported what it was sent, with its error.
func (w *importWriter) wait() error {
	close(w.batches)
	<-w.done
	return w.err
}

// same checks that the leaves of lines already in the log are the log's.
func (im *importer) same(ctx context.Context, leaves [][]byte) error {
	start := im.skipped
	got, err := im.db.ReadLeaves(ctx, start, start+int64(len(leaves)))
	if err != nil {
		return err
	}
	for i := range leaves {
		if string(got[i]) != string(leaves[i]) {
			return fmt.Errorf("the data folder's log has another version at index %d than the snapshot: import into an empty data folder", start+int64(i))
		}
	}
	return nil
}

// refuse keeps the lines of a refused batch before the one it was refused for (the error
// names its log index) and reports that one.
func (im *importer) refuse(ctx context.Context, batch []sqlstore.ImportLine, texts sqlstore.DrawTexts, err error) error {
	var e *gongshi.Error
	if !errors.As(err, &e) || e.Code != gongshi.EINVALID {
		return err
	}
	msg := e.Message
	var idx int64
	if _, scanErr := fmt.Sscanf(msg, "log index %d:", &idx); scanErr == nil {
		msg = fmt.Sprintf("%s line %d: %s", snapshot.VersionsFile, idx+1, strings.TrimSpace(strings.SplitN(msg, ":", 2)[1]))
		if good := idx - batch[0].LogIndex; good > 0 && good < int64(len(batch)) {
			if err := im.db.ImportVersions(ctx, batch[:good], texts); err != nil {
				return err
			}
		}
	}
	im.writeReport(msg)
	return fmt.Errorf("%s (the versions before it are in; the report is in %s)", msg, im.report)
}

func (im *importer) writeReport(line string) {
	if err := os.WriteFile(im.report, []byte(line+"\n"), 0o644); err != nil {
		fmt.Fprintf(im.env.Stderr, "gongshi import: cannot write the report %s: %v\n", im.report, err)
	}
}
