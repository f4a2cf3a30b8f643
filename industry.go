package gongshi

import (
	"strconv"
	"strings"
)

// Industries are the sections (门类) of the national industrial classification, GB/T
// 4754-2017 国民经济行业分类: A 农、林、牧、渔业 … T 国际组织 (their names are in package
// catalogue). A registration may name its enterprise's section (field "industry"); the
// register keeps the section only, not the division, group or class below it, which is
// what a draw's stratum needs (SPEC §6) and what a registrar can state without a code list
// of some 1,400 classes.
var Industries = []string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T"}

// The sizes of an enterprise in a stratum (企业规模), by its registered capital.
//
// What we assumed: 统计上大中小微型企业划分办法 (国家统计局, 2017) sizes an enterprise by
// its industry's thresholds of employees (从业人员), operating revenue (营业收入) and total
// assets (资产总额). The register holds those only in annual reports, where the
// enterprise chooses whether to publish them (2014 Regulations Art. 9(2)); a draw publishes
// its population, so a stratum on them would reveal, of every enterprise, figures it chose
// to keep private. A stratum by size therefore uses the one public figure of size the
// register logs, the registered capital (注册资本) of the latest registration, in bands:
// micro below 1 million yuan (100万元), small below 10 million, medium below 100 million,
// large from 100 million. Capital in another currency than yuan, or none (individual
// businesses, most partnerships), is "unstated": converting would need an exchange rate the
// log does not hold. Changing the bands would change what a published stratum meant: add
// new size names instead.
const (
	SizeMicro    = "micro"    // registered capital below 100万元
	SizeSmall    = "small"    // 100万元 to below 1000万元
	SizeMedium   = "medium"   // 1000万元 to below 1亿元
	SizeLarge    = "large"    // 1亿元 and more
	SizeUnstated = "unstated" // no registered capital, or in a currency other than yuan
)

// Sizes are the size bands, smallest first.
var Sizes = []string{SizeMicro, SizeSmall, SizeMedium, SizeLarge, SizeUnstated}

// sizeBands are the bands' upper bounds in 万元 (exclusive), in the order of Sizes.
var sizeBands = []int64{100, 1000, 10000}

// SizeOf is the size band of a registration body (see SizeMicro).
func SizeOf(body map[string]any) string {
	capital := stringField(body, "registered_capital")
	if capital == "" || (stringField(body, "currency") != "" && stringField(body, "currency") != "CNY") {
		return SizeUnstated
	}
	// Against whole bounds, the integer part decides: x < n exactly when ⌊x⌋ < n.
	whole, _, _ := strings.Cut(capital, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return SizeUnstated
	}
	for i, bound := range sizeBands {
		if n < bound {
			return Sizes[i]
		}
	}
	return SizeLarge
}
