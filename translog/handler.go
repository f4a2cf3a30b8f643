package translog

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Handler serves the log's read API (C2SP tlog-tiles) from a Store:
//
//	GET /log/checkpoint   the latest checkpoint; text/plain; charset=utf-8; Cache-Control: no-cache.
//	                      404 before the first checkpoint.
//	GET /log/key          the note verifier key and a newline, or the key list (see Key);
//	                      text/plain; charset=utf-8.
//	GET /log/tile/<L>/<N>[.p/<W>]
//	                      the Merkle tile at level L (0…63), index N, of height 8: W (or 256)
//	                      concatenated 32-byte hashes, hash i being the tree hash of leaves
//	                      [(N·256+i)·256^L, (N·256+i+1)·256^L); application/octet-stream.
//	GET /log/tile/entries/<N>[.p/<W>]
//	                      the entry bundle of leaves [N·256, N·256+W): each leaf as a
//	                      big-endian uint16 length followed by its bytes; application/octet-stream.
//
// Tiles and bundles are served only within the latest checkpoint: a full one once the
// checkpoint covers it, a partial one of width W when the checkpoint covers at least W
// entries of it (so partial tiles of every earlier checkpoint stay available). Anything
// else is 404; a path that is not canonical is 400. Full tiles and bundles never change
// and are served with "Cache-Control: public, max-age=31536000, immutable"; partial ones
// with "public, max-age=60".
type Handler struct {
	store     Store
	vkey      string
	verifiers []note.Verifier
	mux       *http.ServeMux

	// ErrorLog, if set, receives store errors answered with 500.
	ErrorLog func(error)
	// Cosigned, if set, returns the latest checkpoint with its witnesses' cosignatures
	// (Cosigning.Latest); it is served instead of the stored one when it is of the same
	// tree.
	Cosigned func() []byte

	mu      sync.Mutex
	cpBytes []byte // the checkpoint cpTree was parsed from
	cpTree  tlog.Tree
}

// NewHandler returns a Handler serving store's log, whose checkpoints verify with a key of
// the key list vkey (the text served at /log/key: one note verifier key, or a list, see
// Key). The error wraps ErrBadKey.
func NewHandler(store Store, vkey string) (*Handler, error) {
	keys, err := ParseKeyList(vkey)
	if err != nil {
		return nil, err
	}
	h := &Handler{store: store, vkey: strings.TrimSpace(vkey), verifiers: Verifiers(keys), mux: http.NewServeMux()}
	h.mux.HandleFunc("GET /log/checkpoint", h.serveCheckpoint)
	h.mux.HandleFunc("GET /log/key", h.serveKey)
	h.mux.HandleFunc("GET /log/tile/{path...}", h.serveTile)
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

func (h *Handler) fail(w http.ResponseWriter, err error) {
	if errors.Is(err, ErrNotFound) {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if h.ErrorLog != nil {
		h.ErrorLog(err)
	}
	http.Error(w, "internal error", http.StatusInternalServerError)
}

func (h *Handler) serveKey(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	fmt.Fprintln(w, h.vkey)
}

func (h *Handler) serveCheckpoint(w http.ResponseWriter, r *http.Request) {
	signed, err := h.store.LatestCheckpoint(r.Context())
	if err != nil {
		h.fail(w, err)
		return
	}
	if h.Cosigned != nil {
		if cs := h.Cosigned(); cs != nil && bytes.HasPrefix(cs, signed) {
			signed = cs
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(signed)
}

// latestTree returns the tree of the latest checkpoint, verifying each new one once.
func (h *Handler) latestTree(ctx context.Context) (tlog.Tree, error) {
	signed, err := h.store.LatestCheckpoint(ctx)
	if err != nil {
		return tlog.Tree{}, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !bytes.Equal(signed, h.cpBytes) {
		_, tree, err := ParseCheckpoint(signed, h.verifiers...)
		if err != nil {
			return tlog.Tree{}, fmt.Errorf("translog: stored checkpoint: %w", err)
		}
		h.cpBytes, h.cpTree = signed, tree
	}
	return h.cpTree, nil
}

// availableWidth returns how many entries of tile t a tree of size n holds (0 to 256).
func availableWidth(n int64, t tlog.Tile) int {
	levelSize := n
	if t.L > 0 {
		levelSize = n >> uint(TileHeight*t.L)
	}
	if t.N > levelSize/TileWidth {
		return 0
	}
	return int(min(levelSize-t.N*TileWidth, TileWidth))
}

func (h *Handler) serveTile(w http.ResponseWriter, r *http.Request) {
	t, err := ParseTilePath("tile/" + r.PathValue("path"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	tree, err := h.latestTree(r.Context())
	if err != nil {
		h.fail(w, err)
		return
	}
	if availableWidth(tree.N, t) < t.W {
		http.Error(w, "tile not in the latest checkpoint", http.StatusNotFound)
		return
	}
	var data []byte
	if t.L == EntriesLevel {
		data, err = h.readBundle(r.Context(), t)
	} else {
		data, err = tlog.ReadTileData(t, HashReader(r.Context(), h.store))
	}
	if err != nil {
		h.fail(w, fmt.Errorf("translog: serve %s: %w", TilePath(t), err))
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	if t.W == TileWidth {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=60")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

func (h *Handler) readBundle(ctx context.Context, t tlog.Tile) ([]byte, error) {
	start := t.N * TileWidth
	leaves, err := h.store.ReadLeaves(ctx, start, start+int64(t.W))
	if err != nil {
		return nil, err
	}
	return EncodeBundle(leaves)
}

// EncodeBundle returns the C2SP tlog-tiles entry bundle of leaves: each leaf as a
// big-endian uint16 length followed by its bytes. A leaf longer than MaxLeafSize is an
// error wrapping ErrLeafTooLarge.
func EncodeBundle(leaves [][]byte) ([]byte, error) {
	size := 0
	for _, l := range leaves {
		size += 2 + len(l)
	}
	buf := make([]byte, 0, size)
	for i, l := range leaves {
		if len(l) > MaxLeafSize {
			return nil, fmt.Errorf("translog: bundle entry %d: %w", i, ErrLeafTooLarge)
		}
		buf = binary.BigEndian.AppendUint16(buf, uint16(len(l)))
		buf = append(buf, l...)
	}
	return buf, nil
}

// DecodeBundle splits an entry bundle into its entries, requiring exactly want of them
// (want ≤ 0 accepts any number). A truncated bundle, trailing bytes or a wrong count is an
// error wrapping ErrInconsistent.
func DecodeBundle(data []byte, want int) ([][]byte, error) {
	var leaves [][]byte
	for len(data) > 0 {
		if len(data) < 2 {
			return nil, fmt.Errorf("%w: entry bundle truncated", ErrInconsistent)
		}
		n := int(binary.BigEndian.Uint16(data))
		if len(data) < 2+n {
			return nil, fmt.Errorf("%w: entry bundle truncated", ErrInconsistent)
		}
		leaves = append(leaves, data[2:2+n:2+n])
		data = data[2+n:]
	}
	if want > 0 && len(leaves) != want {
		return nil, fmt.Errorf("%w: entry bundle has %d entries, want %d", ErrInconsistent, len(leaves), want)
	}
	return leaves, nil
}
