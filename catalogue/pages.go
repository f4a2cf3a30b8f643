package catalogue

// The open-data page's messages (数据下载), the provisional dates' (issue 12) and the
// snapshots' spreadsheet headers.
func init() {
	for _, m := range []map[string][2]string{openDataMessages, provisionalMessages, snapshotMessages} {
		for k, v := range m {
			messages[k] = v
		}
	}
}

var openDataMessages = map[string][2]string{
	"nav.data":   {"数据下载", "Open data"},
	"data.title": {"数据下载", "Open data"},
	"data.intro": {"本系统公示的全部信息均可批量取得，无需逐页查询：变更流按日志顺序提供每一项公示变更，数据快照提供某一已签名检查点时的全部公示信息。每一项都可对照透明日志验证。",
		"Everything the register publishes can be had in bulk, without reading it page by page: the change feed gives every public change in log order, the snapshots the whole public register as of a signed checkpoint. Each can be checked against the transparency log."},
	"data.feed": {"变更流", "Change feed"},
	"data.feed.note": {"按日志顺序逐行（JSON Lines）返回每一项公示变更，含日志序号、记录类型、企业代码、文档的 SHA-256 及文档本身，撤下公示也是一项变更。以 after 参数从任一序号续取，不重不漏；可按区划前缀和记录类型筛选。",
		"Every public change in log order, one JSON object a line (JSON Lines): log index, kind, the enterprise's code, the SHA-256 of the document and the document itself; a withdrawal is a change too. Resume after any index with after: no gap, no duplicate. Filter by division prefix and by kind."},
	"data.snapshots": {"数据快照", "Snapshots"},
	"data.snapshots.note": {"每日生成，保留最近若干份。versions.jsonl.gz 为全部记录版本（JSON Lines，含文档原文）；enterprises.csv.gz 与 lists.csv.gz 为企业现状和名录（CSV，中文表头，可用电子表格打开），enterprises.parquet 与 lists.parquet 为同样两张表（Parquet，列有类型，供数据分析程序读取）；manifest.json 含签名检查点和各文件的 SHA-256。下载支持断点续传。",
		"Made daily; the newest few are kept. versions.jsonl.gz holds every record version (JSON Lines, with the documents' exact bytes); enterprises.csv.gz and lists.csv.gz the enterprises as they stand and the list entries (CSV with Chinese headers, for spreadsheets), enterprises.parquet and lists.parquet the same two tables (Parquet, typed columns, for data analysis); manifest.json the signed checkpoint and each file's SHA-256. Downloads resume (HTTP Range)."},
	"data.download": {"下载最新一份的全部文件（中断后再次运行，即从断点续传）：", "Download every file of the newest (run it again after a break to resume):"},
	"data.verify":   {"验证快照：", "Verify a snapshot:"},
	"data.import":   {"导入新系统：", "Load it into a new register:"},
	"data.name":     {"快照", "Snapshot"},
	"data.created":  {"生成时间", "Made"},
	"data.size":     {"日志条目", "Log entries"},
	"data.files":    {"文件", "Files"},
	"data.rows":     {"行", "rows"},
	"data.bytes":    {"字节", "bytes"},
	"data.none":     {"尚无快照。", "No snapshot yet."},
	"data.api":      {"接口说明：", "API:"},
}

var provisionalMessages = map[string][2]string{
	"rec.provisional": {"（暂定）", "(provisional)"},
	"rec.provisional.note": {"标注“暂定”的日期所在年度的节假日安排尚未载入：按法律规定的名义日期公示，载入后自动确定并以新版本公示。",
		"Dates marked provisional fall in a year whose holidays are not yet loaded: they are the nominal days the law states, settled by a new version once the year is loaded."},
	"sched.banner": {"工作日历缺少%d年节假日安排（自%s起预警）：涉及该年的期限均为暂定日期。请管理员将国务院公布的%d年节假日安排载入数据目录的 calendar.txt，载入后自动确定。",
		"The working-day calendar has no %d schedule (warned since %s): every period ending in that year is provisional. An administrator loads the State Council's %d holidays into calendar.txt in the data folder; the dates are then settled automatically."},
	"reg.awaiting": {"等待节假日安排确定的暂定日期（记录、案件）", "Subjects with provisional dates awaiting a year's schedule (records, cases)"},
}

// snapshotMessages head the columns of the snapshots' enterprises.csv and lists.csv that
// no page names otherwise.
var snapshotMessages = map[string][2]string{
	"snapshot.type":         {"类型", "Type"},
	"snapshot.address":      {"住所", "Address"},
	"snapshot.division":     {"登记机关行政区划", "Division of the registration authority"},
	"snapshot.abnormal":     {"列入经营异常名录", "On the abnormal operations list"},
	"snapshot.serious":      {"列入严重违法失信名单", "On the serious violations list"},
	"snapshot.registration": {"登记记录", "Registration record"},
	"snapshot.changed":      {"最后变更时间", "Last changed"},
	"snapshot.ended":        {"移出方式", "How it ended"},
	"snapshot.decision":     {"决定记录", "Decision record"},
	"snapshot.removal":      {"移出记录", "Removal record"},
}
