package gongshi

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// A watch's webhook URL is fetched by the server, from inside its network: left open, an
// account could have it POST to the cloud's metadata service, the database's host or any
// in-house service (server-side request forgery). So a webhook may only reach public
// addresses: its host is refused at registration when it resolves to a loopback, private,
// link-local, multicast, unspecified or otherwise non-public address, and the delivering
// dialer checks the address it actually connects to (webhook.NewClient), so that a name
// that resolved to a public address at registration and to an internal one later (DNS
// rebinding) is still refused. An operator whose receivers are in-house allows private
// addresses (gongshi serve --webhook-private).

// WebhookPolicy is which addresses webhooks may reach.
type WebhookPolicy struct {
	// AllowPrivate lets webhooks reach loopback, private and link-local addresses too:
	// receivers inside the operator's own network. Multicast, unspecified and reserved
	// addresses stay refused: no receiver is there.
	AllowPrivate bool
}

// nowhere are the IPv4 ranges no receiver is at, beyond what netip.Addr's predicates
// name: "this network" and the reserved range up to the limited broadcast address.
var nowhere = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("240.0.0.0/4"),
}

// nonPublic are the IPv4 ranges, beyond what netip.Addr's predicates name, that are no
// public host though a network may use them inside: carrier-grade NAT, IETF protocol
// assignments, benchmarking.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
}

// CheckAddr returns an error saying why a webhook may not connect to ip, or nil.
func (p WebhookPolicy) CheckAddr(ip netip.Addr) error {
	ip = ip.Unmap() // ::ffff:127.0.0.1 is 127.0.0.1
	switch {
	case !ip.IsValid():
		return fmt.Errorf("%v is not an IP address", ip)
	case ip.IsUnspecified():
		return fmt.Errorf("%v is the unspecified address", ip)
	case ip.IsMulticast():
		return fmt.Errorf("%v is a multicast address", ip)
	}
	if pre, ok := within(ip, nowhere); ok {
		return fmt.Errorf("%v is in %v, where no host is", ip, pre)
	}
	switch {
	case p.AllowPrivate:
		return nil
	case ip.IsLoopback():
		return fmt.Errorf("%v is a loopback address", ip)
	case ip.IsPrivate():
		return fmt.Errorf("%v is a private address", ip)
	case ip.IsLinkLocalUnicast():
		return fmt.Errorf("%v is a link-local address", ip)
	}
	if pre, ok := within(ip, nonPublic); ok {
		return fmt.Errorf("%v is in %v, which is not public", ip, pre)
	}
	return nil
}

// within returns the prefix of prefixes ip is in.
func within(ip netip.Addr, prefixes []netip.Prefix) (netip.Prefix, bool) {
	for _, pre := range prefixes {
		if pre.Contains(ip) {
			return pre, true
		}
	}
	return netip.Prefix{}, false
}

// webhookResolveTimeout bounds the lookup of a webhook's host at registration.
const webhookResolveTimeout = 5 * time.Second

// CheckURL parses a webhook URL and checks it: absolute http or https, without credentials,
// and a host every address of which the policy allows. The error is EINVALID on field.
func (p WebhookPolicy) CheckURL(ctx context.Context, field, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil, Invalid(field, fmt.Sprintf("%q is not an http or https URL", raw), "give the absolute URL the changes are POSTed to, such as https://example.com/hooks/gongshi")
	}
	if u.User != nil {
		return nil, Invalid(field, "has credentials (user:password@) in it, which would be stored and sent in clear", "leave them out: each request is signed with the watch's secret, which the receiver checks")
	}
	host := u.Hostname()
	var addrs []netip.Addr
	if ip, err := netip.ParseAddr(strings.TrimSuffix(host, ".")); err == nil {
		addrs = []netip.Addr{ip}
	} else {
		ctx, cancel := context.WithTimeout(ctx, webhookResolveTimeout)
		defer cancel()
		addrs, err = net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		if err != nil || len(addrs) == 0 {
			return nil, Invalid(field, fmt.Sprintf("its host %q does not resolve (%v)", host, err), "give a host name the server can look up in the DNS")
		}
	}
	for _, ip := range addrs {
		if err := p.CheckAddr(ip); err != nil {
			return nil, Invalid(field, fmt.Sprintf("its host %q is refused: %v", host, err),
				"webhooks reach public addresses only; a server whose receivers are in its own network is started with gongshi serve --webhook-private")
		}
	}
	return u, nil
}
