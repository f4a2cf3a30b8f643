package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// Several servers over one PostgreSQL register: one holds the sequencer (sqlstore's
// holder.go); the others serve reads and pass every other request — the writes — to the
// address the holder advertised in the database. While no server holds it (the holder
// died and another is taking over, within seconds) a write waits for one, so no client
// sees a write refused for reaching the "wrong" server.
const (
	// forwardedHeader marks a request one server passed to another.
	forwardedHeader = "Gongshi-Forwarded"
	// notHolderHeader marks the answer of a server that was passed a write but does not
	// hold the sequencer (any more): the request was not run, and may be sent again.
	notHolderHeader = "Gongshi-Not-Sequencer"
	// forwardWait is how long a write waits for a server to hold the sequencer.
	forwardWait = 30 * time.Second
	// maxForwardBody bounds the bodies passed on (the API takes at most 1 MiB).
	maxForwardBody = 8 << 20
)

// forwarder passes writes to the sequencer's holder.
type forwarder struct {
	a    *app
	next http.Handler
	tr   *http.Transport
}

func newForwarder(a *app, next http.Handler) *forwarder {
	return &forwarder{a: a, next: next, tr: &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     time.Minute,
	}}
}

func (f *forwarder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st := f.a.store
	if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions || st.Holding() || lost(st) {
		f.next.ServeHTTP(w, r)
		return
	}
	if r.Header.Get(forwardedHeader) != "" {
		// Passed on by a server that took this one for the holder: it looks again.
		w.Header().Set(notHolderHeader, "1")
		http.Error(w, "this server does not hold the sequencer", http.StatusServiceUnavailable)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxForwardBody))
	if err != nil {
		http.Error(w, "request body: "+err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	deadline := time.Now().Add(forwardWait)
	for {
		if st.Holding() { // taken over while waiting
			r.Body = io.NopCloser(bytes.NewReader(body))
			f.next.ServeHTTP(w, r)
			return
		}
		addr, self, err := st.Sequencer(r.Context())
		if err == nil && addr != "" && !self && addr != st.Advertised() {
			resp, err := f.send(r, addr, body)
			switch {
			case err == nil && resp.Header.Get(notHolderHeader) == "":
				copyResponse(w, resp)
				return
			case err == nil:
				resp.Body.Close()
			case !isDialError(err):
				// Sent, and no answer: the holder died with the write in hand.
				f.a.logger.Warn("passing a write to the sequencer's holder failed", "holder", addr, "err", err)
				http.Error(w, "the server holding the sequencer did not answer; the write may or may not have been made", http.StatusBadGateway)
				return
			}
		}
		if time.Now().After(deadline) || r.Context().Err() != nil {
			w.Header().Set("Retry-After", "5")
			http.Error(w, "no server holds the register's sequencer; try again shortly", http.StatusServiceUnavailable)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// send passes r with body to the server at base.
func (f *forwarder) send(r *http.Request, base string, body []byte) (*http.Response, error) {
	ctx, cancel := context.WithCancel(r.Context())
	out, err := http.NewRequestWithContext(ctx, r.Method, strings.TrimSuffix(base, "/")+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		cancel()
		return nil, err
	}
	out.Header = r.Header.Clone()
	out.Header.Del("Connection")
	out.Header.Set(forwardedHeader, "1")
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		out.Header.Set("X-Forwarded-For", host)
	}
	resp, err := f.tr.RoundTrip(out)
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = cancelOnClose{resp.Body, cancel}
	return resp, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error { err := c.ReadCloser.Close(); c.cancel(); return err }

func copyResponse(w http.ResponseWriter, resp *http.Response) {
	defer resp.Body.Close()
	for k, vs := range resp.Header {
		if k == "Connection" || k == "Keep-Alive" || k == "Transfer-Encoding" {
			continue
		}
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

// isDialError reports whether err is a failure to connect: the request was not sent.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// whenHeld runs start once this server holds the sequencer (at once if it does) and
// returns a function that stops what start started.
func whenHeld(ctx context.Context, a *app, start func() (stop func())) (stop func()) {
	stopped := make(chan func(), 1)
	go func() {
		select {
		case <-a.store.Held():
			stopped <- start()
		case <-ctx.Done():
			stopped <- func() {}
		}
	}()
	return func() { (<-stopped)() } // ctx is done by then
}

// lost reports whether the store lost the sequencer it held: it answers writes itself,
// saying so, until restarted.
func lost(st interface{ Lost() <-chan struct{} }) bool {
	select {
	case <-st.Lost():
		return true
	default:
		return false
	}
}
