package catalogue

// kindEN and fieldEN name record kinds and their fields in English; their Chinese names
// are the kinds' own labels (gongshi.Kind).
var kindEN = map[string]string{
	"registration": "Registration", "chattel_mortgage": "Chattel mortgage", "equity_pledge": "Equity pledge",
	"penalty": "Administrative penalty", "licence": "Administrative licence", "ip_pledge": "IP pledge",
	"capital_contribution": "Shareholders' capital contribution", "equity_transfer": "Equity transfer",
	"annual_report": "Annual report",
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
	"after_percent": "Share after (%)", "transferred": "Transferred on",
}

// enumLabels names the enum codes of every kind's fields: code → {Chinese, English}.
var enumLabels = map[string][2]string{
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
