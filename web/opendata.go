package web

import (
	"github.com/gongshi/gongshi/snapshot"
)

// The open-data page (数据下载): the change feed and the bulk snapshots (SPEC §12), with
// links to the snapshots in Config.Snapshots.
func init() {
	for k, v := range openDataMessages {
		messages[k] = v
	}
}

type openData struct {
	Snapshots []*snapshot.Manifest
}

func (h *Handler) openData(p *page) error {
	ms, err := snapshot.List(h.cfg.Snapshots)
	if err != nil {
		return err
	}
	if h.cfg.Snapshots == "" {
		ms = nil
	}
	p.Title = p.T("data.title")
	return p.render("data", openData{Snapshots: ms})
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
	"data.snapshots.note": {"每日生成，保留最近若干份。versions.jsonl.gz 为全部记录版本（JSON Lines，含文档原文）；enterprises.csv.gz 与 lists.csv.gz 为企业现状和名录（CSV，中文表头，可用电子表格打开）；manifest.json 含签名检查点和各文件的 SHA-256。下载支持断点续传。",
		"Made daily; the newest few are kept. versions.jsonl.gz holds every record version (JSON Lines, with the documents' exact bytes); enterprises.csv.gz and lists.csv.gz the enterprises as they stand and the list entries (CSV with Chinese headers, for spreadsheets); manifest.json the signed checkpoint and each file's SHA-256. Downloads resume (HTTP Range)."},
	"data.verify":  {"验证快照：", "Verify a snapshot:"},
	"data.import":  {"导入新系统：", "Load it into a new register:"},
	"data.name":    {"快照", "Snapshot"},
	"data.created": {"生成时间", "Made"},
	"data.size":    {"日志条目", "Log entries"},
	"data.files":   {"文件", "Files"},
	"data.rows":    {"行", "rows"},
	"data.bytes":   {"字节", "bytes"},
	"data.none":    {"尚无快照。", "No snapshot yet."},
	"data.api":     {"接口说明：", "API:"},
}
