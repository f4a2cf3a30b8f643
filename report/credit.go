package report

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// The enterprise credit report (企业信用报告): what the register's page shows of an
// enterprise at a log size, in the page's order — registration (basics, shareholders, key
// personnel, branches, changes, the regulator's other records), list status and
// decisions, spot checks, the enterprise's own disclosures, other departments' records,
// courts' notices — then its penalties and annual-report filings at a glance, and at the
// end the checkpoint it was read at with the QR code of the page that proves it. Only
// public fields are shown (the page is read as the public sees it), and what has been
// withdrawn from public view is left out.

// pageSection places record kinds in the report's own sections rather than by publisher,
// as the web page does: list decisions and spot-check results.
func pageSection(k *gongshi.Kind) string {
	switch {
	case k.Name == "spot_check_result":
		return "checks"
	case k.Name == gongshi.KindWithdrawal.Name:
		return "withdrawals"
	case isDecisionKind(k):
		return "lists"
	}
	return ""
}

// isDecisionKind reports whether k is an enforcement decision (enforcement_kinds.go): a
// written decision with a document number whose period is counted from a day.
func isDecisionKind(k *gongshi.Kind) bool {
	return k.Field("document_no") != nil && k.Field("counted_from") != nil
}

// group is the records of one kind within a section, in the kinds' order.
type group struct {
	kind    *gongshi.Kind
	records []*gongshi.Record
}

// CreditReport renders p, read at proof.LogSize, as a PDF.
func (r *Renderer) CreditReport(p *gongshi.Page, proof Proof) ([]byte, error) {
	ent := p.Enterprise
	d, err := r.newDoc("企业信用报告", newest(p))
	if err != nil {
		return nil, err
	}
	d.title("企业信用报告")
	d.pdf.SetFont("cjk", "", 14)
	d.pdf.CellFormat(0, 9, ent.Name, "", 1, "C", false, 0, "")
	d.pdf.Ln(2)
	d.field("统一社会信用代码", ent.USCC.String(), 0)
	at := fmt.Sprintf("日志规模 %d", proof.LogSize)
	if proof.AsOf != "" {
		at = proof.AsOf + " 日终，" + at
	}
	d.field("报告依据", "企业信用信息公示系统透明日志，"+at+"；报告末页载有签名检查点和核验二维码", 0)

	var reg *gongshi.Record
	sections := map[string][]*gongshi.Record{}
	var penalties, annual []*gongshi.Record
	for _, rec := range p.Records {
		if rec.ID == ent.Registration {
			reg = rec
			continue
		}
		k, err := gongshi.LookupKind(rec.Kind)
		if err != nil || withdrawn(rec) {
			continue
		}
		key := pageSection(k)
		if key == "" {
			key = string(rec.Section)
		}
		sections[key] = append(sections[key], rec)
		switch rec.Kind {
		case "penalty":
			penalties = append(penalties, rec)
		case "annual_report":
			annual = append(annual, rec)
		}
	}

	d.heading("一、登记信息")
	d.subheading("基本信息")
	kr := gongshi.KindRegistration
	for _, f := range kr.Fields {
		v, ok := ent.Profile[f.Name]
		if !ok || f.Type == gongshi.TypeList {
			continue
		}
		if m, ok := v.(map[string]any); ok && f.Type == gongshi.TypeObject {
			v = m["name"]
		}
		d.field(f.Label, r.value(f, v), 0)
	}
	for _, name := range []string{"shareholders", "key_personnel", "branches"} {
		f := kr.Field(name)
		if f == nil {
			continue
		}
		d.subheading(f.Label)
		items, _ := ent.Profile[name].([]any)
		if len(items) == 0 {
			d.none()
		}
		for i, it := range items {
			d.text(fmt.Sprintf("%d. %s", i+1, r.value(gongshi.Field{Type: gongshi.TypeObject, Fields: f.Fields}, it)), 0)
		}
	}
	d.subheading("变更信息")
	changed := false
	if reg != nil {
		for i := len(reg.Versions) - 1; i >= 1; i-- {
			v := reg.Versions[i]
			if v.Withdrawn != nil {
				continue
			}
			for _, c := range v.Changes {
				changed = true
				label := c.Field
				f := kr.Field(c.Field)
				if f != nil {
					label = f.Label
				} else {
					f = &gongshi.Field{Name: c.Field}
				}
				d.text(fmt.Sprintf("%s　%s：%s → %s", v.Arose, label, r.value(*f, c.Before), r.value(*f, c.After)), 0)
			}
		}
	}
	if !changed {
		d.none()
	}
	r.groups(d, sections[string(gongshi.SectionRegistration)])

	d.heading("二、列入经营异常名录及严重违法失信名单信息")
	if ent.ListStatus == nil || len(ent.ListStatus.Entries) == 0 {
		d.text("未被列入经营异常名录或严重违法失信名单。", 0)
	} else {
		for _, e := range ent.ListStatus.Entries {
			until := "至今仍在名录中"
			if e.Until != "" {
				until = "于 " + e.Until + " 移出（" + endLabel[e.Ended] + "）"
			}
			d.text(fmt.Sprintf("%s：%s 列入，%s；事由：%s；作出决定机关：%s；决定书文号：%s",
				listLabel[e.List], e.Since, until, groundLabel(e.Ground), e.Authority, e.DocumentNo), 0)
		}
	}
	r.groups(d, sections["lists"])

	d.heading("三、抽查检查信息")
	if !r.groups(d, sections["checks"]) {
		d.none()
	}
	d.heading("四、企业公示信息")
	if !r.groups(d, sections[string(gongshi.SectionEnterprise)]) {
		d.none()
	}
	d.heading("五、其他部门公示信息")
	if !r.groups(d, sections[string(gongshi.SectionDepartment)]) {
		d.none()
	}
	if len(sections[string(gongshi.SectionJudicial)]) > 0 {
		d.heading("六、司法协助信息")
		r.groups(d, sections[string(gongshi.SectionJudicial)])
	}

	d.heading("行政处罚信息汇总")
	if len(penalties) == 0 {
		d.text("无行政处罚信息。", 0)
	}
	for i, rec := range penalties {
		f := rec.Latest().Fields
		d.text(fmt.Sprintf("%d. 决定书文号 %v；%v；决定机关 %v；处罚决定日期 %v", i+1, f["decision_no"], f["violation"], f["authority"], f["decided"]), 0)
	}

	d.heading("年度报告公示情况")
	r.annualHistory(d, annual)

	if err := d.proofBlock(proof, "扫描二维码或访问下列网址，查看本企业在该日志规模时的公示页面，并依上列签名检查点核验："); err != nil {
		return nil, err
	}
	return d.bytes()
}

// groups writes recs grouped by kind, in the kinds' order, each record's newest public
// version with its fields; it reports whether it wrote any.
func (r *Renderer) groups(d *doc, recs []*gongshi.Record) bool {
	if len(recs) == 0 {
		return false
	}
	for _, k := range gongshi.Kinds() {
		var g []*gongshi.Record
		for _, rec := range recs {
			if rec.Kind == k.Name {
				g = append(g, rec)
			}
		}
		if len(g) == 0 {
			continue
		}
		d.subheading(k.Label)
		for i, rec := range g {
			v := latestShown(rec)
			head := fmt.Sprintf("%d. 公示日期 %s", i+1, v.PublishedAt.In(calendar.CST()).Format("2006-01-02"))
			if v.Version > 1 {
				head += fmt.Sprintf("（第 %d 版，已更正）", v.Version)
			}
			d.text(head, 0)
			if k.Name == "annual_report" {
				d.field("报告年度", fmt.Sprint(v.Fields["year"]), 6)
				d.text("详见“年度报告公示情况”", 6)
				continue
			}
			for _, f := range k.Fields {
				if val, ok := v.Fields[f.Name]; ok {
					d.field(f.Label, r.value(f, val), 6)
				}
			}
		}
	}
	return true
}

// annualHistory lists the annual reports filed: year, date, whether on time, corrections,
// and the outward investments the latest report discloses.
func (r *Renderer) annualHistory(d *doc, recs []*gongshi.Record) {
	if len(recs) == 0 {
		d.text("未公示年度报告。", 0)
		return
	}
	sort.SliceStable(recs, func(i, j int) bool {
		return fmt.Sprint(recs[i].Versions[0].Fields["year"]) < fmt.Sprint(recs[j].Versions[0].Fields["year"])
	})
	for _, rec := range recs {
		first, last := rec.Versions[0], latestShown(rec)
		when := "按时公示"
		if !first.OnTime {
			when = "逾期公示"
		}
		line := fmt.Sprintf("%v 年度：%s 公示，%s", last.Fields["year"], first.PublishedAt.In(calendar.CST()).Format("2006-01-02"), when)
		if n := len(rec.Versions) - 1; n > 0 {
			line += fmt.Sprintf("，更正 %d 次", n)
		}
		d.text(line, 0)
	}
	last := latestShown(recs[len(recs)-1])
	k, _ := gongshi.LookupKind("annual_report")
	if inv, ok := last.Fields["investments"].([]any); ok && len(inv) > 0 && k != nil {
		f := k.Field("investments")
		d.subheading(fmt.Sprintf("对外投资（%v 年度报告）", last.Fields["year"]))
		for i, it := range inv {
			d.text(fmt.Sprintf("%d. %s", i+1, r.value(gongshi.Field{Type: gongshi.TypeObject, Fields: f.Fields}, it)), 0)
		}
	}
}

// withdrawn reports whether a record's every version is withdrawn from public view.
func withdrawn(rec *gongshi.Record) bool { return latestShown(rec) == nil }

// latestShown is the newest version not withdrawn from public view, or nil.
func latestShown(rec *gongshi.Record) *gongshi.Version {
	for i := len(rec.Versions) - 1; i >= 0; i-- {
		if rec.Versions[i].Withdrawn == nil {
			return rec.Versions[i]
		}
	}
	return nil
}

// newest is the time of the newest version on the page: the report's date.
func newest(p *gongshi.Page) time.Time {
	t := p.Enterprise.RegisteredAt
	for _, rec := range p.Records {
		for _, v := range rec.Versions {
			if v.PublishedAt.After(t) {
				t = v.PublishedAt
			}
		}
	}
	return t
}

var listLabel = map[string]string{
	gongshi.ListAbnormal: "经营异常名录", gongshi.ListSerious: "严重违法失信名单", gongshi.ListMarked: "经营异常状态",
}

var endLabel = map[string]string{
	gongshi.EndCured: "申请移出", gongshi.EndAutomatic: "期满自动移出", gongshi.EndCorrected: "经异议更正，自始无效", "": "移出",
}

func groundLabel(g int) string {
	if s, ok := groundReasons[g]; ok {
		return s
	}
	return fmt.Sprint(g)
}

// groundReasons are the four grounds of a listing (SPEC §8), as the decisions state them.
var groundReasons = map[int]string{
	1: "未依照规定的期限公示年度报告",
	2: "未在责令的期限内公示有关企业信息",
	3: "公示企业信息隐瞒真实情况、弄虚作假",
	4: "通过登记的住所或者经营场所无法联系",
}

// value shows a field's value as the page does: enum codes by their names, objects as
// "label：value" pairs, lists joined, hidden values left out.
func (r *Renderer) value(f gongshi.Field, v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		if f.Type == gongshi.TypeEnum && r.Enum != nil {
			return r.Enum(x)
		}
		return r.policyNames(x)
	case bool:
		if x {
			return "是"
		}
		return "否"
	case map[string]any:
		if _, hidden := x["salted_sha256"]; hidden {
			return "（不公示）"
		}
		var parts []string
		for _, sf := range f.Fields {
			if sv, ok := x[sf.Name]; ok {
				parts = append(parts, sf.Label+"："+r.value(sf, sv))
			}
		}
		if len(parts) == 0 {
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				parts = append(parts, k+"："+r.value(gongshi.Field{}, x[k]))
			}
		}
		return strings.Join(parts, "，")
	case []any:
		var parts []string
		for _, it := range x {
			parts = append(parts, r.value(gongshi.Field{Type: gongshi.TypeObject, Fields: f.Fields}, it))
		}
		return strings.Join(parts, "；")
	}
	return fmt.Sprint(v)
}

// policyRef is a policy entry's reference as decisions' texts quote it.
var policyRef = regexp.MustCompile(`[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)+@\d{4}-\d{2}-\d{2}`)

// policyNames replaces each policy reference in s by the entry's name and the date it
// applies from; a reference to no entry stays as it is.
func (r *Renderer) policyNames(s string) string {
	if r.Rules == nil || !strings.Contains(s, "@") {
		return s
	}
	return policyRef.ReplaceAllStringFunc(s, func(ref string) string {
		id, from, _ := strings.Cut(ref, "@")
		d, err := calendar.ParseDate(from)
		if err != nil {
			return ref
		}
		e, err := r.Rules.Entry(id, d)
		if err != nil {
			return ref
		}
		return e.Name + "，" + from + "起施行"
	})
}
