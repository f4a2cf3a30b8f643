package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gongshi/gongshi"
)

// The annual-report form (Art. 8, 9) in steps. Each step saves the draft
// (Service.FileAnnualReport with Draft) and moves on; the last step submits the report. The
// service validates the whole report on submission; an error names the field by its JSON
// path, and the form goes back to the step holding that field, with the message next to it.

// annualSteps splits a report form's fields into steps: 1 contact and status (Art. 9 items
// 1–2), 2 investments, contributions, transfers and websites (items 3–6), 3 assets and what
// to publish of them (item 7), 4 review and submit.
func annualSteps(k *gongshi.Kind) [3][]gongshi.Field {
	assets := map[string]bool{}
	if pub := k.Field("publish"); pub != nil {
		for _, f := range pub.Fields {
			assets[f.Name] = true
		}
	}
	var s [3][]gongshi.Field
	for _, f := range k.Fields {
		switch {
		case f.Name == "year" || f.Name == "paper_entry":
		case f.Type == gongshi.TypeList:
			s[1] = append(s[1], f)
		case assets[f.Name] || f.Type == gongshi.TypeObject || f.Name == "publish_report":
			s[2] = append(s[2], f)
		default:
			s[0] = append(s[0], f)
		}
	}
	return s
}

type annualData struct {
	Ent     *gongshi.Enterprise
	Kind    *gongshi.Kind
	Year    int
	Step    int // 1–4
	Steps   []string
	Form    formView
	Review  []labelled
	SavedAt string
}

func (h *Handler) annualSetup(p *page) (*gongshi.Enterprise, *gongshi.Kind, int, error) {
	if err := p.requireRole(gongshi.RoleEnterprise); err != nil {
		return nil, nil, 0, err
	}
	ent, err := h.svc.Enterprise(p.r.Context(), p.Account, p.Account.Enterprise)
	if err != nil {
		return nil, nil, 0, err
	}
	year, err := strconv.Atoi(p.r.PathValue("year"))
	if err != nil {
		return nil, nil, 0, gongshi.Invalid("year", "is not a year", "open the report from your obligations")
	}
	p.Title = fmt.Sprintf(p.T("annual.title"), year)
	return ent, gongshi.AnnualKindFor(ent), year, nil
}

// draft returns the saved draft's fields, or none.
func (h *Handler) draft(p *page, ent *gongshi.Enterprise, year int) (map[string]any, string, error) {
	d, err := h.svc.AnnualReportDraft(p.r.Context(), p.Account, ent.USCC.String(), year)
	if gongshi.ErrorCode(err) == gongshi.ENOTFOUND {
		return map[string]any{}, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	return d.Fields, d.SavedAt.In(h.now().Location()).Format("2006-01-02 15:04"), nil
}

// annualForm shows a step of the report, filled from the draft.
func (h *Handler) annualForm(p *page) error {
	ent, k, year, err := h.annualSetup(p)
	if err != nil {
		return err
	}
	fields, saved, err := h.draft(p, ent, year)
	if err != nil {
		return err
	}
	step := atoiDefault(p.r.URL.Query().Get("step"), 1)
	if step < 1 || step > 4 {
		step = 1
	}
	return p.render("annual", p.annualData(ent, k, year, step, fields, saved, nil))
}

func (p *page) annualData(ent *gongshi.Enterprise, k *gongshi.Kind, year, step int, fields map[string]any, saved string, err error) annualData {
	d := annualData{Ent: ent, Kind: k, Year: year, Step: step, SavedAt: saved,
		Steps: []string{p.T("annual.step1"), p.T("annual.step2"), p.T("annual.step3"), p.T("annual.step4")}}
	action := fmt.Sprintf("/my/annual/%d", year)
	if step <= 3 {
		sub := &gongshi.Kind{Name: k.Name, Label: k.Label, Fields: annualSteps(k)[step-1]}
		groups := p.kindForm(sub, fields)
		groups[0].Legend = d.Steps[step-1]
		d.Form = formView{Action: action, Submit: p.T("annual.next"), Groups: groups, Step: step}
	} else {
		d.Form = formView{Action: action, Submit: p.T("annual.submit")}
		d.Review = p.Fields(k.Name, fields)
	}
	d.Form.attachError(p, err)
	return d
}

// annualSave saves the step's fields into the draft, then moves to the next step; on the
// last step it submits the report.
func (h *Handler) annualSave(p *page) error {
	ent, k, year, err := h.annualSetup(p)
	if err != nil {
		return err
	}
	ctx := p.r.Context()
	fields, _, err := h.draft(p, ent, year)
	if err != nil {
		return err
	}
	step := atoiDefault(p.r.PostForm.Get("step"), 1)
	if step < 1 || step > 4 {
		step = 1
	}
	if step <= 3 {
		sub := &gongshi.Kind{Name: k.Name, Fields: annualSteps(k)[step-1]}
		got := parseKindForm(sub, p.r.PostForm)
		for _, f := range sub.Fields {
			if v, ok := got[f.Name]; ok {
				fields[f.Name] = v
			} else {
				delete(fields, f.Name)
			}
		}
		// Inline validation: the step's own fields are checked as the service will check
		// them (Kind.Normalize) before the draft is saved; cross-field rules run on submission.
		if _, err := sub.Normalize(got); err != nil {
			return h.annualError(p, ent, k, year, step, fields, err)
		}
		_, _, err := h.svc.FileAnnualReport(ctx, p.Account, ent.USCC.String(), gongshi.AnnualReportFiling{Year: year, Draft: true, Fields: fields})
		if err != nil {
			return h.annualError(p, ent, k, year, step, fields, err)
		}
		next := step + 1
		if p.r.PostForm.Get("back") != "" && step > 1 {
			next = step - 1
		}
		return p.redirect(fmt.Sprintf("/my/annual/%d?step=%d", year, next))
	}
	ver, _, err := h.svc.FileAnnualReport(ctx, p.Account, ent.USCC.String(), gongshi.AnnualReportFiling{Year: year, Fields: fields})
	if err != nil {
		return h.annualError(p, ent, k, year, stepOf(k, err), fields, err)
	}
	return p.redirect("/r/" + ver.Record + "?published=1")
}

// annualError shows the step holding the field an EINVALID error names.
func (h *Handler) annualError(p *page, ent *gongshi.Enterprise, k *gongshi.Kind, year, step int, fields map[string]any, err error) error {
	if c := gongshi.ErrorCode(err); c != gongshi.EINVALID && c != gongshi.ECONFLICT {
		return err
	}
	p.status = http.StatusUnprocessableEntity
	return p.render("annual", p.annualData(ent, k, year, step, fields, "", err))
}

// stepOf is the step whose form holds the field err names; 4 (the review) for others.
func stepOf(k *gongshi.Kind, err error) int {
	e := gongshi.AsError(err)
	if e == nil {
		return 4
	}
	name := strings.TrimPrefix(e.Field, "fields.")
	if i := strings.IndexAny(name, ".["); i >= 0 {
		name = name[:i]
	}
	for i, fs := range annualSteps(k) {
		for _, f := range fs {
			if f.Name == name {
				return i + 1
			}
		}
	}
	return 4
}
