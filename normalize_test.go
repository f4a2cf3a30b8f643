package gongshi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/gongshi/gongshi/translog"
)

// FuzzNormalize sends random JSON as the fields of every kind: Normalize never panics;
// what it accepts it accepts again unchanged (one spelling per value), and it can be
// sealed into a canonical document that opens back to the same body.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		`{"name":"上海杰图天下网络科技有限公司","type":"有限责任公司","status":"存续","established":"2020-03-15","address":"上海市浦东新区张江路88号","legal_representative":{"name":"张三","id_number":"110101199003074514"},"registered_capital":"1000","contact_phone":"021-68881234"}`,
		`{"decision_no":"沪市监浦处〔2026〕12号","violation":"虚假宣传","content":"警告","fine":"5000.50","authority":"上海市浦东新区市场监督管理局","decided":"2026-05-20","minor":true}`,
		`{"year":2025,"mailing_address":"x","employees":"25","total_assets":-1,"shareholders":[{"name":1}]}`,
		`{"name":"\u202e甲","fine":"007.500","members":1e3,"x":null}`,
	} {
		for i := range Kinds() {
			f.Add(i, []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, i int, in []byte) {
		ks := Kinds()
		k := ks[(i%len(ks)+len(ks))%len(ks)]
		dec := json.NewDecoder(bytes.NewReader(in))
		dec.UseNumber()
		var fields map[string]any
		if dec.Decode(&fields) != nil {
			return
		}
		body, err := k.Normalize(fields)
		if err != nil {
			if AsError(err) == nil {
				t.Fatalf("%s: Normalize(%s): an error without a code: %v", k.Name, in, err)
			}
			return
		}
		again, err := k.Normalize(roundTrip(t, body))
		if err != nil || !reflect.DeepEqual(again, body) {
			t.Fatalf("%s: Normalize is not stable:\n%v\nthen\n%v (%v)", k.Name, body, again, err)
		}
		v := &Version{Record: "1", Kind: k.Name, Subject: "91310115MA1FL0001X", SubjectName: "上海甲公司", Version: 1, Body: body}
		if err := v.Seal(k, []byte("salt"), nil); err != nil {
			t.Fatalf("%s: a normalised body cannot be sealed: %v", k.Name, err)
		}
		opened, err := OpenVersion(StoredVersion{Document: v.Document, Private: v.Private, Salt: []byte("salt")}, true)
		if err != nil || !reflect.DeepEqual(opened.Body, body) {
			t.Fatalf("%s: the document opens to\n%v\nnot\n%v (%v)", k.Name, opened.Body, body, err)
		}
	})
}

// roundTrip is a body as JSON gives it back: what a later version merges over.
func roundTrip(t *testing.T, body map[string]any) map[string]any {
	b, err := translog.CanonicalJSON(body)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}
