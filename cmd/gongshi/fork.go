package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/gongshi/gongshi/translog"
)

// ForksFile, in the data folder, records every fork an operator accepted, one JSON object a line.
const ForksFile = "log-forks.log"

const acceptForkUsage = `usage: gongshi admin accept-fork --data DIR --reason TEXT

The last resort for a register whose database is behind the checkpoint its log last
published (a backup restored after later entries were published, and those entries lost):
the server refuses to publish, because the next checkpoint it signed would fork the log.
This command records the decision to fork it anyway — who cannot be known, so say it in
the reason: when, why, which entries are lost — in the data folder's log-forks.log with the
published checkpoint and the database's tree, and sets the published checkpoint aside, so
the server publishes again from the database's tree. Every auditor that saw the published
checkpoint will report the fork. No server may be running.
`

// forkRecord is one line of ForksFile.
type forkRecord struct {
	At           string `json:"at"`
	Reason       string `json:"reason"`
	Published    string `json:"published_checkpoint"`
	DatabaseSize int64  `json:"database_size"`
	DatabaseRoot string `json:"database_root"`
	SetAside     string `json:"set_aside_as"`
}

func runAcceptFork(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("admin accept-fork", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, acceptForkUsage) }
	var df dataFlags
	df.add(fs)
	reason := fs.String("reason", "", "why the fork is accepted (required)")
	if err := parseFlags(env, "admin accept-fork", fs, args); err != nil {
		return err
	}
	df.existing = true // the register whose fork is accepted
	if strings.TrimSpace(*reason) == "" {
		fmt.Fprintln(env.Stderr, "gongshi admin accept-fork: --reason is required: say when, why and which entries are lost")
		return exitStatus(2)
	}
	a, err := df.open(ctx, env, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	if a.fenced.Load() == nil {
		fmt.Fprintln(env.Stdout, "nothing to accept: the database extends the last published checkpoint")
		return nil
	}
	signed, _, _ := a.published.Latest()
	size, err := a.store.TreeSize(ctx)
	if err != nil {
		return err
	}
	root, err := tlog.TreeHash(size, translog.HashReader(ctx, a.store))
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	aside := a.published.Path() + ".forked-" + now.Format("20060102T150405Z")
	rec, _ := json.Marshal(forkRecord{At: now.Format(time.RFC3339), Reason: *reason, Published: string(signed),
		DatabaseSize: size, DatabaseRoot: root.String(), SetAside: filepath.Base(aside)})
	if err := appendSynced(filepath.Join(df.data, ForksFile), append(rec, '\n')); err != nil {
		return fmt.Errorf("record the decision: %w", err)
	}
	if err := os.Rename(a.published.Path(), aside); err != nil {
		return err
	}
	a.logger.Warn("FORK ACCEPTED: the log will publish from the database's tree", "reason", *reason, "database_size", size, "record", ForksFile)
	fmt.Fprintf(env.Stdout, "fork accepted and recorded in %s; the published checkpoint is kept as %s\n",
		filepath.Join(df.data, ForksFile), aside)
	return nil
}

// appendSynced appends b to the file at path, creating it, and syncs it.
func appendSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
