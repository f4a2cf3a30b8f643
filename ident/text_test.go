package ident

import (
	"database/sql/driver"
	"encoding/json"
	"testing"
)

func TestJSON(t *testing.T) {
	type rec struct {
		USCC  USCC    `json:"uscc"`
		RegNo RegNo   `json:"reg_no"`
		Org   OrgCode `json:"org"`
		Code  Code    `json:"code"`
		Empty USCC    `json:"empty"`
	}
	in := `{"uscc":"914403001922038216","reg_no":"440301103097413","org":"19220382-1","code":"110108012660422","empty":""}`
	var r rec
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"uscc":"914403001922038216","reg_no":"440301103097413","org":"192203821","code":"110108012660422","empty":""}`
	if string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
	if err := json.Unmarshal([]byte(`{"uscc":"914403001922038217"}`), &r); err == nil {
		t.Error("json.Unmarshal accepted a bad check character")
	}
}

func TestSQL(t *testing.T) {
	u, _ := ParseUSCC("914403001922038216")
	for _, v := range []interface {
		driver.Valuer
	}{u, USCC{}} {
		val, err := v.Value()
		if err != nil {
			t.Fatal(err)
		}
		var got USCC
		if err := got.Scan(val); err != nil || got != v.(USCC) {
			t.Errorf("Scan(Value(%v)) = %v, %v", v, got, err)
		}
	}
	var r RegNo
	if err := r.Scan([]byte("440301103097413")); err != nil || r.String() != "440301103097413" {
		t.Errorf("RegNo.Scan([]byte) = %v, %v", r, err)
	}
	var o OrgCode
	if err := o.Scan(42); err == nil {
		t.Error("OrgCode.Scan(42): no error")
	}
	var c Code
	if err := c.Scan("91110108551385082Q"); err != nil || c.Kind() != KindUSCC {
		t.Errorf("Code.Scan = %v, %v", c, err)
	}
	if v, _ := (Code{}).Value(); v != nil {
		t.Errorf("Code{}.Value() = %v, want nil", v)
	}
}
