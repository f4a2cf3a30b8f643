package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/zstd"
)

// A version's document is stored compressed: a zstd frame (klauspost/compress), with a
// dictionary of the dicts table once the store has enough documents to train one. The
// documents are small JSON objects that repeat the same keys, kinds and phrases, so a
// dictionary trained on them more than halves what zstd alone keeps: on the demo's
// documents (1,330 bytes on average) zstd alone keeps 786, with a 32 KB dictionary about
// 560. The frame names its dictionary by the dicts row's id, so dictionaries may be added
// later and old frames still open. A stored document that is not a zstd frame is the
// document itself (stores written before compression, until the conversion reaches them):
// a JSON object starts with '{', never with zstd's magic number.
//
// Every reader gets the exact bytes that were hashed into the log: the frames are lossless,
// and `verify --data` hashes what they open to.
const dictsSchema = `CREATE TABLE dicts (id {{id}}, dict {{blob}} NOT NULL, created_at TEXT NOT NULL);
	CREATE TABLE docs_to_compress (next BIGINT NOT NULL, below BIGINT NOT NULL);
	INSERT INTO docs_to_compress (next, below) SELECT 0, MAX(log_index)+1 FROM versions HAVING COUNT(*) > 0`

// DefaultDictAfter is how many versions a store holds when it trains its first dictionary
// from them (Config.DictAfter).
const DefaultDictAfter = 10000

// docLevel is the level documents are compressed at. zstd's fastest level keeps the demo's
// documents, with the dictionary, as small as its default one (333 bytes against 335 from
// 1,153) at two thirds of the time (23 µs a document against 37): preparing the encoder's
// tables from the dictionary, done for each frame, is most of the work and the smaller
// tables of the fastest level take less.
const docLevel = zstd.SpeedFastest

// dictHistory is the size of a dictionary's content: larger ones compressed the demo's
// documents a little better (64 KB: 545 bytes against 558) but made every frame slower to
// start, as the encoder prepares its tables from the whole dictionary each time.
const dictHistory = 32 << 10

var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// docCodec compresses documents for storage and opens them again. It is safe for
// concurrent use: the encoder and decoder are replaced whole when a dictionary is added.
type docCodec struct {
	mu    sync.Mutex // serialises reloads
	state atomic.Pointer[codecState]
	load  func(ctx context.Context) (map[uint32][]byte, error) // the dicts table
}

type codecState struct {
	dictID uint32 // the dictionary new documents are compressed with; 0 for none
	dicts  map[uint32][]byte
	enc    *zstd.Encoder
	dec    *zstd.Decoder
}

func newCodecState(dicts map[uint32][]byte) (*codecState, error) {
	s := &codecState{dicts: dicts}
	var all [][]byte
	for id, d := range dicts {
		all = append(all, d)
		s.dictID = max(s.dictID, id) // the newest
	}
	// EncodeAll takes an encoder from a pool of WithEncoderConcurrency: one a core, or the
	// import's workers compressing documents (ImportVersions) wait on each other.
	opts := []zstd.EOption{zstd.WithEncoderCRC(false), zstd.WithEncoderConcurrency(0), zstd.WithEncoderLevel(docLevel)}
	if s.dictID != 0 {
		opts = append(opts, zstd.WithEncoderDict(dicts[s.dictID]))
	}
	var err error
	if s.enc, err = zstd.NewWriter(nil, opts...); err != nil {
		return nil, fmt.Errorf("document compressor: %w", err)
	}
	if s.dec, err = zstd.NewReader(nil, zstd.WithDecoderDicts(all...), zstd.WithDecoderConcurrency(0)); err != nil {
		return nil, fmt.Errorf("document decompressor: %w", err)
	}
	return s, nil
}

func newDocCodec(load func(ctx context.Context) (map[uint32][]byte, error)) *docCodec {
	c := &docCodec{load: load}
	s, err := newCodecState(nil)
	if err != nil {
		panic(err) // only options, all valid
	}
	c.state.Store(s)
	return c
}

// reload reads the dicts table again.
func (c *docCodec) reload(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	dicts, err := c.load(ctx)
	if err != nil {
		return fmt.Errorf("read compression dictionaries: %w", err)
	}
	if len(dicts) == len(c.state.Load().dicts) {
		return nil
	}
	s, err := newCodecState(dicts)
	if err != nil {
		return err
	}
	c.state.Store(s)
	return nil
}

// dictID is the dictionary new documents are compressed with (0: none yet).
func (c *docCodec) dictID() uint32 { return c.state.Load().dictID }

// compress is the stored form of a document.
func (c *docCodec) compress(doc []byte) []byte {
	stored, _ := c.compressed(doc)
	return stored
}

// compressed is the stored form of a document and the dictionary it was compressed with,
// for a stored form made ahead of the transaction that stores it: if the store has
// another dictionary by then, the document is compressed again (importLine).
func (c *docCodec) compressed(doc []byte) (stored []byte, dictID uint32) {
	s := c.state.Load()
	return s.enc.EncodeAll(doc, make([]byte, 0, len(doc)/2)), s.dictID
}

// open is the document a stored form holds: the frame opened, or a copy of the
// document stored as it is.
func (c *docCodec) open(stored []byte) ([]byte, error) {
	if !bytes.HasPrefix(stored, zstdMagic) {
		return bytes.Clone(stored), nil
	}
	s := c.state.Load()
	var h zstd.Header
	if err := h.Decode(stored); err != nil {
		return nil, fmt.Errorf("stored document: %w", err)
	}
	if _, ok := s.dicts[h.DictionaryID]; h.DictionaryID != 0 && !ok {
		// Another process (the sequencer's holder) added a dictionary since this one read them.
		if err := c.reload(context.Background()); err != nil {
			return nil, err
		}
		s = c.state.Load()
		if _, ok := s.dicts[h.DictionaryID]; !ok {
			return nil, fmt.Errorf("stored document: compressed with dictionary %d, which the dicts table does not hold", h.DictionaryID)
		}
	}
	size := 4 * len(stored)
	if h.HasFCS && h.FrameContentSize < 1<<20 {
		size = int(h.FrameContentSize)
	}
	doc, err := s.dec.DecodeAll(stored, make([]byte, 0, size))
	if err != nil {
		return nil, fmt.Errorf("stored document: %w", err)
	}
	return doc, nil
}

// into scans a stored document into *dst, opened.
func (c *docCodec) into(dst *[]byte) sql.Scanner { return docDest{c, dst} }

type docDest struct {
	c   *docCodec
	dst *[]byte
}

func (d docDest) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case []byte:
		b = v
	case string:
		b = []byte(v)
	case nil:
		*d.dst = nil
		return nil
	default:
		return fmt.Errorf("stored document: a %T, not bytes", src)
	}
	doc, err := d.c.open(b)
	if err != nil {
		return err
	}
	*d.dst = doc
	return nil
}

// trainDict makes a dictionary with the given id from sample documents: its content is
// documents drawn at random (seeded, so the same samples make the same dictionary) up to
// dictHistory bytes, and zstd's entropy tables are fitted to all the samples.
func trainDict(samples [][]byte, id uint32) ([]byte, error) {
	if len(samples) == 0 {
		return nil, errors.New("train a dictionary: no documents")
	}
	r := rand.New(rand.NewPCG(uint64(id), uint64(len(samples))))
	var hist []byte
	for _, i := range r.Perm(len(samples)) {
		if len(hist)+len(samples[i]) > dictHistory {
			continue
		}
		hist = append(hist, samples[i]...)
	}
	if len(hist) < 8 {
		return nil, errors.New("train a dictionary: the documents are too few or too large")
	}
	return zstd.BuildDict(zstd.BuildDictOptions{ID: id, Contents: samples, History: hist, Offsets: [3]int{1, 4, 8}, Level: zstd.SpeedDefault})
}

// loadDicts reads the dicts table.
func loadDicts(ctx context.Context, q interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}) (map[uint32][]byte, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, dict FROM dicts`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[uint32][]byte{}
	for rows.Next() {
		var id int64
		var d []byte
		if err := rows.Scan(&id, &d); err != nil {
			return nil, err
		}
		out[uint32(id)] = d
	}
	return out, rows.Err()
}

// compactDocs trains the store's first dictionary once it holds dictAfter versions, and
// compresses again, with the newest dictionary, the documents stored before it (those
// below docs_to_compress.below: stored as they are by an older gongshi, or compressed
// without a dictionary). It runs on the sequencer's goroutine (or before it starts), in
// transactions of a few thousand versions, and says how far it is in the log.
func (db *DB) compactDocs(ctx context.Context) error {
	if db.shared {
		return nil
	}
	if db.docs.dictID() == 0 && db.treeSize >= int64(db.dictAfter) {
		if err := db.addDict(ctx); err != nil {
			return err
		}
	}
	var next, below int64
	err := db.w.QueryRowContext(ctx, `SELECT next, below FROM docs_to_compress`).Scan(&next, &below)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read docs_to_compress: %w", err)
	}
	started, said := time.Now(), time.Now()
	for next < below {
		n, err := db.recompress(ctx, next, min(next+compactBatch, below))
		if err != nil {
			return fmt.Errorf("compress stored documents %d…%d: %w", next, below, err)
		}
		next = min(next+compactBatch, below)
		if time.Since(said) > 10*time.Second {
			db.log.Info("compressing stored documents", "done", next, "of", below, "changed", n)
			said = time.Now()
		}
	}
	if _, err := db.w.ExecContext(ctx, `DELETE FROM docs_to_compress`); err != nil {
		return err
	}
	if d := time.Since(started); d > 10*time.Second {
		db.log.Info("compressed stored documents", "versions", below, "duration", d.Round(time.Second),
			"note", "SQLite keeps the freed pages for new rows; VACUUM (with no server running) shrinks the file")
	}
	return nil
}

const compactBatch = 5000

// addDict trains a dictionary on the first dictAfter documents and adds it, noting every
// document stored so far as to be compressed again.
func (db *DB) addDict(ctx context.Context) error {
	rows, err := db.w.QueryContext(ctx, db.dialect.rebind(`SELECT document FROM versions WHERE log_index < ? ORDER BY log_index`), db.dictAfter)
	if err != nil {
		return err
	}
	var samples [][]byte
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(db.docs.into(&doc)); err != nil {
			rows.Close()
			return err
		}
		samples = append(samples, doc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var id int64
	if err := db.w.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM dicts`).Scan(&id); err != nil {
		return err
	}
	dict, err := trainDict(samples, uint32(id))
	if err != nil {
		return err
	}
	t, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer t.Rollback()
	if _, err := t.ExecContext(ctx, db.dialect.rebind(`INSERT INTO dicts (id, dict, created_at) VALUES (?, ?, ?)`), id, dict, formatTime(db.clock.Now())); err != nil {
		return fmt.Errorf("add a dictionary: %w", err)
	}
	if _, err := t.ExecContext(ctx, `DELETE FROM docs_to_compress`); err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, db.dialect.rebind(`INSERT INTO docs_to_compress (next, below) VALUES (0, ?)`), db.treeSize); err != nil {
		return err
	}
	if err := t.Commit(); err != nil {
		return err
	}
	db.log.Info("trained a compression dictionary for documents", "id", id, "samples", len(samples), "bytes", len(dict))
	return db.docs.reload(ctx)
}

// recompress stores the documents of log indexes from … below-1 again with the newest
// dictionary, in one transaction that also moves docs_to_compress on. It returns how many
// it changed.
func (db *DB) recompress(ctx context.Context, from, below int64) (int, error) {
	t, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer t.Rollback()
	rows, err := t.QueryContext(ctx, db.dialect.rebind(`SELECT log_index, document FROM versions WHERE log_index >= ? AND log_index < ? ORDER BY log_index`), from, below)
	if err != nil {
		return 0, err
	}
	type change struct {
		idx    int64
		stored []byte
	}
	var changes []change
	want := db.docs.dictID()
	for rows.Next() {
		var idx int64
		var stored []byte
		if err := rows.Scan(&idx, &stored); err != nil {
			rows.Close()
			return 0, err
		}
		if frameDict(stored) == want && bytes.HasPrefix(stored, zstdMagic) {
			continue
		}
		doc, err := db.docs.open(stored)
		if err != nil {
			rows.Close()
			return 0, fmt.Errorf("version %d: %w", idx, err)
		}
		changes = append(changes, change{idx, db.docs.compress(doc)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	update, err := t.PrepareContext(ctx, db.dialect.rebind(`UPDATE versions SET document = ? WHERE log_index = ?`))
	if err != nil {
		return 0, err
	}
	defer update.Close()
	for _, c := range changes {
		if _, err := update.ExecContext(ctx, c.stored, c.idx); err != nil {
			return 0, fmt.Errorf("version %d: %w", c.idx, err)
		}
	}
	if _, err := t.ExecContext(ctx, db.dialect.rebind(`UPDATE docs_to_compress SET next = ?`), below); err != nil {
		return 0, err
	}
	return len(changes), t.Commit()
}

// frameDict is the dictionary id a zstd frame names (0 for none or not a frame).
func frameDict(stored []byte) uint32 {
	var h zstd.Header
	if !bytes.HasPrefix(stored, zstdMagic) || h.Decode(stored) != nil {
		return 0
	}
	return h.DictionaryID
}
