package main

import (
	"flag"
	"fmt"
)

// parseFlags parses args into fs for a command that takes flags only, and refuses what is
// left after them. The flag package stops at the first word that is not a flag, so in
// "gongshi sweep /data --as-of 2026-07-01" neither the word nor the flag after it would
// be read, and the sweep would run on the default data folder as of today. A flag error
// has been told by the flag package, with the usage.
func parseFlags(env *Env, name string, fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return exitStatus(2)
	}
	if fs.NArg() == 0 {
		return nil
	}
	fmt.Fprintf(env.Stderr, "gongshi %s: %q is not a flag, and nothing after it was read: this command takes flags only (gongshi %s -h lists them; the data folder is --data DIR)\n",
		name, fs.Arg(0), name)
	return exitStatus(2)
}
