package report

import (
	"bytes"
	"fmt"
	"os"
	"sync"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/policy"
)

// DefaultFont is where Debian's fonts-wqy-microhei puts WenQuanYi Micro Hei: a TrueType
// font with the CJK glyphs of a register's names and decisions and the Latin glyphs of
// its codes and URLs (Droid Sans Fallback, of fonts-droid-fallback, has no Latin: digits
// show as boxes). It comes as a collection (.ttc), of which the first font is embedded.
const DefaultFont = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

// fontFix is the fix a problem about the font names.
const fontFix = "install Debian's fonts-wqy-microhei (apt-get install fonts-wqy-microhei), or give gongshi serve --report-font the path of a TrueType font (.ttf or .ttc) with CJK and Latin glyphs"

// Renderer makes the register's PDF documents. Its font is read on first use and kept,
// so that installing a missing font needs no restart.
type Renderer struct {
	// FontPath is the TrueType font embedded (subset) in every document; "" is DefaultFont.
	FontPath string
	// Enum names an enum code in Chinese (web.EnumLabel); nil shows codes as they are.
	Enum func(code string) string
	// Rules names the policy entries that decisions quote ("remedy.review@2014-10-01"), as
	// the pages do; nil leaves the references as they are.
	Rules *policy.Rules

	mu   sync.Mutex
	font []byte
}

// loadFont returns the font's bytes, or EUNAVAILABLE saying how to install one.
func (r *Renderer) loadFont() ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.font != nil {
		return r.font, nil
	}
	path := r.FontPath
	if path == "" {
		path = DefaultFont
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &gongshi.Error{Code: gongshi.EUNAVAILABLE, Message: fmt.Sprintf("PDF documents cannot be made: the CJK font %s cannot be read (%v)", path, err), Fix: fontFix}
	}
	if bytes.HasPrefix(b, []byte("ttcf")) {
		if b, err = firstFont(b); err != nil {
			return nil, &gongshi.Error{Code: gongshi.EUNAVAILABLE, Message: fmt.Sprintf("PDF documents cannot be made: %s: %v", path, err), Fix: fontFix}
		}
	}
	if len(b) < 12 || !bytes.HasPrefix(b, []byte{0, 1, 0, 0}) && !bytes.HasPrefix(b, []byte("true")) {
		return nil, &gongshi.Error{Code: gongshi.EUNAVAILABLE, Message: fmt.Sprintf("PDF documents cannot be made: %s is not a TrueType font", path), Fix: fontFix}
	}
	r.font = b
	return b, nil
}
