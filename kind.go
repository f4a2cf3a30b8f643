package gongshi

import (
	"fmt"
	"slices"
)

// Visibility says who may see a field of a record (Art. 9; SPEC §4, §9).
type Visibility int

const (
	// Public fields are shown to everyone and stored in clear in the public document.
	Public Visibility = iota
	// NonPublic fields are shown only to the publisher, regulators in scope and those the
	// enterprise has given consent to (Art. 9); the public document holds a salted hash.
	NonPublic
	// Personal fields (ID numbers, natural persons' phone numbers) are never public; the
	// public document holds a salted hash so they stay provable.
	Personal
)

func (v Visibility) String() string {
	switch v {
	case Public:
		return "public"
	case NonPublic:
		return "non-public"
	default:
		return "personal"
	}
}

// FieldType is the type of a record field's value. Bodies are JSON objects; every value is
// normalised to one canonical JSON form per type so that documents hash the same everywhere.
type FieldType string

const (
	TypeText    FieldType = "text"    // a non-empty string, trimmed
	TypeDate    FieldType = "date"    // "YYYY-MM-DD", a civil date
	TypeAmount  FieldType = "amount"  // a non-negative decimal with at most 6 decimals, as a string: "1000.5"
	TypeInteger FieldType = "integer" // a non-negative integer
	TypePercent FieldType = "percent" // a decimal from 0 to 100, as a string
	TypeBool    FieldType = "bool"
	TypeEnum    FieldType = "enum"   // one of Field.Enum
	TypeCode    FieldType = "code"   // a USCC or registration number
	TypeRegNo   FieldType = "regno"  // a 15-digit registration number (注册号, GS 15-2006)
	TypeIDNo    FieldType = "idno"   // an identity document number of a natural person (always Personal)
	TypePhone   FieldType = "phone"  // a telephone number: digits, optional leading +, '-' and spaces
	TypeEmail   FieldType = "email"  // an e-mail address
	TypePostal  FieldType = "postal" // a 6-digit Chinese postal code
	TypeURL     FieldType = "url"    // an http or https URL
	TypeList    FieldType = "list"   // a list of objects described by Field.Fields
	TypeObject  FieldType = "object" // an object described by Field.Fields

	// TypeSignedAmount is an amount that may be negative (a loss, negative owners' equity): "-12.5".
	TypeSignedAmount FieldType = "signed_amount"
)

// Field describes one field of a record body.
type Field struct {
	Name       string     `json:"name"`
	Label      string     `json:"label"` // Chinese label shown on pages
	Type       FieldType  `json:"type"`
	Required   bool       `json:"required,omitempty"`
	Visibility Visibility `json:"-"`
	Enum       []string   `json:"enum,omitempty"`
	Fields     []Field    `json:"fields,omitempty"` // of a list's items or an object
	// Text is what a text field may hold (text.go): one line by default.
	Text TextRule `json:"text,omitempty"`
	// Future marks a date that may be after today: the end of a term, a deadline. Other
	// dates are of what has happened.
	Future bool `json:"future,omitempty"`
	// Prior marks a date that may be before the enterprise was established: capital
	// subscribed or paid in before registration. Other dates are of the enterprise's life.
	Prior bool `json:"prior,omitempty"`
	// Event marks the date of what the record records (a penalty decided, an equity
	// transfer made): the information arose that day at the latest, so no version of the
	// record may say it arose later (Art. 6, 10: the 20 working days count from it).
	Event bool `json:"event,omitempty"`
}

// Section groups records on the enterprise page as the national system does.
type Section string

const (
	SectionRegistration Section = "registration" // 登记信息 / 工商公示信息: published by market regulators
	SectionEnterprise   Section = "enterprise"   // 企业公示信息: the enterprise's own disclosures
	SectionDepartment   Section = "department"   // 其他部门公示信息: other departments' records
	SectionJudicial     Section = "judicial"     // 司法协助信息: courts' notices about shareholders' equity
)

// Kind is a kind of published record: what it holds, who may publish it, and which
// policy entry sets its publication deadline.
type Kind struct {
	Name       string  `json:"name"`
	Label      string  `json:"label"`
	Article    string  `json:"article"`
	Publishers []Role  `json:"publishers"`
	Fields     []Field `json:"fields"`
	// Enterprise is true for kinds an enterprise discloses about itself (Art. 10): the
	// deadline is then the enterprise's, and corrections are the enterprise's to make.
	Enterprise bool `json:"-"`
	// Hooks is what kinds with rules of their own add (annual reports, orders); see hooks.go.
	Hooks `json:"-"`
}

// MayPublish reports whether role may publish records of this kind.
func (k *Kind) MayPublish(r Role) bool {
	for _, p := range k.Publishers {
		if p == r {
			return true
		}
	}
	return false
}

// Field returns the field with the given name, or nil.
func (k *Kind) Field(name string) *Field { return findField(k.Fields, name) }

func findField(fs []Field, name string) *Field {
	for i := range fs {
		if fs[i].Name == name {
			return &fs[i]
		}
	}
	return nil
}

var kinds = map[string]*Kind{}
var kindOrder []string

func defineKind(k *Kind) *Kind {
	kinds[k.Name] = k
	kindOrder = append(kindOrder, k.Name)
	return k
}

// LookupKind returns the kind of the given name.
func LookupKind(name string) (*Kind, error) {
	if k, ok := kinds[name]; ok {
		return k, nil
	}
	return nil, Invalid("kind", "unknown record kind "+quote(name), "use one of "+joinQuoted(kindOrder))
}

// CheckKinds checks a filter's record kinds (a kind query parameter's values), each a
// kind or one of also (the change feed's draw): the error names the first that is not.
func CheckKinds(names []string, also ...string) error {
	fix := "see GET /api/v1/kinds"
	for _, a := range also {
		fix += ", or " + a
	}
	for _, k := range names {
		if _, ok := kinds[k]; !ok && !slices.Contains(also, k) {
			return Invalid("kind", fmt.Sprintf("%q is not a record kind", k), fix)
		}
	}
	return nil
}

// Kinds returns every record kind in a stable order.
func Kinds() []*Kind {
	ks := make([]*Kind, len(kindOrder))
	for i, n := range kindOrder {
		ks[i] = kinds[n]
	}
	return ks
}
