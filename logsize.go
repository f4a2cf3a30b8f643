package gongshi

import "context"

// Read-your-writes. A store may answer reads from a replica that lags its primary. Every
// write is answered with the log's size once it committed (HTTP: the Gongshi-Log-Size
// header); a read that must see that write asks for at least that size, and the store
// answers it from a replica that has reached it, or from the primary.

type minLogSizeKey struct{}

// WithMinLogSize returns ctx asking the reads made with it to see a log of at least n
// leaves: every write acknowledged with a log size of n or less.
func WithMinLogSize(ctx context.Context, n int64) context.Context {
	if n <= 0 {
		return ctx
	}
	return context.WithValue(ctx, minLogSizeKey{}, n)
}

// MinLogSize returns the log size ctx asks its reads to see; 0 asks nothing.
func MinLogSize(ctx context.Context) int64 {
	n, _ := ctx.Value(minLogSizeKey{}).(int64)
	return n
}
