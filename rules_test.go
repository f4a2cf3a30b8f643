package gongshi

import (
	"testing"
	"time"

	"github.com/gongshi/gongshi/calendar"
	"github.com/gongshi/gongshi/ident"
)

var (
	testEnt   = &Enterprise{USCC: mustUSCC("91310115MA1FL00079"), Division: "310115", Name: "上海甲科技有限公司"}
	shanghai  = &Account{ID: "reg-sh", Role: RoleRegulator, Jurisdiction: "310000"}
	beijing   = &Account{ID: "reg-bj", Role: RoleRegulator, Jurisdiction: "110000"}
	health    = &Account{ID: "dept-health", Role: RoleDepartment, Kinds: []string{"licence"}}
	tax       = &Account{ID: "dept-tax", Role: RoleDepartment, Kinds: []string{"penalty"}}
	liaison   = &Account{ID: "liaison", Role: RoleEnterprise, Enterprise: "91310115MA1FL00079"}
	otherLia  = &Account{ID: "liaison-2", Role: RoleEnterprise, Enterprise: "91110000MA1FL0002X"}
	adminAcct = &Account{ID: "admin", Role: RoleAdmin}
)

func TestMayPublish(t *testing.T) {
	for _, tc := range []struct {
		who  *Account
		kind *Kind
		want string // error code, "" for allowed
	}{
		{shanghai, KindPenalty, ""},
		{beijing, KindPenalty, EFORBIDDEN},  // outside jurisdiction (Art. 6)
		{shanghai, KindLicence, EFORBIDDEN}, // licences are departments' (Art. 7)
		{health, KindLicence, ""},
		{health, KindPenalty, EFORBIDDEN}, // not authorised for penalties
		{tax, KindPenalty, ""},
		{liaison, KindCapitalContribution, ""}, // Art. 10
		{otherLia, KindCapitalContribution, EFORBIDDEN},
		{liaison, KindChattelMortgage, EFORBIDDEN},
		{adminAcct, KindChattelMortgage, ""},
		{Anonymous, KindPenalty, EUNAUTHORIZED},
		{nil, KindPenalty, EUNAUTHORIZED},
	} {
		err := MayPublish(tc.who, tc.kind, testEnt)
		if got := ErrorCode(err); got != tc.want {
			t.Errorf("MayPublish(%v, %s): got %q (%v), want %q", tc.who, tc.kind.Name, got, err, tc.want)
		}
	}
}

func TestMayAmend(t *testing.T) {
	stamp := func(a *Account) *Version { return &Version{Publisher: a.Authority()} }
	settlement := &Version{Publisher: Authority{Account: SettlementAccount, Role: RoleRegulator}}
	for _, tc := range []struct {
		name     string
		who      *Account
		kind     *Kind
		versions []*Version
		want     string
	}{
		{"its publisher", health, KindLicence, []*Version{stamp(health)}, ""},
		{"another department", &Account{ID: "dept-2", Role: RoleDepartment, Kinds: []string{"licence"}}, KindLicence, []*Version{stamp(health)}, EFORBIDDEN},
		{"a regulator, a department's record", shanghai, KindPenalty, []*Version{stamp(tax)}, EFORBIDDEN},
		{"the enterprise, its own disclosure", liaison, KindCapitalContribution, []*Version{stamp(liaison)}, ""},
		// A settlement of provisional dates (settle.go) does not make the record the
		// regulator's: the enterprise still corrects it.
		{"after a settlement", liaison, KindCapitalContribution, []*Version{stamp(liaison), settlement}, ""},
		{"the regulator, after a settlement", shanghai, KindCapitalContribution, []*Version{stamp(liaison), settlement}, EFORBIDDEN},
		{"out of jurisdiction", beijing, KindPenalty, []*Version{stamp(shanghai)}, EFORBIDDEN},
		{"an administrator", adminAcct, KindPenalty, []*Version{stamp(tax)}, ""},
		{"the public", Anonymous, KindPenalty, []*Version{stamp(shanghai)}, EUNAUTHORIZED},
	} {
		r := &Record{ID: "1", Kind: tc.kind.Name, Versions: tc.versions}
		if got := ErrorCode(MayAmend(tc.who, r, testEnt)); got != tc.want {
			t.Errorf("%s: MayAmend: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// sealed seals a registration body and returns its stored form.
func sealed(t *testing.T, body map[string]any, salt []byte) StoredVersion {
	t.Helper()
	b, err := KindRegistration.Normalize(body)
	if err != nil {
		t.Fatal(err)
	}
	v := &Version{Record: "1", Kind: "registration", Subject: testEnt.USCC.String(), SubjectName: testEnt.Name, Version: 1,
		Arose: calendar.MustDate(2020, 3, 15), PublishedAt: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC), Body: b}
	if err := v.Seal(KindRegistration, salt, nil); err != nil {
		t.Fatal(err)
	}
	return StoredVersion{LogIndex: 7, Document: v.Document, Private: v.Private, Salt: salt}
}

var registrationBody = map[string]any{"name": "上海甲科技有限公司", "type": "有限责任公司", "status": "存续", "established": "2020-03-15",
	"address": "上海市浦东新区张江路88号", "contact_phone": "021-68881234",
	"legal_representative": map[string]any{"name": "张三", "id_number": "110101199003074514"}}

// TestOpenVersion: the public sees public fields only; with the private values every
// hidden value comes back, and a private value that does not match its salted hash, is
// missing or has no hash in the document is an internal error, never served.
func TestOpenVersion(t *testing.T) {
	salt := []byte("0123456789abcdef")
	sv := sealed(t, registrationBody, salt)
	pub, err := OpenVersion(StoredVersion{LogIndex: sv.LogIndex, Document: sv.Document}, false)
	if err != nil || pub.Body["contact_phone"] != nil || objectField(pub.Body, "legal_representative")["id_number"] != nil || pub.Body["name"] != "上海甲科技有限公司" {
		t.Fatalf("public body: %v, %v", pub.Body, err)
	}
	all, err := OpenVersion(sv, true)
	if err != nil || all.Body["contact_phone"] != "021-68881234" || objectField(all.Body, "legal_representative")["id_number"] != "110101199003074514" {
		t.Fatalf("full body: %v, %v", all.Body, err)
	}
	for name, bad := range map[string]StoredVersion{
		"changed value": {Document: sv.Document, Salt: salt, Private: []byte(`{"contact_phone":"021-68880000","legal_representative.id_number":"110101199003074514"}`)},
		"missing value": {Document: sv.Document, Salt: salt, Private: []byte(`{"contact_phone":"021-68881234"}`)},
		"extra value":   {Document: sv.Document, Salt: salt, Private: []byte(`{"contact_phone":"021-68881234","legal_representative.id_number":"110101199003074514","scope":"x"}`)},
		"other salt":    {Document: sv.Document, Salt: []byte("fedcba9876543210"), Private: sv.Private},
		"no values":     {Document: sv.Document, Salt: salt},
	} {
		if _, err := OpenVersion(bad, true); ErrorCode(err) != EINTERNAL {
			t.Errorf("%s: got %v, want an internal error", name, err)
		}
	}
	if _, err := OpenVersion(StoredVersion{Document: append([]byte(nil), sv.Document[:len(sv.Document)-1]...)}, false); ErrorCode(err) != EINTERNAL {
		t.Errorf("a truncated document: got %v, want an internal error", err)
	}
}

// decided is a first version of a decision kind about testEnt.
func decided(kind *Kind, record string, idx int64, fields map[string]any) *Version {
	return &Version{Record: record, Kind: kind.Name, Subject: testEnt.USCC.String(), SubjectName: testEnt.Name, Version: 1, LogIndex: idx,
		Publisher: Authority{Account: "enforcement-sweep", Role: RoleRegulator, Name: "浦东新区市场监督管理局", Jurisdiction: "310115"}, Body: fields}
}

func TestProjectEntries(t *testing.T) {
	listing := decided(KindAbnormalListing, "10", 1, map[string]any{"list": ListAbnormal, "ground": int64(1), "period": "2015",
		"counted_from": "2016-07-01", "decided": "2016-07-04", "authority": "浦东新区市场监督管理局", "document_no": "浦市监信〔2016〕10号"})
	warning := decided(KindAbnormalWarning, "11", 2, map[string]any{"listing": "10", "decided": "2019-05-06"})
	serious := decided(KindSeriousListing, "12", 3, map[string]any{"list": ListSerious, "ground": int64(1), "period": "2015", "listing": "10",
		"counted_from": "2016-07-04", "decided": "2019-07-04", "ban_until": "2022-07-04", "banned_person": "张三", "document_no": "12号"})
	expiry := decided(KindSeriousExpiry, "13", 4, map[string]any{"listing": "12", "decided": "2024-07-04", "outcome": EndAutomatic})
	second := decided(KindAbnormalListing, "14", 5, map[string]any{"list": ListAbnormal, "ground": int64(1), "period": "2016", "decided": "2017-07-04"})
	refused := decided(KindRemovalAnswer, "15", 6, map[string]any{"listing": "14", "decided": "2017-08-01", "outcome": OutcomeRefused})
	upheld := decided(KindObjectionAnswer, "16", 7, map[string]any{"listing": "14", "decided": "2017-08-10", "outcome": OutcomeUpheld})
	void := &Version{Record: "14", Kind: KindAbnormalListing.Name, Version: 2, LogIndex: 8, Body: map[string]any{"status": "void"}}

	es := ProjectEntries([]*Version{listing, warning, serious, expiry, second, refused, upheld, void})
	if len(es) != 3 {
		t.Fatalf("got %d entries, want 3: %+v", len(es), es)
	}
	a, s, b := es[0], es[1], es[2]
	if a.ID != "10" || a.Since != "2016-07-04" || a.Warned != "2019-05-06" || a.Until != "" || a.Division != "310115" || a.Jurisdiction != "310115" {
		t.Errorf("the listing: %+v", a)
	}
	if s.List != ListSerious || s.Origin != "10" || s.BanUntil != "2022-07-04" || s.Until != "2024-07-04" || s.Ended != EndAutomatic || s.EndRecord != "13" {
		t.Errorf("the serious listing: %+v", s)
	}
	if b.Until != "2017-08-10" || b.Ended != EndCorrected || b.EndRecord != "16" {
		t.Errorf("the listing found wrong: %+v", b)
	}
	for _, tc := range []struct {
		e    *ListEntry
		on   calendar.Date
		want bool
	}{
		{a, calendar.MustDate(2016, 7, 3), false}, {a, calendar.MustDate(2016, 7, 4), true}, {a, calendar.MustDate(2030, 1, 1), true},
		{s, calendar.MustDate(2024, 7, 3), true}, {s, calendar.MustDate(2024, 7, 4), false},
		{b, calendar.MustDate(2017, 7, 5), false}, // void from the start
	} {
		if got := tc.e.Active(tc.on); got != tc.want {
			t.Errorf("entry %s active on %s: got %v, want %v", tc.e.ID, tc.on, got, tc.want)
		}
	}
}

// TestDossierWithdrawal: a withdrawal hides the versions logged before it, not after.
func TestDossierWithdrawal(t *testing.T) {
	reg := sealedVersion(t, KindRegistration, "1", 1, 0, registrationBody)
	pen1 := sealedVersion(t, KindPenalty, "2", 1, 1, map[string]any{"decision_no": "沪市监罚〔2016〕1号", "violation": "虚假宣传", "content": "罚款",
		"authority": "上海市浦东新区市场监督管理局", "decided": "2016-03-20"})
	w := sealedVersion(t, KindWithdrawal, "3", 1, 2, map[string]any{"record": "2", "record_kind": "penalty", "reason": "公示期届满"})
	pen2 := sealedVersion(t, KindPenalty, "2", 2, 3, map[string]any{"decision_no": "沪市监罚〔2016〕1号", "violation": "虚假宣传", "content": "罚款五百元",
		"authority": "上海市浦东新区市场监督管理局", "decided": "2016-03-20"})
	d, err := OpenDossier([]StoredVersion{reg, pen1, w, pen2}, false)
	if err != nil {
		t.Fatal(err)
	}
	p := d.Record("2")
	if p.Versions[0].Withdrawn == nil || p.Versions[1].Withdrawn != nil {
		t.Errorf("withdrawn: v1 %v, v2 %v; want v1 only", p.Versions[0].Withdrawn, p.Versions[1].Withdrawn)
	}
	if d.Enterprise.Name != "上海甲科技有限公司" || d.Enterprise.Established != calendar.MustDate(2020, 3, 15) {
		t.Errorf("enterprise: %+v", d.Enterprise)
	}
}

func sealedVersion(t *testing.T, k *Kind, record string, version int, idx int64, fields map[string]any) StoredVersion {
	t.Helper()
	b, err := k.Normalize(fields)
	if err != nil {
		t.Fatal(err)
	}
	v := &Version{Record: record, Kind: k.Name, Subject: testEnt.USCC.String(), SubjectName: testEnt.Name, Version: version,
		PublishedAt: time.Date(2026, 3, 2, 1, 0, int(idx), 0, time.UTC), Publisher: shanghai.Authority(), Body: b}
	var prev *Version
	if version > 1 {
		prev = &Version{Version: version - 1, Body: b, SHA256: "00"}
	}
	if err := v.Seal(k, []byte("salt"), prev); err != nil {
		t.Fatal(err)
	}
	return StoredVersion{LogIndex: idx, Document: v.Document}
}

func TestEnterpriseMatches(t *testing.T) {
	e := &Enterprise{USCC: mustUSCC("91310115MA1FL00079"), RegNo: mustRegNo("310115000123456"), Name: "上海杰图天下网络科技有限公司", Former: []string{"上海杰图软件有限公司"}, LegalRep: "张三"}
	for q, want := range map[string]bool{
		"9131011": true, "310115000": true, "上海杰图": true, "网络科技": true, "杰图软件": true, "张三": true,
		"shjt": true, "SHJT": true, "北京": false, "9144": false, "bjkj": false,
	} {
		if got := e.Matches(q); got != want {
			t.Errorf("Matches(%q): got %v, want %v", q, got, want)
		}
	}
}

func mustUSCC(s string) ident.USCC {
	u, err := ident.ParseUSCC(s)
	if err != nil {
		panic(err)
	}
	return u
}

func mustRegNo(s string) ident.RegNo {
	r, err := ident.ParseRegNo(s)
	if err != nil {
		panic(err)
	}
	return r
}

// TestOwesAnnualReport: an enterprise is judged for a report only if its registration
// arose by the day the filing window closed.
func TestOwesAnnualReport(t *testing.T) {
	closes := calendar.MustDate(2026, 6, 30)
	for _, c := range []struct {
		arose calendar.Date
		want  bool
	}{
		{calendar.MustDate(2015, 3, 2), true},
		{closes, true},
		{calendar.MustDate(2026, 7, 1), false},
		{calendar.MustDate(2026, 12, 2), false}, // imported after the window closed
		{calendar.Date{}, true},
	} {
		if got := OwesAnnualReport(&Version{Arose: c.arose}, closes); got != c.want {
			t.Errorf("arose %s: got %v, want %v", c.arose, got, c.want)
		}
	}
}
