package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/gongshi/gongshi/translog"
)

const keyUsage = `usage: gongshi admin key add|retire|list|witness --data DIR [--key HASH]

Rotates the log's checkpoint signing keys (no server may be running; start it again after):

  add     makes a new signing key in the data folder and lists it in log-keys.txt; from
          the next start the server signs every checkpoint with it and with the keys
          still active, so readers who trust an old key see the new one vouched for
  retire  --key HASH: the key (its 8-digit hash, or the whole verifier key) signs no
          more checkpoints; refused for the last active key
  list    prints the key list, as /log/key serves it
  witness prints this node's witness key (made if need be), for the logs it cosigns
          to name in their --witness VKEY@URL

gongshi verify follows a rotation: a key of the served list that signed a checkpoint
beside a key it trusts is trusted from then on; a retired one is no longer.
`

func runKey(env *Env, args []string) error {
	if len(args) == 0 || (args[0] != "add" && args[0] != "retire" && args[0] != "list" && args[0] != "witness") {
		fmt.Fprint(env.Stderr, keyUsage)
		return exitStatus(2)
	}
	fs := flag.NewFlagSet("admin key "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, keyUsage) }
	data := fs.String("data", "gongshi-data", "data folder")
	which := fs.String("key", "", "retire: the key's hash or verifier key")
	origin := fs.String("origin", DefaultOrigin, "witness: the log's origin line")
	if err := parseFlags(env, "admin keys "+args[0], fs, args[1:]); err != nil {
		return err
	}
	now := time.Now()
	switch args[0] {
	case "add":
		k, err := translog.AddKey(*data, now)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "added key %s; restart the server to sign with it:\n%s\n", k.Hash(), k)
	case "retire":
		if *which == "" {
			fmt.Fprintln(env.Stderr, "gongshi admin key retire: --key HASH is required (gongshi admin key list)")
			return exitStatus(2)
		}
		k, err := translog.RetireKey(*data, *which, now)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "retired key %s; restart the server to stop signing with it:\n%s\n", k.Hash(), k)
	case "witness":
		cs, err := cosigner(*data, *origin)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, cs.VerifierKey())
	case "list":
		keys, err := translog.ListKeys(*data)
		if err != nil {
			return err
		}
		fmt.Fprint(env.Stdout, translog.FormatKeyList(keys))
	}
	return nil
}
