package http

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi"
)

// Client calls a gongshi server's JSON API. Errors the server answers as problems are
// returned as *gongshi.Error, so gongshi.ErrorCode works on them as on local errors.
type Client struct {
	BaseURL string // e.g. "http://127.0.0.1:8080"
	Token   string // bearer token; empty for the public
	HTTP    *http.Client
}

// NewClient returns a client of the server at baseURL acting with token ("" for public).
func NewClient(baseURL, token string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), Token: token, HTTP: http.DefaultClient}
}

// Search finds enterprises; cursor is the previous page's Next, limit 0 the default.
func (c *Client) Search(ctx context.Context, q, cursor string, limit int) (*gongshi.SearchResult, error) {
	v := url.Values{"q": {q}}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	if limit > 0 {
		v.Set("limit", strconv.Itoa(limit))
	}
	var out gongshi.SearchResult
	return &out, c.do(ctx, "GET", "/api/v1/enterprises?"+v.Encode(), nil, &out)
}

// Enterprise returns the enterprise page of a USCC or registration number.
func (c *Client) Enterprise(ctx context.Context, code string) (*EnterprisePage, error) {
	var out EnterprisePage
	return &out, c.do(ctx, "GET", "/api/v1/enterprises/"+url.PathEscape(code), nil, &out)
}

// Records returns every record of an enterprise with every version.
func (c *Client) Records(ctx context.Context, code string) (*RecordList, error) {
	var out RecordList
	return &out, c.do(ctx, "GET", "/api/v1/enterprises/"+url.PathEscape(code)+"/records", nil, &out)
}

// Record returns one record with every version.
func (c *Client) Record(ctx context.Context, id string) (*gongshi.Record, error) {
	var out gongshi.Record
	return &out, c.do(ctx, "GET", "/api/v1/records/"+url.PathEscape(id), nil, &out)
}

// Register registers an enterprise (regulator token).
func (c *Client) Register(ctx context.Context, in gongshi.Registration) (*Registered, error) {
	var out Registered
	return &out, c.do(ctx, "POST", "/api/v1/enterprises", in, &out)
}

// Publish publishes a record about an enterprise.
func (c *Client) Publish(ctx context.Context, code string, in gongshi.Publication) (*gongshi.Version, error) {
	var out gongshi.Version
	return &out, c.do(ctx, "POST", "/api/v1/enterprises/"+url.PathEscape(code)+"/records", in, &out)
}

// Change records a registration change of an enterprise (regulator token).
func (c *Client) Change(ctx context.Context, code string, in gongshi.Amendment) (*gongshi.Version, error) {
	var out gongshi.Version
	return &out, c.do(ctx, "POST", "/api/v1/enterprises/"+url.PathEscape(code)+"/changes", in, &out)
}

// Amend publishes a new version of a record: a correction or a change.
func (c *Client) Amend(ctx context.Context, recordID string, in gongshi.Amendment) (*gongshi.Version, error) {
	var out gongshi.Version
	return &out, c.do(ctx, "POST", "/api/v1/records/"+url.PathEscape(recordID)+"/versions", in, &out)
}

// Document returns a version's canonical document, after checking that its bytes hash to
// sum: a client never trusts the server for the content of a hash.
func (c *Client) Document(ctx context.Context, sum string) ([]byte, error) {
	var raw []byte
	if err := c.do(ctx, "GET", "/api/v1/documents/"+url.PathEscape(sum), nil, &raw); err != nil {
		return nil, err
	}
	h := sha256.Sum256(raw)
	if got := hex.EncodeToString(h[:]); got != sum {
		return nil, fmt.Errorf("document %s: the server sent bytes hashing to %s", sum, got)
	}
	return raw, nil
}

// Kinds returns the record kinds and their fields.
func (c *Client) Kinds(ctx context.Context) (*KindList, error) {
	var out KindList
	return &out, c.do(ctx, "GET", "/api/v1/kinds", nil, &out)
}

// Me returns the account of the client's token.
func (c *Client) Me(ctx context.Context) (*gongshi.Account, error) {
	var out gongshi.Account
	return &out, c.do(ctx, "GET", "/api/v1/me", nil, &out)
}

// Login exchanges a password for a token, which the client then uses.
func (c *Client) Login(ctx context.Context, id, password string) (*LoginResponse, error) {
	var out LoginResponse
	if err := c.do(ctx, "POST", "/api/v1/login", LoginRequest{ID: id, Password: password}, &out); err != nil {
		return nil, err
	}
	c.Token = out.Token
	return &out, nil
}

// do sends a request with in as its JSON body (if not nil) and decodes a 2xx answer into
// out: a *[]byte receives the raw body; anything else is decoded with numbers kept exact.
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		return responseError(method, path, resp, data)
	}
	if raw, ok := out.(*[]byte); ok {
		*raw = data
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
	}
	return nil
}

// responseError turns a non-2xx answer into an error: the problem as a *gongshi.Error
// when the server sent one, else the status and the start of the body.
func responseError(method, path string, resp *http.Response, data []byte) error {
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == ProblemContentType {
		var p Problem
		if json.Unmarshal(data, &p) == nil && p.Type != "" {
			return p.Err()
		}
	}
	code := gongshi.EINTERNAL
	for c, st := range codeStatus {
		if st == resp.StatusCode {
			code = c
		}
	}
	return &gongshi.Error{Code: code, Message: fmt.Sprintf("%s %s: %s: %.200s", method, path, resp.Status, bytes.TrimSpace(data))}
}
