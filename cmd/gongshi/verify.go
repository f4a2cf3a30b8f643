package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/translog"
)

func init() {
	register("verify", "audit the transparency log of a server (--url) or a data folder (--data)", runVerify)
}

const verifyUsage = `usage: gongshi verify (--url URL | --data DIR) [--key VKEY] [--state FILE]
       gongshi verify --snapshot FOLDER (--key VKEY | --url URL | --data DIR)

Audits a gongshi transparency log (SPEC §9): verifies the signed checkpoint, reads every
leaf, checks that each leaf's document hashes to the leaf's sha256 (a withdrawn document,
410 Gone, is counted but its leaf is still proven), recomputes the Merkle tree from all
leaves, compares it and every stored hash with the checkpoint's, and proves the checkpoint
consistent with the last one this command verified for the same log. Then it checks what
is answered from the log: with --data every current-state row against the documents; with
--url every enterprise's page and the lists as served. The exit status is 0 only if all
passes.

With --snapshot it checks a bulk snapshot (gongshi snapshot) instead: the checkpoint's
signature by the log's key, every file against the manifest, every line's document against
its leaf, the Merkle tree of all lines against the checkpoint's root and, given --url or
--data, that the log there has that root at that size.

flags:
  --snapshot FOLDER  verify the snapshot in FOLDER (one of the data folder's snapshots/…)
  --url URL     audit the server at URL (e.g. http://127.0.0.1:8080)
  --data DIR    audit the database in the data folder DIR directly
  --key VKEY    the log's note verifier key; default: the one remembered in the state
                file, else the one the server serves at /log/key (trust on first use)
                or the data folder's log-verifier.key
  --state FILE  where the trusted key and last verified checkpoint are remembered
                (default ~/.gongshi-verify.json)
  --workers N   documents fetched at once (default 8)
  --witness VKEY  a witness's key (repeat); the checkpoint must be cosigned by --witnesses of them
  --witnesses K   how many of the witnesses given must have cosigned (default: all)
  --answers     with --url (default true): also check that every enterprise's page and the
                lists the server answers are what its logged documents say
  --cpuprofile FILE  write a CPU profile of the verification to FILE
`

// dataLog is what "gongshi verify --data" reads of a data folder.
type dataLog struct {
	translog.Store
	// Document looks a document up by SHA-256: an error wrapping translog.ErrWithdrawn for
	// a withdrawn document, translog.ErrNotFound for an unknown one.
	Document func(ctx context.Context, sha256 string) ([]byte, error)
	// AuditState checks the current-state rows against the documents.
	AuditState func(ctx context.Context, progress func(done, total int64)) (*gongshi.StateReport, error)
	io.Closer
}

// openDataLog opens the data folder dir for "gongshi verify --data". The storage package
// sets it from an init function; while it is nil, --data is refused.
var openDataLog func(ctx context.Context, dir string) (*dataLog, error)

// verifyState is the state file: per log (keyed "url:URL" or "data:ABSDIR"), the trusted
// key and the last checkpoint verified.
type verifyState struct {
	Logs map[string]translog.AuditState `json:"logs"`
}

func runVerify(ctx context.Context, env *Env, args []string) error {
	fl := flag.NewFlagSet("verify", flag.ContinueOnError)
	fl.SetOutput(env.Stderr)
	fl.Usage = func() { fmt.Fprint(env.Stderr, verifyUsage) }
	url := fl.String("url", "", "server URL")
	data := fl.String("data", "", "data folder")
	key := fl.String("key", "", "note verifier key")
	statePath := fl.String("state", "", "state file")
	workers := fl.Int("workers", 8, "documents fetched at once")
	var witnesses listFlag
	fl.Var(&witnesses, "witness", "a witness's verifier key; repeat for each")
	quorum := fl.Int("witnesses", -1, "how many of the --witness keys must have cosigned the checkpoint (default: all)")
	answers := fl.Bool("answers", true, "with --url: check that the pages and lists served are what the documents say")
	snap := fl.String("snapshot", "", "snapshot folder")
	cpuprofile := fl.String("cpuprofile", "", "write a CPU profile of the verification to this file")
	if err := parseFlags(env, "verify", fl, args); err != nil {
		return err
	}
	stop, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	defer stop()
	if *snap != "" && (*url == "" || *data == "") {
		return verifySnapshot(ctx, env, *snap, *key, *url, *data)
	}
	if (*url == "") == (*data == "") {
		fmt.Fprintln(env.Stderr, "gongshi verify: give exactly one of --url and --data")
		fl.Usage()
		return exitStatus(2)
	}
	if *statePath == "" {
		home := env.Getenv("HOME")
		if home == "" {
			var err error
			if home, err = os.UserHomeDir(); err != nil {
				return fmt.Errorf("no --state given and no home directory: %w", err)
			}
		}
		*statePath = filepath.Join(home, ".gongshi-verify.json")
	}
	state, err := loadVerifyState(*statePath)
	if err != nil {
		return err
	}

	var id string
	if *url != "" {
		*url = strings.TrimRight(*url, "/")
		id = "url:" + *url
	} else {
		abs, err := filepath.Abs(*data)
		if err != nil {
			return err
		}
		*data, id = abs, "data:"+abs
	}
	prev := state.Logs[id]
	vkey, err := verifyKey(ctx, env, *key, prev, *url, *data)
	if err != nil {
		return err
	}

	opt := translog.AuditOptions{Workers: *workers, Progress: progressBar(env.Stderr, "leaves")}
	if opt.Keys, err = publishedKeys(ctx, *url, *data); err != nil {
		return err
	}
	var rep translog.AuditReport
	var st *gongshi.StateReport
	if *url != "" {
		rep, err = translog.Audit(ctx, *url, vkey, prev, opt)
		if err == nil && *answers {
			st, err = checkServed(ctx, *url, rep.Tree.N, *workers, progressBar(env.Stderr, "enterprises"))
		}
	} else {
		rep, st, err = auditData(ctx, env, *data, vkey, prev, opt)
	}
	printVerifyReport(env.Stdout, rep, prev)
	printStateReport(env.Stdout, st)
	if err == nil && len(witnesses) > 0 {
		err = checkCosigned(env.Stdout, rep.State.Checkpoint, witnesses, *quorum)
	}
	if err == nil && st != nil && st.ProblemN > 0 {
		err = fmt.Errorf("%w: %d current-state rows disagree with the logged documents", translog.ErrAuditFailed, st.ProblemN)
	}
	if err != nil {
		if errors.Is(err, translog.ErrAuditFailed) {
			fmt.Fprintf(env.Stderr, "gongshi verify: FAILED: %v\n", err)
			return exitStatus(1)
		}
		return err
	}
	if rep.State.VerifierKey != vkey {
		fmt.Fprintf(env.Stdout, "keys       the log rotated its keys; trusted from now on:\n  %s\n", strings.ReplaceAll(rep.State.VerifierKey, "\n", "\n  "))
	}
	state.Logs[id] = rep.State
	if err := saveVerifyState(*statePath, state); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "OK: log %s verified at size %d; state saved in %s\n", rep.Origin, rep.Tree.N, *statePath)
	return nil
}

// checkCosigned checks that at least quorum (all if negative) of the witnesses cosigned
// the checkpoint; the error wraps translog.ErrAuditFailed.
func checkCosigned(w io.Writer, checkpoint string, witnesses []string, quorum int) error {
	var vs []note.Verifier
	for _, k := range witnesses {
		v, err := translog.NewCosignatureVerifier(k)
		if err != nil {
			return fmt.Errorf("--witness: %w", err)
		}
		vs = append(vs, v)
	}
	if quorum < 0 || quorum > len(vs) {
		quorum = len(vs)
	}
	n := translog.CountCosignatures([]byte(checkpoint), vs)
	fmt.Fprintf(w, "witnesses  %d of %d cosigned the checkpoint (%d required)\n", n, len(vs), quorum)
	if n < quorum {
		return fmt.Errorf("%w: the checkpoint is cosigned by %d of the %d witnesses given, %d required: "+
			"the log may be showing this reader a view the witnesses did not see", translog.ErrAuditFailed, n, len(vs), quorum)
	}
	return nil
}

// verifyKey picks the keys to trust: --key, else the remembered ones, else the server's
// /log/key (TOFU, with a warning) or the data folder's key list; of a key list, the keys
// active now. A --key other than a remembered one is refused.
func verifyKey(ctx context.Context, env *Env, flagKey string, prev translog.AuditState, url, dir string) (string, error) {
	key := strings.TrimSpace(flagKey)
	if key != "" && prev.VerifierKey != "" {
		if !slices.Contains(strings.Split(prev.VerifierKey, "\n"), key) {
			return "", fmt.Errorf("the key %q is not the key (nor one of the keys) %q trusted for this log on earlier runs; "+
				"if the operator really changed the log's key, remove the log's entry from the state file", key, prev.VerifierKey)
		}
		key = prev.VerifierKey
	}
	if key == "" {
		key = prev.VerifierKey
	}
	if key == "" {
		list, err := publishedKeys(ctx, url, dir)
		if err != nil {
			return "", err
		}
		if key, err = activeKeys(list); err != nil {
			return "", err
		}
		if url != "" {
			fmt.Fprintf(env.Stderr, "warning: trusting the key the server itself serves at %s/log/key:\n  %s\n"+
				"  This is trust on first use: compare it with the key published by the register's operator,\n"+
				"  or pass it with --key. It is remembered and checked on later runs.\n", url, strings.ReplaceAll(key, "\n", "\n  "))
		} else {
			fmt.Fprintf(env.Stderr, "note: using the data folder's own verifier key %s\n", key)
		}
	}
	if _, err := translog.ParseKeyList(key); err != nil {
		return "", err
	}
	return key, nil
}

// publishedKeys returns the log's key list: as the server serves it at /log/key, or the
// data folder's (log-keys.txt, else log-verifier.key, else a mirror's pinned source key).
func publishedKeys(ctx context.Context, url, dir string) (string, error) {
	if url != "" {
		k, err := translog.NewClient(url, nil).Key(ctx)
		if err != nil {
			return "", fmt.Errorf("fetch the log's key: %w", err)
		}
		return k, nil
	}
	b, err := os.ReadFile(filepath.Join(dir, translog.KeysFile))
	if errors.Is(err, fs.ErrNotExist) {
		b, err = os.ReadFile(filepath.Join(dir, translog.VerifierKeyFile))
	}
	if errors.Is(err, fs.ErrNotExist) {
		// A mirror's data folder (gongshi mirror) holds its source's key, pinned.
		if m, merr := readMirrorState(dir); merr == nil && m != nil {
			b, err = []byte(m.Key), nil
		}
	}
	if err != nil {
		return "", fmt.Errorf("no --key given and none in the data folder: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// activeKeys returns the keys of a key list active now, one a line.
func activeKeys(list string) (string, error) {
	keys, err := translog.ParseKeyList(list)
	if err != nil {
		return "", err
	}
	var active []string
	for _, k := range keys {
		if k.Active(time.Now()) {
			active = append(active, k.VKey)
		}
	}
	if len(active) == 0 {
		return "", fmt.Errorf("%w: no key of the log's key list is active now", translog.ErrBadKey)
	}
	return strings.Join(active, "\n"), nil
}

// auditData audits the log of a data folder and, if it passes, its current-state rows.
func auditData(ctx context.Context, env *Env, dir, vkey string, prev translog.AuditState, opt translog.AuditOptions) (translog.AuditReport, *gongshi.StateReport, error) {
	if openDataLog == nil {
		return translog.AuditReport{}, nil, errors.New("--data is not available in this build (no storage backend registered); use --url")
	}
	d, err := openDataLog(ctx, dir)
	if err != nil {
		return translog.AuditReport{}, nil, fmt.Errorf("open %s: %w", dir, err)
	}
	defer d.Close()
	rep, err := translog.AuditStore(ctx, d, vkey, d.Document, prev, opt)
	if err != nil {
		return rep, nil, err
	}
	st, err := d.AuditState(ctx, progressBar(env.Stderr, "enterprises"))
	return rep, st, err
}

// printStateReport prints what the check of the current-state rows found.
func printStateReport(w io.Writer, st *gongshi.StateReport) {
	if st == nil {
		return
	}
	fmt.Fprintf(w, "answers    %d enterprises and %d versions: what is answered of them agrees with their documents", st.Enterprises, st.Versions)
	if st.ProblemN > 0 {
		fmt.Fprintf(w, " except %d", st.ProblemN)
	}
	fmt.Fprintln(w)
	for _, p := range st.Problems {
		fmt.Fprintf(w, "PROBLEM: %s\n", p)
	}
	if more := st.ProblemN - len(st.Problems); more > 0 {
		fmt.Fprintf(w, "… and %d more problems\n", more)
	}
}

func printVerifyReport(w io.Writer, rep translog.AuditReport, prev translog.AuditState) {
	if rep.Origin == "" {
		return
	}
	fmt.Fprintf(w, "log        %s\ncheckpoint size %d, root %s\n", rep.Origin, rep.Tree.N, rep.Tree.Hash)
	fmt.Fprintf(w, "leaves     %d hashed into the tree\ndocuments  %d matched, %d withdrawn (410 Gone)\n", rep.Leaves, rep.Documents, rep.Withdrawn)
	if prev.Size > 0 {
		fmt.Fprintf(w, "consistent with the checkpoint of size %d verified before\n", prev.Size)
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "PROBLEM: %s\n", p)
	}
	if more := rep.ProblemCount - int64(len(rep.Problems)); more > 0 {
		fmt.Fprintf(w, "… and %d more problems\n", more)
	}
}

// progressBar is a progress for verify's steps (see progress): a line every few seconds
// when w is not a terminal, so that a cron job's log of a 1M audit stays readable.
func progressBar(w io.Writer, what string) func(done, total int64) {
	p := newProgress(w, "verifying", what)
	return func(done, total int64) { p.update(int(done), int(total)) }
}

func loadVerifyState(path string) (*verifyState, error) {
	st := &verifyState{Logs: map[string]translog.AuditState{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("state file %s: %w", path, err)
	}
	if st.Logs == nil {
		st.Logs = map[string]translog.AuditState{}
	}
	return st, nil
}

// saveVerifyState writes the state file atomically (a temporary file renamed over it).
func saveVerifyState(path string, st *verifyState) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".gongshi-verify-*.json")
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("save state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	return nil
}
