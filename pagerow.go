package gongshi

import (
	"bytes"
	"context"
	"encoding/json"
	"runtime"
	"slices"
	"strings"

	"github.com/gongshi/gongshi/calendar"
	"github.com/klauspost/compress/zstd"
)

// An enterprise's public page is the most read answer of the register. Made from the
// logged documents at each read, most of its cost is decoding them (OpenVersion), so the
// sequencer keeps one row per enterprise holding the answer itself: made from the
// enterprise's documents (PublicPage, the same function as the slow path and as
// `gongshi verify --url`) in the transaction that logs each of its versions, and checked
// against a fresh projection by `gongshi verify --data` (the store's AuditState). The row
// is still derived from the logged bytes alone; it only saves decoding them again.
//
// One part of the page changes with the date and no logged event: whether the enterprise
// is on a list today (ListStatus.Listed, from its entries' since and until). The row holds
// the answer with "listed":false and the entries' periods, and the read applies the date.

// EnterprisePage is the enterprise page as data: GET /api/v1/enterprises/{code}.
type EnterprisePage struct {
	Enterprise *Enterprise `json:"enterprise"`
	Sections   Sections    `json:"sections"`
	// ReadAt names the log prefix of an as-of read (?as_of, ?log_size).
	ReadAt *ReadAt `json:"read_at,omitempty"`
}

// Sections groups an enterprise's records as the national system's page does.
type Sections struct {
	Registration []*Record `json:"registration"` // 登记信息: the market regulator's
	Enterprise   []*Record `json:"enterprise"`   // 企业公示信息: the enterprise's own
	Department   []*Record `json:"department"`   // 其他部门公示信息: other departments'
	Judicial     []*Record `json:"judicial"`     // 司法协助信息: courts' notices
}

// PageOf is an enterprise's page as GET /api/v1/enterprises/{code} answers it: its records
// in the national system's sections.
func PageOf(p *Page) *EnterprisePage {
	page := &EnterprisePage{Enterprise: p.Enterprise, Sections: Sections{
		Registration: []*Record{}, Enterprise: []*Record{}, Department: []*Record{}, Judicial: []*Record{}}}
	for _, rec := range p.Records {
		switch rec.Section {
		case SectionEnterprise:
			page.Sections.Enterprise = append(page.Sections.Enterprise, rec)
		case SectionDepartment:
			page.Sections.Department = append(page.Sections.Department, rec)
		case SectionJudicial:
			page.Sections.Judicial = append(page.Sections.Judicial, rec)
		default:
			page.Sections.Registration = append(page.Sections.Registration, rec)
		}
	}
	return page
}

// EncodeAnswer is how the API encodes an answer: JSON without HTML escaping, ending in a
// newline. The page rows are encoded the same way, so a page served from its row is the
// same bytes as one made from the documents.
func EncodeAnswer(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// PageRow is what the store keeps of an enterprise's public page (see above).
type PageRow struct {
	// Page is the encoded answer (EncodeAnswer of PageOf) with list_status.listed false.
	Page []byte
	// ListedAt is the offset in Page of that false.
	ListedAt int
	// Listed is the periods the enterprise is on a list: "since/until" for each entry
	// not corrected, until empty while it lasts, joined by ";" (ListEntry.Active).
	Listed string
	// USCC is the enterprise's, by which the store finds the row.
	USCC string
	// Frame is Page as the store keeps it (Compress), when the store returns it so; Page
	// is then nil until the row is opened (Open).
	Frame []byte
}

// A row's page is kept compressed with zstd, and a client that accepts zstd is sent it as
// it is. The page of an enterprise that is on a list on some day is kept as three frames
// one after the other, which decode to their contents one after the other (RFC 8878 §3):
// the page up to the listed value (ListedAt), that value (false), and the rest; on a day it
// is listed, it is sent with the middle frame swapped for one of true. (The others are
// kept in one frame: split, a page takes a fifth more, as its records cannot refer back
// to its profile.) Each frame has its checksum, and a window no larger than the page (far
// below the 8 MB an HTTP client's zstd decoder must accept: RFC 9659).

// pageEncoder and pageDecoder compress and decompress pages; both are safe for concurrent
// use (EncodeAll, DecodeAll), with an encoder a core (a bulk load's putAllPages compresses
// on each). Without entropy coding: the literals are kept as they are, not Huffman-coded,
// which makes a page a tenth larger and its decompression, which every plain read of a
// page does, two to three times faster (there is no table to read and no literal to
// decode). Measured on every page of a 20k demo (mean 15 KB, 56% kept as three frames):
// 4,061 bytes against 3,559 for the fastest level with entropy coding, decompressed in
// 6.8 µs against 14.9, compressed in 86 µs against 74; of a 100k bulk load (mean 6.8 KB):
// 2,012 bytes against 1,797 (+12%), 3.1 µs against 8.3, 57 µs against 35. At a better
// level than the fastest: its matches make up for a part of the size (the fastest level
// without entropy coding keeps 4,303 and 2,134 bytes), at about the fastest level's cost
// with entropy coding (a page is made again in every batch that touches its enterprise).
// pageSmallEncoder, at the best level, keeps the pages of a 1M bulk load in 1,942 bytes
// against 2,018, in 164 µs against 47: for a bulk load's finish, which compresses each page
// once, on every core (16 bytes less a version at 1M). Its match tables take 34 MiB an
// encoder, one a core, made at its first use (only a bulk load's finish uses it).
var (
	pageEncoder      = newPageEncoder(zstd.SpeedBetterCompression)
	pageSmallEncoder = newPageEncoder(zstd.SpeedBestCompression)
	pageDecoder, _   = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(64<<20))
)

// newPageEncoder is a page encoder at a level: without entropy coding, an encoder a core.
func newPageEncoder(level zstd.EncoderLevel) *zstd.Encoder {
	enc, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(level), zstd.WithNoEntropyCompression(true),
		zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)))
	return enc
}

// falseFrame and trueFrame are the listed value as zstd frames, written out (RFC 8878
// §3.1.1): the magic number; a header of one segment with its one-byte content size; one
// last, raw block of that size; the value.
var (
	falseFrame = []byte{0x28, 0xb5, 0x2f, 0xfd, 0x20, 5, 5<<3 | 1, 0, 0, 'f', 'a', 'l', 's', 'e'}
	trueFrame  = []byte{0x28, 0xb5, 0x2f, 0xfd, 0x20, 4, 4<<3 | 1, 0, 0, 't', 'r', 'u', 'e'}
)

// Compress is the row's page as a store keeps it (see above).
func (r *PageRow) Compress() []byte { return r.compress(pageEncoder) }

// CompressSmall is Compress at zstd's best level: 4% smaller (pageSmallEncoder), in about
// three times the time. For a page compressed once, by a bulk load's finish on every core.
func (r *PageRow) CompressSmall() []byte { return r.compress(pageSmallEncoder) }

func (r *PageRow) compress(enc *zstd.Encoder) []byte {
	if r.Listed == "" || r.ListedAt < 0 || r.ListedAt+len("false") > len(r.Page) {
		// Never listed, or not of PublicPageRow's shape (On says so).
		return enc.EncodeAll(r.Page, make([]byte, 0, len(r.Page)/4))
	}
	out := enc.EncodeAll(r.Page[:r.ListedAt], make([]byte, 0, len(r.Page)/4))
	out = append(out, falseFrame...)
	return enc.EncodeAll(r.Page[r.ListedAt+len("false"):], out)
}

// listedFrame returns where the middle frame of a stored page (Compress) begins and ends;
// ok is false for a page not stored so (kept as one frame by an older gongshi, or whose
// first part was too large for one block).
func listedFrame(f []byte) (begin, end int, ok bool) {
	var h zstd.Header
	if h.Decode(f) != nil || h.Skippable || !h.FirstBlock.OK || !h.FirstBlock.Last {
		return 0, 0, false
	}
	begin = h.HeaderSize + 3 + h.FirstBlock.CompressedSize // the header, one block
	if h.HasCheckSum {
		begin += 4
	}
	end = begin + len(falseFrame)
	return begin, end, end <= len(f) && bytes.Equal(f[begin:end], falseFrame)
}

// DecompressPage opens a stored page (Compress).
func DecompressPage(frames []byte) ([]byte, error) { return pageDecoder.DecodeAll(frames, nil) }

// CheckFrames reports whether a stored page's parts are the page's (Compress), which the
// answers FrameOn gives depend on: a page stored as one frame has none. The whole is
// checked with the rest of the row.
func (r *PageRow) CheckFrames() error {
	begin, _, ok := listedFrame(r.Frame)
	if !ok {
		return nil
	}
	head, err := DecompressPage(r.Frame[:begin])
	if err != nil {
		return err
	}
	if r.ListedAt < 0 || r.ListedAt > len(r.Page) || !bytes.Equal(head, r.Page[:r.ListedAt]) {
		return Errorf(EINTERNAL, "its first frame is not the page up to its listed value")
	}
	return nil
}

// Open decompresses the row's Frame into its Page, if it has not been.
func (r *PageRow) Open() error { return r.openInto(nil) }

// openInto is Open decompressing into buf's memory when it has the room.
func (r *PageRow) openInto(buf []byte) error {
	if r.Page != nil || r.Frame == nil {
		return nil
	}
	page, err := pageDecoder.DecodeAll(r.Frame, buf[:0])
	if err != nil {
		return Errorf(EINTERNAL, "page row: %v", err)
	}
	r.Page = page
	return nil
}

// listedFalse precedes the value ListedAt points to. It can occur only once in a page and
// only there: the enterprise's list_status comes before its records, and the profile before
// it holds field names as keys and strings as values, in which a quote is escaped.
var listedFalse = []byte(`"list_status":{"listed":false`)

// PublicPageRow makes the page row of the enterprise whose versions vs are (in log order):
// the public page (PublicPage) on no particular day. It leaves vs as they were (the page
// is made from copies, which presenting changes), so that a bulk load's finish also
// projects them (sqlstore's finishEnterprises opens each document once).
func PublicPageRow(vs []*Version) (*PageRow, error) {
	copies := make([]Version, len(vs))
	vs = slices.Clone(vs)
	for i, v := range vs {
		copies[i] = *v
		vs[i] = &copies[i]
	}
	d, err := DossierOf(vs)
	if err != nil {
		return nil, err
	}
	p := presentDossier(d, nil, nil, everyRecord, calendar.Date{})
	st := p.Enterprise.ListStatus
	st.Listed = false
	var periods []string
	for _, e := range st.Entries {
		if e.Ended != EndCorrected {
			periods = append(periods, e.Since+"/"+e.Until)
		}
	}
	b, err := EncodeAnswer(PageOf(p))
	if err != nil {
		return nil, err
	}
	at := bytes.Index(b, listedFalse)
	if at < 0 {
		return nil, Errorf(EINTERNAL, "%s: its page has no list status", p.Enterprise.USCC)
	}
	return &PageRow{Page: b, ListedAt: at + len(listedFalse) - len("false"), Listed: strings.Join(periods, ";"), USCC: p.Enterprise.USCC.String()}, nil
}

// OpenPageRow makes the page row of the enterprise whose stored versions svs are (in log
// order, as Store.File returns them).
func OpenPageRow(svs []StoredVersion) (*PageRow, error) {
	vs, err := OpenVersions(svs, false)
	if err != nil {
		return nil, err
	}
	return PublicPageRow(vs)
}

// On returns the answer the row gives on a day, nil when the row is not of the shape
// PublicPageRow makes (then the page is made from the documents). The row must be open.
func (r *PageRow) On(day calendar.Date) []byte {
	if !r.servable() {
		return nil
	}
	if !listedOn(r.Listed, day) {
		return r.Page
	}
	out := make([]byte, 0, len(r.Page)-1)
	out = append(out, r.Page[:r.ListedAt]...)
	out = append(out, "true"...)
	return append(out, r.Page[r.ListedAt+len("false"):]...)
}

// servable says the row's page holds the false its listed value is made from.
func (r *PageRow) servable() bool {
	return r.ListedAt >= 0 && r.ListedAt+len("false") <= len(r.Page) && string(r.Page[r.ListedAt:r.ListedAt+len("false")]) == "false"
}

// onInPlace is On writing the listed value into the row's page itself, not into a copy of
// it: for a row whose page the caller has just decompressed and sends once. (A page is
// ~15 KB, most enterprises of a register that has swept for years have been listed, and
// the copy was made at each read of their pages.)
func (r *PageRow) onInPlace(day calendar.Date) []byte {
	if !r.servable() || !listedOn(r.Listed, day) {
		return r.On(day)
	}
	p := r.Page
	copy(p[r.ListedAt:], "true")
	n := copy(p[r.ListedAt+len("true"):], p[r.ListedAt+len("false"):])
	r.Page = p[:r.ListedAt+len("true")+n]
	return r.Page
}

// FrameOn returns the answer the row gives on a day as a zstd stream, nil if it has
// none: Frame as it is, or, on a day the enterprise is listed, with its listed value true
// (a row kept in one frame has none then: only On gives it). The frames' shape is not
// checked here, as On checks the page's: `gongshi verify --data` checks every row
// (AuditState, CheckFrames), and a frame's checksum fails a client's decoder if the stored
// bytes were damaged.
func (r *PageRow) FrameOn(day calendar.Date) []byte {
	if r.Frame == nil || r.ListedAt < 0 {
		return nil
	}
	if !listedOn(r.Listed, day) {
		return r.Frame
	}
	begin, end, ok := listedFrame(r.Frame)
	if !ok {
		return nil
	}
	out := make([]byte, 0, len(r.Frame)-len(falseFrame)+len(trueFrame))
	out = append(out, r.Frame[:begin]...)
	out = append(out, trueFrame...)
	return append(out, r.Frame[end:]...)
}

// listedOn applies ListEntry.Active to the periods of a PageRow.
func listedOn(periods string, day calendar.Date) bool {
	d := day.String()
	for p := range strings.SplitSeq(periods, ";") {
		since, until, ok := strings.Cut(p, "/")
		if ok && since <= d && (until == "" || d < until) {
			return true
		}
	}
	return false
}

// PageRows is implemented by a store that keeps page rows.
type PageRows interface {
	// PageRow returns the page row of the enterprise with the given USCC or registration
	// number, nil when there is none or it no longer holds the enterprise's every version
	// (then the page is made from the documents).
	PageRow(ctx context.Context, code string) (*PageRow, error)
}

// PublicPageAnswer returns the public's answer to GET /api/v1/enterprises/{code} today
// from the enterprise's page row, nil when the store has none for it: then the page is
// made from the documents (PageAt), which also gives the error for a code not registered.
// With zstdOK (the client accepts Content-Encoding: zstd) the answer may be the row's
// stored frame, sent as it is without decompressing it (zstd true). Otherwise the page is
// decompressed into buf's memory when it has the room: a caller may pass a buffer it
// reuses once it has sent the answer.
func (s *Registry) PublicPageAnswer(ctx context.Context, code string, zstdOK bool, buf []byte) (answer []byte, zstd bool, err error) {
	rows, ok := s.Store.(PageRows)
	if !ok {
		return nil, false, nil
	}
	code, err = canonicalCode(code)
	if err != nil {
		return nil, false, err
	}
	r, err := rows.PageRow(ctx, code)
	if err != nil || r == nil {
		return nil, false, err
	}
	day := calendar.DateOf(s.Clock.Now())
	if zstdOK {
		if f := r.FrameOn(day); f != nil {
			return f, true, nil
		}
	}
	if r.openInto(buf) != nil {
		return nil, false, nil // AuditState reports it; the page is made from the documents
	}
	return r.onInPlace(day), false, nil // decompressed here: its page is this call's
}
