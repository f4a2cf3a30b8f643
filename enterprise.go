package gongshi

import (
	"time"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/ident"
)

// EnterpriseTypes are the registered types (类型) an enterprise can have.
var EnterpriseTypes = []string{
	"有限责任公司", "股份有限公司", "个人独资企业", "合伙企业", "外商投资企业", "分公司",
	"个体工商户", "农民专业合作社",
}

// EnterpriseStatuses are the registration statuses (登记状态).
var EnterpriseStatuses = []string{"存续", "在业", "吊销", "注销", "迁出", "歇业"}

// Category is how the regulation treats an entity (SPEC §11): individual businesses are
// marked rather than listed, and file their own report forms.
type Category string

const (
	CategoryEnterprise  Category = "enterprise"  // 企业
	CategoryIndividual  Category = "individual"  // 个体工商户
	CategoryCooperative Category = "cooperative" // 农民专业合作社
)

// CategoryOf returns the category of a registered type.
func CategoryOf(typ string) Category {
	switch typ {
	case "个体工商户":
		return CategoryIndividual
	case "农民专业合作社":
		return CategoryCooperative
	}
	return CategoryEnterprise
}

// Enterprise is the register's current view of an enterprise (SPEC §3): the latest version
// of its registration record, plus what the register derives from it.
type Enterprise struct {
	USCC     ident.USCC  `json:"uscc"`
	RegNo    ident.RegNo `json:"registration_number,omitzero"`
	Name     string      `json:"name"`
	Former   []string    `json:"former_names,omitempty"`
	Type     string      `json:"type"`
	Category Category    `json:"category"`
	// Division is the 6-digit administrative division of the registration authority;
	// regulators act on enterprises whose division lies in their jurisdiction.
	Division       string        `json:"division"`
	Status         string        `json:"status"`
	LegalRep       string        `json:"legal_representative"`
	Established    calendar.Date `json:"established"`
	Registration   string        `json:"registration_record"` // id of the registration record
	RegisteredAt   time.Time     `json:"registered_at"`
	LatestChangeAt time.Time     `json:"latest_change_at"`
	// Industry and Size are what a draw's stratum selects by (industry.go): the section
	// its registration names, and its size band. Pages show the profile they come from.
	Industry string `json:"-"`
	Size     string `json:"-"`
	// Profile is the latest registration version's body as the caller may see it.
	Profile map[string]any `json:"profile,omitempty"`
	// ListStatus is the enterprise's list status (Art. 17; enforcement.go), on its page.
	ListStatus *ListStatus `json:"list_status,omitempty"`
}
