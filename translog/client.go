package translog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// Response size limits of the Client.
const (
	maxCheckpointSize = 1 << 20
	maxTileSize       = TileWidth * tlog.HashSize
	maxBundleSize     = TileWidth * (2 + MaxLeafSize)
	// MaxDocumentSize is the largest document the Client reads.
	MaxDocumentSize = 64 << 20
)

// Client reads a gongshi server's log API (/log/…) and documents (/api/v1/documents/…).
type Client struct {
	base string
	hc   *http.Client
}

// NewClient returns a Client for the server at baseURL (e.g. "http://127.0.0.1:8080"; a
// trailing slash is ignored), using hc or http.DefaultClient if hc is nil.
func NewClient(baseURL string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), hc: hc}
}

// get fetches path and returns the body of a 200 response, at most limit bytes. A 404 is
// an error wrapping ErrNotFound; a 410 wraps ErrWithdrawn and carries the body's first
// line as the reason; any other status, a transport error or a longer body is an error.
func (c *Client) get(ctx context.Context, path string, limit int64) ([]byte, error) {
	url := c.base + path
	resp, err := GetPolitely(ctx, c.hc, url)
	if err != nil {
		return nil, fmt.Errorf("translog: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("translog: GET %s: %w", url, err)
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, fmt.Errorf("GET %s: %w", url, ErrNotFound)
	case resp.StatusCode == http.StatusGone:
		reason, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
		return nil, fmt.Errorf("GET %s: %w: %.200s", url, ErrWithdrawn, reason)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("translog: GET %s: %s", url, resp.Status)
	case int64(len(body)) > limit:
		return nil, fmt.Errorf("translog: GET %s: response longer than %d bytes", url, limit)
	}
	return body, nil
}

// Key returns the note verifier key, or the key list (see Key), served at /log/key.
// Trusting it is trust on first use: compare it with a key obtained another way.
func (c *Client) Key(ctx context.Context) (string, error) {
	b, err := c.get(ctx, "/log/key", 4096)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// Checkpoint returns the signed checkpoint served at /log/checkpoint, unverified.
func (c *Client) Checkpoint(ctx context.Context) ([]byte, error) {
	return c.get(ctx, "/log/checkpoint", maxCheckpointSize)
}

// Tile returns the data of tile t (a Merkle tile or, with L == EntriesLevel, an entry
// bundle), unverified. If a partial tile is gone (404), it reads the full tile and returns
// its first t.W entries, as C2SP tlog-tiles asks clients to. A response of the wrong
// length is an error wrapping ErrInconsistent.
func (c *Client) Tile(ctx context.Context, t tlog.Tile) ([]byte, error) {
	limit := int64(maxTileSize)
	if t.L == EntriesLevel {
		limit = maxBundleSize
	}
	data, err := c.get(ctx, "/log/"+TilePath(t), limit)
	if errors.Is(err, ErrNotFound) && t.W < TileWidth {
		full := t
		full.W = TileWidth
		if fdata, ferr := c.get(ctx, "/log/"+TilePath(full), limit); ferr == nil {
			return truncateTile(fdata, t)
		}
	}
	if err != nil {
		return nil, err
	}
	if t.L != EntriesLevel && len(data) != t.W*tlog.HashSize {
		return nil, fmt.Errorf("%w: tile %s has %d bytes, want %d", ErrInconsistent, TilePath(t), len(data), t.W*tlog.HashSize)
	}
	return data, nil
}

func truncateTile(full []byte, t tlog.Tile) ([]byte, error) {
	if t.L != EntriesLevel {
		if len(full) != TileWidth*tlog.HashSize {
			return nil, fmt.Errorf("%w: full tile %s has %d bytes", ErrInconsistent, TilePath(t), len(full))
		}
		return full[:t.W*tlog.HashSize], nil
	}
	leaves, err := DecodeBundle(full, TileWidth)
	if err != nil {
		return nil, err
	}
	return EncodeBundle(leaves[:t.W])
}

// Entries returns the leaves of entry bundle n of width w (1…256), unverified.
func (c *Client) Entries(ctx context.Context, n int64, w int) ([][]byte, error) {
	data, err := c.Tile(ctx, tlog.Tile{H: TileHeight, L: EntriesLevel, N: n, W: w})
	if err != nil {
		return nil, err
	}
	return DecodeBundle(data, w)
}

// Document returns the document with the given hash from /api/v1/documents/{sha256},
// unverified. A withdrawn document is an error wrapping ErrWithdrawn, an unknown one
// wraps ErrNotFound.
func (c *Client) Document(ctx context.Context, sha256 string) ([]byte, error) {
	if !isLowerHex(sha256, 64) {
		return nil, fmt.Errorf("translog: document hash %q is not 64 lowercase hex digits", sha256)
	}
	return c.get(ctx, "/api/v1/documents/"+sha256, MaxDocumentSize)
}

// TileReader returns a tlog.TileReader that fetches tiles with ctx. Wrap it with
// tlog.TileHashReader(tree, …) to read hashes authenticated against a checkpoint.
func (c *Client) TileReader(ctx context.Context) tlog.TileReader {
	return &tileReader{c: c, ctx: ctx}
}

type tileReader struct {
	c   *Client
	ctx context.Context
}

func (r *tileReader) Height() int { return TileHeight }

// ReadTiles fetches the tiles, up to 8 at a time.
func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	data := make([][]byte, len(tiles))
	errs := make([]error, len(tiles))
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i, t := range tiles {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			data[i], errs[i] = r.c.Tile(r.ctx, t)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return data, nil
}

func (r *tileReader) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

// GetPolitely GETs url with hc, and when the server answers 429 Too Many Requests waits as
// its Retry-After says (at most 10 s, 1 s if it says nothing) and asks again, up to 20
// times: an auditor reading a whole log keeps within a server's published limits.
func GetPolitely(ctx context.Context, hc *http.Client, url string) (*http.Response, error) {
	for tries := 0; ; tries++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, fmt.Errorf("GET %s: %w", url, err)
		}
		resp, err := hc.Do(req)
		if err != nil || resp.StatusCode != http.StatusTooManyRequests || tries == 20 {
			return resp, err
		}
		wait := time.Second
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			wait = min(time.Duration(s)*time.Second, 10*time.Second)
		}
		resp.Body.Close()
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
