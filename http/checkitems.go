package http

import (
	"net/http"
	"net/url"

	"github.com/gongshi/gongshi"
)

// The lists of spot-check items (随机抽查事项清单, 国办发〔2015〕58号; checkitems.go).

// CheckItemList is GET /api/v1/check-items.
type CheckItemList struct {
	Items []*gongshi.CheckItem `json:"items"`
}

// CheckItemRequest publishes a check item.
type CheckItemRequest struct {
	Fields map[string]any `json:"fields"`
}

// WithdrawRequest withdraws a check item, saying why.
type WithdrawRequest struct {
	Reason string `json:"reason"`
}

func init() {
	pathParams["item"] = Param{"item", "A check item's id (its record's).", patSchema("^[0-9]+$", 20)}
}

func (s *Server) checkItemRoutes() []*route {
	publishers := []gongshi.Role{gongshi.RoleRegulator, gongshi.RoleDepartment}
	return []*route{
		{Method: "GET", Path: "/api/v1/check-items", serve: s.checkItems, Tag: "spot checks",
			Summary: "The lists of spot-check items (随机抽查事项清单)",
			Description: "国办发〔2015〕58号 二(一): each authority publishes the checks it makes by random selection — category, item, who is checked, " +
				"what, how, on what legal basis, by whom. In id order; withdrawn (void) items stay listed unless `state=in_force`.",
			Query: []Param{
				{"division", "Only items that apply in this 6-digit division: of authorities whose jurisdiction covers it (national departments' too).", patSchema("^[0-9]{6}$", 6)},
				{"authority", "Only items published by this account.", schema{"type": "string", "maxLength": 64}},
				{"state", "in_force or void.", enumSchema("", gongshi.CheckItemInForce, gongshi.CheckItemVoid)},
			},
			Status: 200, Response: "CheckItemList"},
		{Method: "POST", Path: "/api/v1/check-items", serve: s.publishCheckItem, Auth: true, Roles: publishers, Tag: "spot checks",
			Summary:     "Publish an item of the caller's list",
			Description: "A market regulator's, or a department's for its own checks; its jurisdiction is the caller's. `fields` as Fields.check_item, without `state` (a new item is in force).",
			Request:     "CheckItemRequest", Status: 201, Response: "CheckItem"},
		{Method: "GET", Path: "/api/v1/check-items/{item}", serve: s.checkItem, Tag: "spot checks",
			Summary: "A check item with every version", Status: 200, Response: "CheckItem"},
		{Method: "POST", Path: "/api/v1/check-items/{item}/versions", serve: s.correctCheckItem, Auth: true, Roles: publishers, Tag: "spot checks",
			Summary:     "Correct an item in force",
			Description: "A new version with a `reason`; fields given replace the old ones. Its publisher corrects it, or a regulator over a regulator's item.",
			Request:     "Amendment", Status: 201, Response: "CheckItem", Errors: []int{409}},
		{Method: "POST", Path: "/api/v1/check-items/{item}/withdraw", serve: s.withdrawCheckItem, Auth: true, Roles: publishers, Tag: "spot checks",
			Summary:     "Withdraw an item (废止)",
			Description: "Its last version, state void, with the `reason`; it stays published. A draw planned later may not name it.",
			Request:     "WithdrawRequest", Status: 200, Response: "CheckItem", Errors: []int{409}},
	}
}

func checkItemSchemas() schema {
	return schema{
		"CheckItem": obj("An item of an authority's list of spot-check items, as its versions publish it.",
			req("id", "jurisdiction", "state", "fields", "publisher", "versions"), schema{
				"id":           strSchema("Its record's id: name it in a draw's plan (check_items)."),
				"jurisdiction": strSchema("Its publisher's 6-digit division code; 000000 for a national department."),
				"state":        enumSchema("", gongshi.CheckItemInForce, gongshi.CheckItemVoid),
				"fields":       ref("Fields.check_item"),
				"publisher":    ref("Authority"),
				"versions":     arr(ref("Version")),
			}),
		"CheckItemList":    obj("", req("items"), schema{"items": arr(ref("CheckItem"))}),
		"CheckItemRequest": obj("A new check item.", req("fields"), schema{"fields": ref("Fields.check_item")}),
		"WithdrawRequest":  obj("", req("reason"), schema{"reason": strSchema("Why the item is withdrawn.")}),
		"DrawCheckItem": obj("A check item a plan names, pinned to the version in force then.", req("id", "name", "sha256"), schema{
			"id": strSchema(""), "name": strSchema(""), "sha256": strSchema("The item's version the plan named: GET /api/v1/documents/{sha256}."),
		}),
	}
}

func (s *Server) checkItems(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	items, err := s.Service.CheckItems(r.Context(), gongshi.CheckItemQuery{Division: q.Get("division"), Authority: q.Get("authority"), State: q.Get("state")})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, &CheckItemList{Items: items})
	return nil
}

func (s *Server) publishCheckItem(w http.ResponseWriter, r *http.Request) error {
	var in CheckItemRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.Service.PublishCheckItem(r.Context(), accountFrom(r.Context()), in.Fields)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/check-items/"+url.PathEscape(c.ID))
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) checkItem(w http.ResponseWriter, r *http.Request) error {
	c, err := s.Service.CheckItem(r.Context(), r.PathValue("item"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) correctCheckItem(w http.ResponseWriter, r *http.Request) error {
	var in gongshi.Amendment
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.Service.CorrectCheckItem(r.Context(), accountFrom(r.Context()), r.PathValue("item"), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/check-items/"+url.PathEscape(c.ID))
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) withdrawCheckItem(w http.ResponseWriter, r *http.Request) error {
	var in WithdrawRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.Service.WithdrawCheckItem(r.Context(), accountFrom(r.Context()), r.PathValue("item"), in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}
