package http_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/gongshi/gongshi"
	ghttp "github.com/gongshi/gongshi/http"
	"github.com/gongshi/gongshi/internal/testserver"
	"github.com/gongshi/gongshi/storetest"
)

// TestReadYourWrites, on a server reading from a real streaming replica: every write is
// answered with the log's size, and a read sending it back sees the write at once, as a
// header or as a parameter; a log size that is not a number is 400.
func TestReadYourWrites(t *testing.T) {
	u := storetest.PostgresURL(t)
	st := testserver.Start(t, testserver.Options{Now: testNow, DBURL: u, ReadURL: storetest.PostgresReplicaURL(t, u)})
	e := &env{t: t, url: st.URL, svc: st.Svc, db: st.DB, signer: st.Signer, public: ghttp.NewClient(st.URL, "")}
	_, tok, err := st.Svc.CreateAccount(context.Background(), gongshi.NewAccount{ID: "sh", Name: "上海市市场监督管理局", Role: gongshi.RoleRegulator, Jurisdiction: "310000"})
	if err != nil {
		t.Fatal(err)
	}
	var last int64
	for i := range 30 {
		code := uscc(t, "310115", uint64(5000+i))
		w := e.call("POST", "/api/v1/enterprises", tok, registration(code))
		if w.status != 201 {
			t.Fatalf("register: %d %s", w.status, w.body)
		}
		size, err := strconv.ParseInt(w.header.Get(ghttp.LogSizeHeader), 10, 64)
		if err != nil || size <= last {
			t.Fatalf("%s: got %q after a log size of %d, want a larger size", ghttp.LogSizeHeader, w.header.Get(ghttp.LogSizeHeader), last)
		}
		last = size
		var r *response
		if i%2 == 0 {
			r = e.call("GET", fmt.Sprintf("/api/v1/enterprises/%s?min_log_size=%d", code, size), "", nil)
		} else {
			r = e.doWithHeader("GET", "/api/v1/enterprises/"+code, ghttp.MinLogSizeHeader, strconv.FormatInt(size, 10))
		}
		if r.status != 200 {
			t.Fatalf("read at log size %d after registering %s: %d %s", size, code, r.status, r.body)
		}
		if !bytes.Contains(r.body, []byte(code)) {
			t.Fatalf("read at log size %d: the page does not name %s: %s", size, code, r.body)
		}
	}
	onReplica, onPrimary := st.DB.ReplicaReads()
	t.Logf("reads: %d on the replica, %d on the primary", onReplica, onPrimary)
	if onReplica == 0 {
		t.Errorf("no read was the replica's")
	}
	e.call("GET", "/api/v1/enterprises/"+uscc(t, "310115", 5000)+"?min_log_size=x", "", nil).problem(t, 400, "min_log_size")
	e.doWithHeader("GET", "/api/v1/enterprises", ghttp.MinLogSizeHeader, "-1").problem(t, 400, ghttp.MinLogSizeHeader)
}

// doWithHeader sends an anonymous GET with one header set.
func (e *env) doWithHeader(method, path, name, value string) *response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set(name, value)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: data}
}
