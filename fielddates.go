package gongshi

import (
	"fmt"

	"github.com/gongshi/gongshi/calendar"
)

// checkDates checks every date of a normalised body against the enterprise's life: a date
// is not after today unless its field is Future (the end of a term, a deadline), and not
// before the enterprise was established unless its field is Prior (capital subscribed or
// paid in before registration). Each error names the date's own field by its JSON path.
// established is "YYYY-MM-DD", or "" when unknown.
func checkDates(fields []Field, obj map[string]any, path, established string, today calendar.Date) error {
	for _, f := range fields {
		v, ok := obj[f.Name]
		if !ok {
			continue
		}
		p := join(path, f.Name)
		var err error
		switch f.Type {
		case TypeDate:
			err = checkDate(f, p, v.(string), established, today)
		case TypeObject:
			err = checkDates(f.Fields, v.(map[string]any), p, established, today)
		case TypeList:
			for i, it := range v.([]any) {
				if err = checkDates(f.Fields, it.(map[string]any), fmt.Sprintf("%s[%d]", p, i), established, today); err != nil {
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

func checkDate(f Field, p, d, established string, today calendar.Date) error {
	if !f.Future && d > today.String() {
		return Invalid(p, fmt.Sprintf("%s is in the future (today is %s)", d, today), "give the date on which it happened")
	}
	if !f.Prior {
		return checkNotBefore(p, d, established)
	}
	return nil
}
