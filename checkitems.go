package gongshi

import (
	"context"
	"fmt"
	"strings"

	"github.com/gongshi/gongshi/calendar"
)

// The list of spot-check items (随机抽查事项清单). 国务院办公厅关于推广随机抽查规范事中事后监管的通知
// (国办发〔2015〕58号) 二(一): each authority makes and publishes the list of the checks it
// carries out by random selection — a check that no law, regulation or rule provides for
// is not to be made — naming for each item what is checked, of whom, how and on what legal
// basis (the SAIC's list, 工商总局随机抽查事项清单, has the columns 抽查类别, 抽查事项, 检查对象,
// 检查方式, 检查依据 and 实施主体). Order 67 (企业公示信息抽查暂行办法) is the basis of the
// market regulator's own first item, the check of what enterprises publish.
//
// An item is a record about no enterprise (like a draw: NewPlainRecord), its subject the
// publisher's jurisdiction (NationalDivision for a national department), published by a
// market regulator or by a department for its own checks. It is versioned like every
// record: a correction is a new version with a reason and the changes; an item no longer
// checked is withdrawn by a last version whose state is void (废止), which stays
// published. A draw's plan may name the items it covers: each must exist, be in force on
// the day of the plan and apply across the draw's jurisdiction; the plan's document pins
// the version it named (its SHA-256).

// Check-item states.
const (
	CheckItemInForce = "in_force" // 有效
	CheckItemVoid    = "void"     // 已废止: withdrawn
)

// NationalDivision is the subject of a national department's items: all of China.
const NationalDivision = "000000"

// KindCheckItem is a spot-check item of an authority's list.
var KindCheckItem = defineKind(&Kind{
	Name: "check_item", Label: "随机抽查事项", Article: "国办发〔2015〕58号 二(一)",
	Publishers: []Role{RoleRegulator, RoleDepartment},
	Fields: []Field{
		{Name: "category", Label: "抽查类别", Type: TypeText, Required: true},
		{Name: "name", Label: "抽查事项", Type: TypeText, Required: true},
		{Name: "object", Label: "检查对象", Type: TypeText, Required: true},
		{Name: "content", Label: "检查内容", Type: TypeText, Required: true, Text: TextMultiline},
		{Name: "methods", Label: "检查方式", Type: TypeList, Required: true, Fields: []Field{
			{Name: "method", Label: "检查方式", Type: TypeEnum, Required: true, Enum: CheckMethods},
		}},
		{Name: "basis", Label: "检查依据", Type: TypeText, Required: true, Text: TextMultiline},
		{Name: "authority", Label: "实施主体", Type: TypeText, Required: true},
		{Name: "state", Label: "状态", Type: TypeEnum, Required: true, Enum: []string{CheckItemInForce, CheckItemVoid}},
	},
	Hooks: Hooks{Route: "POST /api/v1/check-items"},
})

// AboutNoEnterprise reports whether records of a kind are about no enterprise (draws,
// check items): their subject is a division code, and they are on no enterprise's page.
func AboutNoEnterprise(kind string) bool {
	return kind == KindDraw || kind == KindCheckItem.Name
}

// CheckItem is an item of a list of spot-check items, as its versions publish it.
type CheckItem struct {
	ID           string         `json:"id"`           // its record's id
	Jurisdiction string         `json:"jurisdiction"` // its publisher's; 000000 for a national department
	State        string         `json:"state"`
	Fields       map[string]any `json:"fields"` // the latest version's
	Publisher    Authority      `json:"publisher"`
	Versions     []*Version     `json:"versions"` // oldest first
}

// CheckItemOf is the item its record's versions publish.
func CheckItemOf(vs []*Version) (*CheckItem, error) {
	if len(vs) == 0 || vs[0].Kind != KindCheckItem.Name {
		return nil, Errorf(EINTERNAL, "not a check item's versions")
	}
	for _, v := range vs {
		v.Fields = v.Body
	}
	last := vs[len(vs)-1]
	return &CheckItem{ID: last.Record, Jurisdiction: last.Subject, State: stringField(last.Body, "state"), Fields: last.Body,
		Publisher: vs[0].Publisher, Versions: vs}, nil
}

// Name is the item's name (抽查事项).
func (c *CheckItem) Name() string { return stringField(c.Fields, "name") }

// ItemPrefix is the division-code prefix an item applies in.
func ItemPrefix(jurisdiction string) string {
	if jurisdiction == NationalDivision {
		return ""
	}
	return JurisdictionPrefix(jurisdiction)
}

// CheckItemTx is what the list of check items needs of a write transaction. It is part
// of Tx.
type CheckItemTx interface {
	// PutCheckItem makes the row by which items are listed from the item's latest version.
	PutCheckItem(c *CheckItem) error
}

// CheckItemStore is what the list of check items reads. It is part of Store.
type CheckItemStore interface {
	// CheckItemVersions returns the stored versions of an item's record, oldest first.
	CheckItemVersions(ctx context.Context, id string) ([]StoredVersion, error)
	// CheckItems returns the stored versions of the items q selects, in id order.
	CheckItems(ctx context.Context, q CheckItemQuery) ([][]StoredVersion, error)
}

// CheckItemQuery selects items of the lists.
type CheckItemQuery struct {
	// Division selects the items that apply in it: those of authorities whose jurisdiction
	// covers it (a 6-digit code; "" for every item).
	Division string
	// Authority selects the items published by an account ("" for any).
	Authority string
	// State selects in-force or void items; "" for both.
	State string
}

// PublishCheckItem publishes an item of the caller's list: a market regulator's, or a
// department's for its own checks.
func (s *SpotChecks) PublishCheckItem(ctx context.Context, actor *Account, fields map[string]any) (c *CheckItem, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		c, err = s.PublishCheckItemTx(tx, actor, fields)
		return err
	})
	return c, err
}

// PublishCheckItemTx is PublishCheckItem inside a write transaction.
func (s *SpotChecks) PublishCheckItemTx(tx Tx, actor *Account, fields map[string]any) (*CheckItem, error) {
	if actor.Role != RoleRegulator && actor.Role != RoleDepartment {
		return nil, Errorf(EFORBIDDEN, "check items are published by market regulators and departments for their own checks (国办发〔2015〕58号); this account is %s", withArticle(string(actor.Role)))
	}
	if st, ok := fields["state"]; ok && st != CheckItemInForce {
		return nil, Invalid("fields.state", "a new item is in force", "leave state out; withdraw an item at POST /api/v1/check-items/{id}/withdraw")
	}
	fields = mergeFields(fields, map[string]any{"state": CheckItemInForce})
	body, err := KindCheckItem.Normalize(fields)
	if err != nil {
		return nil, prefixField(err, "fields")
	}
	j := actor.Jurisdiction
	if j == "" {
		j = NationalDivision
	}
	id, err := tx.NewPlainRecord(KindCheckItem.Name)
	if err != nil {
		return nil, err
	}
	return s.sealCheckItem(tx, actor, id, j, body, "", nil)
}

// CorrectCheckItem publishes a corrected version of an item in force.
func (s *SpotChecks) CorrectCheckItem(ctx context.Context, actor *Account, id string, in Amendment) (c *CheckItem, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		vs, err := s.itemToAmend(tx, actor, id, in.Reason)
		if err != nil {
			return err
		}
		prev := vs[len(vs)-1]
		if st, ok := in.Fields["state"]; ok && st != CheckItemInForce {
			return Invalid("fields.state", "a correction keeps the item in force", "withdraw an item at POST /api/v1/check-items/{id}/withdraw")
		}
		body, err := KindCheckItem.Normalize(mergeFields(prev.Body, in.Fields))
		if err != nil {
			return prefixField(err, "fields")
		}
		if len(KindCheckItem.Diff(body, prev.Body)) == 0 {
			return ErrNoChange
		}
		c, err = s.sealCheckItem(tx, actor, prev.Record, prev.Subject, body, in.Reason, vs)
		return err
	})
	return c, err
}

// WithdrawCheckItem publishes an item's last version, void: the authority no longer makes
// the check. A draw planned later may not name it.
func (s *SpotChecks) WithdrawCheckItem(ctx context.Context, actor *Account, id, reason string) (c *CheckItem, err error) {
	err = s.Store.Write(ctx, func(tx Tx) error {
		vs, err := s.itemToAmend(tx, actor, id, reason)
		if err != nil {
			return err
		}
		prev := vs[len(vs)-1]
		body := mergeFields(prev.Body, map[string]any{"state": CheckItemVoid})
		c, err = s.sealCheckItem(tx, actor, prev.Record, prev.Subject, body, reason, vs)
		return err
	})
	return c, err
}

// itemToAmend reads an item in force that actor may amend (its publisher, or a regulator
// over the jurisdiction of a regulator's item), with a reason given.
func (s *SpotChecks) itemToAmend(tx Tx, actor *Account, id, reason string) ([]*Version, error) {
	if err := cleanTexts(textInput{"reason", &reason, TextLine}); err != nil {
		return nil, err
	}
	vs, err := itemVersions(tx, "id", id)
	if err != nil {
		return nil, err
	}
	first, prev := vs[0], vs[len(vs)-1]
	regulatorOver := actor.Role == RoleRegulator && first.Publisher.Role == RoleRegulator && actor.Covers(prev.Subject)
	if actor.ID != first.Publisher.Account && !regulatorOver {
		return nil, Errorf(EFORBIDDEN, "check item %s is %s's: its publisher amends it", id, first.Publisher.Name)
	}
	if reason == "" {
		return nil, Invalid("reason", "is required", "say why the item changes, e.g. 检查依据修订")
	}
	if stringField(prev.Body, "state") != CheckItemInForce {
		return nil, Errorf(ECONFLICT, "check item %s was withdrawn on %s", id, calendar.DateOf(prev.PublishedAt))
	}
	return vs, nil
}

// itemVersions reads the versions of check item id, given in field.
func itemVersions(tx Tx, field, id string) ([]*Version, error) {
	vs, err := tx.Versions(strings.TrimSpace(id))
	if err != nil && ErrorCode(err) != ENOTFOUND && ErrorCode(err) != EINVALID {
		return nil, err
	}
	if err != nil || vs[0].Kind != KindCheckItem.Name {
		return nil, &Error{Code: ENOTFOUND, Field: field, Message: fmt.Sprintf("no check item %q", id), Fix: "take its id from GET /api/v1/check-items"}
	}
	return vs, nil
}

// sealCheckItem publishes version len(prev)+1 of an item about jurisdiction j.
func (s *SpotChecks) sealCheckItem(tx Tx, actor *Account, id, j string, body map[string]any, reason string, prev []*Version) (*CheckItem, error) {
	v := &Version{Record: id, Kind: KindCheckItem.Name, Subject: j, SubjectName: actor.Name, Version: len(prev) + 1,
		Arose: calendar.DateOf(tx.Now()), PublishedAt: tx.Now(), Publisher: actor.Authority(), Reason: reason, OnTime: true, Body: body}
	var last *Version
	if len(prev) > 0 {
		last = prev[len(prev)-1]
		v.SubjectName = last.SubjectName
	}
	if err := v.Seal(KindCheckItem, nil, last); err != nil {
		return nil, err
	}
	if err := tx.AppendVersion(v); err != nil {
		return nil, err
	}
	c, err := CheckItemOf(append(prev, v))
	if err != nil {
		return nil, err
	}
	return c, tx.PutCheckItem(c)
}

// CheckItem returns an item with every version.
func (s *SpotChecks) CheckItem(ctx context.Context, id string) (*CheckItem, error) {
	svs, err := s.Store.CheckItemVersions(ctx, strings.TrimSpace(id))
	if err != nil {
		return nil, err
	}
	return openCheckItem(svs)
}

func openCheckItem(svs []StoredVersion) (*CheckItem, error) {
	vs, err := OpenVersions(svs, false)
	if err != nil {
		return nil, err
	}
	return CheckItemOf(vs)
}

// CheckItems lists the items q selects.
func (s *SpotChecks) CheckItems(ctx context.Context, q CheckItemQuery) ([]*CheckItem, error) {
	if q.Division != "" && (len(q.Division) != 6 || strings.Trim(q.Division, "0123456789") != "") {
		return nil, Invalid("division", fmt.Sprintf("%q is not a 6-digit division code", q.Division), "give e.g. 310115 for the items that apply in Pudong, or leave it out")
	}
	switch q.State {
	case "", CheckItemInForce, CheckItemVoid:
	default:
		return nil, Invalid("state", "unknown value "+quote(q.State), "use in_force or void, or leave it out for both")
	}
	all, err := s.Store.CheckItems(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]*CheckItem, len(all))
	for i, svs := range all {
		if out[i], err = openCheckItem(svs); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DrawCheckItem is a check item a draw's plan names, pinned to the version it named.
type DrawCheckItem struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	SHA256 string `json:"sha256"` // the item's version in force when the plan was published
}

// drawItems checks the items a plan names: each exists, is in force today and applies
// across the draw's jurisdiction j.
func drawItems(tx Tx, ids []string, j string) ([]DrawCheckItem, error) {
	var out []DrawCheckItem
	seen := map[string]bool{}
	for i, id := range ids {
		field := fmt.Sprintf("check_items[%d]", i)
		vs, err := itemVersions(tx, field, id)
		if e := AsError(err); e != nil && e.Code == ENOTFOUND {
			return nil, &Error{Code: EINVALID, Field: e.Field, Message: e.Message, Fix: e.Fix} // the plan is what is wrong
		} else if err != nil {
			return nil, err
		}
		last := vs[len(vs)-1]
		switch {
		case seen[last.Record]:
			return nil, Invalid(field, fmt.Sprintf("check item %s is named twice", last.Record), "name each item once")
		case stringField(last.Body, "state") != CheckItemInForce:
			return nil, Invalid(field, fmt.Sprintf("check item %s was withdrawn on %s", last.Record, calendar.DateOf(last.PublishedAt)), "name items in force: GET /api/v1/check-items?state=in_force")
		case !strings.HasPrefix(j, ItemPrefix(last.Subject)):
			return nil, Invalid(field, fmt.Sprintf("check item %s is of jurisdiction %s, which does not cover the draw's %s", last.Record, last.Subject, j),
				"name items of an authority over the draw's jurisdiction: GET /api/v1/check-items?division="+j)
		}
		seen[last.Record] = true
		out = append(out, DrawCheckItem{ID: last.Record, Name: stringField(last.Body, "name"), SHA256: last.SHA256})
	}
	return out, nil
}
