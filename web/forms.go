package web

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gongshi/gongshi"
)

// A form is generated from a record kind's fields: each input is named by the field's
// JSON path ("legal_representative.name", "shareholders[0].name"), which is also how the
// domain's errors name a field, so a server-side error lands next to its input.

type formField struct {
	Name, ID, Label string
	Input           string // text, date, select, checkbox, textarea
	Mode            string // inputmode: decimal, numeric, tel, email, url
	Value           string
	Checked         bool
	Options         []option
	Required        bool
	Err, Fix        string // the server's complaint about this field
	ErrHead         string // on a Chinese page, what the complaint is, when it is in English
}

type option struct{ Value, Label string }

type formGroup struct {
	Legend   string
	Fields   []formField
	RowsName string // for a list: the hidden input holding the number of rows
	Rows     int
}

type formView struct {
	Action, Submit string
	Top            []formField // inputs besides the body: code, date arisen, reason
	Groups         []formGroup
	Err            *gongshi.Error // the error, for the summary at the top
	ErrLinked      bool           // the error names an input on the form
	Step           int            // a step of a form in steps (the annual report), else 0
}

// kindForm builds the inputs of a kind's body, filled with values.
func (p *page) kindForm(k *gongshi.Kind, values map[string]any) []formGroup {
	main := formGroup{Legend: p.KindLabel(k.Name)}
	var extra []formGroup
	for _, f := range k.Fields {
		if f.Name == "paper_entry" { // set by the register, never by a form (SPEC §11)
			continue
		}
		switch f.Type {
		case gongshi.TypeObject:
			m, _ := values[f.Name].(map[string]any)
			g := formGroup{Legend: p.label(f)}
			for _, sf := range f.Fields {
				g.Fields = append(g.Fields, p.input(sf, f.Name+"."+sf.Name, m[sf.Name], f.Required && sf.Required))
			}
			extra = append(extra, g)
		case gongshi.TypeList:
			items, _ := values[f.Name].([]any)
			rows := len(items) + 1
			if rows < 2 {
				rows = 2
			}
			g := formGroup{Legend: p.label(f), RowsName: f.Name + ".rows", Rows: rows}
			for i := 0; i < rows; i++ {
				var m map[string]any
				if i < len(items) {
					m, _ = items[i].(map[string]any)
				}
				for _, sf := range f.Fields {
					in := p.input(sf, fmt.Sprintf("%s[%d].%s", f.Name, i, sf.Name), m[sf.Name], false)
					in.Label = fmt.Sprintf("%s %d · %s", p.label(f), i+1, in.Label)
					g.Fields = append(g.Fields, in)
				}
			}
			extra = append(extra, g)
		default:
			main.Fields = append(main.Fields, p.input(f, f.Name, values[f.Name], f.Required))
		}
	}
	return append([]formGroup{main}, extra...)
}

func (p *page) input(f gongshi.Field, name string, v any, required bool) formField {
	in := formField{Name: name, ID: "f-" + strings.NewReplacer(".", "-", "[", "-", "]", "").Replace(name),
		Label: p.label(f), Input: "text", Required: required}
	if v != nil {
		in.Value = fmt.Sprint(v)
	}
	switch f.Type {
	case gongshi.TypeDate:
		in.Input = "date"
	case gongshi.TypeAmount, gongshi.TypePercent, gongshi.TypeSignedAmount:
		in.Mode = "decimal"
	case gongshi.TypeInteger:
		in.Mode = "numeric"
	case gongshi.TypePhone:
		in.Mode = "tel"
	case gongshi.TypeEmail:
		in.Mode = "email"
	case gongshi.TypeURL:
		in.Mode = "url"
	case gongshi.TypeBool:
		in.Input, in.Checked = "checkbox", v == true
	case gongshi.TypeEnum:
		in.Input = "select"
		in.Options = append(in.Options, option{"", "—"})
		for _, e := range f.Enum {
			in.Options = append(in.Options, option{e, p.enumLabel(e)})
		}
	}
	if f.Text == gongshi.TextMultiline {
		in.Input = "textarea"
	}
	return in
}

// parseKindForm reads a kind's body from a submitted form; empty inputs are left out.
func parseKindForm(k *gongshi.Kind, form url.Values) map[string]any {
	body := map[string]any{}
	for _, f := range k.Fields {
		switch f.Type {
		case gongshi.TypeObject:
			if m := parseObject(f.Fields, f.Name+".", form); len(m) > 0 {
				body[f.Name] = m
			}
		case gongshi.TypeList:
			rows := atoiDefault(form.Get(f.Name+".rows"), 0)
			if rows > 200 {
				rows = 200
			}
			var items []any
			for i := 0; i < rows; i++ {
				if m := parseObject(f.Fields, fmt.Sprintf("%s[%d].", f.Name, i), form); len(m) > 0 {
					items = append(items, m)
				}
			}
			if len(items) > 0 {
				body[f.Name] = items
			}
		default:
			if v, ok := scalar(f, form.Get(f.Name)); ok {
				body[f.Name] = v
			}
		}
	}
	return body
}

func parseObject(fields []gongshi.Field, prefix string, form url.Values) map[string]any {
	m := map[string]any{}
	for _, f := range fields {
		if v, ok := scalar(f, form.Get(prefix+f.Name)); ok {
			m[f.Name] = v
		}
	}
	return m
}

func scalar(f gongshi.Field, s string) (any, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	switch f.Type {
	case gongshi.TypeBool:
		return s == "on" || s == "true", true
	}
	return s, true
}

// attachError puts a domain error next to the input it names (its JSON path, with the
// "fields." prefix the service adds to body errors removed), and in the summary.
func (fv *formView) attachError(p *page, err error) {
	e := p.localError(err)
	if e == nil {
		return
	}
	fv.Err = e
	name := strings.TrimPrefix(e.Field, "fields.")
	mark := func(fs []formField) {
		for i := range fs {
			if fs[i].Name == name && name != "" {
				fs[i].Err, fs[i].Fix = e.Message, e.Fix
				fv.ErrLinked = true
			}
		}
	}
	mark(fv.Top)
	for gi := range fv.Groups {
		mark(fv.Groups[gi].Fields)
	}
}

// ErrID is the id of the input the error names, for the summary's link.
func (fv *formView) ErrID() string {
	if fv.Err == nil {
		return ""
	}
	name := strings.TrimPrefix(fv.Err.Field, "fields.")
	for _, f := range fv.Top {
		if f.Name == name {
			return f.ID
		}
	}
	for _, g := range fv.Groups {
		for _, f := range g.Fields {
			if f.Name == name {
				return f.ID
			}
		}
	}
	return ""
}

// ErrLabel is the label of the input the error names, for the summary.
func (fv *formView) ErrLabel() string {
	id := fv.ErrID()
	for _, f := range fv.Top {
		if f.ID == id && id != "" {
			return f.Label
		}
	}
	for _, g := range fv.Groups {
		for _, f := range g.Fields {
			if f.ID == id && id != "" {
				return f.Label
			}
		}
	}
	return ""
}

// localize heads each field's complaint the service gave in English with its error code's
// Chinese headline, on a Chinese page; the English follows, marked as such.
func (fv *formView) localize(p *page) {
	if fv.Err == nil || !p.Untranslated(fv.Err) {
		return
	}
	head := p.ErrorHeadline(fv.Err)
	set := func(fs []formField) {
		for i := range fs {
			if fs[i].Err != "" {
				fs[i].ErrHead = head
			}
		}
	}
	set(fv.Top)
	for gi := range fv.Groups {
		set(fv.Groups[gi].Fields)
	}
}
