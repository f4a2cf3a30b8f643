package report

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/translog"
)

// Proof is where a document was read in the transparency log and where a reader checks it.
type Proof struct {
	// LogSize is the size of the log prefix read (the versions with log_index < LogSize).
	LogSize int64
	// AsOf is the day asked for, when one was.
	AsOf string
	// Checkpoint is the signed checkpoint holding that prefix (a signed note); "" when
	// none is signed yet.
	Checkpoint string
	// URL is the page that proves the document's content: the QR code's content.
	URL string
	// Version is the record version a decision is, with its log index and the SHA-256 of
	// its canonical document; nil for a report.
	Version *gongshi.Version
}

// checkpoint is what a reader compares against the log: the signed tree's size and root
// hash, and who signed it.
type checkpoint struct {
	Origin  string
	Size    int64
	Root    string // base64, as in the note
	Signers []string
}

// parseCheckpoint reads a signed checkpoint note: its body (translog.ParseCheckpointText)
// and the names and key ids of its signature lines ("— name base64(keyid||sig)").
func parseCheckpoint(signed string) (*checkpoint, error) {
	body, sigs, ok := strings.Cut(signed, "\n\n")
	if !ok {
		return nil, fmt.Errorf("checkpoint: not a signed note")
	}
	origin, tree, err := translog.ParseCheckpointText([]byte(body + "\n"))
	if err != nil {
		return nil, err
	}
	cp := &checkpoint{Origin: origin, Size: tree.N, Root: base64.StdEncoding.EncodeToString(tree.Hash[:])}
	for _, line := range strings.Split(strings.TrimSpace(sigs), "\n") {
		name, sig, ok := strings.Cut(strings.TrimPrefix(line, "— "), " ")
		if !ok || !strings.HasPrefix(line, "— ") {
			continue
		}
		id := ""
		if b, err := base64.StdEncoding.DecodeString(sig); err == nil && len(b) >= 4 {
			id = "，密钥 ID " + hex.EncodeToString(b[:4])
		}
		cp.Signers = append(cp.Signers, name+id)
	}
	return cp, nil
}

// proofBlock writes where the document was read in the log, the checkpoint to check it
// against, and the QR code of the proof page.
func (d *doc) proofBlock(p Proof, caption string) error {
	d.heading("核验信息")
	if v := p.Version; v != nil {
		d.field("记录编号", fmt.Sprintf("%s（第 %d 版）", v.Record, v.Version), 0)
		d.field("日志序号", fmt.Sprint(v.LogIndex), 0)
		d.field("文档 SHA-256", v.SHA256, 0)
	}
	if p.AsOf != "" {
		d.field("截止日期", p.AsOf+"（中国标准时间当日结束时）", 0)
	}
	d.field("日志规模", fmt.Sprintf("%d（读取日志前 %d 条记录）", p.LogSize, p.LogSize), 0)
	if p.Checkpoint == "" {
		d.field("签名检查点", "尚未签发覆盖该日志规模的检查点，请稍后重新生成本报告", 0)
	} else {
		cp, err := parseCheckpoint(p.Checkpoint)
		if err != nil {
			return err
		}
		d.field("检查点来源", cp.Origin, 0)
		d.field("检查点树规模", fmt.Sprint(cp.Size), 0)
		d.field("根哈希", cp.Root, 0)
		d.field("签名者", strings.Join(cp.Signers, "；"), 0)
	}
	d.pdf.Ln(3)
	return d.qr(p.URL, caption, 36)
}
