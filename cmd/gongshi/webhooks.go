package main

import (
	"context"

	"github.com/gongshi/gongshi/webhook"
)

// startWatches delivers the watches' changes to their URLs (package webhook) until stopped.
func startWatches(ctx context.Context, a *app) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		(&webhook.Runner{Svc: a.svc, Logger: a.logger}).Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}
