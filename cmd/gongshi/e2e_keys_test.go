package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2EKeyRotation: a key added signs beside the old one, /log/key lists both with their
// validity, a verifier trusting the old key learns the new one from a checkpoint both
// signed, and goes on verifying once the old key is retired.
func TestE2EKeyRotation(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	state := filepath.Join(t.TempDir(), "verify.json")
	reg := adminToken(t, dir, "--role", "regulator", "--jurisdiction", "310000")
	uscc := usccFor(t, "310115", 4300)

	srv := startServer(t, dir)
	call(t, "POST", srv.url+"/api/v1/enterprises", reg, registrationBody(uscc, "上海轮换样本科技有限公司")).want(t, 201, nil)
	oldKey := strings.TrimSpace(string(call(t, "GET", srv.url+"/log/key", "", nil).want(t, 200, nil).body))
	a := publishAndWait(t, srv.url, reg, uscc, 1)
	if code, out, errOut := verifyMain("--url", srv.url, "--state", state, "--answers=false"); code != 0 {
		t.Fatalf("verify before rotation: exit %d\n%s%s", code, out, tail(errOut, 2000))
	}
	srv.stop()

	code, out, errOut := runMain("admin", "key", "add", "--data", dir)
	if code != 0 || !strings.Contains(out, "added key") {
		t.Fatalf("admin key add: exit %d\n%s%s", code, out, errOut)
	}
	srv = startServer(t, dir)
	moveState(t, state, srv.url)
	keys := string(call(t, "GET", srv.url+"/log/key", "", nil).want(t, 200, nil).body)
	lines := strings.Split(strings.TrimSpace(keys), "\n")
	if len(lines) != 2 || lines[0] != oldKey || !strings.Contains(lines[1], " from=") {
		t.Fatalf("/log/key after add: got %q, want the old key, then the new one with from=", keys)
	}
	newKey := strings.Fields(lines[1])[0]
	a = publishAndWait(t, srv.url, reg, uscc, 2)
	cp := servedCheckpoint(t, srv.url)
	if n := bytes.Count(cp, []byte("\n— ")); n != 2 {
		t.Errorf("checkpoint during the transition: got %d signatures, want 2:\n%s", n, cp)
	}
	code, out, errOut = verifyMain("--url", srv.url, "--state", state, "--answers=false")
	if code != 0 || !strings.Contains(out, "the log rotated its keys") || !strings.Contains(out, newKey) {
		t.Fatalf("verify during the transition: exit %d, want 0 and the new key trusted\n%s%s", code, out, tail(errOut, 2000))
	}
	srv.stop()

	hash := strings.Split(oldKey, "+")[1]
	code, out, errOut = runMain("admin", "key", "retire", "--data", dir, "--key", hash)
	if code != 0 || !strings.Contains(out, "retired key "+hash) {
		t.Fatalf("admin key retire: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runMain("admin", "key", "retire", "--data", dir, "--key", strings.Split(newKey, "+")[1]); code == 0 || !strings.Contains(errOut, "only active key") {
		t.Errorf("retiring the last active key: got exit %d, want a refusal\n%s", code, errOut)
	}
	srv = startServer(t, dir)
	moveState(t, state, srv.url)
	keys = string(call(t, "GET", srv.url+"/log/key", "", nil).want(t, 200, nil).body)
	if !strings.HasPrefix(keys, oldKey+" until=") {
		t.Errorf("/log/key after retire: got %q, want the old key with until=", keys)
	}
	a = publishAndWait(t, srv.url, reg, uscc, 3)
	cp = servedCheckpoint(t, srv.url)
	if n := bytes.Count(cp, []byte("\n— ")); n != 1 || !bytes.Contains(cp, []byte("— gongshi.local/log ")) {
		t.Errorf("checkpoint after retirement: got %d signatures, want 1:\n%s", n, cp)
	}
	code, out, errOut = verifyMain("--url", srv.url, "--state", state, "--answers=false")
	if code != 0 || strings.Contains(out, oldKey) {
		t.Fatalf("verify after retirement: exit %d, want 0, the old key no longer trusted\n%s%s", code, out, tail(errOut, 2000))
	}
	// One who trusts only the retired key cannot be shown a checkpoint it signed.
	code, out, errOut = verifyMain("--url", srv.url, "--key", oldKey, "--state", filepath.Join(t.TempDir(), "v.json"), "--answers=false")
	if code == 0 || !strings.Contains(out+errOut, "signature") {
		t.Errorf("verify with only the retired key: got exit %d, want a refusal of the signature\n%s%s", code, out, tail(errOut, 2000))
	}
	_ = a
}

// publishAndWait publishes a penalty and waits for a checkpoint that covers it.
func publishAndWait(t *testing.T, url, token, uscc string, i int) ack {
	t.Helper()
	a, err := publishPenalty(url, token, uscc, i)
	if err != nil {
		t.Fatal(err)
	}
	waitCheckpoint(t, url, a.logIndex+1)
	return a
}

// moveState re-keys the one log of a verify state file to url: the restarted server is the
// same log on another port.
func moveState(t *testing.T, path, url string) {
	t.Helper()
	st, err := loadVerifyState(path)
	if err != nil || len(st.Logs) != 1 {
		t.Fatalf("state %s: %v, %d logs, want 1", path, err, len(st.Logs))
	}
	for k, v := range st.Logs {
		delete(st.Logs, k)
		st.Logs["url:"+url] = v
	}
	if err := saveVerifyState(path, st); err != nil {
		t.Fatal(err)
	}
}
