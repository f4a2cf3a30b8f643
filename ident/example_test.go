package ident_test

import (
	"errors"
	"fmt"

	"github.com/gongshi/gongshi/ident"
)

func ExampleParseUSCC() {
	u, err := ident.ParseUSCC("914403001922038216")
	if err != nil {
		fmt.Println(err)
		return
	}
	d, _ := u.Division()
	fmt.Println(u.Authority().Name, u.EntityType().Name)
	fmt.Println(u.DivisionCode(), d.FullName())
	fmt.Println(u.OrgCode().Hyphenated())
	// Output:
	// 工商 企业
	// 440300 广东省深圳市
	// 19220382-1
}

func ExampleParseUSCC_errors() {
	for _, s := range []string{
		"91440300192203821",
		"91440300I92203821X",
		"91440300192203821X",
		"914403001922038236",
	} {
		_, err := ident.ParseUSCC(s)
		fmt.Println(err)
	}
	// Output:
	// USCC "91440300192203821": 17 characters, want 18
	// USCC "91440300I92203821X": illegal character 'I' at position 9 (USCC characters are 0-9 and A-H J-N P-R T-U W-Y)
	// USCC "91440300192203821X": check character at position 18 is 'X', should be '6'
	// USCC "914403001922038236": check character of the organisation code at position 17 is '3', should be '1'
}

func ExampleError() {
	_, err := ident.ParseCode("440301103097414")
	var e *ident.Error
	if errors.As(err, &e) && e.Problem == ident.ProblemCheck {
		fmt.Printf("%v: position %d should be %c\n", e.Kind, e.Pos, e.Want)
	}
	// Output:
	// registration number: position 15 should be 3
}

func ExampleParseCode() {
	for _, s := range []string{"91110108551385082Q", "110108012660422"} {
		c, err := ident.ParseCode(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(c.Kind(), c, c.DivisionCode())
	}
	// Output:
	// USCC 91110108551385082Q 110108
	// registration number 110108012660422 110108
}

func ExampleParseOrgCode() {
	o, err := ident.ParseOrgCode("d2143569-x")
	fmt.Println(o, o.Hyphenated(), err)
	// Output:
	// D2143569X D2143569-X <nil>
}

func ExampleParseRegNo() {
	r, err := ident.ParseRegNo("440301103097413")
	if err != nil {
		fmt.Println(err)
		return
	}
	d, _ := r.Division()
	fmt.Println(d.FullName(), r.Sector())
	// Output:
	// 广东省深圳市市辖区 内资企业 (domestic enterprise)
}

func ExampleUSCCCheckChar() {
	c, _ := ident.USCCCheckChar("9144030071526726X")
	fmt.Printf("%c\n", c)
	// Output:
	// G
}

func ExampleOrgCodeCheckChar() {
	c, _ := ident.OrgCodeCheckChar("59467239")
	fmt.Printf("%c\n", c)
	// Output:
	// 9
}

func ExampleGenerateUSCC() {
	for seq := uint64(1); seq <= 3; seq++ {
		u, err := ident.GenerateUSCC(ident.AuthorityMarket, ident.EntityEnterprise, "310115", seq)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(u)
	}
	// Output:
	// 91310115K5DBR5404G
	// 913101157ANDX77X5Y
	// 91310115TG0G29BU5L
}

func ExampleGenerateRegNo() {
	r, _ := ident.GenerateRegNo("310115", 1_0000042)
	fmt.Println(r, r.Sector())
	// Output:
	// 310115100000420 内资企业 (domestic enterprise)
}
