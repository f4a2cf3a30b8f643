package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gongshi/gongshi"
)

// Cookie names. The session cookie holds the account's bearer token (see the package
// documentation for why); the pre-session cookie keys CSRF tokens of anonymous forms.
const (
	sessionCookie = "gs_session"
	preCookie     = "gs_pre"
	langCookie    = "gs_lang"
)

// csrfLabel is what CSRF tokens are a MAC of; changing it invalidates every open form.
const csrfLabel = "gongshi web form v1"

// session returns the logged-in account and its token, or nil when the visitor is anonymous
// or the cookie's token is unknown or revoked (the cookie is then cleared).
func (h *Handler) session(w http.ResponseWriter, r *http.Request) (*gongshi.Account, string) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, ""
	}
	a, err := h.svc.Authenticate(r.Context(), c.Value)
	if err != nil {
		h.clearCookie(w, r, sessionCookie)
		return nil, ""
	}
	return a, c.Value
}

// CSRFToken returns the form token for the visitor's session secret, creating the
// pre-session cookie for an anonymous visitor that has none.
func (p *page) CSRFToken() string {
	secret := p.token
	if secret == "" {
		if c, err := p.r.Cookie(preCookie); err == nil && len(c.Value) >= 32 {
			secret = c.Value
		} else if p.pre != "" {
			secret = p.pre
		} else {
			p.pre = randomString()
			p.h.setCookie(p.w, p.r, preCookie, p.pre, http.SameSiteStrictMode)
			secret = p.pre
		}
	}
	return csrfMAC(secret)
}

func csrfMAC(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(csrfLabel))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF accepts a POST only from a page of this server: the browser must not call it
// cross-site, an Origin header must name this host, and the form's token must be the MAC
// of the visitor's session secret.
func (h *Handler) checkCSRF(w http.ResponseWriter, r *http.Request) error {
	forbidden := func(why string) error {
		return &requestError{err: &gongshi.Error{Code: gongshi.EFORBIDDEN, Message: "form rejected: " + why, Fix: "reload the page and send the form again"},
			status: http.StatusForbidden, key: "error.csrf"}
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return forbidden("sent from another site")
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return forbidden("sent from another origin")
		}
	}
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errTooLarge
		}
		return &gongshi.Error{Code: gongshi.EINVALID, Message: "the form could not be read", Fix: "send it again"}
	}
	if err := checkForm(r); err != nil { // params.go
		return err
	}
	secret := ""
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		secret = c.Value
	} else if c, err := r.Cookie(preCookie); err == nil {
		secret = c.Value
	}
	got := r.PostForm.Get("csrf")
	if secret == "" || got == "" || !hmac.Equal([]byte(got), []byte(csrfMAC(secret))) {
		return forbidden("missing or stale form token")
	}
	return nil
}

func (h *Handler) setCookie(w http.ResponseWriter, r *http.Request, name, value string, same http.SameSite) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true,
		Secure: h.cfg.SecureCookies || r.TLS != nil, SameSite: same})
}

func (h *Handler) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: h.cfg.SecureCookies || r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

func randomString() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// loginForm shows the login form.
func (h *Handler) loginForm(p *page) error {
	p.Title = p.T("login.title")
	return p.render("login", loginData{Next: localPath(p.r.URL.Query().Get("next"))})
}

type loginData struct {
	Next, ID string
	Err      string
}

// login checks the password (Service.Login) and starts a session.
func (h *Handler) login(p *page) error {
	id := strings.TrimSpace(p.r.PostForm.Get("id"))
	next := localPath(p.r.PostForm.Get("next"))
	acct, token, err := h.svc.Login(p.r.Context(), id, p.r.PostForm.Get("password"))
	if err != nil {
		if gongshi.ErrorCode(err) != gongshi.EUNAUTHORIZED {
			return err
		}
		p.Title = p.T("login.title")
		p.status = http.StatusUnauthorized
		return p.render("login", loginData{Next: next, ID: id, Err: p.T("login.wrong")})
	}
	h.setCookie(p.w, p.r, sessionCookie, token, http.SameSiteLaxMode)
	h.clearCookie(p.w, p.r, preCookie)
	if next == "" {
		next = homeOf(acct)
	}
	return p.redirect(next)
}

// homeOf is where an account lands after logging in.
func homeOf(a *gongshi.Account) string {
	switch a.Role {
	case gongshi.RoleEnterprise:
		return "/my"
	case gongshi.RoleRegulator, gongshi.RoleAdmin:
		return "/reg"
	}
	return "/"
}

// logout revokes the session's token and clears the cookie.
func (h *Handler) logout(p *page) error {
	if p.token != "" {
		if err := h.svc.RevokeToken(p.r.Context(), p.token); err != nil {
			h.cfg.Logger.Error("revoke session token", "err", err)
		}
	}
	h.clearCookie(p.w, p.r, sessionCookie)
	return p.redirect("/")
}

// localPath returns p when it is a path on this server, else "".
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.Contains(p, "\\") {
		return ""
	}
	return p
}
