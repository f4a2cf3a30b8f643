package http

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi"
)

func (s *Server) record(w http.ResponseWriter, r *http.Request) error {
	rec, _, err := s.Service.Record(r.Context(), accountFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

func (s *Server) amend(w http.ResponseWriter, r *http.Request) error {
	var in gongshi.Amendment
	if err := decode(r, &in); err != nil {
		return err
	}
	ver, err := s.Service.AmendRecord(r.Context(), accountFrom(r.Context()), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return created(w, ver.Record, ver)
}

// document serves a version's canonical document: the exact bytes that were hashed, never
// re-serialised. A document never changes, so it is cached forever and its hash is its
// ETag.
func (s *Server) document(w http.ResponseWriter, r *http.Request) error {
	sum := r.PathValue("sha256")
	etag := `"` + sum + `"`
	doc, err := s.Service.Document(r.Context(), sum)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(doc)))
	w.WriteHeader(http.StatusOK)
	w.Write(doc)
	return nil
}

// etagMatch reports whether an If-None-Match header names etag (RFC 9110 §13.1.2, weak
// comparison).
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
