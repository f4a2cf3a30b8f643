package report

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// doc is an A4 document being written top to bottom in the one CJK font. It wraps text
// itself: fpdf's MultiCell drops the character at a break in a line with no spaces, which
// Chinese text is.
type doc struct {
	pdf   *fpdf.Fpdf
	width float64 // of the text column, mm
}

const (
	margin   = 18.0 // mm
	bodySize = 10.0 // pt
	lineH    = 5.6  // mm, for bodySize
)

// newDoc starts a document dated at made: the date is the document's own (the newest
// publication it shows), not the time it is rendered, so that the same read gives the
// same bytes.
func (r *Renderer) newDoc(title string, made time.Time) (*doc, error) {
	font, err := r.loadFont()
	if err != nil {
		return nil, err
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.SetMargins(margin, margin, margin)
	p.SetAutoPageBreak(true, margin)
	p.SetCatalogSort(true)
	p.SetCreationDate(made)
	p.SetModificationDate(made)
	p.SetTitle(title, true)
	p.SetCreator("gongshi", true)
	p.AddUTF8FontFromBytes("cjk", "", font)
	if err := p.Error(); err != nil {
		return nil, fmt.Errorf("report font: %w", err)
	}
	d := &doc{pdf: p}
	w, _ := p.GetPageSize()
	d.width = w - 2*margin
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(func() {
		p.SetY(-12)
		p.SetFont("cjk", "", 8)
		p.SetTextColor(110, 110, 110)
		p.CellFormat(0, 4, fmt.Sprintf("%s　第 %d 页 / 共 {nb} 页", title, p.PageNo()), "", 0, "C", false, 0, "")
		p.SetTextColor(0, 0, 0)
	})
	p.AddPage()
	return d, nil
}

// bytes finishes the document.
func (d *doc) bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := d.pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// title writes the document's title, centred.
func (d *doc) title(s string) {
	d.pdf.SetFont("cjk", "", 20)
	d.pdf.CellFormat(0, 12, s, "", 1, "C", false, 0, "")
	d.pdf.Ln(2)
}

// heading writes a section heading with a rule under it, on a new page if it would be
// the last line of this one.
func (d *doc) heading(s string) {
	if d.pdf.GetY() > 297-margin-20 {
		d.pdf.AddPage()
	}
	d.pdf.Ln(3)
	d.pdf.SetFont("cjk", "", 13)
	d.pdf.CellFormat(0, 8, s, "B", 1, "L", false, 0, "")
	d.pdf.Ln(1.5)
}

// subheading writes the heading of a group within a section.
func (d *doc) subheading(s string) {
	d.pdf.Ln(1)
	d.pdf.SetFont("cjk", "", 11)
	d.pdf.SetTextColor(40, 60, 120)
	d.pdf.CellFormat(0, 6.5, s, "", 1, "L", false, 0, "")
	d.pdf.SetTextColor(0, 0, 0)
}

// text writes wrapped body text, indented by indent mm.
func (d *doc) text(s string, indent float64) {
	d.pdf.SetFont("cjk", "", bodySize)
	for _, line := range d.wrap(s, d.width-indent) {
		d.pdf.SetX(margin + indent)
		d.pdf.CellFormat(d.width-indent, lineH, line, "", 1, "L", false, 0, "")
	}
}

// field writes "label：value" with the value's lines aligned after the label.
func (d *doc) field(label, value string, indent float64) {
	d.text(label+"："+value, indent)
}

// none writes the line that says a section has nothing.
func (d *doc) none() { d.text("无", 0) }

// wrap breaks s into lines no wider than w mm: at any character of CJK text, at a space
// in other text (a code or URL longer than a line is broken where it must be).
func (d *doc) wrap(s string, w float64) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		rs := []rune(para)
		for len(rs) > 0 {
			n := d.fit(rs, w)
			if n < len(rs) && isWordRune(rs[n]) && isWordRune(rs[n-1]) {
				for i := n - 1; i > 0; i-- {
					if !isWordRune(rs[i]) {
						n = i + 1
						break
					}
				}
			}
			out = append(out, strings.TrimRight(string(rs[:n]), " "))
			rs = []rune(strings.TrimLeft(string(rs[n:]), " "))
		}
		if len(para) == 0 {
			out = append(out, "")
		}
	}
	return out
}

// fit is how many of rs's first runes fit in w mm (at least one).
func (d *doc) fit(rs []rune, w float64) int {
	lo, hi := 1, len(rs)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.pdf.GetStringWidth(string(rs[:mid])) <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// isWordRune reports whether r belongs to a word that should not be broken: letters and
// digits of alphabetic scripts and the punctuation of codes and URLs.
func isWordRune(r rune) bool {
	return r < 0x2E80 && !unicode.IsSpace(r)
}

// qr draws a QR code of url size mm wide at the left margin, with the URL and the caption
// printed beside it, so that a reader without a camera can type it.
func (d *doc) qr(url, caption string, size float64) error {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("QR code: %w", err)
	}
	bm := q.Bitmap()
	if d.pdf.GetY()+size > 297-margin-6 {
		d.pdf.AddPage()
	}
	x, y := margin, d.pdf.GetY()
	m := size / float64(len(bm))
	d.pdf.SetFillColor(0, 0, 0)
	for row, cells := range bm {
		for col, dark := range cells {
			if dark {
				d.pdf.Rect(x+float64(col)*m, y+float64(row)*m, m, m, "F")
			}
		}
	}
	d.pdf.SetFont("cjk", "", 9)
	tx := x + size + 4
	d.pdf.SetXY(tx, y+4)
	for _, line := range d.wrap(caption, d.width-size-4) {
		d.pdf.SetX(tx)
		d.pdf.CellFormat(d.width-size-4, 5, line, "", 1, "L", false, 0, "")
	}
	for _, line := range d.wrap(url, d.width-size-4) {
		d.pdf.SetX(tx)
		d.pdf.CellFormat(d.width-size-4, 5, line, "", 1, "L", false, 0, url)
	}
	d.pdf.SetY(y + size + 2)
	return nil
}
