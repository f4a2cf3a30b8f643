package http

import (
	"net/http"
	"time"

	"github.com/gongshi/gongshi"
)

// KindList is GET /api/v1/kinds.
type KindList struct {
	Kinds []KindSpec `json:"kinds"`
}

// KindSpec is a record kind as clients see it: its fields with their visibility, which
// gongshi.Field keeps out of JSON.
type KindSpec struct {
	Name       string         `json:"name"`
	Label      string         `json:"label"`
	Article    string         `json:"article"`
	Publishers []gongshi.Role `json:"publishers"`
	Fields     []FieldSpec    `json:"fields"`
}

// FieldSpec is one field of a record kind.
type FieldSpec struct {
	Name       string      `json:"name"`
	Label      string      `json:"label"`
	Type       string      `json:"type"`
	Required   bool        `json:"required"`
	Visibility string      `json:"visibility"` // public, non-public or personal
	Enum       []string    `json:"enum,omitempty"`
	Fields     []FieldSpec `json:"fields,omitempty"`
}

func kindSpecs() []KindSpec {
	var out []KindSpec
	for _, k := range gongshi.Kinds() {
		out = append(out, KindSpec{Name: k.Name, Label: k.Label, Article: k.Article,
			Publishers: k.Publishers, Fields: fieldSpecs(k.Fields)})
	}
	return out
}

func fieldSpecs(fs []gongshi.Field) []FieldSpec {
	out := make([]FieldSpec, len(fs))
	for i, f := range fs {
		out[i] = FieldSpec{Name: f.Name, Label: f.Label, Type: string(f.Type), Required: f.Required,
			Visibility: f.Visibility.String(), Enum: f.Enum, Fields: fieldSpecs(f.Fields)}
		if len(f.Fields) == 0 {
			out[i].Fields = nil
		}
	}
	return out
}

func (s *Server) kinds(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "public, max-age=300")
	writeJSON(w, http.StatusOK, &KindList{Kinds: kindSpecs()})
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, accountFrom(r.Context()))
	return nil
}

// LoginRequest is the body of POST /api/v1/login.
type LoginRequest struct {
	ID       string `json:"id"`
	Password string `json:"password"`
}

// LoginResponse answers a login with the account and a new bearer token.
type LoginResponse struct {
	Account *gongshi.Account `json:"account"`
	Token   string           `json:"token"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var in LoginRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.ID == "" {
		return gongshi.Invalid("id", "is required", "give the account id")
	}
	a, tok, err := s.Service.Login(r.Context(), in.ID, in.Password, s.clientIP(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, &LoginResponse{Account: a, Token: tok})
	return nil
}

// Health is GET /healthz.
type Health struct {
	Status string `json:"status"`
	// Clock is the server's time; Simulated says it runs on a set clock (SPEC §12).
	Clock     time.Time `json:"clock"`
	Simulated bool      `json:"simulated,omitempty"`
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	now, sim := s.simulatedNow()
	if !sim {
		now = time.Now()
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, &Health{Status: "ok", Clock: now, Simulated: sim})
	return nil
}
