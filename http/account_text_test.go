package http_test

import (
	"context"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
)

// TestAccountIDIsPublishedText: an account's id and name are published with what it
// publishes, so control and bidi characters are refused in them as in any published text.
func TestAccountIDIsPublishedText(t *testing.T) {
	e := newEnv(t, ghttp.Options{})
	for _, in := range []gongshi.NewAccount{
		{ID: "reg-\x1b[31m", Role: gongshi.RoleRegulator, Jurisdiction: "310000"},
		{ID: "reg-rlo", Name: "上海\u202e局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"},
		{ID: "reg-\x00", Role: gongshi.RoleRegulator, Jurisdiction: "310000"},
	} {
		_, _, err := e.svc.CreateAccount(context.Background(), in)
		if gongshi.ErrorCode(err) != gongshi.EINVALID {
			t.Errorf("account %q named %q: got %v, want invalid", in.ID, in.Name, err)
		}
	}
}
