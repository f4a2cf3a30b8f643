package gongshi

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// TokenPrefix starts every bearer token, so that a leaked token is easy to recognise.
const TokenPrefix = "gs_"

// HashToken returns how a bearer token is stored: the hex SHA-256 of it. Tokens are 256
// random bits, so a fast hash suffices; passwords use bcrypt.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// NewAccount is what an administrator gives to create an account.
type NewAccount struct {
	ID           string
	Name         string
	Role         Role
	Jurisdiction string
	Enterprise   string
	Kinds        []string
	Password     string // optional; accounts with one can log in to the web pages
	// TokenLife is the first token's life: 0 means TokenLife, negative until revoked.
	TokenLife time.Duration
}

// CreateAccount creates an account and returns it with a first bearer token, valid for
// TokenLife.
func (s *Accounts) CreateAccount(ctx context.Context, in NewAccount) (*Account, string, error) {
	a := &Account{ID: strings.TrimSpace(in.ID), Name: strings.TrimSpace(in.Name), Role: in.Role,
		Jurisdiction: in.Jurisdiction, Enterprise: in.Enterprise, Kinds: in.Kinds, CreatedAt: s.Clock.Now()}
	if a.ID == "" {
		return nil, "", Invalid("id", "is required", "give the account a short unique name such as pudong-officer-1")
	}
	if a.Name == "" {
		a.Name = a.ID
	}
	// The id and the name are published with everything the account publishes (Authority),
	// so they are held to the rules of published text.
	if err := checkChars("id", a.ID, false); err != nil {
		return nil, "", err
	}
	if err := checkChars("name", a.Name, false); err != nil {
		return nil, "", err
	}
	switch a.Role {
	case RoleRegulator:
		if len(a.Jurisdiction) != 6 || strings.Trim(a.Jurisdiction, "0123456789") != "" {
			return nil, "", Invalid("jurisdiction", fmt.Sprintf("%q is not a 6-digit division code", a.Jurisdiction), "give e.g. 310000 for Shanghai or 310115 for Pudong")
		}
	case RoleDepartment:
		if a.Jurisdiction != "" && (len(a.Jurisdiction) != 6 || strings.Trim(a.Jurisdiction, "0123456789") != "") {
			return nil, "", Invalid("jurisdiction", fmt.Sprintf("%q is not a 6-digit division code", a.Jurisdiction), "give e.g. 310000 for a Shanghai department, or none for a national one")
		}
		if len(a.Kinds) == 0 {
			return nil, "", Invalid("kinds", "a department needs the record kinds it may publish", "give e.g. licence,penalty")
		}
		for _, k := range a.Kinds {
			if _, err := LookupKind(k); err != nil {
				return nil, "", prefixField(err, "kinds")
			}
		}
	case RoleEnterprise:
		if a.Enterprise == "" {
			return nil, "", Invalid("enterprise", "a liaison account needs its enterprise", "give the enterprise's USCC")
		}
	case RoleCourt:
		if strings.TrimSpace(in.Name) == "" {
			return nil, "", Invalid("name", "a court's notices name the court", "give the court's name, e.g. 上海市浦东新区人民法院")
		}
	case RoleAdmin:
	default:
		return nil, "", Invalid("role", fmt.Sprintf("unknown role %q", a.Role), "use regulator, department, enterprise, court or admin")
	}
	var hash string
	if in.Password != "" {
		if len(in.Password) < 10 {
			return nil, "", Invalid("password", "is shorter than 10 characters", "choose a longer password")
		}
		h, err := bcrypt.GenerateFromPassword([]byte(in.Password), bcrypt.DefaultCost)
		if err != nil {
			return nil, "", err
		}
		hash = string(h)
	}
	token := newToken()
	var expires time.Time
	switch {
	case in.TokenLife == 0:
		expires = s.wall().Add(TokenLife).UTC()
	case in.TokenLife > 0:
		expires = s.wall().Add(in.TokenLife).UTC()
	}
	err := s.Store.Write(ctx, func(tx Tx) error {
		if a.Role == RoleEnterprise {
			ent, err := tx.EnterpriseByCode(a.Enterprise)
			if err != nil {
				return prefixField(err, "enterprise")
			}
			a.Enterprise = ent.USCC.String()
		}
		if err := tx.CreateAccount(a, hash); err != nil {
			return err
		}
		return tx.AddToken(a.ID, HashToken(token), expires)
	})
	if err != nil {
		return nil, "", err
	}
	return a, token, nil
}

// IssueToken makes a new bearer token for an existing account, valid for TokenLife.
func (s *Accounts) IssueToken(ctx context.Context, accountID string) (string, error) {
	tok, _, err := s.IssueTokenFor(ctx, accountID, TokenLife)
	return tok, err
}

// IssueTokenFor makes a new bearer token valid for life (0: until revoked) and returns it
// with its expiry (zero when it has none).
func (s *Accounts) IssueTokenFor(ctx context.Context, accountID string, life time.Duration) (string, time.Time, error) {
	if life < 0 {
		return "", time.Time{}, Invalid("expires", "is negative", "give a duration such as 2160h, or 0 for a token that lasts until revoked")
	}
	token := newToken()
	var expires time.Time
	if life > 0 {
		expires = s.wall().Add(life).UTC()
	}
	err := s.Store.Write(ctx, func(tx Tx) error { return tx.AddToken(accountID, HashToken(token), expires) })
	return token, expires, err
}

// Authenticate returns the account a bearer token belongs to; an unknown, revoked or
// expired token is EUNAUTHORIZED.
func (s *Accounts) Authenticate(ctx context.Context, token string) (*Account, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return nil, Errorf(EUNAUTHORIZED, "not a gongshi token")
	}
	a, expires, err := s.Store.AccountByToken(ctx, HashToken(token))
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(EUNAUTHORIZED, "unknown or revoked token")
	}
	if err != nil {
		return nil, err
	}
	if !expires.IsZero() && !s.wall().Before(expires) {
		return nil, &Error{Code: EUNAUTHORIZED, Message: "the token expired at " + expires.UTC().Format(time.RFC3339), Fix: "log in again, or ask an administrator for a new token"}
	}
	return a, nil
}

// Login checks an account's password (CheckPassword) and returns a new bearer token valid
// for LoginTokenLife.
func (s *Accounts) Login(ctx context.Context, id, password, from string) (*Account, string, error) {
	a, err := s.CheckPassword(ctx, id, password, from)
	if err != nil {
		return nil, "", err
	}
	tok, _, err := s.IssueTokenFor(ctx, id, LoginTokenLife)
	return a, tok, err
}

// RevokeToken ends a bearer token: it no longer authenticates. Revoking an unknown token
// is not an error.
func (s *Accounts) RevokeToken(ctx context.Context, token string) error {
	return s.Store.Write(ctx, func(tx Tx) error { return tx.RevokeToken(HashToken(token)) })
}
