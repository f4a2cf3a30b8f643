package report

import (
	"fmt"
	"strings"

	"github.com/gongshi/gongshi"
)

// Enforcement decisions as documents (决定书): a listing, marking, removal or restoration
// decision, an objection's answer or a refusal to remove, as the version published in the
// log states it, with the record's proof page in a QR code.

// IsDecision reports whether records of kind are written decisions that have a document.
func IsDecision(kind string) bool {
	k, err := gongshi.LookupKind(kind)
	return err == nil && isDecisionKind(k)
}

// DocumentTitle is a decision kind's document's title: 列入经营异常名录决定 → …决定书.
func DocumentTitle(k *gongshi.Kind) string {
	switch {
	case strings.HasSuffix(k.Label, "决定"), strings.HasSuffix(k.Label, "答复"):
		return k.Label + "书"
	case strings.HasSuffix(k.Label, "预警"):
		return k.Label + "通知书"
	}
	return k.Label + "决定书"
}

// verdicts say what a decision of a kind decides, of the list it names.
var verdicts = map[string]string{
	"abnormal_listing":    "本机关决定将其列入%s。",
	"serious_listing":     "本机关决定将其列入%s。",
	"abnormal_marking":    "本机关决定将其标记为经营异常状态。",
	"abnormal_removal":    "本机关决定将其移出%s。",
	"serious_removal":     "本机关决定将其移出%s。",
	"serious_expiry":      "其列入%s已满五年，本机关决定将其移出。",
	"marking_restoration": "本机关决定恢复其正常记载状态。",
	"removal_answer":      "本机关决定不予将其移出%s。",
}

// Decision renders a decision's version v, read at proof.
func (r *Renderer) Decision(v *gongshi.Version, proof Proof) ([]byte, error) {
	k, err := gongshi.LookupKind(v.Kind)
	if err != nil || !isDecisionKind(k) {
		return nil, gongshi.Invalid("id", fmt.Sprintf("record %s is a %s, not a decision", v.Record, v.Kind), "ask for the document of a listing or removal decision")
	}
	title := DocumentTitle(k)
	d, err := r.newDoc(title, v.PublishedAt)
	if err != nil {
		return nil, err
	}
	f := func(name string) string {
		if val, ok := v.Fields[name]; ok {
			return r.value(*k.Field(name), val)
		}
		return ""
	}
	d.title(title)
	d.pdf.SetFont("cjk", "", 11)
	d.pdf.CellFormat(0, 7, f("document_no"), "", 1, "C", false, 0, "")
	d.pdf.Ln(3)
	if f("status") != "" && v.Fields["status"] == "void" {
		d.text("【本决定经异议核实有误，已予更正，自始无效。】", 0)
		d.pdf.Ln(1)
	}
	d.field("当事人", v.SubjectName, 0)
	d.field("统一社会信用代码", v.Subject, 0)
	d.pdf.Ln(2)
	list := listLabel[fmt.Sprint(v.Fields["list"])]
	body := "经查，" + v.SubjectName + "：" + strings.TrimRight(f("reason"), "。") + "。"
	if b := f("basis"); b != "" {
		body += "依据" + strings.TrimRight(b, "。") + "，"
	}
	if verdict, ok := verdicts[k.Name]; ok {
		if strings.Contains(verdict, "%s") {
			verdict = fmt.Sprintf(verdict, list)
		}
		body += verdict
	} else {
		body += "本机关作出" + k.Label
		if o := f("outcome"); o != "" {
			body += "：" + o
		}
		body += "。"
	}
	d.text("　　"+body, 0)
	d.pdf.Ln(2)
	used := map[string]bool{"document_no": true, "reason": true, "basis": true, "remedies": true, "authority": true, "decided": true, "list": true, "ground": true, "status": true}
	for _, fl := range k.Fields {
		if val, ok := v.Fields[fl.Name]; ok && !used[fl.Name] {
			d.field(fl.Label, r.value(fl, val), 0)
		}
	}
	if rem := f("remedies"); rem != "" {
		d.pdf.Ln(2)
		d.text("　　"+rem, 0)
	}
	d.pdf.Ln(8)
	d.pdf.SetFont("cjk", "", 11)
	d.pdf.CellFormat(0, 7, f("authority"), "", 1, "R", false, 0, "")
	d.pdf.CellFormat(0, 7, f("decided"), "", 1, "R", false, 0, "")
	if v.Policy != "" {
		d.pdf.Ln(2)
		d.field("适用规则", r.policyNames(v.Policy), 0)
	}
	proof.Version = v
	if err := d.proofBlock(proof, "扫描二维码或访问下列网址，核验本决定书在透明日志中的记录及其包含证明："); err != nil {
		return nil, err
	}
	return d.bytes()
}
