package translog

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Witness serves the add-checkpoint call of C2SP tlog-witness for the logs it is
// configured with, cosigning a checkpoint only if it is consistent with the latest one it
// cosigned for that log:
//
//	POST <prefix>/add-checkpoint
//	body: "old <size>\n", up to 63 base64 consistency proof lines, "\n", a signed checkpoint
//
// 200: the cosignature lines. 400: a malformed body or an old size beyond the checkpoint.
// 403: no signature by a key of the log. 404: a log it does not witness. 409: an old size
// other than the size it last cosigned (body: that size and a newline, Content-Type
// text/x.tlog.size), or the same size with another root. 422: a consistency proof that does
// not verify. The latest cosigned checkpoint of each log is saved (WriteFileAtomic) before
// the answer, under the same lock as the check, so no two inconsistent checkpoints of one
// log are ever cosigned, across restarts too.
type Witness struct {
	cosigner *Cosigner
	logs     map[string][]note.Verifier // origin → the log's keys
	path     string

	// Refused, if set, is told of each checkpoint refused as inconsistent with the latest
	// cosigned one (409 or 422): the evidence of a split view.
	Refused func(origin string, err error)

	mu    sync.Mutex
	state map[string]witnessed
}

// witnessed is the latest cosigned checkpoint of a log, as saved.
type witnessed struct {
	Size int64  `json:"size"`
	Root string `json:"root"` // standard base64
}

// NewWitness returns a Witness cosigning with cosigner the logs whose key lists are given
// (see Key), keeping its state in the file at path.
func NewWitness(cosigner *Cosigner, path string, logKeys []string) (*Witness, error) {
	w := &Witness{cosigner: cosigner, logs: map[string][]note.Verifier{}, path: path, state: map[string]witnessed{}}
	for _, list := range logKeys {
		keys, err := ParseKeyList(list)
		if err != nil {
			return nil, fmt.Errorf("witnessed log: %w", err)
		}
		name := keys[0].Verifier.Name()
		w.logs[name] = append(w.logs[name], Verifiers(keys)...)
	}
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err == nil {
		if err := json.Unmarshal(b, &w.state); err != nil {
			return nil, fmt.Errorf("witness state %s: %w", path, err)
		}
	}
	return w, nil
}

// witnessError is an add-checkpoint failure with its HTTP status.
type witnessError struct {
	status int
	msg    string
}

func (e *witnessError) Error() string { return e.msg }

func werr(status int, format string, args ...any) error {
	return &witnessError{status, fmt.Sprintf(format, args...)}
}

// ServeHTTP implements http.Handler for POST …/add-checkpoint.
func (w *Witness) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(rw, "read body", http.StatusBadRequest)
		return
	}
	cosig, size, err := w.add(body)
	var we *witnessError
	switch {
	case err == nil:
		rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
		rw.Write(cosig)
	case errors.As(err, &we) && we.status == http.StatusConflict && size >= 0:
		rw.Header().Set("Content-Type", "text/x.tlog.size")
		rw.WriteHeader(http.StatusConflict)
		fmt.Fprintf(rw, "%d\n", size)
	case errors.As(err, &we):
		http.Error(rw, we.msg, we.status)
	default:
		http.Error(rw, "internal error", http.StatusInternalServerError)
	}
}

// add checks and cosigns one request body. On a 409 for an old size, size is the size the
// witness last cosigned; otherwise -1.
func (w *Witness) add(body []byte) (cosig []byte, size int64, err error) {
	old, proof, signed, err := parseAddCheckpoint(body)
	if err != nil {
		return nil, -1, werr(http.StatusBadRequest, "%v", err)
	}
	text, _, _ := bytes.Cut(signed, []byte("\n\n"))
	origin, tree, err := ParseCheckpointText(append(text, '\n'))
	if err != nil {
		return nil, -1, werr(http.StatusBadRequest, "%v", err)
	}
	keys, ok := w.logs[origin]
	if !ok {
		return nil, -1, werr(http.StatusNotFound, "unknown log %q", origin)
	}
	if _, _, err := ParseCheckpoint(signed, keys...); err != nil {
		return nil, -1, werr(http.StatusForbidden, "no signature by a key of %q: %v", origin, err)
	}
	if old > tree.N {
		return nil, -1, werr(http.StatusBadRequest, "old size %d beyond the checkpoint's %d", old, tree.N)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	last := w.state[origin]
	if old != last.Size {
		return nil, last.Size, werr(http.StatusConflict, "old size %d is not the size last cosigned", old)
	}
	var lastRoot tlog.Hash
	if last.Size > 0 {
		b, _ := base64.StdEncoding.DecodeString(last.Root)
		copy(lastRoot[:], b)
	}
	switch {
	case old == 0 && len(proof) > 0:
		return nil, -1, werr(http.StatusBadRequest, "a proof from size 0")
	case old == tree.N && old > 0 && tree.Hash != lastRoot:
		err := fmt.Errorf("size %d with root %s, cosigned before with root %s", old, tree.Hash, lastRoot)
		w.refused(origin, err)
		return nil, -1, werr(http.StatusConflict, "%v", err)
	case old > 0 && old < tree.N:
		if err := tlog.CheckTree(proof, tree.N, tree.Hash, old, lastRoot); err != nil {
			err = fmt.Errorf("not consistent with the checkpoint of size %d cosigned before: %w", old, err)
			w.refused(origin, err)
			return nil, -1, werr(http.StatusUnprocessableEntity, "%v", err)
		}
	}
	next := map[string]witnessed{}
	for k, v := range w.state {
		next[k] = v
	}
	next[origin] = witnessed{Size: tree.N, Root: base64.StdEncoding.EncodeToString(tree.Hash[:])}
	b, _ := json.Marshal(next)
	if err := WriteFileAtomic(w.path, b, 0o644); err != nil {
		return nil, -1, err
	}
	w.state = next
	sig, err := w.cosigner.Sign(append(text, '\n'))
	if err != nil {
		return nil, -1, err
	}
	line := fmt.Sprintf("— %s %s\n", w.cosigner.Name(), base64.StdEncoding.EncodeToString(binaryID(w.cosigner.KeyHash(), sig)))
	return []byte(line), -1, nil
}

func (w *Witness) refused(origin string, err error) {
	if w.Refused != nil {
		w.Refused(origin, err)
	}
}

func binaryID(id uint32, sig []byte) []byte {
	return append([]byte{byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id)}, sig...)
}

// parseAddCheckpoint splits an add-checkpoint body.
func parseAddCheckpoint(body []byte) (old int64, proof tlog.TreeProof, signed []byte, err error) {
	sep := bytes.Index(body, []byte("\n\n"))
	if sep < 0 {
		return 0, nil, nil, errors.New("no empty line before the checkpoint")
	}
	sc := bufio.NewScanner(bytes.NewReader(body[:sep+1]))
	for i := 0; sc.Scan(); i++ {
		line := sc.Text()
		if i == 0 {
			s, ok := strings.CutPrefix(line, "old ")
			n, err := strconv.ParseInt(s, 10, 64)
			if !ok || err != nil || n < 0 || s != strconv.FormatInt(n, 10) {
				return 0, nil, nil, fmt.Errorf("first line %q is not \"old <size>\"", line)
			}
			old = n
			continue
		}
		h, err := base64.StdEncoding.Strict().DecodeString(line)
		if err != nil || len(h) != tlog.HashSize || len(proof) == 63 {
			return 0, nil, nil, fmt.Errorf("proof line %d is not a base64 hash, or one too many", i)
		}
		proof = append(proof, tlog.Hash(h))
	}
	return old, proof, body[sep+2:], nil
}

// WitnessPeer is a witness a log asks for cosignatures: the submission prefix of its
// tlog-witness API and its verifier key.
type WitnessPeer struct {
	URL      string
	Verifier note.Verifier
}

// Cosigning collects cosignatures of a log's checkpoints from its witnesses and keeps the
// latest cosigned checkpoint: the signed checkpoint followed by every valid cosignature.
// Safe for concurrent use.
type Cosigning struct {
	store  Store
	peers  []WitnessPeer
	client *http.Client

	mu       sync.Mutex
	sizes    []int64 // the size each witness last cosigned, as far as known
	cosigned []byte
}

// NewCosigning returns a Cosigning asking peers for cosignatures of store's checkpoints;
// client nil means http.DefaultClient.
func NewCosigning(store Store, peers []WitnessPeer, client *http.Client) *Cosigning {
	if client == nil {
		client = http.DefaultClient
	}
	return &Cosigning{store: store, peers: peers, client: client, sizes: make([]int64, len(peers))}
}

// Collect asks every witness to cosign signed, a checkpoint of the store's tree, with a
// consistency proof from the size it last cosigned (learned from a 409 if need be), and
// keeps signed with the cosignatures obtained. It returns that and the errors of the
// witnesses that did not cosign, joined; one wraps ErrBehind if a witness cosigned a
// larger tree of this log, or one this tree does not extend: the store is behind what the
// log published.
func (c *Cosigning) Collect(ctx context.Context, signed []byte) ([]byte, error) {
	text, _, _ := bytes.Cut(signed, []byte("\n\n"))
	_, tree, err := ParseCheckpointText(append(text, '\n'))
	if err != nil {
		return nil, err
	}
	out := bytes.Clone(signed)
	var errs []error
	for i, p := range c.peers {
		line, err := c.ask(ctx, i, p, tree, signed)
		if err != nil {
			errs = append(errs, fmt.Errorf("witness %s: %w", p.Verifier.Name(), err))
			continue
		}
		out = append(out, line...)
	}
	c.mu.Lock()
	c.cosigned = out
	c.mu.Unlock()
	return out, errors.Join(errs...)
}

// ask gets one witness's cosignature, retrying once from the size a 409 names.
func (c *Cosigning) ask(ctx context.Context, i int, p WitnessPeer, tree tlog.Tree, signed []byte) ([]byte, error) {
	c.mu.Lock()
	old := c.sizes[i]
	c.mu.Unlock()
	for try := 0; ; try++ {
		if old > tree.N {
			return nil, fmt.Errorf("%w: witness %s cosigned a checkpoint of %d leaves, the tree has %d", ErrBehind, p.Verifier.Name(), old, tree.N)
		}
		var proof tlog.TreeProof
		if old > 0 && old < tree.N {
			var err error
			if proof, err = tlog.ProveTree(tree.N, old, HashReader(ctx, c.store)); err != nil {
				return nil, err
			}
		}
		var body bytes.Buffer
		fmt.Fprintf(&body, "old %d\n", old)
		for _, h := range proof {
			fmt.Fprintf(&body, "%s\n", base64.StdEncoding.EncodeToString(h[:]))
		}
		body.WriteString("\n")
		body.Write(signed)
		req, err := http.NewRequestWithContext(ctx, "POST", strings.TrimRight(p.URL, "/")+"/add-checkpoint", &body)
		if err != nil {
			return nil, err
		}
		resp, err := c.client.Do(req)
		if err != nil {
			return nil, err
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		switch {
		case resp.StatusCode == http.StatusOK:
			n, err := note.Open(append(bytes.Clone(signed), b...), note.VerifierList(p.Verifier))
			if err != nil {
				return nil, fmt.Errorf("its answer holds no valid cosignature: %w", err)
			}
			c.mu.Lock()
			c.sizes[i] = tree.N
			c.mu.Unlock()
			var lines []byte
			for _, s := range n.Sigs {
				lines = fmt.Appendf(lines, "— %s %s\n", s.Name, s.Base64)
			}
			return lines, nil
		case resp.StatusCode == http.StatusUnprocessableEntity,
			resp.StatusCode == http.StatusConflict && resp.Header.Get("Content-Type") != "text/x.tlog.size":
			return nil, fmt.Errorf("%w: witness %s cosigned another history of this log: %s", ErrBehind, p.Verifier.Name(), strings.TrimSpace(string(b)))
		case resp.StatusCode == http.StatusConflict && try == 0:
			n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("409 with size %q", b)
			}
			old = n
		default:
			return nil, fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(b)))
		}
	}
}

// Latest returns the latest cosigned checkpoint, or nil.
func (c *Cosigning) Latest() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cosigned
}

// CountCosignatures returns how many of witnesses cosigned the signed checkpoint (each
// counted once).
func CountCosignatures(signed []byte, witnesses []note.Verifier) int {
	if len(witnesses) == 0 {
		return 0
	}
	n, err := note.Open(signed, note.VerifierList(witnesses...))
	if err != nil {
		return 0
	}
	seen := map[string]bool{}
	for _, s := range n.Sigs {
		seen[fmt.Sprintf("%s+%08x", s.Name, s.Hash)] = true
	}
	return len(seen)
}
