package translog

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"
)

func TestCanonicalJSON(t *testing.T) {
	type rec struct {
		B     string    `json:"b"`
		A     int       `json:"a"`
		When  time.Time `json:"when"`
		Inner any       `json:"inner,omitempty"`
	}
	for _, c := range []struct {
		in   any
		want string
	}{
		{nil, `null`},
		{true, `true`},
		{"a\"b\\c\n\t\x01<>&\u2028é", `"a\"b\\c\n\t\u0001<>&` + "\u2028" + `é"`},
		{json.Number("-0"), `0`},
		{json.Number("1e3"), `1000`},
		{json.Number("12.0"), `12`},
		{float64(42), `42`},
		{int64(maxSafeInteger), `9007199254740991`},
		{map[string]any{"b": 1, "a": []any{"x", nil, false}, "": map[string]string{"z": "1", "y": "2"}}, `{"":{"y":"2","z":"1"},"a":["x",null,false],"b":1}`},
		// RFC 8785 §3.2.3: UTF-16 order puts U+1F600 (surrogates D83D…) before U+FB33.
		{map[string]int{"\uFB33": 1, "\U0001F600": 2, "a": 3}, "{\"a\":3,\"\U0001F600\":2,\"\uFB33\":1}"},
		{rec{B: "x", A: 1, When: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}, `{"a":1,"b":"x","when":"2026-01-02T03:04:05Z"}`},
		{json.RawMessage(` { "z" : [ 1 , 2 ] , "a" : "\u00e9" } `), `{"a":"é","z":[1,2]}`},
		{[]string{"b", "a"}, `["b","a"]`},
	} {
		got, err := CanonicalJSON(c.in)
		if err != nil || string(got) != c.want {
			t.Errorf("CanonicalJSON(%#v) = %s, %v; want %s", c.in, got, err, c.want)
		}
	}
}

func TestCanonicalJSONRejects(t *testing.T) {
	for _, in := range []any{
		1.5, math.NaN(), math.Inf(1), int64(maxSafeInteger + 1), uint64(1 << 60), json.Number("1.5"),
		json.Number("x"), "\xff", map[string]any{"\xff": 1}, make(chan int), json.RawMessage(`{"a":1} 2`),
	} {
		if got, err := CanonicalJSON(in); !errors.Is(err, ErrNotCanonical) {
			t.Errorf("CanonicalJSON(%#v) = %s, %v; want ErrNotCanonical", in, got, err)
		}
	}
}

func TestDocumentHash(t *testing.T) {
	if got, want := DocumentHash(nil), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"; got != want {
		t.Errorf("DocumentHash(nil) = %s, want %s", got, want)
	}
}

func ExampleCanonicalJSON() {
	doc, err := CanonicalJSON(map[string]any{"name": "上海杰图天下网络科技有限公司", "capital": 1000000, "code": "91310000MA1FL0001X"})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(doc))
	fmt.Println(DocumentHash(doc))
	// Output:
	// {"capital":1000000,"code":"91310000MA1FL0001X","name":"上海杰图天下网络科技有限公司"}
	// 34b177493c3f3bcd7d5a089bb830692220a9bb667277aae5089d13e470c29bb9
}
