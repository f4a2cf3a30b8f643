package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi"
	gshttp "github.com/gongshi/gongshi/http"
)

// Cookie names. The session cookie holds the id of a server-side session (gongshi's
// session.go: stored hashed, expiring, ended on logout, useless on the API); the
// pre-session cookie keys CSRF tokens of anonymous forms.
const (
	sessionCookie = "gs_session"
	preCookie     = "gs_pre"
	langCookie    = "gs_lang"
)

// csrfLabel is what CSRF tokens are a MAC of; changing it invalidates every open form.
const csrfLabel = "gongshi web form v1"

// session returns the logged-in account and its session id, or nil when the visitor is
// anonymous or the cookie's session is unknown, ended or expired (the cookie is then
// cleared).
func (h *Handler) session(w http.ResponseWriter, r *http.Request) (*gongshi.Account, string) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, ""
	}
	a, err := h.svc.SessionAccount(r.Context(), c.Value)
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
	ss, err := h.svc.StartSession(p.r.Context(), id, p.r.PostForm.Get("password"), h.clientIP(p.r))
	var wait *gongshi.RetryError
	switch {
	case errors.As(err, &wait):
		p.Title = p.T("login.title")
		p.status = http.StatusTooManyRequests
		secs := strconv.Itoa(int(wait.After.Seconds()))
		p.w.Header().Set("Retry-After", secs)
		return p.render("login", loginData{Next: next, ID: id, Err: fmt.Sprintf(p.T("login.wait"), secs)})
	case gongshi.ErrorCode(err) == gongshi.EUNAUTHORIZED:
		p.Title = p.T("login.title")
		p.status = http.StatusUnauthorized
		return p.render("login", loginData{Next: next, ID: id, Err: p.T("login.wrong")})
	case err != nil:
		return err
	}
	acct := ss.Account
	h.setCookie(p.w, p.r, sessionCookie, ss.ID, http.SameSiteLaxMode)
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

// logout ends the session and clears the cookie.
func (h *Handler) logout(p *page) error {
	if p.token != "" {
		if err := h.svc.EndSession(p.r.Context(), p.token); err != nil {
			h.cfg.Logger.Error("end session", "err", err)
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

// clientIP is the address a visitor's login tries are counted against.
func (h *Handler) clientIP(r *http.Request) string {
	if h.cfg.ClientIP != nil {
		return h.cfg.ClientIP(r)
	}
	return gshttp.RemoteHost(r)
}
