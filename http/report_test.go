package http_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/storetest"
	"github.com/gongshi/gongshi/translog"
	"github.com/gongshi/gongshi/web"
)

// TestCreditReportPDF builds a week of history — registered, two penalties, a checkpoint,
// a change of name, a listing, one penalty withdrawn, a checkpoint — and reads the credit
// report and the listing decision as PDFs: their text (pdftotext), their QR codes
// (pdftoppm and zbarimg) and their cache headers.
func TestCreditReportPDF(t *testing.T) {
	tools(t, "pdftotext", "pdftoppm", "zbarimg")
	ctx := context.Background()
	clock := storetest.NewClock(storetest.At("2026-06-01T10:00:00+08:00"))
	st := testserver.Start(t, testserver.Options{Clock: clock, API: ghttp.Options{ReportLabels: web.EnumLabel}})
	reg := &gongshi.Account{ID: "sh", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"}
	code := uscc(t, "310115", 902)
	ent, _, err := st.Svc.Register(ctx, reg, registration(code))
	if err != nil {
		t.Fatal(err)
	}
	clock.Set(storetest.At("2026-06-03T10:00:00+08:00"))
	if _, err := st.Svc.Publish(ctx, reg, code, storetest.Penalty("沪市监浦处〔2026〕7号")); err != nil {
		t.Fatal(err)
	}
	gone, err := st.Svc.Publish(ctx, reg, code, storetest.Penalty("沪市监浦处〔2026〕8号"))
	if err != nil {
		t.Fatal(err)
	}
	checkpoint := func() string {
		t.Helper()
		cp, err := translog.NewCheckpointer(st.DB, st.Signer).Checkpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return string(cp)
	}
	cp3 := checkpoint()
	clock.Set(storetest.At("2026-06-05T10:00:00+08:00"))
	if _, err := st.Svc.Amend(ctx, reg, ent.Registration, gongshi.Amendment{Reason: "更名", Fields: map[string]any{"name": "上海新名字科技有限公司"}}); err != nil {
		t.Fatal(err)
	}
	clock.Set(storetest.At("2026-06-08T10:00:00+08:00"))
	listed, err := st.Svc.DecideListing(ctx, reg, code, gongshi.ListingDecision{Ground: 4, Verified: "2026-06-05", Facts: "经实地核查，通过登记的住所无法联系", DocumentNo: "浦市监异〔2026〕9号"})
	if err != nil {
		t.Fatal(err)
	}
	admin := &gongshi.Account{ID: "admin", Name: "管理员", Role: gongshi.RoleAdmin}
	if _, err := st.Svc.Withdraw(ctx, admin, gone.Record, "court order to redact"); err != nil {
		t.Fatal(err)
	}
	checkpoint()

	reportURL := st.URL + "/api/v1/enterprises/" + code + "/report.pdf"
	now := getPDF(t, reportURL, "")
	text := pdfText(t, now.body)
	pageURL := st.URL + "/e/" + code + "?log_size=6"
	for _, want := range []string{"企业信用报告", "上海新名字科技有限公司", code, "沪市监浦处〔2026〕7号", "浦市监异〔2026〕9号", "经营异常名录", "日志规模：6（", pageURL} {
		if !strings.Contains(text, want) {
			t.Errorf("the report at the latest checkpoint lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "〔2026〕8号") {
		t.Errorf("the report shows the withdrawn penalty:\n%s", text)
	}
	if got := pdfQR(t, now.body); got != pageURL {
		t.Errorf("the report's QR code says %q, want %q", got, pageURL)
	}
	if now.header.Get("Cache-Control") == "public, max-age=31536000, immutable" || now.header.Get("ETag") == "" {
		t.Errorf("the present report: Cache-Control %q, ETag %q; want revalidated, with an ETag", now.header.Get("Cache-Control"), now.header.Get("ETag"))
	}

	// As of the first checkpoint: the old name, the penalty then public, and the one since
	// withdrawn still left out; the checkpoint's root hash and signer printed.
	old := getPDF(t, reportURL+"?log_size=3", "")
	text = pdfText(t, old.body)
	root := strings.Split(cp3, "\n")[2]
	for _, want := range []string{"上海杰图天下网络科技有限公司", "沪市监浦处〔2026〕7号", "日志规模：3（", root, translog.DefaultOrigin} {
		if !strings.Contains(text, want) {
			t.Errorf("the report at log size 3 lacks %q:\n%s", want, text)
		}
	}
	for _, gone := range []string{"上海新名字科技有限公司", "〔2026〕8号", "浦市监异〔2026〕9号"} {
		if strings.Contains(text, gone) {
			t.Errorf("the report at log size 3 shows %q:\n%s", gone, text)
		}
	}
	if cc := old.header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("a report at a log size: Cache-Control %q, want immutable", cc)
	}
	if again := getPDF(t, reportURL+"?log_size=3", old.header.Get("ETag")); again.status != http.StatusNotModified {
		t.Errorf("revalidating the report at log size 3 with its ETag: status %d, want 304", again.status)
	}
	if text = pdfText(t, getPDF(t, reportURL+"?as_of=2026-06-02", "").body); strings.Contains(text, "沪市监浦处") || !strings.Contains(text, "日志规模：1（") {
		t.Errorf("the report as of 2026-06-02 (log size 1) shows a penalty published on the 3rd, or another size:\n%s", text)
	}

	// The listing decision as a document, with its verify page in the QR code.
	dec := getPDF(t, st.URL+"/api/v1/records/"+listed.Version.Record+"/decision.pdf", "")
	text = pdfText(t, dec.body)
	verify := st.URL + "/r/" + listed.Version.Record + "/v/1/verify"
	for _, want := range []string{"列入经营异常名录决定书", "浦市监异〔2026〕9号", "上海新名字科技有限公司", "经营异常名录", listed.Version.SHA256, verify} {
		if !strings.Contains(text, want) {
			t.Errorf("the listing decision lacks %q:\n%s", want, text)
		}
	}
	if got := pdfQR(t, dec.body); got != verify {
		t.Errorf("the decision's QR code says %q, want %q", got, verify)
	}
	want400(t, st.URL+"/api/v1/records/"+gone.Record+"/decision.pdf", "id")

	// An enterprise registered since the latest checkpoint has a report all the same, read
	// at the log's size, which says that no checkpoint holds it yet.
	late := uscc(t, "310115", 905)
	if _, _, err := st.Svc.Register(ctx, reg, registration(late)); err != nil {
		t.Fatal(err)
	}
	text = pdfText(t, getPDF(t, st.URL+"/api/v1/enterprises/"+late+"/report.pdf", "").body)
	for _, want := range []string{late, "日志规模：7（", "尚未签发"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report of an enterprise registered after the latest checkpoint lacks %q:\n%s", want, text)
		}
	}
}

// TestReportFontMissing: without the font the documents are 503, saying how to install it.
func TestReportFontMissing(t *testing.T) {
	st := testserver.Start(t, testserver.Options{Now: testNow, API: ghttp.Options{ReportFont: filepath.Join(t.TempDir(), "none.ttf")}})
	ctx := context.Background()
	reg := &gongshi.Account{ID: "sh", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"}
	code := uscc(t, "310115", 903)
	if _, _, err := st.Svc.Register(ctx, reg, registration(code)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(st.URL + "/api/v1/enterprises/" + code + "/report.pdf")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "fonts-wqy-microhei") {
		t.Errorf("report without its font: %d %s; want 503 naming the package to install", resp.StatusCode, body)
	}
}

type pdfAnswer struct {
	status int
	header http.Header
	body   []byte
}

// getPDF GETs a PDF document, with If-None-Match when etag is set; a 200 must be a PDF.
func getPDF(t *testing.T, url, etag string) pdfAnswer {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	a := pdfAnswer{resp.StatusCode, resp.Header, body}
	if etag == "" && (a.status != 200 || a.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(body), "%PDF-")) {
		t.Fatalf("GET %s: %d %s, %.200q; want a PDF", url, a.status, a.header.Get("Content-Type"), body)
	}
	return a
}

// tools requires the command-line tools a test reads PDFs with (poppler-utils, zbar-tools:
// .ci/run installs them); a developer without them is told, and CI fails.
func tools(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing: .ci/run installs poppler-utils and zbar-tools", n)
			}
			t.Skipf("%s is missing: apt-get install poppler-utils zbar-tools", n)
		}
	}
}

// pdfText is the text of a PDF (pdftotext), which also checks that it is a valid one.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	return string(out)
}

// pdfQR is what the QR codes of a PDF say: its pages rendered (pdftoppm) and scanned
// (zbarimg).
func pdfQR(t *testing.T, pdf []byte) string {
	t.Helper()
	dir := t.TempDir()
	f := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "200", "-gray", "-png", f, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	// zbarimg exits 4 when a page has no code: only what it read counts.
	out, err := exec.Command("zbarimg", append([]string{"--raw", "-q"}, pages...)...).Output()
	if len(out) == 0 {
		t.Fatalf("zbarimg found no QR code in %d pages: %v", len(pages), err)
	}
	return strings.TrimSpace(string(out))
}
