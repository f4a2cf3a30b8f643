package main

import (
	"flag"
	"fmt"
)

// noArguments refuses what is left after a command's flags when it takes none. The flag
// package stops at the first word that is not a flag, so in "gongshi sweep /data --as-of
// 2026-07-01" neither the word nor the flag after it would be read, and the sweep would
// run on the default data folder as of today.
func noArguments(env *Env, name string, fs *flag.FlagSet) error {
	if fs.NArg() == 0 {
		return nil
	}
	fmt.Fprintf(env.Stderr, "gongshi %s: %q is not a flag, and nothing after it was read: this command takes flags only (gongshi %s -h lists them; the data folder is --data DIR)\n",
		name, fs.Arg(0), name)
	return exitStatus(2)
}
