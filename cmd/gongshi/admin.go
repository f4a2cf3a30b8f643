package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gongshi/gongshi"
)

func init() {
	register("admin", "manage accounts: \"admin token\" prints a bearer token, \"admin create\" makes an account", runAdmin)
}

func runAdmin(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && args[0] == "accept-fork" {
		return runAcceptFork(ctx, env, args[1:])
	}
	if len(args) > 0 && args[0] == "key" {
		return runKey(env, args[1:])
	}
	if len(args) == 0 || (args[0] != "token" && args[0] != "create") {
		fmt.Fprintln(env.Stderr, `usage: gongshi admin token|create --data DIR --role ROLE [--jurisdiction CODE] [--enterprise CODE] [--kinds k1,k2] [--id ID] [--name NAME] [--password-file FILE]

  token   prints a new bearer token for the account, creating it first if it does not exist;
          it expires after --expires (default 2160h, 90 days; 0: when revoked)
  create  creates the account (with --password it can log in to the web pages) and prints a token

gongshi admin token --data DIR --revoke TOKEN (or --revoke - to read it from stdin) ends a token.

gongshi admin accept-fork --data DIR --reason TEXT lets a register whose database is behind
its last published checkpoint publish again, forking its log (see "gongshi admin accept-fork -h").
gongshi admin key add|retire|list --data DIR rotates the log's signing keys ("gongshi admin key").

Roles: regulator (--jurisdiction 310000), department (--kinds licence,penalty [--jurisdiction 310000]),
enterprise (--enterprise USCC), court (--name 上海市浦东新区人民法院), admin. Without --id the account is named after its role
and scope, e.g. regulator-310000 or enterprise-91310115MA1H7GXX1E.`)
		return exitStatus(2)
	}
	fs := flag.NewFlagSet("admin "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var df dataFlags
	df.add(fs)
	var in gongshi.NewAccount
	var role, kinds string
	fs.StringVar(&role, "role", "", "regulator, department, enterprise or admin")
	fs.StringVar(&in.ID, "id", "", "account id (default: role and scope)")
	fs.StringVar(&in.Name, "name", "", "name shown on what the account publishes")
	fs.StringVar(&in.Jurisdiction, "jurisdiction", "", "regulator, department: 6-digit division code of its jurisdiction (a department without one is national)")
	fs.StringVar(&in.Enterprise, "enterprise", "", "enterprise liaison: the enterprise's USCC or registration number")
	fs.StringVar(&kinds, "kinds", "", "department: comma-separated record kinds it may publish")
	expires := fs.Duration("expires", gongshi.TokenLife, "the token's life, e.g. 720h; 0 for a token that lasts until revoked")
	revoke := fs.String("revoke", "", "token: end this token (- reads it from stdin) instead of making one")
	var pw secretSource
	fs.StringVar(&pw.flag, "password", "", "password for logging in to the web pages (at least 10 characters), or from --password-file or $GONGSHI_PASSWORD")
	fs.StringVar(&pw.file, "password-file", "", "a file holding the password (keeps it out of ps)")
	if err := parseFlags(env, "admin "+args[0], fs, args[1:]); err != nil {
		return err
	}
	pw.envName, pw.name = "GONGSHI_PASSWORD", "password"
	var err error
	if in.Password, err = pw.resolve(env); err != nil {
		return err
	}
	in.Role = gongshi.Role(role)
	if kinds != "" {
		in.Kinds = strings.Split(kinds, ",")
	}
	a, err := df.openShared(ctx, env)
	if err != nil {
		return err
	}
	defer a.Close()
	if *revoke != "" {
		return revokeToken(ctx, env, a, args[0], *revoke)
	}
	in.TokenLife = *expires
	if *expires == 0 {
		in.TokenLife = -1
	}
	if in.Role == gongshi.RoleEnterprise && in.Enterprise != "" {
		ent, err := a.store.EnterpriseByCode(ctx, in.Enterprise)
		if err != nil {
			return fmt.Errorf("--enterprise: %w", err)
		}
		in.Enterprise = ent.USCC.String()
	}
	if in.ID == "" {
		in.ID = defaultAccountID(in)
	}
	if args[0] == "token" {
		if acct, err := a.store.Account(ctx, in.ID); err == nil {
			if acct.Role != in.Role {
				return fmt.Errorf("account %s exists with role %s, not %s", in.ID, acct.Role, in.Role)
			}
			tok, until, err := a.svc.IssueTokenFor(ctx, in.ID, *expires)
			if err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, tok)
			tokenNotice(env, until)
			return nil
		}
	}
	_, tok, err := a.svc.CreateAccount(ctx, in)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, tok)
	if *expires > 0 {
		tokenNotice(env, time.Now().Add(*expires)) // the CLI runs on the system clock
	} else {
		tokenNotice(env, time.Time{})
	}
	return nil
}

// tokenNotice says on stderr until when a token is valid.
func tokenNotice(env *Env, until time.Time) {
	if until.IsZero() {
		fmt.Fprintln(env.Stderr, "gongshi: the token is valid until revoked (gongshi admin token --revoke)")
		return
	}
	fmt.Fprintf(env.Stderr, "gongshi: the token is valid until %s\n", until.UTC().Format(time.RFC3339))
}

// revokeToken ends a bearer token (admin token --revoke).
func revokeToken(ctx context.Context, env *Env, a *app, cmd, token string) error {
	if cmd != "token" {
		return fmt.Errorf("--revoke goes with admin token")
	}
	if token == "-" {
		b, err := io.ReadAll(io.LimitReader(env.Stdin, 4096))
		if err != nil {
			return err
		}
		token = strings.TrimSpace(string(b))
	}
	if _, err := a.svc.Authenticate(ctx, token); gongshi.ErrorCode(err) == gongshi.EINTERNAL {
		return err
	} else if err != nil {
		return fmt.Errorf("--revoke: %w", err)
	}
	if err := a.svc.RevokeToken(ctx, token); err != nil {
		return err
	}
	fmt.Fprintln(env.Stderr, "gongshi: token revoked")
	return nil
}

func defaultAccountID(in gongshi.NewAccount) string {
	switch in.Role {
	case gongshi.RoleRegulator:
		return "regulator-" + in.Jurisdiction
	case gongshi.RoleEnterprise:
		return "enterprise-" + strings.ToUpper(in.Enterprise)
	case gongshi.RoleCourt:
		return "court-" + strings.ReplaceAll(in.Name, " ", "")
	case gongshi.RoleDepartment:
		return "department-" + strings.ReplaceAll(in.Name+strings.ReplaceAll(strings.Join(in.Kinds, "-"), ",", "-"), " ", "")
	}
	return string(in.Role)
}
