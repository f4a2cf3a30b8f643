package ident

import (
	"errors"
	"testing"
)

// Real codes, published on business licences and in the national publicity system, each
// checked here by both check characters. Organisation codes and registration numbers of the
// same enterprises are in the tables below.
var realUSCCs = []struct {
	code, name string
}{
	{"914403001922038216", "华为技术有限公司"},
	{"9144030071526726XG", "腾讯科技（深圳）有限公司"},
	{"91440300708461136T", "深圳市腾讯计算机系统有限公司"},
	{"91330100799655058B", "阿里巴巴（中国）有限公司"},
	{"91110108551385082Q", "小米科技有限责任公司"},
	{"91110000802100433B", "北京百度网讯科技有限公司"},
	{"91310115591693856A", "a Shanghai Pudong company (hutool test data)"},
	{"91310110666007217T", "a Shanghai Yangpu company (hutool test data)"},
	{"91350100M000100Y43", "the example of GB 32100-2015"},
	{"91512081MA62K0260E", "a Sichuan company, a worked example of the algorithm"},
	{"91350200MA2YJ1XR9G", "a Xiamen company"},
	{"9135021359498494XQ", "a Xiamen company"},
	{"91440101MA5CJQ4N59", "a Guangzhou company"},
	{"123502001549897397", "a Xiamen public institution (12: 机构编制, 事业单位)"},
}

var realRegNos = []struct {
	code, name string
}{
	{"440301103097413", "华为技术有限公司"},
	{"110108012660422", "小米科技有限责任公司"},
	{"110108000000016", "the example of GS 15-2006"},
	{"410000100015088", "a Henan company"},
}

var realOrgCodes = []struct {
	code, name string
}{
	{"19220382-1", "华为技术有限公司"},
	{"55138508-2", "小米科技有限责任公司"},
	{"71526726-X", "腾讯科技（深圳）有限公司"},
	{"79965505-8", "阿里巴巴（中国）有限公司"},
	{"D2143569-X", "the example of GB 11714-1997"},
	{"59467239-9", "a worked example of the algorithm"},
}

func TestParseUSCCReal(t *testing.T) {
	for _, tt := range realUSCCs {
		u, err := ParseUSCC(tt.code)
		if err != nil {
			t.Errorf("ParseUSCC(%q) (%s): %v", tt.code, tt.name, err)
			continue
		}
		if got := u.String(); got != tt.code {
			t.Errorf("ParseUSCC(%q).String() = %q, want %q", tt.code, got, tt.code)
		}
		if !u.OrgCode().Valid() {
			t.Errorf("ParseUSCC(%q).OrgCode() = %v, not valid", tt.code, u.OrgCode())
		}
	}
}

func TestParseRegNoReal(t *testing.T) {
	for _, tt := range realRegNos {
		r, err := ParseRegNo(tt.code)
		if err != nil {
			t.Errorf("ParseRegNo(%q) (%s): %v", tt.code, tt.name, err)
			continue
		}
		if got := r.String(); got != tt.code {
			t.Errorf("ParseRegNo(%q).String() = %q, want %q", tt.code, got, tt.code)
		}
	}
}

func TestParseOrgCodeReal(t *testing.T) {
	for _, tt := range realOrgCodes {
		o, err := ParseOrgCode(tt.code)
		if err != nil {
			t.Errorf("ParseOrgCode(%q) (%s): %v", tt.code, tt.name, err)
			continue
		}
		if got := o.Hyphenated(); got != tt.code {
			t.Errorf("ParseOrgCode(%q).Hyphenated() = %q, want %q", tt.code, got, tt.code)
		}
		plain := tt.code[:8] + tt.code[9:]
		if got := o.String(); got != plain {
			t.Errorf("ParseOrgCode(%q).String() = %q, want %q", tt.code, got, plain)
		}
		if o2, err := ParseOrgCode(plain); err != nil || o2 != o {
			t.Errorf("ParseOrgCode(%q) = %v, %v; want %v, nil", plain, o2, err, o)
		}
	}
}

func TestDecomposeUSCC(t *testing.T) {
	u, err := ParseUSCC("914403001922038216")
	if err != nil {
		t.Fatal(err)
	}
	if a := u.Authority(); a.Code != '9' || a.Name != "工商" {
		t.Errorf("Authority() = %+v, want 9 工商", a)
	}
	if e := u.EntityType(); e.Code != '1' || e.Name != "企业" {
		t.Errorf("EntityType() = %+v, want 1 企业", e)
	}
	if got := u.DivisionCode(); got != "440300" {
		t.Errorf("DivisionCode() = %q, want 440300", got)
	}
	if d, ok := u.Division(); !ok || d.Province != "广东省" || d.City != "深圳市" || d.District != "" {
		t.Errorf("Division() = %+v, %v; want 广东省 深圳市", d, ok)
	}
	if got := u.OrgCode().Hyphenated(); got != "19220382-1" {
		t.Errorf("OrgCode() = %q, want 19220382-1", got)
	}

	u, _ = ParseUSCC("91310115591693856A")
	if d, ok := u.Division(); !ok || d.FullName() != "上海市浦东新区" {
		t.Errorf("Division() = %+v, %v; want 上海市浦东新区", d, ok)
	}
	u, _ = ParseUSCC("123502001549897397")
	if a, e := u.Authority(), u.EntityType(); a.Name != "机构编制" || e.Name != "事业单位" {
		t.Errorf("12…: Authority, EntityType = %+v, %+v; want 机构编制, 事业单位", a, e)
	}
	if _, ok := LookupEntityType('9', '4'); ok {
		t.Error("LookupEntityType('9', '4') found; GB 32100 has no 94")
	}
	if c, ok := LookupAuthority('n'); !ok || c.Name != "农业" {
		t.Errorf("LookupAuthority('n') = %+v, %v; want 农业", c, ok)
	}
}

func TestDecomposeRegNo(t *testing.T) {
	r, err := ParseRegNo("110108012660422")
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := r.Division(); !ok || d.FullName() != "北京市海淀区" {
		t.Errorf("Division() = %+v, %v; want 北京市海淀区", d, ok)
	}
	if s := r.Sector(); s != SectorDomestic {
		t.Errorf("Sector() = %v, want %v", s, SectorDomestic)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		kind Kind
		in   string
		want Error
		msg  string
	}{
		{KindUSCC, "9144030019220382", Error{Problem: ProblemLength, Len: 16}, `USCC "9144030019220382": 16 characters, want 18`},
		{KindUSCC, "", Error{Problem: ProblemLength}, `USCC "": 0 characters, want 18`},
		{KindUSCC, "9144O3001922038216", Error{Problem: ProblemChar, Pos: 5, Got: 'O'}, `USCC "9144O3001922038216": illegal character 'O' at position 5 (USCC characters are 0-9 and A-H J-N P-R T-U W-Y)`},
		{KindUSCC, "91440300192203821S", Error{Problem: ProblemChar, Pos: 18, Got: 'S'}, ""},
		{KindUSCC, "9144A3001922038216", Error{Problem: ProblemChar, Pos: 5, Got: 'A'}, `USCC "9144A3001922038216": illegal character 'A' at position 5 (characters 3-8 of a USCC, the division code, are digits)`},
		{KindUSCC, "91440300192203821６", Error{Problem: ProblemChar, Pos: 18, Got: '６'}, ""},
		{KindUSCC, "9144030019220382 6", Error{Problem: ProblemChar, Pos: 17, Got: ' '}, ""},
		{KindUSCC, "91440300192203821X", Error{Problem: ProblemCheck, Pos: 18, Got: 'X', Want: '6'}, `USCC "91440300192203821X": check character at position 18 is 'X', should be '6'`},
		{KindUSCC, "914403001922038236", Error{Problem: ProblemCheck, Pos: 17, Got: '3', Want: '1'}, `USCC "914403001922038236": check character of the organisation code at position 17 is '3', should be '1'`},
		{KindRegNo, "44030110309741", Error{Problem: ProblemLength, Len: 14}, `registration number "44030110309741": 14 characters, want 15`},
		{KindRegNo, "44030110309741A", Error{Problem: ProblemChar, Pos: 15, Got: 'A'}, `registration number "44030110309741A": illegal character 'A' at position 15 (registration numbers are digits)`},
		{KindRegNo, "440301103097414", Error{Problem: ProblemCheck, Pos: 15, Got: '4', Want: '3'}, `registration number "440301103097414": check character at position 15 is '4', should be '3'`},
		{KindOrgCode, "19220382", Error{Problem: ProblemLength, Len: 8}, `organisation code "19220382": 8 characters, want 9, or 10 with the hyphen`},
		{KindOrgCode, "19220382 1", Error{Problem: ProblemChar, Pos: 9, Got: ' '}, ""},
		{KindOrgCode, "1922038-21", Error{Problem: ProblemChar, Pos: 8, Got: '-'}, ""},
		{KindOrgCode, "19220382-A", Error{Problem: ProblemChar, Pos: 10, Got: 'A'}, `organisation code "19220382-A": illegal character 'A' at position 10 (the check character of an organisation code is 0-9 or X)`},
		{KindOrgCode, "19220382-2", Error{Problem: ProblemCheck, Pos: 10, Got: '2', Want: '1'}, `organisation code "19220382-2": check character at position 10 is '2', should be '1'`},
		{KindOrgCode, "192203822", Error{Problem: ProblemCheck, Pos: 9, Got: '2', Want: '1'}, ""},
		{KindUnknown, "1234", Error{Problem: ProblemLength, Len: 4}, `code "1234": 4 characters, want 18 (USCC) or 15 (registration number)`},
	}
	for _, tt := range tests {
		var err error
		switch tt.kind {
		case KindUSCC:
			_, err = ParseUSCC(tt.in)
		case KindRegNo:
			_, err = ParseRegNo(tt.in)
		case KindOrgCode:
			_, err = ParseOrgCode(tt.in)
		default:
			_, err = ParseCode(tt.in)
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("parse %v %q: error %v, want an *Error", tt.kind, tt.in, err)
			continue
		}
		want := tt.want
		want.Kind, want.Input, want.hint, want.wantLen = tt.kind, tt.in, e.hint, e.wantLen
		if *e != want {
			t.Errorf("parse %v %q: got %+v, want %+v", tt.kind, tt.in, *e, want)
		}
		if tt.msg != "" && e.Error() != tt.msg {
			t.Errorf("parse %v %q: got message\n\t%s\nwant\n\t%s", tt.kind, tt.in, e.Error(), tt.msg)
		}
	}
}

func TestParseCode(t *testing.T) {
	c, err := ParseCode("914403001922038216")
	if u, ok := c.USCC(); err != nil || c.Kind() != KindUSCC || !ok || u.String() != "914403001922038216" {
		t.Errorf("ParseCode(USCC) = %v (%v), %v", c, c.Kind(), err)
	}
	c, err = ParseCode("440301103097413")
	if r, ok := c.RegNo(); err != nil || c.Kind() != KindRegNo || !ok || r.String() != "440301103097413" {
		t.Errorf("ParseCode(RegNo) = %v (%v), %v", c, c.Kind(), err)
	}
	if c.DivisionCode() != "440301" {
		t.Errorf("DivisionCode() = %q, want 440301", c.DivisionCode())
	}
	c, err = ParseCode("91440300192203821X")
	if err == nil || !c.IsZero() {
		t.Errorf("ParseCode(bad check) = %v, %v; want zero Code and an error", c, err)
	}
}

func TestLowerCase(t *testing.T) {
	u, err := ParseUSCC("9144030071526726xg")
	if err != nil || u.String() != "9144030071526726XG" {
		t.Errorf("ParseUSCC(lower case) = %v, %v; want 9144030071526726XG", u, err)
	}
	o, err := ParseOrgCode("d2143569-x")
	if err != nil || o.String() != "D2143569X" {
		t.Errorf("ParseOrgCode(lower case) = %v, %v; want D2143569X", o, err)
	}
}

func TestCheckChars(t *testing.T) {
	if c, err := USCCCheckChar("9144030071526726X"); err != nil || c != 'G' {
		t.Errorf("USCCCheckChar = %q, %v; want 'G'", c, err)
	}
	if c, err := OrgCodeCheckChar("D2143569"); err != nil || c != 'X' {
		t.Errorf("OrgCodeCheckChar = %q, %v; want 'X'", c, err)
	}
	if c, err := RegNoCheckDigit("44030110309741"); err != nil || c != '3' {
		t.Errorf("RegNoCheckDigit = %q, %v; want '3'", c, err)
	}
	if _, err := USCCCheckChar("9144030071526726"); err == nil || err.Error() != `USCC "9144030071526726": 16 characters, want 17 (a USCC without its check character)` {
		t.Errorf("USCCCheckChar(short): %v", err)
	}
	if _, err := OrgCodeCheckChar("D214356-"); err == nil {
		t.Error("OrgCodeCheckChar(D214356-): no error")
	}
	if _, err := RegNoCheckDigit("4403011030974X"); err == nil {
		t.Error("RegNoCheckDigit(…X): no error")
	}
}
