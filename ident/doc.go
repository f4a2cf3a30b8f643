// Package ident parses, validates, decomposes and generates the codes that identify
// enterprises and other organisations in China:
//
//   - USCC, the unified social credit code (统一社会信用代码) of GB 32100-2015 (法人和其他组织
//     统一社会信用代码编码规则): 18 characters, issued since 2015 to every legal person and other
//     organisation; the code the register is keyed by.
//   - RegNo, the registration number (注册号) of GS 15-2006 (工商行政管理市场主体注册号编制规则):
//     15 digits on business licences from 2007 until the USCC replaced it; still how entities
//     registered before then are found in older documents.
//   - OrgCode, the organisation code (组织机构代码) of GB 11714-1997 (全国组织机构代码编制规则):
//     9 characters, printed XXXXXXXX-X; positions 9–17 of a USCC.
//
// Each type documents its format and check-character algorithm. All three are comparable value
// types whose zero value means "no code"; a non-zero value obtained from a parser without error
// or from a generator is valid. They marshal to text in canonical form (upper case; the
// organisation code without its hyphen) and are stored in SQL as that text, with NULL for the
// zero value.
//
// Parsers accept lower-case letters, and the organisation code with or without its hyphen,
// but nothing else that is not canonical (no spaces, no full-width characters). Every parse error
// is an *Error that names the kind of code, the input, and exactly what is wrong: the length,
// an illegal character and its position, or a wrong check character and the one it should be.
// ParseCode accepts either a USCC or a registration number, as every lookup in gongshi does.
//
// GenerateUSCC and GenerateRegNo make valid codes for demo data and tests.
package ident
