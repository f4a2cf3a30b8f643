package demo

import (
	"context"

	"github.com/gongshi/gongshi"
)

// The lists of spot-check items (随机抽查事项清单, 国办发〔2015〕58号): every provincial market
// regulator publishes the market regulators' common items, and each department of
// district A's province one item of its own; the finale's draws name them.

// regulatorItems are the items every market regulator publishes.
var regulatorItems = []struct{ category, name, object, content, basis string }{
	{"企业信息公示", "企业公示信息的抽查", "辖区内登记的企业、农民专业合作社、个体工商户",
		"年度报告公示信息；即时公示信息的真实性、及时性", "《企业信息公示暂行条例》第十四条；《企业公示信息抽查暂行办法》（原国家工商行政管理总局令第67号）"},
	{"登记事项", "登记事项的检查", "辖区内登记的企业",
		"住所（经营场所）、注册资本实缴、法定代表人等登记事项与登记情况是否一致", "《中华人民共和国市场主体登记管理条例》第三十五条、第三十八条"},
	{"广告监管", "广告发布行为的检查", "广告主、广告经营者、广告发布者",
		"广告内容是否真实、合法；广告发布登记及广告业务档案", "《中华人民共和国广告法》第四十九条"},
}

// departmentItems are the items of each department (in the order of departments).
var departmentItems = [numDepts]struct{ name, object, content, basis string }{
	{"排污单位的抽查", "取得排污许可证的排污单位", "按证排污、自行监测和执行报告情况", "《排污许可管理条例》第二十六条"},
	{"公共场所卫生的抽查", "住宿、餐饮等公共场所经营者", "卫生许可证、从业人员健康合格证明及卫生状况", "《公共场所卫生管理条例》第十条"},
	{"建筑施工企业的抽查", "取得建筑业企业资质的企业", "资质条件和安全生产条件保持情况", "《建筑业企业资质管理规定》第二十四条"},
	{"危险化学品经营单位的抽查", "危险化学品经营单位", "经营许可条件和安全管理制度落实情况", "《危险化学品安全管理条例》第六条"},
	{"道路运输经营者的抽查", "道路货物运输经营者", "经营许可、车辆技术状况和从业人员资格", "《中华人民共和国道路运输条例》第五十八条"},
	{"营业性演出经营主体的抽查", "演出经纪机构、演出场所经营单位", "营业性演出许可和演出活动情况", "《营业性演出管理条例》第三十四条"},
}

// publishCheckItems publishes the lists in one unit of work and returns the ids of
// regulator's items, then those of the departments of its province (depts).
func (x *extra) publishCheckItems(ctx context.Context, svc *gongshi.Service, regulators []*gongshi.Account, regulator *gongshi.Account, depts []*gongshi.Account) ([]string, int, error) {
	var own []string
	n := 0
	err := svc.Store.Write(ctx, func(tx gongshi.Tx) error {
		for _, r := range regulators {
			for _, it := range regulatorItems {
				c, err := svc.PublishCheckItemTx(tx, r, map[string]any{"category": it.category, "name": it.name, "object": it.object,
					"content": it.content, "methods": methods("written", "on_site", "network"), "basis": it.basis, "authority": r.Name})
				if err != nil {
					return err
				}
				n++
				if r == regulator {
					own = append(own, c.ID)
				}
			}
		}
		for d, a := range depts {
			it := departmentItems[d]
			c, err := svc.PublishCheckItemTx(tx, a, map[string]any{"category": departments[d].province + "监督检查", "name": it.name, "object": it.object,
				"content": it.content, "methods": methods("on_site"), "basis": it.basis, "authority": a.Name})
			if err != nil {
				return err
			}
			n++
			own = append(own, c.ID)
		}
		return nil
	})
	return own, n, err
}

func methods(ms ...string) []any {
	out := make([]any, len(ms))
	for i, m := range ms {
		out[i] = map[string]any{"method": m}
	}
	return out
}
