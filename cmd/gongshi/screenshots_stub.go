//go:build !dev

package main

import (
	"context"
	"fmt"
)

// The screenshots command drives Chromium through chromedp: a developer's tool, kept out of
// the server's binary and its dependencies. It is built with the "dev" tag.
func init() {
	register("screenshots", screenshotsHelp, func(ctx context.Context, env *Env, args []string) error {
		fmt.Fprintln(env.Stderr, "gongshi screenshots is a developer's command: run it as\n\n    go run -tags dev ./cmd/gongshi screenshots --out DIR")
		return exitStatus(2)
	})
}
