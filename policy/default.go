package policy

import (
	"sync"
	"time"

	"github.com/gongshi/gongshi/calendar"
)

// Dates from which the default entries apply.
var (
	// Decree 654 and the SAIC implementing orders of 2014 came into force on 1 Oct 2014.
	from2014 = calendar.MustDate(2014, time.October, 1)
	// Decree 777 (2024), amending Decree 654, came into force on 1 May 2024.
	from2024 = calendar.MustDate(2024, time.May, 1)
	// Simplified deregistration nationwide from 1 March 2017 (工商企注字〔2016〕253号 §5).
	from2017Simple = calendar.MustDate(2017, time.March, 1)
	// 国市监注发〔2021〕45号, dated 30 July 2021 (published 4 Aug 2021): the notice shortened to
	// 20 days. Assumed in force on the day it is dated, as it states no other date.
	from2021Simple = calendar.MustDate(2021, time.July, 30)
	// 市场监督管理信用修复管理办法 (国市监信规〔2021〕3号), in force 1 September 2021.
	from2021Repair = calendar.MustDate(2021, time.September, 1)
	// 市场监督管理严重违法失信名单管理办法 (SAMR Order 44), in force 1 September 2021.
	from2021Serious = calendar.MustDate(2021, time.September, 1)
)

// Source abbreviations used below:
//
//	Decree 654     企业信息公示暂行条例 (State Council, 2014)
//	Decree 777     State Council decision amending Decree 654 (2024)
//	SAIC Order 67  企业公示信息抽查暂行办法 (2014)
//	SAIC Order 68  企业经营异常名录管理暂行办法 (2014)
//	SAIC AR        the SAIC annual-report measures for enterprises and individual businesses (2014)
//	SAMR Order 45  市场监督管理行政处罚信息公示规定 (2021)
//	ARL / ALL      Administrative Review Law / Administrative Litigation Law
//	SAIC 2016-253  工商总局关于全面推进企业简易注销登记改革的指导意见 (工商企注字〔2016〕253号)
//	SAMR 2021-45   市场监管总局 国家税务总局关于进一步完善简易注销登记便捷中小微企业市场退出的通知
//	               (国市监注发〔2021〕45号)
//	SAMR Order 44  市场监督管理严重违法失信名单管理办法 (2021, in force 2021-09-01)
//	SAMR Repair    市场监督管理信用修复管理办法 (国市监信规〔2021〕3号, in force 2021-09-01)
//	Decree 746     市场主体登记管理条例 (2021, in force 2022-03-01); SAMR Order 52 its 实施细则
var defaultEntries = []Entry{
	// §4 disclosure (Art. 6, 7, 10)
	{"disclosure.regulator", "工商部门公示信息", "regulator disclosure", 20, WorkingDays, "Decree 654 Art. 6", from2014},
	{"disclosure.department", "其他政府部门公示信息", "department disclosure", 20, WorkingDays, "Decree 654 Art. 7", from2014},
	{"disclosure.enterprise", "企业即时信息公示", "enterprise instant disclosure", 20, WorkingDays, "Decree 654 Art. 10", from2014},
	{"order.disclose", "责令限期公示", "order to disclose", 10, CalendarDays, "Decree 654 Art. 10; SAIC Order 68", from2014},

	// §4, §5 annual reports (Art. 8, 9, 12): months counted from 1 January of the filing year.
	{"annual.window", "年度报告报送期", "annual-report filing window", 6, Months, "Decree 654 Art. 8", from2014},
	{"annual.correction", "年度报告修正期", "annual-report correction period", 6, Months, "Decree 654 Art. 12; SAIC AR", from2014},

	// §7 cases (Art. 12, 13)
	{"case.report", "举报核查处理", "report of false information", 20, WorkingDays, "Decree 654 Art. 13", from2014},
	{"case.inquiry", "询问答复", "inquiry", 20, WorkingDays, "Decree 654 Art. 13", from2014},
	{"case.correction", "更正申请处理", "correction request", 20, WorkingDays, "Decree 654 Art. 12, 13", from2014},

	// §6 spot checks (Art. 14)
	{"spotcheck.minimum", "抽查比例下限", "spot-check minimum sample", 3, Percent, "Decree 654 Art. 14; SAIC Order 67", from2014},

	// §8 abnormal-operations list (Art. 17; SAIC Order 68)
	{"list.abnormal.decision.report", "列入决定（未报年报）", "listing decision, ground 1: annual report", 10, WorkingDays, "Decree 654 Art. 17; SAIC Order 68", from2014},
	{"list.abnormal.decision.order", "列入决定（逾期未公示）", "listing decision, ground 2: order not met", 10, WorkingDays, "Decree 654 Art. 17; SAIC Order 68", from2014},
	{"list.abnormal.decision.falsified", "列入决定（隐瞒真实情况、弄虚作假）", "listing decision, ground 3: false information", 10, WorkingDays, "Decree 654 Art. 17; SAIC Order 68", from2014},
	{"list.abnormal.decision.unreachable", "列入决定（无法联系）", "listing decision, ground 4: unreachable", 10, WorkingDays, "SAIC Order 68", from2014},
	{"list.abnormal.removal", "移出决定", "removal decision", 5, WorkingDays, "SAIC Order 68", from2014},
	{"list.abnormal.objection", "异议期", "objection period", 30, CalendarDays, "SAIC Order 68 Art. 13", from2014},
	{"list.abnormal.objection.accept", "异议受理", "objection acceptance", 5, WorkingDays, "SAIC Order 68 Art. 13", from2014},
	{"list.abnormal.objection.verify", "异议核实", "objection verification", 20, WorkingDays, "SAIC Order 68 Art. 13", from2014},
	{"list.abnormal.correction", "错误列入、移出的更正", "correction of a wrong listing or removal", 5, WorkingDays, "SAIC Order 68", from2014},
	{"list.abnormal.warning", "届满三年前预警", "warning before the third anniversary", 60, CalendarDays, "SAIC Order 68", from2014},

	// §8 serious-violation list and the ban (Art. 17)
	{"list.serious.after", "列入严重违法企业名单（满3年）", "serious list after years on the abnormal list", 3, Years, "Decree 654 Art. 17", from2014},
	{"list.serious.decision", "列入严重违法企业名单决定", "serious-listing decision", 10, WorkingDays, "Decree 654 Art. 17; SAIC Order 68", from2014},
	{"list.serious.removal", "严重违法企业名单移出决定", "serious-list removal decision", 5, WorkingDays, "SAIC Order 68", from2014},
	{"list.serious.term", "严重违法企业名单自动移出", "serious list automatic removal", 5, Years, "SAIC Order 68", from2014},
	// SAMR Order 44 replaced the 2014 measures for listings from 1 September 2021: removed
	// once listed 3 years (Art. 20, as recalled: the full text was not found). A listing
	// made before is removed by the 2014 rule, after 5 years.
	{"list.serious.term", "严重违法失信名单届满移出", "serious list removal after its term", 3, Years, "SAMR Order 44 Art. 20", from2021Serious},
	// Early removal (提前移出) on application, as a credit repair: once listed 1 year, the
	// obligations fulfilled, the harm removed, no new ground (SAMR Order 44 Art. 19, as
	// recalled: the text was not found; the minimum of 1 year is assumed). Judged by the
	// entry in force on the listing's day, like the term: the 2014 rules had none, a
	// listing under them stays its full term.
	{"list.serious.early", "严重违法失信名单提前移出申请期", "serious list early removal: listed at least", 1, Years, "SAMR Order 44 Art. 19; SAMR Repair", from2021Serious},
	{"ban.legal-representative", "法定代表人、负责人任职限制", "legal-representative ban", 3, Years, "Decree 654 Art. 17", from2014},

	// §11 individual businesses
	{"individual.restoration", "个体工商户恢复正常记载状态", "individual business restoration", 5, WorkingDays, "SAIC AR", from2014},

	// §4 penalty display (SAMR Order 45), dated with the 2014 set because it governs every penalty still shown.
	{"penalty.display", "行政处罚信息公示期", "penalty display", 3, Years, "SAMR Order 45", from2014},
	{"penalty.display.minor", "通报批评、较低数额罚款公示期", "penalty display, criticism or small fine", 3, Months, "SAMR Order 45", from2014},

	// §8 remedies stated on decisions
	{"remedy.review", "申请行政复议期限", "administrative review", 60, CalendarDays, "ARL Art. 9 (2023: Art. 20)", from2014},
	{"remedy.litigation", "提起行政诉讼期限", "administrative litigation", 6, Months, "ALL Art. 46", from2014},

	// §10 the working-day calendar: the State Council publishes the next year's holidays
	// around November; from 1 October the regulator is warned while it is not loaded.
	{"calendar.schedule.warning", "次年节假日安排缺失预警", "warning: next year's working-day schedule missing", 3, Months, "SPEC §10; 国务院办公厅关于部分节假日安排的通知 (published yearly)", from2014},
	// Simplified deregistration (简易注销): the notice of the commitment runs 45 days, from
	// 2021 20 days; anyone may object during it. Individual businesses need no notice
	// (SAMR 2021-45 §2; Decree 746 Art. 33), which no entry expresses: the rule is in code.
	{"deregistration.simple.notice", "简易注销公告期", "simplified deregistration notice", 45, CalendarDays, "SAIC 2016-253", from2017Simple},
	{"deregistration.simple.notice", "简易注销公告期", "simplified deregistration notice", 20, CalendarDays, "SAMR 2021-45 §2; Decree 746 Art. 33", from2021Simple},

	// Credit repair (信用修复) of a penalty: its display ends early, on application, once it
	// has been shown 6 months (food, drugs, special equipment: 1 year). Before the measures
	// there was no such repair: a penalty was shown its full period.
	{"repair.penalty.after", "行政处罚信息信用修复申请期", "penalty credit repair: shown at least", 6, Months, "SAMR Repair Art. 6", from2021Repair},
	{"repair.penalty.after.special", "食品、药品、特种设备领域行政处罚信息信用修复申请期", "penalty credit repair (food, drugs, special equipment): shown at least", 1, Years, "SAMR Repair Art. 6", from2021Repair},

	// §8 Decree 777 (2024): licence revoked after 2 consecutive unreported years and unreachable.
	{"licence.revocation.unreported", "连续2年未报年报且无法联系的吊销营业执照", "licence revocation after unreported years", 2, Years, "Decree 777 (2024); Decree 654 Art. 18 as amended", from2024},
}

var defaultTable = sync.OnceValue(func() *Table {
	t, err := NewTable(defaultEntries)
	if err != nil {
		panic("policy: default table: " + err.Error())
	}
	return t
})

// Default returns the default table: Decree 654 with its 2014 implementing
// measures, and the dated entries of later law (Decree 777, 2024).
func Default() *Table { return defaultTable() }
