package demo

import (
	"time"
)

// Enterprise is a generated enterprise as its registration first publishes it.
type Enterprise struct {
	USCC        string
	RegNo       string
	Name        string
	Type        string
	LegalRep    string
	Capital     string // 万元, in Currency
	Currency    string
	Established string
	Address     string
}

// Preview returns the first n enterprises of the data set of seed with history until the
// given instant, as Generate would register them, without writing anything. Branches are
// left out.
func Preview(seed int64, n int, until time.Time) []Enterprise {
	w := theWorld()
	u := dayOf(until)
	if u >= w.days {
		u = w.days - 1
	}
	out := make([]Enterprise, 0, n)
	var p plan
	for i := 0; i < n; i++ {
		w.makePlan(&p, seed, uint32(i), u)
		if p.n == 0 {
			continue
		}
		b := p.registration(p.regArose)
		out = append(out, Enterprise{
			USCC: p.uscc(), RegNo: p.regNo(), Name: b["name"].(string), Type: b["type"].(string),
			LegalRep: b["legal_representative"].(map[string]any)["name"].(string),
			Capital:  b["registered_capital"].(string), Currency: b["currency"].(string),
			Established: b["established"].(string), Address: b["address"].(string),
		})
	}
	return out
}
