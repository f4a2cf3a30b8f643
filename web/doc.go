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
// Logging in (Service.Login) issues a bearer token; the session cookie holds that token
// itself, HttpOnly (scripts cannot read it), SameSite=Lax, Secure when served over TLS.
// This keeps the server stateless — the token is checked by Service.Authenticate on every
// request, exactly as the API checks it, on any replica and across restarts — while the
// token never appears in a page, a URL or a log line. Logging out revokes the token in the
// store. The JSON API reads tokens only from the Authorization header, never from cookies,
// so the cookie cannot be used to drive the API from another site.
//
// # CSRF
//
// Every form carries a hidden token: HMAC-SHA256 keyed with the session secret (the session
// token when logged in, else a random pre-session cookie) over a fixed label. It is useless
// without the HttpOnly cookie and reveals nothing about it. A POST is accepted only when the
// token matches, and when the browser does not say it is cross-site (Sec-Fetch-Site) and any
// Origin header names this server.
package web
