package ident

// Category is an entry of the code tables of GB 32100-2015 (Table 1, as amended): a
// registration-authority category (position 1 of a USCC) or an entity type (position 2).
type Category struct {
	Code    byte   // the character, e.g. '9'
	Name    string // the standard's Chinese name, e.g. "工商"; "" when not in the table
	English string // an English rendering, e.g. "industry and commerce (market regulation)"
}

type authority struct {
	Category
	types []Category
}

// authorities is Table 1 of GB 32100-2015 with its amendments (A: the Central Military
// Commission's office for reform and organisation; N: agriculture, for rural collective
// economic organisations). Market regulation (工商, since 2018 市场监管) is '9'.
var authorities = []authority{
	{Category{'1', "机构编制", "establishment administration"}, []Category{
		{'1', "机关", "government organ"},
		{'2', "事业单位", "public institution"},
		{'3', "中央编办直接管理机构编制的群众团体", "mass organisation under the central establishment office"},
		{'9', "其他", "other"},
	}},
	{Category{'2', "外交", "foreign affairs"}, []Category{
		{'1', "外国常驻新闻机构", "resident foreign news agency"},
		{'9', "其他", "other"},
	}},
	{Category{'3', "司法行政", "justice administration"}, []Category{
		{'1', "律师执业机构", "law firm"},
		{'2', "公证处", "notary office"},
		{'3', "基层法律服务所", "grassroots legal service office"},
		{'4', "司法鉴定机构", "forensic appraisal institution"},
		{'5', "仲裁委员会", "arbitration commission"},
		{'9', "其他", "other"},
	}},
	{Category{'4', "文化", "culture"}, []Category{
		{'1', "外国在华文化中心", "foreign cultural centre in China"},
		{'9', "其他", "other"},
	}},
	{Category{'5', "民政", "civil affairs"}, []Category{
		{'1', "社会团体", "social organisation"},
		{'2', "民办非企业单位", "private non-enterprise unit"},
		{'3', "基金会", "foundation"},
		{'9', "其他", "other"},
	}},
	{Category{'6', "旅游", "tourism"}, []Category{
		{'1', "外国旅游部门常驻代表机构", "representative office of a foreign tourism authority"},
		{'2', "港澳台地区旅游部门常驻内地（大陆）代表机构", "representative office of a Hong Kong, Macao or Taiwan tourism authority"},
		{'9', "其他", "other"},
	}},
	{Category{'7', "宗教", "religious affairs"}, []Category{
		{'1', "宗教活动场所", "place of religious activity"},
		{'2', "宗教院校", "religious school"},
		{'9', "其他", "other"},
	}},
	{Category{'8', "工会", "trade unions"}, []Category{
		{'1', "基层工会", "grassroots trade union"},
		{'9', "其他", "other"},
	}},
	{Category{'9', "工商", "industry and commerce (market regulation)"}, []Category{
		{'1', "企业", "enterprise"},
		{'2', "个体工商户", "individual business"},
		{'3', "农民专业合作社", "farmer cooperative"},
	}},
	{Category{'A', "中央军委改革和编制办公室", "Central Military Commission reform and establishment office"}, []Category{
		{'1', "军队事业单位", "military public institution"},
		{'9', "其他", "other"},
	}},
	{Category{'N', "农业", "agriculture"}, []Category{
		{'1', "组级集体经济组织", "group-level collective economic organisation"},
		{'2', "村级集体经济组织", "village-level collective economic organisation"},
		{'3', "乡镇级集体经济组织", "township-level collective economic organisation"},
		{'9', "其他", "other"},
	}},
	{Category{'Y', "其他", "other"}, []Category{
		{'1', "其他", "other"}, // the standard does not subdivide Y: its entities are all Y1
	}},
}

// Authority characters of market regulation (position 1) and its entity types (position 2).
const (
	AuthorityMarket         = '9' // 工商 / 市场监管
	EntityEnterprise        = '1' // 91: 企业
	EntityIndividual        = '2' // 92: 个体工商户
	EntityFarmerCooperative = '3' // 93: 农民专业合作社
)

// LookupAuthority returns the registration-authority category with the given character
// (position 1 of a USCC; either case). For a character not in the table it returns a Category
// with only Code set, and false.
func LookupAuthority(c byte) (Category, bool) {
	c = upper(c)
	for _, a := range authorities {
		if a.Code == c {
			return a.Category, true
		}
	}
	return Category{Code: c}, false
}

// LookupEntityType returns the entity type t (position 2 of a USCC) of the registration
// authority a (position 1). For a pair not in the table it returns a Category with only Code
// set, and false.
func LookupEntityType(a, t byte) (Category, bool) {
	a, t = upper(a), upper(t)
	for _, x := range authorities {
		if x.Code != a {
			continue
		}
		for _, y := range x.types {
			if y.Code == t {
				return y, true
			}
		}
	}
	return Category{Code: t}, false
}

// Authorities returns the registration-authority categories of GB 32100 in table order.
func Authorities() []Category {
	out := make([]Category, len(authorities))
	for i, a := range authorities {
		out[i] = a.Category
	}
	return out
}

// EntityTypes returns the entity types of the registration authority a in table order, or nil
// when a is not in the table.
func EntityTypes(a byte) []Category {
	for _, x := range authorities {
		if x.Code == upper(a) {
			return append([]Category(nil), x.types...)
		}
	}
	return nil
}
