package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gongshi/gongshi"
)

// Cases (Art. 12, 13): anyone looks up a case's state by its number; the regulator in
// scope sees its content and who filed it, and reviews, answers and closes it. The queue
// of the regulator's desk lists the cases due and overdue.

type caseData struct {
	Number   string
	Case     *gongshi.Case
	Outcomes []string
	Err      *gongshi.Error
	Answer   string
	Outcome  string
	Regular  bool // the visitor is a regulator who may act on it
}

// caseLookup is the public lookup: a form, and the case when a number is given with its
// check code (the regulator in scope needs no code).
func (h *Handler) caseLookup(p *page) error {
	n := strings.TrimSpace(p.r.URL.Query().Get("number"))
	p.Title = p.T("case.title")
	if n == "" {
		return p.render("case", caseData{})
	}
	to := "/case/" + url.PathEscape(n)
	if c := strings.TrimSpace(p.r.URL.Query().Get("check")); c != "" {
		to += "?check=" + url.QueryEscape(c)
	}
	return p.redirect(to)
}

// casePage shows a case as the visitor may see it.
func (h *Handler) casePage(p *page) error { return h.showCase(p, nil, "", "") }

func (h *Handler) showCase(p *page, ferr error, outcome, answer string) error {
	n := p.r.PathValue("number")
	p.Title = p.T("case.title") + " " + n
	p.private = true
	c, err := h.svc.Case(p.r.Context(), p.Account, n, p.r.URL.Query().Get("check"))
	if gongshi.ErrorCode(err) == gongshi.ENOTFOUND {
		p.status = http.StatusNotFound
		return p.render("case", caseData{Number: n, Err: p.localError(err)})
	}
	if err != nil {
		return err
	}
	d := caseData{Number: n, Case: c, Outcome: outcome, Answer: answer, Err: p.localError(ferr),
		Regular: gongshi.MaySeeCase(p.Account, c)}
	d.Outcomes = caseOutcomes[c.Kind]
	if ferr != nil {
		p.status = http.StatusUnprocessableEntity
	}
	return p.render("case", d)
}

// caseOutcomes mirror the domain's outcomes per case kind, for the answer form's choices;
// the service checks the one chosen.
var caseOutcomes = map[string][]string{
	gongshi.CaseReport:     {"unfounded", gongshi.OutcomeFalse, "other_handling"},
	gongshi.CaseInquiry:    {"answered"},
	gongshi.CaseCorrection: {"corrected", "refused"},
}

// caseAction reviews, answers or closes a case (Service.ReviewCase, AnswerCase, CloseCase).
func (h *Handler) caseAction(p *page) error {
	if err := p.requireRole(gongshi.RoleRegulator, gongshi.RoleAdmin); err != nil {
		return err
	}
	ctx, n, f := p.r.Context(), p.r.PathValue("number"), p.r.PostForm
	var err error
	switch f.Get("action") {
	case "review":
		_, err = h.svc.ReviewCase(ctx, p.Account, n)
	case "answer":
		_, err = h.svc.AnswerCase(ctx, p.Account, n, gongshi.CaseAnswer{Outcome: f.Get("outcome"), Answer: f.Get("answer")})
	case "close":
		_, err = h.svc.CloseCase(ctx, p.Account, n)
	default:
		err = gongshi.Invalid("action", "unknown action", "use review, answer or close")
	}
	if c := gongshi.ErrorCode(err); c == gongshi.EINVALID || c == gongshi.ECONFLICT {
		return h.showCase(p, err, f.Get("outcome"), f.Get("answer"))
	}
	if err != nil {
		return err
	}
	return p.redirect("/case/" + url.PathEscape(n))
}

// queue lists the removal applications and objections (issue 5) and the cases (issue 6)
// due in the regulator's jurisdiction.
func (h *Handler) queue(p *page) ([]queueItem, error) {
	cs, err := h.svc.CaseQueue(p.r.Context(), p.Account, false)
	if err != nil {
		return nil, err
	}
	out, err := h.enforcementQueue(p)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		out = append(out, queueItem{What: p.T("case.kind."+c.Kind) + " " + c.Number + " · " + c.Subject,
			Enterprise: c.EnterpriseName, Due: p.dueText(c.Due, c.Provisional), Link: "/case/" + url.PathEscape(c.Number), Overdue: c.Overdue,
			State: p.T("case.state." + c.State)})
	}
	return out, nil
}
