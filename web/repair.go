package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/calendar"
)

// The regulator's decisions on an enterprise's applications for credit repair (SAMR Repair
// Art. 6; Service.RepairCredit) and for early removal from the serious-violation list (SAMR
// Order 44; Service.RemoveEarly): from the enterprise page, a regulator in scope chooses the
// penalty shown or the serious listing in force, ticks the conditions it verified and gives
// the decision's number. The register checks the rest (the time shown or listed, no new
// penalty or listing) and publishes the decision either way: granted, or refused naming each
// condition unmet. The form then shows the decision's record.

// repairForm is one of the two application forms: its title and note messages, the input
// choosing what the application is about, and how the register decides it.
type repairForm struct {
	title, note, submit string
	choice, choiceLabel string // the input naming the penalty or the listing, and its label's message
	choices             func(*gongshi.Page, calendar.Date) []option
	decide              func(h *Handler, p *page, code string, f repairInput) (*gongshi.Version, error)
}

// repairInput is what the regulator submitted.
type repairInput struct {
	Choice                                     string
	Special, ObligationsFulfilled, HarmRemoved bool
	DocumentNo                                 string
}

var creditRepairForm = repairForm{
	title: "repair.title", note: "repair.note", submit: "repair.submit", choice: "penalty", choiceLabel: "repair.penalty",
	choices: currentPenalties,
	decide: func(h *Handler, p *page, code string, f repairInput) (*gongshi.Version, error) {
		return h.svc.RepairCredit(p.r.Context(), p.Account, code, gongshi.CreditRepairApplication{Penalty: f.Choice, Special: f.Special,
			ObligationsFulfilled: f.ObligationsFulfilled, HarmRemoved: f.HarmRemoved, DocumentNo: f.DocumentNo})
	},
}

var earlyRemovalForm = repairForm{
	title: "early.title", note: "early.note", submit: "repair.submit", choice: "entry", choiceLabel: "early.entry",
	choices: seriousListings,
	decide: func(h *Handler, p *page, code string, f repairInput) (*gongshi.Version, error) {
		return h.svc.RemoveEarly(p.r.Context(), p.Account, code, gongshi.EarlyRemovalApplication{Entry: f.Choice,
			ObligationsFulfilled: f.ObligationsFulfilled, HarmRemoved: f.HarmRemoved, DocumentNo: f.DocumentNo})
	},
}

// currentPenalties are the enterprise's penalties still shown, by decision number.
func currentPenalties(pg *gongshi.Page, _ calendar.Date) []option {
	var out []option
	for _, r := range pg.Records {
		if v := r.Latest(); r.Kind == gongshi.KindPenalty.Name && v.Withdrawn == nil {
			out = append(out, option{r.ID, fmt.Sprintf("%v（%v，%v）", v.Fields["decision_no"], v.Fields["violation"], v.Fields["decided"])})
		}
	}
	return out
}

// seriousListings are the enterprise's serious-list entries in force today.
func seriousListings(pg *gongshi.Page, today calendar.Date) []option {
	var out []option
	if pg.Enterprise.ListStatus == nil {
		return nil
	}
	for _, e := range pg.Enterprise.ListStatus.Entries {
		if e.List == gongshi.ListSerious && e.Active(today) {
			out = append(out, option{e.ID, fmt.Sprintf("%s（%s）", e.DocumentNo, e.Since)})
		}
	}
	return out
}

func (p *page) repairFields(rf repairForm, choices []option, in repairInput) []formField {
	fs := []formField{{Name: rf.choice, ID: "f-" + rf.choice, Label: p.T(rf.choiceLabel), Input: "select", Value: in.Choice,
		Required: true, Options: append([]option{{"", "—"}}, choices...)}}
	if rf.choice == "penalty" {
		fs = append(fs, formField{Name: "special", ID: "f-special", Label: p.T("repair.special"), Input: "checkbox", Checked: in.Special})
	}
	return append(fs,
		formField{Name: "obligations_fulfilled", ID: "f-obligations_fulfilled", Label: p.T("repair.obligations"), Input: "checkbox", Checked: in.ObligationsFulfilled},
		formField{Name: "harm_removed", ID: "f-harm_removed", Label: p.T("repair.harm"), Input: "checkbox", Checked: in.HarmRemoved},
		formField{Name: "document_no", ID: "f-document_no", Label: p.T("list.docno"), Value: in.DocumentNo, Required: true})
}

// repairPage serves form rf: on GET the empty form; on POST the decision, then its record,
// or the form again with the register's complaint.
func (h *Handler) repairPage(rf repairForm) func(*page) error {
	return func(p *page) error {
		if _, err := h.listingSetup(p, rf.title); err != nil {
			return err
		}
		pg, err := h.svc.Page(p.r.Context(), p.Account, p.r.PathValue("code"))
		if err != nil {
			return err
		}
		choices := rf.choices(pg, calendar.DateOf(h.now()))
		var in repairInput
		if p.r.Method == http.MethodPost {
			f := p.r.PostForm
			in = repairInput{Choice: strings.TrimSpace(f.Get(rf.choice)), Special: f.Get("special") != "",
				ObligationsFulfilled: f.Get("obligations_fulfilled") != "", HarmRemoved: f.Get("harm_removed") != "",
				DocumentNo: strings.TrimSpace(f.Get("document_no"))}
			ver, err := rf.decide(h, p, pg.Enterprise.USCC.String(), in)
			if err == nil {
				return p.redirect("/r/" + ver.Record + "?published=1")
			}
			if c := gongshi.ErrorCode(err); c != gongshi.EINVALID && c != gongshi.ECONFLICT {
				return err
			}
			fv := formView{Action: p.r.URL.Path, Submit: p.T(rf.submit), Top: p.repairFields(rf, choices, in)}
			fv.attachError(p, err)
			p.status = http.StatusUnprocessableEntity
			return p.render("listing", listingData{Ent: pg.Enterprise, Form: fv, Title: rf.title, Note: rf.note})
		}
		in.Choice = firstValue(choices)
		fv := formView{Action: p.r.URL.Path, Submit: p.T(rf.submit), Top: p.repairFields(rf, choices, in)}
		return p.render("listing", listingData{Ent: pg.Enterprise, Form: fv, Title: rf.title, Note: rf.note})
	}
}

// firstValue is the value of the only choice, so that the form starts with it chosen.
func firstValue(choices []option) string {
	if len(choices) == 1 {
		return choices[0].Value
	}
	return ""
}
