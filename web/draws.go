package web

import (
	"bytes"
	"strings"

	"github.com/gongshi/gongshi"
)

// Spot-check draws (Art. 14; SPEC §6): the published plans and draws, each with what anyone
// needs to re-derive it — population digest and the log checkpoint it is pinned to, the
// seed commitment, the revealed seed, the selection — and the results per enterprise.

type drawsData struct {
	Draws []*gongshi.Draw
}

// draws lists the latest draws.
func (h *Handler) draws(p *page) error {
	ds, err := h.svc.Draws(p.r.Context(), strings.TrimSpace(p.r.URL.Query().Get("jurisdiction")))
	if err != nil {
		return err
	}
	p.Title = p.T("draw.list")
	return p.render("draws", drawsData{Draws: ds})
}

type drawData struct {
	Draw      *gongshi.Draw
	Selection []string // the result text's lines, at most maxSelectionLines
	More      bool     // the result has more lines than shown
	Results   []*gongshi.SpotCheckResult
}

// maxSelectionLines keeps a draw's page under 100 KB; the whole result is one link away.
const maxSelectionLines = 300

// draw shows one draw with its verification data.
func (h *Handler) draw(p *page) error {
	ctx := p.r.Context()
	n := p.r.PathValue("number")
	d, err := h.svc.Draw(ctx, n)
	if err != nil {
		return err
	}
	p.Title = p.T("draw.title") + " " + d.Number
	data := drawData{Draw: d}
	if d.Seed != "" {
		text, err := h.svc.DrawText(ctx, d.Number, "result")
		if err != nil && gongshi.ErrorCode(err) != gongshi.ENOTFOUND {
			return err
		}
		lines := strings.Split(string(bytes.TrimRight(text, "\n")), "\n")
		if len(lines) > maxSelectionLines {
			lines, data.More = lines[:maxSelectionLines], true
		}
		if len(text) > 0 {
			data.Selection = lines
		}
		if data.Results, err = h.svc.SpotCheckResults(ctx, d.Number); err != nil {
			return err
		}
	}
	return p.render("draw", data)
}
