package gongshi

import (
	"fmt"

	"github.com/gongshi/gongshi/calendar"
)

// checkDates checks every date of a normalised body against the enterprise's life: a date
// is not after today unless its field is Future (the end of a term, a deadline), and not
// before the enterprise was established unless its field is Prior (capital subscribed or
// paid in before registration). Each error names the date's own field by its JSON path.
// established is the zero Date when unknown.
func checkDates(fields []Field, obj map[string]any, path string, established, today calendar.Date) error {
	for _, f := range fields {
		v, ok := obj[f.Name]
		if !ok {
			continue
		}
		p := join(path, f.Name)
		var err error
		switch f.Type {
		case TypeDate:
			err = checkDate(f, p, v, established, today)
		case TypeObject:
			m, _ := v.(map[string]any)
			err = checkDates(f.Fields, m, p, established, today)
		case TypeList:
			items, _ := v.([]any)
			for i, it := range items {
				m, _ := it.(map[string]any)
				if err = checkDates(f.Fields, m, fmt.Sprintf("%s[%d]", p, i), established, today); err != nil {
					break
				}
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func checkDate(f Field, p string, v any, established, today calendar.Date) error {
	s, _ := v.(string)
	d, err := calendar.ParseDate(s)
	if err != nil {
		return Invalid(p, fmt.Sprintf("%q is not a date", s), "write it as YYYY-MM-DD, e.g. 2026-03-15")
	}
	if !f.Future && d.After(today) {
		return Invalid(p, fmt.Sprintf("%s is in the future (today is %s)", d, today), "give the date on which it happened")
	}
	if !f.Prior {
		return checkNotBefore(p, d, established)
	}
	return nil
}
