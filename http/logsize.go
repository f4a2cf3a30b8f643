package http

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gongshi/gongshi"
)

// Read-your-writes across replicas and servers (gongshi.WithMinLogSize). Every successful
// write is answered with the log's size once it committed, in LogSizeHeader; a GET that must
// see that write sends the size back, in MinLogSizeHeader or the min_log_size parameter,
// and is answered from a replica that has reached it or from the primary.
const (
	LogSizeHeader    = "Gongshi-Log-Size"
	MinLogSizeHeader = "Gongshi-Min-Log-Size"
)

// maxLogSize bounds a log size in a request: far beyond any register, within JSON's exact
// integers.
const maxLogSize = 1 << 53

var minLogSizeDoc = "Read-your-writes: answer from a state of the register whose log has at least this many leaves — " +
	"the `" + LogSizeHeader + "` a write was answered with — so that the answer includes that write. " +
	"A server reading from a replica that has not reached it waits briefly for the replica, then reads the primary. " +
	"The `" + MinLogSizeHeader + "` request header does the same."

var minLogSizeParam = Param{"min_log_size", minLogSizeDoc, intSchema(0, maxLogSize)}

// withMinLogSize puts the log size r asks its reads to see (its header, or the parameter
// checkParams has checked) into its context.
func withMinLogSize(r *http.Request) (*http.Request, error) {
	v := r.Header.Get(MinLogSizeHeader)
	if v == "" {
		v = r.URL.Query().Get(minLogSizeParam.Name)
	}
	if v == "" {
		return r, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > maxLogSize {
		return r, gongshi.Invalid(MinLogSizeHeader, strconv.Quote(v)+" is not a log size", "give the "+LogSizeHeader+" a write was answered with: a whole number")
	}
	return r.WithContext(gongshi.WithMinLogSize(r.Context(), n)), nil
}

// logSizeWriter sets LogSizeHeader on a successful answer to a write: the log's size after
// the write committed (the handler answers only then).
type logSizeWriter struct {
	http.ResponseWriter
	size    func(context.Context) (int64, error)
	ctx     context.Context
	written bool
}

func (w *logSizeWriter) WriteHeader(code int) {
	if !w.written && code < 300 {
		if n, err := w.size(w.ctx); err == nil {
			w.Header().Set(LogSizeHeader, strconv.FormatInt(n, 10))
		}
	}
	w.written = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *logSizeWriter) Write(b []byte) (int, error) {
	if !w.written {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *logSizeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// treeSizer is the store's log size (translog.Store).
type treeSizer interface {
	TreeSize(ctx context.Context) (int64, error)
}
