package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/gongshi/gongshi/snapshot"
	"github.com/gongshi/gongshi/sqlstore"
	"github.com/gongshi/gongshi/translog"
)

// verifySnapshot is "gongshi verify --snapshot DIR": the snapshot against the log's key
// and, given the log (url or data), against the log's tree.
func verifySnapshot(ctx context.Context, env *Env, dir, key, url, data string) error {
	if key == "" && url == "" && data == "" {
		return errors.New("--snapshot: give the log's key (--key), or the log to check it against (--url or --data)")
	}
	url = strings.TrimRight(url, "/")
	vkey, err := verifyKey(ctx, env, key, translog.AuditState{}, url, data)
	if err != nil {
		return err
	}
	keys, err := translog.ParseKeyList(vkey)
	if err != nil {
		return err
	}
	rep, err := snapshot.Verify(dir, translog.Verifiers(keys), progressBar(env.Stderr, "lines"))
	if err == nil && (url != "" || data != "") {
		err = snapshotInLog(ctx, rep.Tree, url, data, translog.Verifiers(keys))
	}
	if err != nil {
		if errors.Is(err, snapshot.ErrInvalid) || errors.Is(err, translog.ErrAuditFailed) {
			fmt.Fprintf(env.Stderr, "gongshi verify: FAILED: %v\n", err)
			return exitStatus(1)
		}
		return err
	}
	fmt.Fprintf(env.Stdout, "snapshot   %s\nlog        %s\ncheckpoint size %d, root %s, signed by %s\n", dir, rep.Origin, rep.Tree.N, rep.Tree.Hash, vkey)
	fmt.Fprintf(env.Stdout, "lines      %d leaves: %d documents hashed to their leaves, %d withdrawn from public view\n", rep.Lines, rep.Documents, rep.Withdrawn)
	if url != "" || data != "" {
		fmt.Fprintf(env.Stdout, "the log at %s%s has this root at size %d\n", url, data, rep.Tree.N)
	}
	fmt.Fprintf(env.Stdout, "OK: snapshot verified\n")
	return nil
}

// snapshotInLog checks that the log (a server's or a data folder's) has tree's root at
// tree's size: the snapshot is a prefix of that log.
func snapshotInLog(ctx context.Context, tree tlog.Tree, url, data string, verifiers []note.Verifier) error {
	var hr tlog.HashReader
	if url != "" {
		c := translog.NewClient(url, nil)
		signed, err := c.Checkpoint(ctx)
		if err != nil {
			return err
		}
		_, cur, err := translog.ParseCheckpoint(signed, verifiers...)
		if err != nil {
			return fmt.Errorf("%w: the server's checkpoint: %w", translog.ErrAuditFailed, err)
		}
		if cur.N < tree.N {
			return fmt.Errorf("%w: the server's log has %d leaves, the snapshot %d", translog.ErrAuditFailed, cur.N, tree.N)
		}
		hr = tlog.TileHashReader(cur, c.TileReader(ctx))
	} else {
		db, err := sqlstore.Open(ctx, sqlstore.Config{Dir: data, Shared: true})
		if err != nil {
			return err
		}
		defer db.Close()
		hr = translog.HashReader(ctx, db)
	}
	root, err := tlog.TreeHash(tree.N, hr)
	if err != nil {
		return fmt.Errorf("%w: the log's tree at size %d: %w", translog.ErrAuditFailed, tree.N, err)
	}
	if root != tree.Hash {
		return fmt.Errorf("%w: the log has root %s at size %d, the snapshot's checkpoint %s", translog.ErrAuditFailed, root, tree.N, tree.Hash)
	}
	return nil
}
