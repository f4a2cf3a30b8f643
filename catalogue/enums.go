package catalogue

// kindEN and fieldEN name record kinds and their fields in English; their Chinese names
// are the kinds' own labels (gongshi.Kind).
var kindEN = map[string]string{
	"registration": "Registration", "chattel_mortgage": "Chattel mortgage", "equity_pledge": "Equity pledge",
	"penalty": "Administrative penalty", "licence": "Administrative licence", "ip_pledge": "IP pledge",
	"capital_contribution": "Shareholders' capital contribution", "equity_transfer": "Equity transfer",
	"annual_report": "Annual report", "check_item": "Spot-check item",
}

var fieldEN = map[string]string{
	"name": "Name", "type": "Type", "legal_representative": "Legal representative", "registered_capital": "Registered capital (10k)",
	"currency": "Currency", "established": "Established", "term_to": "Term to", "address": "Address", "scope": "Business scope",
	"status": "Status", "shareholders": "Shareholders", "kind": "Kind", "id_number": "ID number", "subscribed": "Subscribed (10k)",
	"key_personnel": "Key personnel", "position": "Position", "branches": "Branches", "code": "Code", "contact_phone": "Contact phone",
	"registration_no": "Registration no.", "mortgagee": "Mortgagee", "secured_amount": "Secured amount (10k)", "collateral": "Collateral",
	"term_from": "Term from", "pledgor": "Pledgor", "pledgor_id_number": "Pledgor ID number", "pledgee": "Pledgee", "amount": "Amount (10k)",
	"decision_no": "Decision no.", "violation": "Violation", "basis": "Legal basis", "content": "Content", "fine": "Fine (yuan)",
	"minor": "Minor (criticism or small fine)", "authority": "Deciding authority", "decided": "Decided", "licence_no": "Licence no.",
	"action": "Action", "issuer": "Issuer", "valid_from": "Valid from", "valid_to": "Valid to", "ip_type": "IP type", "ip_no": "IP number",
	"ip_name": "IP name", "shareholder": "Shareholder", "subscribed_date": "Subscribed on", "subscribed_form": "Subscription form",
	"paid": "Paid in (10k)", "paid_date": "Paid on", "paid_form": "Payment form", "before_percent": "Share before (%)",
	"after_percent": "Share after (%)", "transferred": "Transferred on", "industry": "Industry (section)",
	"category": "Category", "object": "Checked", "methods": "Methods", "method": "Method", "state": "State",
}

// enumLabels names the enum codes of every kind's fields: code → {Chinese, English}.
// kindEnumLabels name a kind's enum codes where the kind's decision reads otherwise than
// the code's common name, by "kind.code".
var kindEnumLabels = map[string][2]string{
	"credit_repair.refused":         {"不予信用修复", "Not repaired"},
	"serious_early_removal.refused": {"不予提前移出", "Not removed early"},
}

var enumLabels = map[string][2]string{
	// The sections of GB/T 4754-2017 (gongshi.Industries).
	"A": {"A 农、林、牧、渔业", "A Agriculture, forestry, animal husbandry and fishery"}, "B": {"B 采矿业", "B Mining"},
	"C": {"C 制造业", "C Manufacturing"}, "D": {"D 电力、热力、燃气及水生产和供应业", "D Electricity, heat, gas and water"},
	"E": {"E 建筑业", "E Construction"}, "F": {"F 批发和零售业", "F Wholesale and retail"},
	"G": {"G 交通运输、仓储和邮政业", "G Transport, storage and post"}, "H": {"H 住宿和餐饮业", "H Accommodation and catering"},
	"I": {"I 信息传输、软件和信息技术服务业", "I Information transmission, software and IT services"}, "J": {"J 金融业", "J Finance"},
	"K": {"K 房地产业", "K Real estate"}, "L": {"L 租赁和商务服务业", "L Leasing and business services"},
	"M": {"M 科学研究和技术服务业", "M Scientific research and technical services"},
	"N": {"N 水利、环境和公共设施管理业", "N Water, environment and public facilities"},
	"O": {"O 居民服务、修理和其他服务业", "O Resident, repair and other services"}, "P": {"P 教育", "P Education"},
	"Q": {"Q 卫生和社会工作", "Q Health and social work"}, "R": {"R 文化、体育和娱乐业", "R Culture, sports and entertainment"},
	"S": {"S 公共管理、社会保障和社会组织", "S Public administration, social security and social organisations"},
	"T": {"T 国际组织", "T International organisations"},
	// The size bands of a stratum (gongshi.Sizes).
	"micro": {"微型（注册资本100万元以下）", "Micro (capital below 1m yuan)"}, "small": {"小型（注册资本100万至1000万元）", "Small (capital 1m–10m yuan)"},
	"medium": {"中型（注册资本1000万至1亿元）", "Medium (capital 10m–100m yuan)"}, "large": {"大型（注册资本1亿元以上）", "Large (capital 100m yuan or more)"},
	"unstated":       {"未登记人民币注册资本", "No registered capital in yuan"},
	"natural_person": {"自然人", "Natural person"}, "legal_person": {"法人", "Legal person"}, "other": {"其他", "Other"},
	"valid": {"有效", "Valid"}, "cancelled": {"已注销", "Cancelled"},
	"granted": {"准予", "Granted"}, "changed": {"变更", "Changed"}, "extended": {"延续", "Extended"}, "revoked": {"撤销", "Revoked"},
	"trademark": {"商标", "Trademark"}, "patent": {"专利", "Patent"}, "copyright": {"著作权", "Copyright"},
	"CNY": {"人民币", "CNY"}, "USD": {"美元", "USD"}, "EUR": {"欧元", "EUR"}, "HKD": {"港元", "HKD"}, "JPY": {"日元", "JPY"}, "GBP": {"英镑", "GBP"},
	"currency": {"货币", "Money"}, "in_kind": {"实物", "In kind"}, "intellectual_property": {"知识产权", "Intellectual property"},
	"land_use_right": {"土地使用权", "Land-use right"}, "equity": {"股权", "Equity"},
	"operating": {"开业", "Operating"}, "suspended": {"歇业", "Suspended"}, "liquidating": {"清算", "In liquidation"},
	"website": {"网站", "Website"}, "online_shop": {"网店", "Online shop"},
	"established": {"新设", "Established"}, "equity_purchase": {"购买股权", "Equity purchase"},
	"report": {"举报", "Report"}, "correction_request": {"更正申请", "Correction request"}, "inquiry": {"咨询", "Inquiry"},
	"unfounded": {"举报不实", "Unfounded"}, "false_information": {"公示信息隐瞒真实情况、弄虚作假", "False information"},
	"other_handling": {"其他处理", "Handled otherwise"}, "corrected": {"已更正", "Corrected"}, "refused": {"不予采纳", "Refused"},
	"abnormal": {"经营异常名录", "Abnormal operations list"}, "serious": {"严重违法失信企业名单", "Serious violations list"},
	"marked":   {"经营异常状态", "Abnormal operation status"},
	"in_force": {"有效", "In force"}, "void": {"已撤销", "Void"},
	"removed": {"准予移出", "Removed"}, "accepted": {"予以受理", "Accepted"}, "not_accepted": {"不予受理", "Not accepted"}, "rejected": {"不予支持", "Rejected"},
	"upheld": {"异议成立", "Upheld"}, "automatic": {"期满自动移出", "Removed automatically"},
	"capital_contribution": {"股东及出资信息", "Shareholders' capital contribution"}, "equity_transfer": {"股权变更信息", "Equity transfer"},
	"licence": {"行政许可信息", "Administrative licence"}, "ip_pledge": {"知识产权出质登记信息", "IP pledge"},
	"penalty": {"行政处罚信息", "Administrative penalty"},
	"open":    {"未履行", "Open"}, "fulfilled": {"已履行", "Fulfilled"},
	"written": {"书面检查", "Written"}, "on_site": {"实地核查", "On site"}, "network": {"网络监测", "Network monitoring"},
	"delegated": {"委托专业机构", "Delegated to a professional firm"},
	"normal":    {"未发现问题", "No problem found"}, "not_disclosed": {"未按规定公示应当公示的信息", "Information not disclosed"},
	"unreachable":     {"通过登记的住所或者经营场所无法联系", "Cannot be reached at its address"},
	"non_cooperation": {"不配合检查情节严重", "Seriously failed to cooperate"},
	"registration":    {"市场监管部门公示信息", "Published by the market regulator"}, "enterprise": {"企业公示信息", "Disclosed by the enterprise"},
	"department": {"其他部门公示信息", "Published by other departments"},
	"judicial":   {"司法协助信息", "Judicial assistance"},
	"planned":    {"已公布计划，待抽取", "Planned"}, "drawn": {"已抽取", "Drawn"},
	"repaired": {"准予信用修复", "Credit repaired"},
	"creditor": {"债权人", "Creditor"}, "employee": {"职工", "Employee"}, "tax": {"税务机关", "Tax authority"},
	"deregistered": {"准予简易注销", "Deregistered"},
	"freeze":       {"股权冻结", "Equity frozen"}, "unfreeze": {"解除冻结", "Equity unfrozen"}, "transfer": {"强制转让", "Compulsory transfer"},
	"clear": {"未列入", "On no list"}, "listed": {"已列入", "Listed"}, "invalid": {"代码有误", "Invalid code"}, "not_found": {"未找到", "Not found"},
}
