package http

import (
	"errors"
	"io"
	"net/http"
	"time"
)

// Draining bounds: after refusing a body that is too large, the server reads and discards
// up to drainBytes more of it for at most drainTime, so that a client still sending gets
// the 413 rather than a connection reset (closing a socket with unread data makes the
// kernel send RST, and the client's kernel then drops the answer it has not read yet).
const (
	drainBytes = 64 << 20
	drainTime  = 5 * time.Second
)

// LimitBody caps request bodies at max bytes and answers a larger one with 413 through
// refuse, in every case a client can send it:
//   - a Content-Length over max is refused before a byte of the body is read, so a client
//     that sent "Expect: 100-continue" never gets a 100 Continue and never sends the body;
//   - a client that sends the body anyway, and a chunked body that grows past max while the
//     handler reads it (the handler answers the http.MaxBytesError with 413), get the 413
//     flushed, then the rest of the body is discarded (bounded by drainBytes and drainTime)
//     before the connection closes.
func LimitBody(max int64, refuse func(http.ResponseWriter, *http.Request), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > max {
			w.Header().Set("Connection", "close")
			refuse(w, r)
			if r.Header.Get("Expect") == "" {
				drain(w, r.Body)
			}
			return
		}
		orig := r.Body
		lb := &limitedBody{ReadCloser: http.MaxBytesReader(w, orig, max)}
		r.Body = lb
		next.ServeHTTP(w, r)
		if lb.hit {
			drain(w, orig)
		}
	})
}

// limitedBody notes when the body went over its limit.
type limitedBody struct {
	io.ReadCloser
	hit bool
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		b.hit = true
	}
	return n, err
}

// drain sends the answer written so far, then discards what remains of body, within bounds.
func drain(w http.ResponseWriter, body io.Reader) {
	rc := http.NewResponseController(w)
	if rc.EnableFullDuplex() != nil || rc.Flush() != nil {
		return
	}
	rc.SetReadDeadline(time.Now().Add(drainTime))
	io.CopyN(io.Discard, body, drainBytes)
}

// tooLarge answers 413 as a problem.
func (s *Server) tooLarge(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, &http.MaxBytesError{Limit: s.Options.MaxBodyBytes})
}
