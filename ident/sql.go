package ident

import (
	"database/sql/driver"
	"fmt"
)

// The code types are stored in SQL as text in their canonical form (String), and the zero
// value as NULL. Scan accepts a string or []byte, parsed as UnmarshalText does (empty text is
// the zero value), and NULL; anything else is an error.

// Value returns u's String form, or nil (NULL) for the zero USCC (driver.Valuer).
func (u USCC) Value() (driver.Value, error) { return value(u.IsZero(), u.String) }

// Scan reads a USCC from a database column (sql.Scanner).
func (u *USCC) Scan(src any) error { return scan(src, u) }

// Value returns r's String form, or nil (NULL) for the zero RegNo (driver.Valuer).
func (r RegNo) Value() (driver.Value, error) { return value(r.IsZero(), r.String) }

// Scan reads a RegNo from a database column (sql.Scanner).
func (r *RegNo) Scan(src any) error { return scan(src, r) }

// Value returns o's String form (without hyphen), or nil (NULL) for the zero OrgCode
// (driver.Valuer).
func (o OrgCode) Value() (driver.Value, error) { return value(o.IsZero(), o.String) }

// Scan reads an OrgCode from a database column (sql.Scanner).
func (o *OrgCode) Scan(src any) error { return scan(src, o) }

// Value returns c's String form, or nil (NULL) for the zero Code (driver.Valuer).
func (c Code) Value() (driver.Value, error) { return value(c.IsZero(), c.String) }

// Scan reads a Code from a database column (sql.Scanner).
func (c *Code) Scan(src any) error { return scan(src, c) }

func value(zero bool, s func() string) (driver.Value, error) {
	if zero {
		return nil, nil
	}
	return s(), nil
}

type setter interface{ set(string) error }

func scan(src any, dst setter) error {
	switch v := src.(type) {
	case nil:
		return dst.set("")
	case string:
		return dst.set(v)
	case []byte:
		return dst.set(string(v))
	}
	return fmt.Errorf("ident: cannot scan %T into %T", src, dst)
}
