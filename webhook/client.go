package webhook

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"github.com/gongshi/gongshi"
)

// NewClient returns the client deliveries are made with: its dialer refuses, after the
// name is resolved and before connecting, every address the policy does not allow
// (gongshi.WebhookPolicy), so that a host that resolved to a public address when its watch
// was registered and resolves to an internal one now (DNS rebinding) is still refused. It
// uses no proxy (the environment's proxy would hide the receiver's address from the
// check) and follows no redirect: a 3xx answer is a failed attempt, retried.
func NewClient(p gongshi.WebhookPolicy) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("webhook: dialing %q: %w", address, err)
			}
			if err := p.CheckAddr(ap.Addr()); err != nil {
				return fmt.Errorf("webhook: refused to connect: %w: %w", err, ErrRefusedAddr)
			}
			return nil
		}}
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{DialContext: dialer.DialContext, ForceAttemptHTTP2: true,
			MaxIdleConns: 100, IdleConnTimeout: 90 * time.Second, TLSHandshakeTimeout: 10 * time.Second},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// ErrRefusedAddr is in the error of a delivery the client refused to connect.
var ErrRefusedAddr = errors.New("webhooks may not reach this address")
