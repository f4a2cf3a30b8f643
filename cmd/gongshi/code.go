package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/gongshi/gongshi/division"
	"github.com/gongshi/gongshi/ident"
)

func init() {
	register("code", "validate and decompose USCC, registration numbers and organisation codes", runCode)
}

const codeUsage = `usage: gongshi code [--json] CODE...

Validates each CODE and prints its parts. A CODE of 18 characters is a unified social credit
code (统一社会信用代码, GB 32100-2015), of 15 a registration number (注册号, GS 15-2006), of 9,
or 10 with the hyphen, an organisation code (组织机构代码, GB 11714-1997). The exit status is 0
only when every code is valid.

flags:
  --json   print a JSON array, one object per code
`

// codeReport is what "gongshi code" says about one code; it is also its JSON form.
type codeReport struct {
	Input    string `json:"input"`
	Kind     string `json:"kind"` // uscc, reg_no, org_code or unknown
	Valid    bool   `json:"valid"`
	Code     string `json:"code,omitempty"` // canonical form, when the characters are right
	Error    string `json:"error,omitempty"`
	Problem  string `json:"problem,omitempty"`  // length, character or check
	Position int    `json:"position,omitempty"` // 1-based, of the bad character
	Got      string `json:"got,omitempty"`
	Want     string `json:"want,omitempty"` // the expected check character
	// WantCheck is, for a USCC whose organisation code's check character (position 17) is
	// wrong, the check character position 18 needs once position 17 is corrected, when that
	// differs from the one given.
	WantCheck string `json:"want_check,omitempty"`

	Authority  *codeCategory  `json:"authority,omitempty"`
	EntityType *codeCategory  `json:"entity_type,omitempty"`
	Division   *codeDivision  `json:"division,omitempty"`
	OrgCode    *codeOrgReport `json:"org_code,omitempty"`
	Sector     string         `json:"sector,omitempty"` // registration numbers: digit 7
}

type codeCategory struct {
	Code    string `json:"code"`
	Name    string `json:"name,omitempty"` // absent when not in GB 32100's tables
	English string `json:"english,omitempty"`
}

type codeDivision struct {
	Code     string `json:"code"`
	Known    bool   `json:"known"` // false when not in the embedded 2023 tables
	Name     string `json:"name,omitempty"`
	FullName string `json:"full_name,omitempty"`
	Province string `json:"province,omitempty"`
	City     string `json:"city,omitempty"`
	District string `json:"district,omitempty"`
}

type codeOrgReport struct {
	Code  string `json:"code"` // hyphenated, as printed
	Valid bool   `json:"valid"`
	Want  string `json:"want,omitempty"` // the expected check character when not valid
}

func runCode(ctx context.Context, env *Env, args []string) error {
	fs := flag.NewFlagSet("code", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, codeUsage) }
	asJSON := fs.Bool("json", false, "print a JSON array")
	// Flags may come before or after the codes; no code starts with "-".
	var flags, codes []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			flags = append(flags, a)
		} else {
			codes = append(codes, a)
		}
	}
	if err := fs.Parse(flags); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return exitStatus(2)
	}
	if len(codes) == 0 {
		fs.Usage()
		return exitStatus(2)
	}

	reports := make([]codeReport, len(codes))
	allValid := true
	for i, c := range codes {
		reports[i] = reportCode(c)
		allValid = allValid && reports[i].Valid
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(reports); err != nil {
			return err
		}
	} else {
		for _, r := range reports {
			printCodeReport(env.Stdout, r)
		}
	}
	if !allValid {
		return exitStatus(1)
	}
	return nil
}

// reportCode parses s by its length and describes it. The parts of a code are shown when
// only a check character is wrong, since they can still be read.
func reportCode(s string) codeReport {
	r := codeReport{Input: s, Kind: "unknown"}
	var err error
	switch n := utf8.RuneCountInString(s); n {
	case 18:
		var u ident.USCC
		u, err = ident.ParseUSCC(s)
		r.Kind = "uscc"
		if !u.IsZero() {
			describeUSCC(&r, u)
		}
	case 15:
		var g ident.RegNo
		g, err = ident.ParseRegNo(s)
		r.Kind = "reg_no"
		if !g.IsZero() {
			r.Code = g.String()
			r.Division = describeDivision(g.DivisionCode())
			r.Sector = g.Sector().String()
		}
	case 9, 10:
		var o ident.OrgCode
		o, err = ident.ParseOrgCode(s)
		r.Kind = "org_code"
		if !o.IsZero() {
			r.Code = o.Hyphenated()
		}
	default:
		_, err = ident.ParseCode(s)
	}
	r.Valid = err == nil
	if err != nil {
		r.Error = err.Error()
		var e *ident.Error
		if errors.As(err, &e) {
			r.Problem = e.Problem.String()
			r.Position = e.Pos
			if e.Problem != ident.ProblemLength {
				r.Got = string(e.Got)
			}
			if e.Problem == ident.ProblemCheck {
				r.Want = string(e.Want)
			}
		}
	}
	return r
}

func describeUSCC(r *codeReport, u ident.USCC) {
	r.Code = u.String()
	a, t := u.Authority(), u.EntityType()
	r.Authority = &codeCategory{Code: string(a.Code), Name: a.Name, English: a.English}
	r.EntityType = &codeCategory{Code: string(t.Code), Name: t.Name, English: t.English}
	r.Division = describeDivision(u.DivisionCode())
	o := u.OrgCode()
	r.OrgCode = &codeOrgReport{Code: o.Hyphenated(), Valid: o.Valid()}
	if !o.Valid() {
		r.OrgCode.Want = string(rune(o.CheckChar()))
		body := r.Code[:16] + r.OrgCode.Want
		if c, err := ident.USCCCheckChar(body); err == nil && c != r.Code[17] {
			r.WantCheck = string(rune(c))
		}
	}
}

func describeDivision(code string) *codeDivision {
	d, ok := division.Lookup(code)
	if !ok {
		return &codeDivision{Code: code}
	}
	return &codeDivision{Code: code, Known: true, Name: d.Name, FullName: d.FullName(),
		Province: d.Province, City: d.City, District: d.District}
}

var codeKindNames = map[string]string{
	"uscc":     "USCC (统一社会信用代码)",
	"reg_no":   "registration number (注册号)",
	"org_code": "organisation code (组织机构代码)",
	"unknown":  "code",
}

func printCodeReport(w io.Writer, r codeReport) {
	if r.Valid {
		fmt.Fprintf(w, "%s: valid %s\n", r.Input, codeKindNames[r.Kind])
	} else {
		fmt.Fprintf(w, "%s: INVALID %s\n", r.Input, codeKindNames[r.Kind])
		fmt.Fprintf(w, "  error          %s\n", r.Error)
		if r.Want != "" {
			fmt.Fprintf(w, "  expected       %s at position %d\n", r.Want, r.Position)
		}
		if r.WantCheck != "" {
			fmt.Fprintf(w, "  expected       %s at position 18, once position 17 is corrected\n", r.WantCheck)
		}
	}
	if r.Code != "" && r.Code != r.Input {
		fmt.Fprintf(w, "  canonical      %s\n", r.Code)
	}
	if r.Authority != nil {
		fmt.Fprintf(w, "  authority      %s\n", categoryLine(r.Authority))
		fmt.Fprintf(w, "  entity type    %s\n", categoryLine(r.EntityType))
	}
	if d := r.Division; d != nil {
		if d.Known {
			fmt.Fprintf(w, "  division       %s %s\n", d.Code, d.FullName)
		} else {
			fmt.Fprintf(w, "  division       %s (not in the 2023 division tables)\n", d.Code)
		}
	}
	if r.Sector != "" {
		fmt.Fprintf(w, "  sector         %s\n", r.Sector)
	}
	if o := r.OrgCode; o != nil {
		if o.Valid {
			fmt.Fprintf(w, "  org code       %s (valid)\n", o.Code)
		} else {
			fmt.Fprintf(w, "  org code       %s (invalid: check character should be %s)\n", o.Code, o.Want)
		}
	}
}

func categoryLine(c *codeCategory) string {
	if c.Name == "" {
		return c.Code + " (not in GB 32100)"
	}
	return fmt.Sprintf("%s  %s  %s", c.Code, c.Name, c.English)
}
