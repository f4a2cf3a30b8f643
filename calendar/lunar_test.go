package calendar

import (
	"testing"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// TestDefaultMatchesLunar checks every day of the built-in years against
// lunar-go's HolidayUtil, the source holidays.txt was generated from.
func TestDefaultMatchesLunar(t *testing.T) {
	c := Default()
	if ys := c.Years(); ys[0] != 2002 || ys[len(ys)-1] != 2027 || len(ys) != 26 {
		t.Fatalf("Years() = %v, want 2002 to 2027", ys)
	}
	for x := MustDate(2002, time.January, 1); x.Year() <= 2027; x = x.AddDays(1) {
		wantWork, wantName := x.Weekday() != time.Saturday && x.Weekday() != time.Sunday, ""
		y, m, dd := x.Civil()
		if h := HolidayUtil.GetHolidayByYmd(y, int(m), dd); h != nil {
			wantWork, wantName = h.IsWork(), h.GetName()
		}
		info, err := c.Explain(x)
		if err != nil {
			t.Fatal(err)
		}
		if info.Working != wantWork {
			t.Errorf("%v: working = %v, lunar-go says %v", x, info.Working, wantWork)
		}
		if info.Reason >= Holiday && info.Name != wantName {
			t.Errorf("%v: name %q, lunar-go says %q", x, info.Name, wantName)
		}
	}
}
