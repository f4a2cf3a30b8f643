package web

import (
	"strings"

	"github.com/gongshi/gongshi"
)

// The lists of spot-check items (随机抽查事项清单, 国办发〔2015〕58号 二(一)): what each
// authority checks by random selection, of whom, how and on what legal basis, read from
// the items' published versions (GET /api/v1/check-items gives the same).

type checkItemsData struct {
	Items    []*gongshi.CheckItem
	Division string
	State    string
}

var (
	qItemDivision = param("division", "a 6-digit division code, e.g. 310115: the items that apply there", pattern("^[0-9]{6}$", 6))
	qItemState    = param("state", "in_force or void", map[string]any{"type": "string", "enum": []string{gongshi.CheckItemInForce, gongshi.CheckItemVoid}})
	qAuthority    = param("authority", "the account id of the authority that published the items", text(64))
)

// checkItems lists the items that apply in a division (all of them without one).
func (h *Handler) checkItems(p *page) error {
	q := p.r.URL.Query()
	d := checkItemsData{Division: strings.TrimSpace(q.Get("division")), State: q.Get("state")}
	items, err := h.svc.CheckItems(p.r.Context(), gongshi.CheckItemQuery{Division: d.Division, Authority: q.Get("authority"), State: d.State})
	if err != nil {
		return err
	}
	d.Items = items
	p.Title = p.T("items.title")
	return p.render("checkitems", d)
}

// ItemStates are the states an item may be filtered by.
func (p *page) ItemStates() []string {
	return []string{gongshi.CheckItemInForce, gongshi.CheckItemVoid}
}

// Methods names a check item's methods in the page's language.
func (p *page) Methods(fields map[string]any) string {
	l, _ := fields["methods"].([]any)
	var out []string
	for _, x := range l {
		if m, ok := x.(map[string]any); ok {
			if s, ok := m["method"].(string); ok {
				out = append(out, p.enumLabel(s))
			}
		}
	}
	return strings.Join(out, "、")
}
