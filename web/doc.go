// Package web serves the register's HTML pages (SPEC §12): the public search, the enterprise
// page grouped as the national system groups it, every record's history and its log proof;
// the enterprise liaison's obligations and disclosure forms; the regulator's work queue,
// registration and change forms.
//
// Pages are rendered on the server with html/template from embedded templates; every public
// page is readable without JavaScript, stays under 100 KB and loads nothing from outside the
// server (one embedded style sheet, one tiny embedded script for search suggestions).
// Chinese is the default language; "?lang=en" or the language cookie switches to English.
//
// Every read and write goes through the same gongshi.Service the JSON API uses, so what a
// page shows is decided in one place (gongshi's access function).
//
// # Sessions
//
// Logging in (Service.StartSession) starts a server-side session: the cookie holds its
// random id (gss_…), HttpOnly (scripts cannot read it), SameSite=Lax, Secure when served
// over TLS; the store keeps only its hash. A session is not a bearer token: it ends 12 hours
// after login (by the real clock) or when its holder logs out (Service.EndSession), the API
// does not accept it, and the API's tokens are not sessions. Wrong passwords back off per
// account and per address, shared with the API's login (429 with Retry-After). The JSON API
// reads tokens only from the Authorization header, never from cookies, so the cookie cannot
// be used to drive the API from another site.
//
// # Limits
//
// Pages take from the API's limiter (gshttp.Limiter; Config.Limiter): by account when
// logged in, else by address, with the same RateLimit and RateLimit-Policy header fields,
// and a 429 page with Retry-After when refused. Static files are not limited.
//
// # CSRF
//
// Every form carries a hidden token: HMAC-SHA256 keyed with the session secret (the session
// id when logged in, else a random pre-session cookie) over a fixed label. It is useless
// without the HttpOnly cookie and reveals nothing about it. A POST is accepted only when the
// token matches, and when the browser does not say it is cross-site (Sec-Fetch-Site) and any
// Origin header names this server.
package web
