package catalogue

// The messages of the regulator's listing form, the draw desk and the public case form.
func init() {
	for k, v := range regulatorMessages {
		messages[k] = v
	}
}

var regulatorMessages = map[string][2]string{
	"listing.action":   {"列入经营异常名录", "List on the abnormal list"},
	"listing.title":    {"作出列入经营异常名录决定", "Decide a listing"},
	"listing.note":     {"公示信息隐瞒真实情况、弄虚作假，或通过登记的住所无法联系的，自查实之日起10个工作日内作出列入决定（《企业经营异常名录管理暂行办法》）。决定即时公示。", "Information concealed or falsified, or unreachable at the registered address: decide within 10 working days of verifying the fact (SAIC Order 68). The decision is published at once."},
	"listing.verified": {"查实日期", "Date the fact was verified"},
	"listing.facts":    {"查实的事实", "Facts verified"},
	"listing.submit":   {"作出决定并公示", "Decide and publish"},

	"revocation.action": {"吊销营业执照", "Revoke the business licence"},
	"revocation.title":  {"作出吊销营业执照决定", "Decide a licence revocation"},
	"revocation.note":   {"自2024年5月1日起，企业连续2年未按规定报送年度报告，且通过登记的住所或者经营场所无法联系（已因此列入经营异常名录）的，吊销营业执照（《企业信息公示暂行条例》2024年修订，国务院令第777号）。登记系统核对当日的条件，逐项说明不符合之处。决定即时公示，登记状态改为吊销。", "From 1 May 2024, an enterprise that has not filed its annual reports for 2 consecutive years and cannot be reached at its registered address (and is listed for it) has its licence revoked (Decree 777). The register checks the conditions on the day and names each one unmet. The decision is published at once and the status becomes 吊销."},
	"revocation.submit": {"作出决定并公示", "Decide and publish"},

	"desk.title":        {"双随机抽查工作台", "Spot-check desk"},
	"desk.note":         {"制定抽查计划：不定向（辖区内全部企业）或定向（按区划、类型、登记状态分层）。抽取数不得低于政策规定的最低比例。计划公布名录摘要和种子承诺；抽取时公布种子。", "Plan a draw: undirected (every enterprise of the jurisdiction) or directed (a stratum by district, type, status). The sample may not be below the policy minimum. The plan publishes the population digest and the seed commitment; the draw reveals the seed."},
	"desk.population":   {"抽查对象数", "population"},
	"desk.minimum":      {"最低抽取数", "minimum sample"},
	"desk.plan":         {"抽查计划", "Draw plan"},
	"desk.stratum.hint": {"定向抽查时按所填区划、类型和登记状态确定抽查对象；区划代码可填多个，以逗号分隔。", "For a directed draw the population is the enterprises matching the divisions, type and status given; separate several division codes with commas."},
	"desk.preview":      {"计算抽查对象数和最低抽取数", "Count the population and its minimum"},
	"desk.doplan":       {"公布抽查计划", "Publish the plan"},
	"desk.public":       {"公示页", "Public page"},
	"desk.publicpage":   {"查看公示页（含验证数据）", "See the public page (with its verification data)"},
	"desk.run.note":     {"抽取将公布种子；结果由种子和名录唯一确定，任何人都可复核。", "The draw reveals the seed; the result follows from the seed and the population alone, and anyone can re-derive it."},
	"desk.run":          {"抽取", "Run the draw"},
	"desk.recorded":     {"检查结果已公示。", "The result is published."},
	"desk.inspectors":   {"检查人员", "Inspectors"},
	"desk.result":       {"录入检查结果", "Record a check result"},
	"desk.record":       {"公示检查结果", "Publish the result"},

	"draw.any":                {"不限", "any"},
	"draw.directed.label":     {"定向抽查（按下列条件）", "Directed (by the stratum below)"},
	"draw.stratum.divisions":  {"区划代码", "Division codes"},
	"draw.stratum.types":      {"企业类型", "Enterprise type"},
	"draw.stratum.statuses":   {"登记状态", "Registration status"},
	"draw.stratum.industries": {"行业门类（GB/T 4754-2017）", "Industry section (GB/T 4754-2017)"},
	"draw.stratum.sizes":      {"企业规模（按注册资本）", "Size (by registered capital)"},
	"draw.samplesize":         {"抽取数", "Sample size"},
	"draw.per":                {"每户检查人员数", "Inspectors per enterprise"},

	"result.method":                    {"检查方式", "Method"},
	"result.method.written":            {"书面检查", "written"},
	"result.method.on_site":            {"实地核查", "on site"},
	"result.method.network":            {"网络监测", "network monitoring"},
	"result.method.delegated":          {"委托专业机构", "delegated to a firm"},
	"result.firm":                      {"受委托机构（委托检查时填写）", "Firm (when delegated)"},
	"result.findings":                  {"检查情况", "Findings"},
	"result.outcome.normal":            {"未发现问题", "normal"},
	"result.outcome.not_disclosed":     {"未按规定公示（责令公示）", "item not disclosed (order)"},
	"result.outcome.false_information": {"公示信息隐瞒真实情况、弄虚作假", "false information"},
	"result.outcome.unreachable":       {"通过登记的住所无法联系", "unreachable"},
	"result.outcome.non_cooperation":   {"不予配合情节严重", "serious non-cooperation"},

	"casenew.link":       {"举报、询问或申请更正", "Report, ask or request a correction"},
	"casenew.title":      {"举报、询问、更正申请", "Report, inquiry or correction request"},
	"casenew.note":       {"任何人都可举报企业公示信息虚假、询问公示信息或申请更正（条例第十二条、第十三条）。受理后给出案件编号和答复期限（20个工作日）。", "Anyone may report false information, ask about disclosed information or request its correction (Art. 12, 13). You get a case number and the answer's due date (20 working days)."},
	"casenew.about":      {"事项", "The matter"},
	"casenew.enterprise": {"企业统一社会信用代码或注册号", "Enterprise's USCC or registration number"},
	"casenew.record":     {"所涉记录编号（可选）", "Record concerned (optional)"},
	"casenew.division":   {"询问的区划代码（未涉及具体企业时）", "Division asked (an inquiry about no one enterprise)"},
	"casenew.evidence":   {"证据链接（可选）", "Evidence link (optional)"},
	"casenew.private":    {"以下信息仅供受理机关答复使用，不予公示。举报须提供身份证件号码。", "Used only by the regulator to answer you; never made public. A report names its reporter's identity document number."},
	"casenew.name":       {"姓名", "Name"},
	"casenew.idno":       {"身份证件号码", "Identity document number"},
	"casenew.phone":      {"电话", "Phone"},
	"casenew.email":      {"电子邮箱", "E-mail"},
	"casenew.address":    {"通讯地址", "Postal address"},
	"casenew.submit":     {"提交", "Submit"},
	"casenew.filed":      {"已受理", "Received"},
	"casenew.keep":       {"请保存案件编号和查询码，凭二者查询办理状态。查询码不会再次显示。", "Keep the case number and the check code: you need both to look up the case's state. The check code is not shown again."},
}
