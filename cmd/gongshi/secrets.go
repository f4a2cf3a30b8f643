package main

import (
	"fmt"
	"net/url"
	"os"
	"strings"
)

// A secret (the PostgreSQL URL with its password, an account's password) need never be on
// the command line, where every user of the machine sees it in ps: each can come from a
// file (--…-file, read once, trailing newline dropped) or from the environment. A secret
// given on the command line still works, with a warning.

// secretSource is where one secret can come from.
type secretSource struct {
	flag, file string // the flag's value and the file flag's value
	envName    string // the environment variable
	name       string // the flag's name, for messages
}

// resolve returns the secret: from the flag, else the file, else the environment; both the
// flag and the file is an error. A flag whose value holds a password gets a warning.
func (s secretSource) resolve(env *Env) (string, error) {
	switch {
	case s.flag != "" && s.file != "":
		return "", fmt.Errorf("--%s and --%s-file: give one", s.name, s.name)
	case s.file != "":
		b, err := os.ReadFile(s.file)
		if err != nil {
			return "", fmt.Errorf("--%s-file: %w", s.name, err)
		}
		v := strings.TrimRight(string(b), "\r\n")
		if v == "" {
			return "", fmt.Errorf("--%s-file %s is empty", s.name, s.file)
		}
		return v, nil
	case s.flag != "":
		if hasPassword(s.name, s.flag) {
			fmt.Fprintf(env.Stderr, "gongshi: warning: --%s holds a password, which every user of this machine can read in ps; use --%s-file or %s instead\n", s.name, s.name, s.envName)
		}
		return s.flag, nil
	}
	return env.Getenv(s.envName), nil
}

// hasPassword reports whether a flag's value is or holds a password: a password flag, or a
// URL with one (postgres://user:password@host/db).
func hasPassword(name, v string) bool {
	if strings.Contains(name, "password") {
		return true
	}
	u, err := url.Parse(v)
	if err != nil {
		return false
	}
	_, ok := u.User.Password()
	return ok || u.Query().Get("password") != ""
}
