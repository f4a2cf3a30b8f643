package report

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gongshi/gongshi"
)

// renderer is a Renderer on Debian's font, which .ci/run installs; a developer without it
// is told how to get it, and CI fails.
func renderer(t *testing.T) *Renderer {
	t.Helper()
	if _, err := os.Stat(DefaultFont); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s: .ci/run installs fonts-wqy-microhei", DefaultFont)
		}
		t.Skip("apt-get install fonts-wqy-microhei")
	}
	return &Renderer{}
}

// TestWrap: a line of Chinese text breaks where it must and loses no character there (the
// fault of fpdf's MultiCell that made this package wrap text itself), and a code or URL is
// not broken where a space would do.
func TestWrap(t *testing.T) {
	d, err := renderer(t).newDoc("t", time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	d.pdf.SetFont("cjk", "", bodySize)
	s := strings.Repeat("企业信用信息公示系统行政处罚决定书文号沪市监浦处〔2026〕7号", 5)
	lines := d.wrap(s, 60)
	if len(lines) < 3 || strings.Join(lines, "") != s {
		t.Errorf("wrap lost or added characters: %q", lines)
	}
	for _, l := range lines {
		if w := d.pdf.GetStringWidth(l); w > 60 {
			t.Errorf("line %q is %.1f mm wide, want at most 60", l, w)
		}
	}
	url := "http://127.0.0.1:8080/e/91310115MA1FL0001X?log_size=6"
	if lines := d.wrap("网址 "+url, 120); lines[len(lines)-1] != url && lines[0] != "网址 "+url {
		t.Errorf("the URL was broken though it fits a line: %q", lines)
	}
}

// TestFontMissing: a missing or unusable font is EUNAVAILABLE naming the package to install.
func TestFontMissing(t *testing.T) {
	bad := t.TempDir() + "/bad.ttf"
	os.WriteFile(bad, []byte("not a font at all"), 0o644)
	for _, path := range []string{t.TempDir() + "/none.ttf", bad} {
		_, err := (&Renderer{FontPath: path}).loadFont()
		var ge *gongshi.Error
		if !errors.As(err, &ge) || ge.Code != gongshi.EUNAVAILABLE || !strings.Contains(ge.Fix, "fonts-wqy-microhei") {
			t.Errorf("font %s: %v, want EUNAVAILABLE with the fix", path, err)
		}
	}
}

// TestCheckpoint reads a signed note's size, root hash and signer.
func TestCheckpoint(t *testing.T) {
	cp, err := parseCheckpoint("gongshi.example/log\n6\nzCms+PUMqF4f0MR8gxl2Yc9JlBQ6khK8HwjJkzi8ogI=\n\n— gongshi.example/log yn4E4TnvLwGZQLDpGhZ3Q9ynM5Vs+FuqVNjFVvwY7HPLUyq5aJ2NWVtlz5qE/5fwF6nJ6K9mBjb5lh8QE0pOq7vIXgo=\n")
	if err != nil {
		t.Fatal(err)
	}
	if cp.Size != 6 || cp.Root != "zCms+PUMqF4f0MR8gxl2Yc9JlBQ6khK8HwjJkzi8ogI=" || len(cp.Signers) != 1 || !strings.HasPrefix(cp.Signers[0], "gongshi.example/log，密钥 ID ca7e04e1") {
		t.Errorf("checkpoint %+v", cp)
	}
}
