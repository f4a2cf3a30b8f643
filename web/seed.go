package web

import (
	"context"
	"fmt"

	"github.com/gongshi/gongshi"
	"github.com/gongshi/gongshi/ident"
)

// Seeded names what Seed created, for browser tests and screenshots.
type Seeded struct {
	Password   string // every seeded account's password
	Regulator  string // account id: Shanghai market regulator (310000)
	Liaison    string // account id: the liaison of Enterprise
	Department string // account id: a health commission authorised for licences and penalties
	Enterprise string // USCC of an enterprise with a history of every section
	Others     []string
}

// SeedPassword is the password of every account Seed creates. Seed is for tests and
// screenshots on throw-away registers only.
const SeedPassword = "gongshi-demo-2026"

// Seed fills an empty register with a few enterprises and records of every section, with
// a change and a correction, and accounts with passwords for each role. It publishes through
// the Service like everyone else.
func Seed(ctx context.Context, svc *gongshi.Service) (*Seeded, error) {
	s := &Seeded{Password: SeedPassword, Regulator: "sh-officer", Liaison: "jietu-liaison", Department: "sh-health"}
	acct := func(in gongshi.NewAccount) (*gongshi.Account, error) {
		in.Password = SeedPassword
		a, _, err := svc.CreateAccount(ctx, in)
		return a, err
	}
	reg, err := acct(gongshi.NewAccount{ID: s.Regulator, Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"})
	if err != nil {
		return nil, err
	}
	dept, err := acct(gongshi.NewAccount{ID: s.Department, Name: "上海市卫生健康委员会", Role: gongshi.RoleDepartment, Jurisdiction: "310000", Kinds: []string{"licence", "penalty"}})
	if err != nil {
		return nil, err
	}
	type ent struct {
		div, name, typ, rep, addr, est string
		seq                            uint64
		industry                       string // section of GB/T 4754-2017
	}
	ents := []ent{
		{"310115", "上海杰图天下网络科技有限公司", "有限责任公司", "张伟", "上海市浦东新区张江路1号", "2020-03-16", 1, "I"},
		{"310104", "上海徐汇明德餐饮管理有限公司", "有限责任公司", "李娜", "上海市徐汇区漕溪北路88号", "2018-07-02", 2, "H"},
		{"310105", "上海长宁星光文化传播有限公司", "有限责任公司", "王芳", "上海市长宁区延安西路500号", "2021-11-20", 3, "R"},
		{"310115", "上海浦东张江生物医药股份有限公司", "股份有限公司", "刘洋", "上海市浦东新区蔡伦路200号", "2016-05-09", 4, "C"},
	}
	for i, e := range ents {
		u, err := ident.GenerateUSCC('9', '1', e.div, e.seq)
		if err != nil {
			return nil, err
		}
		fields := map[string]any{
			"name": e.name, "type": e.typ, "established": e.est, "address": e.addr, "status": "存续", "industry": e.industry,
			"legal_representative": map[string]any{"name": e.rep, "id_number": "11010519491231002X"},
			"registered_capital":   fmt.Sprint(500 * (i + 1)), "currency": "CNY",
			"scope":         "技术开发、技术咨询、技术服务；软件开发；信息系统集成服务。",
			"contact_phone": "021-68881234",
			"shareholders": []any{
				map[string]any{"name": e.rep, "kind": "natural_person", "id_number": "11010519491231002X", "subscribed": fmt.Sprint(300 * (i + 1))},
				map[string]any{"name": "上海张江高科技园区开发股份有限公司", "kind": "legal_person", "subscribed": fmt.Sprint(200 * (i + 1))},
			},
			"key_personnel": []any{
				map[string]any{"name": e.rep, "position": "执行董事"},
				map[string]any{"name": "陈静", "position": "监事"},
			},
		}
		if _, _, err := svc.Register(ctx, reg, gongshi.Registration{USCC: u.String(), Fields: fields}); err != nil {
			return nil, fmt.Errorf("seed %s: %w", e.name, err)
		}
		if i == 0 {
			s.Enterprise = u.String()
		} else {
			s.Others = append(s.Others, u.String())
		}
	}
	first, err := svc.Enterprise(ctx, reg, s.Enterprise)
	if err != nil {
		return nil, err
	}
	if _, err := svc.Amend(ctx, reg, first.Registration, gongshi.Amendment{Arose: "2024-04-08", Reason: "住所变更",
		Fields: map[string]any{"address": "上海市浦东新区祖冲之路2277号"}}); err != nil {
		return nil, fmt.Errorf("seed change: %w", err)
	}
	if _, err := svc.Publish(ctx, dept, s.Enterprise, gongshi.Publication{Kind: "licence", Arose: "2023-09-01", Fields: map[string]any{
		"licence_no": "沪卫食证字〔2023〕第0815号", "name": "食品经营许可证", "action": "granted", "issuer": "上海市卫生健康委员会",
		"valid_from": "2023-09-01", "valid_to": "2028-08-31"}}); err != nil {
		return nil, fmt.Errorf("seed licence: %w", err)
	}
	if _, err := svc.Publish(ctx, reg, s.Enterprise, gongshi.Publication{Kind: "penalty", Arose: "2025-03-12", Fields: map[string]any{
		"decision_no": "沪市监浦处〔2025〕152号", "violation": "虚假宣传", "content": "警告，罚款人民币二万元", "fine": "20000",
		"authority": "上海市浦东新区市场监督管理局", "decided": "2025-03-12"}}); err != nil {
		return nil, fmt.Errorf("seed penalty: %w", err)
	}
	liaison, err := acct(gongshi.NewAccount{ID: s.Liaison, Name: first.Name, Role: gongshi.RoleEnterprise, Enterprise: s.Enterprise})
	if err != nil {
		return nil, err
	}
	v, err := svc.Publish(ctx, liaison, s.Enterprise, gongshi.Publication{Kind: "capital_contribution", Arose: "2025-01-10", Fields: map[string]any{
		"shareholder": "张伟", "subscribed": "300", "subscribed_date": "2025-01-10", "subscribed_form": "currency", "paid": "100", "paid_date": "2025-01-10", "paid_form": "currency"}})
	if err != nil {
		return nil, fmt.Errorf("seed capital: %w", err)
	}
	if _, err := svc.Amend(ctx, liaison, v.Record, gongshi.Amendment{Reason: "实缴金额填报有误", Fields: map[string]any{"paid": "150"}}); err != nil {
		return nil, fmt.Errorf("seed correction: %w", err)
	}
	return s, nil
}
