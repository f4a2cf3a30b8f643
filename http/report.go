package http

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/report"
	"github.com/gongshi/gongshi/translog"
)

// PDF documents (package report): an enterprise's credit report as of a log size, and an
// enforcement decision's written decision. Both are read as the public sees them, whoever
// asks, and carry the checkpoint they were read at and the QR code of the page that proves
// them. Rendering costs a CJK font's subsetting, so an answer's ETag is a hash of what it
// is made from: a client (or a cache) revalidating gets 304 without a rendering, and a
// few recent documents are kept.

func (s *Server) reportRoutes() []*route {
	pdfNote := " The CJK font is Debian's fonts-wqy-microhei (serve --report-font); 503 says how to install it when it is missing."
	return []*route{
		{Method: "GET", Path: "/api/v1/enterprises/{code}/report.pdf", serve: s.creditReport, Tag: "register",
			Summary: "The enterprise credit report (企业信用报告) as a PDF",
			Description: "What the enterprise page shows to the public — registration, shareholders, key personnel, branches, changes, list status and decisions, spot checks, the enterprise's disclosures, other departments' records, courts' notices — then its penalties and annual-report filings, read at a log size; at the end the signed checkpoint holding that prefix (size, root hash, signer) and a QR code of the enterprise page at that log size (`/e/{code}?log_size=N`). " +
				"Without `as_of` or `log_size` it is read at the latest signed checkpoint's size. What has since been withdrawn from public view is left out. A report at a `log_size` is served as immutable; every answer has an ETag." + pdfNote,
			Query: asOfParams, Status: 200, ContentType: "application/pdf", Errors: []int{304, 503}},
		{Method: "GET", Path: "/api/v1/records/{id}/decision.pdf", serve: s.decisionPDF, Tag: "enforcement",
			Summary:     "An enforcement decision as a PDF (决定书)",
			Description: "A listing, marking, removal or restoration decision, an objection's answer or a refusal to remove, as the version published in the log states it, with its log index, document SHA-256, the signed checkpoint holding it and a QR code of its verify page (`/r/{id}/v/{n}/verify`). 400 for a record that is not a decision; 410 when the version is withdrawn from public view." + pdfNote,
			Query:       []Param{{"version", "The version (default: the newest).", intSchema(1, 1<<31-1)}},
			Status:      200, ContentType: "application/pdf", Errors: []int{304, 410, 503}},
	}
}

// pdfCache keeps the last few rendered documents by the hash of what they are made from.
type pdfCache struct {
	mu    sync.Mutex
	order []string
	docs  map[string][]byte
}

const pdfCacheSize = 32

func (c *pdfCache) get(key string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.docs[key]
}

func (c *pdfCache) put(key string, doc []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.docs == nil {
		c.docs = map[string][]byte{}
	}
	if _, ok := c.docs[key]; ok {
		return
	}
	if len(c.order) == pdfCacheSize {
		delete(c.docs, c.order[0])
		c.order = c.order[1:]
	}
	c.order = append(c.order, key)
	c.docs[key] = doc
}

// renderer is the server's PDF renderer (Options.ReportFont, Options.ReportLabels).
func (s *Server) renderer() *report.Renderer {
	s.reportOnce.Do(func() {
		s.rendering = make(chan struct{}, runtime.NumCPU())
		s.reports = &report.Renderer{FontPath: s.Options.ReportFont, Enum: s.Options.ReportLabels, Rules: &s.Service.Rules}
	})
	return s.reports
}

// servePDF answers with the document made of what key hashes, rendering it only when the
// client does not hold it and it is not kept.
func (s *Server) servePDF(w http.ResponseWriter, r *http.Request, key []byte, filename string, immutable bool, render func() ([]byte, error)) error {
	sum := sha256.Sum256(append(key, s.renderer().FontPath...))
	k := hex.EncodeToString(sum[:16])
	etag := `"` + k + `"`
	h := w.Header()
	h.Set("ETag", etag)
	if immutable {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=0, must-revalidate")
	}
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	doc := s.pdfs.get(k)
	if doc == nil {
		// Rendering takes a core for a few hundred milliseconds: no more at once than there
		// are cores, so that documents cannot crowd out the register's other answers.
		select {
		case s.rendering <- struct{}{}:
		case <-r.Context().Done():
			return r.Context().Err()
		}
		var err error
		doc, err = render()
		<-s.rendering
		if err != nil {
			h.Del("ETag")
			h.Del("Cache-Control")
			return err
		}
		s.pdfs.put(k, doc)
	}
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `inline; filename="`+filename+`"`)
	h.Set("Content-Length", strconv.Itoa(len(doc)))
	w.WriteHeader(http.StatusOK)
	w.Write(doc)
	return nil
}

func (s *Server) creditReport(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	a, err := s.reportAsOf(r.Context(), asOfOf(r), true)
	if err != nil {
		return err
	}
	p, err := s.Service.PageAt(r.Context(), gongshi.Anonymous, code, a) // as the public sees it
	if gongshi.ErrorCode(err) == gongshi.ENOTFOUND && !asOfOf(r).Past() {
		// Registered since the latest checkpoint: read at the log's size, which the next
		// checkpoint will hold (the report says none is signed yet).
		a = gongshi.AsOf{}
		if a, err = s.reportAsOf(r.Context(), a, false); err == nil {
			p, err = s.Service.PageAt(r.Context(), gongshi.Anonymous, code, a)
		}
	}
	if err != nil {
		return err
	}
	uscc := p.Enterprise.USCC.String()
	proof := report.Proof{LogSize: p.ReadAt.LogSize, AsOf: p.ReadAt.AsOf, Checkpoint: p.ReadAt.Checkpoint,
		URL: s.publicURL(r) + "/e/" + url.PathEscape(uscc) + "?log_size=" + strconv.FormatInt(p.ReadAt.LogSize, 10)}
	key, err := json.Marshal(struct {
		Page  *gongshi.Page
		Proof report.Proof
	}{p, proof})
	if err != nil {
		return err
	}
	name := fmt.Sprintf("credit-report-%s-%d.pdf", uscc, proof.LogSize)
	immutable := r.URL.Query().Get("log_size") != "" && proof.Checkpoint != ""
	return s.servePDF(w, r, append([]byte("report\x00"), key...), name, immutable, func() ([]byte, error) {
		return s.renderer().CreditReport(p, proof)
	})
}

// reportAsOf is the read a credit report is made at: the one asked for, else (when
// signed is set) the latest signed checkpoint's size, so that the report can name the
// checkpoint it was read at, else the log's size.
func (s *Server) reportAsOf(ctx context.Context, a gongshi.AsOf, signed bool) (gongshi.AsOf, error) {
	if a.Past() {
		return a, nil
	}
	if lc, ok := s.Service.Store.(interface {
		LatestCheckpoint(context.Context) ([]byte, error)
	}); ok && signed {
		signed, err := lc.LatestCheckpoint(ctx)
		if err != nil && !errors.Is(err, translog.ErrNotFound) {
			return a, fmt.Errorf("latest checkpoint: %w", err)
		}
		if err == nil {
			body, _, _ := strings.Cut(string(signed), "\n\n")
			_, tree, err := translog.ParseCheckpointText([]byte(body + "\n"))
			if err != nil {
				return a, fmt.Errorf("latest checkpoint: %w", err)
			}
			if tree.N > 0 {
				return gongshi.AsOf{LogSize: tree.N}, nil
			}
		}
	}
	size, err := s.Service.Store.TreeSize(ctx)
	if err != nil {
		return a, fmt.Errorf("log size: %w", err)
	}
	return gongshi.AsOf{LogSize: size}, nil
}

func (s *Server) decisionPDF(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	rec, _, err := s.Service.Record(r.Context(), gongshi.Anonymous, id) // as the public sees it
	if err != nil {
		return err
	}
	if !report.IsDecision(rec.Kind) {
		return gongshi.Invalid("id", fmt.Sprintf("record %s is a %s, not an enforcement decision", id, rec.Kind), "ask for a listing or removal decision's record")
	}
	v := rec.Latest()
	if q := r.URL.Query().Get("version"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 || n > len(rec.Versions) {
			return gongshi.Invalid("version", fmt.Sprintf("%q is not a version of record %s, which has %d", q, id, len(rec.Versions)), "leave it out for the newest")
		}
		v = rec.Versions[n-1]
	}
	if v.Withdrawn != nil {
		return gongshi.Errorf(gongshi.EGONE, "version %d of record %s is withdrawn from public view", v.Version, id)
	}
	cp, err := s.Service.Store.CheckpointCovering(r.Context(), v.LogIndex+1)
	if err != nil && !errors.Is(err, translog.ErrNotFound) {
		return fmt.Errorf("checkpoint: %w", err)
	}
	proof := report.Proof{LogSize: v.LogIndex + 1, Checkpoint: string(cp),
		URL: fmt.Sprintf("%s/r/%s/v/%d/verify", s.publicURL(r), url.PathEscape(rec.ID), v.Version)}
	key, err := json.Marshal(struct {
		Version *gongshi.Version
		Proof   report.Proof
	}{v, proof})
	if err != nil {
		return err
	}
	name := fmt.Sprintf("decision-%s-v%d.pdf", rec.ID, v.Version)
	return s.servePDF(w, r, append([]byte("decision\x00"), key...), name, proof.Checkpoint != "", func() ([]byte, error) {
		return s.renderer().Decision(v, proof)
	})
}

// publicURL is the register's address for links printed in documents (PublicURL).
func (s *Server) publicURL(r *http.Request) string { return PublicURL(s.Options.PublicURL, r) }

// PublicURL is the register's address: configured (--public-url) if set, else the scheme
// and host the request came to.
func PublicURL(configured string, r *http.Request) string {
	if configured != "" {
		return strings.TrimRight(configured, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
